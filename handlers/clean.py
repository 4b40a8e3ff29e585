"""Blank out scraper boilerplate while keeping every character offset of the body.

Junk lines are replaced by spaces of the same length (line breaks kept), so spans found in the
cleaned text are spans of the original body.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files

from handlers.text import normalise

_OPINION_LINES = 6  # headline, date, section and by-lines come first
_TRIM = " \t\r\f\v.:;,!?-|/*•·\"'()[]"


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Compiled boilerplate rules (loaded once from handlers/data/boilerplate.toml)."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    related: frozenset[str] = frozenset()  # lines that introduce a list of other stories' headlines
    opinion: frozenset[str] = frozenset()  # lines that file a piece as opinion
    opinion_prefixes: tuple[str, ...] = ()
    # the longest key of `exact` and `related`, and of `prefixes`: what a line must be within to be one
    longest: int = field(default=0, init=False, compare=False, repr=False)
    prefix_reach: int = field(default=0, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "longest", max(map(len, self.exact | self.related), default=0))
        object.__setattr__(self, "prefix_reach", max(map(len, self.prefixes), default=0))

    @classmethod
    def load(cls) -> Boilerplate:
        """Read the curated rules shipped with the package."""
        data = tomllib.loads(files("handlers").joinpath("data/boilerplate.toml").read_text("utf-8"))
        lines = data["lines"]
        return cls(
            exact=frozenset(_key(p) for p in lines["exact"]),
            prefixes=tuple(normalise(p).casefold() for p in lines["prefix"]),
            related=frozenset(_key(p) for p in lines.get("related", [])),
            opinion=frozenset(_key(p) for p in lines.get("opinion", [])),
            opinion_prefixes=tuple(normalise(p).casefold() for p in lines.get("opinion_prefix", [])),
        )

    def files_as_opinion(self, norm: str, lines: int = _OPINION_LINES) -> bool:
        """Whether one of the first `lines` lines of the (normalised) text files the piece as opinion."""
        for line in norm.lstrip().split("\n", lines)[:lines]:
            stripped = line.strip()
            if _norm_key(stripped) in self.opinion or stripped.casefold().startswith(self.opinion_prefixes):
                return True
        return False


def _key(line: str) -> str:
    return _norm_key(normalise(line))


def _norm_key(line: str) -> str:
    """The comparison key of a line that is already normalised (the text lines are)."""
    return " ".join(line.casefold().strip(_TRIM).split())


_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace other than the plain space


def _may_be_key(line: str, longest: int) -> bool:
    """False when `_norm_key(line)` is surely longer than `longest` (a paragraph, not a listed line):
    the key keeps every character of the line but the `_TRIM` ones at its ends and its whitespace
    (casefolding neither shortens a character nor makes or unmakes a `_TRIM` or space character)."""
    inner = line.strip(_TRIM)
    if len(inner) - inner.count(" ") <= longest:
        return True
    return _OTHER_SPACE.search(inner) is not None  # other whitespace: not counted here, so ask the key


_RELATED_HEADLINE_CHARS = 160  # a listed headline is one short line


def blank_boilerplate(norm: str, rules: Boilerplate) -> str:
    """`norm` with each junk line replaced by spaces of the same length.

    After a line that introduces other stories ("Читайте также", "RELATED"), the headlines listed under
    it are junk too: each following line that is short and does not end a sentence, up to a blank line.
    A line's fate depends only on the lines before it, so a text's opening blanks as the whole text does.
    The lines are read from one `split` (no regex scan, no callback per line); an empty line between two
    line breaks is passed over as it stands (a line of spaces ends a list of headlines, an empty one not).
    """
    in_related = False
    lines = norm.split("\n")
    blanked = False
    longest, related, exact = rules.longest, rules.related, rules.exact
    prefix_reach, prefixes = rules.prefix_reach, rules.prefixes
    for n, line in enumerate(lines):
        if not line:
            continue
        stripped = line.strip()
        if not stripped:
            in_related = False
            continue
        key = _norm_key(stripped) if _may_be_key(stripped, longest) else None
        if key in related:
            in_related = True
            lines[n] = " " * len(line)
            blanked = True
            continue
        if in_related and len(stripped) <= _RELATED_HEADLINE_CHARS and not stripped.endswith((".", "!", "?")):
            lines[n] = " " * len(line)
            blanked = True
            continue
        in_related = False
        # a prefix is matched within its length of the line (casefolding a character never shortens it)
        if key in exact or stripped[:prefix_reach].casefold().startswith(prefixes):
            lines[n] = " " * len(line)
            blanked = True
    return "\n".join(lines) if blanked else norm
