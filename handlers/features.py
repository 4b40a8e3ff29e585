"""Stage 2, features: what the candidates show, as numbers a learned decision can weigh.

Every feature is language-free (a cue of the article's own lexicon nearby, a list of states, the
sentence of the summit word, membership of the format ...), so one model learns from Arabic, English
and Russian articles at once; the language itself is one feature among the rest. Names say what a
feature means, so each model file (handlers/models/*.txt) can be read: its splits name them, and its
`feature_importances:` section lists the ones it uses most.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from handlers.cues import CueHit
from handlers.dates import DateMention
from handlers.detect import (
    below_summit_lead,
    negative_before,
    pair_beside,
    reported_as_event,
    states_taking_part,
)
from handlers.doc import (
    Anchor,
    Doc,
    Person,
    Resources,
    lead_sentences,
    ordinal_span,
    reference_day,
    same_summit_anchors,
    sentence_of,
    states,
)
from handlers.entities import Span
from handlers.fields import (
    CHAIR_CATEGORIES,
    PLACE_WORDS,
    VenueCandidate,
    date_candidates,
    days_before_publication,
    ordinal_candidates,
    predicative,
    sentence_status,
    summit_status,
    venue_candidates,
    year_hint,
)
from handlers.meetings import Calendar, Meeting, place_key
from handlers.ordinals import OrdinalMention
from handlers.people import RANK as _RANK
from handlers.people import not_inviting, state_readings

Row = dict[str, float]

_EVENT_CUES = ("held", "ongoing", "upcoming", "opening", "closing", "host", "participation", "heads", "guest")
_NEAR_CUES = (
    "participation",
    "heads",
    "delegation",
    "represented",
    "speech_of",
    "guest",
    "absent",
    "host",
    "invited",
    "membership",
    "topic",
)
# the state rows see these too: a state named beside a minister's or an envoy's title, someone standing in
# for its head, a chair taken or handed over (the state takes part through someone else, or presides).
# State-only cross-validation (the state model refitted over the same 10 splits and 4 tree seeds, state-row
# F1 on the labelled summits): ar/en/ru 0.885/0.913/0.906 -> 0.886/0.916/0.916, with `_state_cues`
_STATE_NEAR_CUES = (*_NEAR_CUES, "deputy_title", "represents", "chair_handover", "chair_subject")
_SENTENCE_CUES = (
    "participation",
    "heads",
    "held",
    "ongoing",
    "upcoming",
    "delegation",
    "guest",
    "absent",
    "past_reference",
    "membership",
)
_FAR = 60.0  # tokens: "no such cue in the sentence"
# the features' names, made once (not per row): each cue with its row keys
_EVENT_KEYS = tuple(
    (cue, f"{cue}_in_main_sentence", f"{cue}_in_summit_sentences", f"{cue}_in_lead") for cue in _EVENT_CUES
)
_NEAR_KEYS = tuple((cue, f"near_{cue}", f"list_near_{cue}") for cue in _NEAR_CUES)
_STATE_NEAR_KEYS = tuple((cue, f"near_{cue}", f"list_near_{cue}") for cue in _STATE_NEAR_CUES)
_SENTENCE_KEYS = tuple((cue, f"sentence_has_{cue}") for cue in _SENTENCE_CUES)


_SAYS: dict[str, str] = {}  # signal name -> "says_" + name: rows repeat the same few dozen names


def _says(name: str) -> str:
    """The row key of a reader's signal ("says_" + name), made once per name."""
    key = _SAYS.get(name)
    if key is None:
        key = "says_" + name
        if len(_SAYS) < 1 << 12:
            _SAYS[name] = key
    return key


def _language(doc: Doc, row: Row) -> None:
    row[f"lang_{doc.lang}"] = 1.0


def article_features(doc: Doc, res: Resources) -> Row:
    """Does the article report the summit of its main summit word? What the whole text shows."""
    main = doc.main
    assert main is not None
    row: Row = {}
    _language(doc, row)
    live = [a for a in doc.anchors if not a.referenced]
    lead = lead_sentences(doc)
    same = same_summit_anchors(doc)
    row["anchors"] = float(len(doc.anchors))
    row["anchors_live"] = float(len(live))
    row["anchors_referenced"] = float(len(doc.anchors) - len(live))
    row["anchors_sideline"] = float(sum(a.sideline for a in doc.anchors))
    row["anchors_same_summit"] = float(len(same))
    row["anchors_live_in_lead"] = float(sum(a.cue.first_token < doc.lead_end for a in live))
    row["anchors_with_format"] = float(sum(a.fmt is not None for a in doc.anchors))
    row["main_in_lead"] = float(main.cue.first_token < doc.lead_end)
    row["main_in_first_sentence"] = float(main.sentence == 0)
    row["main_referenced"] = float(main.referenced)
    row["main_negated"] = float(main.negated)
    row["anchors_negated"] = float(sum(a.negated for a in doc.anchors))
    row["main_sideline"] = float(main.sideline)
    row["main_has_format"] = float(main.fmt is not None)
    row["main_has_ordinal"] = float(main.ordinal is not None)
    row["main_position"] = main.cue.first_token / max(1, len(doc.toks))
    row["main_sentence_index"] = float(main.sentence)
    row["format_known"] = float(doc.fmt is not None)
    if doc.fmt is not None:
        row[f"scope_{doc.fmt.scope}"] = 1.0
        row["format_members"] = float(len(doc.fmt.members))
    row["format_mentions"] = float(sum(1 for r in doc.found.formats if doc.fmt and r.fmt.key == doc.fmt.key))
    row["formats_distinct"] = float(len({r.fmt.key for r in doc.found.formats}))
    row["format_summit_names"] = float(sum(r.kind == "summit" for r in doc.found.formats))
    row["reported_as_event"] = float(reported_as_event(doc, main))
    row["negative_before_main"] = float(negative_before(doc, main))
    row["below_summit_lead"] = float(below_summit_lead(doc, main))
    row["negative_cues"] = float(len(doc.cues.get("negative", [])))
    row["negative_in_lead"] = float(
        sum(doc.tok_sentence[h.first_token] in lead for h in doc.cues.get("negative", []))
    )
    row["below_level_cues"] = float(len(doc.cues.get("below_level", [])))
    row["past_reference_cues"] = float(len(doc.cues.get("past_reference", [])))
    row["opinion"] = float(
        res.boilerplate.files_as_opinion(doc.text.norm if doc.text is not None else doc.norm)
    )
    summit_sentences = {a.sentence for a in same}
    for cue, main_key, summit_key, lead_key in _EVENT_KEYS:
        hits = doc.cues.get(cue, [])
        row[main_key] = float(any(doc.tok_sentence[h.first_token] == main.sentence for h in hits))
        row[summit_key] = float(sum(doc.tok_sentence[h.first_token] in summit_sentences for h in hits))
        row[lead_key] = float(any(doc.tok_sentence[h.first_token] in lead for h in hits))
    row["states_taking_part"] = float(len(states_taking_part(doc, main)))
    named = {code for code, _ in states(doc)}
    row["states_named"] = float(len(named))
    row["states_in_summit_sentences"] = float(
        len({code for code, span in states(doc) if doc.tok_sentence[span.first_token] in summit_sentences})
    )
    in_main = [(c, sp) for c, sp in states(doc) if doc.tok_sentence[sp.first_token] == main.sentence]
    row["states_in_main_sentence"] = float(len({c for c, _ in in_main}))
    row["states_beside_main"] = float(
        len(
            {
                c
                for c, sp in in_main
                if -4 <= sp.first_token - main.cue.last_token <= 4
                or -4 <= main.cue.first_token - sp.last_token <= 4
            }
        )
    )
    parties, pair_single = pair_beside(doc, main.cue)
    row["main_pair_parties"] = float(parties)
    row["main_pair_single"] = float(pair_single)
    row["main_two_party"] = float(parties == 2 and pair_single == 2)
    leaders = [p for p in doc.people if p.leader is not None]
    _two_party(doc, main, leaders, row)
    row["leader_states_in_main_sentence"] = float(
        len({p.country for p in leaders if p.country and p.signals.get("main_sentence")})
    )
    row["leader_states_in_summit_sentences"] = float(
        len({p.country for p in leaders if p.country and p.signals.get("summit_sentence")})
    )
    row["leaders_named"] = float(len(leaders))
    row["leader_states"] = float(len({p.country for p in leaders if p.country}))
    row["leaders_in_summit_sentences"] = float(sum(bool(p.signals.get("summit_sentence")) for p in leaders))
    row["officials_named"] = float(sum(p.official is not None for p in doc.people))
    row["has_ordinal"] = float(doc.ordinal is not None)
    row["has_date"] = float(doc.date is not None)
    row["has_venue"] = float(doc.venue_country is not None)
    row["documents"] = float(len(doc.documents))
    before = days_before_publication(doc)
    row["has_days_before_publication"] = float(before is not None)
    row["days_before_publication"] = _signed_log(before or 0.0)
    row["virtual"] = float(bool(doc.cues.get("virtual")))
    _told_first(doc, row)
    row["tokens_log"] = math.log1p(len(doc.toks))
    return row


def _two_party(doc: Doc, main: Anchor, leaders: list[Person], row: Row) -> None:
    """A meeting of two: a two-party word ("bilateral", "the two presidents", "двусторонние переговоры",
    "الرئيسين") in the lead or the summit word's sentence, and how many states have their heads named in
    the lead (two heads meeting with a summit only as the setting)."""
    lead = lead_sentences(doc)
    hits = doc.cues.get("two_party", [])
    in_lead = sum(doc.tok_sentence[h.first_token] in lead for h in hits)
    row["two_party_in_lead"] = float(in_lead)
    row["two_party_in_main_sentence"] = float(
        sum(doc.tok_sentence[h.first_token] == main.sentence for h in hits)
    )
    lead_states = {
        p.country
        for p in leaders
        if p.country and any(doc.tok_sentence[m.first_token] in lead for m in p.mentions)
    }
    row["lead_leader_states"] = float(len(lead_states))
    row["two_party_two_heads"] = float(bool(in_lead) and len(lead_states) == 2)


def _told_first(doc: Doc, row: Row) -> None:
    """A meeting below summit level (or of another kind) told before the text's first summit word that no
    reference word sets apart: "the foreign ministers met ... to prepare the summit" reports the ministers'
    meeting; "the summit opened ... the foreign ministers had met the day before" reports the summit."""
    live = [a.cue.first_token for a in doc.anchors if not a.referenced]
    first_live = min(live) if live else len(doc.toks)
    negative = doc.cues.get("negative", [])
    row["negative_before_summit"] = float(sum(h.first_token < first_live for h in negative))


def state_features(doc: Doc) -> dict[str, Row]:
    """Does each state the text names take part? One row per state code."""
    main = doc.main
    assert main is not None
    readings = state_readings(doc)
    lead = lead_sentences(doc)
    summit_sentences = {a.sentence for a in same_summit_anchors(doc)}
    mentions = states(doc)
    codes = sorted({code for code, _ in mentions} | set(readings))
    hits = _state_cues(doc)
    near_cues = [(near, listed, _by_sentence(doc, hits(cue))) for cue, near, listed in _STATE_NEAR_KEYS]
    sentences_with = {
        key: {doc.tok_sentence[h.first_token] for h in doc.cues.get(cue, [])} for cue, key in _SENTENCE_KEYS
    }
    neighbours, list_start = _list_neighbours(doc, mentions)
    groups = _list_spans(doc, mentions, neighbours, list_start)
    role_hits = _role_hits(doc, hits)
    list_roles: dict[int, tuple[str, ...]] = {}
    members = set(doc.fmt.members) if doc.fmt is not None else set()
    lists = _lists_of(mentions, neighbours, list_start)
    read = {code for code, said in readings.items() if any(said.get(k) for k in _PARTICIPATION_READS)}
    counts: dict[str, int] = defaultdict(int)
    for c, _ in mentions:
        counts[c] += 1
    title_ends = {t.span.last_token for t in doc.found.titles}
    title_starts = {t.span.first_token for t in doc.found.titles}
    rows: dict[str, Row] = {}
    for code in codes:
        row: Row = {f"reads_{name}": value for name, value in readings.get(code, {}).items()}
        _language(doc, row)
        spans = [span for c, span in mentions if c == code]
        sentences = [doc.tok_sentence[s.first_token] for s in spans]
        row["mentions"] = float(len(spans))
        row["states_named"] = float(len(codes))
        row["in_lead"] = float(any(s in lead for s in sentences))
        row["in_main_sentence"] = float(main.sentence in sentences)
        row["in_summit_sentences"] = float(sum(s in summit_sentences for s in sentences))
        row["only_excluded"] = float(bool(sentences) and all(s in doc.excluded_sentences for s in sentences))
        row["first_position"] = min((s.first_token for s in spans), default=len(doc.toks)) / max(
            1, len(doc.toks)
        )
        row["as_name"] = float(sum(1 for c in doc.found.countries if c.code == code and c.kind == "name"))
        row["as_demonym"] = float(
            sum(1 for c in doc.found.countries if c.code == code and c.kind == "demonym")
        )
        row["after_place_word"] = float(
            sum(s.first_token > 0 and doc.toks[s.first_token - 1].text in PLACE_WORDS for s in spans)
        )
        row["in_list_of"] = float(max((neighbours.get(s.first_token, 1) for s in spans), default=0))
        _list_words(
            doc, [list_start[s.first_token] for s in spans if neighbours.get(s.first_token, 1) >= 2], row
        )
        for first in {list_start[s.first_token] for s in spans if neighbours.get(s.first_token, 1) >= 2}:
            role = list_roles.get(first)
            if role is None:
                role = list_roles[first] = _list_role(doc, first, groups, role_hits)
            for key in role:
                row[key] = 1.0
        row["sentences"] = float(len(set(sentences)))
        row["in_headline"] = float(0 in sentences)
        row["titled"] = float(sum(_titled(doc, s, title_ends, title_starts) for s in spans))
        row["mention_rank"] = float(sum(n > counts.get(code, 0) for n in counts.values()))
        for key, cue_sentences in sentences_with.items():
            row[key] = float(not cue_sentences.isdisjoint(sentences))
        leaders_here = [p for p in doc.people if p.country == code and p.leader is not None]
        row["leaders_of_state"] = float(len(leaders_here))
        _leader_signals(leaders_here, row)
        row["leader_in_summit_sentence"] = float(any(p.signals.get("summit_sentence") for p in leaders_here))
        row["leader_in_lead"] = float(any(p.signals.get("lead") for p in leaders_here))
        row["members_share"] = float(len(members & set(codes)) / len(codes)) if codes else 0.0
        row["states_read"] = float(len(read))
        _list_company(lists.get(code, []), code, members, readings, read, row)
        _context_words(doc, spans, row)
        _other_years(doc, set(sentences), row)
        row["venue"] = float(doc.venue_country == code)
        row["format_member"] = float(code in members)
        row["format_has_members"] = float(bool(members))
        for near, listed, by_sentence in near_cues:
            if not by_sentence:  # no such cue in the text
                row[near] = _FAR
                row[listed] = _FAR
                continue
            row[near] = min((_distance(doc, s, by_sentence) for s in spans), default=_FAR)
            # from the whole list the state stands in: the cue before "A, B, C and D" is as near to D as to A
            row[listed] = min(
                (_distance(doc, groups.get(s.first_token, s), by_sentence) for s in spans), default=_FAR
            )
        row["distance_to_main"] = min(
            (
                abs(s.first_token - main.cue.first_token)
                for s, sent in zip(spans, sentences, strict=True)
                if sent == main.sentence
            ),
            default=_FAR,
        )
        rows[code] = row
    return rows


def _state_cues(doc: Doc) -> Callable[[str], list[CueHit]]:
    """The cue hits a state's rows are read against: as found, except that "A was represented by ..." says
    A takes part through someone else (absent is its head, not the state), and "at the invitation of A"
    names the inviting host (the invited are the others, who came)."""
    represented = {h.first_token for h in doc.cues.get("absent_before", [])}

    def hits(category: str) -> list[CueHit]:
        found = doc.cues.get(category, [])
        if category == "absent" and represented:
            return [h for h in found if h.first_token not in represented]
        if category == "invited":
            return not_inviting(doc)
        return found

    return hits


# what the mentions of a state's leaders show (`Person.signals`): a leader named only as a former head, as
# absent, invited or at another meeting says little of the state taking part
_LEADER_SIGNALS = tuple(
    (name, f"leader_max_{name}", f"leader_min_{name}")
    for name in (
        "absent",
        "excluded",
        "former",
        "guest",
        "in_office",
        "invited",
        "other_summit",
        "represented",
        "sideline",
        "summit_sentence",
        "main_sentence",
        "lead",
        "surname_only",
        "title_before",
    )
)


def _leader_signals(leaders: list[Person], row: Row) -> None:
    """The most and the least each signal shows over the state's named leaders."""
    if not leaders:
        return
    for name, most, least in _LEADER_SIGNALS:
        values = [p.signals.get(name, 0.0) for p in leaders]
        row[most] = max(values)
        row[least] = min(values)


def person_features(doc: Doc, person: Person) -> Row:
    """Does this leader (or official) take part, and as a guest?"""
    row: Row = {_says(name): value for name, value in person.signals.items()}
    _language(doc, row)
    row["official"] = float(person.official is not None)
    row["known"] = float(person.leader is not None or person.official is not None)
    row[f"role_{person.role}"] = 1.0
    members = set(doc.fmt.members) if doc.fmt is not None else set()
    row["format_member"] = float(person.country in members)
    row["format_has_members"] = float(bool(members))
    row["venue_state"] = float(person.country is not None and person.country == doc.venue_country)
    row["people_named"] = float(len(doc.people))
    row["same_state_people"] = float(sum(p.country == person.country for p in doc.people if p.country))
    # "the King ... accompanied by the Crown Prince": the labels count the top leader a state sends
    rank = _RANK.get(person.role, 1)
    same = [p for p in doc.people if p is not person and p.country and p.country == person.country]
    row["same_state_higher"] = float(sum(_RANK.get(p.role, 1) > rank for p in same))
    row["same_state_lower"] = float(sum(_RANK.get(p.role, 1) < rank for p in same))
    row["states_named"] = float(len({code for code, _ in states(doc)}))
    _context_words(doc, person.mentions, row)
    _words_before_titles(doc, person.mentions, row)
    sentences = {doc.tok_sentence[s.first_token] for s in person.mentions}
    _other_years(doc, sentences, row)
    for cue, key in _SENTENCE_KEYS:
        hits = doc.cues.get(cue, [])
        row[key] = float(any(doc.tok_sentence[h.first_token] in sentences for h in hits))
    for cue, near, _ in _NEAR_KEYS:
        hits = doc.cues.get(cue, [])
        if not hits:  # no such cue in the text
            row[near] = _FAR
            continue
        by_sentence = _by_sentence(doc, hits)
        row[near] = min((_distance(doc, s, by_sentence) for s in person.mentions), default=_FAR)
    return row


def chair_features(doc: Doc) -> dict[str, Row]:
    """Does each state near a chair cue, or the venue's state, preside over the summit?"""
    main = doc.main
    assert main is not None
    by_state: dict[str, list[str]] = defaultdict(list)
    cues_of: dict[str, list[CueHit]] = defaultdict(list)
    reads_of: dict[str, list[CueHit]] = defaultdict(list)
    for how, code, _, hit in doc.chair_pointers:
        by_state[code].append(how)
        cues_of[code].append(hit)
        if "_read" in how:
            reads_of[code].append(hit)
    summit_sentences = {a.sentence for a in same_summit_anchors(doc)}
    anchor_tokens = [a.cue.first_token for a in same_summit_anchors(doc)]
    delegation = doc.cues.get("delegation", [])
    negative = doc.cues.get("negative", [])
    candidates = set(by_state)
    if doc.venue_country is not None:
        candidates.add(doc.venue_country)
    host_cues = _by_sentence(doc, doc.cues.get("host", []))
    co_chair = doc.cues.get("co_chair", [])
    term = doc.cues.get("chair_term", [])
    leaders_first = sorted((p for p in doc.people if p.leader is not None), key=lambda p: p.mentions[0].start)
    rows: dict[str, Row] = {}
    for code in sorted(candidates):
        row: Row = {}
        _language(doc, row)
        for how in by_state.get(code, []):
            row[f"pointed_{how}"] = row.get(f"pointed_{how}", 0.0) + 1.0
        row["pointers"] = float(len(by_state.get(code, [])))
        row["read_by_grammar"] = float(any(h.endswith("_read") for h in by_state.get(code, [])))
        row["first_read"] = float(
            next((c for h, c, _, _ in doc.chair_pointers if h.endswith("_read")), None) == code
        )
        # the cues whose own grammar reads this state: where they stand against the summit
        read_hits = reads_of.get(code, [])
        row["reads"] = float(len(read_hits))
        row["read_states"] = float(len(reads_of))
        row["only_state_read"] = float(bool(read_hits) and len(reads_of) == 1)
        row["read_in_summit_sentence"] = float(
            any(doc.tok_sentence[h.first_token] in summit_sentences for h in read_hits)
        )
        row["read_beside_summit_word"] = float(
            any(abs(h.first_token - t) <= 6 for h in read_hits for t in anchor_tokens)
        )
        row["read_in_lead"] = float(any(h.first_token < doc.lead_end for h in read_hits))
        row["read_by_verb"] = float(
            any(h.category in ("chair_subject", "chair_before", "chair_handover") for h in read_hits)
        )
        hits = cues_of.get(code, [])
        row["cue_in_summit_sentence"] = float(
            any(doc.tok_sentence[h.first_token] in summit_sentences for h in hits)
        )
        row["cue_in_main_sentence"] = float(
            any(doc.tok_sentence[h.first_token] == main.sentence for h in hits)
        )
        row["cue_beside_summit_word"] = float(
            any(abs(h.first_token - t) <= 4 for h in hits for t in anchor_tokens)
        )
        row["cue_then_delegation"] = float(
            any(
                0 < d.first_token - h.last_token <= 20
                and doc.tok_sentence[d.first_token] == doc.tok_sentence[h.first_token]
                for h in hits
                for d in delegation
            )
        )
        row["cue_sentence_negative"] = float(
            any(
                doc.tok_sentence[n.first_token] == doc.tok_sentence[h.first_token]
                for h in hits
                for n in negative
            )
        )
        row["cue_in_lead"] = float(any(h.first_token < doc.lead_end for h in hits))
        row["pointed_states"] = float(len(by_state))
        row["venue"] = float(code == doc.venue_country)
        spans = [span for c, span in states(doc) if c == code]
        row["near_host"] = min((_distance(doc, s, host_cues) for s in spans), default=_FAR)
        row["in_main_sentence"] = float(any(doc.tok_sentence[s.first_token] == main.sentence for s in spans))
        row["leader_named"] = float(any(p.country == code and p.leader is not None for p in doc.people))
        row["first_leader_named"] = float(bool(leaders_first) and leaders_first[0].country == code)
        row["format_member"] = float(doc.fmt is not None and code in doc.fmt.members)
        row["chair_cues"] = float(sum(len(doc.cues.get(c, [])) for c in CHAIR_CATEGORIES))
        row["co_chair_cues"] = float(len(co_chair))
        row["co_chair_in_summit_sentences"] = float(
            sum(doc.tok_sentence[h.first_token] in summit_sentences for h in co_chair)
        )
        _chair_term(doc, hits, term, anchor_tokens, row)
        rows[code] = row
    return rows


_TERM_REACH = 4  # tokens from a chair cue to a word of the chairmanship's term ("the current chair")
_TERM_YEAR_REACH = 6  # tokens from a chair cue to a year ("holds the presidency in 2022")
_OBJECT_REACH = 3  # tokens after a chair cue where the body or the meeting it presides over is named


def _chair_term(doc: Doc, hits: list[CueHit], term: list[CueHit], anchors: list[int], row: Row) -> None:
    """Is a state's chairmanship said of a term of the organisation or of this meeting? "Cambodia is the
    current chair of ASEAN", "كازاخستان، التي تترأس الرابطة في عام 2022", "председательствующего в
    организации Узбекистана": the body's chair for its year (a term word, a year, the body named after the
    cue), which presides over a summit only sometimes; "chair of the summit": the meeting's."""
    if not hits:
        return
    toks, sentence_of = doc.toks, doc.tok_sentence
    bodies_named = doc.cues.get("chair_body", [])

    def near(hit: CueHit, first: int, last: int, reach: int) -> bool:
        gap = first - hit.last_token if first > hit.last_token else hit.first_token - last
        return gap <= reach and sentence_of[first] == sentence_of[hit.first_token]

    def year_near(hit: CueHit) -> bool:
        lo = max(0, hit.first_token - _TERM_YEAR_REACH)
        hi = min(len(toks), hit.last_token + 1 + _TERM_YEAR_REACH)
        return any(
            sentence_of[i] == sentence_of[hit.first_token]
            and len(w := toks[i].text) == 4
            and w.isdigit()
            and w.startswith(("19", "20"))
            for i in range(lo, hi)
        )

    def body_after(hit: CueHit) -> bool:
        return any(
            0 < f.span.first_token - hit.last_token <= _OBJECT_REACH for f in doc.found.formats
        ) or any(0 < b.first_token - hit.last_token <= _OBJECT_REACH for b in bodies_named)

    def meeting_after(hit: CueHit) -> bool:
        return any(0 < t - hit.last_token <= _OBJECT_REACH for t in anchors)

    termed = [any(near(h, t.first_token, t.last_token, _TERM_REACH) for t in term) for h in hits]
    row["cue_term_word"] = float(any(termed))
    row["cue_term_word_all"] = float(all(termed))
    row["cue_term_year"] = float(any(year_near(h) for h in hits))
    of_body = [body_after(h) and not meeting_after(h) for h in hits]
    row["cue_body_after"] = float(any(of_body))
    row["cue_body_after_all"] = float(all(of_body))
    row["cue_meeting_after"] = float(any(meeting_after(h) for h in hits))


def date_features(doc: Doc, status: dict[str, float]) -> list[tuple[DateMention, Row]]:
    """Is each date candidate the summit's first day? (`status`: the article's `status_signals`.)"""
    out = []
    # what the article says of the summit's status: the day it is dated is the first one only when the
    # summit opens that day ("kicks off today"), not when it closes then or is still to come
    article = {f"status_{name}": value for name, value in status.items()}
    known = Calendar.load().candidates(doc.fmt.key) if doc.fmt is not None else ()
    for mention, signals in date_candidates(doc):
        row = {_says(name): value for name, value in signals.items()}
        row.update(article)
        _language(doc, row)
        _calendar_day(known, mention, row)
        out.append((mention, row))
    return out


_EVE_DAYS = 2  # days before a known meeting's first day that are its eve (arrivals, ministers' rounds)
_NEAR_MEETING_DAYS = 60  # a day this close to a known meeting of the format, and in none, is no meeting day


def _calendar_day(known: Sequence[Meeting], mention: DateMention, row: Row) -> None:
    """Where the candidate's day falls against the known meetings of the summit's format (meetings.toml):
    a first day, a later day of a meeting (its closing), the eve of one (a leader's arrival), a day near
    one that is no meeting day, or a day of a meeting later postponed (its planned day)."""
    row["calendar_listed"] = float(any(not m.month_only for m in known))
    if not known or len(mention.start_date) < 10:
        return
    day = date.fromisoformat(mention.start_date)
    held = [m for m in known if not m.postponed]
    # the formal session's day where the source tells it from the first (arrivals, an informal dinner);
    # the meeting's days written out ("18-19 May", its first day to past the formal one) state its start
    last = date.fromisoformat(mention.end_date) if mention.end_date and len(mention.end_date) == 10 else None
    first = any(
        not m.month_only
        and (
            (m.main or m.start) == day
            or (m.main is not None and last is not None and m.start == day and m.main <= last)
        )
        for m in held
    )
    later = any(not m.month_only and m.start <= day <= m.end for m in held)
    before_main = any(m.main is not None and m.start <= day < m.main for m in held)
    month = any(m.month_only and m.start <= day <= m.end for m in held)
    eve = any(not m.month_only and 0 < (m.start - day).days <= _EVE_DAYS for m in held)
    row["calendar_first_day"] = float(first)
    row["calendar_later_day"] = float(later and not first and not before_main)
    row["calendar_before_main_day"] = float(before_main and not first)
    row["calendar_month"] = float(month)
    row["calendar_eve"] = float(eve and not (first or later))
    row["calendar_postponed_day"] = float(any(m.postponed and m.start <= day <= m.end for m in known))
    near = any(abs((m.start - day).days) <= _NEAR_MEETING_DAYS for m in held)
    row["calendar_near_no_meeting_day"] = float(near and not (first or later or month or eve))


def ordinal_features(doc: Doc) -> list[tuple[OrdinalMention, Row]]:
    """Is each ordinal near a word naming the summit this summit's own number? (The one read beside the
    summit word first; `ordinal_candidates`.)"""
    main = doc.main
    if main is None:
        return []
    candidates = ordinal_candidates(doc)
    values = {a.ordinal.value for a in same_summit_anchors(doc) if a.ordinal is not None}
    lead = lead_sentences(doc)
    # an undated article's lead years stand for its time here (they misplaced more venues than they placed)
    known, near = _calendar(doc, lead_years=True)
    title_starts = {t.span.first_token for t in doc.found.titles}
    title_ends = {t.span.last_token for t in doc.found.titles}
    years = _years_by_sentence(doc)
    day = doc.published or year_hint(doc.article.url) or reference_day(doc)
    year = day.year if day is not None else None
    out = []
    for ordinal, gap in candidates:
        row: Row = {}
        _language(doc, row)
        sentence = sentence_of(doc, ordinal.start)
        written = doc.norm[ordinal.start : ordinal.end]
        row["reading"] = float(doc.ordinal is not None and ordinal.start == doc.ordinal.start)
        row["digits"] = float(any(ch.isdigit() for ch in written))
        row["value_log"] = math.log1p(ordinal.value)
        row["is_first"] = float(ordinal.value == 1)
        row["attached_to_main"] = float(main.ordinal is not None and main.ordinal.start == ordinal.start)
        row["attached_to_a_summit_word"] = float(
            any(a.ordinal is not None and a.ordinal.start == ordinal.start for a in doc.anchors)
        )
        row["main_sentence"] = float(sentence == main.sentence)
        # the ordinal of a summit word the reference cues set aside ("in preparation for the Nth summit")
        referenced = (a.ordinal.start for a in doc.anchors if a.referenced and a.ordinal is not None)
        row["referenced_summit_word"] = float(ordinal.start in set(referenced))
        row["lead"] = float(sentence in lead)
        row["headline"] = float(sentence == 0)
        row["distance_to_main"] = math.log1p(abs(ordinal.start - main.cue.start))
        row["tokens_to_summit_word"] = float(gap)
        row["other_values_named"] = float(len(values - {ordinal.value}))
        row["other_candidates"] = float(len(candidates) - 1)
        row["ordinals_in_text"] = float(len(doc.ordinals))
        row["format_known"] = float(doc.fmt is not None)
        row["main_has_format"] = float(main.fmt is not None)
        span = ordinal_span(doc, ordinal)
        # "the 73rd session of the UN General Assembly", "the 21st conference of parties (COP21)": the
        # ordinal numbers a meeting of another format named right after it
        after = [
            f
            for f in doc.found.formats
            if 0 < f.span.first_token - span.last_token <= _FORMAT_AFTER
            and doc.tok_sentence[f.span.first_token] == doc.tok_sentence[span.first_token]
        ]
        row["own_format_after"] = float(any(doc.fmt is not None and f.fmt.key == doc.fmt.key for f in after))
        row["other_format_after"] = float(any(doc.fmt is None or f.fmt.key != doc.fmt.key for f in after))
        row["calendar_dated"] = float(bool(near))
        row["calendar_ordinal_near"] = float(any(ordinal.value in m.ordinals for m in near))
        row["calendar_ordinal_known"] = float(any(ordinal.value in m.ordinals for m in known))
        # an ordinal before a title ("the first president of the republic") or after one (an Arabic title
        # and its adjective; "the head of the tenth session"): it numbers a person, or a meeting someone led
        row["title_after"] = float(span.last_token + 1 in title_starts)
        row["title_before"] = float(any(0 < span.first_token - end <= 2 for end in title_ends))
        # "the fourth meeting, held in 2015" in a report of 2019: its sentence writes only other years
        in_sentence = years.get(sentence, set())
        row["years_apart"] = float(year is not None and bool(in_sentence) and year not in in_sentence)
        # "وتعد القمة المقبلة هي الخامسة": a copula says the ordinal of the summit (or of a meeting)
        row["predicative"] = float(predicative(doc, ordinal))
        out.append((ordinal, row))
    return out


_NEAR_DAYS = 200  # days between a known meeting and the article's own day for the meeting to be "its time"


def _calendar(doc: Doc, lead_years: bool = False) -> tuple[tuple[Meeting, ...], list[Meeting]]:
    """The known meetings of the summit's format (data/meetings.toml), and those at the article's own
    time (its publication day, else the year and month of its URL, else the date the readers found; with
    `lead_years`, else the years its lead writes)."""
    if doc.fmt is None:
        return (), []
    known = Calendar.load().candidates(doc.fmt.key)
    day = doc.published or year_hint(doc.article.url) or reference_day(doc)
    if day is None:
        years = _lead_years(doc) if lead_years else set()
        return known, [m for m in known if m.start.year in years]
    return known, [m for m in known if abs((m.start - day).days) <= _NEAR_DAYS]


def _lead_years(doc: Doc) -> set[int]:
    """The years (1990-2039) written in the lead's sentences ("... 2019" in an undated article)."""
    years = _years_by_sentence(doc)
    return {y for s in lead_sentences(doc) for y in years.get(s, set()) if 1990 <= y <= 2039}


_FORMAT_AFTER = 6  # tokens from an ordinal to a format's name it may number


def venue_features(doc: Doc) -> list[tuple[VenueCandidate, Row]]:
    """Is each place the text names where the summit meets?"""
    out = []
    _, near = _calendar(doc)
    summit = summit_status(doc)
    said_in: dict[int, str | None] = {}
    for candidate in venue_candidates(doc):
        row = {_says(name): value for name, value in candidate[4].items()}
        _language(doc, row)
        _context_words(doc, candidate[3][:3], row, reach=2)
        country, city = candidate[0], candidate[1]
        place = place_key(city.city.name_en) if city is not None else None
        # the venue the calendar gives the format's meeting at the article's time
        row["calendar_dated"] = float(bool(near))
        row["calendar_state"] = float(any(m.country == country for m in near))
        row["calendar_city"] = float(place is not None and any(m.place == place for m in near))
        # "... in Bucharest, Nov 26, 2013" under a report of 2018: a place of another year's meeting
        said = {doc.tok_sentence[sp.first_token] for sp in candidate[3]}  # the sentences naming the place
        _other_years(doc, said, row)
        _tense(doc, said, summit, said_in, row)
        out.append((candidate, row))
    return out


def status_features(doc: Doc, status: dict[str, float]) -> Row:
    """Held, ongoing or upcoming: the verbs about the summit and its date against the article's
    (`status`: the article's `status_signals`)."""
    row = {_says(name): value for name, value in status.items()}
    _language(doc, row)

    row["has_date"] = float(doc.date is not None)
    row["has_publication_date"] = float(doc.published is not None)
    before = days_before_publication(doc)
    row["days_before_publication"] = _signed_log(before or 0.0)
    return row


_CONTEXT = 3  # tokens either side of a name whose words are features
_UNSAFE = str.maketrans({c: "_" for c in "\"',:[]{} "})
_SAFE: dict[str, str] = {}  # word -> word.translate(_UNSAFE): ~0.65 us a word, and words repeat


def _safe(word: str) -> str:
    safe = _SAFE.get(word)
    if safe is None:
        safe = word.translate(_UNSAFE)
        if len(_SAFE) < 1 << 17:
            _SAFE[word] = safe
    return safe


def _context_words(doc: Doc, spans: list[Span], row: Row, reach: int = _CONTEXT) -> None:
    """The words right before and after each mention ("w<_президент", "w>_delegation"): cues the lexicon
    may lack, learned from the labelled articles."""
    for span in spans:
        _words_before(doc, span.first_token, reach, "w<_", row)
        sentence = doc.tok_sentence[span.first_token]
        for i in range(span.last_token + 1, min(len(doc.toks), span.last_token + 1 + reach)):
            if doc.tok_sentence[i] == sentence:
                row["w>_" + _safe(doc.toks[i].text)] = 1.0


_TITLE_REACH = 8  # tokens of titles and states before a name: "the Prime Minister of the Republic of India"


def _words_before_titles(doc: Doc, spans: list[Span], row: Row) -> None:
    """The words before the titles and state that introduce a name ("t<_with" in "talks with the
    President of Kazakhstan Kassym-Jomart Tokayev", "t<_غياب" in "غياب الرئيس التونسي ..."): whether
    the name is the subject, a partner of another meeting, the one absent, a topic."""
    introducing = [t.span for t in doc.found.titles] + [c.span for c in doc.found.countries]
    covered = {i for span in introducing for i in range(span.first_token, span.last_token + 1)}
    for span in spans:
        sentence = doc.tok_sentence[span.first_token]
        k = span.first_token
        while k > 0 and span.first_token - k < _TITLE_REACH and doc.tok_sentence[k - 1] == sentence:
            if k - 1 in covered:
                k -= 1
            elif k - 2 in covered and doc.tok_sentence[k - 2] == sentence:
                k -= 2  # one word between titles and states: "of", "of the", "и"
            else:
                break
        _words_before(doc, k, _CONTEXT, "t<_", row)


def _years_by_sentence(doc: Doc) -> dict[int, set[int]]:
    """The years (1900-2100) each sentence writes, found once per article (every person and state row
    asks, and the ordinal rows of an undated article)."""
    years = doc.years_by_sentence
    if years is None:
        years = doc.years_by_sentence = defaultdict(set)
        for i, tok in enumerate(doc.toks):
            word = tok.text
            if len(word) == 4 and word.isdigit() and 1900 <= int(word) <= 2100:
                years[doc.tok_sentence[i]].add(int(word))
    return years


def _other_years(doc: Doc, sentences: set[int], row: Row) -> None:
    """Whether the sentences of the mentions name a year other than the summit's (or article's): a
    leader named in a past meeting ("attended by then Premier ... in 2012") or a later plan."""
    when = reference_day(doc)
    if when is None:
        return
    years = _years_by_sentence(doc)
    other = [bool(years.get(s, set()) - {when.year}) for s in sentences]
    row["sentence_other_year_all"] = float(bool(other) and all(other))
    row["sentence_other_year_any"] = float(any(other))


def _titled(doc: Doc, span: Span, title_ends: set[int], title_starts: set[int]) -> bool:
    """A title right before or after the state ("President of X", "X's President", "الرئيس المصري")."""
    before = any(
        span.first_token - k in (1, 2)
        for k in (span.first_token - 1, span.first_token - 2)
        if k in title_ends
    )
    after = any(k in title_starts for k in (span.last_token + 1, span.last_token + 2))
    return before or after


def _signed_log(x: float) -> float:
    return math.copysign(math.log1p(abs(x)), x)


def _by_sentence(doc: Doc, hits: list[CueHit]) -> dict[int, list[CueHit]]:
    out: dict[int, list[CueHit]] = defaultdict(list)
    for hit in hits:
        out[doc.tok_sentence[hit.first_token]].append(hit)
    return out


def _distance(doc: Doc, span: Span, by_sentence: dict[int, list[CueHit]]) -> float:
    """Tokens from a name to the nearest cue (grouped by sentence) in its sentence (`_FAR` when none)."""
    best = _FAR
    for hit in by_sentence.get(doc.tok_sentence[span.first_token], ()):
        if hit.last_token < span.first_token:
            gap = span.first_token - hit.last_token
        else:
            gap = hit.first_token - span.last_token
        best = min(best, float(max(gap, 0)))
    return best


def _list_words(doc: Doc, starts: list[int], row: Row, reach: int = 4) -> None:
    """The words right before a list of states the state stands in ("l<_includes", "l<_غياب"): what
    the list is (taking part, members, invited, absent), whichever place in it the state has."""
    for first in set(starts):
        _words_before(doc, first, reach, "l<_", row)


def _words_before(doc: Doc, first: int, reach: int, prefix: str, row: Row) -> None:
    """The words of its sentence in the `reach` tokens before token `first`, as features `prefix` + word."""
    sentence = doc.tok_sentence[first]
    for i in range(max(0, first - reach), first):
        if doc.tok_sentence[i] == sentence:
            row[prefix + _safe(doc.toks[i].text)] = 1.0


# What a list of states IS, read from the cue categories around it (handlers/data/cues.toml): the roles of
# the cues that open it (its head, in its sentence, or the line before when the list opens its own line
# after a colon, a roll call), and of those right after it ("A, B and C were represented by vice-premiers",
# "... took part as observers"): taking part, signed, members, observers, invited, absent, represented,
# another meeting, the talks' topic. Several cue categories say one role; `list_take_part`,
# `list_observers` and `list_other_meeting` hold the words no other category had.
_LIST_ROLES: dict[str, str] = {
    "participation": "take_part",
    "heads": "take_part",
    "delegation": "take_part",
    "adoption": "signed",
    "membership": "members",
    "guest": "observers",
    "invited": "invited",
    "invitation_of": "invited",
    "absent": "absent",
    "walked_out": "absent",
    "absent_before": "represented",
    "represented": "represented",
    "represents": "represented",
    "deputy_title": "represented",
    "past_reference": "other_meeting",
    "list_take_part": "take_part",
    "list_other_meeting": "other_meeting",
    "list_observers": "observers",
    "topic": "topic",
}
_HEAD_REACH = 20  # tokens before a list in which its head cue is looked for
_TAIL_REACH = 6  # tokens after a list in which its tail cue is looked for
_HEAD_KEYS = {role: f"list_head_{role}" for role in set(_LIST_ROLES.values())}
_TAIL_KEYS = {role: f"list_tail_{role}" for role in set(_LIST_ROLES.values())}


def _role_hits(doc: Doc, hits: Callable[[str], list[CueHit]]) -> dict[int, list[tuple[CueHit, str]]]:
    """The cue hits that say a list's role, with their role, by sentence."""
    out: dict[int, list[tuple[CueHit, str]]] = defaultdict(list)
    for category, role in _LIST_ROLES.items():
        for hit in hits(category):
            out[doc.tok_sentence[hit.first_token]].append((hit, role))
    return out


def _list_role(
    doc: Doc, first: int, groups: dict[int, Span], role_hits: dict[int, list[tuple[CueHit, str]]]
) -> tuple[str, ...]:
    """The row keys of the role of the list starting at token `first`: its head's (every role cue in the
    `_HEAD_REACH` tokens before it in its sentence: "the first summit of the leaders of A and B" is both
    taking part and another meeting; for a list that opens its sentence after a line ending in a colon, a
    roll call, the last role cue of that line) and its tail's (every role cue in the `_TAIL_REACH` tokens
    after it: "A, B and C were represented by ...")."""
    sentence = doc.tok_sentence[first]
    span = groups.get(first)
    last = span.last_token if span is not None else first
    keys: list[str] = []
    here = role_hits.get(sentence, [])
    head = {role for h, role in here if h.last_token < first <= h.last_token + _HEAD_REACH}
    opens = not doc.norm[doc.sentences[sentence][0] : doc.toks[first].start].strip(" \t\n-*•")
    if not head and sentence > 0 and opens:
        start = doc.sentences[sentence - 1][0]
        if doc.norm[start : doc.toks[first].start].rstrip(" \t\n-*•").endswith(":"):
            keys.append("list_after_colon")
            line = role_hits.get(sentence - 1, [])
            if line:
                end = max(h.last_token for h, _ in line)
                head = {role for h, role in line if h.last_token == end}
    keys += sorted(_HEAD_KEYS[role] for role in head)
    tail = {role for h, role in here if last < h.first_token <= last + _TAIL_REACH}
    keys += sorted(_TAIL_KEYS[role] for role in tail)
    return tuple(keys)


def _list_spans(
    doc: Doc, mentions: list[tuple[str, Span]], size: dict[int, int], start: dict[int, int]
) -> dict[int, Span]:
    """For each state mention in a list of two states or more (by first token), the span of the whole list."""
    ends: dict[int, int] = {}
    for _, span in mentions:
        if size.get(span.first_token, 1) >= 2:
            first = start[span.first_token]
            ends[first] = max(ends.get(first, span.last_token), span.last_token)
    toks = doc.toks
    return {
        span.first_token: Span(
            toks[start[span.first_token]].start,
            toks[ends[start[span.first_token]]].end,
            start[span.first_token],
            ends[start[span.first_token]],
        )
        for _, span in mentions
        if size.get(span.first_token, 1) >= 2
    }


_PARTICIPATION_READS = ("listed", "delegation", "leader_in_summit_context", "joint_party")


def _lists_of(
    mentions: list[tuple[str, Span]], size: dict[int, int], start: dict[int, int]
) -> dict[str, list[set[str]]]:
    """For each state, the states of every list of two or more it stands in."""
    by_start: dict[int, set[str]] = defaultdict(set)
    for code, span in mentions:
        if size.get(span.first_token, 1) >= 2:
            by_start[start[span.first_token]].add(code)
    out: dict[str, list[set[str]]] = defaultdict(list)
    for listed in by_start.values():
        for code in listed:
            out[code].append(listed)
    return out


def _list_company(
    lists: list[set[str]],
    code: str,
    members: set[str],
    readings: dict[str, dict[str, float]],
    read: set[str],
    row: Row,
) -> None:
    """The company a state keeps in its lists: how much of each list the format's members make (and how
    much of the member set the list covers: a full roll of members reads as background unless a taking-part
    word opens it), and how many of the other states in it a reader says take part (their leader named at
    the summit, their delegation, a taking-part list)."""
    for listed in lists:
        others = listed - {code}
        if members:
            in_format = len(listed & members)
            row["list_member_share"] = max(row.get("list_member_share", 0.0), in_format / len(listed))
            row["list_member_cover"] = max(row.get("list_member_cover", 0.0), in_format / len(members))
        if others:
            row["list_read_share"] = max(row.get("list_read_share", 0.0), len(others & read) / len(others))
            leaders = sum(1 for c in others if readings.get(c, {}).get("leader_in_summit_context"))
            row["list_leader_share"] = max(row.get("list_leader_share", 0.0), leaders / len(others))


def _list_neighbours(doc: Doc, mentions: list[tuple[str, Span]]) -> tuple[dict[int, int], dict[int, int]]:
    """For each state mention (by first token), how many states stand in its list: mentions of other
    states that follow each other within a few tokens in one sentence ("A, B, C and D")."""
    ordered = sorted((span.first_token, span.last_token, code) for code, span in mentions)
    size: dict[int, int] = {}
    start: dict[int, int] = {}
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        count = len({c for _, _, c in run})
        for first, _, _ in run:
            size[first] = count
            start[first] = run[0][0]

    for item in ordered:
        if run and (item[0] - run[-1][1] > 3 or doc.tok_sentence[item[0]] != doc.tok_sentence[run[-1][0]]):
            close()
            run = []
        run.append(item)
    if run:
        close()
    return size, start


def _tense(
    doc: Doc, sentences: set[int], summit: str | None, said_in: dict[int, str | None], row: Row
) -> None:
    """Is a candidate's value said in the summit's own tense (`summit`: `summit_status`)? "The fourth
    meeting was held in Cholpon-Ata" in a report of the fifth, to come; "the Council will meet in Dushanbe"
    in a report of a session held online: a value said in another tense than the summit's is often another
    meeting's. `said_in` keeps each sentence's `sentence_status` for the article's other candidates."""
    said: set[str] = set()
    for sentence in sentences:
        if sentence not in said_in:
            said_in[sentence] = sentence_status(doc, sentence)
        tense = said_in[sentence]
        if tense is not None:
            said.add(tense)
            row[f"tense_{tense}"] = 1.0
    if summit is not None:
        row[f"summit_tense_{summit}"] = 1.0
    row["tense_agrees"] = float(summit is not None and summit in said)
    row["tense_against"] = float(summit is not None and bool(said) and summit not in said)
