"""The cue lexicon (handlers/data/cues.toml), compiled once per language into token matchers."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.resources import files

from handlers.limits import MAX_CUE_HITS, MAX_SUMMIT_WORDS
from handlers.match import KeyedTokens, PhraseIndex, phrase_keys, phrase_rests, strip_article
from handlers.records import record
from handlers.text import Token, normalise, tokens

_MAX_REMEMBERED = 1 << 17  # words whose pattern test is kept (bounded: the stream's vocabulary is open)


@record
class CueHit:
    """One cue found in the text: its category, span in normalised text and token range."""

    category: str
    start: int
    end: int
    first_token: int
    last_token: int
    payload: str = ""


@dataclass(frozen=True, slots=True)
class LanguageCues:
    """Compiled cues of one language."""

    lang: str
    anchor_re: tuple[re.Pattern[str], ...]
    index: PhraseIndex[tuple[str, str]]
    documents: dict[str, str] = field(default_factory=dict)
    # first word of an anchor phrase -> the second words it goes on with ("" for a one-word phrase)
    anchor_seconds: dict[str, frozenset[str]] = field(default_factory=dict)
    # first word of an anchor phrase of several words -> the keys of each such phrase after its first
    anchor_rests: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    # summit-word phrases that count only as written (the matcher folds Russian case endings, which would
    # make "с президентом", with one president, the summit word "с президентами"): matching key -> the
    # normalised words they may be written as
    as_written: dict[tuple[str, ...], frozenset[tuple[str, ...]]] = field(default_factory=dict)
    # word -> whether a token pattern matches it (words repeat; a pattern is tried once per word)
    _pattern_words: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def is_anchor_word(self, word: str) -> bool:
        """Whether one of the anchor token patterns matches `word` ("القمة", "summit", "саммита")."""
        known = self._pattern_words.get(word)
        if known is None:
            known = any(p.match(word) for p in self.anchor_re)
            if len(self._pattern_words) < _MAX_REMEMBERED:
                self._pattern_words[word] = known
        return known

    def find(self, toks: list[Token] | KeyedTokens) -> dict[str, list[CueHit]]:
        """Every cue in `toks`, grouped by category (anchors from the token patterns included): the first
        `MAX_CUE_HITS` of each category in text order, and the first `MAX_SUMMIT_WORDS` summit words (see
        handlers.limits); hits past those are never made."""
        keyed = toks if isinstance(toks, KeyedTokens) else KeyedTokens(toks)
        toks = keyed.toks
        found: dict[str, list[CueHit]] = defaultdict(list)
        for i, n, cut, values in self.index.phrases(keyed):
            for category, payload in values:
                if category == "anchor_phrases":
                    if self.as_written and not self._written_so(toks, i, n):
                        continue
                    category = "anchor"
                hits = found[category]
                if len(hits) < (MAX_SUMMIT_WORDS if category == "anchor" else MAX_CUE_HITS):
                    hits.append(
                        CueHit(category, toks[i].start + cut, toks[i + n - 1].end, i, i + n - 1, payload)
                    )
        # summit words by pattern: the first MAX_SUMMIT_WORDS of them, merged with the phrases in text order
        known, is_anchor_word = self._pattern_words, self.is_anchor_word
        by_pattern = 0
        for i, tok in enumerate(toks):
            word = tok.text
            anchor = known.get(word)
            if anchor is None:
                anchor = is_anchor_word(word)
            if anchor:
                found["anchor"].append(CueHit("anchor", tok.start, tok.end, i, i))
                by_pattern += 1
                if by_pattern >= MAX_SUMMIT_WORDS:
                    break
        found["anchor"].sort(key=lambda h: h.start)
        del found["anchor"][MAX_SUMMIT_WORDS:]
        return found

    def _written_so(self, toks: list[Token], i: int, n: int) -> bool:
        """Whether the summit-word phrase at tokens i..i+n-1 is written in a form that counts."""
        words = tuple(t.text for t in toks[i : i + n])
        allowed = self.as_written.get(tuple(strip_article(w) for w in words))
        return allowed is None or words in allowed


def _as_written(phrases: list[str]) -> dict[tuple[str, ...], frozenset[tuple[str, ...]]]:
    forms: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    for phrase in phrases:
        words = tuple(t.text for t in tokens(normalise(phrase)))
        forms[tuple(strip_article(w) for w in words)].add(words)
    return {key: frozenset(written) for key, written in forms.items()}


def _seconds(phrases: list[str]) -> dict[str, frozenset[str]]:
    seconds: dict[str, set[str]] = defaultdict(set)
    for phrase in phrases:
        for key in phrase_keys(phrase):
            seconds[key[0]].add(key[1] if len(key) > 1 else "")
    return {first: frozenset(after) for first, after in seconds.items()}


def load_cues() -> dict[str, LanguageCues]:
    """Read and compile the cue lexicon shipped with the package, for every language in it."""
    data = tomllib.loads(files("handlers").joinpath("data/cues.toml").read_text("utf-8"))
    compiled: dict[str, LanguageCues] = {}
    for lang, section in data.items():
        if lang == "source":
            continue
        index: PhraseIndex[tuple[str, str]] = PhraseIndex()
        for category, phrases in section.items():
            if category in ("anchor_re", "anchor_as_written") or not isinstance(phrases, list):
                continue  # token patterns are compiled below; tables (documents) are added below
            for phrase in phrases:
                index.add(phrase, (category, ""))
        for phrase, kind in section.get("documents", {}).items():
            index.add(phrase, ("document", kind))
        compiled[lang] = LanguageCues(
            lang=lang,
            anchor_re=tuple(re.compile(p) for p in section.get("anchor_re", [])),
            index=index,
            documents=dict(section.get("documents", {})),
            anchor_seconds=_seconds(section.get("anchor_phrases", [])),
            anchor_rests=phrase_rests(section.get("anchor_phrases", [])),
            as_written=_as_written(section.get("anchor_as_written", [])),
        )
    return compiled
