"""Text normalisation with an exact map back to the original body.

Matching runs on `NormText.norm`; every span found there is mapped back with `NormText.to_original`,
so a mention always satisfies ``body[start:end] == text``. Normalisation is a per-character table
(built once from camel-tools' own Arabic normalisers), so it is idempotent and offsets stay exact.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

from handlers.limits import MAX_SENTENCE_CHARS

TATWEEL = "\u0640"
# invisible format characters that scrapers leave in: zero-width, bidi marks and embeddings, BOM
_INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"
)
_EXTRA = {
    "ё": "е",
    "Ё": "е",  # Russian yo / ye are one letter for matching
    "ک": "ك",
    "ی": "ي",
    "ە": "ه",  # Persian / Kurdish forms seen in Arabic-script news
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2007": " ",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "−": "-",
    "‐": "-",
    "‑": "-",
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
}
_SCAN_RANGES = (
    (0x0041, 0x024F),  # Latin
    (0x0400, 0x04FF),  # Cyrillic
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic supplement
    (0x06F0, 0x06F9),  # Extended Arabic-Indic digits
    (0xFB50, 0xFDFF),  # Arabic presentation forms A
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
)


def _normalise_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch) if 0xFB50 <= ord(ch) <= 0xFEFF else ch
    out = "".join(_EXTRA.get(c, c) for c in out)
    out = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(out))))
    out = out.replace(TATWEEL, "")
    if out.isdigit():
        out = "".join(str(unicodedata.digit(c)) for c in out)
    lowered = out.lower()
    return lowered if len(lowered) == len(out) else out


@lru_cache(maxsize=1)
def char_table() -> dict[int, str]:
    """The per-character normalisation table (built once, from camel-tools' normalisers)."""
    table: dict[int, str] = {ord(c): "" for c in _INVISIBLE}
    for first, last in _SCAN_RANGES:
        for cp in range(first, last + 1):
            ch = chr(cp)
            if unicodedata.category(ch) == "Cn":
                continue
            out = _normalise_char(ch)
            if out != ch:
                table[cp] = out
    for ch, out in _EXTRA.items():
        table.setdefault(ord(ch), out)
    return table


@lru_cache(maxsize=1)
def _changing_chars() -> tuple[re.Pattern[str], re.Pattern[str]]:
    table = char_table()
    deleted = "".join(re.escape(chr(cp)) for cp, out in table.items() if out == "")
    expanded = "".join(re.escape(chr(cp)) for cp, out in table.items() if len(out) > 1)
    return re.compile(f"[{deleted}]+"), re.compile(f"[{expanded}]" if expanded else r"(?!x)x")


_BMP = 0x10000
_SHORT = 64  # below this many characters the arrays' set-up costs more than the dict lookups


@lru_cache(maxsize=1)
def _lookup() -> tuple[np.ndarray, np.ndarray]:
    """`char_table` as two arrays over the Basic Multilingual Plane: the character each code point
    becomes (itself when unchanged) and whether it is deleted. Characters that expand to several are
    not in them (`NormText.of` takes another path for those)."""
    mapped = np.arange(_BMP, dtype=np.uint32)
    deleted = np.zeros(_BMP, dtype=np.bool_)
    for cp, out in char_table().items():
        if cp >= _BMP:  # pragma: no cover - the table covers BMP ranges only
            continue
        if out == "":
            deleted[cp] = True
        elif len(out) == 1:
            mapped[cp] = ord(out)
    return mapped, deleted


def _translate(text: str) -> str:
    """`text.translate(char_table())` for a text with no expanding character, vectorised.

    `str.translate` looks each character up in a dict (~50 ns a character); two array lookups over
    the text's UTF-32 code points give the same string in a tenth of the time. Text beyond the BMP
    (emoji) or with lone surrogates goes through `str.translate`.
    """
    return _translate_points(text)[0]


def _translate_points(text: str) -> tuple[str, np.ndarray | None]:
    """`_translate(text)`, and the code points of what it returns when it took the array path (else None)."""
    if len(text) < _SHORT:
        return text.translate(char_table()), None
    try:
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        return text.translate(char_table()), None
    mapped, deleted = _lookup()
    try:
        # `take`: the same gather as `mapped[points]`, without fancy indexing's set-up; a code point beyond
        # the BMP is out of the tables' bounds (IndexError), which is the test (no `points.max()`: ndarray's
        # `max` and `any` go through numpy's Python-level wrappers, a few us a call from compiled code)
        out = mapped.take(points)
    except IndexError:
        return text.translate(char_table()), None
    gone = deleted.take(points)
    if np.count_nonzero(gone):
        out = out[~gone]
    return out.tobytes().decode("utf-32-le"), out


def normalise(text: str) -> str:
    """Normalised form of `text` (idempotent): what every matcher compares."""
    if _changing_chars()[1].search(text):
        return fold_lookalikes(text.translate(char_table()))
    return fold_lookalikes(_translate(text))


_CYRILLIC = re.compile("[а-яё]")
# a word of Cyrillic letters with Latin look-alikes typed or scraped into it ("IV cаммит", "Пyтин")
_MIXED_WORD = re.compile("[a-zа-яё]*(?:[а-яё][a-z]|[a-z][а-яё])[a-zа-яё]*")
_LOOKALIKES = str.maketrans("aceopxyk", "асеорхук")


def fold_lookalikes(norm: str) -> str:
    """Latin letters that look Cyrillic, inside a word that has Cyrillic letters, read as Cyrillic (the
    same length: offsets are kept). A text with no Cyrillic letter is returned as it is."""
    if not _CYRILLIC.search(norm):
        return norm
    return _MIXED_WORD.sub(lambda m: m.group(0).translate(_LOOKALIKES), norm)


def _mixes_scripts(points: np.ndarray) -> bool:
    """Whether a Cyrillic letter stands right beside a Latin one in these code points: every word
    `fold_lookalikes` changes holds such a pair, so without one it returns the text as it is."""
    script = _scripts().take(points)  # 1 Cyrillic, 2 Latin, else 0: a pair of the two XORs to 3
    if int(np.bitwise_or.reduce(script)) != 3:
        return False  # no Cyrillic letter or no Latin one at all: no pair of them either
    return bool(np.count_nonzero((script[:-1] ^ script[1:]) == 3))  # not `.any()`: a Python-level wrapper


@lru_cache(maxsize=1)
def _scripts() -> np.ndarray:
    """Per code point (the BMP, and whatever `_lookup` maps into): 1 for a Cyrillic letter а-я, ё; 2 for a
    Latin one a-z; else 0."""
    script = np.zeros(max(_BMP, int(_lookup()[0].max()) + 1), dtype=np.uint8)
    script[0x430:0x450] = 1
    script[0x451] = 1
    script[0x61:0x7B] = 2
    return script


@dataclass(frozen=True, slots=True)
class NormText:
    """A body and its normalised form, with the map between their offsets."""

    original: str
    norm: str
    _norm_starts: tuple[int, ...]  # start, in norm, of each run of kept characters
    _orig_starts: tuple[int, ...]  # start, in original, of the same run
    _index: tuple[int, ...] | None = None  # full map, only when a character expanded (rare)

    @classmethod
    def of(cls, original: str) -> NormText:
        """Normalise `original` and remember where each normalised character came from."""
        deleted_re, expanded_re = _changing_chars()
        if expanded_re.search(original):
            return cls._with_index(original)
        norm, points = _translate_points(original)
        if points is None or _mixes_scripts(points):
            norm = fold_lookalikes(norm)
        if len(norm) == len(original):
            return cls(original, norm, (0,), (0,))
        norm_starts, orig_starts = [0], [0]
        removed = 0
        for m in deleted_re.finditer(original):
            removed += m.end() - m.start()
            norm_starts.append(m.end() - removed)
            orig_starts.append(m.end())
        return cls(original, norm, tuple(norm_starts), tuple(orig_starts))

    @classmethod
    def _with_index(cls, original: str) -> NormText:
        table = char_table()
        parts: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(original):
            out = table.get(ord(ch), ch)
            parts.append(out)
            index.extend([i] * len(out))
        return cls(original, fold_lookalikes("".join(parts)), (0,), (0,), tuple(index))

    def _orig(self, pos: int) -> int:
        if pos >= len(self.norm):
            return len(self.original)
        if self._index is not None:
            return self._index[pos]
        k = bisect.bisect_right(self._norm_starts, pos) - 1
        return self._orig_starts[k] + (pos - self._norm_starts[k])

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span [start, end) to the original span that produced it.

        The end extends over marks the table deleted after the last letter (diacritics, tatweel),
        so a mention keeps its vowel signs.
        """
        if start >= end:
            o = self._orig(start)
            return o, o
        stop = self._orig(end - 1) + 1
        limit = self._orig(end)
        while stop < limit and (
            self.original[stop] == TATWEEL or unicodedata.category(self.original[stop]) == "Mn"
        ):
            stop += 1
        return self._orig(start), stop

    def span(self, start: int, end: int) -> tuple[int, int, str]:
        """Original (start, end, text) for a normalised span."""
        s, e = self.to_original(start, end)
        return s, e, self.original[s:e]


TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)


class Token(NamedTuple):
    """A word of the normalised text: [start, end) in `NormText.norm` (a tuple: articles have thousands)."""

    text: str
    start: int
    end: int


def tokens(norm: str, pos: int = 0) -> list[Token]:
    """Words of a normalised string from `pos` on (letters and digits; punctuation separates)."""
    new = tuple.__new__  # Token(...) without the NamedTuple's Python-level __new__: tokens are many
    if pos == 0 and len(norm) >= _SHORT:
        bounds = _word_bounds(norm)
        if bounds is not None:
            starts, ends = bounds
            return [new(Token, (norm[s:e], s, e)) for s, e in zip(starts, ends, strict=True)]
    return [new(Token, (m[0], m.start(), m.end())) for m in TOKEN_RE.finditer(norm, pos)]


def _word_bounds(norm: str) -> tuple[list[int], list[int]] | None:
    """The [start, end) of every `TOKEN_RE` match in `norm`, found over its code points with one table of
    word characters (the regex's per-character class test costs ~3/4 of `tokens`); None for text beyond
    the BMP or with lone surrogates (the regex then)."""
    try:
        # a space (no word character) on either side: every word then has a character before it and after it
        points = np.frombuffer(f" {norm} ".encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        return None
    try:
        word = _word_chars().take(points)  # 1 for a character `TOKEN_RE` takes into a word, else 0
    except IndexError:  # a code point beyond the BMP
        return None
    # where a character differs from the one before it: start, end, start, end, ... in `norm` (the space
    # before it shifts every index by one, which the comparison's offset takes back). ndarray's own
    # operations only: `np.diff` and `np.flatnonzero` are Python-level wrappers (~40 us a text, compiled)
    edges: list[int] = (word[1:] != word[:-1]).nonzero()[0].tolist()
    return edges[0::2], edges[1::2]


@lru_cache(maxsize=1)
def _word_chars() -> np.ndarray:
    """Per BMP code point: 1 when `TOKEN_RE` matches the character alone (a word character), else 0 (the
    table is made by asking the regex itself, so the two agree by construction)."""
    table = np.zeros(_BMP, dtype=np.int8)
    for m in TOKEN_RE.finditer("".join(map(chr, range(_BMP)))):  # the class is per character: its runs
        table[m.start() : m.end()] = 1
    return table


# a run of stops and line breaks ends a sentence unless the next line is a list item (blank lines between
# included: the run is taken whole, never cut short so that a bullet further on is not seen); a full stop
# after a one-letter word is an initial or an abbreviation ("U.S. President", "В. В. Путин", "2015 г. в"),
# not the end of a sentence. This regex states the rule; `_breaks` finds the same matches in linear time
# (the regex rescans the whitespace after every line break of "\n \n \n ...": quadratic).
SENTENCE_BREAK = re.compile(
    r"(?:(?<![\s.(\-][^\W\d_])(?<!^[^\W\d_])\.|[!?;\n])[.!?;\n]*(?=\s|$)(?![\s]*[•·*-])|\n+(?![\s]*[•·*-])"
)
_RUN = re.compile(r"[.!?;\n]+")  # every break lies inside one run of these
_STOP = re.compile(r"(?<![\s.(\-][^\W\d_])(?<!^[^\W\d_])\.")  # a full stop that may end a sentence
_NON_SPACE = re.compile(r"\S")
_LINES = re.compile(r"\n+")
_BULLETS = "•·*-"


def _breaks(norm: str) -> Iterator[tuple[int, int]]:
    """The spans `SENTENCE_BREAK.finditer(norm)` matches, found run by run, each character looked at a
    bounded number of times."""
    n = len(norm)
    spaces_from, first_non_space = -1, -1  # every character in [spaces_from, first_non_space) is a space
    for run in _RUN.finditer(norm):
        a, b = run.span()
        if not spaces_from <= b <= first_non_space:
            found = _NON_SPACE.search(norm, b)
            spaces_from, first_non_space = b, found.start() if found else n
        # a match may end where the run ends when the text goes on with a space (or ends); its lookahead
        # passes unless the first character after the spaces is a bullet
        tail_ok = first_non_space == n or norm[first_non_space] not in _BULLETS
        run_end_ok = b == n or norm[b].isspace()
        if run_end_ok and tail_ok and (norm[a] != "." or _STOP.match(norm, a)):
            yield a, b  # the common case: the whole run, followed by a space and no list item
            continue
        if b == a + 1 and norm[a] == "\n" and tail_ok:
            yield a, b  # one line break before a word
            continue
        p, stop_branch_failed = a, False
        while p < b:
            end = None
            if not stop_branch_failed and (norm[p] != "." or _STOP.match(norm, p)):
                end = _stop_branch_end(norm, p, b, run_end_ok, tail_ok)
                # its ends from a later start are a subset of these: it fails for the rest of the run
                stop_branch_failed = end is None
            if end is None and norm[p] == "\n":
                lines_end = _LINES.match(norm, p).end()  # type: ignore[union-attr]  # norm[p] is a break
                if lines_end < b or tail_ok:
                    end = lines_end
                else:  # the same for every later start in these line breaks
                    p = lines_end
                    continue
            if end is None:
                nxt = norm.find("\n", p + 1, b) if stop_branch_failed else p + 1
                if nxt < 0:
                    break
                p = nxt
                continue
            yield p, end
            p = end


def _stop_branch_end(norm: str, p: int, b: int, run_end_ok: bool, tail_ok: bool) -> int | None:
    """Where the regex's first branch, started at `p` in the run ending at `b`, ends (its longest end
    followed by a space whose lookahead passes), or None."""
    if run_end_ok and tail_ok:
        return b
    last_break = norm.rfind("\n", p + 1, b)
    if last_break < 0:
        return None
    if last_break < b - 1 or tail_ok:
        return last_break  # a stop follows it in the run (no bullet), or the text after the run is no item
    # the run ends in line breaks before a list item: end at the last break that a stop follows
    block = len(norm[p + 1 : b].rstrip("\n")) + p + 1
    last_break = norm.rfind("\n", p + 1, block)
    return last_break if last_break >= 0 else None


# the last character of a window that is not part of a word (where a long sentence may be cut)
_LAST_CUT = re.compile(r"[\W_][^\W_]*\Z")
_CUT = re.compile(r"[\W_]")


def _pieces(norm: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """[start, end) cut into pieces of at most MAX_SENTENCE_CHARS at non-word characters (a single word
    longer than that stays whole)."""
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        found = _LAST_CUT.search(norm, start + 1, limit)
        if found is None:
            found = _CUT.search(norm, limit, end)
            if found is None:
                break
        cut = found.start()
        yield start, cut
        start = cut
    yield start, end


def iter_sentences(norm: str) -> Iterator[tuple[int, int]]:
    """[start, end) of each sentence-like unit (split at . ! ? ; and line breaks).

    A line that starts with a bullet (• · * -) goes on the sentence before it: it is an item of a list.
    A sentence longer than MAX_SENTENCE_CHARS is cut into pieces (see handlers.limits).
    """
    start = 0
    for begin, end in _breaks(norm):
        if begin > start:
            yield from _pieces(norm, start, begin)
        start = end
    if start < len(norm):
        yield from _pieces(norm, start, len(norm))
