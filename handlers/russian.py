"""Case forms of Russian names, so a stored name matches however the text declines it.

Names in the knowledge base are written in the nominative ("Центральная Азия", "Шавкат Мирзиёев",
"Китай"); running text declines them ("Центральной Азией", "Шавката Мирзиёева", "Китая"). Rather
than guess a stem from the text, every stored phrase is declined here through the six cases, words
agreeing in case, and each form is indexed. No dictionary: endings decide, as they do for the
proper names and adjectives this service looks up.
"""

from __future__ import annotations

import re

CASES = 6  # nominative, genitive, dative, accusative, instrumental, prepositional
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_HUSHING = "гкхжшчщ"

# ending -> its forms in the six cases (several spellings where gender is unknown)
_ADJECTIVE = {
    "ый": ("ый", "ого", "ому", "ый", "ым", "ом"),
    "ий": ("ий", "его|ого", "ему|ому", "ий", "им", "ем|ом"),
    "ой": ("ой", "ого", "ому", "ой", "ым|им", "ом"),
    "ая": ("ая", "ой", "ой", "ую", "ой", "ой"),
    "яя": ("яя", "ей", "ей", "юю", "ей", "ей"),
    "ое": ("ое", "ого", "ому", "ое", "ым|им", "ом"),
    "ее": ("ее", "его", "ему", "ее", "им", "ем"),
    "ые": ("ые", "ых", "ым", "ые", "ыми", "ых"),
    "ие": ("ие", "их", "им", "ие", "ими", "их"),
}
_NOUN = {
    "ия": ("ия", "ии", "ии", "ию", "ией", "ии"),
    "ья": ("ья", "ьи", "ье", "ью", "ьей", "ье"),
    "я": ("я", "и", "е", "ю", "ей", "е"),
    "а": ("а", "ы|и", "е", "у", "ой", "е"),
    "й": ("й", "я", "ю", "й", "ем", "е"),
    "ь": ("ь", "я|и", "ю|и", "ь", "ем|ью", "е|и"),
}
_CONSONANT = ("", "а", "у", "|а", "ом|ым", "е")
_INDECLINABLE = tuple("оеиуюэы")


def is_russian(text: str) -> bool:
    """Whether `text` contains Cyrillic letters."""
    return bool(_CYRILLIC.search(text))


def word_forms(word: str, acronym: bool = False) -> tuple[tuple[str, ...], ...]:
    """The forms of one (lower-case) word in each of the six cases; acronyms (ШОС, СНГ) do not decline."""
    if acronym or len(word) < 3 or not word.isalpha() or not is_russian(word):
        return tuple((word,) for _ in range(CASES))
    for table in (_ADJECTIVE, _NOUN):
        for ending, cases in sorted(table.items(), key=lambda kv: -len(kv[0])):
            if word.endswith(ending) and len(word) > len(ending) + 1:
                return _apply(word[: -len(ending)], cases)
    if word.endswith(_INDECLINABLE):
        return tuple((word,) for _ in range(CASES))
    return _apply(word, _CONSONANT)


def _apply(stem: str, cases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    forms = []
    for spec in cases:
        options = tuple(dict.fromkeys(stem + ending for ending in spec.split("|")))
        if stem[-1:] in _HUSHING:
            options = tuple(dict.fromkeys(o.replace(stem + "ы", stem + "и") for o in options))
        forms.append(options)
    return tuple(forms)


def phrase_forms(words: list[str], acronyms: frozenset[str] = frozenset()) -> set[tuple[str, ...]]:
    """Every case of a phrase, its words agreeing in case (the nominative included).

    `acronyms` are the (lower-cased) words written in capitals in the source, which stay as they are.
    """
    per_word = [word_forms(word, word in acronyms) for word in words]
    found: set[tuple[str, ...]] = set()
    for case in range(CASES):
        variants: list[tuple[str, ...]] = [()]
        for forms in per_word:
            variants = [(*v, form) for v in variants for form in forms[case]]
        found.update(variants)
    return found
