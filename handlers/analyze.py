"""Detection and extraction over one article: the steps the route table chains.

Each step takes the `Doc` built so far and the shared `Resources`, and returns the `Doc` (with
more filled in) or None when the article turns out not to report a summit. Steps are pure:
they read the text and the knowledge base and never touch I/O.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from handlers.clean import Boilerplate, blank_boilerplate
from handlers.cues import CueHit, LanguageCues
from handlers.dates import DateMention, find_dates
from handlers.entities import CityRef, CountryRef, FormatRef, Found, Gazetteer, PersonRef, Span
from handlers.knowledge import City, KnowledgeBase, Leader, Official, SummitFormat, name_skeleton
from handlers.language import SUPPORTED, detect_language
from handlers.match import strip_article, token_keys
from handlers.ordinals import OrdinalMention, find_ordinals, is_count_context, ordinal_after
from handlers.text import TOKEN_RE, NormText, Token, iter_sentences, tokens
from schemas import RawArticle

# How far (in tokens) a format name may stand from the summit word it names.
_FORMAT_WINDOW_AFTER = 12
_FORMAT_WINDOW_BEFORE = 4
# A lead is the headline lines plus this many full sentences.
_LEAD_SENTENCES = 2
_FULL_SENTENCE_TOKENS = 8


@dataclass(frozen=True, slots=True)
class Resources:
    """What every step shares, built once at start-up."""

    kb: KnowledgeBase
    gazetteer: Gazetteer
    cues: dict[str, LanguageCues]
    boilerplate: Boilerplate


@dataclass(slots=True)
class Anchor:
    """A word naming a summit-level meeting, with what the text attaches to it."""

    cue: CueHit
    sentence: int
    referenced: bool
    fmt: FormatRef | None = None
    ordinal: OrdinalMention | None = None


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


# --------------------------------------------------------------------------- preparation steps


def prepare(doc: Doc, res: Resources) -> Doc | None:
    """Normalise, blank boilerplate, tokenise, split sentences and find cues and names."""
    article = doc.article
    doc.lang = article.language if article.language in SUPPORTED else detect_language(article.body)
    if doc.lang not in SUPPORTED:
        doc.reason = f"language {doc.lang!r} is not supported"
        return None
    doc.text = NormText.of(article.body)
    doc.norm = blank_boilerplate(doc.text.norm, res.boilerplate)
    doc.sentences = list(iter_sentences(doc.norm))
    doc.published = article.published_date
    if not _may_name_a_summit(tokens(doc.norm[: _lead_chars(doc)]), doc.lang, res):
        # most of the stream: no word of the lead can begin a summit word or a summit's name
        doc.reason = "no summit reported in the lead"
        return None
    doc.toks = tokens(doc.norm)
    doc.tok_sentence = _sentence_of_each_token(doc.toks, doc.sentences)
    doc.lead_end = _lead_end(doc)
    doc.cues = res.cues[doc.lang].find(doc.toks)
    doc.ordinals = find_ordinals(doc.norm, doc.lang)
    doc.found.formats = res.gazetteer.find_formats(doc.toks, _tokens_within(doc.toks, doc.ordinals))
    if not _summit_word_in_lead(doc):
        # most of the stream: nothing in the lead names a summit, so no name lookups are needed
        doc.reason = "no summit reported in the lead"
        return None
    res.gazetteer.find_rest(doc.toks, doc.found)
    return doc


def _sentence_of_each_token(toks: list[Token], sentences: list[tuple[int, int]]) -> list[int]:
    starts = [s for s, _ in sentences]
    index, out = 0, []
    for tok in toks:
        while index + 1 < len(starts) and starts[index + 1] <= tok.start:
            index += 1
        out.append(index)
    return out


def _lead_chars(doc: Doc) -> int:
    """Where the lead ends in the text: the same lead as `_lead_end`, found without tokenising it all."""
    full = 0
    for start, end in doc.sentences:
        count = sum(1 for _ in TOKEN_RE.finditer(doc.norm, start, end))
        if count >= _FULL_SENTENCE_TOKENS:
            full += 1
        if full >= _LEAD_SENTENCES:
            return end
    return len(doc.norm)


def _may_name_a_summit(lead: list[Token], lang: str, res: Resources) -> bool:
    """A cheap first look: does any word of the lead begin a summit word or a summit's name?"""
    cues = res.cues[lang]
    firsts = res.gazetteer.summit_name_firsts
    for tok in lead:
        if cues.may_begin_anchor(tok.text) or any(key in firsts for key, _ in token_keys(tok.text)):
            return True
    return False


def _summit_word_in_lead(doc: Doc) -> bool:
    """A summit word, or a summit's own name, stands in the lead (what `detect` needs first)."""
    summit_names = (r.span.first_token for r in doc.found.formats if r.kind == "summit")
    anchors = (h.first_token for h in doc.cues.get("anchor", []))
    return any(token < doc.lead_end for token in (*anchors, *summit_names))


def _tokens_within(toks: list[Token], mentions: list[OrdinalMention]) -> frozenset[int]:
    starts = [t.start for t in toks]
    inside: set[int] = set()
    for mention in mentions:
        i = bisect.bisect_left(starts, mention.start)
        while i < len(toks) and toks[i].end <= mention.end:
            inside.add(i)
            i += 1
    return frozenset(inside)


def _lead_end(doc: Doc) -> int:
    full = 0
    count_by_sentence = Counter(doc.tok_sentence)
    for i, s in enumerate(doc.tok_sentence):
        if i and s != doc.tok_sentence[i - 1] and full >= _LEAD_SENTENCES:
            return i
        if (i == 0 or s != doc.tok_sentence[i - 1]) and count_by_sentence[s] >= _FULL_SENTENCE_TOKENS:
            full += 1
    return len(doc.toks)


# --------------------------------------------------------------------------- detection


def detect(doc: Doc, res: Resources) -> Doc | None:
    """Decide whether the article reports a summit; pick the summit it is about."""
    doc.anchors = _anchors(doc)
    lead = [a for a in doc.anchors if a.cue.first_token < doc.lead_end and not a.referenced]
    if not lead:
        doc.reason = "no summit reported in the lead"
        return None
    main = _main_anchor(doc, lead)
    if _negative_before(doc, main):
        doc.reason = "the lead reports a meeting below summit level or another kind of event"
        return None
    doc.main = main
    doc.fmt = main.fmt.fmt if main.fmt else _format_in_sentence(doc, main.sentence)
    if doc.fmt is None or doc.fmt.scope != "interregional":
        doc.fmt = _combined_format(doc, res, main) or doc.fmt
    if doc.fmt is None and len(_countries_in_sentences(doc, {main.sentence, main.sentence + 1})) < 3:
        doc.reason = "a summit word without a known format or three named states"
        return None
    if not _reported_as_event(doc, main):
        doc.reason = "the summit is named, but nothing in the lead says it meets, met or will meet"
        return None
    doc.excluded_sentences = _other_event_sentences(doc)
    return doc


_EVENT_CUES = (
    "held",
    "ongoing",
    "upcoming",
    "event_nouns",
    "host",
    "participation",
    "heads",
    "guest",
    "chair_before",
)


def _reported_as_event(doc: Doc, main: Anchor) -> bool:
    """A sentence naming the summit (or the lead) says it is held, opens, will meet, or who takes part."""
    sentences = {main.sentence} | _lead_sentences(doc)
    sentences |= {a.sentence for a in doc.anchors if not a.referenced and _same_summit(doc, a)}
    return any(
        doc.tok_sentence[hit.first_token] in sentences for cue in _EVENT_CUES for hit in doc.cues.get(cue, [])
    )


def _anchors(doc: Doc) -> list[Anchor]:
    negative_tokens = {
        i for hit in doc.cues.get("negative", []) for i in range(hit.first_token, hit.last_token + 1)
    }
    anchors: list[Anchor] = []
    last_token = -1
    for cue in doc.cues.get("anchor", []):
        if cue.first_token <= last_token or cue.first_token in negative_tokens:
            continue
        last_token = cue.last_token
        sentence = doc.tok_sentence[cue.first_token]
        anchor = Anchor(cue, sentence, _is_referenced(doc, cue, sentence))
        anchor.fmt = _attached_format(doc, cue, sentence)
        anchor.ordinal = _anchor_ordinal(doc, anchor)
        anchors.append(anchor)
    # a format's own summit name ("قمة شنغهاي", "BRICS summit") is an anchor too
    covered = {i for a in anchors for i in range(a.cue.first_token, a.cue.last_token + 1)}
    for ref in doc.found.formats:
        if ref.kind == "summit" and ref.span.first_token not in covered:
            sentence = doc.tok_sentence[ref.span.first_token]
            cue = CueHit("anchor", ref.span.start, ref.span.end, ref.span.first_token, ref.span.last_token)
            anchor = Anchor(cue, sentence, _is_referenced(doc, cue, sentence), ref)
            anchor.ordinal = _anchor_ordinal(doc, anchor)
            anchors.append(anchor)
    return sorted(anchors, key=lambda a: a.cue.start)


def _anchor_ordinal(doc: Doc, anchor: Anchor) -> OrdinalMention | None:
    """The ordinal written right after the summit word or its format name, if any."""
    found = ordinal_after(doc.norm, doc.lang, anchor.cue.end)
    if found is None and anchor.fmt is not None and anchor.fmt.span.end > anchor.cue.end:
        found = ordinal_after(doc.norm, doc.lang, anchor.fmt.span.end)
    return found


def _is_referenced(doc: Doc, cue: CueHit, sentence: int) -> bool:
    for hit in doc.cues.get("reference_before", []):
        if 0 <= cue.first_token - hit.last_token <= 4 and doc.tok_sentence[hit.first_token] == sentence:
            return True
    for hit in doc.cues.get("negative", []):
        if 0 < hit.first_token - cue.last_token <= 3 and doc.tok_sentence[hit.first_token] == sentence:
            return True
    return False


def _attached_format(doc: Doc, cue: CueHit, sentence: int) -> FormatRef | None:
    best: tuple[int, FormatRef] | None = None
    for ref in doc.found.formats:
        if doc.tok_sentence[ref.span.first_token] != sentence:
            continue
        after = ref.span.first_token - cue.last_token
        before = cue.first_token - ref.span.last_token
        overlap = ref.span.first_token <= cue.last_token and ref.span.last_token >= cue.first_token
        if overlap:
            distance = 0
        elif 0 < after <= _FORMAT_WINDOW_AFTER:
            distance = after
        elif 0 < before <= _FORMAT_WINDOW_BEFORE:
            distance = before + 1
        else:
            continue
        # the more specific (longer) name wins at equal distance: "China–Central Asia" over "Central Asia"
        rank = distance * 10 - (ref.span.last_token - ref.span.first_token)
        if best is None or rank < best[0]:
            best = (rank, ref)
    return best[1] if best else None


def _main_anchor(doc: Doc, lead: list[Anchor]) -> Anchor:
    """The lead's summit the article is most about: its format named most often, earliest on a tie.

    A summit word the text repeats without a format ("the consultative meeting") counts for the
    format it was first attached to.
    """
    mentions: Counter[str] = Counter()
    for ref in doc.found.formats:
        mentions[ref.fmt.key] += 2 if ref.kind == "summit" else 1  # naming the summit says more than the body
    wording: dict[str, str] = {}
    for anchor in doc.anchors:
        words = doc.norm[anchor.cue.start : anchor.cue.end]
        if anchor.fmt is not None:
            wording.setdefault(words, anchor.fmt.fmt.key)
        elif not anchor.referenced and words in wording:
            mentions[wording[words]] += 1

    def weight(anchor: Anchor) -> tuple[int, int]:
        return (mentions[anchor.fmt.fmt.key] if anchor.fmt else 0, -anchor.cue.start)

    with_format = [a for a in lead if a.fmt]
    return max(with_format, key=weight) if with_format else lead[0]


def _combined_format(doc: Doc, res: Resources, anchor: Anchor) -> SummitFormat | None:
    """A joint format when the summit word joins two parties: "GCC and Central Asia", "China-Central Asia".

    The parties are the formats and states named around the summit word; the joint format is the
    smallest interregional one whose members cover two parties that do not overlap.
    """
    first, last = anchor.cue.first_token - _FORMAT_WINDOW_BEFORE, anchor.cue.last_token + _FORMAT_WINDOW_AFTER

    def near(span: Span) -> bool:
        return first <= span.first_token <= last and doc.tok_sentence[span.first_token] == anchor.sentence

    parties = [
        frozenset(ref.fmt.members)
        for ref in doc.found.formats
        if near(ref.span) and ref.fmt.scope != "interregional" and ref.fmt.members
    ]
    parties += [frozenset({country.code}) for country in doc.found.countries if near(country.span)]
    pairs = [(a, b) for i, a in enumerate(parties) for b in parties[i + 1 :] if not a & b and len(a | b) > 2]
    if not pairs:
        return None
    joint = [
        fmt
        for fmt in res.kb.formats
        if fmt.scope == "interregional" and any(_covers(fmt, a) and _covers(fmt, b) for a, b in pairs)
    ]
    return min(joint, key=lambda f: len(f.members)) if joint else None


def _covers(fmt: SummitFormat, party: frozenset[str]) -> bool:
    """Whether a joint format takes in (nearly all of) a party: organisations grow, formats lag."""
    return len(party & set(fmt.members)) >= 0.8 * len(party)


def _negative_before(doc: Doc, anchor: Anchor) -> bool:
    for hit in doc.cues.get("negative", []):
        same = doc.tok_sentence[hit.first_token] == anchor.sentence
        if same and hit.last_token < anchor.cue.first_token:
            return True
    return False


def _format_in_sentence(doc: Doc, sentence: int) -> SummitFormat | None:
    refs = [r for r in doc.found.formats if doc.tok_sentence[r.span.first_token] == sentence]
    return refs[0].fmt if refs else None


def _countries_in_sentences(doc: Doc, sentences: set[int]) -> set[str]:
    codes = {c.code for c in doc.found.countries if doc.tok_sentence[c.span.first_token] in sentences}
    for ref in doc.found.people:
        if doc.tok_sentence[ref.span.first_token] in sentences:
            codes.update(p.country for p in ref.candidates if isinstance(p, Leader) and p.country)
    return codes


def _other_event_sentences(doc: Doc) -> set[int]:
    """Sentences about another meeting: a referenced anchor, another format, or another ordinal."""
    main_sentences = {a.sentence for a in doc.anchors if _same_summit(doc, a)}
    return {
        a.sentence
        for a in doc.anchors
        if a.sentence not in main_sentences and (a.referenced or a.fmt is not None or a.ordinal is not None)
    }


def _same_summit(doc: Doc, anchor: Anchor) -> bool:
    """Whether `anchor` names the summit the article is about (its format, a party of it, or no format)."""
    main = doc.main
    assert main is not None
    if anchor is main:
        return True
    if anchor.referenced:
        return False
    main_ordinal = main.ordinal.value if main.ordinal else None
    if anchor.ordinal is not None and main_ordinal is not None and anchor.ordinal.value != main_ordinal:
        return False
    if anchor.fmt is None or doc.fmt is None:
        return True
    if anchor.fmt.fmt.key == doc.fmt.key:
        return True
    return doc.fmt.scope == "interregional" and set(anchor.fmt.fmt.members) <= set(doc.fmt.members)


# --------------------------------------------------------------------------- extraction


def extract(doc: Doc, res: Resources) -> Doc | None:
    """Fill the summit's fields from the text around the chosen summit."""
    assert doc.main is not None
    doc.name_span = _name_span(doc)
    doc.ordinal = _ordinal(doc)
    doc.date = _date(doc) or _opening_day(doc)
    if _long_past(doc):
        doc.reason = "a retrospective: the summit's date is long before the article"
        return None
    _venue(doc, res)
    _chair(doc)
    doc.status = _status(doc)
    _people(doc, res)
    doc.countries = _participant_countries(doc)
    doc.documents = _documents(doc, res)
    return doc


def _opening_day(doc: Doc) -> DateMention | None:
    """ "The summit opened" with no date written: it opened on the day the article is dated."""
    assert doc.main is not None
    if doc.published is None:
        return None
    for hit in doc.cues.get("opening", []):
        if doc.tok_sentence[hit.first_token] == doc.main.sentence:
            return DateMention(hit.start, hit.end, doc.published.isoformat(), None, relative=True)
    return None


_RETROSPECTIVE_DAYS = 60


def _long_past(doc: Doc) -> bool:
    """A summit dated months before publication is history the article recalls, not news it reports."""
    if doc.date is None or doc.published is None:
        return False
    last = doc.date.end_date or doc.date.start_date
    day = date.fromisoformat(last if len(last) == 10 else f"{last}-28")
    return (doc.published - day).days > _RETROSPECTIVE_DAYS


def _sentence_tokens(doc: Doc, sentence: int) -> range:
    first = bisect.bisect_left(doc.tok_sentence, sentence)
    last = bisect.bisect_right(doc.tok_sentence, sentence)
    return range(first, last)


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


def _same_summit_anchors(doc: Doc) -> list[Anchor]:
    """The main anchor first, then every other word that names the same summit, in text order."""
    assert doc.main is not None
    others = [
        a
        for a in doc.anchors
        if a is not doc.main and a.sentence not in doc.excluded_sentences and _same_summit(doc, a)
    ]
    return [doc.main, *others]


def _ordinal(doc: Doc) -> OrdinalMention | None:
    """The summit's ordinal: written after or just before a word naming this summit, main one first."""
    for anchor in _same_summit_anchors(doc):
        found = _ordinal_at(doc, anchor)
        if found is not None:
            return found
    return None


def _ordinal_at(doc: Doc, anchor: Anchor) -> OrdinalMention | None:
    if anchor.ordinal is not None:
        return anchor.ordinal
    # "the 7th summit", "VII саммит", "أول قمة": an ordinal just before the summit word
    first = min(anchor.cue.first_token, anchor.fmt.span.first_token) if anchor.fmt else anchor.cue.first_token
    start = doc.toks[first].start
    for mention in doc.ordinals:
        words_between = sum(1 for t in doc.toks if mention.end <= t.start < start)
        if mention.end <= start and words_between <= 1 and not is_count_context(doc.norm, mention):
            return mention
    for hit in doc.cues.get("first_word", []):
        if 0 < first - hit.last_token <= 1:
            return OrdinalMention(hit.start, hit.end, 1)
    return None


def _date(doc: Doc) -> DateMention | None:
    """The summit's date: one said to open it, else the one nearest the summit word in its sentences.

    A date said to close it ("concluded today") becomes the end when it falls after the start.
    """
    main = doc.main
    assert main is not None
    candidates = _date_candidates(doc)
    if not candidates:
        return None
    opened = _dates_after(doc, candidates, "opening")
    chosen = min(opened or candidates, key=lambda m: _date_distance(doc, m))
    if not opened and chosen in _dates_after(doc, candidates, "closing"):
        return _back_from_close(doc, chosen)
    closed = [m for m in _dates_after(doc, candidates, "closing") if m.start_date > chosen.start_date]
    if closed and chosen.end_date is None and len(chosen.start_date) == 10:
        end = min(closed, key=lambda m: m.start_date).start_date
        if len(end) == 10 and (date.fromisoformat(end) - date.fromisoformat(chosen.start_date)).days <= 7:
            chosen = DateMention(chosen.start, chosen.end, chosen.start_date, end, chosen.relative)
    return chosen


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
    allowed |= (marked & _lead_sentences(doc)) - doc.excluded_sentences
    starts = [t.start for t in doc.toks]
    found = []
    for mention in find_dates(doc.norm, doc.lang, doc.published):
        sentence = _sentence_of(doc, mention.start)
        if sentence not in allowed or _belongs_to_referenced(mention, referenced, sentence):
            continue
        if not _after_shift(doc, bisect.bisect_left(starts, mention.start)):
            found.append(mention)
    return found


def _date_distance(doc: Doc, mention: DateMention) -> int:
    assert doc.main is not None
    same = _sentence_of(doc, mention.start) == doc.main.sentence
    return abs(mention.start - doc.main.cue.start) + (0 if same else 2000)


def _dates_after(doc: Doc, mentions: list[DateMention], cue: str) -> list[DateMention]:
    """Dates written within a few words after an opening (or closing) word, in the same sentence."""
    hits = doc.cues.get(cue, [])

    def follows(m: DateMention, h: CueHit) -> bool:
        return 0 <= m.start - h.end <= 90 and _sentence_of(doc, h.start) == _sentence_of(doc, m.start)

    return [m for m in mentions if any(follows(m, h) for h in hits)]


def _belongs_to_referenced(mention: DateMention, referenced: list[Anchor], sentence: int) -> bool:
    before = [a for a in referenced if a.sentence == sentence and a.cue.end <= mention.start]
    return bool(before) and mention.start - before[-1].cue.end < 120


def _sentence_of(doc: Doc, pos: int) -> int:
    starts = [s for s, _ in doc.sentences]
    return max(0, bisect.bisect_right(starts, pos) - 1)


def _venue(doc: Doc, res: Resources) -> None:
    """The city (or state) the summit is held in: nearest to the summit word, in its sentence or the lead."""
    main = doc.main
    assert main is not None
    summit_sentences = [a.sentence for a in _same_summit_anchors(doc)]
    ordered = list(dict.fromkeys([main.sentence, *sorted(_lead_sentences(doc)), *summit_sentences]))
    for sentence in (s for s in ordered if s not in doc.excluded_sentences):
        candidates = _capital_venues(doc, res, sentence) + _city_venues(doc, sentence)
        if candidates:
            _, city, span = min(candidates, key=lambda c: c[0])
            doc.venue_city = CityRef(city, Span(span[0], span[1], 0, 0))
            doc.venue_country = city.country
            doc.venue_span = span
            return
    country_ref = _country_after_name(doc) or _host_state(doc)
    if country_ref is not None:
        doc.venue_country = country_ref.code
        doc.venue_span = (country_ref.span.start, country_ref.span.end)


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
    venue_cues = doc.cues.get("venue_before", [])
    found: list[_Venue] = []
    in_names = {i for f in doc.found.formats for i in range(f.span.first_token, f.span.last_token + 1)}
    for ref in doc.found.cities:
        if doc.tok_sentence[ref.span.first_token] != sentence or _is_dateline(doc, ref):
            continue
        if ref.span.first_token in in_names:  # "Shanghai" in "the Shanghai Cooperation Organisation"
            continue
        if ref.city.also_state and not _called_a_city(doc, ref):  # "دولة الكويت" is the state
            continue
        clitic = doc.toks[ref.span.first_token].start < ref.span.start
        after_cue = any(0 < ref.span.first_token - c.last_token <= 2 for c in venue_cues)
        cued = after_cue or _headline_place(doc, ref) or _names_the_summit(doc, ref)
        if (clitic or cued) and not _after_shift(doc, ref.span.first_token):
            found.append((abs(ref.span.start - doc.main.cue.start), ref.city, (ref.span.start, ref.span.end)))
    return found


def _host_state(doc: Doc) -> CountryRef | None:
    """ "Gambia hosts the summit", "باستضافة": a state beside a hosting word in the summit's sentence."""
    assert doc.main is not None
    for cue in doc.cues.get("host", []):
        if doc.tok_sentence[cue.first_token] != doc.main.sentence:
            continue
        near = [
            r
            for r in doc.found.countries
            if r.kind == "name"
            and -6 <= r.span.first_token - cue.last_token <= 3
            and doc.tok_sentence[r.span.first_token] == doc.main.sentence
        ]
        if near:
            return min(near, key=lambda r: abs(r.span.first_token - cue.first_token))
    return None


def _lead_sentences(doc: Doc) -> set[int]:
    return {doc.tok_sentence[i] for i in range(min(doc.lead_end, len(doc.toks)))}


def _after_shift(doc: Doc, token: int) -> bool:
    """Whether a word follows "in the wake of ..." after the summit word: it belongs to that other event."""
    assert doc.main is not None
    sentence = doc.tok_sentence[token]
    anchors = [a.cue.last_token for a in _same_summit_anchors(doc) if a.sentence == sentence]
    return any(
        doc.tok_sentence[h.first_token] == sentence
        and h.last_token < token
        and any(a < h.first_token for a in anchors)
        for h in doc.cues.get("aftermath", [])
    )


def _names_the_summit(doc: Doc, ref: CityRef) -> bool:
    """ "the Johannesburg summit", "قمة الرياض": a city joined to a word naming this summit."""
    return any(
        ref.span.last_token + 1 == a.cue.first_token or ref.span.first_token - 1 == a.cue.last_token
        for a in _same_summit_anchors(doc)
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


def _chair(doc: Doc) -> None:
    not_cues = doc.cues.get("chair_not", [])
    cues = [hit for cue in ("chair_before", "chair_near", "chair_subject") for hit in doc.cues.get(cue, [])]
    for hit in sorted(cues, key=lambda h: h.start):
        sentence = doc.tok_sentence[hit.first_token]
        if sentence in doc.excluded_sentences:
            continue
        if any(0 <= n.first_token - hit.last_token <= 3 for n in not_cues):
            continue
        if hit.category == "chair_before":
            code = _first_state_after(doc, hit.last_token, 8, sentence)
        elif hit.category == "chair_near":
            code = _first_state_after(doc, hit.last_token, 1, sentence)
        else:
            code = _state_before(doc, hit.first_token, 10, sentence) or _first_state_after(
                doc, hit.last_token, 3, sentence
            )
        if code is not None:
            doc.chair = code[0]
            doc.chair_span = (min(hit.start, code[1]), max(hit.end, code[2]))
            return


_HANDED_FROM = frozenset(("من", "from", "от", "خلفا", "succeeding"))


def _first_state_after(doc: Doc, token: int, window: int, sentence: int) -> tuple[str, int, int] | None:
    """The first state named after `token`; one it was taken over *from* is the previous chair: none."""
    for country, span in _states(doc):
        if 0 < span.first_token - token <= window and doc.tok_sentence[span.first_token] == sentence:
            if doc.toks[span.first_token - 1].text in _HANDED_FROM:
                return None
            return country, span.start, span.end
    return None


def _state_before(doc: Doc, token: int, window: int, sentence: int) -> tuple[str, int, int] | None:
    best = None
    for country, span in _states(doc):
        if 0 < token - span.last_token <= window and doc.tok_sentence[span.first_token] == sentence:
            best = (country, span.start, span.end)
    return best


def _states(doc: Doc) -> list[tuple[str, Span]]:
    """Every state the text names, directly or through its head of state, in text order."""
    out = [(c.code, c.span) for c in doc.found.countries]
    for ref in _credible_people(doc):
        codes = {p.country for p in ref.candidates if isinstance(p, Leader) and p.country}
        if len(codes) == 1:
            out.append((codes.pop(), ref.span))
    return sorted(out, key=lambda x: x[1].start)


def _status(doc: Doc) -> str:
    """Held, ongoing or upcoming: from the verbs of the first sentence about the summit that has any,
    else from the summit's date against the publication date, else held."""
    main = doc.main
    assert main is not None
    summit_sentences = [a.sentence for a in _same_summit_anchors(doc)]
    for sentence in dict.fromkeys([main.sentence, *sorted(summit_sentences)]):
        status = _status_in(doc, {sentence})
        if status == "ongoing" and _ended_before_publication(doc):
            return "held"
        if status is not None:
            return status
    if doc.date is not None and doc.published is not None:
        day = doc.date.start_date
        published = doc.published.isoformat()[: len(day)]
        return "upcoming" if day > published else "ongoing" if day == published else "held"
    return "held"


def _ended_before_publication(doc: Doc) -> bool:
    """ "The summit opened on October 22" in an article of the 23rd: it is no longer news in progress."""
    if doc.date is None or doc.published is None:
        return False
    last = doc.date.end_date or doc.date.start_date
    return len(last) == 10 and last < doc.published.isoformat()


def _status_in(doc: Doc, sentences: set[int]) -> str | None:
    seen = {
        category: any(doc.tok_sentence[h.first_token] in sentences for h in doc.cues.get(category, []))
        for category in ("upcoming", "ongoing", "held", "closing")
    }
    if seen["closing"]:
        return "held"  # "concluded today": over, even if the same sentence says when it opened
    if seen["upcoming"] and not _completed(doc, sentences):
        return "upcoming"
    if seen["ongoing"]:
        return "ongoing"
    return "held" if seen["held"] else None


def _completed(doc: Doc, sentences: set[int]) -> bool:
    markers = {"اختتمت", "اختتم", "ختام", "اختتام", "concluded", "завершился", "завершилась"}
    return any(
        doc.tok_sentence[h.first_token] in sentences and doc.norm[h.start : h.end] in markers
        for h in doc.cues.get("held", [])
    )


# --------------------------------------------------------------------------- people


def _credible_people(doc: Doc) -> list[PersonRef]:
    """Full names, and surnames that the text vouches for: a title or the person's state beside them,
    or the same person named credibly elsewhere in the article."""
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
    if any(0 < first - t.span.last_token <= 3 for t in doc.found.titles):
        return True
    countries = {p.country for p in ref.candidates if isinstance(p, Leader)}
    for c in doc.found.countries:
        if c.code in countries and (
            0 < first - c.span.last_token <= 3 or 0 < c.span.first_token - ref.span.last_token <= 2
        ):
            return True
    organizations = {p.organization for p in ref.candidates if isinstance(p, Official)}
    return any(
        f.fmt.organization in organizations and 0 < first - f.span.last_token <= 4 for f in doc.found.formats
    )


def _people(doc: Doc, res: Resources) -> None:
    absent = doc.cues.get("absent", [])
    guests = doc.cues.get("guest", [])
    guest_sentences = {doc.tok_sentence[g.first_token] for g in guests}
    by_person: dict[str, Person] = {}
    invited = doc.cues.get("invited", [])
    for ref in _credible_people(doc):
        sentence = doc.tok_sentence[ref.span.first_token]
        if sentence in doc.excluded_sentences or _belongs_to_other_anchor(doc, ref.span.first_token):
            continue
        if any(
            -6 <= ref.span.first_token - a.last_token <= 6 and doc.tok_sentence[a.first_token] == sentence
            for a in absent
        ):
            continue
        person = _resolve(doc, ref)
        if person is None:
            continue
        key = person.leader.id if person.leader else person.official.id if person.official else ""
        existing = by_person.get(key)
        if existing is None:
            person.guest = sentence in guest_sentences
            person.invited_only = any(
                0 < ref.span.first_token - c.last_token <= 6 and doc.tok_sentence[c.first_token] == sentence
                for c in invited
            )
            person.mentions.append(ref.span)
            by_person[key] = person
        else:
            existing.mentions.append(ref.span)
    doc.people = list(by_person.values())
    _add_titled_heads(doc, res, by_person)


_NAME_LINKS = frozenset(("بن", "ابن", "ال", "ولد", "عبد", "ابو", "bin", "al", "ibn", "ould", "бен", "аль"))
_HEAD_ROLES = frozenset(
    {"president", "prime_minister", "king", "emir", "crown_prince", "sultan", "chancellor"}
)


def _add_titled_heads(doc: Doc, res: Resources, by_person: dict[str, Person]) -> None:
    """Heads named by title and state ("الرئيس القرغيزي ...", "أمير قطر ...") but not by a known name.

    The knowledge base's holder of that office on the summit's day is taken when there is exactly one;
    otherwise the person is kept with the name as written.
    """
    taken = {i for p in doc.people for s in p.mentions for i in range(s.first_token, s.last_token + 1)}
    known = {r.span.first_token for r in _credible_people(doc)}
    for title in doc.found.titles:
        if title.role not in _HEAD_ROLES or _depends_on_other_name(doc, title.span.first_token):
            continue
        if doc.toks[title.span.first_token].start < title.span.start:
            continue  # "لرئيس ..." (of the president): the name that follows is someone else's
        country = next(
            (c for c in doc.found.countries if 0 < c.span.first_token - title.span.last_token <= 1), None
        )
        if country is None:
            continue
        sentence = doc.tok_sentence[title.span.first_token]
        if sentence in doc.excluded_sentences or _belongs_to_other_anchor(doc, title.span.first_token):
            continue
        after = country.span.last_token + 1
        if any(after <= k <= after + 3 for k in known) or after in taken:
            continue
        if any(0 < title.span.first_token - k <= 8 for k in known):
            continue  # "Name, crown prince ...": the title stands after a name already found
        name = _name_after(doc, after)
        if name is None:
            continue
        holder = _office_holder(doc, res, country.code, title.role)
        if holder is not None and not _spelled_like(doc.norm[name.start : name.end], holder):
            holder = None  # the text names someone the knowledge base does not have in that office
        if holder is not None:
            existing = by_person.get(holder.id)
            if existing is not None:
                existing.mentions.append(name)
                continue
            person = Person(
                PersonRef((holder,), name, False, False), holder, None, country.code, holder.role, name
            )
            by_person[holder.id] = person
        else:
            person = Person(PersonRef((), name, False, False), None, None, country.code, title.role, name)
            by_person[f"titled:{doc.norm[name.start : name.end]}"] = person
        person.mentions.append(name)
        doc.people.append(person)


def _state_right_after(doc: Doc, token: int) -> CountryRef | None:
    return next((c for c in doc.found.countries if c.span.first_token == token + 1), None)


def _depends_on_other_name(doc: Doc, token: int) -> bool:
    """ "aide to the president", "نائب الرئيس": the title belongs to a phrase naming someone else."""
    return any(h.last_token == token - 1 for h in doc.cues.get("title_dependent", []))


def _name_after(doc: Doc, first: int) -> Span | None:
    """One to three name words from token `first`, up to punctuation or a word that is not a name."""
    cue_tokens = {
        i for hits in doc.cues.values() for h in hits for i in range(h.first_token, h.last_token + 1)
    }
    spans = [r.span for r in doc.found.countries] + [r.span for r in doc.found.cities]
    spans += [r.span for r in doc.found.formats] + [r.span for r in doc.found.titles]
    not_name = cue_tokens | {i for span in spans for i in range(span.first_token, span.last_token + 1)}
    last = first - 1
    for i in range(first, min(first + 5, len(doc.toks))):
        word = doc.toks[i].text
        gap = doc.norm[doc.toks[i - 1].end : doc.toks[i].start] if i > first else ""
        stop = i in not_name or not word.isalpha()
        if stop or any(ch in gap for ch in ',.;:()"\n-') or (word.startswith("ال") and len(word) > 2):
            break
        last = i
        # a name is a given name and a surname; it only goes on through "bin", "Al", "ould", "abd"
        if i - first >= 1 and doc.toks[i].text not in _NAME_LINKS:
            break
    if last < first + 1:  # a single word is too weak to be a name
        return None
    return Span(doc.toks[first].start, doc.toks[last].end, first, last)


def _spelled_like(written: str, leader: Leader) -> bool:
    """Whether a written name's last word is a spelling of the leader's surname (skeletons within 2 edits)."""
    words = written.split()
    if not words:
        return False
    target = name_skeleton(strip_article(words[-1]))
    return any(
        _edits(target, name_skeleton(surname)) <= 2 for names in leader.surnames.values() for surname in names
    )


def _edits(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _office_holder(doc: Doc, res: Resources, country: str, role: str) -> Leader | None:
    """The one leader the knowledge base has in that office on the summit's (or article's) day."""
    when = _reference_day(doc)
    if when is None:
        return None
    holders = res.kb.leaders_for(country, role, when)
    return holders[0] if len(holders) == 1 else None


def _belongs_to_other_anchor(doc: Doc, token: int) -> bool:
    """Whether the nearest summit word before `token` in its sentence names another meeting."""
    sentence = doc.tok_sentence[token]
    before = [a for a in doc.anchors if a.sentence == sentence and a.cue.last_token < token]
    return bool(before) and not _same_summit(doc, before[-1])


def _resolve(doc: Doc, ref: PersonRef) -> Person | None:
    when = _reference_day(doc)
    leaders = [p for p in ref.candidates if isinstance(p, Leader)]
    officials = [p for p in ref.candidates if isinstance(p, Official)]
    title_role = _title_before(doc, ref)
    if officials and when is not None and not any(p.in_office(when) for p in leaders):
        officials = [p for p in officials if p.in_office(when)] or officials
        if any(p.in_office(when) for p in officials):
            leaders = []  # a former head of state who now heads an international body
    if leaders:
        leader = max(leaders, key=lambda p: _leader_score(doc, p, ref, title_role, when))
        if when is not None and not leader.in_office(when) and ref.surname_only and not ref.exact:
            return None
        return Person(ref, leader, None, leader.country, leader.role, ref.span)
    if officials:
        official = officials[0]
        return Person(ref, None, official, None, "other", ref.span)
    return None


def _reference_day(doc: Doc) -> date | None:
    if doc.date is not None:
        return date.fromisoformat(doc.date.start_date + ("-01" if len(doc.date.start_date) == 7 else ""))
    return doc.published


def _title_before(doc: Doc, ref: PersonRef) -> str | None:
    for title in doc.found.titles:
        if 0 < ref.span.first_token - title.span.last_token <= 4:
            return title.role
    return None


def _leader_score(doc: Doc, leader: Leader, ref: PersonRef, title_role: str | None, when: date | None) -> int:
    score = 0
    if title_role is not None and title_role == leader.role:
        score += 2
    if when is not None and leader.in_office(when):
        score += 3
    if leader.term_end is None:
        score += 1
    window = doc.norm[max(0, ref.span.start - 40) : ref.span.start]
    for names in leader.names.values():
        for name in names:
            first = name.split()[0].lower() if name.split() else ""
            if len(first) > 2 and first in window:
                score += 4
                break
    return score


def _participant_countries(doc: Doc) -> set[str]:
    """States whose leader takes part, states listed as taking part, and the parties of a joint summit."""
    codes = {p.country for p in doc.people if p.country and p.leader is not None and not p.invited_only}
    codes |= _listed_states(doc) | _delegations(doc)
    if doc.fmt is not None and doc.fmt.scope == "interregional":
        codes |= _joint_parties(doc)
    return codes


def _delegations(doc: Doc) -> set[str]:
    """States whose delegation is said to take part ("the Brazilian delegation", "وفد البرازيل")."""
    codes: set[str] = set()
    for cue in doc.cues.get("delegation", []):
        sentence = doc.tok_sentence[cue.first_token]
        if sentence in doc.excluded_sentences or _belongs_to_other_anchor(doc, cue.first_token):
            continue
        for ref in doc.found.countries:
            if doc.tok_sentence[ref.span.first_token] == sentence and (
                -4 <= ref.span.first_token - cue.last_token <= 2
            ):
                codes.add(ref.code)
    return codes


def _list_starts(doc: Doc) -> list[int]:
    """Token indexes after which a list of taking-part states may follow."""
    in_view = {a.sentence for a in doc.anchors if not a.referenced} | _lead_sentences(doc)
    near_summit = [c for c in doc.cues.get("participation", []) if doc.tok_sentence[c.first_token] in in_view]
    starts = [
        cue.last_token
        for cue in near_summit + doc.cues.get("heads", [])
        if doc.tok_sentence[cue.first_token] not in doc.excluded_sentences
    ]
    # "a summit between X and Y": the parties follow the summit word
    between = doc.cues.get("between", [])
    for anchor in _same_summit_anchors(doc):
        starts += [b.last_token for b in between if 0 < b.first_token - anchor.cue.last_token <= 3]
    return sorted(starts)


_PLACE_WORDS = frozenset(("في", "in", "at", "в", "во"))


def _listed_states(doc: Doc) -> set[str]:
    """States in a list right after a taking-part word, in the same sentence (groups may stand between).

    The first state may stand a few words after the word ("heads of the five neighbouring republics,
    of ..."), the next ones follow each other closely; a state introduced by "in" is a place or a
    topic ("discussed the situation in Lebanon"), not a list of participants.
    """
    groups = [("", r.span) for r in doc.found.formats if r.kind == "org"]
    items = sorted(_states(doc) + groups, key=lambda x: x[1].first_token)
    codes: set[str] = set()
    for start in _list_starts(doc):
        sentence = doc.tok_sentence[start]
        last = start
        for code, span in items:
            if span.first_token <= last or doc.tok_sentence[span.first_token] != sentence:
                continue
            gap = span.first_token - last
            if gap > (6 if last == start else 4) or _belongs_to_other_anchor(doc, span.first_token):
                break
            words_before = (doc.toks[i].text for i in range(start + 1, span.first_token))
            if last == start and any(word in _PLACE_WORDS for word in words_before):
                break
            if code:
                codes.add(code)
            last = span.last_token
    return codes


def _joint_parties(doc: Doc) -> set[str]:
    """States named as a party beside the summit word of a joint summit ("China and Central Asia ...")."""
    codes: set[str] = set()
    for anchor in _same_summit_anchors(doc):
        first = anchor.cue.first_token - _FORMAT_WINDOW_BEFORE
        last = anchor.cue.last_token + 3
        for ref in doc.found.countries:
            near = (
                first <= ref.span.first_token <= last
                and doc.tok_sentence[ref.span.first_token] == anchor.sentence
            )
            if near and ref.kind == "name":
                codes.add(ref.code)
    return codes


# --------------------------------------------------------------------------- documents


_DOC_STOP = frozenset(
    [
        "الذي",
        "التي",
        "الذين",
        "حيث",
        "وذلك",
        "كما",
        "خلال",
        "في",
        "بين",
        "على",
        "الى",
        "إلى",
        "من",
        "عن",
        "مع",
        "بعد",
        "قبل",
        "لدى",
        "which",
        "that",
        "at",
        "during",
        "in",
        "on",
        "with",
        "by",
        "was",
        "were",
        "is",
        "are",
        "будет",
        "который",
        "которая",
        "на",
        "в",
        "во",
        "с",
        "по",
    ]
)


def _documents(doc: Doc, res: Resources) -> list[DocumentFound]:
    adoption_sentences = {doc.tok_sentence[h.first_token] for h in doc.cues.get("adoption", [])}
    adoption_sentences -= {doc.tok_sentence[h.first_token] for h in doc.cues.get("proposal", [])}
    adoption_sentences -= {doc.tok_sentence[h.first_token] for h in doc.cues.get("past_reference", [])}
    found: list[DocumentFound] = []
    seen: set[str] = set()
    doc_starts = {h.first_token for h in doc.cues.get("document", [])}
    for hit in doc.cues.get("document", []):
        sentence = doc.tok_sentence[hit.first_token]
        if sentence not in adoption_sentences or sentence in doc.excluded_sentences:
            continue
        end = _document_end(doc, hit, doc_starts)
        start = _proper_name_before(doc, hit.first_token) if doc.lang == "en" else hit.start
        key = doc.norm[start:end]
        span = Span(start, end, hit.first_token, hit.first_token)
        if key in seen or end - start < 6:
            continue
        seen.add(key)
        found.append(DocumentFound(span, hit.payload))
    return found


def _proper_name_before(doc: Doc, token: int) -> int:
    """Start of the capitalised words naming a document in English ("the Kazan Declaration")."""
    assert doc.text is not None
    start = doc.toks[token].start
    for i in range(token - 1, max(token - 5, -1), -1):
        original = doc.text.span(doc.toks[i].start, doc.toks[i].end)[2]
        gap = doc.norm[doc.toks[i].end : start]
        if not original[:1].isupper() or any(ch in gap for ch in ",.;:()\n"):
            break
        start = doc.toks[i].start
    return start


def _year_range_end(doc: Doc, i: int) -> int:
    """A title ends at its year, or at the second year of a period ("2025-2027")."""
    nxt = i + 1
    if nxt < len(doc.toks) and doc.norm[doc.toks[i].end : doc.toks[nxt].start].strip() in ("-", "/"):
        word = doc.toks[nxt].text
        if word.isdigit() and len(word) == 4:
            return doc.toks[nxt].end
    return doc.toks[i].end


def _document_end(doc: Doc, hit: CueHit, doc_starts: set[int]) -> int:
    end = hit.end
    quote_open = False
    for i in range(hit.last_token + 1, min(hit.last_token + 9, len(doc.toks))):
        gap = doc.norm[doc.toks[i - 1].end : doc.toks[i].start]
        if '"' in gap:
            quote_open = not quote_open
            if not quote_open:
                return end + gap.index('"') + 1 if '"' in doc.norm[end : end + len(gap)] else end
        elif any(ch in gap for ch in ",.;:()\n") and not quote_open:
            break
        word = doc.toks[i].text
        if (word in _DOC_STOP or i in doc_starts) and not quote_open:
            break
        end = doc.toks[i].end
        if word.isdigit() and len(word) == 4 and not quote_open:
            return _year_range_end(doc, i)
    tail = doc.norm[end : end + 3]
    if quote_open and '"' in tail:
        end += tail.index('"') + 1
    return end
