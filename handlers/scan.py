"""The first look in one compiled pass: may any word of the text begin a summit word or a summit's name?

One Aho-Corasick automaton per language (ahocorasick-rs) holds every string a word must contain to be
such a beginning: each matching key of a summit word or name's first word (`LanguageCues.anchor_seconds`,
`Gazetteer.summit_name_seconds`) and the literal each summit-word pattern requires (`anchor_re`). A word
can only have a key as a reading when the key stands inside it behind at most `_MAX_CLITICS` clitic
letters and before at most `_MAX_ENDING` letters of a Russian case ending (`handlers.match.token_keys`),
and a pattern's literal stands within the pattern's reach of the word's start. The automaton finds every
needle in one scan in C; only the words holding a needle where a reading or a pattern could put it are
cut out of the text and asked the exact question (`handlers.prepare._may_begin_a_summit`). An ordinary
article, whose text holds no such word, is decided by the scan alone, without a Python token.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # type: ignore[import-not-found]  # typeshed stubs it as sre_parse only
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import ahocorasick_rs

from handlers.cues import LanguageCues
from handlers.match import _CONJ, _PREP, _RU_ENDINGS, strip_article, token_keys
from handlers.ordinals import find_ordinals, may_lie_in_an_ordinal
from handlers.text import TOKEN_RE

# how far a key may stand inside the word it is read from (see `handlers.match.token_keys`): a conjunction,
# "لل" (or a preposition), then the article "ال"; and a Russian case ending after it
_MAX_CLITICS = 1 + 2 + 2
_CLITIC_LETTERS = frozenset("".join(_CONJ) + "".join(_PREP) + "ال")
_MAX_ENDING = max(len(e) for e in _RU_ENDINGS)
_ENDING_LETTERS = frozenset("".join(_RU_ENDINGS))


@dataclass(frozen=True, slots=True)
class _Reach:
    """Where a needle may stand in a word that could begin a summit: at most `before` word characters
    before it (all in `before_letters`, when given) and at most `after` after it (None: any)."""

    before: int
    before_letters: frozenset[str] | None
    after: int | None
    after_letters: frozenset[str] | None


_KEY = _Reach(_MAX_CLITICS, _CLITIC_LETTERS, _MAX_ENDING, _ENDING_LETTERS)

MayBegin = Callable[[str], "bool | frozenset[str]"]


class FirstLook:
    """The first look of one language: one scan for every needle, then the exact question for the few
    words that hold one where it could count."""

    def __init__(
        self, keys: Iterable[str], patterns: Iterable[re.Pattern[str]], longer: LongerNames | None = None
    ) -> None:
        # with `longer`, a word that may begin a summit word or name of several words counts only when the
        # whole of one follows it (`GoesOn`); without, when its second word does
        self.longer = longer
        reaches: dict[str, list[_Reach]] = {}
        for key in keys:
            reaches.setdefault(key, []).append(_KEY)
        for pattern in patterns:
            literal, before = required_literal(pattern)
            reaches.setdefault(literal, []).append(_Reach(before, None, None, None))
        self.needles = tuple(reaches)
        self._reaches = tuple(tuple(found) for found in reaches.values())
        # a one-letter key is read only from a one-letter word (no clitic, no ending): most hits are not
        self._whole_word = tuple(len(n) == 1 and all(r is _KEY for r in f) for n, f in reaches.items())
        # a DFA: ~150 short needles make a small one, and it scans in about half the default's time
        dfa = ahocorasick_rs.Implementation.DFA
        self._automaton = ahocorasick_rs.AhoCorasick(self.needles, implementation=dfa) if reaches else None

    def may_name_a_summit(self, norm: str, may_begin: MayBegin) -> bool:
        """Whether a word of `norm` begins a summit word or name (`may_begin(word)` True), or begins a
        longer one (a non-empty set of second words) and the next word goes on with it (or none follows):
        the same answer as asking every word of `TOKEN_RE.findall(norm)` in turn."""
        if self._automaton is None:
            return False
        asked: set[int] = set()
        reaches, size = self._reaches, len(norm)
        goes_on = None if self.longer is None else GoesOn(norm, self.longer)
        # each word is asked once, as the scan finds it, and the first that begins one settles the answer
        # (most texts that name a summit do so in their first lines: the rest of the hits is not read)
        for needle, start, end in self._automaton.find_matches_as_indexes(norm, overlapping=True):
            if end - start == 1 and (
                (start and norm[start - 1].isalnum()) or (end < size and norm[end].isalnum())
            ):
                continue  # a one-letter key is a one-letter word (no clitic, no ending): most hits are not
            first = _word_start(norm, start, end, reaches[needle])
            if first is None or first in asked:
                continue
            asked.add(first)
            word = TOKEN_RE.match(norm, first)
            assert word is not None  # a needle is word characters, so a word starts here
            may = may_begin(word.group())
            if may is True:
                return True
            if may:
                if goes_on is not None:
                    if goes_on.settles(word, may):
                        return True
                    continue
                after = TOKEN_RE.search(norm, word.end())
                if after is None or strip_article(after.group()) in may:
                    return True
        return goes_on is not None and goes_on.settled()


def first_looks(
    cues: Mapping[str, LanguageCues],
    summit_name_seconds: Iterable[str],
    summit_name_rests: Mapping[str, Rests] | None = None,
) -> dict[str, FirstLook]:
    """One compiled first look per language of the cue lexicon (with the summits' names of several words,
    `summit_name_rests`, a word that begins one counts only when the whole of one follows it)."""
    names = tuple(summit_name_seconds)
    return {
        lang: FirstLook(
            [*language.anchor_seconds, *names],
            language.anchor_re,
            None
            if summit_name_rests is None
            else LongerNames(lang, language.anchor_rests, summit_name_rests, language.as_written),
        )
        for lang, language in cues.items()
    }


Rests = frozenset[tuple[str, ...]]
_NO_RESTS: Rests = frozenset()
_MAX_REMEMBERED = 1 << 17  # words whose rests are kept (bounded: the vocabulary is open)


class LongerNames:
    """The summit words (cue phrases) and summits' names of several words of one language, by the key of
    their first word: what must follow a word that begins one for the whole of it to stand in the text."""

    def __init__(
        self,
        lang: str,
        phrases: Mapping[str, Rests],
        names: Mapping[str, Rests],
        as_written: Mapping[tuple[str, ...], frozenset[tuple[str, ...]]] | None = None,
    ) -> None:
        self.lang = lang
        # cue phrases that count only as written (`LanguageCues.as_written`): their keys -> the words allowed
        self.as_written = as_written or {}
        self._phrases = phrases
        self._names = names
        self._known: dict[str, Begun] = {}

    def rests(self, word: str) -> Begun:
        """What follows in every cue phrase and summit's name of several words that `word` may begin (any
        of its readings, `token_keys`)."""
        known = self._known.get(word)
        if known is None:
            phrases: set[tuple[str, ...]] = set()
            names: set[tuple[str, ...]] = set()
            for key, _ in token_keys(word):
                phrases.update(self._phrases.get(key, _NO_RESTS))
                names.update(self._names.get(key, _NO_RESTS))
            known = Begun(phrases, names)
            if len(self._known) < _MAX_REMEMBERED:
                self._known[word] = known
        return known


class Begun:
    """The rests (keys after the first) of the cue phrases and the summits' names a word may begin, by their
    first key; every name's rest, and how many words the longest name's rest has."""

    __slots__ = ("names", "names_by_second", "names_reach", "phrases_by_second")

    def __init__(self, phrases: set[tuple[str, ...]], names: set[tuple[str, ...]]) -> None:
        self.phrases_by_second = _by_second(phrases)
        self.names_by_second = _by_second(names)
        self.names = tuple(sorted(names))
        self.names_reach = max((len(rest) for rest in names), default=0)


def _by_second(rests: set[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    by: dict[str, list[tuple[str, ...]]] = {}
    for rest in sorted(rests):
        by.setdefault(rest[0], []).append(rest)
    return {second: tuple(found) for second, found in by.items()}


_NO_REST: tuple[tuple[str, ...], ...] = ()


class GoesOn:
    """For one text: whether the words after a word that may begin a summit word or name of several words
    are the rest of one, as the cue lexicon and the summits' names would find it in the tokens.

    The first look's answer with two words ("a word begins one and the next word goes on with it") is
    narrowed, never widened: a word counts when the next word goes on with one (that answer) and the whole
    rest follows. A cue phrase is read from consecutive tokens; a summit's name as `find_formats` reads it,
    with the tokens of ordinal mentions left out. Reading past ordinals needs `find_ordinals` over the
    text, so it waits for the end of the scan (`settled`), when no word has settled the answer, and is done
    only for the names with a word in reach that may lie in an ordinal (`may_lie_in_an_ordinal`). A name
    that stands only with an ordinal's tokens right after its first word was never passed by the two-word
    answer; it counts when some word has passed that answer, so the text's answer is that answer whenever
    a name or phrase stands in it."""

    def __init__(self, norm: str, longer: LongerNames) -> None:
        self.norm = norm
        self.longer = longer
        self.passed = False  # some word passed the two-word answer
        # names to read past ordinals at the end: (where the word after the first stands, the names' rests)
        self._later: list[tuple[int, Begun]] = []

    def settles(self, word: re.Match[str], seconds: frozenset[str]) -> bool:
        """Whether `word`, which may begin a summit word or name whose second keys are `seconds`, settles
        the text's answer as yes (a name that may stand past an ordinal is kept for `settled`)."""
        after = TOKEN_RE.search(self.norm, word.end())
        if after is None:
            self.passed = True  # the two-word answer took a last word as the start of one
            return False
        begun = self.longer.rests(word.group())
        next_word = after.group()
        second = strip_article(next_word)
        if second in seconds:
            self.passed = True
            return self._follows(word.group(), after, second, begun)
        if begun.names and may_lie_in_an_ordinal(next_word):
            self._later.append((after.start(), begun))
        return False

    def settled(self) -> bool:
        """At the end of the scan, no word having settled it: whether a name stands past an ordinal."""
        if not self.passed or not self._later:
            return False
        skipped = [(m.start, m.end) for m in find_ordinals(self.norm, self.longer.lang)]
        return any(self._past_ordinals(start, begun, skipped) for start, begun in self._later)

    def _follows(self, first: str, after: re.Match[str], second: str, begun: Begun) -> bool:
        """Whether the words from `after` on are the rest of a phrase (that `first` begins, written as it
        counts), or of a name; a name that may stand past an ordinal is kept for `settled`."""
        phrases = begun.phrases_by_second.get(second, _NO_REST)
        names = begun.names_by_second.get(second, _NO_REST)
        reach = max(begun.names_reach, max((len(rest) for rest in phrases), default=0))
        words: list[str] = []
        for found in TOKEN_RE.finditer(self.norm, after.start()):
            words.append(found.group())
            if len(words) == reach:
                break
        keys = [strip_article(w) for w in words]
        size = len(keys)
        as_written = self.longer.as_written
        for rest in phrases:
            if len(rest) <= size and all(keys[j] == rest[j] for j in range(1, len(rest))):
                if not as_written:
                    return True
                written = (first, *words[: len(rest)])
                allowed = as_written.get(tuple([strip_article(w) for w in written]))
                if allowed is None or written in allowed:
                    return True
        for rest in names:
            if len(rest) <= size and all(keys[j] == rest[j] for j in range(1, len(rest))):
                return True
        if begun.names and any(may_lie_in_an_ordinal(w) for w in words):
            self._later.append((after.start(), begun))
        return False

    def _past_ordinals(self, start: int, begun: Begun, skipped: list[tuple[int, int]]) -> bool:
        """Whether the words from `start` on, those inside ordinal mentions left out, are a name's rest."""
        keys: list[str] = []
        for found in TOKEN_RE.finditer(self.norm, start):
            first, last = found.start(), found.end()
            if any(s <= first and last <= e for s, e in skipped):
                continue
            keys.append(strip_article(found.group()))
            if len(keys) == begun.names_reach:
                break
        size = len(keys)
        return any(
            len(rest) <= size and all(keys[j] == rest[j] for j in range(len(rest))) for rest in begun.names
        )


def _word_start(norm: str, start: int, end: int, reaches: tuple[_Reach, ...]) -> int | None:
    """The start of the word holding norm[start:end] when one of `reaches` allows the needle there."""
    for reach in reaches:
        first = start
        while first > 0 and norm[first - 1].isalnum() and start - first <= reach.before:
            first -= 1
        if start - first > reach.before or (first > 0 and norm[first - 1].isalnum()):
            continue
        if reach.before_letters is not None and not reach.before_letters.issuperset(norm[first:start]):
            continue
        if reach.after is not None:
            last = end
            while last < len(norm) and norm[last].isalnum() and last - end <= reach.after:
                last += 1
            if last - end > reach.after or (last < len(norm) and norm[last].isalnum()):
                continue
            if reach.after_letters is not None and not reach.after_letters.issuperset(norm[end:last]):
                continue
        return first
    return None


def required_literal(pattern: re.Pattern[str]) -> tuple[str, int]:
    """The longest run of plain characters a pattern anchored at the word's start (`^`) always matches,
    and the most characters that may stand before it; ValueError when the pattern has none."""
    items = list(sre_parse.parse(pattern.pattern, pattern.flags))
    if not items or items[0] != (sre_parse.AT, sre_parse.AT_BEGINNING):
        raise ValueError(f"anchor pattern {pattern.pattern!r} is not anchored at the word's start")
    best: tuple[str, int] = ("", 0)
    reach = 0
    run: list[str] = []
    run_reach = 0
    for op, arg in items[1:]:
        if op is sre_parse.LITERAL and not pattern.flags & re.IGNORECASE:
            if not run:
                run_reach = reach
            run.append(chr(arg))
            reach += 1
            continue
        if len(run) > len(best[0]):
            best = ("".join(run), run_reach)
        run = []
        _, most = sre_parse.SubPattern(sre_parse.State(), [(op, arg)]).getwidth()
        if most >= sre_parse.MAXREPEAT:
            break  # past an unbounded item the reach of what follows is unknown
        reach += most
    if len(run) > len(best[0]):
        best = ("".join(run), run_reach)
    if not best[0]:
        raise ValueError(f"anchor pattern {pattern.pattern!r} has no literal every match holds")
    return best
