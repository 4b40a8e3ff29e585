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

_TRIM = " \t\r\f\v.:;,!?-|/*•·\"'()[]"
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Compiled boilerplate rules (loaded once from handlers/data/boilerplate.toml)."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def load(cls) -> Boilerplate:
        """Read the curated rules shipped with the package."""
        data = tomllib.loads(files("handlers").joinpath("data/boilerplate.toml").read_text("utf-8"))
        lines = data["lines"]
        return cls(
            exact=frozenset(_key(p) for p in lines["exact"]),
            prefixes=tuple(normalise(p).casefold() for p in lines["prefix"]),
        )

    def is_junk(self, line: str) -> bool:
        """True when the (normalised) line is page furniture."""
        stripped = line.strip()
        return bool(stripped) and (
            _norm_key(stripped) in self.exact or stripped.casefold().startswith(self.prefixes)
        )


def _key(line: str) -> str:
    return _norm_key(normalise(line))


def _norm_key(line: str) -> str:
    """The comparison key of a line that is already normalised (the text lines are)."""
    return " ".join(line.casefold().strip(_TRIM).split())


def blank_boilerplate(norm: str, rules: Boilerplate) -> str:
    """`norm` with each junk line replaced by spaces of the same length."""
    return _LINE.sub(lambda m: " " * len(m.group()) if rules.is_junk(m.group()) else m.group(), norm)
