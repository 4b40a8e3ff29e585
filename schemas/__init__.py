"""Wire models: inbound (RawArticle), outbound (RegionalSummit) and the dead-letter headers."""

from schemas.article import RawArticle
from schemas.deadletter import DeadLetterHeaders, Stage
from schemas.summit import (
    SCHEMA_VERSION,
    ArticleRef,
    Document,
    Evidence,
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
    "Mention",
    "Official",
    "Participant",
    "RawArticle",
    "RegionalSummit",
    "Stage",
    "Summit",
    "Venue",
]
