"""Who takes part: leaders and heads of international bodies, and the states said to take part."""

from __future__ import annotations

from dataclasses import dataclass
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
from handlers.text import normalise


def find_people(doc: Doc, res: Resources) -> None:
    """Every leader and official the text names credibly, each once, with what each mention shows
    (`Person.signals`): whether `decide` keeps them is learned, not ruled here."""
    context = _Context.of(doc)
    by_person: dict[str, Person] = {}
    bare = _bare_serving_surnames(doc, res)
    # sentence -> last token of the latest absence word or name said to stay away
    listed_absent = {doc.tok_sentence[h.first_token]: h.last_token for h in context.absent}
    opened = _absent_list_openers(doc, context)
    listed_absent.update(opened)
    for ref in sorted([*credible_people(doc), *bare], key=lambda r: r.span.start):
        if ref.surname_only and _lower_case(doc, ref.span):
            continue  # a surname alone in lower case is a word ("корр." for a correspondent), no name
        if _names_someone_else(doc, ref):
            continue
        person = _resolve(doc, ref)
        if person is None:
            continue
        signals = context.signals(doc, ref.span)
        if _next_in_list(doc, res, listed_absent, ref.span, opened):
            signals.update(absent=1.0, absent_any=1.0)
        if signals["absent"]:
            listed_absent[doc.tok_sentence[ref.span.first_token]] = ref.span.last_token
        signals["surname_only"] = float(ref.surname_only)
        signals["bare_surname"] = float(ref in bare)
        signals["exact"] = float(ref.exact)
        signals.update(_office_signals(doc, ref, person))
        # one person whatever office the mention resolves to (a crown prince who is prime minister too)
        key = person.leader.person if person.leader else person.official.id if person.official else ""
        _add_mention(by_person, key, person, ref.span, signals)
    doc.people = list(by_person.values())
    _add_titled_heads(doc, res, by_person, context)
    _add_misspelled_heads(doc, res, by_person, context)
    _mark_represented(doc)
    for person in doc.people:
        person.guest = person.signals.get("guest", 0.0) > 0
        person.invited_only = person.signals.get("invited", 0.0) > 0


def _names_someone_else(doc: Doc, ref: PersonRef) -> bool:
    """Whether the name at `ref` names a place or someone else rather than the person: a father's name
    before a Turkic patronymic (`patronymic` in `cues.toml`), a place named after someone ("the
    Heydar Aliyev Center", "مطار الملك خالد", "имени ..."; `place_after` / `place_before` in `cues.toml`,
    a title may stand between the noun and the name), or a city of that name with no title before it ("в
    городе Туркменбаши", not "президент Туркменбаши")."""
    span = ref.span
    if any(h.first_token == span.last_token + 1 for h in doc.cues.get("place_after", [])):
        return True
    if any(h.first_token == span.last_token + 1 for h in doc.cues.get("patronymic", [])):
        return True  # "Якуб Абдулла оглы Эюбов": the father's name inside someone else's full name
    for hit in doc.cues.get("place_before", []):
        gap = span.first_token - hit.last_token
        if gap == 1 or (gap == 2 and any(t.span.first_token == hit.last_token + 1 for t in doc.found.titles)):
            return True
    return _title_before(doc, ref) is None and any(
        c.span.first_token <= span.first_token and span.last_token <= c.span.last_token
        for c in doc.found.cities
    )


_LIST_GAP = 8  # tokens between two names of one list: "، والرئيس الجزائري", ", and King"
_LIST_JOINS = (",", "\u060c", " and ", " и ", " و")


# tokens from an absence word to the word opening its list ("8 leaders stay away, most notably")
_OPENER_REACH = 8


def _absent_list_openers(doc: Doc, context: _Context) -> dict[int, int]:
    """Sentence -> last token of a word opening a list of absentees ("most notably", "among them") that
    follows an absence word of the sentence within a few words ("N leaders stay away from the summit, most
    notably ..."): the names right after it are those staying away, with no joining word before the first."""
    opened: dict[int, int] = {}
    for hit in doc.cues.get("absent_list", []):
        sentence = doc.tok_sentence[hit.first_token]
        if any(
            doc.tok_sentence[a.first_token] == sentence
            and 0 < hit.first_token - a.last_token <= _OPENER_REACH
            for a in context.absent
        ):
            opened[sentence] = hit.last_token
    return opened


def _next_in_list(
    doc: Doc, res: Resources, listed_absent: dict[int, int], span: Span, opened: dict[int, int]
) -> bool:
    """Whether the name at `span` continues a list opened by a word of staying away, or whose earlier name
    is read as away or former ("يغيب عن القمة الملك ... والرئيس ...", "absent were President A, King B and
    ..."): it follows in the same sentence within a few titles, states and name words, after a comma or
    "and", with no word of taking part, standing in or a delegation between."""
    sentence = doc.tok_sentence[span.first_token]
    last = listed_absent.get(sentence)
    if last is None or not 0 < span.first_token - last <= _LIST_GAP:
        return False
    gap = " " + doc.norm[doc.toks[last].end : doc.toks[span.first_token].start]
    if opened.get(sentence) != last and not any(join in gap for join in _LIST_JOINS):
        return False
    # only titles, states, the rest of a name and joining words between ("and President ... of", not
    # "while Emir")
    spans = [t.span for t in doc.found.titles] + [c.span for c in doc.found.countries]
    covered = {i for s in spans for i in range(s.first_token, s.last_token + 1)}
    names = res.gazetteer.name_words.get(doc.lang, frozenset())
    for i in range(last + 1, span.first_token):
        word = doc.toks[i].text
        if i in covered or word in _JOINING_WORDS or word in _NAME_LINKS or _joined(doc, word) in _TWO_HEADS:
            continue
        if (strip_article(word) in names) if doc.lang == "ar" else _capitalised(doc, i):
            continue
        return False
    return not any(last < h.first_token < span.first_token for c in _NOT_A_LIST for h in doc.cues.get(c, []))


_JOINING_WORDS = frozenset(("and", "of", "the", "и", "و"))
# a title of two heads that a list shares ("and the Algerian and Sudanese presidents A and B"), normalised
_TWO_HEADS = frozenset(("الرئيسان", "الرئيسين", "presidents", "президенты"))


def _joined(doc: Doc, word: str) -> str:
    """`word` without the Arabic "and" written on to it."""
    return word[1:] if doc.lang == "ar" and word.startswith("و") and len(word) > 3 else word


# words that end a list of absentees: someone takes part, stands in or leads a delegation
_NOT_A_LIST = ("participation", "heads", "represents", "represented", "delegation")


def _lower_case(doc: Doc, span: Span) -> bool:
    """Whether a name as written has no capital letter in a cased script."""
    if doc.lang == "ar" or doc.text is None:
        return False
    written = doc.text.span(doc.toks[span.first_token].start, doc.toks[span.last_token].end)[2]
    return not any(ch.isupper() for ch in written)


_MIN_BARE_SURNAME = 4  # letters: "Путин", "Obama"; shorter words are too often something else


def _bare_serving_surnames(doc: Doc, res: Resources) -> list[PersonRef]:
    """Surnames written alone, with no title, state or given name beside them ("Putin said ...", "Обама
    отметил"), of a leader who held the office on the summit's (or article's) day: the one such holder
    among the people the word may name. Not credible enough to name a state (`credible_people`), but a
    candidate the person model weighs (`signals["bare_surname"]`). A surname after someone else's given
    name ("Walter Chakwera, a reporter") is another person's."""
    when = reference_day(doc)
    if when is None:
        return []
    credible = {id(r) for r in credible_people(doc)}
    titled = {i for t in doc.found.titles for i in range(t.span.first_token, t.span.last_token + 1)}
    out: list[PersonRef] = []
    for ref in doc.found.people:
        if id(ref) in credible or not ref.surname_only or not ref.exact:
            continue
        if len(doc.norm[ref.span.start : ref.span.end].replace(" ", "")) < _MIN_BARE_SURNAME:
            continue
        if _after_a_given_name(doc, res, ref.span.first_token, titled):
            continue
        serving = [p for p in ref.candidates if isinstance(p, Leader) and p.in_office(when)]
        if len(serving) != 1:
            continue
        out.append(PersonRef((serving[0],), ref.span, ref.exact, ref.surname_only))
    return out


def _after_a_given_name(doc: Doc, res: Resources, first: int, titled: set[int]) -> bool:
    """Whether the word right before token `first` (in its sentence, no punctuation between) may be a
    given name: capitalised in a cased script, a word of a known name in Arabic; not a title."""
    k = first - 1
    if k < 0 or k in titled or doc.tok_sentence[k] != doc.tok_sentence[first]:
        return False
    gap = doc.norm[doc.toks[k].end : doc.toks[first].start]
    word = doc.toks[k].text
    if any(ch in gap for ch in ',.;:()"\n') or not word.isalpha():
        return False
    if doc.lang == "ar":
        return strip_article(word) in res.gazetteer.name_words.get(doc.lang, frozenset())
    return _capitalised(doc, k) and k > 0 and doc.tok_sentence[k - 1] == doc.tok_sentence[k]


# a head of state outranks a head of government, who outranks a minister, envoy or deputy
RANK = {
    "king": 3,
    "emir": 3,
    "sultan": 3,
    "president": 3,
    "crown_prince": 2,
    "prime_minister": 2,
    "chancellor": 2,
}
_REPRESENT_REACH = 15  # tokens either side of "represents", "يمثل", "вместо себя"


def _mark_represented(doc: Doc) -> None:
    """ "ويمثل الوزير الأول ... رئيس الجمهورية ...", "in place of King ... the Crown Prince attends ...",
    "направив вместо себя премьер-министров": beside a word of representing, the highest-ranking people
    named with someone of lower rank (a head of government, a minister, an envoy) are the represented
    ones, who stay away (`signals["represented"]`). Acting "on behalf of" a head says no absence by
    itself (the labels list both)."""
    for person in doc.people:
        person.signals["represented"] = 0.0
    deputies = doc.cues.get("deputy_title", [])
    for cue in doc.cues.get("represents", []):
        sentence = doc.tok_sentence[cue.first_token]

        def near(span: Span, cue: CueHit = cue, sentence: int = sentence) -> bool:
            return doc.tok_sentence[span.first_token] == sentence and _near(span, cue, _REPRESENT_REACH)

        here = [p for p in doc.people if p.leader is not None and any(near(s) for s in p.mentions)]
        ranks = [RANK.get(p.role, 1) for p in here]
        ranks += [1 for d in deputies if near(Span(0, 0, d.first_token, d.last_token))]
        if not here or min(ranks) >= max(ranks):
            continue
        for person in here:
            if RANK.get(person.role, 1) == max(ranks):
                # represented: stays away (the labels leave out a head a minister stands in for)
                person.signals.update(represented=1.0, absent=1.0, absent_any=1.0)


def _office_signals(doc: Doc, ref: PersonRef, person: Person) -> dict[str, float]:
    """Whether the person held the office on the summit's (or article's) day, and a title before the name."""
    record = person.leader or person.official
    when = reference_day(doc)
    title = _title_before(doc, ref)
    return {
        "in_office": float(record is not None and when is not None and record.in_office(when)),
        "in_office_at_publication": float(
            record is not None and doc.published is not None and record.in_office(doc.published)
        ),
        "no_day_known": float(when is None),
        "title_before": float(title is not None),
        "title_matches_role": float(title is not None and title == person.role),
    }


def _add_mention(
    by_person: dict[str, Person], key: str, person: Person, span: Span, signals: dict[str, float]
) -> Person | None:
    """Count one more mention of a person (returns the person when new)."""
    existing = by_person.get(key)
    if existing is not None:
        existing.mentions.append(span)
        _merge_signals(existing.signals, signals)
        return None
    person.mentions.append(span)
    person.signals = signals
    by_person[key] = person
    return person


@dataclass(frozen=True, slots=True)
class _Context:
    """What a mention of a person is read against, gathered once per article."""

    absent: list[CueHit]
    former: list[CueHit]
    only_before: frozenset[int]
    guest_sentences: frozenset[int]
    invited: list[CueHit]
    sidelines: frozenset[int]
    summit_sentences: frozenset[int]
    lead: frozenset[int]

    @classmethod
    def of(cls, doc: Doc) -> _Context:
        return cls(
            absent=doc.cues.get("absent", []),
            former=doc.cues.get("former", []),
            # "China was represented by Premier Li Qiang": absent is who stands before, not the premier
            only_before=frozenset(h.first_token for h in doc.cues.get("absent_before", [])),
            guest_sentences=frozenset(doc.tok_sentence[g.first_token] for g in doc.cues.get("guest", [])),
            # "at the invitation of A": A is the host who invites, not one invited
            invited=not_inviting(doc),
            sidelines=frozenset(sideline_sentences(doc)),
            summit_sentences=frozenset(a.sentence for a in same_summit_anchors(doc)),
            lead=frozenset(lead_sentences(doc)),
        )

    def signals(self, doc: Doc, span: Span) -> dict[str, float]:
        """What one mention at `span` shows about its person's part in the summit."""
        sentence = doc.tok_sentence[span.first_token]
        absent = any(
            _near(span, a, _ABSENT_REACH)
            and doc.tok_sentence[a.first_token] == sentence
            and not (a.first_token in self.only_before and span.first_token > a.last_token)
            for a in self.absent
        )
        invited = any(
            0 < span.first_token - c.last_token <= 6 and doc.tok_sentence[c.first_token] == sentence
            for c in self.invited
        )
        # "former President ...", "the late King ...", "الرئيس الإماراتي السابق الشيخ ...": among the titles
        former = any(
            0 < span.first_token - c.last_token <= _FORMER_REACH
            and doc.tok_sentence[c.first_token] == sentence
            for c in self.former
        )
        excluded = float(sentence in doc.excluded_sentences)
        other_summit = float(belongs_to_other_anchor(doc, span.first_token))
        return {
            "sideline": float(sentence in self.sidelines),
            "excluded": excluded,
            "other_summit": other_summit,
            "absent": float(absent or former),
            "former": float(former),
            "guest": float(sentence in self.guest_sentences),
            "invited": float(invited),
            # the same, true when any one mention shows it (the plain signals: every mention does)
            "excluded_any": excluded,
            "other_summit_any": other_summit,
            "absent_any": float(absent or former),
            "invited_any": float(invited),
            "summit_sentence": float(sentence in self.summit_sentences),
            "main_sentence": float(doc.main is not None and sentence == doc.main.sentence),
            "lead": float(sentence in self.lead),
            "position": span.first_token / max(1, len(doc.toks)),
            "mentions": 1.0,
        }


def not_inviting(doc: Doc) -> list[CueHit]:
    """The invitation words of `doc` but those in "at the invitation of", which names the inviting host."""
    inviting = [(h.first_token, h.last_token) for h in doc.cues.get("invitation_of", [])]
    return [h for h in doc.cues.get("invited", []) if not any(a <= h.first_token <= b for a, b in inviting)]


# how a signal of several mentions combines: the best mention for presence, the worst for absence
_ALL_MENTIONS = frozenset(("excluded", "other_summit", "absent", "surname_only", "invited"))


def _merge_signals(into: dict[str, float], more: dict[str, float]) -> None:
    for name, value in more.items():
        old = into.get(name, value)
        if name == "mentions":
            into[name] = old + value
        elif name == "position":
            into[name] = min(old, value)
        else:
            into[name] = min(old, value) if name in _ALL_MENTIONS else max(old, value)


_FORMER_REACH = 4  # tokens from "former" over the titles to the name
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


def _add_titled_heads(doc: Doc, res: Resources, by_person: dict[str, Person], context: _Context) -> None:
    """Heads named by title and state ("الرئيس القرغيزي ...", "أمير قطر ...") but not by a known name.

    The knowledge base's holder of that office on the summit's day is taken when there is exactly one;
    otherwise the person is kept with the name as written.
    """
    taken = {i for p in doc.people for s in p.mentions for i in range(s.first_token, s.last_token + 1)}
    known = {r.span.first_token for r in credible_people(doc)}
    not_name: set[int] | None = None
    for title in doc.found.titles:
        if title.role not in _HEAD_ROLES or _depends_on_other_name(doc, title.span.first_token):
            continue
        if doc.toks[title.span.first_token].start < title.span.start:
            continue  # "لرئيس ..." (of the president): the name that follows is someone else's
        country = _state_right_after(doc, title.span.last_token)
        if country is None:
            continue
        after = country.span.last_token + 1
        if any(after <= k <= after + 3 for k in known) or after in taken:
            continue
        if any(0 < title.span.first_token - k <= 8 for k in known):
            continue  # "Name, crown prince ...": the title stands after a name already found
        if not_name is None:
            not_name = _not_name_tokens(doc)
        name = _name_after(doc, after, not_name)
        if name is None:
            continue
        holder = _office_holder(doc, res, country.code, title.role)
        written = doc.norm[name.start : name.end]
        if holder is not None and not (_spelled_like(written, holder) or _shares_a_name(written, holder)):
            holder = None  # the text names someone the knowledge base does not have in that office
        if holder is None and reference_day(doc) is None:
            holder = _named_holder(res, country.code, title.role, written)
        if holder is None and doc.lang == "ar" and not _has_name_word(res, doc.lang, written):
            continue  # "الرئيس الروسي شدّد مراراً": Arabic has no capitals; the words are no one's name
        signals = context.signals(doc, title.span)
        signals["titled_head"] = 1.0
        if holder is not None:
            ref = PersonRef((holder,), name, False, False)
            person = Person(ref, holder, None, country.code, holder.role, name)
            key = holder.person
        else:
            person = Person(PersonRef((), name, False, False), None, None, country.code, title.role, name)
            key = f"titled:{doc.norm[name.start : name.end]}"
        if _add_mention(by_person, key, person, name, signals) is not None:
            doc.people.append(person)


def _add_misspelled_heads(doc: Doc, res: Resources, by_person: dict[str, Person], context: _Context) -> None:
    """Heads named beside their state in a spelling the lexicon lacks: "Chad's Idris Derbi", "Niger
    President Mohamed Bazum", "Olzhas Bektenof (Kazakhstan)", "Felix Tshisekedy of Congo". The name is
    taken for the state's head (of the title's office, if one stands between) whose surname it spells
    within two edits of the skeleton, when exactly one such holder is in office on the summit's day
    (any time, when no day is known). Cased scripts only: an Arabic name has no capitals to end it."""
    if doc.lang == "ar":
        return
    taken = {i for p in doc.people for s in p.mentions for i in range(s.first_token, s.last_token + 1)}
    taken |= {i for r in credible_people(doc) for i in range(r.span.first_token, r.span.last_token + 1)}
    when = reference_day(doc)
    not_name = _not_name_tokens(doc) if doc.found.countries else set()
    for country in doc.found.countries:
        for name, role in _names_beside_state(doc, country, not_name):
            if any(i in taken for i in range(name.first_token, name.last_token + 1)):
                continue
            written = doc.norm[name.start : name.end]
            roles = [role] if role is not None else sorted(_HEAD_ROLES)
            holders = {
                h.person or h.id: h
                for r in roles
                for h in res.kb.leaders_for(country.code, r, when)
                if _misspelled_surname(written, h)
            }
            if len(holders) != 1:
                continue
            holder = next(iter(holders.values()))
            signals = context.signals(doc, name)
            signals["misspelled_head"] = 1.0
            ref = PersonRef((holder,), name, False, False)
            person = Person(ref, holder, None, country.code, holder.role, name)
            if _add_mention(by_person, holder.person, person, name, signals) is not None:
                doc.people.append(person)
            taken.update(range(name.first_token, name.last_token + 1))


def _misspelled_surname(written: str, leader: Leader) -> bool:
    """Whether the written name's last word spells one of the leader's surnames: the same first letter
    and skeletons one edit apart (two when both have five letters or more)."""
    words = written.split()
    if not words:
        return False
    target = name_skeleton(strip_article(words[-1]))
    for names in leader.surnames.values():
        for surname in names:
            other = name_skeleton(strip_article(surname.split()[-1])) if surname.split() else ""
            if not other or other[0] != target[:1]:
                continue
            if _edits(target, other) <= (2 if min(len(target), len(other)) >= 5 else 1):
                return True
    return False


_OF_WORDS = frozenset(("of", "the"))


def _names_beside_state(doc: Doc, country: CountryRef, not_name: set[int]) -> list[tuple[Span, str | None]]:
    """Two or three capitalised words right after a state ("Chad's ...", "Niger President ...": with the
    title's role) or right before it ("... of the Congo", "... (Kazakhstan)", "..., Venezuela")."""
    out: list[tuple[Span, str | None]] = []
    k = country.span.last_token + 1
    if k < len(doc.toks) and doc.toks[k].text == "s" and doc.toks[k].start - doc.toks[k - 1].end == 1:
        k += 1  # "Chad's"
    role = None
    title = next((t for t in doc.found.titles if t.span.first_token == k), None)
    if title is not None:
        if title.role not in _HEAD_ROLES:
            return out
        role, k = title.role, title.span.last_token + 1
    after = _name_after(doc, k, not_name) if k < len(doc.toks) else None
    if after is not None:
        out.append((after, role))
    before = _name_before(doc, country.span.first_token)
    if before is not None:
        out.append((before, None))
    return out


def _name_before(doc: Doc, state_first: int) -> Span | None:
    """The two or three capitalised words that end right before "of (the)", "(" or "," before a state."""
    k = state_first - 1
    while k >= 0 and doc.toks[k].text in _OF_WORDS and state_first - k <= 2:
        k -= 1
    if k == state_first - 1:  # no "of": a bracket or a comma must stand between
        gap = doc.norm[doc.toks[k].end : doc.toks[state_first].start] if k >= 0 else ""
        if not any(mark in gap for mark in "(,"):
            return None
    elif doc.toks[k + 1].text != "of":
        return None
    last = k
    first = last
    while first - 1 >= 0 and last - first < 2:
        gap = doc.norm[doc.toks[first - 1].end : doc.toks[first].start]
        if any(ch in gap for ch in ',.;:()"\n') or not doc.toks[first - 1].text.isalpha():
            break
        if not _capitalised(doc, first - 1):
            break
        first -= 1
    if last - first < 1 or first < 0 or not doc.toks[last].text.isalpha() or not _capitalised(doc, last):
        return None
    if any(doc.tok_sentence[i] != doc.tok_sentence[state_first] for i in (first, last)):
        return None
    return Span(doc.toks[first].start, doc.toks[last].end, first, last)


def _state_right_after(doc: Doc, token: int) -> CountryRef | None:
    return next((c for c in doc.found.countries if c.span.first_token == token + 1), None)


def _depends_on_other_name(doc: Doc, token: int) -> bool:
    """ "aide to the president", "نائب الرئيس": the title belongs to a phrase naming someone else."""
    return any(h.last_token == token - 1 for h in doc.cues.get("title_dependent", []))


def _not_name_tokens(doc: Doc) -> set[int]:
    """The tokens no name word can be: those of a cue, a state, a city, a format or a title (the same for
    every name `_name_after` reads in one article, so its callers make it once)."""
    cue_tokens = {
        i for hits in doc.cues.values() for h in hits for i in range(h.first_token, h.last_token + 1)
    }
    spans = [r.span for r in doc.found.countries] + [r.span for r in doc.found.cities]
    spans += [r.span for r in doc.found.formats] + [r.span for r in doc.found.titles]
    return cue_tokens | {i for span in spans for i in range(span.first_token, span.last_token + 1)}


def _name_after(doc: Doc, first: int, not_name: set[int]) -> Span | None:
    """One to three name words from token `first`, up to punctuation or a word that is not a name
    (`not_name`: `_not_name_tokens`)."""
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


def _shares_a_name(written: str, leader: Leader) -> bool:
    """Whether a written name shares a word with one of the leader's names (skeletons equal, words of three
    letters or more): "بول كاقامي" for "بول كاغامي", "محمد ولد عزيز" for "محمد ولد عبد العزيز". Only asked
    of the one holder of the office the title and state name, so a shared given name is enough."""
    words = {name_skeleton(strip_article(w)) for w in written.split() if len(w) >= 3}
    return any(
        name_skeleton(strip_article(w)) in words
        for names in leader.names.values()
        for name in names
        for w in normalise(name).split()
        if len(w) >= 3
    )


def _has_name_word(res: Resources, lang: str, written: str) -> bool:
    """Whether a word of `written` is a word of some leader's or official's name in the knowledge base
    (article and case ending stripped): what tells "أوبيانج أنجوميا" from "شدّد مراراً" after a title."""
    vocabulary = res.gazetteer.name_words.get(lang, frozenset())
    return any(strip_article(w) in vocabulary for w in written.split())


def _edits(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _named_holder(res: Resources, country: str, role: str, written: str) -> Leader | None:
    """With no day known: the one person who ever held the office whose name is spelled like `written`."""
    holders = [
        h
        for h in res.kb.leaders_for(country, role)
        if _spelled_like(written, h) or _shares_a_name(written, h)
    ]
    return holders[0] if len({h.name_en for h in holders}) == 1 else None


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
    if officials and leaders and when is None and title_role not in {p.role for p in leaders}:
        # no day known: a head of government who later headed a body ("председатель Европейского совета
        # Дональд Туск", "NATO chief Mark Rutte") is the body's head unless his office's title stands before
        leaders = []
    if leaders:
        # one not in office that day may be a surname alone ("تراس", also the verb "ترأس"), a university
        # or a summit named after someone, a former head of state: `signals` say so, `decide` weighs it
        if len(leaders) == 1:
            leader = leaders[0]
        else:
            leader = max(leaders, key=lambda p: _leader_score(doc, p, ref, title_role, when))
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
    for firsts in _first_words(leader):
        if any(first in window for first in firsts):
            score += 4
    return score


# Leader record (by id, the record kept so the id stays its own) -> `_first_words`; bounded
_FIRST_WORDS: dict[int, tuple[Leader, tuple[tuple[str, ...], ...]]] = {}
_MAX_FIRST_WORDS = 1 << 16


def _first_words(leader: Leader) -> tuple[tuple[str, ...], ...]:
    """Per language of the leader's names, the first words of longer than two letters (lower-cased)."""
    known = _FIRST_WORDS.get(id(leader))
    if known is not None and known[0] is leader:
        return known[1]
    firsts = tuple(
        tuple(first for first in (_first_word(name) for name in names) if len(first) > 2)
        for names in leader.names.values()
    )
    if len(_FIRST_WORDS) >= _MAX_FIRST_WORDS:
        _FIRST_WORDS.clear()
    _FIRST_WORDS[id(leader)] = (leader, firsts)
    return firsts


def _first_word(name: str) -> str:
    words = name.split()
    return words[0].lower() if words else ""


def state_readings(doc: Doc) -> dict[str, dict[str, float]]:
    """What the participation readers say of each state: listed after a taking-part word, a delegation or
    speech, a party beside a joint summit's word, a leader of it named, walked out. `decide` weighs these
    with the rest of what the text shows of the state (see `features.state_features`)."""
    readings: dict[str, dict[str, float]] = {}

    def mark(codes: set[str], name: str) -> None:
        for code in codes:
            readings.setdefault(code, {})[name] = 1.0

    for person in doc.people:
        if person.country and person.leader is not None:
            signals = person.signals
            clean = not any(signals.get(k) for k in ("excluded", "other_summit", "absent", "invited"))
            clean = clean or bool(signals.get("sideline"))
            mark({person.country}, "leader_named")
            if clean:
                mark({person.country}, "leader_in_summit_context")
            if signals.get("guest"):
                mark({person.country}, "leader_guest")
            if signals.get("absent_any"):
                mark({person.country}, "leader_absent")
    mark(_listed_states(doc), "listed")
    mark(_delegations(doc), "delegation")
    if doc.fmt is not None and doc.fmt.scope == "interregional":
        mark(_joint_parties(doc), "joint_party")
    mark(_walked_out(doc), "walked_out")
    return readings


def _walked_out(doc: Doc) -> set[str]:
    """States listed right after a word saying they walked out or stayed away ("وشهدت القمة انسحاب وفود
    المملكة المغربية والمملكة العربية السعودية ...", "Morocco and Saudi Arabia walked out")."""
    starts = [h.last_token for h in doc.cues.get("walked_out", [])]
    return _states_listed_after(doc, starts) if starts else set()


def _delegations(doc: Doc) -> set[str]:
    """States whose delegation is said to take part ("the Brazilian delegation", "وفد البرازيل"), every state
    of a list a delegation word opens ("the delegations of A, B and C"), or that address the summit (a
    state's name right after "كلمة", "speech by")."""
    codes: set[str] = set(_speakers(doc))
    for category, lo, hi in (("delegation", -4, 2), ("represented", -6, 2)):
        for cue in doc.cues.get(category, []):
            sentence = doc.tok_sentence[cue.first_token]
            if sentence in doc.excluded_sentences or belongs_to_other_anchor(doc, cue.first_token):
                continue
            beside = False
            for ref in doc.found.countries:
                if doc.tok_sentence[ref.span.first_token] == sentence and (
                    lo <= ref.span.first_token - cue.last_token <= hi
                ):
                    codes.add(ref.code)
                    beside = beside or ref.span.first_token > cue.last_token
            if beside and category == "delegation":
                # "the delegations of A, B, C and D": the list the first state opens is read whole
                codes |= _states_listed_after(doc, [cue.last_token])
    return codes


_SPEAKER_REACH = 5  # tokens: "a speech by the finance minister of X", "كلمة لوزير الخارجية في X"


def _speakers(doc: Doc) -> set[str]:
    """States whose speaker addresses the summit: the first state named after a speech word, right after it
    or behind the speaker's titles ("كلمة لوزير مالية X", "an address by the Foreign Minister of X"), with
    no comma or full stop between."""
    codes: set[str] = set()
    refs = sorted(doc.found.countries, key=lambda r: r.span.first_token)
    for cue in doc.cues.get("speech_of", []):
        sentence = doc.tok_sentence[cue.first_token]
        if sentence in doc.excluded_sentences or belongs_to_other_anchor(doc, cue.first_token):
            continue
        for ref in refs:
            gap = ref.span.first_token - cue.last_token
            if gap < 1 or doc.tok_sentence[ref.span.first_token] != sentence:
                continue
            between = doc.norm[doc.toks[cue.last_token].end : ref.span.start]
            if gap <= _SPEAKER_REACH and not any(mark in between for mark in (",", ".", ";", ":")):
                codes.add(ref.code)
            break  # only the first state after the word
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
                and not ((last == start or not last_code) and _opens_after_colon(doc, last, span.first_token))
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


_INTRODUCED = 16  # tokens: "will take part ... the six members of the partnership: A, B, C"
_LIST_MARKS = (":", "\u2014", "\u2013", " - ")


def _opens_after_colon(doc: Doc, start: int, first: int) -> bool:
    """Whether the state at token `first` opens a list that a colon or a dash introduces, a little after the
    taking-part word at token `start` ("taking part are the leaders of the six members: A, B ..."), with no
    full stop between."""
    if first - start > _INTRODUCED or first == 0:
        return False
    gap = doc.norm[doc.toks[first - 1].end : doc.toks[first].start]
    return any(mark in gap for mark in _LIST_MARKS) and "\n" not in gap


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
