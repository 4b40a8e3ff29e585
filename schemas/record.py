"""Outbound wire model of the summit table: SummitRecord, schema_version "1" (names fixed by CONTRACT.md).

One record per `summit_id`: every report of the meeting folded into one view. Each summit field carries the
value chosen and its support (how many sources state it, in which languages) with every other value stated
(disagreements are kept, not dropped); participants, states, officials and documents are unions with
per-item support; `sources` has one entry per event.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.summit import SCHEMA_VERSION, CountryCode, Meeting, Role, Scope, Status, Venue


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_SOURCES = Field(ge=1, description="events (one per article) stating this value")
_LANGUAGES = Field(description="their languages, sorted")
_CHOSEN_SOURCES = Field(default=0, ge=0, description="events stating the chosen value")
_CHOSEN_LANGUAGES: list[str] = Field(default_factory=list, description="their languages, sorted")
_OTHERS: list[Any] = Field(default_factory=list, description="every other value stated, best supported first")


class TextClaim(_Frozen):
    """One value of a text field, with the sources stating it."""

    value: str
    sources: int = _SOURCES
    languages: list[str] = _LANGUAGES


class TextField(_Frozen):
    """A text field: the value chosen (null when no source states one), its support, the others stated."""

    value: str | None = None
    sources: int = _CHOSEN_SOURCES
    languages: list[str] = _CHOSEN_LANGUAGES
    others: list[TextClaim] = _OTHERS


class NumberClaim(_Frozen):
    """One value of a number field, with the sources stating it."""

    value: int
    sources: int = _SOURCES
    languages: list[str] = _LANGUAGES


class NumberField(_Frozen):
    """A number field: the value chosen (null when no source states one), its support, the others stated."""

    value: int | None = None
    sources: int = _CHOSEN_SOURCES
    languages: list[str] = _CHOSEN_LANGUAGES
    others: list[NumberClaim] = _OTHERS


class VenueClaim(_Frozen):
    """One value of a venue field, with the sources stating it."""

    value: Venue
    sources: int = _SOURCES
    languages: list[str] = _LANGUAGES


class VenueField(_Frozen):
    """A venue field: the value chosen (null when no source states one), its support, the others stated."""

    value: Venue | None = None
    sources: int = _CHOSEN_SOURCES
    languages: list[str] = _CHOSEN_LANGUAGES
    others: list[VenueClaim] = _OTHERS


class ScopeClaim(_Frozen):
    """One value of a scope field, with the sources stating it."""

    value: Scope
    sources: int = _SOURCES
    languages: list[str] = _LANGUAGES


class ScopeField(_Frozen):
    """A scope field: the value chosen (null when no source states one), its support, the others stated."""

    value: Scope | None = None
    sources: int = _CHOSEN_SOURCES
    languages: list[str] = _CHOSEN_LANGUAGES
    others: list[ScopeClaim] = _OTHERS


class StatusClaim(_Frozen):
    """One value of a status field, with the sources stating it."""

    value: Status
    sources: int = _SOURCES
    languages: list[str] = _LANGUAGES


class StatusField(_Frozen):
    """A status field: the value chosen (null when no source states one), its support, the others stated."""

    value: Status | None = None
    sources: int = _CHOSEN_SOURCES
    languages: list[str] = _CHOSEN_LANGUAGES
    others: list[StatusClaim] = _OTHERS


class RecordSummit(_Frozen):
    """The summit fields of RegionalSummit, each as chosen across the sources."""

    name: TextField = Field(description="as written; the most common form")
    series: TextField
    organization: TextField
    scope: ScopeField
    status: StatusField = Field(description="as the most recently published sources report it")
    ordinal: NumberField
    start_date: TextField
    end_date: TextField
    venue: VenueField
    chair_country: TextField


class RecordParticipant(_Frozen):
    """A head of state or government named by at least one source."""

    name: str = Field(description="English canonical when known, else as written")
    names_original: list[str] = Field(description="every written form, sorted")
    country: CountryCode | None = Field(default=None, description="as most of its sources give it")
    role: Role = Field(description="as most of its sources give it")
    guest: bool = Field(description="true when more of its sources say guest than not")
    sources: int = Field(ge=1)
    languages: list[str]


class RecordCountry(_Frozen):
    """A state taking part, with the sources that say so."""

    country: CountryCode
    sources: int = Field(ge=1)
    languages: list[str]


class RecordOfficial(_Frozen):
    """A head of an international body named by at least one source."""

    name: str
    organization: str | None = None
    sources: int = Field(ge=1)
    languages: list[str]


class RecordDocument(_Frozen):
    """A document adopted or signed, as titled by its sources (titles are not translated)."""

    title: str
    kind: str
    sources: int = Field(ge=1)
    languages: list[str]


class Source(_Frozen):
    """One event folded into the record."""

    event_id: str
    article_id: str
    url: str | None = None
    language: str | None = None
    published_at: str | None = None
    confidence: float = Field(ge=0.0, le=1.0, description="the event's own confidence")


class SummitRecord(_Frozen):
    """The whole merged view of one meeting: the latest record of a `summit_id` replaces the earlier ones."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    summit_id: str
    summit: RecordSummit
    meeting: Meeting | None = Field(
        default=None, description="the calendar's meeting (canonical facts) when the reports resolved to one"
    )
    participants: list[RecordParticipant]
    participant_countries: list[RecordCountry]
    officials: list[RecordOfficial]
    documents: list[RecordDocument]
    sources: list[Source] = Field(description="one per event, by publication then article id")
    languages: list[str] = Field(description="languages of the sources, sorted")
    first_seen: str | None = Field(default=None, description="earliest published_at of the sources")
    last_seen: str | None = Field(default=None, description="latest published_at of the sources")
    confidence: float = Field(
        ge=0.0,
        le=1.0,
        description="1 - product of (1 - best event confidence) over independent publishers; halved for a "
        "source that contradicts the chosen ordinal, start date or venue state",
    )
