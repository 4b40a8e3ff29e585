"""Which meeting a report is about: the `summit_id` every report of one meeting shares, in any language.

Pure: an event's extracted facts (format, the kind of meeting its name says, ordinal, dates, venue, the
article's publication day and the status it reports) against the calendar of known meetings.

1. **Calendar.** Each meeting the format holds (or takes part in jointly) is scored on each fact the
   report gives, roughly as the log-odds of that fact if the report were about it: the ordinal (+4 when it
   is the meeting's, -3 when not), the date (+4 within two days of the meeting, +1 within ten, -3 beyond
   45; at month precision +2 / -2), the venue (+2 same city, +1 more when no other candidate of the format
   was held there, +1 same state only, -2 another member state; a state outside the format's members is
   taken for a misread venue and counts 0), the publication day read with the status (an upcoming meeting
   starting within 7 days of it +3, within 60 +2, within 400 +1, already past -2; an ongoing one +3 on its
   days, -2 a week away from them; a held one over within 3 days +3, within 60 +2, within 400 +1, not yet
   begun -2). The readers' ordinal, date and venue that the decisions dropped (`Readings`) count where
   the event's own field is null, at a share of these weights (a dropped ordinal 1/2, a dropped date or
   venue 3/4, rounded towards 0); they are never published. The report is that meeting when its score is
   at least 3 and at least 2 above any other's (where a regular meeting ranks 1 higher when the name says
   no other kind: most reports are of regular meetings): "the sixth meeting", "9 August 2024 in Astana" and
   "the Astana summit this week" all single out `c5-consultative:6`, while an ordinal and a date that point
   at two meetings single out neither.
2. **Any format.** A report of no known format is weighed against the meetings of every format held in
   the city it names, or numbered by the ordinal it states, at the time it says (its date or publication
   day fits); a stated ordinal must be the meeting's, and a meeting of a format the text names anyway
   scores +2. The report is that meeting at a score of at least 7 (a city and a day, an ordinal and a day)
   and 2 above any other. A report whose format's own meetings all fail is weighed the same way against
   the meetings of the other formats its text names (a format misread: "ООН" in a report of a summit in
   Doha).
3. **Fallback** for meetings the calendar lacks (a rule, so two reports of one meeting agree on it and two
   successive meetings do not): `<format>:<ordinal>` (the id the calendar would give it) for a format that
   numbers its meetings, else `<format>:~<YYYY-MM>` of the stated date (`<format>:~<venue state>-<YYYY-MM>`
   when it states the venue: two meetings of one month in two states stay apart), else
   `<format>:~<venue state>-<YYYY-MM>` of publication, else the report's own `<format>:article-<hash>`.
   The kind goes before the ordinal or the tilde (`gcc:consultative-19`, `cis:informal~2026-12`). An
   ordinal whose meeting the calendar has, but which the other facts contradict, joins nothing. Dropped
   readings never make a fallback id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Final

from handlers.meetings import REGULAR, Calendar, Meeting, meeting_id, place_key
from handlers.text import normalise
from schemas import Meeting as MeetingModel
from schemas import RegionalSummit, Venue

UNKNOWN_FORMAT: Final = "unknown-format"
ACCEPT: Final = 3  # the least score that names a meeting
MARGIN: Final = 2  # by how much it must beat the runner-up
ACCEPT_ANY_FORMAT: Final = 7  # a report naming no known format: its city and (about) its day, at least
# what a dropped reading counts, as a share of a stated one: a dropped ordinal is more often another
# meeting's ("the first summit was held ...") than a dropped date or venue is
NAMED: Final = 2  # no known format: a meeting of a format the text names anyway ranks this much higher
WEAK_ORDINAL: Final = 0.5
WEAK_DATE_VENUE: Final = 0.75
# when a name carries several kind words, the first of these wins ("القمة التشاورية الطارئة")
_KIND_ORDER: Final = (
    "extraordinary",
    "informal",
    "heads-of-government",
    "economic",
    "coordination",
    "consultative",
)


@dataclass(frozen=True, slots=True)
class Readings:
    """What the readers found for the ordinal, the first day and the venue before the decisions kept or
    dropped them (handlers/fields.py `note_readings`): weaker evidence, weighed against the calendar only
    where the event's own field is null, never published as a fact and never used by the fallback rule."""

    ordinal: int | None = None
    start_date: str | None = None  # YYYY-MM-DD or YYYY-MM
    city: str | None = None  # English exonym
    country: str | None = None
    formats: frozenset[str] = frozenset()  # the format keys the text names anywhere (summit or body)


@dataclass(frozen=True, slots=True)
class Facts:
    """What one report says about the meeting it is about."""

    fmt: str | None
    kinds: frozenset[str]  # kind words in the summit's name
    ordinal: int | None
    start: date | None
    start_month_only: bool
    city: str | None
    country: str | None
    published: date | None
    status: str
    article_id: str
    members: frozenset[str] = frozenset()  # the format's usual member states
    place: str = ""  # the city as compared (`place_key`)
    weak: Facts | None = None  # the dropped readings (`Readings`), in the same shape: weaker evidence
    named: frozenset[str] = frozenset()  # the formats the text names (`Readings.formats`)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The meeting a report is about: its id, the calendar's meeting when known, and the rule that decided."""

    summit_id: str
    meeting: Meeting | None
    rule: str  # calendar | ordinal | month | venue | article


def identify(event: RegionalSummit, calendar: Calendar, readings: Readings | None = None) -> RegionalSummit:
    """`event` with its `summit_id` (and the calendar's meeting, when it is one) filled in."""
    found = resolve(facts_of(event, calendar, readings), calendar)
    meeting = meeting_model(found.meeting) if found.meeting is not None else None
    return event.model_copy(update={"summit_id": found.summit_id, "meeting": meeting})


def facts_of(event: RegionalSummit, calendar: Calendar, readings: Readings | None = None) -> Facts:
    """The facts of `event` that identity reads (and the readers' dropped readings, as weaker ones)."""
    summit = event.summit
    fmt = _format_key(event)
    start, month_only = _date(summit.start_date)
    facts = Facts(
        fmt=fmt,
        kinds=kinds_named(summit.name, event.article.language, calendar),
        ordinal=summit.ordinal,
        start=start,
        start_month_only=month_only,
        city=summit.venue.city if summit.venue else None,
        country=summit.venue.country if summit.venue else None,
        published=_published(event.article.published_at),
        status=summit.status,
        article_id=event.article.id,
        members=calendar.members(fmt) if fmt else frozenset(),
        place=place_key(summit.venue.city) if summit.venue and summit.venue.city else "",
    )
    if readings is None:
        return facts
    return replace(facts, weak=_weak(facts, readings), named=readings.formats)


def _weak(facts: Facts, readings: Readings) -> Facts | None:
    """The readings for the fields the event leaves null, as facts (None when there are none)."""
    start, month_only = _date(readings.start_date) if facts.start is None else (None, False)
    no_venue = facts.city is None and facts.country is None
    weak = replace(
        facts,
        ordinal=readings.ordinal if facts.ordinal is None else None,
        start=start,
        start_month_only=month_only,
        city=readings.city if no_venue else None,
        country=readings.country if no_venue else None,
        place=place_key(readings.city) if no_venue and readings.city else "",
    )
    found = weak.ordinal is not None or weak.start is not None or weak.city or weak.country
    return weak if found else None


def _format_key(event: RegionalSummit) -> str | None:
    key = event.summit_key.split(":", 1)[0]
    return None if key in ("", UNKNOWN_FORMAT) else key


def kinds_named(name: str, language: str | None, calendar: Calendar) -> frozenset[str]:
    """The kinds of meeting whose words the summit's name (as written) contains."""
    text = normalise(name)
    langs = (language,) if language in ("ar", "en", "ru") else ("ar", "en", "ru")
    return frozenset(
        kind
        for kind, per_lang in calendar.kind_words.items()
        if any(word in text for lang in langs for word in per_lang.get(lang, ()))
    )


def resolve(facts: Facts, calendar: Calendar) -> Resolution:
    """The meeting `facts` describe: a calendar meeting when one stands out, else the fallback rule."""
    if facts.fmt is None:
        found = _best(_any_format(calendar.meetings, facts), facts, None, ACCEPT_ANY_FORMAT)
        return Resolution(found.id, found, "any-format") if found else _without_format(facts)
    kind = _kind(facts, calendar)
    found = _best(_eligible(calendar.candidates(facts.fmt), facts.fmt, kind), facts, kind, ACCEPT)
    if found is not None:
        return Resolution(found.id, found, "calendar")
    # none of its format's meetings fits: the format may be misread ("ООН" in a report of a summit in
    # Doha); a meeting of another format the text names, in its city at its time, is taken instead
    unformatted = _unformatted(facts)
    others = _any_format(_of_formats(calendar, facts.named - {facts.fmt}), unformatted)
    found = _best(others, unformatted, None, ACCEPT_ANY_FORMAT)
    return Resolution(found.id, found, "named-format") if found else _fallback(facts, kind, calendar)


def _unformatted(facts: Facts) -> Facts:
    """`facts` as a report of no known format (its ordinal, members and kind words are its format's)."""
    weak = replace(facts.weak, fmt=None, members=frozenset()) if facts.weak else None
    return replace(facts, fmt=None, members=frozenset(), kinds=frozenset(), weak=weak)


def _of_formats(calendar: Calendar, formats: frozenset[str]) -> list[Meeting]:
    """The meetings of these formats (and the joint meetings they take part in), each once."""
    seen: dict[str, Meeting] = {}
    for fmt in sorted(formats):
        for meeting in calendar.candidates(fmt):
            seen.setdefault(meeting.id, meeting)
    return list(seen.values())


def _best(eligible: Sequence[Meeting], facts: Facts, kind: str | None, accept: int) -> Meeting | None:
    """The meeting scoring at least `accept` and MARGIN above any other (None when none stands out)."""
    ranked = sorted(
        ((score(m, facts, kind, eligible), _usual(m, facts, kind), m) for m in eligible),
        key=lambda item: (-(item[0] + item[1]), item[2].id),
    )
    if not ranked:
        return None
    evidence, usual, best = ranked[0]
    runner_up = ranked[1][0] + ranked[1][1] if len(ranked) > 1 else None
    if evidence >= accept and (runner_up is None or evidence + usual - runner_up >= MARGIN):
        return best
    return None


def _any_format(meetings: Sequence[Meeting], facts: Facts) -> list[Meeting]:
    """For a report naming no known format: the meetings of any format held in the city it names (stated,
    else read) or numbered by the ordinal it states, at the time it says (its date or its publication day
    fits the meeting's); a stated ordinal that is not the meeting's rules it out (a numbered meeting of
    another body held there that day)."""
    place = facts.place or (facts.weak.place if facts.weak else "")
    ordinal = facts.ordinal
    return [
        m
        for m in meetings
        if (ordinal is None or ordinal in m.ordinals)
        and ((place and m.place == place) or ordinal is not None)
        and _at_its_time(m, facts)
    ]


def _at_its_time(meeting: Meeting, facts: Facts) -> bool:
    """Whether the report's date (stated, else read) or its publication day fits the meeting's days."""
    dated = facts if facts.start is not None else facts.weak
    return (dated is not None and _date_score(meeting, dated) > 0) or _publication_score(meeting, facts) > 0


def _kind(facts: Facts, calendar: Calendar) -> str | None:
    """The kind the name says, when the format holds meetings of that kind (else None: unmarked)."""
    held = calendar.kinds_of(facts.fmt or "")
    return next((k for k in _KIND_ORDER if k in facts.kinds and k in held), None)


def _eligible(meetings: tuple[Meeting, ...], fmt: str, kind: str | None) -> list[Meeting]:
    """A name that says its kind rules out the format's own meetings of other kinds."""
    return [m for m in meetings if kind is None or m.format != fmt or m.kind == kind]


def score(meeting: Meeting, facts: Facts, kind: str | None, rivals: Sequence[Meeting]) -> int:
    """How well `facts` fit `meeting` (see the module docstring for the weights)."""
    stated = (
        _ordinal_score(meeting, facts, kind)
        + _date_score(meeting, facts)
        + _venue_score(meeting, facts, rivals)
        + _publication_score(meeting, facts)
        + _named_score(meeting, facts)
    )
    weak = facts.weak
    if weak is None:
        return stated
    return (
        stated
        + _weaker(_ordinal_score(meeting, weak, kind), WEAK_ORDINAL)
        + _weaker(_date_score(meeting, weak) + _venue_score(meeting, weak, rivals), WEAK_DATE_VENUE)
    )


def _named_score(meeting: Meeting, facts: Facts) -> int:
    """A report of no known format: +NAMED for a meeting of a format (or joint meeting) its text names."""
    if facts.fmt is not None or not facts.named:
        return 0
    return NAMED if meeting.format in facts.named or not facts.named.isdisjoint(meeting.also) else 0


def _weaker(points: int, share: float) -> int:
    """What a dropped reading counts: `share` of what it would count stated (rounded towards 0)."""
    return int(points * share)


def _usual(meeting: Meeting, facts: Facts, kind: str | None) -> int:
    """+1 for a regular meeting when the name says no kind: it ranks, it never decides on its own."""
    return 1 if kind is None and meeting.format == facts.fmt and meeting.kind == REGULAR else 0


def _ordinal_score(meeting: Meeting, facts: Facts, kind: str | None) -> int:
    # ordinals are the format's own, counted per kind: an unmarked name counts regular meetings
    if facts.fmt is None and facts.ordinal is not None:  # no known format: only its own meetings are here
        return 4 if facts.ordinal in meeting.ordinals else 0
    if facts.ordinal is None or meeting.format != facts.fmt or not meeting.ordinals:
        return 0
    if meeting.kind != (kind or REGULAR):
        return 0
    return 4 if facts.ordinal in meeting.ordinals else -3


def _date_score(meeting: Meeting, facts: Facts) -> int:
    if facts.start is None:
        return 0
    if meeting.month_only or facts.start_month_only:
        month = (facts.start.year, facts.start.month)
        inside = (meeting.start.year, meeting.start.month) <= month <= (meeting.end.year, meeting.end.month)
        apart = abs(_months(facts.start) - _months(meeting.start))
        result = 2 if inside else (0 if apart <= 1 else -2)
    else:
        gap = _gap(facts.start, meeting.start, meeting.end)
        result = 4 if gap <= 2 else 1 if gap <= 10 else 0 if gap <= 45 else -3
    return max(result, 0) if meeting.postponed else result


def _venue_score(meeting: Meeting, facts: Facts, rivals: Sequence[Meeting]) -> int:
    if facts.country is None and facts.city is None:
        return 0
    if facts.place and facts.place == meeting.place:
        return 2 + (1 if _only_meeting_in(rivals, meeting) else 0)
    if meeting.online:  # a venue named for a meeting held online neither confirms nor denies it much
        return 1 if facts.country is not None and facts.country == meeting.country else 0
    if facts.country is not None and meeting.country is not None:
        members = facts.members
        if facts.country != meeting.country and members and facts.country not in members:
            return 0  # a venue outside the format's states: more likely misread than a meeting there
        result = 1 if facts.country == meeting.country else -2
        return max(result, 0) if meeting.postponed else result
    return 0


def _only_meeting_in(rivals: Sequence[Meeting], meeting: Meeting) -> bool:
    """Whether `meeting` is the only one of its format and kind held in its city, among `rivals`."""
    return not any(
        other is not meeting
        and other.place == meeting.place
        and other.format == meeting.format
        and other.kind == meeting.kind
        for other in rivals
    )


def _publication_score(meeting: Meeting, facts: Facts) -> int:
    published = facts.published
    if published is None:
        return 0
    start, end = meeting.start, meeting.end
    if facts.status == "upcoming":
        ahead = (start - published).days
        result = (
            3
            if -1 <= ahead <= 7
            else 2
            if 7 < ahead <= 60
            else 1
            if 60 < ahead <= 400
            else -2
            if ahead < -3
            else 0
        )
    elif facts.status == "ongoing":
        gap = _gap(published, start, end)
        result = 3 if gap <= 1 else 1 if gap <= 7 else -2
    else:
        since = (published - end).days
        result = (
            3
            if -1 <= since <= 3
            else 2
            if 3 < since <= 60
            else 1
            if 60 < since <= 400
            else -2
            if published < start - _DAY * 2
            else 0
        )
    return max(result, 0) if meeting.postponed else result


_DAY: Final = timedelta(days=1)


def _gap(day: date, start: date, end: date) -> int:
    """Days from `day` to the span start..end (0 inside it)."""
    if start <= day <= end:
        return 0
    return (start - day).days if day < start else (day - end).days


def _months(day: date) -> int:
    return day.year * 12 + day.month


def _fallback(facts: Facts, kind: str | None, calendar: Calendar) -> Resolution:
    fmt = facts.fmt or UNKNOWN_FORMAT
    tilde = f"{fmt}:{kind}~" if kind else f"{fmt}:~"
    numbered = calendar.numbered(fmt)
    if (
        facts.ordinal is not None
        and numbered
        and not _known_ordinal(calendar, fmt, kind or REGULAR, facts.ordinal)
    ):
        return Resolution(meeting_id(fmt, kind or REGULAR, facts.ordinal, ""), None, "ordinal")
    if facts.start is not None:  # with the venue state when stated: one month, two meetings in two states
        where = f"{facts.country}-" if facts.country else ""
        return Resolution(f"{tilde}{where}{facts.start.isoformat()[:7]}", None, "month")
    if facts.country is not None and facts.published is not None:
        return Resolution(f"{tilde}{facts.country}-{facts.published.isoformat()[:7]}", None, "venue")
    return Resolution(f"{fmt}:article-{_digest(facts.article_id)}", None, "article")


def _known_ordinal(calendar: Calendar, fmt: str, kind: str, ordinal: int) -> bool:
    """Whether the calendar has the meeting of this ordinal (then its id is taken, by that meeting)."""
    return any(m.format == fmt and m.kind == kind and ordinal in m.ordinals for m in calendar.candidates(fmt))


def _without_format(facts: Facts) -> Resolution:
    """No format: only a stated day and venue state join reports; else the report stands alone."""
    if facts.start is not None and not facts.start_month_only and facts.country is not None:
        return Resolution(f"{UNKNOWN_FORMAT}:~{facts.start.isoformat()}-{facts.country}", None, "month")
    return Resolution(f"{UNKNOWN_FORMAT}:article-{_digest(facts.article_id)}", None, "article")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _date(text: str | None) -> tuple[date | None, bool]:
    if not text:
        return None, False
    try:
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1), True
        return date.fromisoformat(text[:10]), False
    except ValueError:
        return None, False


def _published(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return (
            datetime.fromisoformat(text.replace("z", "Z")).date()
            if len(text) > 10
            else date.fromisoformat(text)
        )
    except ValueError:
        return None


def meeting_model(meeting: Meeting) -> MeetingModel:
    """The wire form of a calendar meeting."""
    venue = None
    if meeting.city is not None or meeting.country is not None:
        venue = Venue(city=meeting.city, country=meeting.country)
    return MeetingModel(
        id=meeting.id,
        format=meeting.format,
        kind=meeting.kind,
        ordinal=meeting.ordinals[0] if meeting.ordinals else None,
        start_date=meeting.start_text,
        end_date=meeting.end_text,
        venue=venue,
        host=meeting.host,
        online=meeting.online,
    )
