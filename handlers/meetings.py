"""The calendar of known meetings (data/meetings.toml): per summit format, each meeting's ordinal, dates,
venue and host, with the words that tell a format's kinds of meeting apart, and each format's member
states (from the knowledge base). Loaded once; pure.

A meeting's id is what every report of it carries as `summit_id`: `<format>:<ordinal>` for a numbered
regular meeting ("c5-consultative:6"), `<format>:<kind>-<ordinal>` for a numbered meeting of another kind
("gcc:consultative-18"), else the same with its first day ("cis:2022-10-14", "gcc:extraordinary-2025-09-15").
"""

from __future__ import annotations

import calendar as _days
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Final

from handlers.knowledge import KnowledgeBase
from handlers.text import normalise

REGULAR: Final = "regular"
KINDS: Final[tuple[str, ...]] = (
    REGULAR,
    "extraordinary",
    "informal",
    "consultative",
    "heads-of-government",
    "economic",
    "coordination",
)
_DATA: Final = "meetings.toml"


@dataclass(frozen=True, slots=True)
class Meeting:
    """One meeting of one format, as the calendar's source lists it."""

    id: str
    format: str
    kind: str
    ordinals: tuple[int, ...]
    start: date
    end: date
    month_only: bool  # the source gives the month, not the day: `start`/`end` span that month
    city: str | None
    country: str | None
    host: str | None
    online: bool
    also: tuple[str, ...]
    postponed: bool
    place: str = ""  # `place_key` of the city, for comparisons
    main: date | None = None  # the day of the formal session when the source tells it from the first day

    @property
    def start_text(self) -> str:
        """The first day as the source gives it: YYYY-MM-DD, or YYYY-MM."""
        return self.start.isoformat()[:7] if self.month_only else self.start.isoformat()

    @property
    def end_text(self) -> str | None:
        """The last day when it differs from the first (None for a one-day or month-only meeting)."""
        return None if self.month_only or self.end == self.start else self.end.isoformat()


@dataclass(frozen=True, slots=True, eq=False)
class Calendar:
    """Every known meeting, indexed by the formats it belongs to."""

    meetings: tuple[Meeting, ...]
    kind_words: Mapping[str, Mapping[str, tuple[str, ...]]]  # kind -> language -> normalised words
    source: Mapping[str, Any]
    _by_format: Mapping[str, tuple[Meeting, ...]]
    _kinds: Mapping[str, frozenset[str]]
    _numbered: frozenset[str]
    _named: frozenset[str]
    _members: Mapping[str, frozenset[str]]

    @classmethod
    def load(cls) -> Calendar:
        """The calendar bundled with the handlers (read on the first call, then shared)."""
        return _load_cached()

    @classmethod
    def from_toml(cls, text: str, members: Mapping[str, frozenset[str]] | None = None) -> Calendar:
        """A calendar from TOML text in the format of data/meetings.toml (tests build small ones)."""
        return _build(tomllib.loads(text), members or {})

    def candidates(self, fmt: str) -> tuple[Meeting, ...]:
        """The meetings of format `fmt`, and the joint meetings it also takes part in."""
        return self._by_format.get(fmt, ())

    def kinds_of(self, fmt: str) -> frozenset[str]:
        """The kinds of meeting `fmt` holds in the calendar (its own meetings only)."""
        return self._kinds.get(fmt, frozenset())

    def members(self, fmt: str) -> frozenset[str]:
        """The usual member states of `fmt` (formats.toml; empty for very large bodies)."""
        return self._members.get(fmt, frozenset())

    def numbered(self, fmt: str) -> bool:
        """Whether `fmt` numbers its meetings (a format the calendar does not name is taken to)."""
        return fmt in self._numbered or fmt not in self.known_formats

    @property
    def known_formats(self) -> frozenset[str]:
        """The format keys the calendar names (with or without meetings listed)."""
        return self._named

    def by_id(self, meeting_id: str) -> Meeting | None:
        """The meeting with this id, or None."""
        fmt = meeting_id.split(":", 1)[0]
        return next((m for m in self.candidates(fmt) if m.id == meeting_id), None)


def place_key(name: str) -> str:
    """A city name as compared: normalised, letters and digits only ("Al-Ula" = "AlUla")."""
    return "".join(ch for ch in normalise(name) if ch.isalnum())


def meeting_id(fmt: str, kind: str, ordinal: int | None, start_text: str) -> str:
    """The id of a meeting: its format, its kind unless regular, and its ordinal, else its first day."""
    tail = str(ordinal) if ordinal is not None else start_text
    return f"{fmt}:{tail}" if kind == REGULAR else f"{fmt}:{kind}-{tail}"


def _day(text: str, *, last: bool) -> tuple[date, bool]:
    """A YYYY-MM-DD or YYYY-MM text as a day (YYYY-MM: its first, or its last day when `last`)."""
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:7])
        return date(year, month, _days.monthrange(year, month)[1] if last else 1), True
    return date.fromisoformat(text), False


def _meeting(fmt: str, raw: Mapping[str, Any]) -> Meeting:
    kind = str(raw.get("kind", REGULAR))
    if kind not in KINDS:
        raise ValueError(f"{fmt}: unknown kind {kind!r}")
    number = raw.get("n")
    ordinals = tuple(number) if isinstance(number, list) else (() if number is None else (int(number),))
    start, month_only = _day(str(raw["start"]), last=False)
    end = _day(str(raw["end"]), last=True)[0] if "end" in raw else _day(str(raw["start"]), last=True)[0]
    if end < start:
        raise ValueError(f"{fmt}: meeting of {raw['start']} ends before it starts")
    text = start.isoformat()[:7] if month_only else start.isoformat()
    main = date.fromisoformat(str(raw["main"])) if "main" in raw else None
    if main is not None and not start <= main <= end:
        raise ValueError(f"{fmt}: meeting of {raw['start']} has its main day outside its days")
    return Meeting(
        id=meeting_id(fmt, kind, ordinals[0] if ordinals else None, text),
        format=fmt,
        kind=kind,
        ordinals=ordinals,
        start=start,
        end=end,
        month_only=month_only,
        city=raw.get("city"),
        country=raw.get("country"),
        host=raw.get("host", raw.get("country")),
        online=bool(raw.get("online", False)),
        also=tuple(raw.get("also", ())),
        postponed=raw.get("status", "held") == "postponed",
        place=place_key(raw.get("city") or ""),
        main=main,
    )


def _build(raw: Mapping[str, Any], members: Mapping[str, frozenset[str]]) -> Calendar:
    blocks = raw.get("format", [])
    meetings = tuple(_meeting(block["key"], m) for block in blocks for m in block["meetings"])
    ids = [m.id for m in meetings]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"meeting ids must be unique: {twice}")
    by_format: dict[str, list[Meeting]] = {}
    kinds: dict[str, set[str]] = {}
    for meeting in meetings:
        for fmt in (meeting.format, *meeting.also):
            by_format.setdefault(fmt, []).append(meeting)
        kinds.setdefault(meeting.format, set()).add(meeting.kind)
    for block in blocks:  # kinds a format holds whose meetings are not listed yet
        declared = set(block.get("kinds", ()))
        if declared - set(KINDS):
            raise ValueError(f"{block['key']}: unknown kinds {sorted(declared - set(KINDS))}")
        kinds.setdefault(block["key"], set()).update(declared)
    words = {
        kind: {lang: tuple(normalise(w) for w in forms) for lang, forms in per_lang.items()}
        for kind, per_lang in raw.get("kinds", {}).items()
    }
    return Calendar(
        meetings=meetings,
        kind_words=words,
        source=dict(raw.get("source", {})),
        _by_format={fmt: tuple(ms) for fmt, ms in by_format.items()},
        _kinds={fmt: frozenset(ks) for fmt, ks in kinds.items()},
        _numbered=frozenset(
            block["key"]
            for block in blocks
            if block.get("numbered", any("n" in m for m in block["meetings"]))
        ),
        _named=frozenset(block["key"] for block in blocks),
        _members=dict(members),
    )


@lru_cache(maxsize=1)
def _load_cached() -> Calendar:
    data = resources.files("handlers").joinpath("data")
    kb = KnowledgeBase.load()
    members = {f.key: frozenset(f.members) for f in kb.formats}
    return _build(tomllib.loads(data.joinpath(_DATA).read_text(encoding="utf-8")), members)
