"""The summit table's fold: the RegionalSummit events of one meeting -> its SummitRecord. Pure and order-free.

`fold` is a function of the SET of events: duplicates of an event_id count once (two different copies of
one event_id: the greater serialisation wins, whichever came first), every collection is sorted before it
is read, and every choice breaks ties on the values themselves. So at-least-once delivery, replays and
reordering all give the same record, byte for byte (`record_bytes`). The streaming table stage and
`summit-consumer merge` both call it.

Choices: a field's value is the one most sources state (ties: the one the calendar's meeting agrees with,
then the one stated in more languages, then the first in JSON order); the status is the one the most
recently published sources give (ties: the further along: held > ongoing > upcoming). Confidence: for each
independent publisher (URL host, else `source`, else the article) its best event confidence, halved for a
source that contradicts the chosen ordinal, start date or venue state; combined as 1 - prod(1 - c).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

import orjson

from schemas import RegionalSummit, Venue
from schemas.article import parse_published
from schemas.record import (
    NumberClaim,
    NumberField,
    RecordCountry,
    RecordDocument,
    RecordOfficial,
    RecordParticipant,
    RecordSummit,
    ScopeClaim,
    ScopeField,
    Source,
    StatusClaim,
    StatusField,
    SummitRecord,
    TextClaim,
    TextField,
    VenueClaim,
    VenueField,
)

_ADVANCE: Final = {"upcoming": 0, "ongoing": 1, "held": 2}
_CONFIDENCE_CAP: Final = 0.999
_UNKNOWN_LANGUAGE: Final = "und"
V = TypeVar("V")


def summit_id_of(event: RegionalSummit) -> str:
    """The key of the meeting `event` reports (`summit_key` for events written before `summit_id` existed)."""
    return event.summit_id or event.summit_key


def slim(event: RegionalSummit) -> RegionalSummit:
    """`event` without what the fold never reads (mention offsets, evidence): what the table stage keeps."""
    return event.model_copy(
        update={
            "summit": event.summit.model_copy(update={"evidence": None}),
            "participants": [p.model_copy(update={"mentions": []}) for p in event.participants],
            "officials": [o.model_copy(update={"mentions": []}) for o in event.officials],
            "documents": [d.model_copy(update={"mentions": []}) for d in event.documents],
        }
    )


def event_bytes(event: RegionalSummit) -> bytes:
    """The canonical serialisation of an event (as the stage stores it)."""
    return orjson.dumps(event.model_dump(mode="json"))


def record_bytes(record: SummitRecord) -> bytes:
    """The canonical serialisation of a record: what the table topic and `merge` output hold."""
    return orjson.dumps(record.model_dump(mode="json"))


def distinct(events: Iterable[RegionalSummit]) -> list[RegionalSummit]:
    """One slim event per event_id (the greater serialisation when copies differ), sorted by event_id."""
    best: dict[str, bytes] = {}
    for event in events:
        data = event_bytes(slim(event))
        if data > best.get(event.event_id, b""):
            best[event.event_id] = data
    return [RegionalSummit.model_validate_json(best[key]) for key in sorted(best)]


def merge(events: Iterable[RegionalSummit]) -> list[SummitRecord]:
    """Every meeting's record, by summit_id."""
    groups: dict[str, list[RegionalSummit]] = defaultdict(list)
    for event in events:
        groups[summit_id_of(event)].append(event)
    return [fold(groups[key]) for key in sorted(groups)]


def fold(events: Iterable[RegionalSummit]) -> SummitRecord:
    """The record of one meeting from its events (any order, duplicates allowed; at least one event)."""
    evs = distinct(events)
    if not evs:
        raise ValueError("a record needs at least one event")
    ids = {summit_id_of(e) for e in evs}
    if len(ids) != 1:
        raise ValueError(f"events of several meetings: {sorted(ids)}")
    meeting = _meeting(evs)
    summit = _summit(evs, meeting)
    return SummitRecord(
        summit_id=ids.pop(),
        summit=summit,
        meeting=meeting,
        participants=_participants(evs),
        participant_countries=_countries(evs),
        officials=_officials(evs),
        documents=_documents(evs),
        sources=_sources(evs),
        languages=sorted({_language(e) for e in evs}),
        first_seen=_seen(evs, first=True),
        last_seen=_seen(evs, first=False),
        confidence=_confidence(evs, summit),
    )


# -- fields ------------------------------------------------------------------------------------------------


class _Tally:
    """Which events (and languages) state each value of one field."""

    def __init__(self) -> None:
        self.values: dict[bytes, Any] = {}
        self.events: dict[bytes, set[str]] = defaultdict(set)
        self.languages: dict[bytes, set[str]] = defaultdict(set)

    def add(self, value: Any, event: RegionalSummit) -> None:
        if value is None:
            return
        key = orjson.dumps(value.model_dump(mode="json") if isinstance(value, Venue) else value)
        self.values[key] = value
        self.events[key].add(event.event_id)
        self.languages[key].add(_language(event))

    def ranked(self, prefer: Callable[[bytes], tuple[Any, ...]]) -> list[bytes]:
        return sorted(self.values, key=lambda k: (*prefer(k), k))


def _field(
    events: Sequence[RegionalSummit],
    read: Callable[[RegionalSummit], Any],
    canonical: Any = None,
    rank: Callable[[_Tally, bytes], tuple[Any, ...]] | None = None,
) -> tuple[Any, int, list[str], list[tuple[Any, int, list[str]]]]:
    tally = _Tally()
    for event in events:
        tally.add(read(event), event)

    def by_support(key: bytes) -> tuple[Any, ...]:
        agrees = canonical is not None and tally.values[key] == canonical
        return (-len(tally.events[key]), not agrees, -len(tally.languages[key]))

    order = tally.ranked((lambda k: rank(tally, k)) if rank else by_support)
    claims = [(tally.values[k], len(tally.events[k]), sorted(tally.languages[k])) for k in order]
    if not claims:
        return None, 0, [], []
    value, sources, languages = claims[0]
    return value, sources, languages, claims[1:]


def _text(
    events: Sequence[RegionalSummit], read: Callable[[RegionalSummit], Any], canonical: Any = None
) -> TextField:
    value, sources, languages, others = _field(events, read, canonical)
    return TextField(
        value=value,
        sources=sources,
        languages=languages,
        others=[TextClaim(value=v, sources=n, languages=ls) for v, n, ls in others],
    )


def _summit(events: Sequence[RegionalSummit], meeting: Any) -> RecordSummit:
    s = [e.summit for e in events]
    by = dict(zip((e.event_id for e in events), s, strict=True))
    ordinal, n_ord, l_ord, o_ord = _field(
        events, lambda e: by[e.event_id].ordinal, meeting and meeting.ordinal
    )
    venue, n_ven, l_ven, o_ven = _field(events, lambda e: by[e.event_id].venue, meeting and meeting.venue)
    scope, n_sco, l_sco, o_sco = _field(events, lambda e: by[e.event_id].scope)
    status, n_sta, l_sta, o_sta = _field(events, lambda e: by[e.event_id].status, rank=_status_rank(events))
    return RecordSummit(
        name=_text(events, lambda e: by[e.event_id].name),
        series=_text(events, lambda e: by[e.event_id].series),
        organization=_text(events, lambda e: by[e.event_id].organization),
        scope=ScopeField(
            value=scope,
            sources=n_sco,
            languages=l_sco,
            others=[ScopeClaim(value=v, sources=n, languages=ls) for v, n, ls in o_sco],
        ),
        status=StatusField(
            value=status,
            sources=n_sta,
            languages=l_sta,
            others=[StatusClaim(value=v, sources=n, languages=ls) for v, n, ls in o_sta],
        ),
        ordinal=NumberField(
            value=ordinal,
            sources=n_ord,
            languages=l_ord,
            others=[NumberClaim(value=v, sources=n, languages=ls) for v, n, ls in o_ord],
        ),
        start_date=_text(events, lambda e: by[e.event_id].start_date, meeting and meeting.start_date),
        end_date=_text(events, lambda e: by[e.event_id].end_date, meeting and meeting.end_date),
        venue=VenueField(
            value=venue,
            sources=n_ven,
            languages=l_ven,
            others=[VenueClaim(value=v, sources=n, languages=ls) for v, n, ls in o_ven],
        ),
        chair_country=_text(events, lambda e: by[e.event_id].chair_country),
    )


def _status_rank(events: Sequence[RegionalSummit]) -> Callable[[_Tally, bytes], tuple[Any, ...]]:
    """Status: the latest-published sources' first, then the further along, then the better supported."""
    published = {e.event_id: stamp for e in events if (stamp := _timestamp(e)) is not None}

    def rank(tally: _Tally, key: bytes) -> tuple[Any, ...]:
        stamp = max((published[i] for i in tally.events[key] if i in published), default=float("-inf"))
        return (-stamp, -_ADVANCE.get(str(tally.values[key]), 0), -len(tally.events[key]))

    return rank


def _meeting(events: Sequence[RegionalSummit]) -> Any:
    counts = Counter(orjson.dumps(e.meeting.model_dump(mode="json")) for e in events if e.meeting is not None)
    if not counts:
        return None
    best = min(counts, key=lambda k: (-counts[k], k))
    return next(
        e.meeting
        for e in events
        if e.meeting is not None and orjson.dumps(e.meeting.model_dump(mode="json")) == best
    )


# -- unions ------------------------------------------------------------------------------------------------


def _majority(counter: Counter[V], default: V) -> V:
    if not counter:
        return default
    return min(counter, key=lambda v: (-counter[v], orjson.dumps(v)))


def _union(
    events: Sequence[RegionalSummit], items: Callable[[RegionalSummit], Iterable[tuple[Hashable, Any]]]
) -> dict[Hashable, tuple[set[str], set[str], list[Any]]]:
    """key -> (event ids, languages, the items themselves) over every event."""
    out: dict[Hashable, tuple[set[str], set[str], list[Any]]] = {}
    for event in events:
        for key, item in items(event):
            ids, langs, found = out.setdefault(key, (set(), set(), []))
            ids.add(event.event_id)
            langs.add(_language(event))
            found.append(item)
    return out


def _by_support(union: dict[Hashable, tuple[set[str], set[str], list[Any]]]) -> list[Hashable]:
    return sorted(union, key=lambda k: (-len(union[k][0]), orjson.dumps(k)))


def _participants(events: Sequence[RegionalSummit]) -> list[RecordParticipant]:
    union = _union(events, lambda e: ((p.name, p) for p in e.participants))
    out = []
    for key in _by_support(union):
        ids, langs, found = union[key]
        guests = sum(p.guest for p in found)
        out.append(
            RecordParticipant(
                name=str(key),
                names_original=sorted({p.name_original for p in found}),
                country=_majority(Counter(p.country for p in found if p.country), None),
                role=_majority(Counter(p.role for p in found), "other"),
                guest=guests * 2 > len(found),
                sources=len(ids),
                languages=sorted(langs),
            )
        )
    return out


def _countries(events: Sequence[RegionalSummit]) -> list[RecordCountry]:
    union = _union(events, lambda e: ((c, c) for c in e.participant_countries))
    return [
        RecordCountry(country=str(k), sources=len(union[k][0]), languages=sorted(union[k][1]))
        for k in _by_support(union)
    ]


def _officials(events: Sequence[RegionalSummit]) -> list[RecordOfficial]:
    union = _union(events, lambda e: ((o.name, o) for o in e.officials))
    return [
        RecordOfficial(
            name=str(k),
            organization=_majority(Counter(o.organization for o in union[k][2] if o.organization), None),
            sources=len(union[k][0]),
            languages=sorted(union[k][1]),
        )
        for k in _by_support(union)
    ]


def _documents(events: Sequence[RegionalSummit]) -> list[RecordDocument]:
    union = _union(events, lambda e: ((d.title.strip(), d) for d in e.documents))
    return [
        RecordDocument(
            title=str(k),
            kind=_majority(Counter(d.kind for d in union[k][2]), "other"),
            sources=len(union[k][0]),
            languages=sorted(union[k][1]),
        )
        for k in _by_support(union)
    ]


# -- sources, time, confidence -----------------------------------------------------------------------------


def _language(event: RegionalSummit) -> str:
    return event.article.language or _UNKNOWN_LANGUAGE


def _instant(event: RegionalSummit) -> datetime | None:
    """published_at as a UTC instant (a bare date: its midnight UTC; no zone: taken as UTC)."""
    try:
        value = parse_published(event.article.published_at)
    except ValueError:
        return None
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    assert isinstance(value, date)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _timestamp(event: RegionalSummit) -> float | None:
    instant = _instant(event)
    return None if instant is None else instant.timestamp()


def _source_order(event: RegionalSummit) -> tuple[Any, ...]:
    instant = _instant(event)
    return (instant is None, instant.timestamp() if instant else 0.0, event.article.id, event.event_id)


def _sources(events: Sequence[RegionalSummit]) -> list[Source]:
    return [
        Source(
            event_id=e.event_id,
            article_id=e.article.id,
            url=e.article.url,
            language=e.article.language,
            published_at=e.article.published_at,
            confidence=e.confidence,
        )
        for e in sorted(events, key=_source_order)
    ]


def _seen(events: Sequence[RegionalSummit], *, first: bool) -> str | None:
    dated = [e for e in events if _instant(e) is not None]
    if not dated:
        return None
    pick = min if first else max
    chosen = pick(dated, key=lambda e: (_source_order(e)[1], e.article.id, e.event_id))
    return chosen.article.published_at


def _publisher(event: RegionalSummit) -> str:
    if event.article.url:
        host = urlsplit(event.article.url).netloc.lower().removeprefix("www.")
        if host:
            return f"host:{host}"
    if event.article.source:
        return f"source:{event.article.source.strip().lower()}"
    return f"article:{event.article.id}"


def _contradicts(event: RegionalSummit, summit: RecordSummit) -> bool:
    s = event.summit
    if s.ordinal is not None and summit.ordinal.value is not None and s.ordinal != summit.ordinal.value:
        return True
    chosen_start = summit.start_date.value
    if (
        s.start_date
        and chosen_start
        and not (s.start_date.startswith(chosen_start) or chosen_start.startswith(s.start_date))
    ):
        return True
    chosen_venue = summit.venue.value
    return bool(
        s.venue is not None
        and s.venue.country
        and chosen_venue is not None
        and chosen_venue.country
        and s.venue.country != chosen_venue.country
    )


def _confidence(events: Sequence[RegionalSummit], summit: RecordSummit) -> float:
    best: dict[str, float] = {}
    for event in events:
        c = event.confidence * (0.5 if _contradicts(event, summit) else 1.0)
        publisher = _publisher(event)
        best[publisher] = max(best.get(publisher, 0.0), c)
    doubt = 1.0
    for publisher in sorted(best):
        doubt *= 1.0 - best[publisher]
    return round(min(_CONFIDENCE_CAP, 1.0 - doubt), 4)


class SummitTable:
    """The fold's state for the events of one input partition: each meeting's events by event_id.

    `apply` tells whether an event changed the state (a new event_id, or a greater copy of a known one);
    `record` folds a meeting's events. Replaying events the state holds changes nothing.
    """

    def __init__(self) -> None:
        self._events: dict[str, dict[str, tuple[bytes, RegionalSummit]]] = {}

    def apply(self, event: RegionalSummit) -> bool:
        """Add `event` (kept slim); True when the state changed."""
        kept = slim(event)
        data = event_bytes(kept)
        events = self._events.setdefault(summit_id_of(event), {})
        known = events.get(event.event_id)
        if known is not None and known[0] >= data:
            return False
        events[event.event_id] = (data, kept)
        return True

    def record(self, summit_id: str) -> SummitRecord:
        """The record of the meeting `summit_id` (it must hold at least one event)."""
        return fold(event for _, event in self._events[summit_id].values())

    @property
    def summits(self) -> int:
        return len(self._events)

    @property
    def events(self) -> int:
        return sum(len(events) for events in self._events.values())
