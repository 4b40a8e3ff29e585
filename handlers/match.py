"""Phrase lookup over normalised tokens: longest match first, aware of Arabic clitics.

A phrase is stored as a tuple of keys (one per token). Arabic tokens in running text carry
proclitics (و ف ب ل ك and the article ال, or لل); `token_keys` lists the readings of one token,
least stripped first, each with how many leading characters the clitics took, so a hit's
span starts at the word itself (وقرغيزستان -> قرغيزستان).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from operator import itemgetter
from typing import Generic, TypeVar

import ahocorasick_rs

from handlers.records import record
from handlers.russian import is_russian, phrase_forms
from handlers.text import Token, normalise, tokens

T = TypeVar("T")

_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
# the negation particles: "ولن يحضر", "ولم يشارك" ("and will not attend", "and did not take part") are
# the cues "لن يحضر", "لم يشارك" with "and" written on; shorter than the four letters a stripped word needs
_NEGATIONS = frozenset(("لن", "لم", "لا"))


# Russian case endings stripped for matching, longest first ("Мирзиёевым" and "Мирзиёева" -> "мирзиёев")
_RU_ENDINGS = tuple(
    sorted(
        [
            "ыми",
            "ими",
            "ами",
            "ями",
            "ией",
            "ием",
            "иям",
            "иях",
            "ии",
            "ого",
            "его",
            "ому",
            "ему",
            "ых",
            "их",
            "ым",
            "им",
            "ой",
            "ей",
            "ую",
            "юю",
            "ая",
            "яя",
            "ое",
            "ее",
            "ые",
            "ие",
            "ом",
            "ем",
            "ах",
            "ях",
            "ам",
            "ям",
            "ию",
            "ия",
            "ье",
            "ья",
            "ью",
            "а",
            "я",
            "о",
            "е",
            "ы",
            "и",
            "у",
            "ю",
            "й",
            "ь",
        ],
        key=len,
        reverse=True,
    )
)


@lru_cache(maxsize=262_144)
def strip_article(word: str) -> str:
    """The matching key of one word: Arabic without its article, Russian without its case ending."""
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    if "\u0430" <= word[-1:] <= "\u044f" and len(word) > 4:
        for ending in _RU_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                return word[: -len(ending)]
    return word


@lru_cache(maxsize=262_144)
def token_keys(word: str) -> tuple[tuple[str, int], ...]:
    """Readings of a running-text token as (key, clitic length), least stripped first.

    Pure in the word, and words repeat: cached, so every index an article is matched against
    shares the work.
    """
    seen: set[str] = set()
    keys: list[tuple[str, int]] = []
    for key, cut in _readings(word):
        key = strip_article(key)
        if key not in seen and (len(key) >= 2 or cut == 0):
            seen.add(key)
            keys.append((key, cut))
    return tuple(keys)


def _readings(word: str) -> Iterator[tuple[str, int]]:
    yield word, 0
    bases = [(word, 0)]
    if word[:1] in _CONJ and (len(word) > 3 or word[1:] in _NEGATIONS):
        bases.append((word[1:], 1))
        yield word[1:], 1
    for base, cut in bases:
        if base.startswith("لل") and len(base) > 4:
            yield base[2:], cut + 2  # لل = ل + ال whose alef is not written
        elif base[:1] in _PREP and len(base) > 3:
            yield base[1:], cut + 1


def phrase_keys(phrase: str) -> set[tuple[str, ...]]:
    """Every key under which a phrase is stored: a Russian one in each of its case forms."""
    words = [t.text for t in tokens(normalise(phrase))]
    if not is_russian(phrase):
        return {tuple(strip_article(w) for w in words)} if words else set()
    acronyms = frozenset(normalise(w) for w in re.findall(r"\w+", phrase) if w.isupper())
    return {tuple(strip_article(w) for w in form) for form in phrase_forms(words, acronyms)}


def phrase_rests(phrases: Iterable[str]) -> dict[str, frozenset[tuple[str, ...]]]:
    """First key -> the keys after it of every phrase of several words (in each of its keyed forms)."""
    after: dict[str, set[tuple[str, ...]]] = {}
    for phrase in phrases:
        for key in phrase_keys(phrase):
            if len(key) > 1:
                after.setdefault(key[0], set()).add(key[1:])
    return {first: frozenset(keys) for first, keys in after.items()}


# Every key of every PhraseIndex as one character of its own (`_CODES`): a phrase of n keys is then a string
# of n characters, and an article's tokens one character each (the key a token has when it continues a
# phrase, `_UNLISTED` for a key no index holds), so one Aho-Corasick scan in compiled code over a string as
# long as the article's token count finds every phrase read from the tokens' first readings. The table only
# grows (keys are added while the indexes are built); a word's remembered keys and an article's codes made
# before it grew are made anew (`_WORD_KEYS` cleared, `KeyedTokens.table`).
_CODES: dict[str, str] = {}
_UNLISTED = " "
_FIRST_CODE = 0x100
_SURROGATES = (0xD800, 0xE000)  # not encodable: the scan reads the string as UTF-8

# a token's other readings (clitics cut) that some index holds as a key: (key, letters cut, which reading)
Alternates = tuple[tuple[str, int, int], ...]


class WordKeys:
    """What a keyed token needs of its word: `token_keys(word)`, `strip_article(word)`, the code of the
    latter and the other readings that some index holds. A class, not a tuple: compiled code reads a fixed
    tuple kept in a dict by unboxing it and boxes it anew when it is stored (an allocation per token)."""

    __slots__ = ("alternates", "code", "readings", "stripped")

    def __init__(
        self, readings: tuple[tuple[str, int], ...], stripped: str, code: str, alternates: Alternates
    ) -> None:
        self.readings = readings
        self.stripped = stripped
        self.code = code
        self.alternates = alternates


# word -> `word_keys(word)`: a plain dict, asked inline by `KeyedTokens` (an `lru_cache` costs a call and
# the upkeep of its recency list on every token); bounded: past the bound, words are keyed anew
_WORD_KEYS: dict[str, WordKeys] = {}
_MAX_WORD_KEYS = 262_144


def key_code(key: str) -> str:
    """The one character that stands for `key` in phrase patterns and token codes (given on first use)."""
    code = _CODES.get(key)
    if code is None:
        number = _FIRST_CODE + len(_CODES)
        if number >= _SURROGATES[0]:
            number += _SURROGATES[1] - _SURROGATES[0]
        code = chr(number)
        _CODES[key] = code
        _WORD_KEYS.clear()  # words keyed before carry the smaller table
    return code


def word_keys(word: str) -> WordKeys:
    """`token_keys(word)`, `strip_article(word)`, the code of the latter and the other readings that some
    index holds (what a keyed token needs), remembered per word."""
    known = _WORD_KEYS.get(word)
    if known is None:
        readings = token_keys(word)
        stripped = strip_article(word)
        codes = _CODES
        alternates = tuple((key, cut, r) for r, (key, cut) in enumerate(readings) if r and key in codes)
        known = WordKeys(readings, stripped, codes.get(stripped, _UNLISTED), alternates)
        if len(_WORD_KEYS) < _MAX_WORD_KEYS:
            _WORD_KEYS[word] = known
    return known


class KeyedTokens:
    """An article's tokens with their matching keys, computed once and shared by every index.

    `readings[i]` is `token_keys` of token i (how it may begin a phrase), `stripped[i]` its key when it
    continues one, `codes[i]` the code of that key (`key_code`; every index scans this string for its phrases)
    and `alternates` the other readings (clitics cut) that some index holds: (token, key, cut, reading).
    """

    __slots__ = ("alternates", "codes", "readings", "stripped", "table", "toks")

    def __init__(self, toks: list[Token]) -> None:
        self.toks = toks
        self._key(toks)

    def _key(self, toks: list[Token]) -> None:
        self.table = len(_CODES)
        known = _WORD_KEYS
        keyed = [known.get(tok.text) or word_keys(tok.text) for tok in toks]  # a known word's keys inline
        self.readings = [k.readings for k in keyed]
        self.stripped = [k.stripped for k in keyed]
        self.codes = "".join([k.code for k in keyed])
        self.alternates = [
            (i, key, cut, r) for i, k in enumerate(keyed) if k.alternates for key, cut, r in k.alternates
        ]

    def current(self) -> KeyedTokens:
        """These tokens, their codes made anew if keys were added to the table since they were made."""
        if self.table != len(_CODES):
            self._key(self.toks)
        return self

    def without(self, skip: frozenset[int]) -> KeyedTokens:
        """A view of these tokens with those in `skip` left out (indices renumbered), sharing the keys."""
        whole = self.current()
        kept = [i for i in range(len(whole.toks)) if i not in skip]
        view = KeyedTokens([])
        view.toks = [whole.toks[i] for i in kept]
        view.readings = [whole.readings[i] for i in kept]
        view.stripped = [whole.stripped[i] for i in kept]
        codes = whole.codes
        view.codes = "".join([codes[i] for i in kept])
        if whole.alternates:
            renumbered = {i: n for n, i in enumerate(kept)}
            view.alternates = [
                (renumbered[i], key, cut, r) for i, key, cut, r in whole.alternates if i in renumbered
            ]
        view.table = whole.table
        return view

    def __len__(self) -> int:
        return len(self.toks)


# a phrase found: (first token, which reading of it, tokens, letters the clitics took, its values)
_Phrase = tuple[int, int, int, int, list[T]]
_IN_ORDER = itemgetter(0, 1, 2)


@record
class Hit(Generic[T]):
    """A phrase found in normalised text: [start, end) in `NormText.norm`."""

    start: int
    end: int
    value: T
    first_token: int
    last_token: int


class PhraseIndex(Generic[T]):
    """Maps phrases to values and finds them in token streams, longest match first."""

    def __init__(self, entries: Iterable[tuple[str, T]] = ()) -> None:
        self._by_key: dict[tuple[str, ...], list[T]] = {}
        self._first: dict[str, int] = {}  # first key -> longest phrase length starting with it
        # every key's prefixes (the keys included): a match is grown word by word while it can still
        # become a key, so a start costs the length of what matches there, not the longest phrase squared
        self._prefixes: set[tuple[str, ...]] = set()
        # the keys as code strings in one automaton (made at the first lookup after an `add`) and the key of
        # each of its patterns
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        self._patterns: list[tuple[str, ...]] = []
        self._built = False
        for phrase, value in entries:
            self.add(phrase, value)

    def add(self, phrase: str, value: T) -> None:
        """Register `phrase` (any spelling or case; it is normalised here) for `value`."""
        for key in phrase_keys(phrase):
            values = self._by_key.setdefault(key, [])
            if value not in values:
                values.append(value)
            self._first[key[0]] = max(self._first.get(key[0], 0), len(key))
            self._prefixes.update(key[:k] for k in range(1, len(key) + 1))
            for word in key:
                key_code(word)
        self._built = False

    def __len__(self) -> int:
        return len(self._by_key)

    def _scanner(self) -> ahocorasick_rs.AhoCorasick | None:
        if not self._built:
            self._patterns = list(self._by_key)
            codes = _CODES
            patterns = ["".join([codes[word] for word in key]) for key in self._patterns]
            self._automaton = ahocorasick_rs.AhoCorasick(patterns) if patterns else None
            self._built = True
        return self._automaton

    def _phrases(self, keyed: KeyedTokens) -> list[_Phrase[T]]:
        """Every phrase in `keyed` as (first token, reading, tokens, cut, values), ordered by the first three:
        those read from the tokens' first readings by one scan of their codes, the rest (a clitic cut from
        the first word) grown word by word from the few other readings that some index holds."""
        automaton = self._scanner()
        keyed = keyed.current()
        found: list[_Phrase[T]] = []
        by_key = self._by_key
        if automaton is not None:
            patterns = self._patterns
            for pattern, start, end in automaton.find_matches_as_indexes(keyed.codes, overlapping=True):
                found.append((start, 0, end - start, 0, by_key[patterns[pattern]]))
        if keyed.alternates:
            firsts, prefixes, stripped = self._first, self._prefixes, keyed.stripped
            size = len(stripped)
            for i, first, cut, reading in keyed.alternates:
                if first not in firsts:
                    continue
                key: tuple[str, ...] = (first,)
                n = 1
                while True:
                    values = by_key.get(key)
                    if values:
                        found.append((i, reading, n, cut, values))
                    if i + n >= size:
                        break
                    key = (*key, stripped[i + n])
                    if key not in prefixes:
                        break
                    n += 1
        if len(found) > 1:
            found.sort(key=_IN_ORDER)
        return found

    def find(self, toks: list[Token] | KeyedTokens, max_spans: int | None = None) -> list[Hit[T]]:
        """All non-overlapping hits in `toks`, scanning left to right, longest first; with `max_spans`,
        those of the first `max_spans` phrases found only (the rest is not looked for)."""
        keyed = toks if isinstance(toks, KeyedTokens) else KeyedTokens(toks)
        found = self._phrases(keyed)
        tokens_ = keyed.toks
        hits: list[Hit[T]] = []
        free = 0  # the first token not inside an earlier hit
        spans = 0
        k, size = 0, len(found)
        while k < size:
            i, reading = found[k][0], found[k][1]
            if i < free:
                k += 1
                continue
            # the first reading of token i that begins a phrase, and its longest phrase (the last found)
            while k + 1 < size and found[k + 1][0] == i and found[k + 1][1] == reading:
                k += 1
            _, _, n, cut, values = found[k]
            start, end, last = tokens_[i].start + cut, tokens_[i + n - 1].end, i + n - 1
            hits.extend(Hit(start, end, v, i, last) for v in values)
            free = last + 1
            spans += 1
            if spans == max_spans:
                return hits
            k += 1
        return hits

    def find_all(self, toks: list[Token] | KeyedTokens) -> list[Hit[T]]:
        """Every hit in `toks`, overlapping ones included (for cue words of several kinds)."""
        return list(self.iter_all(toks))

    def iter_all(
        self, toks: list[Token] | KeyedTokens, wanted: Callable[[T], bool] | None = None
    ) -> Iterator[Hit[T]]:
        """`find_all`'s hits in order, one at a time; a hit whose value `wanted` refuses (when given,
        asked as each hit is found) is not made at all."""
        keyed = toks if isinstance(toks, KeyedTokens) else KeyedTokens(toks)
        tokens_ = keyed.toks
        for i, n, cut, values in self.phrases(keyed):
            for value in values:
                if wanted is None or wanted(value):
                    yield Hit(tokens_[i].start + cut, tokens_[i + n - 1].end, value, i, i + n - 1)

    def phrases(self, keyed: KeyedTokens) -> Iterator[tuple[int, int, int, list[T]]]:
        """Every phrase in `keyed` as (first token, tokens, letters the clitics took, its values), in
        `iter_all`'s order (no `Hit` made: for callers that keep their own record of each)."""
        for i, _, n, cut, values in self._phrases(keyed):
            yield i, n, cut, values
