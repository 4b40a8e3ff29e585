"""Blank out scraper boilerplate while keeping every character offset of the body.

Junk lines are replaced by spaces of the same length (line breaks kept), so spans found in the
cleaned text are spans of the original body.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files

from handlers.text import normalise

_OPINION_LINES = 6  # headline, date, section and by-lines come first
_TRIM = " \t\r\f\v.:;,!?-|/*•·\"'()[]"
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Compiled boilerplate rules (loaded once from handlers/data/boilerplate.toml)."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    related: frozenset[str] = frozenset()  # lines that introduce a list of other stories' headlines
    opinion: frozenset[str] = frozenset()  # lines that file a piece as opinion
    opinion_prefixes: tuple[str, ...] = ()

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


_RELATED_HEADLINE_CHARS = 160  # a listed headline is one short line


def blank_boilerplate(norm: str, rules: Boilerplate) -> str:
    """`norm` with each junk line replaced by spaces of the same length.

    After a line that introduces other stories ("Читайте также", "RELATED"), the headlines listed under
    it are junk too: each following line that is short and does not end a sentence, up to a blank line.
    A line's fate depends only on the lines before it, so a text's opening blanks as the whole text does.
    """
    in_related = False

    def blank(m: re.Match[str]) -> str:
        nonlocal in_related
        line = m.group()
        stripped = line.strip()
        if not stripped:
            in_related = False
            return line
        key = _norm_key(stripped)
        if key in rules.related:
            in_related = True
            return " " * len(line)
        if in_related and len(stripped) <= _RELATED_HEADLINE_CHARS and not stripped.endswith((".", "!", "?")):
            return " " * len(line)
        in_related = False
        junk = key in rules.exact or stripped.casefold().startswith(rules.prefixes)
        return " " * len(line) if junk else line

    return _LINE.sub(blank, norm)
