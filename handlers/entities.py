"""Find the named things of the knowledge base in a normalised text.

`Gazetteer.build(kb)` compiles every name once; `Gazetteer.find(toks)` returns what one article
names: states (names and demonyms), cities, summit formats and organisations, leaders and heads
of international bodies (exact names, then spelling-tolerant surname skeletons), and titles.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from handlers.knowledge import City, KnowledgeBase, Leader, Official, SummitFormat, name_skeleton
from handlers.limits import (
    MAX_CITY_MENTIONS,
    MAX_FORMAT_MENTIONS,
    MAX_PERSON_MENTIONS,
    MAX_STATE_MENTIONS,
    MAX_TITLE_MENTIONS,
)
from handlers.match import Hit, KeyedTokens, PhraseIndex, phrase_keys, phrase_rests, strip_article
from handlers.records import record
from handlers.russian import is_russian
from handlers.text import Token, normalise

Person = Leader | Official
FormatKind = Literal["summit", "org"]
CountryKind = Literal["name", "demonym"]

# What a region's name (`KnowledgeBase.regions`) is read as in the state index: no state, dropped.
_REGION = ""

# Shortest skeleton that may be matched tolerantly: shorter ones collide with common words.
_MIN_SKELETON = 4
_MAX_REMEMBERED = 1 << 18  # words whose skeleton lookup is kept (bounded: the vocabulary is open)


@record
class Span:
    """Where a thing was named: [start, end) in normalised text and its token range."""

    start: int
    end: int
    first_token: int
    last_token: int


@record
class CountryRef:
    code: str
    kind: CountryKind
    span: Span


@record
class CityRef:
    city: City
    span: Span


@record
class FormatRef:
    fmt: SummitFormat
    kind: FormatKind
    span: Span


@record
class PersonRef:
    """A person named in the text; several candidates when the name alone is ambiguous."""

    candidates: tuple[Person, ...]
    span: Span
    exact: bool
    surname_only: bool


@record
class TitleRef:
    role: str
    span: Span


@dataclass(slots=True)
class Found:
    """Everything the gazetteer found in one article."""

    countries: list[CountryRef] = field(default_factory=list)
    cities: list[CityRef] = field(default_factory=list)
    formats: list[FormatRef] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)
    titles: list[TitleRef] = field(default_factory=list)


@record
class _PersonName:
    person: Person
    surname_only: bool


_SkeletonMatch = tuple[list[Person], int, int]  # the people, how many tokens, the letters cut before
_UNKNOWN: Any = object()  # not remembered yet (None is an answer: no one)


class Gazetteer:
    """All names of the knowledge base, compiled for lookup (build once, share read-only)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.countries: PhraseIndex[tuple[str, CountryKind]] = PhraseIndex()
        self.cities: PhraseIndex[City] = PhraseIndex()
        self.formats: PhraseIndex[tuple[SummitFormat, FormatKind]] = PhraseIndex()
        self.people: PhraseIndex[_PersonName] = PhraseIndex()
        self.titles: PhraseIndex[str] = PhraseIndex()
        self.skeletons: dict[str, list[Person]] = defaultdict(list)
        self.summit_name_seconds: dict[str, frozenset[str]] = {}
        # first word of a summit's name of several words -> the keys after it of each such name
        self.summit_name_rests: dict[str, frozenset[tuple[str, ...]]] = {}
        self._skeleton_memo: dict[str, list[Person] | None] = {}
        # (word, the next word when it may be read with it) -> what `_skeleton_at` answers there
        self._tolerant_memo: dict[tuple[str, str | None], _SkeletonMatch | None] = {}
        # language -> every word (3 letters or more, article stripped) of a leader's or official's name
        self.name_words: dict[str, frozenset[str]] = {}
        self._build()

    @classmethod
    def build(cls, kb: KnowledgeBase) -> Gazetteer:
        """Compile the knowledge base's names (done once at start-up)."""
        return cls(kb)

    def _build(self) -> None:
        kb = self.kb
        words: dict[str, set[str]] = {}
        named: list[Person] = [*kb.leaders, *kb.officials]
        for one in named:
            for language, names in one.names.items():
                bucket = words.setdefault(language, set())
                for name in names:
                    bucket.update(strip_article(w) for w in normalise(name).split() if len(w) >= 3)
        self.name_words = {language: frozenset(ws) for language, ws in words.items()}
        for country in kb.countries.values():
            for names in country.names.values():
                for name in names:
                    self.countries.add(name, (country.code, "name"))
            for forms in country.demonyms.values():
                for form in forms:
                    self.countries.add(form, (country.code, "demonym"))
        # a region's name read whole ("South American"), so the state's word inside it is not read alone
        for names in kb.regions.values():
            for name in names:
                self.countries.add(name, (_REGION, "name"))
        for city in kb.cities:
            for names in city.names.values():
                for name in names:
                    self.cities.add(name, city)
        seconds: dict[str, set[str]] = {}
        summit_names: list[str] = []
        for fmt in kb.formats:
            for names in fmt.summit_names.values():
                for name in names:
                    self.formats.add(name, (fmt, "summit"))
                    summit_names.append(name)
                    for key in phrase_keys(name):
                        seconds.setdefault(key[0], set()).add(key[1] if len(key) > 1 else "")
            for names in fmt.org_names.values():
                for name in names:
                    self.formats.add(name, (fmt, "org"))
        # first word -> the second words a summit's name may go on with ("" when the name is that word)
        self.summit_name_seconds = {first: frozenset(after) for first, after in seconds.items()}
        self.summit_name_rests = phrase_rests(summit_names)
        people: list[Person] = [*kb.leaders, *kb.officials]
        for person in people:
            for names in person.names.values():
                for name in names:
                    self.people.add(name, _PersonName(person, surname_only=False))
            for names in person.surnames.values():
                for name in names:
                    self.people.add(name, _PersonName(person, surname_only=True))
                    skeleton = name_skeleton("".join(strip_article(w) for w in name.split()))
                    if len(skeleton) >= _MIN_SKELETON and person not in self.skeletons[skeleton]:
                        self.skeletons[skeleton].append(person)
        for title in kb.titles:
            self.titles.add(title.phrase, title.role)

    def find(self, toks: list[Token] | KeyedTokens, skip_in_formats: frozenset[int] = frozenset()) -> Found:
        """Everything this gazetteer knows that `toks` names.

        Format names are matched with the tokens in `skip_in_formats` left out, so an ordinal
        written inside a name ("the sixth Consultative Meeting of ...") does not hide it.
        """
        keyed = toks if isinstance(toks, KeyedTokens) else KeyedTokens(toks)
        found = Found(formats=self.find_formats(keyed, skip_in_formats))
        return self.find_rest(keyed, found)

    def find_formats(self, keyed: KeyedTokens, skip: frozenset[int] = frozenset()) -> list[FormatRef]:
        """Summit formats and organisations named in `keyed` (the tokens in `skip` left out)."""
        if not skip:
            hits = self.formats.find(keyed, MAX_FORMAT_MENTIONS)
            return [FormatRef(h.value[0], h.value[1], _span(h)) for h in hits]
        kept = [i for i in range(len(keyed)) if i not in skip]
        return [
            FormatRef(h.value[0], h.value[1], Span(h.start, h.end, kept[h.first_token], kept[h.last_token]))
            for h in self.formats.find(keyed.without(skip), MAX_FORMAT_MENTIONS)
        ]

    def find_rest(self, keyed: KeyedTokens, found: Found) -> Found:
        """States, cities, titles and people named in `keyed`, added to `found` (which has the formats)."""
        hits = self.countries.find(keyed)  # a region's name (code `_REGION`, empty) is dropped here
        found.countries = [CountryRef(h.value[0], h.value[1], _span(h)) for h in hits if h.value[0]]
        found.cities = [
            CityRef(h.value, _span(h)) for h in self.cities.find(keyed) if not _bare_stem(keyed, h)
        ]
        found.titles = [TitleRef(h.value, _span(h)) for h in self.titles.find(keyed)]
        found.people = self._people(keyed, found)[:MAX_PERSON_MENTIONS]  # every name's words kept apart
        # the first mentions of each kind in text order (see handlers.limits)
        found.countries = found.countries[:MAX_STATE_MENTIONS]
        found.cities = found.cities[:MAX_CITY_MENTIONS]
        found.titles = found.titles[:MAX_TITLE_MENTIONS]
        # "جورجيا ميلوني", "Jordan Bardella": a state's name that opens a known person's full name is his;
        # "محمد شياع السوداني" (Iraq's prime minister): so is a demonym that ends one
        named = [r.span for r in found.people if r.exact and not r.surname_only]
        if named:
            found.countries = [c for c in found.countries if not any(_part_of(n, c.span) for n in named)]
        # "канцлер Германии", "Xi'an": a word read as a state or a city is no one's surname (unless the name
        # written is longer than the place: "ас-Судани"; a full name that opens with a state's name keeps
        # its state's word, above)
        places = [r.span for r in found.countries] + [r.span for r in found.cities]
        if places:
            found.people = [r for r in found.people if not (r.surname_only and _a_place(r.span, places))]
        return found

    def _people(self, keyed: KeyedTokens, found: Found) -> list[PersonRef]:
        taken = _taken_tokens(found)
        refs: list[PersonRef] = []
        grouped: dict[tuple[int, int, int, int], list[_PersonName]] = defaultdict(list)
        for hit in self.people.find(keyed, MAX_PERSON_MENTIONS):  # later names: past the cap anyway
            grouped[(hit.start, hit.end, hit.first_token, hit.last_token)].append(hit.value)
        for (start, end, first, last), names in grouped.items():
            full = [n.person for n in names if not n.surname_only]
            candidates = tuple(dict.fromkeys(full or [n.person for n in names]))
            refs.append(
                PersonRef(candidates, Span(start, end, first, last), exact=True, surname_only=not full)
            )
            taken.update(range(first, last + 1))
        refs.extend(self._tolerant(keyed, taken))
        return sorted(refs, key=lambda r: r.span.start)

    def _tolerant(self, keyed: KeyedTokens, taken: set[int]) -> list[PersonRef]:
        """Surnames written in an unlisted way, matched by their consonant skeleton."""
        toks, stripped, memo = keyed.toks, keyed.stripped, self._tolerant_memo
        refs: list[PersonRef] = []
        i, size = 0, len(toks)
        while i < size:
            if i in taken:
                i += 1
                continue
            # the answer depends on the word and on the next one when the two may be read together: words
            # and pairs repeat, so it is remembered (bounded) rather than asked again per token
            pair = i + 1 < size and i + 1 not in taken and toks[i + 1].start - toks[i].end == 1
            probe = (toks[i].text, stripped[i + 1] if pair else None)
            match = memo.get(probe, _UNKNOWN)
            if match is _UNKNOWN:
                match = self._skeleton_at(keyed, i, taken)
                if len(memo) < _MAX_REMEMBERED:
                    memo[probe] = match
            if match is None:
                i += 1
                continue
            people, n, cut = match
            span = Span(toks[i].start + cut, toks[i + n - 1].end, i, i + n - 1)
            refs.append(PersonRef(tuple(people), span, exact=False, surname_only=True))
            if len(refs) >= MAX_PERSON_MENTIONS:
                break  # later ones are past the first MAX_PERSON_MENTIONS names anyway
            i += n
        return refs

    def _skeleton_at(self, keyed: KeyedTokens, i: int, taken: set[int]) -> _SkeletonMatch | None:
        toks = keyed.toks
        # a one-letter word ("и", "a") is a conjunction or an initial, not the first half of a surname
        pair_ok = (
            i + 1 < len(toks)
            and i + 1 not in taken
            and toks[i + 1].start - toks[i].end == 1
            and len(toks[i].text) > 1
        )
        for key, cut in keyed.readings[i]:
            if not key.isalpha():
                return None
            if pair_ok:
                people = self._by_skeleton(key + keyed.stripped[i + 1])
                if people:
                    return people, 2, cut
            people = self._by_skeleton(key)
            if people and len(key) >= _MIN_SKELETON:
                return people, 1, cut
        return None

    def _by_skeleton(self, word: str) -> list[Person] | None:
        """The people whose surname has the skeleton of `word` (remembered per word: words repeat)."""
        memo = self._skeleton_memo
        if word in memo:
            return memo[word]
        people = self.skeletons.get(name_skeleton(word))
        if len(memo) < _MAX_REMEMBERED:
            memo[word] = people
        return people


def _a_place(name: Span, places: list[Span]) -> bool:
    """Whether a place's name covers words of `name` and is not a part of a longer name written there."""
    return any(
        p.first_token <= name.last_token
        and name.first_token <= p.last_token
        and not (name.start <= p.start and p.end <= name.end and (name.start, name.end) != (p.start, p.end))
        for p in places
    )


def _part_of(name: Span, part: Span) -> bool:
    """Whether `part` lies inside `name` and is shorter: a word of the name, not the whole of it."""
    return (
        name.first_token <= part.first_token
        and part.last_token <= name.last_token
        and part.last_token - part.first_token < name.last_token - name.first_token
    )


def _span(hit: Hit[Any]) -> Span:
    return Span(hit.start, hit.end, hit.first_token, hit.last_token)


def _taken_tokens(found: Found) -> set[int]:
    spans = [r.span for r in found.countries] + [r.span for r in found.cities]
    spans += [r.span for r in found.formats] + [r.span for r in found.titles]
    return {i for span in spans for i in range(span.first_token, span.last_token + 1)}


def _bare_stem(keyed: KeyedTokens, hit: Hit[City]) -> bool:
    """A Russian word with no case ending where every Russian name of its city has one ("Александр" for
    "Александрия"): a first name, not the city (matching drops endings, so both have one key)."""
    if hit.first_token != hit.last_token:
        return False
    word = keyed.toks[hit.first_token].text
    if not is_russian(word) or strip_article(word) != word:
        return False
    names = [normalise(n) for n in hit.value.names.get("ru", ())]
    return bool(names) and all(n != word and n.startswith(word) for n in names)
