"""Outbound wire model: RegionalSummit, schema_version "1" (fields fixed by CONTRACT.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1"] = "1"

Scope = Literal["regional", "interregional", "global"]
Status = Literal["held", "ongoing", "upcoming"]
Role = Literal["president", "prime_minister", "king", "emir", "crown_prince", "sultan", "chancellor", "other"]
CountryCode = str  # ISO 3166-1 alpha-2; pattern enforced below


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Mention(_Frozen):
    """A span of the ORIGINAL article body: body[start:end] == text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class ArticleRef(_Frozen):
    id: str
    url: str | None = None
    source: str | None = None
    language: str | None = None
    published_at: str | None = Field(default=None, description="RFC 3339 date-time or YYYY-MM-DD, as given")
    title: str | None = None


class Venue(_Frozen):
    city: str | None = Field(default=None, description="English exonym")
    country: CountryCode | None = Field(default=None, pattern=r"^[A-Z]{2}$")


class Evidence(_Frozen):
    """Where in the body each summit field was read (optional; for analysts)."""

    name: Mention | None = None
    ordinal: Mention | None = None
    date: Mention | None = None
    venue: Mention | None = None
    chair: Mention | None = None


class Summit(_Frozen):
    name: str = Field(description="as written in the text")
    series: str | None = Field(default=None, description="English canonical name of the format")
    organization: str | None = Field(default=None, description="acronym, e.g. SCO, CIS, GCC, LAS")
    scope: Scope
    status: Status
    ordinal: int | None = Field(default=None, ge=1)
    start_date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}(-\d{2})?$")
    end_date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    venue: Venue | None = None
    chair_country: CountryCode | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    evidence: Evidence | None = None


class Participant(_Frozen):
    name: str = Field(description="English canonical when known, else as written")
    name_original: str = Field(description="as in the text")
    country: CountryCode | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    role: Role
    guest: bool = False
    mentions: list[Mention]


class Official(_Frozen):
    name: str
    name_original: str
    organization: str | None = None
    mentions: list[Mention]


class Document(_Frozen):
    title: str = Field(description="as in the text")
    kind: str = Field(description="declaration, concept, roadmap, agreement, statement, programme, ...")
    mentions: list[Mention]


MeetingKind = Literal[
    "regular", "extraordinary", "informal", "consultative", "heads-of-government", "economic", "coordination"
]


class Meeting(_Frozen):
    """A meeting of the calendar of known meetings, its canonical facts per the calendar's source."""

    id: str = Field(description="the meeting's summit_id")
    format: str = Field(description="format key, e.g. c5-consultative, gcc, sco")
    kind: MeetingKind = "regular"
    ordinal: int | None = Field(
        default=None, ge=1, description="as the format counts its meetings of this kind"
    )
    start_date: str = Field(
        pattern=r"^\d{4}-\d{2}(-\d{2})?$", description="YYYY-MM when only the month is known"
    )
    end_date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    venue: Venue | None = None
    host: CountryCode | None = Field(default=None, pattern=r"^[A-Z]{2}$", description="presiding state")
    online: bool = False


class RegionalSummit(_Frozen):
    """One multilateral summit reported by one article."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    event_id: str = Field(description="deterministic: same article and pipeline version give the same id")
    summit_key: str = Field(description="(kept for compatibility) format + ordinal or date, as before")
    summit_id: str | None = Field(
        default=None,
        description="the meeting itself: equal for every report of one meeting in any language, different "
        "for different meetings of one format; set on every event (absent only in events written before it "
        "existed)",
    )
    article: ArticleRef
    summit: Summit
    participants: list[Participant]
    participant_countries: list[CountryCode] = Field(description="sorted, unique ISO alpha-2")
    officials: list[Official]
    documents: list[Document]
    confidence: float = Field(ge=0.0, le=1.0)
    pipeline_version: str
    meeting: Meeting | None = Field(
        default=None,
        description="the calendar's meeting this report was resolved to, with its canonical facts",
    )
