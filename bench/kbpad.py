"""A knowledge base padded with synthetic leaders, officials, cities and formats (for part 4).

The synthetic names are made of syllables no real text in the corpus uses, and their terms lie in the
19th century, so they can only cost time: a padded run should make the same events.
"""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from datetime import date

from handlers.knowledge import City, KnowledgeBase, Leader, Names, Official, SummitFormat

_SYLLABLES = {
    "en": ("zor", "vak", "quil", "thex", "brun", "mox", "ply", "drav", "kesh", "ulv", "yff", "grob"),
    "ru": ("зор", "вак", "квил", "тэкс", "брун", "мокс", "плы", "драв", "кеш", "ульв", "йыф", "гроб"),
    "ar": ("زور", "فاك", "كويل", "ثيكس", "برون", "موكس", "بلي", "دراف", "كيش", "ولف", "يف", "غروب"),
}
_OLD_TERM = (date(1801, 1, 1), date(1802, 1, 1))


def _word(rng: random.Random, syllables: int) -> dict[str, str]:
    picks = [rng.randrange(len(_SYLLABLES["en"])) for _ in range(syllables)]
    return {lang: "".join(table[i] for i in picks) for lang, table in _SYLLABLES.items()}


def _names(rng: random.Random, words: int) -> tuple[Names, Names]:
    parts = [_word(rng, rng.randint(3, 4)) for _ in range(words)]
    full: Names = {lang: (" ".join(p[lang] for p in parts).title(),) for lang in _SYLLABLES}
    last: Names = {lang: (parts[-1][lang].title(),) for lang in _SYLLABLES}
    return full, last


def padded(kb: KnowledgeBase, factor: int = 10, seed: int = 11) -> KnowledgeBase:
    """`kb` with (factor - 1) synthetic leaders, officials, cities and formats for each real one."""
    rng = random.Random(seed)
    codes = sorted(kb.countries)
    extra = factor - 1
    leaders = list(kb.leaders)
    for i in range(len(kb.leaders) * extra):
        full, last = _names(rng, 2)
        leaders.append(
            Leader(f"synthetic-{i}", full["en"][0], rng.choice(codes), "president", *_OLD_TERM, full, last)
        )
    officials = list(kb.officials)
    for i in range(len(kb.officials) * extra):
        full, last = _names(rng, 2)
        officials.append(
            Official(f"synthetic-o{i}", full["en"][0], "SYN", "Secretary-General", *_OLD_TERM, full, last)
        )
    cities = list(kb.cities)
    for _ in range(len(kb.cities) * extra):
        full, _ = _names(rng, 1)
        cities.append(City(None, full["en"][0], rng.choice(codes), full, is_capital=False, also_state=False))
    formats = list(kb.formats)
    for i in range(len(kb.formats) * extra):
        org, _ = _names(rng, 2)
        summit: Names = {lang: (f"{names[0]} summit",) for lang, names in org.items()}
        summit["ar"] = (f"قمة {org['ar'][0]}",)
        summit["ru"] = (f"саммит {org['ru'][0]}",)
        members = tuple(rng.sample(codes, 4))
        formats.append(SummitFormat(f"synthetic-f{i}", org["en"][0], None, "regional", members, summit, org))
    by_country: dict[str, list[Leader]] = defaultdict(list)
    for leader in leaders:
        if leader.country:
            by_country[leader.country].append(leader)
    return dataclasses.replace(
        kb,
        leaders=tuple(leaders),
        officials=tuple(officials),
        cities=tuple(cities),
        formats=tuple(formats),
        _by_country={
            c: tuple(sorted(ls, key=lambda x: x.term_start, reverse=True)) for c, ls in by_country.items()
        },
        _leaders_by_id={leader.id: leader for leader in leaders},
        _formats_by_key={f.key: f for f in formats},
    )
