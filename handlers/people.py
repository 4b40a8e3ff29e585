"""Who takes part: leaders and heads of international bodies, and the states said to take part."""

from __future__ import annotations

from datetime import date

from handlers.cues import CueHit
from handlers.doc import (
    FORMAT_WINDOW_BEFORE,
    Doc,
    Person,
    Resources,
    belongs_to_other_anchor,
    credible_people,
    lead_sentences,
    reference_day,
    same_summit_anchors,
    sideline_sentences,
    states,
)
from handlers.entities import CountryRef, PersonRef, Span
from handlers.knowledge import Leader, Official, name_skeleton
from handlers.match import strip_article


def find_people(doc: Doc, res: Resources) -> None:
    absent = doc.cues.get("absent", [])
    # "China was represented by Premier Li Qiang": absent is who stands before, not the premier after
    only_before = {h.first_token for h in doc.cues.get("absent_before", [])}
    guests = doc.cues.get("guest", [])
    guest_sentences = {doc.tok_sentence[g.first_token] for g in guests}
    by_person: dict[str, Person] = {}
    invited = doc.cues.get("invited", [])
    sidelines = sideline_sentences(doc)
    for ref in credible_people(doc):
        sentence = doc.tok_sentence[ref.span.first_token]
        if sentence in sidelines:
            pass  # met on the summit's sidelines: at the summit
        elif sentence in doc.excluded_sentences or belongs_to_other_anchor(doc, ref.span.first_token):
            continue
        if any(
            _near(ref.span, a, _ABSENT_REACH)
            and doc.tok_sentence[a.first_token] == sentence
            and not (a.first_token in only_before and ref.span.first_token > a.last_token)
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


_ABSENT_REACH = 6  # tokens between a name and "stayed away", "не прибыл", "اعتذر", either side


def _near(span: Span, hit: CueHit, reach: int) -> bool:
    """Whether `hit` stands within `reach` tokens before or after the name `span` (or overlaps it)."""
    if hit.first_token > span.last_token:
        return hit.first_token - span.last_token <= reach
    return span.first_token - hit.last_token <= reach


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
    known = {r.span.first_token for r in credible_people(doc)}
    for title in doc.found.titles:
        if title.role not in _HEAD_ROLES or _depends_on_other_name(doc, title.span.first_token):
            continue
        if doc.toks[title.span.first_token].start < title.span.start:
            continue  # "لرئيس ..." (of the president): the name that follows is someone else's
        country = _state_right_after(doc, title.span.last_token)
        if country is None:
            continue
        sentence = doc.tok_sentence[title.span.first_token]
        if sentence in doc.excluded_sentences or belongs_to_other_anchor(doc, title.span.first_token):
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
        stop = i in not_name or not word.isalpha() or not _capitalised(doc, i)
        if stop or any(ch in gap for ch in ',.;:()"\n-') or (word.startswith("ال") and len(word) > 2):
            break
        last = i
        # a name is a given name and a surname; it only goes on through "bin", "Al", "ould", "abd"
        if i - first >= 1 and doc.toks[i].text not in _NAME_LINKS:
            break
    if last < first + 1:  # a single word is too weak to be a name
        return None
    return Span(doc.toks[first].start, doc.toks[last].end, first, last)


def _capitalised(doc: Doc, token: int) -> bool:
    """A name word in a cased script starts with a capital letter as written ("также сообщил" is no name)."""
    if doc.lang == "ar" or doc.text is None:
        return True
    written = doc.text.span(doc.toks[token].start, doc.toks[token].end)[2]
    return not written[:1].islower()


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
    when = reference_day(doc)
    if when is None:
        return None
    holders = res.kb.leaders_for(country, role, when)
    return holders[0] if len(holders) == 1 else None


def _resolve(doc: Doc, ref: PersonRef) -> Person | None:
    when = reference_day(doc)
    leaders = [p for p in ref.candidates if isinstance(p, Leader)]
    officials = [p for p in ref.candidates if isinstance(p, Official)]
    title_role = _title_before(doc, ref)
    if officials and when is not None and not any(p.in_office(when) for p in leaders):
        officials = [p for p in officials if p.in_office(when)] or officials
        if any(p.in_office(when) for p in officials):
            leaders = []  # a former head of state who now heads an international body
    if leaders:
        leader = max(leaders, key=lambda p: _leader_score(doc, p, ref, title_role, when))
        if when is not None and not leader.in_office(when):
            # not in office that day: a surname alone ("تراس", also the verb "ترأس"), a university or a
            # summit named after someone ("قمة السلطان قابوس والشيخ صباح"), a former head of state
            return None
        return Person(ref, leader, None, leader.country, leader.role, ref.span)
    if officials:
        official = officials[0]
        return Person(ref, None, official, None, "other", ref.span)
    return None


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


def participant_countries(doc: Doc) -> set[str]:
    """States whose leader takes part, states listed as taking part, and the parties of a joint summit."""
    codes = {p.country for p in doc.people if p.country and p.leader is not None and not p.invited_only}
    codes |= _listed_states(doc) | _delegations(doc)
    if doc.fmt is not None and doc.fmt.scope == "interregional":
        codes |= _joint_parties(doc)
    return codes - _walked_out(doc)


def _walked_out(doc: Doc) -> set[str]:
    """States listed right after a word saying they walked out or stayed away ("وشهدت القمة انسحاب وفود
    المملكة المغربية والمملكة العربية السعودية ...", "Morocco and Saudi Arabia walked out")."""
    starts = [h.last_token for h in doc.cues.get("walked_out", [])]
    return _states_listed_after(doc, starts) if starts else set()


def _delegations(doc: Doc) -> set[str]:
    """States whose delegation is said to take part ("the Brazilian delegation", "وفد البرازيل"), or that
    address the summit (a state's name right after "كلمة", "speech by")."""
    codes: set[str] = set()
    for category, lo, hi in (("delegation", -4, 2), ("represented", -6, 2), ("speech_of", 1, 1)):
        for cue in doc.cues.get(category, []):
            sentence = doc.tok_sentence[cue.first_token]
            if sentence in doc.excluded_sentences or belongs_to_other_anchor(doc, cue.first_token):
                continue
            for ref in doc.found.countries:
                if doc.tok_sentence[ref.span.first_token] == sentence and (
                    lo <= ref.span.first_token - cue.last_token <= hi
                ):
                    codes.add(ref.code)
    return codes


def _list_starts(doc: Doc) -> list[int]:
    """Token indexes after which a list of taking-part states may follow."""
    in_view = {a.sentence for a in doc.anchors if not a.referenced} | lead_sentences(doc)
    near_summit = [c for c in doc.cues.get("participation", []) if doc.tok_sentence[c.first_token] in in_view]
    starts = [
        cue.last_token
        for cue in near_summit + doc.cues.get("heads", [])
        if doc.tok_sentence[cue.first_token] not in doc.excluded_sentences
    ]
    # "a summit between X and Y": the parties follow the summit word
    between = doc.cues.get("between", [])
    for anchor in same_summit_anchors(doc):
        starts += [b.last_token for b in between if 0 < b.first_token - anchor.cue.last_token <= 3]
    return sorted(starts)


_PLACE_WORDS = frozenset(("في", "in", "at", "в", "во"))


def _listed_states(doc: Doc) -> set[str]:
    """States in a list right after a taking-part word, in the same sentence (groups may stand between).

    The first state may stand a few words after the word ("heads of the five neighbouring republics,
    of ..."), the next ones follow each other closely; a state introduced by "in" is a place or a
    topic ("discussed the situation in Lebanon"), not a list of participants.
    """
    return _states_listed_after(doc, [_past_summit_words(doc, s) for s in _list_starts(doc)])


def _states_listed_after(doc: Doc, starts: list[int]) -> set[str]:
    """The states of the lists that follow the tokens `starts` (see `_listed_states`)."""
    groups = [("", r.span) for r in doc.found.formats if r.kind == "org"]
    items = sorted(states(doc) + groups, key=lambda x: x[1].first_token)
    anchor_tokens = {a.cue.first_token for a in doc.anchors}
    codes: set[str] = set()
    for start in starts:
        sentence = doc.tok_sentence[start]
        last, last_code = start, ""
        for code, span in items:
            if span.first_token <= last or doc.tok_sentence[span.first_token] != sentence:
                continue
            gap = span.first_token - last
            # a head's own state after the titles ("عبدالله بن ناصر ... رئيس مجلس الوزراء بدولة قطر"), or
            # the next item of the list, may stand further away
            same_item = code == last_code and gap <= _LONG_ITEM
            if (
                gap > (6 if last == start else 4)
                and not same_item
                and not _next_item(doc, last, span.first_token)
            ):
                break
            if belongs_to_other_anchor(doc, span.first_token):
                break
            # "in Lebanon" is a place or a topic; "شارك في القمة" (took part in the summit) is not
            places = (
                i
                for i in range(start + 1, span.first_token)
                if doc.toks[i].text in _PLACE_WORDS and i + 1 not in anchor_tokens
            )
            if last == start and any(True for _ in places):
                break
            if code:
                codes.add(code)
            last, last_code = span.last_token, code
    return codes


def _past_summit_words(doc: Doc, start: int) -> int:
    """ "وشارك في أعمال القمة صاحب السمو ...", "took part in the summit": the list follows the summit words
    that come right after the taking-part word and "in" (with at most one word between)."""
    if start + 1 >= len(doc.toks) or doc.toks[start + 1].text not in _PLACE_WORDS:
        return start
    for anchor in doc.anchors:
        if not anchor.referenced and start + 2 <= anchor.cue.first_token <= start + 3:
            return anchor.cue.last_token
    return start


_LONG_ITEM = 18  # tokens: "، وصاحب السمو السيد فهد بن محمود آل سعيد نائب رئيس الوزراء ... في سلطنة عمان"


def _next_item(doc: Doc, last: int, first: int) -> bool:
    """Whether the state at token `first` is named in a later item of a list of delegation heads: an item
    begins between it and the previous state (after a comma, a bullet or a line break; an Arabic item
    with "و": "، وصاحب السمو ..."), names someone by title, and is not much longer than a name and titles
    (counted from where the item begins: the previous item may end in more titles, "... حاكم دبي،")."""
    toks, norm = doc.toks, doc.norm
    # "... في مملكة البحرين وصاحب السمو السيد ...": an Arabic item may open with "و" and an honorific alone
    openers = {h.first_token for h in doc.cues.get("item_opener", [])}
    boundary = None
    for k in range(first, max(last, first - _LONG_ITEM - 1), -1):
        gap = norm[toks[k - 1].end : toks[k].start]  # the Arabic comma is normalised to ","
        conj = doc.lang == "ar" and toks[k].text.startswith("و")
        listed = (
            "\n" in gap
            or "•" in gap
            or ("," in gap and (doc.lang != "ar" or conj))
            or (conj and k in openers)
        )
        if listed:
            boundary = k
            break
    if boundary is None:
        return False
    # the item names a person by title, not a topic ("وناقشوا الوضع في السودان"); outside Arabic the title
    # opens the item ("• Deputy Prime Minister of ...", not "..., reports the President's press service")
    reach = first if doc.lang == "ar" else boundary + _TITLE_OPENS_ITEM
    return any(boundary <= t.span.first_token < reach for t in doc.found.titles)


_TITLE_OPENS_ITEM = 3  # tokens: "the Deputy Prime Minister"


def _joint_parties(doc: Doc) -> set[str]:
    """States named as a party beside the summit word of a joint summit ("China and Central Asia ...")."""
    codes: set[str] = set()
    for anchor in same_summit_anchors(doc):
        first = anchor.cue.first_token - FORMAT_WINDOW_BEFORE
        last = anchor.cue.last_token + 3
        for ref in doc.found.countries:
            near = (
                first <= ref.span.first_token <= last
                and doc.tok_sentence[ref.span.first_token] == anchor.sentence
            )
            if near and ref.kind == "name":
                codes.add(ref.code)
    return codes
