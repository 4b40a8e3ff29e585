"""Stage 1, reading: the words naming a summit (anchors), the one the article is most about, its format."""

from __future__ import annotations

import re
from collections import Counter

from handlers.cues import CueHit
from handlers.doc import (
    FORMAT_WINDOW_AFTER,
    FORMAT_WINDOW_BEFORE,
    Anchor,
    Doc,
    Resources,
    lead_sentences,
    ordinal_before,
    same_summit,
)
from handlers.entities import FormatRef, Span
from handlers.knowledge import Leader, SummitFormat
from handlers.ordinals import OrdinalMention, ordinal_after


def detect(doc: Doc, res: Resources) -> Doc | None:
    """Find every word naming a summit, pick the one the article is most about, and its format.

    Whether the article reports that summit at all is not decided here: `decide` weighs what these
    candidates show (see `features.article_features`)."""
    doc.anchors = _anchors(doc)
    if not doc.anchors:
        doc.reason = "no summit word in the text"
        return None
    plain = [a for a in doc.anchors if not a.negated] or doc.anchors
    live = [a for a in plain if not a.referenced]
    lead = [a for a in live if a.cue.first_token < doc.lead_end]
    main = _main_anchor(doc, lead or live or plain)
    doc.main = main
    # the summit words of the lead (else of the text) name a meeting of two parties ("the Russia-EU summit",
    # "القمة المصرية الأردنية", "российско-американский саммит"): by the labelling rules no summit, whatever
    # a later summit word says ("the Geneva summit"). All 10 such articles of the labelled set are
    # negatives: too few rows for the summit model to learn it (it scored some of them at 0.9)
    told = [a for a in doc.anchors if not a.referenced and a.cue.first_token < doc.lead_end]
    if (main.negated and _two_party(doc, main.cue)) or (told and all(_two_party(doc, a.cue) for a in told)):
        doc.reason = "the summit words name a meeting of two parties"
        return None
    if doc.anchors[0].sideline:
        doc.reason = "the text opens on the sidelines of a summit"
        return None
    # the format the main summit word carries, else one named in its sentence, else in the sentence of
    # another summit word of the lead ("Minsk security summit" in the headline, "... the Collective
    # Security Treaty Organization (CSTO) in Minsk on Thursday for a summit" after it)
    doc.fmt = main.fmt.fmt if main.fmt else _format_in_sentence(doc, main.sentence)
    for other in lead:
        if doc.fmt is None and other is not main:
            doc.fmt = other.fmt.fmt if other.fmt else _format_in_sentence(doc, other.sentence)
    if doc.fmt is None or doc.fmt.scope != "interregional":
        doc.fmt = _combined_format(doc, res, main) or doc.fmt
    if doc.fmt is None:
        doc.fmt = _only_format_in_lead(doc)
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


def reported_as_event(doc: Doc, main: Anchor) -> bool:
    """A sentence naming the summit (or the lead) says it is held, opens, will meet, or who takes part."""
    sentences = {main.sentence} | lead_sentences(doc)
    sentences |= {a.sentence for a in doc.anchors if not a.referenced and same_summit(doc, a)}
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
        if cue.first_token <= last_token:
            continue
        last_token = cue.last_token
        sentence = doc.tok_sentence[cue.first_token]
        fmt = _attached_format(doc, cue, sentence)
        # "on the sidelines of the Group of 20 summit": the reference word stands before the format's name
        opens = min(cue.first_token, fmt.span.first_token) if fmt is not None else cue.first_token
        anchor = Anchor(cue, sentence, _is_referenced(doc, cue, sentence, opens), fmt)
        # a summit word inside a phrase naming another kind of meeting stays a candidate, marked: the
        # summit model weighs it ("لقاء قمة مغاربي تشاوري" is one, "a business summit" is not)
        anchor.negated = cue.first_token in negative_tokens or _two_party(doc, cue)
        anchor.sideline = anchor.referenced and _on_sidelines(doc, opens, sentence)
        anchor.ordinal = _anchor_ordinal(doc, anchor)
        anchors.append(anchor)
    # a format's own summit name ("قمة شنغهاي", "BRICS summit") is an anchor too
    covered = {i for a in anchors for i in range(a.cue.first_token, a.cue.last_token + 1)}
    for ref in doc.found.formats:
        if ref.kind == "summit" and ref.span.first_token not in covered:
            sentence = doc.tok_sentence[ref.span.first_token]
            cue = CueHit("anchor", ref.span.start, ref.span.end, ref.span.first_token, ref.span.last_token)
            anchor = Anchor(cue, sentence, _is_referenced(doc, cue, sentence), ref)
            anchor.negated = _two_party(doc, cue)
            anchor.ordinal = _anchor_ordinal(doc, anchor)
            anchors.append(anchor)
    return sorted(anchors, key=lambda a: a.cue.start)


def _two_party(doc: Doc, cue: CueHit) -> bool:
    """A summit word named by two parties that each act as one ("the Russia-EU summit", "российско-
    американский саммит"): a two-party meeting, another kind of meeting than a summit (marked like one)."""
    return pair_beside(doc, cue) == (2, 2)


def _anchor_ordinal(doc: Doc, anchor: Anchor) -> OrdinalMention | None:
    """The ordinal written right after the summit word or its format name, else just before them."""
    found = ordinal_after(doc.norm, doc.lang, anchor.cue.end)
    if found is None and anchor.fmt is not None and anchor.fmt.span.end > anchor.cue.end:
        found = ordinal_after(doc.norm, doc.lang, anchor.fmt.span.end)
    if found is None:
        # just before the summit word, or before the format name written with it, or before an
        # organisation's name right before that ("the 11th Group of 20 (G20) summit", "БРИКС ... XII саммита")
        starts = [anchor.cue.first_token]
        if anchor.fmt is not None:
            starts.append(anchor.fmt.span.first_token)
        outer = min(starts)
        starts += [
            r.span.first_token
            for r in doc.found.formats
            if 0 < outer - r.span.last_token <= 2 and doc.tok_sentence[r.span.first_token] == anchor.sentence
        ]
        found = next(
            (m for m in (ordinal_before(doc, t) for t in sorted(set(starts), reverse=True)) if m), None
        )
        # Arabic writes the ordinal after the noun: a number before the summit word belongs to the words
        # before it ("للدورة العادية الـ32 للقمة"); only a word ("أول قمة") counts here
        if (
            found is not None
            and doc.lang == "ar"
            and any(ch.isdigit() for ch in doc.norm[found.start : found.end])
        ):
            found = None
    # "وشارك في القمة العاهل الأردني الملك عبد الله الثاني": a king's number is part of his name
    if found is not None and any(p.span.start <= found.start < p.span.end for p in doc.found.people):
        found = None
    return found


_REFERENCE_REACH = 4  # tokens from a reference word to the summit words it refers


def _cue_before(doc: Doc, category: str, first: int, sentence: int, unless: str = "") -> bool:
    """A cue of `category` within a few words before token `first`, in its sentence (none that starts a
    phrase of category `unless`)."""
    kept = {hit.first_token for hit in doc.cues.get(unless, [])} if unless else set()
    return any(
        0 <= first - hit.last_token <= _REFERENCE_REACH
        and doc.tok_sentence[hit.first_token] == sentence
        and hit.first_token not in kept
        for hit in doc.cues.get(category, [])
    )


def _on_sidelines(doc: Doc, first: int, sentence: int) -> bool:
    """ "on the sidelines of the summit", "على هامش القمة", "на полях саммита": just before the summit."""
    return _cue_before(doc, "sidelines", first, sentence)


def _is_referenced(doc: Doc, cue: CueHit, sentence: int, opens: int | None = None) -> bool:
    """A reference word within a few words before the summit word (or the format name before it, from
    token `opens`), or a negative word right after it: the sentence reports something else."""
    first = cue.first_token if opens is None else opens
    # "before the opening of the summit" tells a moment of the summit's own day, not another meeting
    if _cue_before(doc, "reference_before", first, sentence, unless="at_opening"):
        return True
    for hit in doc.cues.get("negative", []):
        if 0 < hit.first_token - cue.last_token <= 3 and doc.tok_sentence[hit.first_token] == sentence:
            return True
    # "... لمجلس الجامعة على المستوى الوزاري", "at ministerial level": the meeting is below summit level
    # (in the same clause: not "the C5+1 format, which was launched at the level of foreign ministers")
    for hit in doc.cues.get("below_level", []):
        near = 0 < hit.first_token - cue.last_token <= _LEVEL_REACH
        if (
            near
            and doc.tok_sentence[hit.first_token] == sentence
            and "," not in doc.norm[cue.end : hit.start]
        ):
            return True
    return False


_LEVEL_REACH = 6  # tokens from the summit word to a level written after it (its body's name between)


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
        elif 0 < after <= FORMAT_WINDOW_AFTER:
            distance = after
        elif 0 < before <= FORMAT_WINDOW_BEFORE:
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
    first, last = anchor.cue.first_token - FORMAT_WINDOW_BEFORE, anchor.cue.last_token + FORMAT_WINDOW_AFTER

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


def below_summit_lead(doc: Doc, main: Anchor) -> bool:
    """ "Лавров открыл заседание СМИД ШОС ... В заседании принимают участие ...": the lead names the format
    only as a meeting below summit level, and the summit word left is a bare "meeting" with no format."""
    if main.fmt is not None:
        return False
    lead = [a for a in doc.anchors if a.cue.first_token < doc.lead_end]
    negative = any(h.first_token < doc.lead_end for h in doc.cues.get("negative", []))
    return negative and any(a.referenced and a.fmt is not None for a in lead)


def negative_before(doc: Doc, anchor: Anchor) -> bool:
    for hit in doc.cues.get("negative", []):
        same = doc.tok_sentence[hit.first_token] == anchor.sentence
        if same and hit.last_token < anchor.cue.first_token:
            return True
    return False


def states_taking_part(doc: Doc, main: Anchor) -> set[str]:
    """States named in the summit's sentence and the next, and the states of leaders named in any other
    sentence with a summit word of no other format that no reference word sets apart ("وشارك في القمة
    العاهل الأردني الملك عبد الله الثاني، والرئيس الفلسطيني محمود عباس ..."); there a state named alone
    may be a topic ("تناولت القمة ... الأوضاع في سوريا واليمن")."""
    near = {main.sentence, main.sentence + 1}
    others = {a.sentence for a in doc.anchors if not a.referenced and a.fmt is None} - near
    return _countries_in_sentences(doc, near) | _leader_states(doc, others)


def _only_format_in_lead(doc: Doc) -> SummitFormat | None:
    """ "India and Pakistan became full members of the Shanghai Cooperation Organisation ... Leaders
    approved the accession on the second day of a summit in the Kazakh capital": a summit word with no
    format, in a lead that names one format and no other, is that format's summit."""
    lead = lead_sentences(doc)
    named = {r.fmt.key: r.fmt for r in doc.found.formats if doc.tok_sentence[r.span.first_token] in lead}
    return next(iter(named.values())) if len(named) == 1 else None


def _format_in_sentence(doc: Doc, sentence: int) -> SummitFormat | None:
    refs = [r for r in doc.found.formats if doc.tok_sentence[r.span.first_token] == sentence]
    return refs[0].fmt if refs else None


def _countries_in_sentences(doc: Doc, sentences: set[int]) -> set[str]:
    codes = {c.code for c in doc.found.countries if doc.tok_sentence[c.span.first_token] in sentences}
    return codes | _leader_states(doc, sentences)


def _leader_states(doc: Doc, sentences: set[int]) -> set[str]:
    codes: set[str] = set()
    for ref in doc.found.people:
        if doc.tok_sentence[ref.span.first_token] in sentences:
            codes.update(p.country for p in ref.candidates if isinstance(p, Leader) and p.country)
    return codes


def _other_event_sentences(doc: Doc) -> set[int]:
    """Sentences about another meeting: a referenced anchor, another format, or another ordinal."""
    main_sentences = {a.sentence for a in doc.anchors if same_summit(doc, a)}
    other = {
        a.sentence
        for a in doc.anchors
        if a.sentence not in main_sentences and (a.referenced or a.fmt is not None or a.ordinal is not None)
    }
    # "وكانت السعودية قد احتضنت الدورة السابقة بالظهران": a sentence about an earlier meeting
    assert doc.main is not None
    earlier = {doc.tok_sentence[h.first_token] for h in doc.cues.get("past_reference", [])}
    # a lead sentence naming this summit stays about it ("... chaired the 18th meeting of the SCO ..., the
    # first summit since India and Pakistan joined the bloc last year")
    about_it = {a.sentence for a in doc.anchors if not a.referenced and same_summit(doc, a)} & lead_sentences(
        doc
    )
    return other | (earlier - {doc.main.sentence} - about_it)


# what may stand between the two parties of one name: a dash, a slash or nothing ("Russia–EU", "российско-
# американский", "القمة المصرية الأمريكية")
_PAIR_JOIN = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014/]?\s*")
_PAIR_REACH = 4  # tokens either side of the summit word


def pair_beside(doc: Doc, cue: CueHit) -> tuple[int, int]:
    """The parties written as one name right beside the summit word ("the Russia–EU summit", "саммит Украина –
    ЕС", "российско-американский саммит", "the Russia-Turkey-Iran summit"): how many parties, and how many
    of them act as one (a state, or a body that meets as one party: the EU); (0, 0) when fewer than two
    stand there. Two such parties meet as two (a two-party meeting is no summit by the labelling rules);
    a group whose heads attend ("the ASEAN-Japan summit") is many."""
    lo, hi = cue.first_token - _PAIR_REACH, cue.last_token + _PAIR_REACH
    parties: dict[int, tuple[int, bool]] = {}
    for c in doc.found.countries:
        if lo <= c.span.first_token and c.span.last_token <= hi:
            parties[c.span.first_token] = (c.span.last_token, True)
    for r in doc.found.formats:
        if lo <= r.span.first_token and r.span.last_token <= hi:
            parties.setdefault(r.span.first_token, (r.span.last_token, r.fmt.one_party))
    best = (0, 0)
    chain: list[tuple[int, int, bool]] = []
    for first in sorted(parties):
        last, single = parties[first]
        if chain and (
            first != chain[-1][1] + 1
            or not _PAIR_JOIN.fullmatch(doc.norm[doc.toks[chain[-1][1]].end : doc.toks[first].start])
        ):
            best = max(best, _pair_count(chain, cue.first_token, cue.last_token))
            chain = []
        chain.append((first, last, single))
    best = max(best, _pair_count(chain, cue.first_token, cue.last_token))
    return best


def _pair_count(chain: list[tuple[int, int, bool]], first: int, last: int) -> tuple[int, int]:
    """(parties, parties acting as one) of a chain of names that touches the summit word (or stands one
    word before it: "the India-China informal summit"), else (0, 0)."""
    if len(chain) < 2:
        return (0, 0)
    start, end = chain[0][0], chain[-1][1]
    if end < first - 2 or start > last + 1:
        return (0, 0)
    return (len(chain), sum(single for _, _, single in chain))
