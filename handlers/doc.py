"""The article on its way through the steps (`Doc`), what steps share, and the queries they ask of it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from handlers.clean import Boilerplate
from handlers.cues import CueHit, LanguageCues
from handlers.dates import DateMention
from handlers.entities import CityRef, FormatRef, Found, Gazetteer, PersonRef, Span
from handlers.knowledge import KnowledgeBase, Leader, Official, SummitFormat, name_skeleton
from handlers.ordinals import OrdinalMention, is_count_context
from handlers.scan import FirstLook
from handlers.text import NormText, Token
from schemas import RawArticle

if TYPE_CHECKING:
    from handlers.decide import Decider
    from handlers.identity import Readings

# How far (in tokens) a format name may stand from the summit word it names.
FORMAT_WINDOW_AFTER = 12


FORMAT_WINDOW_BEFORE = 4


# A lead is the headline lines plus this many full sentences.
LEAD_SENTENCES = 2


FULL_SENTENCE_TOKENS = 8


@dataclass(frozen=True, slots=True)
class Resources:
    """What every step shares, built once at start-up."""

    kb: KnowledgeBase
    gazetteer: Gazetteer
    cues: dict[str, LanguageCues]
    boilerplate: Boilerplate
    decider: Decider | None = None  # the learned decisions (handlers/decide.py), loaded once
    # per language: lead word -> whether it may begin a summit word or name (the first look, remembered)
    lead_words: dict[str, dict[str, bool | frozenset[str]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # per language: the first look compiled into one scan (handlers/scan.py); without it, word by word
    first_looks: dict[str, FirstLook] = field(default_factory=dict, compare=False, repr=False)


@dataclass(slots=True)
class Anchor:
    """A word naming a summit-level meeting, with what the text attaches to it."""

    cue: CueHit
    sentence: int
    referenced: bool
    fmt: FormatRef | None = None
    ordinal: OrdinalMention | None = None
    next_meeting: bool | None = None  # `names_next_meeting`, once asked
    sideline: bool = False  # referenced by "on the sidelines of": what happens there happens at the summit
    negated: bool = False  # inside a phrase naming another kind of meeting ("business summit", "لقاء قمة")


@dataclass(slots=True)
class Person:
    """A head of state or government (or an official) tied to the summit."""

    ref: PersonRef
    leader: Leader | None
    official: Official | None
    country: str | None
    role: str
    name_original_span: Span
    guest: bool = False
    invited_only: bool = False  # named as invited: a leader of the summit, but not (yet) a participant
    mentions: list[Span] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)  # what its mentions show (features read these)


@dataclass(slots=True)
class DocumentFound:
    title_span: Span
    kind: str


@dataclass(slots=True)
class Doc:
    """One article on its way through the steps."""

    article: RawArticle
    lang: str = "und"
    text: NormText | None = None
    norm: str = ""
    toks: list[Token] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    tok_sentence: list[int] = field(default_factory=list)
    cues: dict[str, list[CueHit]] = field(default_factory=dict)
    ordinals: list[OrdinalMention] = field(default_factory=list)
    found: Found = field(default_factory=Found)
    published: date | None = None
    lead_end: int = 0  # first token past the lead
    anchors: list[Anchor] = field(default_factory=list)
    main: Anchor | None = None
    fmt: SummitFormat | None = None
    excluded_sentences: set[int] = field(default_factory=set)
    # what the steps ask of the names found more than once, kept after the first answer
    credible: list[PersonRef] | None = None
    named_states: list[tuple[str, Span]] | None = None
    chair_states: list[tuple[str, Span]] | None = None  # `fields._chair_states`, once
    date_mentions: list[DateMention] | None = None  # every date of the text, found once when asked
    years_by_sentence: dict[int, set[int]] | None = None  # the years (1900-2100) each sentence writes, once
    # indexes built once when first asked (`sentence_of`, `belongs_to_other_anchor`): asked per mention
    sentence_starts: list[int] = field(default_factory=list)
    tok_starts: list[int] | None = None  # each token's start offset (`token_starts`)
    anchors_index: _AnchorIndex | None = None
    reason: str = ""
    # extracted fields
    name_span: tuple[int, int] | None = None
    ordinal: OrdinalMention | None = None
    date: DateMention | None = None
    venue_city: CityRef | None = None
    venue_country: str | None = None
    venue_span: tuple[int, int] | None = None
    chair: str | None = None
    chair_span: tuple[int, int] | None = None
    status: str = "held"
    people: list[Person] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    documents: list[DocumentFound] = field(default_factory=list)
    chair_pointers: list[tuple[str, str, tuple[int, int], CueHit]] = field(default_factory=list)
    confidence: float = 0.0  # the detection model's probability that the article reports this summit
    readings: Readings | None = None  # the readers' ordinal, date and venue before the decisions (identity's)


def sentence_of(doc: Doc, pos: int) -> int:
    """The sentence that character `pos` is in."""
    starts = doc.sentence_starts
    if len(starts) != len(doc.sentences):
        starts = doc.sentence_starts = [s for s, _ in doc.sentences]
    return max(0, bisect.bisect_right(starts, pos) - 1)


def token_starts(doc: Doc) -> list[int]:
    """Each token's start offset in `doc.norm`, made once per article (several readers bisect it)."""
    starts = doc.tok_starts
    if starts is None:
        starts = doc.tok_starts = [t.start for t in doc.toks]
    return starts


def ordinal_span(doc: Doc, ordinal: OrdinalMention) -> Span:
    """The tokens an ordinal covers."""
    starts = token_starts(doc)
    first = max(0, min(bisect.bisect_right(starts, ordinal.start) - 1, len(doc.toks) - 1))
    last = max(first, min(bisect.bisect_left(starts, ordinal.end) - 1, len(doc.toks) - 1))
    return Span(ordinal.start, ordinal.end, first, last)


def lead_sentences(doc: Doc) -> set[int]:
    return set(doc.tok_sentence[: min(doc.lead_end, len(doc.toks))])  # the sentences of the lead's tokens


def same_summit(doc: Doc, anchor: Anchor) -> bool:
    """Whether `anchor` names the summit the article is about (its format, a party of it, or no format)."""
    main = doc.main
    assert main is not None
    if anchor is main:
        return True
    if anchor.referenced:
        return False
    if names_next_meeting(doc, anchor) and not names_next_meeting(doc, main):
        return False  # "القمة المقبلة", "the next summit": the series' next meeting, not this one
    main_ordinal = main.ordinal.value if main.ordinal else None
    if anchor.ordinal is not None and main_ordinal is not None and anchor.ordinal.value != main_ordinal:
        return False
    if anchor.fmt is None or doc.fmt is None:
        return True
    if anchor.fmt.fmt.key == doc.fmt.key:
        return True
    return doc.fmt.scope == "interregional" and set(anchor.fmt.fmt.members) <= set(doc.fmt.members)


_NEXT_REACH = 4  # tokens from "next" to the summit words: "next meeting of the <format>"


def names_next_meeting(doc: Doc, anchor: Anchor) -> bool:
    """ "القمة المقبلة", "the next summit", "следующий саммит": a "next" word right beside the summit word
    (or the format name written with it). Asked often: answered once per anchor."""
    if anchor.next_meeting is not None:
        return anchor.next_meeting
    first, last = anchor.cue.first_token, anchor.cue.last_token
    if anchor.fmt is not None:
        first, last = min(first, anchor.fmt.span.first_token), max(last, anchor.fmt.span.last_token)
    after = any(h.first_token == last + 1 for h in doc.cues.get("next_after", []))
    # "the next summit", "the next meeting of the Supreme Eurasian Economic Council", "Следующая сессия СКБ"
    before = any(
        1 <= first - h.last_token <= _NEXT_REACH and doc.tok_sentence[h.last_token] == anchor.sentence
        for h in doc.cues.get("next_before", [])
    )
    anchor.next_meeting = after or before
    return anchor.next_meeting


def sideline_sentences(doc: Doc) -> set[int]:
    """Sentences whose summit words all say "on the sidelines of" this summit (its format or none, its
    ordinal or none): "На полях саммита Путин провел встречи с Токаевым и Мирзиёевым" - whoever meets
    there attends it."""
    main = doc.main
    assert main is not None
    by_sentence: dict[int, list[Anchor]] = {}
    for anchor in doc.anchors:
        by_sentence.setdefault(anchor.sentence, []).append(anchor)
    main_ordinal = main.ordinal.value if main.ordinal else None
    out: set[int] = set()
    for sentence, anchors in by_sentence.items():
        if all(
            a.sideline
            and (a.fmt is None or doc.fmt is None or a.fmt.fmt.key == doc.fmt.key)
            and (a.ordinal is None or main_ordinal is None or a.ordinal.value == main_ordinal)
            for a in anchors
        ):
            out.add(sentence)
    return out


def same_summit_anchors(doc: Doc) -> list[Anchor]:
    """The main anchor first, then every other word that names the same summit, in text order."""
    assert doc.main is not None
    others = [
        a
        for a in doc.anchors
        if a is not doc.main and a.sentence not in doc.excluded_sentences and same_summit(doc, a)
    ]
    return [doc.main, *others]


def belongs_to_other_anchor(doc: Doc, token: int) -> bool:
    """Whether the nearest summit word before `token` in its sentence names another meeting."""
    index = doc.anchors_index
    if index is None or index.size != len(doc.anchors):
        index = doc.anchors_index = _AnchorIndex(doc.anchors)
    before = index.last_before(doc.tok_sentence[token], token)
    return before is not None and not same_summit(doc, before)


class _AnchorIndex:
    """Per sentence, the summit words in `doc.anchors` order, searchable by their last token: which is the
    last of them (in that order) to end before a given token (asked for every name and list item)."""

    __slots__ = ("_by_sentence", "size")

    def __init__(self, anchors: list[Anchor]) -> None:
        self.size = len(anchors)
        grouped: dict[int, list[Anchor]] = {}
        for anchor in anchors:
            grouped.setdefault(anchor.sentence, []).append(anchor)
        self._by_sentence: dict[int, tuple[list[int], list[Anchor]]] = {}
        for sentence, members in grouped.items():
            order = sorted(range(len(members)), key=lambda k: members[k].cue.last_token)
            lasts, latest, best = [], [], -1
            for k in order:  # latest[i]: the member latest in list order among the i+1 that end first
                best = max(best, k)
                lasts.append(members[k].cue.last_token)
                latest.append(members[best])
            self._by_sentence[sentence] = (lasts, latest)

    def last_before(self, sentence: int, token: int) -> Anchor | None:
        lasts, latest = self._by_sentence.get(sentence, ([], []))
        i = bisect.bisect_left(lasts, token)
        return latest[i - 1] if i else None


def states(doc: Doc) -> list[tuple[str, Span]]:
    """Every state the text names, directly or through its head of state, in text order (computed once)."""
    if doc.named_states is None:
        out = [(c.code, c.span) for c in doc.found.countries]
        for ref in credible_people(doc):
            codes = {
                p.country for p in ref.candidates if isinstance(p, Leader) and p.country and _serving(doc, p)
            }
            if len(codes) == 1:
                out.append((codes.pop(), ref.span))
        doc.named_states = sorted(out, key=lambda x: x[1].start)
    return doc.named_states


_SERVING_GRACE = timedelta(days=60)  # an article may report a summit some weeks after it


def _serving(doc: Doc, leader: Leader) -> bool:
    """Whether `leader` held the office when the article was written (or shortly before): a former head
    ("أنطونيو كوستا", now President of the European Council) does not bring his state along."""
    on = doc.published
    return on is None or leader.in_office(on) or leader.in_office(on - _SERVING_GRACE)


def credible_people(doc: Doc) -> list[PersonRef]:
    """Full names, and surnames that the text vouches for: a title or the person's state beside them,
    or the same person named credibly elsewhere in the article (computed once per article)."""
    if doc.credible is None:
        doc.credible = _credible_people(doc)
    return doc.credible


def _credible_people(doc: Doc) -> list[PersonRef]:
    credible: list[PersonRef] = []
    vouched: set[str] = set()
    pending: list[PersonRef] = []
    for ref in doc.found.people:
        if not ref.surname_only or _has_context(doc, ref):
            credible.append(ref)
            vouched.update(p.name_en for p in ref.candidates)
        else:
            pending.append(ref)
    credible.extend(r for r in pending if any(p.name_en in vouched for p in r.candidates))
    return sorted(credible, key=lambda r: r.span.start)


def _has_context(doc: Doc, ref: PersonRef) -> bool:
    first = ref.span.first_token
    countries = {p.country for p in ref.candidates if isinstance(p, Leader)}
    titled = any(0 < first - t.span.last_token <= 3 for t in doc.found.titles)
    if titled and not _of_another_state(doc, first, countries):
        return True
    for c in doc.found.countries:
        if c.code in countries and (
            0 < first - c.span.last_token <= 3 or 0 < c.span.first_token - ref.span.last_token <= 2
        ):
            return True
    if _given_name_before(doc, ref):
        return True
    organizations = {p.organization for p in ref.candidates if isinstance(p, Official)}
    return any(
        f.fmt.organization in organizations and 0 < first - f.span.last_token <= 4 for f in doc.found.formats
    )


def _given_name_before(doc: Doc, ref: PersonRef) -> bool:
    """A surname written after the leader's own given name, or its initial ("M. Surname", "В. В. Фамилия"),
    with at most one middle name between ("Given Middle Surname"): the text names that person, not a
    namesake or a word spelled like the surname."""
    firsts = _given_skeletons(ref)
    if not firsts:
        return False
    first = ref.span.first_token
    initials = {f[0] for f in firsts}
    i, middle = first - 1, 0
    while i >= 0 and first - i <= 3:
        gap = doc.norm[doc.toks[i].end : doc.toks[i + 1].start]
        if any(ch in gap for ch in ',;:()"\n') or ("." in gap and len(doc.toks[i].text) != 1):
            return False
        word = doc.toks[i].text
        if not word.isalpha():
            return False
        if len(word) == 1:
            # an initial: one letter then a full stop, in a cased script
            after = doc.norm[doc.toks[i].end : doc.toks[i].end + 1]
            return doc.lang != "ar" and after == "." and name_skeleton(word)[:1] in initials
        skeleton = name_skeleton(word)
        if any(_same_given(skeleton, f) for f in firsts):
            return True
        middle += 1
        if middle > 1 or doc.lang == "ar" or not _capitalised_word(doc, i):
            return False
        i -= 1
    return False


def _capitalised_word(doc: Doc, token: int) -> bool:
    if doc.text is None:
        return True
    written = doc.text.span(doc.toks[token].start, doc.toks[token].end)[2]
    return written[:1].isupper()


def _same_given(written: str, given: str) -> bool:
    """The same given name, allowing a case ending (Махмудом for Махмуд) in the written form."""
    if written == given:
        return True
    return len(given) >= 3 and written.startswith(given) and len(written) - len(given) <= 2


# words some listed name forms open with that are a title, not a given name
_HONORIFICS = frozenset(
    (
        *("king", "queen", "prince", "sheikh", "shaikh", "sayyid", "sultan", "emir", "amir", "sir", "dr"),
        *("الملك", "الشيخ", "السيد", "السلطان", "الأمير", "الامير", "أمير", "امير"),
        *("король", "королева", "принц", "шейх", "султан", "эмир"),
    )
)


def _given_skeletons(ref: PersonRef) -> set[str]:
    """Skeletons of the candidates' given names (the first word of each full name, in every language)."""
    out: set[str] = set()
    for person in ref.candidates:
        if not isinstance(person, Leader):
            continue
        for names in person.names.values():
            for name in names:
                words = name.split()
                if len(words) < 2 or len(words[0]) < 3 or "." in words[0] or words[0].lower() in _HONORIFICS:
                    continue
                skeleton = name_skeleton(words[0].lower())
                if len(skeleton) >= 3:
                    out.add(skeleton)
    return out


_TITLED_NAME_REACH = (
    5  # tokens from a state back over its titles to the name: "UAE Prime Minister Sheikh ..."
)


def _of_another_state(doc: Doc, name_first: int, countries: set[str | None]) -> bool:
    """ "UAE Prime Minister Sheikh Muhammad ...": the titles before the name belong to a state that none of
    the candidates leads, so they do not vouch for a surname read as theirs."""
    if not countries:
        return False
    before = [c for c in doc.found.countries if 0 < name_first - c.span.last_token <= _TITLED_NAME_REACH]
    return bool(before) and max(before, key=lambda c: c.span.last_token).code not in countries


def ordinal_before(doc: Doc, first: int) -> OrdinalMention | None:
    """ "the 7th summit", "VII саммит", "أول قمة", "первый в истории саммит": an ordinal just before the
    summit word (one word, or filler such as "в истории", may stand between). Not "the first summit since
    2019": the first one after something, not the series' first."""
    for mention in _close_before(doc, first, ordinal_filler(doc)):
        if not is_count_context(doc.norm, mention):
            if mention.value == 1 and since_after(doc, first):
                return None
            if _after_possessive(doc, mention.start) and _capacity_after(doc, first):
                return None  # "their first ASEAN summit as leaders": the person's count, not the series'
            return mention
    return None


def ordinal_filler(doc: Doc) -> set[int]:
    """The tokens of words that may stand between an ordinal and its summit word ("в истории", "ever")."""
    return {i for h in doc.cues.get("ordinal_filler", []) for i in range(h.first_token, h.last_token + 1)}


def _close_before(doc: Doc, first: int, filler: set[int]) -> list[OrdinalMention]:
    """The ordinals ending before token `first` with at most one word (filler aside) between, in text
    order: walked back from `first`, so only the words up to the second one between are looked at."""
    start = doc.toks[first].start
    before = doc.ordinals[: bisect.bisect_right([m.end for m in doc.ordinals], start)]
    close: list[OrdinalMention] = []
    between, i = 0, first - 1
    for mention in reversed(before):
        while i >= 0 and doc.toks[i].start >= mention.end and between <= 1:
            between += i not in filler
            i -= 1
        if between > 1:
            break
        close.append(mention)
    return close[::-1]


def _after_possessive(doc: Doc, pos: int) -> bool:
    return any(h.end <= pos and not doc.norm[h.end : pos].strip() for h in doc.cues.get("possessive", []))


def _capacity_after(doc: Doc, first: int) -> bool:
    return _cue_soon_after(doc, "capacity", first)


# tokens after the summit phrase's first word: "first summit since", "أول قمة عربية تنعقد منذ"
_SINCE_REACH = 5


def _cue_soon_after(doc: Doc, category: str, first: int) -> bool:
    return any(0 < h.first_token - first <= _SINCE_REACH for h in doc.cues.get(category, []))


def since_after(doc: Doc, first: int) -> bool:
    """ "the first summit since 2019": a "since" word a few tokens after the summit phrase's first word."""
    return _cue_soon_after(doc, "since", first)


def reference_day(doc: Doc) -> date | None:
    if doc.date is not None:
        return date.fromisoformat(doc.date.start_date + ("-01" if len(doc.date.start_date) == 7 else ""))
    return doc.published
