"""Step 3: the summit's fields (name, ordinal, dates, venue, chair, status), read from sentences about it."""

from __future__ import annotations

import bisect
import math
import re
import tomllib
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files

from handlers.cues import CueHit
from handlers.dates import DateMention, find_dates
from handlers.doc import (
    Anchor,
    Doc,
    Resources,
    belongs_to_other_anchor,
    lead_sentences,
    names_next_meeting,
    ordinal_before,
    ordinal_filler,
    ordinal_span,
    same_summit_anchors,
    sentence_of,
    since_after,
    states,
    token_starts,
)
from handlers.documents import find_documents
from handlers.entities import CityRef, CountryRef, Span
from handlers.identity import Readings
from handlers.knowledge import City, Leader
from handlers.limits import MAX_VENUE_CANDIDATES
from handlers.match import strip_article
from handlers.meetings import Calendar
from handlers.ordinals import (
    OrdinalMention,
    alternation,
    calendar_words,
    is_count_context,
    number_after_name,
    ordinal_after,
)
from handlers.people import find_people
from handlers.text import normalise


def extract(doc: Doc, res: Resources) -> Doc | None:
    """Read the candidate values of the summit's fields from the text around the chosen summit."""
    assert doc.main is not None
    doc.name_span = _name_span(doc)
    doc.date = _date(doc) or _opening_day(doc)
    # "The first summit ... was held in New York in September 2023": a sentence saying a meeting was held
    # months before this one is about that meeting, for every field read from here on
    doc.excluded_sentences |= {
        a.sentence for a in doc.anchors if a.sentence != doc.main.sentence and _dated_apart(doc, a.sentence)
    }
    doc.ordinal = _ordinal(doc)
    _venue(doc, res)
    find_people(doc, res)
    doc.documents = find_documents(doc, res)
    return doc


def read_chair(doc: Doc, res: Resources) -> Doc:
    """The chair's candidates (`chair_pointers`): read once the summit decision has kept the article, as
    only the chair's decision weighs them."""
    doc.chair_pointers = chair_pointers(doc)
    return doc


def note_readings(doc: Doc, res: Resources) -> Doc:
    """Keep what the readers found for the ordinal, date and venue before the decisions weigh them: identity
    may weigh a dropped one against the calendar (never as a field of the event)."""
    doc.readings = Readings(
        ordinal=doc.ordinal.value if doc.ordinal else None,
        start_date=doc.date.start_date if doc.date else None,
        city=doc.venue_city.city.name_en if doc.venue_city else None,
        country=doc.venue_country,
        formats=frozenset(ref.fmt.key for ref in doc.found.formats),
    )
    return doc


DateCandidate = tuple[DateMention, dict[str, float]]


def date_candidates(doc: Doc) -> list[DateCandidate]:
    """Every date of the text that may be the summit's first day, with what stands around it; the
    opening day of a summit said to open with no date written, and the first day of one said to close
    on a date after lasting two or three days. `decide` picks one, or none."""
    main = doc.main
    assert main is not None
    mentions = _all_dates(doc)
    summit_sentences = {a.sentence for a in same_summit_anchors(doc)}
    referenced = [a for a in doc.anchors if a.referenced or a.sentence in doc.excluded_sentences]
    lead = lead_sentences(doc)
    opening, closing = _dates_after(doc, mentions, "opening"), _dates_after(doc, mentions, "closing")
    upcoming, held = _dates_after(doc, mentions, "upcoming"), _dates_after(doc, mentions, "held")
    starts = token_starts(doc)
    closing_words, ongoing_words = status_cues(doc, "closing"), status_cues(doc, "ongoing")
    opening_words = doc.cues.get("opening", [])
    main_dated = float(any(sentence_of(doc, m.start) == main.sentence for m in mentions))
    travel, postponed, photo = (doc.cues.get(c, []) for c in ("travel", "postponed", "photo"))
    planned = doc.cues.get("planned", [])
    said = doc.cues.get("said", [])
    postponed_sentences = {doc.tok_sentence[h.first_token] for h in postponed}
    out: list[DateCandidate] = []
    for k, mention in enumerate(mentions):
        # "the summit set for 5 May was postponed", "it was to be held on 5 May": not the day it opens
        if _near_cue(doc, mention, postponed, before=False) or (
            postponed and _near_cue(doc, mention, planned, before=True)
        ):
            continue
        # the day of a statement ("said on Friday", "on Thursday asserted"), not of the summit
        if _said_day(doc, mention, said):
            continue
        sentence = sentence_of(doc, mention.start)
        signals = {
            "order": float(k),
            "main_sentence": float(sentence == main.sentence),
            "summit_sentence": float(sentence in summit_sentences),
            "lead": float(sentence in lead),
            "headline": float(sentence == 0),
            "excluded": float(sentence in doc.excluded_sentences),
            "other_meeting": float(_belongs_to_referenced(mention, referenced, sentence)),
            "dateline": float(_in_dateline(doc, mention)),
            "until": float(_ends_something(doc, mention)),
            "after_shift": float(_after_shift(doc, bisect.bisect_left(starts, mention.start))),
            "after_opening": float(mention in opening),
            "after_closing": float(mention in closing),
            "after_upcoming": float(mention in upcoming),
            "after_held": float(mention in held),
            # the tenses the status reader reads: "drew to a close on Wednesday", "kicks off today"
            "after_closing_words": float(_near_cue(doc, mention, closing_words, before=True)),
            "after_ongoing_words": float(_near_cue(doc, mention, ongoing_words, before=True)),
            # "on Wednesday ... the two-day meeting ended", "on October 22, the summit opened"
            "before_closing_words": float(_near_cue(doc, mention, closing_words, before=False)),
            "before_opening": float(_near_cue(doc, mention, opening_words, before=False)),
            "distance_to_main": math.log1p(abs(mention.start - main.cue.start)),
            "before_main": float(mention.start < main.cue.start),
            "nearest_rank": float(
                sum(abs(m.start - main.cue.start) < abs(mention.start - main.cue.start) for m in mentions)
            ),
            # a day someone travels on ("arrived on Sunday to take part"), not the summit's
            "travel": float(
                _near_cue(doc, mention, travel, before=True) or _near_cue(doc, mention, travel, before=False)
            ),
            # the day a postponed meeting was to open
            "postponed_sentence": float(sentence in postponed_sentences),
            "postponed_article": float(bool(postponed)),
            **_line_signals(doc, mention, photo),
        }
        out.append((mention, signals))
        # "closed on Sunday" and "on Sunday the two-day meeting closed": the first day lies before
        if (mention in closing or signals["before_closing_words"]) and len(mention.start_date) == 10:
            back = _back_from_close(doc, mention)
            if back.start_date != mention.start_date:
                out.append((back, {**signals, "derived_from_close": 1.0}))
    opened = _opening_day(doc)
    if opened is not None:
        out.append((opened, {"opening_day": 1.0, "main_sentence": 1.0, "summit_sentence": 1.0}))
    # the same day written more than once, and where: a summit's day is repeated in the sentences about it
    same_day: dict[str, list[DateMention]] = {}
    for m in mentions:
        same_day.setdefault(m.start_date, []).append(m)
    for mention, signals in out:
        twins = [m for m in same_day.get(mention.start_date, []) if m.start != mention.start]
        signals["same_day_elsewhere"] = float(len(twins))
        signals["same_day_in_summit_sentences"] = float(
            sum(sentence_of(doc, m.start) in summit_sentences for m in twins)
        )
        signals["same_day_after_opening"] = float(any(m in opening for m in twins))
        # the reading of `_date` (nearest date to the summit word in its sentences, or one said to open
        # it): the provisional date other readers use, and one signal here
        signals["nearest_reading"] = float(
            doc.date is not None
            and (mention.start, mention.start_date) == (doc.date.start, doc.date.start_date)
        )
        signals.update(_against_publication(doc, mention))
        signals["day"] = float(len(mention.start_date) == 10)
        signals["span"] = float(mention.end_date is not None)
        signals["relative"] = float(mention.relative)
        signals["year_from_hint"] = float(mention.relative and doc.published is None)
        signals["dates"] = float(len(mentions))
        signals["main_dated"] = main_dated
        signals["two_days"] = float(bool(doc.cues.get("two_days")))
        signals["three_days"] = float(bool(doc.cues.get("three_days")))
    return out


_CUE_BEFORE, _CUE_AFTER = 90, 40  # characters between a cue and the date it dates (one sentence)
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d\d(?!\d)")
_MAX_LINE_WORDS = 12.0


def _line_signals(doc: Doc, mention: DateMention, photo: list[CueHit]) -> dict[str, float]:
    """What the date's own line looks like: a page stamp is a short line of a date and a time ("12:04 /
    08.05.2012", "Last updated: ..."); a photo caption ends with the date and a credit."""
    line_start = doc.norm.rfind("\n", 0, mention.start) + 1
    line_end = doc.norm.find("\n", mention.end)
    line_end = len(doc.norm) if line_end < 0 else line_end
    before = len(_LETTERS.findall(doc.norm, line_start, mention.start))
    after = len(_LETTERS.findall(doc.norm, mention.end, line_end))
    return {
        "line_words_before": min(float(before), _MAX_LINE_WORDS),
        "line_words_after": min(float(after), _MAX_LINE_WORDS),
        "line_clock": float(_CLOCK.search(doc.norm, line_start, line_end) is not None),
        "line_photo": float(any(line_start <= h.start < line_end for h in photo)),
    }


# a reporting verb right before the day ("said on Friday") or just after it ("on Thursday asserted"), in
# English and Russian (the lexicon has no Arabic list: there the speaker stands between the verb and the
# day, and a leader's words at the summit are dated by the summit's own day as often as not); with no
# "that" or "and" between (what follows "said that" is what was said, "held it on Friday and declared" the
# summit's day) and no comma or quote ("on Monday, she said"; "will open on 5 May, he said")
_SAID_BEFORE, _SAID_AFTER = 12, 25
_SAID_GAP_WORDS = frozenset({"that", "and", "что", "чтобы", "и"})
_CLAUSE_BREAK = re.compile(r"[,;:\"«»()]")


def _said_day(doc: Doc, mention: DateMention, said: list[CueHit]) -> bool:
    """Whether the date is the day of a statement (a reporting verb just before or after it)."""
    sentence = sentence_of(doc, mention.start)
    for h in said:
        if sentence_of(doc, h.start) != sentence:
            continue
        if 0 <= mention.start - h.end <= _SAID_BEFORE:
            gap = doc.norm[h.end : mention.start]
        elif 0 <= h.start - mention.end <= _SAID_AFTER:
            gap = doc.norm[mention.end : h.start]
        else:
            continue
        if not _SAID_GAP_WORDS.intersection(_LETTERS.findall(gap)) and not _CLAUSE_BREAK.search(gap):
            return True
    return False


def _near_cue(doc: Doc, mention: DateMention, hits: list[CueHit], before: bool) -> bool:
    """Whether a cue of `hits` stands in the date's sentence just before it (`before`), or just after."""
    sentence = sentence_of(doc, mention.start)
    for h in hits:
        gap = mention.start - h.end if before else h.start - mention.end
        if 0 <= gap <= (_CUE_BEFORE if before else _CUE_AFTER) and sentence_of(doc, h.start) == sentence:
            return True
    return False


def _against_publication(doc: Doc, mention: DateMention) -> dict[str, float]:
    if doc.published is None:
        return {"no_publication_date": 1.0}
    days = (_as_day(mention.start_date) - doc.published).days
    return {
        "days_from_publication": math.copysign(math.log1p(abs(days)), days),
        "on_publication_day": float(days == 0 and len(mention.start_date) == 10),
    }


def with_end(doc: Doc, chosen: DateMention) -> DateMention:
    """The chosen first day, with the day a closing word dates within a week after it as the end."""
    if chosen.end_date is not None or len(chosen.start_date) != 10:
        return chosen
    closed = [m for m in _dates_after(doc, _all_dates(doc), "closing") if m.start_date > chosen.start_date]
    if not closed:
        return chosen
    end = min(closed, key=lambda m: m.start_date).start_date
    if len(end) == 10 and (date.fromisoformat(end) - date.fromisoformat(chosen.start_date)).days <= 7:
        return DateMention(chosen.start, chosen.end, chosen.start_date, end, chosen.relative)
    return chosen


def _opening_day(doc: Doc) -> DateMention | None:
    """ "The summit opened" with no date written: it opened on the day the article is dated."""
    assert doc.main is not None
    if doc.published is None:
        return None
    for hit in doc.cues.get("opening", []):
        if doc.tok_sentence[hit.first_token] == doc.main.sentence:
            return DateMention(hit.start, hit.end, doc.published.isoformat(), None, relative=True)
    return None


def days_before_publication(doc: Doc) -> float | None:
    """How long before the article the summit's (last) date lies; None without both dates."""
    if doc.date is None or doc.published is None:
        return None
    last = doc.date.end_date or doc.date.start_date
    return float((doc.published - _as_day(last, month_day=28)).days)


def _name_span(doc: Doc) -> tuple[int, int]:
    main = doc.main
    assert main is not None
    start, end = main.cue.start, main.cue.end
    if main.fmt:
        start, end = min(start, main.fmt.span.start), max(end, main.fmt.span.end)
    else:
        sentence_end = doc.sentences[main.sentence][1]
        last = min(main.cue.last_token + 6, len(doc.toks) - 1)
        while last > main.cue.last_token and doc.toks[last].end > sentence_end:
            last -= 1
        end = max(end, _clause_end(doc, main.cue.last_token, last))
    return start, end


def _clause_end(doc: Doc, first: int, last: int) -> int:
    end = doc.toks[first].end
    for i in range(first + 1, last + 1):
        gap = doc.norm[doc.toks[i - 1].end : doc.toks[i].start]
        if any(ch in gap for ch in ',;:()"-\n'):
            break
        end = doc.toks[i].end
    return end


def _ordinal(doc: Doc) -> OrdinalMention | None:
    """The summit's ordinal: written after or just before a word naming this summit, main one first."""
    for anchor in same_summit_anchors(doc):
        found = _ordinal_at(doc, anchor)
        if found is not None:
            return found
    # none beside a summit word: one a copula says of the summit ("القمة ...، وهي الرابعة")
    return next((mention for mention, _ in _predicative_candidates(doc, set())), None)


_APART_DAYS = 60


def _dated_apart(doc: Doc, sentence: int) -> bool:
    """Whether `sentence` says something was held months before the summit's date, and names no day
    near it: an earlier meeting ("The first summit ... was held in New York in September 2023")."""
    if doc.date is None or len(doc.date.start_date) < 7:
        return False
    if not any(doc.tok_sentence[h.first_token] == sentence for h in doc.cues.get("held", [])):
        return False
    ours = _as_day(doc.date.start_date)
    gaps = [
        (ours - _as_day(m.start_date)).days
        for m in _all_dates(doc)
        if sentence_of(doc, m.start) == sentence and len(m.start_date) >= 7
    ]
    return bool(gaps) and all(gap > _APART_DAYS for gap in gaps)


def _as_day(iso: str, month_day: int = 15) -> date:
    """A date; a month ("2023-09") taken at `month_day` (its middle unless said)."""
    return date.fromisoformat(iso if len(iso) == 10 else f"{iso[:7]}-{month_day:02d}")


_ORDINAL_REACH = 12  # tokens between an ordinal and a word naming the summit in its sentence


def ordinal_candidates(doc: Doc) -> list[tuple[OrdinalMention, int]]:
    """The ordinal read beside the summit word (`doc.ordinal`) first, then every other ordinal of a
    sentence naming the summit within a few words of that name ("the 22nd meeting of the leaders of the
    SCO states", "пятнадцатому саммиту этой организации", "اجتماع الدورة ال41 لمجلس التعاون"), each with
    its token distance to the nearest such word (signed: before it < 0). `decide` keeps one, or none."""
    out: list[tuple[OrdinalMention, int]] = []
    if doc.ordinal is not None:
        out.append((doc.ordinal, 0))
    anchors = [a for a in same_summit_anchors(doc) if a.sentence not in doc.excluded_sentences]
    if not anchors or not doc.ordinals:
        return out
    starts = token_starts(doc)
    taken = {doc.ordinal.start} if doc.ordinal is not None else set()
    for mention in doc.ordinals:
        if mention.start in taken or is_count_context(doc.norm, mention):
            continue
        token = min(bisect.bisect_right(starts, mention.start) - 1, len(doc.toks) - 1)
        sentence = doc.tok_sentence[token]
        gaps = [
            (token - a.cue.last_token if token > a.cue.last_token else token - a.cue.first_token)
            for a in anchors
            if a.sentence == sentence
        ]
        near = [g for g in gaps if abs(g) <= _ORDINAL_REACH]
        if near:
            taken.add(mention.start)
            out.append((mention, min(near, key=abs)))
        elif sentence not in doc.excluded_sentences and _numbers_a_meeting(doc, starts, token, mention):
            # "the 23rd CHG meeting", "الاجتماع الـ22 لزعماء دول ...": a meeting the summit word may not name
            taken.add(mention.start)
            out.append((mention, _NO_SUMMIT_WORD))
    # "وتعد القمة المقبلة هي الخامسة", "شهدت باكو اجتماعا هو الأول بين ...": an ordinal a copula says of the
    # summit (or of a meeting noun in the lead), further from the summit word than the reach above
    for mention, gap in _predicative_candidates(doc, taken):
        taken.add(mention.start)
        out.append((mention, gap))
    # "in preparation for the fifteenth summit of this organisation", "after the documents of the third
    # summit were signed": a summit word the reference cues set aside, of the summit's own format (or none),
    # still numbers this summit more often than not; the rows see it (`referenced_summit_word`)
    for anchor in doc.anchors:
        own = anchor.ordinal
        if not anchor.referenced or own is None or own.start in taken:
            continue
        if anchor.fmt is not None and (doc.fmt is None or anchor.fmt.fmt.key != doc.fmt.key):
            continue
        if names_next_meeting(doc, anchor) or is_count_context(doc.norm, own):
            continue
        taken.add(own.start)
        out.append((own, 0))
    return out


# Arabic predicative ordinals: "وتعد القمة المقبلة هي الخامسة من نوعها", "ويعد اجتماع القمة هذا الخامس",
# "اجتماعا هو الأول بين", "وتعد هذه ثالث قمة ...", "القمة ...، والتي تعتبر الأولى على مستوى القادة", "هذا
# اللقاء الثاني من نوعه", "افتتحت القمة ... ، هي الرابعة بين الدول الثلاث"
_AR_COPULA = r"[وف]?(?:هي|هو|تعد|يعد|تعتبر|يعتبر|ستكون|سيكون)"
_AR_THIS = r"[وف]?(?:هذه|هذا)"
_AR_MEETING = r"[وفبل]?(?:ال)?(?:قمه|اجتماع|اجتماعا|لقاء|لقاءا|دوره)"
_AR_COPULA_BEFORE = re.compile(rf"(?:^|\s)(?:(?:{_AR_COPULA})(?:\s+{_AR_THIS})?|{_AR_THIS})\s+$")
_AR_THIS_MEETING_BEFORE = re.compile(rf"(?:^|\s){_AR_THIS}\s+{_AR_MEETING}\s+$")
# the copula's subject: a meeting noun among the four words before it ("القمة المقبلة هي", "اجتماعا هو",
# "القمة الخليجية الأوروبية، والتي تعتبر"), or the copula opens a clause after a comma ("...، وهي الرابعة")
_AR_MEETING_SUBJECT = re.compile(
    rf"(?:^|\s){_AR_MEETING}(?:\s+[^\s.!?;:،,]+){{0,3}}(?:\s*[،,]\s*[و]?(?:التي|الذي))?\s*$"
)
_AR_CLAUSE_COPULA = re.compile(r"[،,]\s*[و]?(?:هي|هو)\s+$")
_AR_MEETING_AFTER = re.compile(rf"^\s+{_AR_MEETING}(?!\w)")
# not the summit's number: "الأولى من نوعها" (first of its kind), "أول قمة يشارك فيها" (someone's count),
# "أول اجتماع بعد ..." (the first after something; "ثالث قمة بعد قمة ..." counts the ones before)
_AR_SOMEONES_COUNT = re.compile(r"^(?:\s+\S+){0,5}?\s+[يت](?:شارك|حضر)\w*\s+في")
_AR_FIRST_AFTER = re.compile(r"^(?:\s+\S+){0,5}?\s+(?:بعد|عقب)(?!\w)")
_AR_OF_ITS_KIND = re.compile(r"^\s+من\s+نوع(?:ه|ها)(?!\w)")


def _predicative_candidates(doc: Doc, taken: set[int]) -> list[tuple[OrdinalMention, int]]:
    """The predicative ordinals (`predicative`) of a sentence naming the summit, or of the lead with a
    meeting noun as the copula's subject ("شهدت باكو أمس اجتماعا هو الأول بين ..."), not at `taken`, with
    their token gap to the nearest summit word of the sentence (`_NO_SUMMIT_WORD`: none)."""
    if doc.lang != "ar" or not doc.ordinals or doc.main is None:
        return []
    anchors = [a for a in same_summit_anchors(doc) if a.sentence not in doc.excluded_sentences]
    starts = token_starts(doc)
    out = []
    for mention in doc.ordinals:
        if mention.start in taken or not predicative(doc, mention) or is_count_context(doc.norm, mention):
            continue
        token = min(bisect.bisect_right(starts, mention.start) - 1, len(doc.toks) - 1)
        sentence = doc.tok_sentence[token]
        if sentence in doc.excluded_sentences:
            continue
        gaps = [
            (token - a.cue.last_token if token > a.cue.last_token else token - a.cue.first_token)
            for a in anchors
            if a.sentence == sentence
        ]
        subject = sentence in lead_sentences(doc) and _AR_MEETING_SUBJECT.search(
            _before_predicate(doc, mention)
        )
        if gaps or subject:
            out.append((mention, min(gaps, key=abs) if gaps else _NO_SUMMIT_WORD))
    return out


def _before_predicate(doc: Doc, mention: OrdinalMention) -> str:
    """The words before the copula ("هي", "تعد هذه") of a predicative ordinal, back to the clause's start."""
    before = doc.norm[max(0, mention.start - 80) : mention.start]
    found = _AR_COPULA_BEFORE.search(before) or _AR_THIS_MEETING_BEFORE.search(before)
    head = before[: found.start()] if found else before
    cut = max(head.rfind(ch) for ch in ".!?;:\n")
    return head[cut + 1 :]


def predicative(doc: Doc, mention: OrdinalMention) -> bool:
    """An Arabic ordinal that a copula or a demonstrative says of a meeting: "القمة المقبلة هي الخامسة",
    "وتعد هذه ثالث قمة", "هذا اللقاء الثاني من نوعه", "اجتماعا هو الأول", "...، وهي الرابعة" (not "الأولى من
    نوعها", not someone's count, "أول قمة يشارك فيها", not "أول اجتماع بعد"). A word ordinal only; an ordinal
    without the article ("ثالث", "أول") only before a meeting noun ("ثالث قمة", not "ثاني أكبر")."""
    if doc.lang != "ar":
        return False
    written = doc.norm[mention.start : mention.end]
    if any(ch.isdigit() for ch in written):
        return False
    before = doc.norm[max(0, mention.start - 80) : mention.start]
    after = doc.norm[mention.end : mention.end + 60]
    clause_end = _CLAUSE_END.search(after)
    clause = after[: clause_end.start()] if clause_end else after
    if mention.value == 1 and _AR_OF_ITS_KIND.match(after):
        return False
    if _AR_SOMEONES_COUNT.match(clause) or (mention.value == 1 and _AR_FIRST_AFTER.match(clause)):
        return False
    if not written.startswith(("ال", "لل")) and not _AR_MEETING_AFTER.match(after):
        return False
    if _AR_THIS_MEETING_BEFORE.search(before):
        return True
    found = _AR_COPULA_BEFORE.search(before)
    if found is None:
        return False
    if _AR_MEETING_AFTER.match(after) or _AR_CLAUSE_COPULA.search(before):
        return True
    return bool(_AR_MEETING_SUBJECT.search(_before_predicate(doc, mention)))


_NO_SUMMIT_WORD = 99  # `ordinal_candidates`' gap for an ordinal of a meeting noun with no summit word near
_FIRST_SINCE_REACH = 8  # tokens from a "first" to the "since" word that makes it the first after something
# "the fourth in-person summit", "the first ever virtual summit", "первый очный саммит": a count of one kind
# of the series' meetings, not the series' number (a kind word within the three words after the ordinal)
_ONE_KIND = re.compile(
    r"^(?:\s+\S+){0,2}?\s+(?:in[\s-]+person|face[\s-]+to[\s-]+face|offline|virtual|online|حضوري\w*|очн\w+|"
    r"виртуальн\w+)(?!\w)"
)
# "في تمام العاشرة", "الحادية عشرة والنصف", "العاشرة صباحا": a clock time; "أول أمس", "أول من أمس": the day
# before yesterday
_CLOCK_BEFORE = re.compile(r"(?:^|\s)تمام\s+$")
_CLOCK_AFTER = re.compile(r"^\s+(?:صباحا|ظهرا|والنصف|والربع)(?!\w)")
_DAY_BEFORE_YESTERDAY = re.compile(r"^\s+(?:من\s+)?امس(?!\w)")
_CLAUSE_END = re.compile(r"[.!?;:\n,(]|\s-\s")
# "since the first summit in 1977", "منذ القمة الأولى", "с первого саммита": an earlier meeting, counted from
_SINCE_BEFORE = re.compile(
    r"(?:^|\s)(?:since|منذ|после|с\s+момента)\s+(?:the\s+)?(?:(?:ال|لل)?(?:قمه|دوره|اجتماع|لقاء)\s+)?$"
)
# "the first summit under his chairmanship", "первый под руководством нового генсека", "الأولى في عهد":
# the first one under someone's lead, not the series' first (not "the first summit under the dialogue")
_FIRST_UNDER = re.compile(
    r"^(?:\s+[^\s.!?;:,]+){0,2}?\s+(?:under(?:\s+[^\s.!?;:,]+){0,3}?\s+(?:leadership|chairmanship|presidency)|"
    r"под\s+(?:руководством|председательством)|تحت\s+(?:رئاسه|قياده)|في\s+عهد)(?!\w)"
)
# "رئيس القمة الـ20", "رئيسة سابقة للدورة العادية الـ32", "خلال رئاستها للقمة الـ33", "التي ترأست الدورة
# الثانية": the meeting someone chaired, read as another meeting's number when the text numbers this summit
# otherwise
_CHAIR_OF_BEFORE = re.compile(
    r"(?:^|\s)[ولب]?(?:رئيس|رئيسه|رئاستها|رئاسته|راس|راست|تراس|تراست)(?:\s+\S+)?\s+(?:ال|لل|ل)?(?:قمه|دوره|اجتماع)(?:\s+ال\S+يه)?\s+$"
)


def numbers_no_meeting(doc: Doc, mention: OrdinalMention, values: set[int]) -> bool:
    """An ordinal candidate that the text shows is no number of the series' meetings (`values`: the
    candidates' values): a regnal number right after a person's name
    ("الملك محمد السادس"); "the first ... since 2019", "أول قمة ... منذ" (the first after something);
    "الدورة الـ36 المقبلة" (the next meeting's); "the fourth in-person summit" (a count of one kind of the
    series' meetings); "the first ... under" someone; "since the first summit" (an earlier one); "the first
    president" (a person's rank); a clock time or "أول أمس"; "رئيس القمة الـ20" when another candidate
    numbers the summit otherwise (the meeting someone chaired); "the 73rd session of the UN General
    Assembly" in another format's report (a global body's session: `numbers_another_body`). `decide` never
    picks one; its row is still scored (the model learns from every candidate)."""
    span = ordinal_span(doc, mention)
    token, last = span.first_token, span.last_token
    sentence = doc.tok_sentence[token]
    if mention.value > 1 and any(
        p.span.first_token < token <= p.span.last_token + 1
        and not doc.norm[p.span.end : mention.start].strip()
        for p in doc.found.people
    ):
        return True
    if mention.value == 1 and any(
        0 < h.first_token - last <= _FIRST_SINCE_REACH and doc.tok_sentence[h.first_token] == sentence
        for h in doc.cues.get("since", [])
    ):
        return True
    if any(h.first_token == last + 1 for h in doc.cues.get("next_after", [])):
        return True
    after = doc.norm[mention.end : mention.end + 40]
    if _CLOCK_BEFORE.search(doc.norm[max(0, mention.start - 8) : mention.start]) or _CLOCK_AFTER.match(after):
        return True
    if mention.value == 1 and _DAY_BEFORE_YESTERDAY.match(after):
        return True
    if mention.value == 1 and _FIRST_UNDER.match(after):
        return True
    if _SINCE_BEFORE.search(doc.norm[max(0, mention.start - 30) : mention.start]):
        return True
    if _ranks_a_person(doc, mention, last):
        return True
    if _CHAIR_OF_BEFORE.search(doc.norm[max(0, mention.start - 50) : mention.start]) and values - {
        mention.value
    }:
        return True
    if numbers_another_body(doc, mention):
        return True
    clause_end = _CLAUSE_END.search(after)
    return bool(_ONE_KIND.match(after[: clause_end.start()] if clause_end else after))


_BODY_AFTER = 6  # tokens from an ordinal to the name of the body whose session it numbers


def numbers_another_body(doc: Doc, mention: OrdinalMention) -> bool:
    """ "the 73rd session of the UN General Assembly", "الدورة الـ79 للجمعية العامة", "the 21st Conference
    of the Parties": the ordinal numbers a session of a global body (a format of global scope) other than
    the summit's own, named right after it in its sentence, with the summit's own format not named there."""
    span = ordinal_span(doc, mention)
    sentence = doc.tok_sentence[span.first_token]
    own = doc.fmt.key if doc.fmt is not None else None
    after = [
        f
        for f in doc.found.formats
        if 0 < f.span.first_token - span.last_token <= _BODY_AFTER
        and doc.tok_sentence[f.span.first_token] == sentence
    ]
    return any(f.fmt.scope == "global" and f.fmt.key != own for f in after) and not any(
        f.fmt.key == own for f in after
    )


def _ranks_a_person(doc: Doc, mention: OrdinalMention, last: int) -> bool:
    """ "the first president of the republic", "первый президент", "أول رئيس": a title right after the
    ordinal, which ranks a person (not in Arabic after an ordinal with the article: "الخامسة لرؤساء الدول"
    is the meeting's)."""
    if doc.lang == "ar" and doc.norm.startswith(("ال", "لل"), mention.start):
        return False
    return any(t.span.first_token == last + 1 for t in doc.found.titles)


def _numbers_a_meeting(doc: Doc, starts: list[int], token: int, mention: OrdinalMention) -> bool:
    """A meeting noun right after the ordinal (or, in Arabic, right before it), up to two words apart
    (`starts`: the tokens' start offsets; `token`: the ordinal's first token)."""
    last = bisect.bisect_left(starts, mention.end) - 1
    for hit in doc.cues.get("meeting_noun", []):
        if doc.lang == "ar":
            if 0 < token - hit.last_token <= 1:
                return True
        elif 0 < hit.first_token - last <= 3:
            return True
    return False


def _ordinal_at(doc: Doc, anchor: Anchor) -> OrdinalMention | None:
    if anchor.ordinal is not None:
        return anchor.ordinal
    first = min(anchor.cue.first_token, anchor.fmt.span.first_token) if anchor.fmt else anchor.cue.first_token
    before = ordinal_before(doc, first)
    if before is not None:
        return before
    # "TICAD 8", "تيكاد 8": a number after the format's name that numbers one of its known meetings
    if anchor.fmt is not None:
        glued = number_after_name(doc.norm, anchor.fmt.span.end)
        known = Calendar.load().candidates(anchor.fmt.fmt.key)
        if glued is not None and any(glued.value in m.ordinals for m in known):
            return glued
    # "القمة العربية التنموية ... في دورتها الرابعة": "its Nth session" later in the summit's sentence
    for hit in doc.cues.get("session_of", []):
        if doc.tok_sentence[hit.first_token] == anchor.sentence and 0 < hit.first_token - first <= 12:
            found = ordinal_after(doc.norm, doc.lang, hit.end, window=20)
            if found is not None:
                return found
    # "first", "inaugural" right before the summit word, or with only filler between ("the inaugural
    # heads-of-state summit")
    filler = ordinal_filler(doc)
    for hit in doc.cues.get("first_word", []):
        adjacent = hit.last_token < first and all(i in filler for i in range(hit.last_token + 1, first))
        if adjacent and not since_after(doc, first):
            return OrdinalMention(hit.start, hit.end, 1)
    return None


def _date(doc: Doc) -> DateMention | None:
    """The provisional reading of the summit's date (what the other readers date things by, e.g. who
    held an office that day, and one signal of `date_candidates`; `decide` picks the event's date):
    one said to open it, else the one nearest the summit word in its sentences.

    A date said to close it ("concluded today") becomes the end when it falls after the start.
    """
    main = doc.main
    assert main is not None
    candidates = _date_candidates(doc)
    if not candidates:
        return None
    # a date said to open it, or written after the summit's future verb ("ستعقد ... في الفترة من 31 أغسطس"),
    # not the day a ministry announced it ("أعلنت الوزارة اليوم أن القمة ستعقد ...")
    opened = _dates_after(doc, candidates, "opening") or _future_dates_in_main(doc, candidates)
    chosen = min(opened or candidates, key=lambda m: _date_distance(doc, m))
    if not opened and chosen in _dates_after(doc, candidates, "closing"):
        return _back_from_close(doc, chosen)
    if not opened and chosen.end_date is None:
        # "held ... on Friday" and "the summit from Thursday to Friday": the day is part of the span
        spans = [m for m in candidates if m.end_date and m.start_date <= chosen.start_date <= m.end_date]
        if spans:
            return min(spans, key=lambda m: _date_distance(doc, m))
    closed = [m for m in _dates_after(doc, candidates, "closing") if m.start_date > chosen.start_date]
    if closed and chosen.end_date is None and len(chosen.start_date) == 10:
        end = min(closed, key=lambda m: m.start_date).start_date
        if len(end) == 10 and (date.fromisoformat(end) - date.fromisoformat(chosen.start_date)).days <= 7:
            chosen = DateMention(chosen.start, chosen.end, chosen.start_date, end, chosen.relative)
    return chosen


def _future_dates_in_main(doc: Doc, candidates: list[DateMention]) -> list[DateMention]:
    """Dates after an "upcoming" verb that follows a word naming the summit in its sentence, when that
    sentence also has an earlier, relative date: the day of the announcement ("أعلنت الوزارة اليوم أن قمة
    ... ستعقد ... في الفترة من 31 أغسطس")."""
    after_verb = _dates_after(doc, candidates, "upcoming")
    found: list[DateMention] = []
    for anchor in same_summit_anchors(doc):
        verbs = [
            h
            for h in doc.cues.get("upcoming", [])
            if h.start > anchor.cue.start and doc.tok_sentence[h.first_token] == anchor.sentence
        ]
        if not verbs or not any(
            m.relative and m.start < anchor.cue.start and sentence_of(doc, m.start) == anchor.sentence
            for m in candidates
        ):
            continue
        found += [m for m in after_verb if m.start > anchor.cue.start]
    return list(dict.fromkeys(found))


def _back_from_close(doc: Doc, closed: DateMention) -> DateMention:
    """ "wrapped up their two-day summit on Sunday": the summit began a day before that Sunday."""
    days = 3 if doc.cues.get("three_days") else 2 if doc.cues.get("two_days") else 1
    if days == 1 or len(closed.start_date) != 10:
        return closed
    last = date.fromisoformat(closed.start_date)
    first = last - timedelta(days=days - 1)
    return DateMention(closed.start, closed.end, first.isoformat(), last.isoformat(), closed.relative)


def _date_candidates(doc: Doc) -> list[DateMention]:
    """Dates in sentences that name the summit, not belonging to another meeting or event."""
    referenced = [a for a in doc.anchors if a.referenced or a.sentence in doc.excluded_sentences]
    allowed = {a.sentence for a in doc.anchors if not a.referenced} - doc.excluded_sentences
    # "The meeting opened on Sunday, July 6": a lead sentence dating the opening or the close
    hits = doc.cues.get("opening", []) + doc.cues.get("closing", [])
    marked = {doc.tok_sentence[h.first_token] for h in hits}
    allowed |= (marked & lead_sentences(doc)) - doc.excluded_sentences
    starts = token_starts(doc)
    found = []
    for mention in _all_dates(doc):
        sentence = sentence_of(doc, mention.start)
        if sentence not in allowed or _belongs_to_referenced(mention, referenced, sentence):
            continue
        if _in_dateline(doc, mention) or _ends_something(doc, mention):
            continue
        if not _after_shift(doc, bisect.bisect_left(starts, mention.start)):
            found.append(mention)
    return found


@lru_cache(maxsize=4)
def _until_re(lang: str) -> re.Pattern[str] | None:
    words = calendar_words("until", lang) if lang in ("ar", "en", "ru") else ()
    return re.compile(rf"(?<!\w)(?:{alternation(words)})\s+$") if words else None


def _ends_something(doc: Doc, mention: DateMention) -> bool:
    """ "which run until Tuesday", "до 5 ноября", "حتى الخميس": a date where something ends."""
    until = _until_re(doc.lang)
    return until is not None and until.search(doc.norm, max(0, mention.start - 16), mention.start) is not None


_DATELINE_PREFIX = 40


def _in_dateline(doc: Doc, mention: DateMention) -> bool:
    """ "BEIJING, May 19, 2023 /PRNewswire/ —", "ЙОХАННЕСБУРГ, 22 ноября. /ТАСС/.", "بكين 22 أغسطس 2025
    (شينخوا)": the date a report was filed, written after a place (one to three words) that opens a line,
    with a comma after the place or the agency's name right after the date."""
    line_start = doc.norm.rfind("\n", 0, mention.start) + 1
    prefix = doc.norm[line_start : mention.start].rstrip()
    if not prefix or len(prefix) > _DATELINE_PREFIX or any(ch.isdigit() for ch in prefix):
        return False
    agency_after = doc.norm[mention.end : mention.end + 3].lstrip()[:1] in ("(", "/")
    if not (prefix.endswith(",") or agency_after):
        return False
    return 1 <= len(prefix.rstrip(",").split()) <= 3


def _date_distance(doc: Doc, mention: DateMention) -> int:
    assert doc.main is not None
    same = sentence_of(doc, mention.start) == doc.main.sentence
    return abs(mention.start - doc.main.cue.start) + (0 if same else 2000)


def _dates_after(doc: Doc, mentions: list[DateMention], cue: str) -> list[DateMention]:
    """Dates written within a few words after an opening (or closing) word, in the same sentence."""
    hits = doc.cues.get(cue, [])

    def follows(m: DateMention, h: CueHit) -> bool:
        return 0 <= m.start - h.end <= 90 and sentence_of(doc, h.start) == sentence_of(doc, m.start)

    return [m for m in mentions if any(follows(m, h) for h in hits)]


def _belongs_to_referenced(mention: DateMention, referenced: list[Anchor], sentence: int) -> bool:
    before = [a for a in referenced if a.sentence == sentence and a.cue.end <= mention.start]
    return bool(before) and mention.start - before[-1].cue.end < 120


def _venue(doc: Doc, res: Resources) -> None:
    """The city (or state) the summit is held in: nearest to the summit word, in its sentence or the lead.
    A summit the lead says met by video has none, unless its own sentence names the city it met in (a
    hybrid summit: "саммит ОДКБ в Душанбе", one leader by video)."""
    main = doc.main
    assert main is not None
    summit_sentences = [a.sentence for a in same_summit_anchors(doc)]
    ordered = list(dict.fromkeys([main.sentence, *sorted(lead_sentences(doc)), *summit_sentences]))
    if _met_by_video(doc):
        # a hybrid summit names the city it met in where the text names the summit ("opened a two-day
        # summit in Rio de Janeiro on Sunday, ... Putin taking part by video link")
        lead = lead_sentences(doc)
        ordered = [main.sentence, *sorted({s for s in summit_sentences if s in lead} - {main.sentence})]
    named = _country_after_name(doc)
    # "heads of state will meet for an AU summit in Niger": the summit's own sentence places it in a state,
    # and a city of another state read elsewhere (a caption's "the headquarters in the Ethiopian capital")
    # is not its venue
    in_main = named is not None and doc.tok_sentence[named.span.first_token] == main.sentence
    pinned = named if in_main else None
    for sentence in (s for s in ordered if s not in doc.excluded_sentences):
        candidates = _capital_venues(doc, res, sentence) + _city_venues(doc, sentence)
        if pinned is not None:
            spot = (pinned.span.start, pinned.span.end)
            candidates = [c for c in candidates if c[1].country == pinned.code or c[2] == spot]
        if candidates:
            _, city, span = min(candidates, key=lambda c: c[0])
            doc.venue_city = CityRef(city, Span(span[0], span[1], 0, 0))
            doc.venue_country = city.country
            doc.venue_span = span
            return
    if _met_by_video(doc):
        return
    here = _dateline_here(doc, ordered)
    if here is not None:  # "TASHKENT, Nov 22 -- ... will be held here on Nov 29": the dateline's city
        doc.venue_city, doc.venue_country = here, here.city.country
        doc.venue_span = (here.span.start, here.span.end)
        return
    homograph = _city_of_a_member(doc, named.span) if named else None
    if homograph is not None:  # "قمة ثلاثية أردنية مصرية عراقية في عمّان": Amman, not Oman
        doc.venue_city, doc.venue_country = homograph, homograph.city.country
        doc.venue_span = (homograph.span.start, homograph.span.end)
        return
    place = (named.code, named.span) if named else None
    place = place or _host_state(doc, ordered) or _state_named_place(doc, ordered)
    if place is not None:
        doc.venue_country, doc.venue_span = place[0], (place[1].start, place[1].end)
        capital = res.kb.capital_of(place[0])
        if capital is not None and _bare_capital_word(doc, ordered):
            doc.venue_city = CityRef(capital, place[1])


VenueCandidate = tuple[str, CityRef | None, tuple[int, int], list[Span], dict[str, float]]
PLACE_WORDS = frozenset(("في", "in", "at", "в", "во", "на"))  # a place word right before a name


def venue_candidates(doc: Doc) -> list[VenueCandidate]:
    """Every place that may be where the summit meets: each city the text names, each state it names,
    and the venue readers' pick (`_venue`: nearest to the summit word in its sentences, a capital word,
    a host state). One candidate per (state, city), with what stands around its mentions; `decide`
    ranks them and keeps the best, or none."""
    main = doc.main
    assert main is not None
    if _summit_by_video(doc):
        return []  # "a virtual summit", "саммит в режиме видеоконференции": a meeting by video has no venue
    summit_sentences = {a.sentence for a in same_summit_anchors(doc)}
    lead = lead_sentences(doc)
    members = set(doc.fmt.members) if doc.fmt is not None else set()
    hosts = doc.cues.get("host", [])
    reading = (doc.venue_country, doc.venue_city.city.name_en if doc.venue_city else None)
    places: dict[tuple[str, str | None], list[tuple[Span, CityRef | None, bool]]] = {}
    for ref in doc.found.cities:
        if inside_a_name(doc, ref.span) or told_reporters_in(doc, ref.span) or written_as_its_state(doc, ref):
            # "مطار العلا", "the Funafuti Declaration": not said to be where anything meets;
            # "told reporters in Moscow": where they were told it;
            # "في الجزائر", "в Алжире": the state (its own mention), the city unsaid
            continue
        places.setdefault((ref.city.country, ref.city.name_en), []).append(
            (ref.span, ref, _is_dateline(doc, ref))
        )
    for named in doc.found.countries:
        places.setdefault((named.code, None), []).append((named.span, None, False))
    out: list[VenueCandidate] = []
    if doc.venue_country is not None and doc.venue_span is not None:
        # the readers' pick, with the mention they read it from as its evidence
        out.append((doc.venue_country, doc.venue_city, doc.venue_span, [], {}))
    # a place named only inside a format's name ("the Shanghai Cooperation Organisation", "the Russia-Africa
    # summit") is not said to be where anything meets
    in_names = {i for f in doc.found.formats for i in range(f.span.first_token, f.span.last_token + 1)}
    keys = sorted(places, key=lambda k: min(m[0].start for m in places[k]))
    keys = [k for k in keys if k != reading and not all(m[0].first_token in in_names for m in places[k])]
    # a state named only in its leaders' titles ("Президента Узбекистана Шавката Мирзиеева", "Russian
    # President Vladimir Putin") says whose leader, not where the summit meets, unless a city of it is named
    with_city = {country for country, name in keys if name is not None}
    if reading[0] is not None and reading[1] is not None:
        with_city.add(reading[0])
    keys = [
        k
        for k in keys
        if k[1] is not None or k[0] in with_city or not all(in_a_leaders_title(doc, m[0]) for m in places[k])
    ]
    keys = keys[: MAX_VENUE_CANDIDATES - len(out)]
    for country, name in keys:
        mentions = places[(country, name)]
        first_span, first_ref, _ = min(mentions, key=lambda m: m[0].start)
        out.append((country, first_ref, (first_span.start, first_span.end), [], {}))
    by_country: dict[str, int] = {}
    for country, name in places:
        if name is not None:
            by_country[country] = by_country.get(country, 0) + 1
    video = _met_by_video(doc)
    leaders = {p.country for p in doc.people if p.leader is not None and p.country}
    for country, city, _evidence, spans, signals in out:
        key = (country, city.city.name_en if city is not None else None)
        mentions = places.get(key, [])
        spans.extend(m[0] for m in mentions)
        sentences = [doc.tok_sentence[sp.first_token] for sp in spans]
        signals["reading"] = float(key == reading)
        signals["city"] = float(city is not None)
        signals["capital"] = float(city is not None and city.city.is_capital)
        signals["city_also_state"] = float(city is not None and city.city.also_state)
        signals["mentions"] = float(len(spans))
        signals["first_position"] = min((sp.first_token for sp in spans), default=len(doc.toks)) / max(
            1, len(doc.toks)
        )
        signals["main_sentence"] = float(main.sentence in sentences)
        signals["summit_sentences"] = float(sum(s in summit_sentences for s in sentences))
        signals["lead"] = float(any(s in lead for s in sentences))
        signals["headline"] = float(0 in sentences)
        signals["excluded"] = float(bool(sentences) and all(s in doc.excluded_sentences for s in sentences))
        signals["other_meeting"] = float(any(belongs_to_other_anchor(doc, sp.first_token) for sp in spans))
        signals["dateline"] = float(any(m[2] for m in mentions))
        signals["after_place_word"] = float(any(_after_place_word(doc, sp) for sp in spans))
        near = [
            abs(sp.start - main.cue.start)
            for sp, s in zip(spans, sentences, strict=True)
            if s == main.sentence
        ]
        signals["distance_to_main"] = math.log1p(min(near)) if near else 10.0
        signals["before_main"] = float(any(sp.start < main.cue.start for sp in spans))
        signals["near_host"] = float(
            min(
                (
                    abs(h.first_token - sp.first_token)
                    for h in hosts
                    for sp in spans
                    if doc.tok_sentence[h.first_token] == doc.tok_sentence[sp.first_token]
                ),
                default=60,
            )
        )
        signals["format_member"] = float(country in members)
        signals["format_has_members"] = float(bool(members))
        signals["leader_of_state_named"] = float(country in leaders)
        signals["cities_of_state"] = float(by_country.get(country, 0))
        signals["candidates"] = float(len(out))
        signals["virtual"] = float(video)
    return out


def written_as_its_state(doc: Doc, ref: CityRef) -> bool:
    """A city written exactly as its own state ("الجزائر", "Алжир", "Kuwait", "Djibouti") with no word
    calling it a city or the capital beside it: the text names the state; which city is left unsaid. A
    city that is the whole state (Singapore) is said either way."""
    city, span = ref.city, ref.span
    if not city.also_state or city.city_state or _called_a_city(doc, ref):
        return False
    if not any(
        c.code == city.country and c.span.start <= span.start and span.end <= c.span.end
        for c in doc.found.countries
    ):
        return False  # "جمهورية جيبوتي" is the state too
    # "الجزائر العاصمة", or the text calling the city its state's capital elsewhere ("بالعاصمة الجزائرية")
    for cap in doc.cues.get("capital_words", []):
        if cap.first_token == span.last_token + 1 or cap.last_token == span.first_token - 1:
            return False
        beside = _country_right_after(doc, cap.last_token) or _country_right_before(doc, cap.first_token)
        if beside is not None and beside.code == city.country and beside.span.start != span.start:
            return False
    return True


def inside_a_name(doc: Doc, span: Span) -> bool:
    """A place named inside the proper name of a building, a document or a process ("مطار العلا", "إعلان
    الرياض", "the Funafuti Declaration", "the Palace of Nations", "аэропорт Душанбе"): a noun of
    `name_noun_before` right before it, or of `name_noun_after` right after it (`cues.toml`). Such a
    mention does not say the summit meets there (the place may still be named as the venue elsewhere)."""
    if any(h.last_token == span.first_token - 1 for h in doc.cues.get("name_noun_before", [])):
        return True
    return any(h.first_token == span.last_token + 1 for h in doc.cues.get("name_noun_after", []))


def told_reporters_in(doc: Doc, span: Span) -> bool:
    """ "told reporters in Moscow", "сообщил журналистам в Москве": where the reporters were told something
    (`reporters_before` in `cues.toml`), not where the summit meets."""
    return any(h.last_token == span.first_token - 1 for h in doc.cues.get("reporters_before", []))


_TITLE_TO_NAME = 3  # tokens from a state in a leader's title to the leader's name after it


def in_a_leaders_title(doc: Doc, span: Span) -> bool:
    """A state named inside a leader's title: a title word right before or right after it and a person's
    name a few words on ("Президента Узбекистана Шавката Мирзиеева", "Russian President Vladimir Putin",
    "الرئيس الروسي فلاديمير بوتين")."""
    titled = any(
        t.span.last_token == span.first_token - 1 or t.span.first_token == span.last_token + 1
        for t in doc.found.titles
    )
    return titled and any(
        0 < p.span.first_token - span.last_token <= _TITLE_TO_NAME for p in doc.found.people
    )


def _after_place_word(doc: Doc, span: Span) -> bool:
    """ "in Tashkent", "في الرياض", "в Астане"; in Arabic also the preposition written on the name
    ("بالرياض", "بغينيا الاستوائية"), as `_cued` reads it."""
    first = span.first_token
    if first > 0 and doc.toks[first - 1].text in PLACE_WORDS:
        return True
    return doc.lang == "ar" and "ب" in doc.norm[doc.toks[first].start : span.start]


def _dateline_here(doc: Doc, sentences: list[int]) -> CityRef | None:
    """ "held here", "افتتحت هنا", "открылся здесь": a word for "here" in a sentence naming the summit
    places it in the city of the report's dateline."""
    anchored = {a.sentence for a in same_summit_anchors(doc)}
    allowed = (set(sentences) & anchored) - doc.excluded_sentences
    if not any(doc.tok_sentence[h.first_token] in allowed for h in doc.cues.get("here", [])):
        return None
    return next((ref for ref in doc.found.cities if _is_dateline(doc, ref)), None)


def _summit_by_video(doc: Doc) -> bool:
    """A word saying "by video" in the summit word's sentence, with no one named between them: the
    summit itself meets by video ("Саммит G20 прошел в субботу в режиме видеоконференции"), not one of
    its leaders ("leaders open summit without Xi, as Putin joins by video")."""
    main = doc.main
    assert main is not None
    named = sorted({m.first_token for p in doc.people for m in p.mentions})
    lead = lead_sentences(doc)
    # the lead's other words naming the summit, with "by video" close after them or right before them
    # (a summit word, a few words of who and when, then a video word; a video word joined to the summit
    # word; not a page's "... online" before a headline's summit word)
    near = [a.cue for a in same_summit_anchors(doc) if a.sentence in lead and a.sentence != main.sentence]
    for hit in doc.cues.get("virtual", []):
        sentence = doc.tok_sentence[hit.first_token]
        if sentence == main.sentence:
            low, high = sorted((hit.first_token, main.cue.first_token))
            if not any(low < t < high for t in named):
                return True
            continue
        for cue in near:
            after = hit.first_token - cue.first_token
            if doc.tok_sentence[cue.first_token] != sentence or not -_VIDEO_BEFORE <= after <= _VIDEO_AFTER:
                continue
            low, high = sorted((hit.first_token, cue.first_token))
            if not any(low <= t <= high for t in named):
                return True
    return False


_VIDEO_AFTER = 12  # tokens from a word naming the summit (outside the main sentence) to "by video" after it
_VIDEO_BEFORE = 2  # ... or before it: "a virtual summit"


def _met_by_video(doc: Doc) -> bool:
    """ "a virtual summit", "в режиме видеоконференции", "عبر تقنية الاتصال المرئي" in the lead."""
    lead = lead_sentences(doc)
    return any(doc.tok_sentence[h.first_token] in lead for h in doc.cues.get("virtual", []))


def _bare_capital_word(doc: Doc, sentences: list[int]) -> bool:
    """ "تحتضن الجزائر ... القمة ... بالعاصمة", "held in the capital": a capital word with no state beside
    it, in a sentence about the summit, places it in the venue state's capital."""
    allowed = set(sentences) - doc.excluded_sentences
    for cap in doc.cues.get("capital_words", []):
        if doc.tok_sentence[cap.first_token] not in allowed or _after_shift(doc, cap.first_token):
            continue
        beside = _country_right_after(doc, cap.last_token) or _country_right_before(doc, cap.first_token)
        if beside is None:
            return True
    return False


_Venue = tuple[int, City, tuple[int, int]]


def _capital_venues(doc: Doc, res: Resources, sentence: int) -> list[_Venue]:
    """ "in the Kazakh capital", "عاصمة أوزبكستان": the capital of the state named next."""
    assert doc.main is not None
    found: list[_Venue] = []
    for cap in doc.cues.get("capital_words", []):
        if doc.tok_sentence[cap.first_token] != sentence or _after_shift(doc, cap.first_token):
            continue
        country = _country_right_after(doc, cap.last_token) or _country_right_before(doc, cap.first_token)
        city = res.kb.capital_of(country.code) if country else None
        if country is not None and city is not None:
            found.append((abs(cap.start - doc.main.cue.start), city, (cap.start, country.span.end)))
    return found


def _city_venues(doc: Doc, sentence: int) -> list[_Venue]:
    """Cities introduced as a place ("في طشقند", "بالرياض", "in Astana"), not datelines."""
    assert doc.main is not None
    found: list[_Venue] = []
    in_names = {i for f in doc.found.formats for i in range(f.span.first_token, f.span.last_token + 1)}
    for ref in doc.found.cities:
        if doc.tok_sentence[ref.span.first_token] != sentence or _is_dateline(doc, ref):
            continue
        if ref.span.first_token in in_names:  # "Shanghai" in "the Shanghai Cooperation Organisation"
            continue
        if inside_a_name(doc, ref.span) or told_reporters_in(doc, ref.span):  # "في مطار العلا"
            continue
        if ref.city.also_state and not _called_a_city(doc, ref):  # "دولة الكويت" is the state
            continue
        if belongs_to_other_anchor(doc, ref.span.first_token):  # "عقد القمة المقبلة في بغداد"
            continue
        if _cued(doc, ref) and not _after_shift(doc, ref.span.first_token):
            found.append((abs(ref.span.start - doc.main.cue.start), ref.city, (ref.span.start, ref.span.end)))
    return found


def _host_state(doc: Doc, sentences: list[int]) -> tuple[str, Span] | None:
    """ "Gambia hosts the summit", "تستضيفها دولة الكويت": a state beside a hosting word about the summit."""
    for sentence in (s for s in sentences if s not in doc.excluded_sentences):
        for cue in doc.cues.get("host", []):
            if doc.tok_sentence[cue.first_token] != sentence:
                continue
            near = [
                r
                for r in doc.found.countries
                if r.kind == "name"
                and -6 <= r.span.first_token - cue.last_token <= 3
                and doc.tok_sentence[r.span.first_token] == sentence
            ]
            if near:
                ref = min(near, key=lambda r: abs(r.span.first_token - cue.first_token))
                return ref.code, ref.span
    return None


def _state_named_place(doc: Doc, sentences: list[int]) -> tuple[str, Span] | None:
    """ "بتونس", "in Kuwait": a place named like its state; the state is sure, the city is not."""
    for sentence in (s for s in sentences if s not in doc.excluded_sentences):
        for ref in doc.found.cities:
            if ref.city.also_state and doc.tok_sentence[ref.span.first_token] == sentence and _cued(doc, ref):
                return ref.city.country, ref.span
    return None


def _after_shift(doc: Doc, token: int) -> bool:
    """Whether a word follows "in the wake of ..." after the summit word: it belongs to that other event."""
    assert doc.main is not None
    sentence = doc.tok_sentence[token]
    anchors = [a.cue.last_token for a in same_summit_anchors(doc) if a.sentence == sentence]
    return any(
        doc.tok_sentence[h.first_token] == sentence
        and h.last_token < token
        and any(a < h.first_token for a in anchors)
        for h in doc.cues.get("aftermath", [])
    )


def _cued(doc: Doc, ref: CityRef) -> bool:
    """A city introduced as a place: "في/بـ", "in", "в", a headline "City:", or "the City summit"."""
    # "بالرياض" (in Riyadh), not "ونيويورك" (and New York): the clitic must hold the preposition "ب"
    clitic = "ب" in doc.norm[doc.toks[ref.span.first_token].start : ref.span.start]
    after_cue = any(0 < ref.span.first_token - c.last_token <= 2 for c in doc.cues.get("venue_before", []))
    return clitic or after_cue or _headline_place(doc, ref) or _names_the_summit(doc, ref)


def _names_the_summit(doc: Doc, ref: CityRef) -> bool:
    """ "the Johannesburg summit", "قمة الرياض": a city joined to a word naming this summit."""
    return any(
        ref.span.last_token + 1 == a.cue.first_token or ref.span.first_token - 1 == a.cue.last_token
        for a in same_summit_anchors(doc)
    )


_CITY_WORDS = frozenset(("مدينه", "city", "город", "городе", "города"))


def _called_a_city(doc: Doc, ref: CityRef) -> bool:
    """ "مدينة الكويت", "Kuwait City": the name (or the word before it) says city, not state."""
    first, last = ref.span.first_token, ref.span.last_token
    words = {doc.toks[i].text for i in range(max(0, first - 1), last + 1)}
    return bool(words & _CITY_WORDS)


def _headline_place(doc: Doc, ref: CityRef) -> bool:
    """ "Астана: началось заседание ...": a city opening a line with a colon places what follows."""
    line_start = doc.norm.rfind("\n", 0, ref.span.start) + 1
    opens_line = not doc.norm[line_start : ref.span.start].strip()
    return opens_line and doc.norm[ref.span.end : ref.span.end + 2].startswith(":")


def _is_dateline(doc: Doc, ref: CityRef) -> bool:
    line_start = doc.norm.rfind("\n", 0, ref.span.start) + 1
    if doc.norm[line_start : ref.span.start].strip():
        return False
    following = doc.norm[ref.span.end : ref.span.end + 30]
    return any(ch.isdigit() for ch in following[:15]) or following.lstrip().startswith(("(", ","))


def _country_right_after(doc: Doc, token: int) -> CountryRef | None:
    """The state named right after `token` (one word may stand between, e.g. a dash or "دولة")."""
    return next((r for r in doc.found.countries if 0 < r.span.first_token - token <= 2), None)


def _country_right_before(doc: Doc, token: int) -> CountryRef | None:
    """The state (or its adjective) just before `token`: "the Kazakh capital"."""
    return next((r for r in doc.found.countries if r.span.last_token == token - 1), None)


def _city_of_a_member(doc: Doc, span: Span) -> CityRef | None:
    """A city written like a state ("عمان": Amman or Oman) whose own state belongs to the summit's format
    while the state of that name does not."""
    if doc.fmt is None or not doc.fmt.members:
        return None
    members = set(doc.fmt.members)
    here = (span.start, span.end)
    states_here = {c.code for c in doc.found.countries if (c.span.start, c.span.end) == here}
    for ref in doc.found.cities:
        if (
            (ref.span.start, ref.span.end) == here
            and ref.city.country in members
            and not states_here & members
        ):
            return ref
    return None


def _country_after_name(doc: Doc) -> CountryRef | None:
    """ "... summit in Uzbekistan": a state right after the summit's name, read as the venue."""
    if doc.name_span is None:
        return None
    end_token = bisect.bisect_left([t.end for t in doc.toks], doc.name_span[1])
    for ref in doc.found.countries:
        if ref.kind != "name" or not 0 < ref.span.first_token - end_token <= 2:
            continue
        token = doc.toks[ref.span.first_token]
        prefix = doc.norm[token.start : ref.span.start]
        between = [doc.toks[i].text for i in range(end_token + 1, ref.span.first_token)]
        if prefix.endswith(("ب", "في")) or "في" in between or "in" in between or "в" in between:
            return ref
    return None


ChairPointer = tuple[str, str, tuple[int, int], CueHit]  # how the cue points, state, evidence span, cue
CHAIR_CATEGORIES = (
    "chair_before",
    "chair_near",
    "chair_subject",
    "chair_opening_verb",
    "chair_holds",
    "chair_handover",
)
_CHAIR_REACH = 12  # tokens either side of a chair cue where a state may be the one it names


def chair_pointers(doc: Doc) -> list[ChairPointer]:
    """Every state within reach of a chair cue ("chaired by X", "X, which holds the presidency", "تسليم
    رئاسة القمة إلى الرئيس العراقي"), with how it stands to the cue: the candidates `decide` chooses the
    chair from (or none). The cue's own grammar (`_chair_of`) marks the state it reads as one pointer."""
    not_cues = doc.cues.get("chair_not", [])
    co_chair = doc.cues.get("co_chair", [])
    ended = doc.cues.get("chair_ended", [])
    delegation = doc.cues.get("delegation", [])
    guests = doc.cues.get("guest", [])
    # "Председатель КНР", "Chairman of the Cabinet of Ministers": a head's title, no chairmanship
    titles = [t.span for t in doc.found.titles]
    cues = [
        hit
        for cue in CHAIR_CATEGORIES
        for hit in doc.cues.get(cue, [])
        if not any(t.first_token <= hit.first_token and hit.last_token <= t.last_token for t in titles)
        and not _takes_on_no_presidency(doc, hit)
        and not _head_of_state_title(doc, hit)
    ]
    found: list[ChairPointer] = []
    named = _chair_states(doc)
    for hit in sorted(cues, key=lambda h: h.start):
        sentence = doc.tok_sentence[hit.first_token]
        aside = sentence in doc.excluded_sentences
        if aside and hit.category != "chair_handover":
            continue
        # "سلم رئيس القمة السابقة ... الرئاسة الى": "former" after a hand-over verb is the giver's
        negated = hit.category != "chair_handover" and (
            any(0 <= n.first_token - hit.last_token <= 3 for n in not_cues)
            # "закончилось председательство X": a chairmanship said to have ended is not this summit's
            or any(0 <= hit.first_token - e.last_token <= 1 for e in ended)
            # "who chaired the bloc from July 2023 to July 2025": a past term, not this summit's chair
            or (hit.category == "chair_subject" and _past_term(doc, hit, sentence))
            # "برئاسة مشتركة بين ...": a chairmanship shared (co_chair overlapping the cue)
            # or a co-chairmanship named just before in the sentence ("co-chaired by the President of X,
            # the bloc's current chair, and the President of Y")
            or any(
                c.first_token <= hit.last_token + 1
                and hit.first_token - c.last_token <= _CO_CHAIR_REACH
                and doc.tok_sentence[c.first_token] == sentence
                for c in co_chair
            )
            # "وفد ... برئاسة ...", "the delegation was led by": heading a delegation
            or any(0 < hit.first_token - d.last_token <= 4 for d in delegation)
            # "гости председательствующей страны", "guests of the chair": the chair's guests
            or any(0 < hit.first_token - g.last_token <= 2 for g in guests)
            # "وترأس أمير ... وفد بلاده": the verb's object is a delegation, not the summit
            or (hit.category in _HEADING_VERBS and _heads_a_delegation(doc, hit, sentence))
            # "رئيس القمة الخامسة والعشرين" at the 26th, "who chaired the 29th summit": another meeting's
            or _of_another_meeting(doc, hit, sentence)
            # "chaired the group's council of ministers": a ministers' meeting
            or (hit.category in _HEADING_VERBS and _chairs_ministers(doc, hit, sentence))
        )
        read = None if negated else _chair_of(doc, hit, sentence)
        if read is not None and _passed_from(doc, read[1], sentence):
            # "خلفا لرئيس الوزراء الإثيوبي ... الذي تولى الرئاسة": the state it passes from, by any cue
            read = None
        if read is not None and _by_a_minister(doc, hit, read[1], hit.category == "chair_handover"):
            # "chaired by the Foreign Minister of X": a ministers' meeting, not the summit's chair
            read = None
        if read is not None:
            # a hand-over in a sentence that also names the meeting before ("سلم رئيس القمة السابقة ...
            # الرئاسة الى ...") is weighed apart from one in a sentence about this summit ("_aside")
            how = f"{hit.category}_read" + ("_aside" if aside else "")
            found.append((how, read[0], (min(hit.start, read[1]), max(hit.end, read[2])), hit))
        if hit.category == "chair_handover" or aside:
            continue  # a hand-over verb points at no state but the one its grammar reads
        for code, span in named:
            if doc.tok_sentence[span.first_token] != sentence:
                continue
            after = span.first_token - hit.last_token
            before = hit.first_token - span.last_token
            if 0 < after <= _CHAIR_REACH or 0 < before <= _CHAIR_REACH:
                word = doc.toks[span.first_token - 1].text if span.first_token else ""
                side = "after" if after > 0 else "before"
                how = f"{hit.category}_{side}"
                if negated:
                    how += "_negated"
                elif word in _HANDED_FROM:
                    how += "_from"
                elif word in _HANDED_TO:
                    how += "_to"
                evidence = (min(hit.start, span.start), max(hit.end, span.end))
                found.append((how, code, evidence, hit))
    return found


_CO_CHAIR_REACH = 25  # tokens from a co-chair word to a chair word of the same sentence it shares
# "تولى" (took on): a chairmanship only with a presidency word a few words on ("تولى الأمير ... رئاسة
# القمة"), not power or an office ("تولى السلطة", "تولي اهتماما", "تولت دراسة الملف"), in every person and
# tense the cue lexicon lists
_TAKES_ON = frozenset(
    prefix + stem
    for stem in ("تولي", "تولت", "يتولي", "تتولي", "سيتولي", "ستتولي")
    for prefix in ("", "و", "ف", "ل", "ب")
)
_TAKES_ON_REACH = 8


# "chaired the bloc from <date> to <date>", "председательствовал в организации с 2019 по 2021 год"
_PAST_CHAIRING = frozenset(("chaired", "presided", "председательствовал", "председательствовала"))
_TERM_FROM = frozenset(("from", "с"))
_TERM_TO = frozenset(("to", "until", "till", "through", "по", "до"))
_TERM_REACH = 4  # tokens from the verb to "from": the body's name
_TERM_SPAN = 6  # tokens from "from" to "to": the first date


def _past_term(doc: Doc, hit: CueHit, sentence: int) -> bool:
    """A chairing verb in the past followed by a term it lasted ("from ... to ..." with a year): the
    chairmanship of a period that has ended."""
    if doc.toks[hit.last_token].text not in _PAST_CHAIRING:
        return False
    end = min(len(doc.toks), hit.last_token + 1 + _TERM_REACH + _TERM_SPAN + 3)
    words = [(i, doc.toks[i].text) for i in range(hit.last_token + 1, end) if doc.tok_sentence[i] == sentence]
    start = next((i for i, w in words if w in _TERM_FROM and i - hit.last_token <= _TERM_REACH), None)
    if start is None:
        return False
    to = next((i for i, w in words if w in _TERM_TO and 0 < i - start <= _TERM_SPAN), None)
    return to is not None and any(
        len(w) == 4 and w.isdigit() and w.startswith(("19", "20")) for i, w in words if start < i <= to + 3
    )


# "председатель Китая": the Chinese head of state's title (as "Председатель КНР"), no chairmanship
_HEAD_TITLED_CHAIRMAN = frozenset(("CN",))
_CHAIRMAN_TITLE = frozenset(("председатель", "председателя", "председателем", "председателю"))


def _head_of_state_title(doc: Doc, hit: CueHit) -> bool:
    if hit.first_token != hit.last_token or doc.toks[hit.first_token].text not in _CHAIRMAN_TITLE:
        return False
    return any(
        span.first_token == hit.last_token + 1 and code in _HEAD_TITLED_CHAIRMAN for code, span in states(doc)
    )


_OTHER_MEETING_REACH = 4  # tokens from a chair cue to the ordinal of the meeting it names


def _of_another_meeting(doc: Doc, hit: CueHit, sentence: int) -> bool:
    """A chair cue naming a meeting numbered otherwise than this summit ("رئيس القمة الخامسة والعشرين"
    in a report of the 26th, "who chaired the 29th summit", "председатель 11-го саммита"): the chair of
    that one. Only when this summit's own ordinal was read."""
    if doc.ordinal is None or not doc.ordinals:
        return False
    meeting = [m for m in doc.cues.get("meeting_noun", []) if doc.tok_sentence[m.first_token] == sentence]
    for mention in doc.ordinals:
        span = ordinal_span(doc, mention)
        token = span.first_token
        if not (
            0 < token - hit.last_token <= _OTHER_MEETING_REACH or hit.first_token <= token <= hit.last_token
        ):
            continue
        if doc.tok_sentence[token] != sentence or mention.value == doc.ordinal.value:
            continue
        if any(hit.first_token <= m.first_token <= span.last_token + 2 for m in meeting):
            return True
    return False


# "chaired the council of ministers", "ترأست ... مجلس وزراء المجموعة", "председательствовал на совещании
# министров": the ministers' body a chairing verb heads
_MINISTERS = frozenset(("ministers", "ministerial", "وزراء", "الوزراء", "министров", "министерского"))
_MINISTERS_REACH = 5


def _chairs_ministers(doc: Doc, hit: CueHit, sentence: int) -> bool:
    """A ministers' word a few words after a chairing verb, with no summit or meeting word between (the
    verb's object, not "chaired the summit in the presence of the ministers")."""
    end = min(len(doc.toks), hit.last_token + 1 + _MINISTERS_REACH)
    ministers = next(
        (
            i
            for i in range(hit.last_token + 1, end)
            if doc.toks[i].text in _MINISTERS and doc.tok_sentence[i] == sentence
        ),
        None,
    )
    if ministers is None:
        return False
    words = [a.cue.first_token for a in doc.anchors] + [
        m.first_token for m in doc.cues.get("meeting_noun", [])
    ]
    # "ترأس رئيس الوزراء ...", "رئيس مجلس الوزراء", "Председатель Совета министров": a head of government
    heads = any(_heads_title(doc.toks[i].text) for i in range(hit.last_token + 1, ministers))
    return not heads and not any(hit.last_token < w < ministers for w in words)


def _heads_title(word: str) -> bool:
    return word.removeprefix("و").removeprefix("ل").startswith("رئيس") or word in (
        "prime",
        "head",
        "председатель",
    )


def _takes_on_no_presidency(doc: Doc, hit: CueHit) -> bool:
    if doc.toks[hit.first_token].text not in _TAKES_ON:
        return False
    sentence = doc.tok_sentence[hit.first_token]
    return not any(
        0 < n.first_token - hit.last_token <= _TAKES_ON_REACH and doc.tok_sentence[n.first_token] == sentence
        for n in doc.cues.get("chair_near", [])
    )


def _by_a_minister(doc: Doc, hit: CueHit, state_start: int, handover: bool = False) -> bool:
    """A minister's title between the cue and the state it reads ("chaired by the Foreign Minister of
    X", "برئاسة وزير خارجية ..."). After a hand-over verb only the words after the last "to" count: a
    minister before it is the giver ("سلم وزير الخارجية ... راية القمة الى X")."""
    lo, hi = sorted((hit.end, state_start))
    between = [i for i in range(hit.last_token + 1, len(doc.toks)) if lo <= doc.toks[i].start < hi]
    if handover:
        tos = [
            n for n, i in enumerate(between) if doc.toks[i].text in _HANDED_TO or doc.toks[i].text in _TO_AR
        ]
        between = between[tos[-1] :] if tos else between
    return any(
        _is_minister(doc.toks[i].text) and doc.toks[i - 1].text not in ("prime", "премьер") for i in between
    )


def _is_minister(word: str) -> bool:
    """One minister's title ("minister", "министра", "وزير"), not a cabinet's ("Cabinet of Ministers")."""
    return (
        word == "minister" or word.startswith("وزير") or (word.startswith("министр") and word != "министров")
    )


def _chair_of(doc: Doc, hit: CueHit, sentence: int) -> tuple[str, int, int] | None:
    """The state one chair cue points at, read by the cue's own grammar."""
    # "ترأس ... صاحب السمو ... وفد دولة الكويت": heading a delegation to the summit is not chairing it
    opens = _opens_clause(doc, hit.first_token) and not _heads_a_delegation(doc, hit, sentence)
    if hit.category == "chair_holds":
        # "Belarus, which holds the CSTO's rotating chairmanship this year", "X's president became the
        # bloc's chairman": a presidency or chairmanship a few words on, held by the state (or head) just
        # before
        office = [n for n in doc.cues.get("chair_near", []) if 0 < n.first_token - hit.last_token <= 5]
        # "X возглавляет <организацию>": heads the body itself
        heads_body = doc.toks[hit.first_token].text.startswith("возглав") and any(
            0 < f.span.first_token - hit.last_token <= 2 for f in doc.found.formats
        )
        return _state_before(doc, hit.first_token, 6, sentence) if office or heads_body else None
    if hit.category == "chair_handover":
        return _handed_over(doc, hit, sentence)
    if hit.category == "chair_before" and doc.toks[hit.last_token].text in _HIS_CHAIRMANSHIP:
        # "دعا الى دورة برئاسته": chaired by him, the one named before
        return _state_before(doc, hit.first_token, 10, sentence)
    if hit.category in ("chair_before", "chair_near") and _own_chairmanship(doc, hit):
        # "<state> во время своего председательства", "<state> ... during its presidency": the one the
        # reflexive or possessive word refers to, named before
        return _state_before(doc, hit.first_token - 1, 10, sentence)
    if hit.category == "chair_before":
        if _taken_by_verb(doc, hit, sentence):
            # "<take-over verb> <state> الرئاسة الدورية ...": the presidency a take-over verb's subject
            # takes; a state after it is the body's or the giver's
            return None
        # "chaired by the Chairman of the Cabinet of Ministers of the Republic of X": the state after the
        # head's title
        return _first_state_after(doc, hit.last_token, 10, sentence)
    if hit.category == "chair_near":
        if _presidential_office(doc, hit):
            return None  # "الرئاسة المصرية": the Egyptian presidential office, not a chairmanship
        if _of_another_body(doc, hit):
            return None  # "<chair word> ل<another body>": the chair of another body named right after
        if doc.toks[hit.first_token].text.removeprefix("و") in _IN_HIS_CAPACITY:
            after = hit.last_token + 1
            if after < len(doc.toks) and strip_article(doc.toks[after].text) in _HEAD_OF_WHAT:
                return None  # "بصفته رئيس دولة ...", "بصفته رئيس وزراء ...": a head's office, no chair
            if any(
                0 < f.span.first_token - hit.last_token <= 2 and doc.fmt is not None and f.fmt != doc.fmt
                for f in doc.found.formats
            ):
                return None  # the chair of another body, named right after the title
            if _of_a_named_body(doc, hit, after):
                return None  # "بصفته رئيسا لمنظمة ...": a body named by its own name, not this summit's
            # "بصفته رئيس المجموعة هذا العام، قال رئيس الوزراء ...": the head the clause describes, named
            # just before it or as the subject of the sentence it opens
            return _state_before(doc, hit.first_token, 6, sentence) or _first_state_after(
                doc, hit.last_token, _CAPACITY_REACH, sentence
            )
        return (
            _first_state_after(doc, hit.last_token, 1, sentence)
            or _chair_is(doc, hit, sentence)
            or _possessive_before(doc, hit, sentence)
            or _apposed_chair(doc, hit, sentence)
            or _head_beside_title(doc, hit, sentence)
        )
    if hit.category == "chair_subject" and _passive(doc, hit):
        return None  # "chaired by Belarus": the state after "by" is read by "chaired by", not one before
    handing = [
        h
        for h in doc.cues.get("chair_handover", [])
        if hit.first_token - 2 <= h.first_token <= hit.last_token
        and doc.tok_sentence[h.first_token] == sentence
    ]
    if handing:
        # "handed over the chairmanship ... to X": the state it goes to, not the giver before
        return _handed_over(doc, handing[0], sentence)
    if hit.category == "chair_opening_verb":
        # "رأس صاحب السمو الملكي الأمير ... أعمال": the subject follows the verb, after its titles
        return _first_state_after(doc, hit.last_token, 10, sentence) if opens else None
    return (
        _handed_to(doc, hit.last_token, sentence)
        or _state_before(doc, hit.first_token, 10, sentence)
        or _first_state_after(doc, hit.last_token, 10 if opens else 3, sentence)
        or _sole_state_before(doc, hit.first_token, sentence)
    )


_HANDED_FROM = frozenset(("من", "from", "от", "خلفا", "succeeding"))
_HANDED_TO = frozenset(("الي", "to", "к"))  # normalised: "إلى" is written "الي"
# tokens: "تسلم الرئاسة الى مملكة البحرين", "handed over the chairmanship of the bloc to"
_HANDED_TO_WINDOW = 8
# "to his Brazilian counterpart": words that may stand between "to" and the state
_TO_FILLERS = frozenset(("his", "her", "its", "their", "the", "в", "лице"))


def _handed_to(doc: Doc, token: int, sentence: int) -> tuple[str, int, int] | None:
    """ "ثم تسلم الرئاسة إلى مملكة البحرين", "перешло от Узбекистана к Казахстану": the state the
    chairmanship goes to is the chair, whoever stands before the verb (the one it comes from is passed)."""
    for country, span in _chair_states(doc):
        gap = span.first_token - token
        if 0 < gap <= _HANDED_TO_WINDOW and doc.tok_sentence[span.first_token] == sentence:
            if _after_to(doc, span.first_token):
                return country, span.start, span.end
            if doc.toks[span.first_token - 1].text not in _HANDED_FROM:
                return None
    return None


def _after_to(doc: Doc, first: int) -> bool:
    """The state at token `first` follows "to" ("الى", "к"), maybe through "his" or "the"."""
    at = first - 1
    while at > 0 and first - at <= 2 and doc.toks[at].text in _TO_FILLERS:
        at -= 1
    return at >= 0 and doc.toks[at].text in _HANDED_TO


# tokens between a hand-over verb and the presidency it hands over ("the chairmanship of the Council of
# the Heads of State of the bloc has passed to X")
_OFFICE_REACH = 12
# "بتسليم رئاسة القمة ... لدولة ...": "to" written as the prefix "ل" of the recipient's title
_TO_AR = frozenset(("لدوله", "للرئيس", "لرئيس", "لنظيره", "للملك", "لملك", "للامير", "لامير", "للشيخ"))
_TO_REACH = 25  # tokens from the presidency to "to": the giver's titles and name may stand between
_RECIPIENT_REACH = 6  # tokens after "to" ("الى") to the state: "الى رئيس الدولة المضيفة ..." and its demonym


def _handed_over(doc: Doc, hit: CueHit, sentence: int) -> tuple[str, int, int] | None:
    """ "سلم ... رئاسة القمة الى ...", "handed over the chairmanship of the bloc to X",
    "передал председательство ... Египту", "who chaired the bloc ... before handing over to X": a
    presidency word (or a chairing verb) near the verb, then the first state after "to" (a state it is
    handed over from is passed)."""
    office = [
        n
        for cue in ("chair_near", "chair_subject")
        for n in doc.cues.get(cue, [])
        if abs(n.first_token - hit.last_token) <= _OFFICE_REACH
        and doc.tok_sentence[n.first_token] == sentence
        and n.first_token != hit.first_token
    ]
    if not office:
        return None
    start = min(hit.last_token, min(n.last_token for n in office))
    tos = [_first_to(doc, start, sentence)]
    if tos[0] is not None and tos[0] < hit.last_token:
        # "chaired the bloc from July to July before handing over to X": the "to" after the verb
        tos.append(_first_to(doc, hit.last_token, sentence))
    for to in tos:
        if to is None:
            continue
        recipient = _recipient(doc, to, sentence)
        if recipient is not None:
            return recipient
    return _dative_recipient(doc, hit, sentence)


# "перешло Кыргызстану", "передал президенту Египта": a Russian recipient in the dative, with no "к"
_DATIVE_ENDINGS = ("у", "ю")
_DATIVE_HEADS = frozenset(("президенту", "лидеру", "главе", "премьеру", "королю", "коллеге"))
_DATIVE_REACH = 3


def _dative_recipient(doc: Doc, hit: CueHit, sentence: int) -> tuple[str, int, int] | None:
    """The state in the dative just after a Russian hand-over verb, or the state of a head named there
    by a title in the dative."""
    if doc.lang != "ru":
        return None
    for country, span in _chair_states(doc):
        gap = span.first_token - hit.last_token
        if not (0 < gap <= _DATIVE_REACH and doc.tok_sentence[span.first_token] == sentence):
            continue
        word = doc.toks[span.first_token].text
        before = doc.toks[span.first_token - 1].text
        if gap == 1 and word.endswith(_DATIVE_ENDINGS):
            return country, span.start, span.end
        if before in _DATIVE_HEADS:
            return country, span.start, span.end
    return None


def _first_to(doc: Doc, start: int, sentence: int) -> int | None:
    return next(
        (
            i
            for i in range(start + 1, min(len(doc.toks), start + 1 + _TO_REACH))
            if doc.tok_sentence[i] == sentence
            and (doc.toks[i].text in _HANDED_TO or doc.toks[i].text in _TO_AR)
        ),
        None,
    )


def _recipient(doc: Doc, to: int, sentence: int) -> tuple[str, int, int] | None:
    """The state named just after "to", else the head named there by title and name ("handing over to
    President <name>") when the name is one state's head."""
    for country, span in _chair_states(doc):
        if 0 <= span.first_token - to <= _RECIPIENT_REACH and doc.tok_sentence[span.first_token] == sentence:
            return country, span.start, span.end
    for ref in doc.found.people:
        if (
            0 < ref.span.first_token - to <= _RECIPIENT_REACH
            and doc.tok_sentence[ref.span.first_token] == sentence
        ):
            countries = {c.country if isinstance(c, Leader) else None for c in ref.candidates}
            code = next(iter(countries)) if len(countries) == 1 else None
            return (code, ref.span.start, ref.span.end) if code is not None else None
    return None


def _passive(doc: Doc, hit: CueHit) -> bool:
    """ "chaired by", "presided over by" (not "presiding over the meeting")."""
    words = [t.text for t in doc.toks[hit.last_token + 1 : hit.last_token + 3]]
    return words[:1] == ["by"] or words == ["over", "by"]


# the presidency as an institution ("اعلنت الرئاسة المصرية"): with the article, it is no chairmanship
# (unless a body follows: "الرئاسة ... لمجموعة العشرين")
_PRESIDENTIAL_OFFICE = frozenset(("الرئاسه", "للرئاسه", "والرئاسه", "بالرئاسه"))
_HIS_CHAIRMANSHIP = frozenset(("برئاسته", "برئاستها"))
# "امير ... الرئيس للقمة", "رئيس ...، الرئيس الحالي للاتحاد": a chair's title
# set after the head it names
_CHAIR_TITLE_WORDS = frozenset(("رئيس", "الرئيس", "رئيسه", "والرئيس"))
_APPOSED_REACH = 3
# "بصفته رئيس ..." (in his capacity as chair): the head it describes stands before or opens the main clause
_IN_HIS_CAPACITY = frozenset(("بصفته", "بصفتها"))
_CAPACITY_REACH = 14
# what a head's title "رئيس" heads when it is not a chair (without the article)
_HEAD_OF_WHAT = frozenset(("دوله", "وزراء", "حكومه", "جمهوريه", "وفد", "مجلس"))


def _of_a_named_body(doc: Doc, hit: CueHit, after: int) -> bool:
    """ "بصفته رئيسا ل<noun> ...": the title heads a body named by a noun with the preposition and no article
    (a name in construct, "لمنظمة كذا"), and this summit's format is not named there; "للقمة", "للمجموعة"
    (with the article) are this meeting or its group."""
    if after >= len(doc.toks):
        return False
    word = doc.toks[after].text
    if not word.startswith("ل") or word.startswith("لل") or len(word) <= 3 or word in _NOT_A_BODY:
        return False
    return not any(
        0 < f.span.first_token - hit.last_token <= 3 and doc.fmt is not None and f.fmt == doc.fmt
        for f in doc.found.formats
    )


def _presidential_office(doc: Doc, hit: CueHit) -> bool:
    if doc.toks[hit.first_token].text not in _PRESIDENTIAL_OFFICE or hit.first_token != hit.last_token:
        return False
    after = hit.last_token + 2
    # "الرئاسة ... لمجموعة العشرين": a body after the adjective ("ل" + its name); "لدى" (at) is none
    return not (
        after < len(doc.toks)
        and doc.toks[after].text.startswith("ل")
        and doc.toks[after].text not in _NOT_A_BODY
    )


_NOT_A_BODY = frozenset(("لدي", "لدى", "له", "لها", "لهم", "لكن", "لم", "لن", "لان", "لقد", "لا"))


def _apposed_chair(doc: Doc, hit: CueHit, sentence: int) -> tuple[str, int, int] | None:
    """ "امير ... الرئيس للقمة": an Arabic chair's title just after the head (or state) it names;
    "президент <state>, председатель Совета ...": a Russian chair's title set beside a head's, the body
    named right after it."""
    if doc.toks[hit.first_token].text == "председатель" and hit.first_token > 0:
        comma = doc.norm[doc.toks[hit.first_token - 1].end : hit.start].strip() == ","
        body = hit.last_token + 1 < len(doc.toks) and (
            doc.toks[hit.last_token + 1].text in _BODY_WORDS
            or any(
                0 < f.span.first_token - hit.last_token <= 1 and f.fmt == doc.fmt for f in doc.found.formats
            )
        )
        return _state_before(doc, hit.first_token, 2, sentence) if comma and body else None
    if hit.first_token == hit.last_token or doc.toks[hit.first_token].text not in _CHAIR_TITLE_WORDS:
        return None
    return _state_before(doc, hit.first_token, _APPOSED_REACH, sentence)


# the body a Russian chair's title set beside a head's may name ("председатель Совета", "... саммита")
_BODY_WORDS = frozenset(("совета", "саммита", "организации", "содружества", "союза", "сообщества", "форума"))


# "председателем <body> является X" (the chair of the body is X)
_IS = frozenset(("является", "являлась", "являлся", "стала", "стал"))
_IS_REACH = 5


def _chair_is(doc: Doc, hit: CueHit, sentence: int) -> tuple[str, int, int] | None:
    """ "председателем <body> является X": the state named just after the verb that follows the title."""
    if doc.toks[hit.first_token].text != "председателем":
        return None
    verb = next(
        (
            i
            for i in range(hit.last_token + 1, min(len(doc.toks), hit.last_token + 1 + _IS_REACH))
            if doc.toks[i].text in _IS and doc.tok_sentence[i] == sentence
        ),
        None,
    )
    return None if verb is None else _first_state_after(doc, verb, 2, sentence)


# "своего председательства", "its presidency": the chairmanship of the one named before
_OWN = frozenset(("своего", "своей", "своем", "своём", "its", "his", "her"))


_TAKEN_REACH = 3  # tokens from a take-over verb and its subject to the presidency it takes


def _taken_by_verb(doc: Doc, hit: CueHit, sentence: int) -> bool:
    """A chairing or take-over verb ("تسلم", "took over", "принял") a few words before the presidency
    word, with a state between them or just before the verb: the presidency is that state's object."""
    for verb in (*doc.cues.get("chair_subject", []), *doc.cues.get("chair_holds", [])):
        if (
            doc.tok_sentence[verb.first_token] != sentence
            or not 0 < hit.first_token - verb.last_token <= _TAKEN_REACH
        ):
            continue
        if any(
            doc.tok_sentence[span.first_token] == sentence
            and (
                verb.last_token < span.first_token < hit.first_token
                or 0 < verb.first_token - span.last_token <= 3
            )
            for _, span in _chair_states(doc)
        ):
            return True
    return False


def _own_chairmanship(doc: Doc, hit: CueHit) -> bool:
    # "her leadership of the bloc": leading is no chairmanship
    return (
        hit.first_token > 0
        and doc.toks[hit.first_token - 1].text in _OWN
        and doc.toks[hit.first_token].text != "leadership"
    )


# a chair's title that may stand beside the head holding it ("the bloc's chair, President X of Y",
# "X, chairman of the bloc", "رئيس الدورة ... الرئيس X", "председатель ... <head>")
_TITLE_FIRST = frozenset(
    ("chair", "chairman", "chairperson", "chairwoman", "in", "председатель", "председателем")
)
_HEAD_REACH = 3  # words between a chair's title and the name of the head it stands beside (titles aside)
_HEAD_FILLER = frozenset(("s", "the", "and", "of", "dr", "mr", "mrs", "ms", "his", "her", "excellency"))
_NOT_THIS_CHAIR = frozenset(
    (
        "incoming",
        "next",
        "former",
        "outgoing",
        "previous",
        "deputy",
        "vice",
        "honorary",
        "parliamentary",
        "почетный",
    )
)
_AND = frozenset(("and", "и", "و"))


_BODY_REACH = 3  # tokens from a chair word to the body it names


def _of_another_body(doc: Doc, hit: CueHit) -> bool:
    """A format other than this summit's named a few words after a chair word, and not this summit's
    ("chair of ASEAN" in a report of another format's summit)."""
    if doc.fmt is None:
        return False
    named = [f.fmt for f in doc.found.formats if 0 < f.span.first_token - hit.last_token <= _BODY_REACH]
    return bool(named) and doc.fmt not in named


def _title_of_this_body(doc: Doc, hit: CueHit) -> bool:
    """A chair's title names no body, or this summit's ("chairman of the bloc" where the bloc is the
    summit's format, "председатель саммита"), not another one ("chairman of the council of X")."""
    after = hit.last_token + 1
    if after >= len(doc.toks):
        return True
    word = doc.toks[after].text
    fmt_near = any(
        0 < f.span.first_token - hit.last_token <= 3 and doc.fmt is not None and f.fmt == doc.fmt
        for f in doc.found.formats
    )
    if word == "of":
        return fmt_near
    if doc.toks[hit.first_token].text.startswith("председател"):
        # "председатель коллегии <format>", "председатель правления": another body's chair even with the
        # summit's format a word further on; the format (or a body word) must follow the title itself
        fmt_next = doc.fmt is not None and any(
            f.span.first_token == after and f.fmt == doc.fmt for f in doc.found.formats
        )
        return fmt_next or word in _BODY_WORDS
    return True


def _title_and_state_tokens(doc: Doc) -> set[int]:
    """The tokens of the titles and of the states the chair readers know (`_chair_states`): the words a
    head's titles and state take before or after the name."""
    spans = [t.span for t in doc.found.titles] + [span for _, span in _chair_states(doc)]
    return {i for span in spans for i in range(span.first_token, span.last_token + 1)}


def _head_beside_title(doc: Doc, hit: CueHit, sentence: int) -> tuple[str, int, int] | None:
    """A chair's title set beside a head of state or government the knowledge base knows ("the bloc's
    chair, President X", "X, the bloc's chairman", "رئيس الدورة ... الرئيس X"): that head's
    state. Officials (heads of bodies) are no state's."""
    first = doc.toks[hit.first_token].text
    if first not in _TITLE_FIRST and not (hit.first_token != hit.last_token and first in _CHAIR_TITLE_WORDS):
        return None
    if hit.first_token > 0 and doc.toks[hit.first_token - 1].text in _NOT_THIS_CHAIR:
        return None  # "the incoming chairperson", "deputy chairman"
    if not _title_of_this_body(doc, hit):
        return None  # "chairman of the national council", "председатель правления": another body's chair
    # the words a head's title and state take ("Jamaica's Prime Minister", "the President of X")
    filler = _title_and_state_tokens(doc) | {
        i for f in doc.found.formats for i in range(f.span.first_token, f.span.last_token + 1)
    }
    best: tuple[int, tuple[str, int, int]] | None = None
    for ref in doc.found.people:
        span = ref.span
        if doc.tok_sentence[span.first_token] != sentence:
            continue
        between = (
            range(hit.last_token + 1, span.first_token)
            if span.first_token > hit.last_token
            else range(span.last_token + 1, hit.first_token)
        )
        if span.first_token <= hit.last_token and span.last_token >= hit.first_token:
            continue
        if span.first_token > hit.last_token:
            gap_text = doc.norm[doc.toks[hit.last_token].end : span.start]
        else:
            gap_text = doc.norm[span.end : doc.toks[hit.first_token].start]
        if "(" in gap_text or ")" in gap_text:
            continue  # "X (Y, the bloc's chair), President Z (W)": a bracket closes the title's head
        words = [doc.toks[i].text for i in between if i not in filler]
        gap = sum(1 for w in words if w not in _HEAD_FILLER)
        if len(between) > 2 * _HEAD_REACH or gap > _HEAD_REACH:
            continue
        if any(w in _AND for w in words) and (
            span.last_token < hit.first_token or doc.toks[hit.last_token + 1].text not in _AND
        ):
            # "President X and the chairman of ...", "the chair of the bloc, and President Y": another
            # person listed beside the title ("the bloc's chair and X's prime minister Y" is one)
            continue
        countries = {c.country for c in ref.candidates if isinstance(c, Leader)}
        if len(countries) != 1 or len(ref.candidates) != sum(isinstance(c, Leader) for c in ref.candidates):
            continue
        country = next(iter(countries))
        if country is not None and (best is None or gap < best[0]):
            best = (gap, (country, span.start, span.end))
    return None if best is None else best[1]


# "the Egyptian presidency said": the presidential office, not a chairmanship
_OFFICE_SPEAKS = frozenset(
    ("said", "says", "spokesman", "spokeswoman", "spokesperson", "statement", "announced", "added", "office")
)


def _possessive_before(doc: Doc, hit: CueHit, sentence: int) -> tuple[str, int, int] | None:
    """ "X's chairmanship", "X's G20 presidency": the state whose "'s" stands at most two words before
    the office; "<adjective> председательства", "the <adjective> chairmanship": the state's adjective just
    before a chairmanship."""
    word = doc.toks[hit.first_token].text
    for country, span in _chair_states(doc):
        after = span.last_token + 1
        if (
            span.last_token == hit.first_token - 1
            and doc.tok_sentence[span.first_token] == sentence
            and (
                word == "chairmanship"
                or word.startswith("председательств")
                # "under the <adjective> presidency" (not "the <adjective> presidency said")
                or (
                    word == "presidency"
                    and not (
                        hit.last_token + 1 < len(doc.toks)
                        and doc.toks[hit.last_token + 1].text in _OFFICE_SPEAKS
                    )
                )
            )
        ):
            return country, span.start, span.end
        if (
            0 < hit.first_token - span.last_token <= 3
            and doc.tok_sentence[span.first_token] == sentence
            and after < len(doc.toks)
            and doc.toks[after].text == "s"
            and doc.norm[span.end : doc.toks[after].start] in ("'", "’")
        ):
            return country, span.start, span.end
        if (
            span.last_token == hit.first_token - 1
            and doc.tok_sentence[span.first_token] == sentence
            and doc.toks[span.last_token].text.endswith("s")
            and doc.norm[span.end : hit.start].strip() in ("'", "’")
        ):
            return country, span.start, span.end  # "Belarus' presidency"
    return None


def _chair_states(doc: Doc) -> list[tuple[str, Span]]:
    """The states the chair readers weigh: a state inside an organisation's or format's name ("the
    Russia-Africa Summit") is not one (computed once: every chair reader asks)."""
    if doc.chair_states is None:
        inside = [f.span for f in doc.found.formats]
        doc.chair_states = [
            (code, span)
            for code, span in states(doc)
            if not any(f.first_token <= span.first_token and span.last_token <= f.last_token for f in inside)
        ]
    return doc.chair_states


_DATELINE_END = frozenset("-–—/):")
_DELEGATION_REACH = 20  # tokens after the verb: the head's titles and name, then "وفد ..."


_HEADING_VERBS = frozenset(("chair_subject", "chair_opening_verb"))


def _heads_a_delegation(doc: Doc, hit: CueHit, sentence: int) -> bool:
    """The verb heads a delegation ("ترأس ... وفد دولة ..."): a delegation word follows it before any
    summit word of the sentence."""
    # "وترأس القمة رئيس جمهورية ...": the summit is what the verb presides, whatever delegations follow
    if any(0 < a.cue.first_token - hit.last_token <= 2 for a in same_summit_anchors(doc)):
        return False
    # "ترأس ... أعمال القمة التي شاركت فيها وفود ...": the summit comes first, the delegations are others
    summit_word = min(
        (
            a.first_token
            for a in doc.cues.get("anchor", [])
            if a.first_token > hit.last_token and doc.tok_sentence[a.first_token] == sentence
        ),
        default=len(doc.toks),
    )
    return any(
        0 < d.first_token - hit.last_token <= _DELEGATION_REACH
        and d.first_token < summit_word
        and doc.tok_sentence[d.first_token] == sentence
        for d in doc.cues.get("delegation", [])
    )


def _opens_clause(doc: Doc, token: int) -> bool:
    """The token begins its sentence, or only a dateline stands before it ("الدوحة في 05 ديسمبر /قنا/
    ترأس ...", "MINSK, Nov 23 (Reuters) - ...")."""
    sentence = doc.tok_sentence[token]
    if token == 0 or doc.tok_sentence[token - 1] != sentence:
        return True
    gap = doc.norm[doc.toks[token - 1].end : doc.toks[token].start]
    first = token
    while first > 0 and doc.tok_sentence[first - 1] == sentence:
        first -= 1
    return any(ch in _DATELINE_END for ch in gap) and token - first <= 8


def _first_state_after(doc: Doc, token: int, window: int, sentence: int) -> tuple[str, int, int] | None:
    """The first state named after `token`; one it was taken over *from* is the previous chair: none."""
    for country, span in _chair_states(doc):
        if 0 < span.first_token - token <= window and doc.tok_sentence[span.first_token] == sentence:
            # "from X", "من رئيس النيجر": the state (or its head, by title) it passes from
            lead = range(max(token + 1, span.first_token - _FROM_REACH), span.first_token)
            if any(doc.toks[i].text in _HANDED_FROM for i in lead):
                return None
            return country, span.start, span.end
    return None


_FROM_REACH = 3  # tokens before a state where "from" marks the one a chairmanship passes from


def _passed_from(doc: Doc, state_start: int, sentence: int) -> bool:
    """A "from" word ("من", "from", "от", "خلفا", "succeeding") at most `_FROM_REACH` words before the
    state a cue reads ("خلفا لرئيس الوزراء الإثيوبي"): the one the chairmanship passes from."""
    first = bisect.bisect_left(token_starts(doc), state_start)
    if first >= len(doc.toks):
        return False
    # "خلفا ل<title> <state> <name>": the head's titles and state before the name read count as one
    named = _title_and_state_tokens(doc)
    while first > 0 and first - 1 in named and doc.tok_sentence[first - 1] == sentence:
        first -= 1
    lead = [i for i in range(max(0, first - _FROM_REACH), first) if doc.tok_sentence[i] == sentence]
    froms = [i for i in lead if doc.toks[i].text in _HANDED_FROM]
    # "от Казахстана к Кыргызстану", "من الصين إلى طاجيكستان": a "to" after the "from" leads to the recipient
    # ("от Казахстана перешло Кыргызстану": so does a hand-over verb)
    verbs = {i for h in doc.cues.get("chair_handover", []) for i in range(h.first_token, h.last_token + 1)}
    # ("خلفا لرئيس ...": the "ل" right after "خلفا" is its object's, no "to")
    return bool(froms) and not any(
        doc.toks[i].text in _HANDED_TO or (doc.toks[i].text in _TO_AR and i > froms[-1] + 1) or i in verbs
        for i in lead
        if i > froms[-1]
    )


def _sole_state_before(doc: Doc, token: int, sentence: int) -> tuple[str, int, int] | None:
    """ "افتتح الملك سلمان ... أعمال القمة ..., بعد أن تسلم رئاسة القمة من الأردن": the one state the
    sentence names before the verb is its subject, however far back."""
    before = [
        (code, span)
        for code, span in _chair_states(doc)
        if span.last_token < token and doc.tok_sentence[span.first_token] == sentence
    ]
    if len({c for c, _ in before}) != 1:
        return None
    return before[0][0], before[0][1].start, before[0][1].end


def _state_before(doc: Doc, token: int, window: int, sentence: int) -> tuple[str, int, int] | None:
    best = None
    for country, span in _chair_states(doc):
        if 0 < token - span.last_token <= window and doc.tok_sentence[span.first_token] == sentence:
            best = (country, span.start, span.end)
    return best


STATUS_CATEGORIES = ("upcoming", "ongoing", "held", "closing")
_STATUS_CUES = (*STATUS_CATEGORIES, "opening")
_DAY_WORDS = ("today", "yesterday")


def status_signals(doc: Doc) -> dict[str, float]:
    """What the verbs of the sentences about the summit, and its date against the article's, say of
    its status: `decide` weighs them (held, ongoing or upcoming)."""
    main = doc.main
    assert main is not None
    summit_sentences = [a.sentence for a in same_summit_anchors(doc)]
    ordered = list(dict.fromkeys([main.sentence, *sorted(summit_sentences)]))
    said = [(s, _status_in(doc, {s})) for s in ordered]
    said = [(s, status) for s, status in said if status is not None]
    out: dict[str, float] = {}
    if said:
        first_sentence, first = said[0]
        out[f"first_says_{first}"] = 1.0
        out["first_is_headline"] = float(_is_headline(doc, first_sentence))
        later = [status for s, status in said[1:]]
        if later:
            out[f"next_says_{later[0]}"] = 1.0
        for status in {status for _, status in said}:
            out[f"any_says_{status}"] = 1.0
    main_status = _status_in(doc, {main.sentence})
    if main_status is not None:
        out[f"main_says_{main_status}"] = 1.0
    lead = lead_sentences(doc)
    lead_status = _status_in(doc, lead)
    if lead_status is not None:
        out[f"lead_says_{lead_status}"] = 1.0
    summit = set(ordered)
    for category in (*_STATUS_CUES, *_DAY_WORDS):
        hits = status_cues(doc, category)
        at = [doc.tok_sentence[h.first_token] for h in hits]
        out[f"{category}_in_headline"] = float(0 in at)
        out[f"{category}_in_summit_sentences"] = float(sum(s in summit for s in at))
        # every cue the main sentence and the lead hold (not only the one `_status_in` ranks first)
        out[f"{category}_in_main"] = float(main.sentence in at)
        out[f"{category}_in_lead"] = float(any(s in lead for s in at))
        out[f"{category}_in_text"] = float(len(at))
    if doc.published is not None:
        # dates written in the sentences about the summit, against the article's own day
        for mention in _all_dates(doc):
            if sentence_of(doc, mention.start) not in summit:
                continue
            days = (_as_day(mention.start_date) - doc.published).days
            when = "before" if days < 0 else "on" if days == 0 else "after"
            kind = "relative" if mention.relative else "written"
            out[f"{kind}_date_{when}_publication"] = out.get(f"{kind}_date_{when}_publication", 0.0) + 1.0
    out["ended_before_publication"] = float(_ended_before_publication(doc))
    out["goes_on_after_publication"] = float(_goes_on_after_publication(doc))
    out["completed_words"] = float(_completed(doc, summit))
    if doc.date is not None and doc.published is not None:
        day = doc.date.start_date
        published = doc.published.isoformat()[: len(day)]
        out["date_after_publication"] = float(day > published)
        out["date_is_publication"] = float(day == published)
        out["date_before_publication"] = float(day < published)
    return out


def status_cues(doc: Doc, category: str) -> list[CueHit]:
    """The hits of a status category: its list in the lexicon, which the other readers share, and its
    `<category>_tense` list, which only the status reader reads (a wording in both counts once); the day
    words ("today", "اليوم") only as written in the lexicon (the Arabic key of "اليوم" is the bare "يوم",
    a day of any date)."""
    if category in _DAY_WORDS:
        written = _day_words(doc.lang, category)
        return [h for h in doc.cues.get(category, []) if doc.norm[h.start : h.end] in written]
    hits = doc.cues.get(category, [])
    seen = {(h.start, h.end) for h in hits}
    return hits + [h for h in doc.cues.get(f"{category}_tense", []) if (h.start, h.end) not in seen]


@lru_cache(maxsize=16)
def _day_words(lang: str, category: str) -> frozenset[str]:
    section = tomllib.loads(files("handlers").joinpath("data/cues.toml").read_text("utf-8")).get(lang, {})
    return frozenset(normalise(phrase) for phrase in section.get(category, []))


def _goes_on_after_publication(doc: Doc) -> bool:
    """A summit of several days that ends after the article's date ("من 9 إلى 10 سبتمبر", dated the 9th)."""
    if doc.date is None or doc.date.end_date is None or doc.published is None:
        return False
    return doc.date.end_date > doc.published.isoformat()


def _is_headline(doc: Doc, sentence: int) -> bool:
    """The body's first line, standing alone (a headline the scraper kept)."""
    if sentence != 0 or not doc.sentences:
        return False
    end = doc.sentences[0][1]
    return doc.norm[end : end + 1] == "\n"


def _ended_before_publication(doc: Doc) -> bool:
    """ "The summit opened on October 22" in an article of the 23rd: it is no longer news in progress."""
    if doc.date is None or doc.published is None:
        return False
    last = doc.date.end_date or doc.date.start_date
    return len(last) == 10 and last < doc.published.isoformat()


def sentence_status(doc: Doc, sentence: int) -> str | None:
    """What the verbs of one sentence say: held, ongoing, upcoming, or None (no such word)."""
    return _status_in(doc, {sentence})


def summit_status(doc: Doc) -> str | None:
    """What the verbs say of the summit itself: its main sentence's status, else the lead's."""
    main = doc.main
    assert main is not None
    return _status_in(doc, {main.sentence}) or _status_in(doc, lead_sentences(doc))


def _status_in(doc: Doc, sentences: set[int]) -> str | None:
    # "تستمر حتى الثلاثاء المقبل", "until next Tuesday": a "next" inside a date says when, not what tense
    in_dates = [(m.start, m.end) for m in _sentence_dates(doc, sentences)]
    seen = {
        category: any(
            doc.tok_sentence[h.first_token] in sentences
            and not (category == "upcoming" and any(s <= h.start < e for s, e in in_dates))
            for h in status_cues(doc, category)
        )
        for category in STATUS_CATEGORIES
    }
    if seen["closing"]:
        return "held"  # "concluded today": over, even if the same sentence says when it opened
    if seen["upcoming"] and not _completed(doc, sentences):
        return "upcoming"
    if seen["ongoing"]:
        return "ongoing"
    return "held" if seen["held"] else None


def _sentence_dates(doc: Doc, sentences: set[int]) -> list[DateMention]:
    """The date mentions of `sentences` (found once per article)."""
    return [m for m in _all_dates(doc) if sentence_of(doc, m.start) in sentences]


def _all_dates(doc: Doc) -> list[DateMention]:
    if doc.date_mentions is None:
        published = doc.published or url_day(doc.article.url)
        hint = year_hint(doc.article.url) if published is None else None
        doc.date_mentions = find_dates(doc.norm, doc.lang, published, hint)
        filed = _filed_day(doc, doc.date_mentions, published)
        if filed is not None:
            doc.date_mentions = find_dates(doc.norm, doc.lang, filed, hint)
    return doc.date_mentions


_FILED_BEFORE = 2  # days a dispatch's dateline may stand before the article's publication date


def _filed_day(doc: Doc, mentions: list[DateMention], published: date | None) -> date | None:
    """The day of the dispatch's dateline ("RIYADH, 9 December 2018 -") when it is a day or two before the
    article's publication date and the text has relative days: its "today" and weekdays count from the
    day it was filed, not the day it was put online."""
    if published is None or not any(m.relative for m in mentions):
        return None
    for mention in mentions:
        if mention.relative or len(mention.start_date) != 10 or mention.end_date is not None:
            continue
        if not _in_dateline(doc, mention):
            continue
        day = date.fromisoformat(mention.start_date)
        return day if 0 < (published - day).days <= _FILED_BEFORE else None
    return None


_URL_DAY = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/")


def url_day(url: str | None) -> date | None:
    """The day an article's URL path writes ("/2019/06/28/"), which dates an article that gives no
    publication date (how the labels date "today" and weekdays in such an article)."""
    found = _URL_DAY.search(url or "")
    if found is None:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


_URL_MONTH = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])(?:[/-]|$)")
_URL_YEAR = re.compile(r"/((?:19|20)\d\d)/")


def year_hint(url: str | None) -> date | None:
    """Where a day and month written without a year most likely fall, for an article with no publication
    date (how the labels read them too): the year and month of its URL's path ("/2020/11/"), else its
    year ("/2019/"). (A year the text writes was tried as a hint too: in cross-validation it dated more
    summits wrongly than rightly.)"""
    if url:
        found = _URL_MONTH.search(url)
        if found:
            return date(int(found.group(1)), int(found.group(2)), 15)
        year = _URL_YEAR.search(url)
        if year:
            return date(int(year.group(1)), 7, 1)
    return None


def _completed(doc: Doc, sentences: set[int]) -> bool:
    markers = {"اختتمت", "اختتم", "ختام", "اختتام", "concluded", "завершился", "завершилась"}
    return any(
        doc.tok_sentence[h.first_token] in sentences and doc.norm[h.start : h.end] in markers
        for h in doc.cues.get("held", [])
    )
