"""Language of an article body from its script and stop words (ar, ru, en)."""

from __future__ import annotations

import re

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")
SUPPORTED = ("ar", "en", "ru")


def detect_language(text: str, sample: int = 4000) -> str:
    """The main language of `text`: the script with most letters decides (mixed text keeps its main one)."""
    head = text[:sample]
    counts = {
        "ar": len(_ARABIC.findall(head)),
        "ru": len(_CYRILLIC.findall(head)),
        "en": len(_LATIN.findall(head)),
    }
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else "und"
