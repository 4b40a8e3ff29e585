"""Wire models: inbound (RawArticle), outbound (RegionalSummit, SummitRecord) and the dead-letter headers."""

from schemas.article import RawArticle
from schemas.deadletter import DeadLetterHeaders, Stage
from schemas.record import SummitRecord
from schemas.summit import (
    SCHEMA_VERSION,
    ArticleRef,
    Document,
    Evidence,
    Meeting,
    Mention,
    Official,
    Participant,
    RegionalSummit,
    Summit,
    Venue,
)

__all__ = [
    "SCHEMA_VERSION",
    "ArticleRef",
    "DeadLetterHeaders",
    "Document",
    "Evidence",
    "Meeting",
    "Mention",
    "Official",
    "Participant",
    "RawArticle",
    "RegionalSummit",
    "Stage",
    "Summit",
    "SummitRecord",
    "Venue",
]
