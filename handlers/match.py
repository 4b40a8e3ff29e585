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
from typing import Generic, TypeVar

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


WordKeys = tuple[tuple[tuple[str, int], ...], str]
# word -> `word_keys(word)`: a plain dict, asked inline by `KeyedTokens` (an `lru_cache` costs a call and
# the upkeep of its recency list on every token); bounded: past the bound, words are keyed anew
_WORD_KEYS: dict[str, WordKeys] = {}
_MAX_WORD_KEYS = 262_144


def word_keys(word: str) -> WordKeys:
    """`token_keys(word)` and `strip_article(word)` (what a keyed token needs), remembered per word."""
    known = _WORD_KEYS.get(word)
    if known is None:
        known = token_keys(word), strip_article(word)
        if len(_WORD_KEYS) < _MAX_WORD_KEYS:
            _WORD_KEYS[word] = known
    return known


class KeyedTokens:
    """An article's tokens with their matching keys, computed once and shared by every index.

    `readings[i]` is `token_keys` of token i (how it may begin a phrase), `stripped[i]` its key when it
    continues one, and `positions` maps each reading's key to the tokens that have it, so an index visits
    only the tokens that can begin one of its phrases (found by a set intersection, not a scan).
    """

    __slots__ = ("_kept", "_whole", "positions", "readings", "stripped", "toks")

    def __init__(self, toks: list[Token]) -> None:
        self.toks = toks
        known = _WORD_KEYS
        keyed = [known.get(tok.text) or word_keys(tok.text) for tok in toks]  # a known word's keys inline
        self.readings = [k[0] for k in keyed]
        self.stripped = [k[1] for k in keyed]
        positions: dict[str, list[int]] = {}
        for i, keys in enumerate(self.readings):
            for key, _ in keys:
                at = positions.get(key)
                if at is None:
                    positions[key] = [i]
                else:
                    at.append(i)
        self.positions = positions
        self._whole: KeyedTokens | None = None  # set on a `without` view: the tokens it was cut from
        self._kept: dict[int, int] = {}  # on a view: index in the whole -> index in the view

    def without(self, skip: frozenset[int]) -> KeyedTokens:
        """A view of these tokens with those in `skip` left out (indices renumbered), sharing the keys."""
        kept = [i for i in range(len(self.toks)) if i not in skip]
        view = KeyedTokens([])
        view.toks = [self.toks[i] for i in kept]
        view.readings = [self.readings[i] for i in kept]
        view.stripped = [self.stripped[i] for i in kept]
        view._whole = self
        view._kept = {i: n for n, i in enumerate(kept)}
        return view

    def __len__(self) -> int:
        return len(self.toks)

    def starts(self, firsts: dict[str, int]) -> list[int]:
        """The tokens, in order, with a reading that begins a phrase of an index with first keys `firsts`."""
        if self._whole is not None:
            kept = self._kept
            return [kept[i] for i in self._whole.starts(firsts) if i in kept]
        common = self.positions.keys() & firsts.keys()
        if not common:
            return []
        if len(common) == 1:
            return self.positions[next(iter(common))]
        return sorted({i for key in common for i in self.positions[key]})


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

    def __len__(self) -> int:
        return len(self._by_key)

    def find(self, toks: list[Token] | KeyedTokens, max_spans: int | None = None) -> list[Hit[T]]:
        """All non-overlapping hits in `toks`, scanning left to right, longest first; with `max_spans`,
        those of the first `max_spans` phrases found only (the rest is not looked for)."""
        keyed = toks if isinstance(toks, KeyedTokens) else KeyedTokens(toks)
        hits: list[Hit[T]] = []
        free = 0  # the first token not inside an earlier hit
        spans = 0
        tokens_, readings, stripped, size = keyed.toks, keyed.readings, keyed.stripped, len(keyed.stripped)
        firsts, by_key, prefixes = self._first, self._by_key, self._prefixes
        for i in keyed.starts(firsts):
            if i < free:
                continue
            # the first reading of token i that begins a phrase, and its longest phrase
            for first, cut in readings[i]:
                if first not in firsts:
                    continue
                longest, found = 0, None
                key: tuple[str, ...] = (first,)
                n = 1
                while True:
                    values = by_key.get(key)
                    if values:
                        longest, found = n, values
                    if i + n >= size:
                        break
                    key = (*key, stripped[i + n])
                    if key not in prefixes:
                        break
                    n += 1
                if found is not None:
                    start, end, last = tokens_[i].start + cut, tokens_[i + longest - 1].end, i + longest - 1
                    hits.extend(Hit(start, end, v, i, last) for v in found)
                    free = last + 1
                    spans += 1
                    if spans == max_spans:
                        return hits
                    break
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
        readings, stripped, size = keyed.readings, keyed.stripped, len(keyed.stripped)
        firsts, by_key, prefixes = self._first, self._by_key, self._prefixes
        for i in keyed.starts(firsts):
            for first, cut in readings[i]:
                if first not in firsts:
                    continue
                # the phrases starting here read as `first`, shortest first: a key grown word by word
                key: tuple[str, ...] = (first,)
                n = 1
                while True:
                    values = by_key.get(key)
                    if values:
                        yield i, n, cut, values
                    if i + n >= size:
                        break
                    key = (*key, stripped[i + n])
                    if key not in prefixes:
                        break
                    n += 1
