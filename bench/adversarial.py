"""Adversarial article bodies for the worst-case table: inputs built to make the handlers do the most work.

Each generator makes a body of (about) a requested size in UTF-8 bytes from a short unit repeated, so the
same content can be timed at 10 KB, 100 KB and 1 MB. Most open with a summit lead (so the article goes
past the first look into every extractor) and then repeat what one step of the handlers counts: summit
sentences, states, leaders and titles, dates, ordinals, the cue lexicon itself. Others stress the text
layer: one huge token, deep punctuation, mixed scripts, combining marks. All text here is written for
the bench or drawn from the knowledge base and cue lexicon shipped with the handlers (never eval text).
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from handlers.knowledge import KnowledgeBase

SIZES = (10_000, 100_000, 1_000_000)  # bytes of body: "10 KB", "100 KB", "1 MB"

LEADS = {
    "ar": (
        "انطلقت اليوم في أستانا أعمال القمة السادسة لرؤساء دول آسيا الوسطى بمشاركة الرئيس الكازاخي "
        "قاسم جومارت توكاييف والرئيس الأوزبكي شوكت ميرضيائيف.\n"
    ),
    "en": (
        "The sixth Consultative Meeting of the Heads of State of Central Asia opened in Astana on "
        "9 August 2024 with Kazakh President Kassym-Jomart Tokayev and Uzbek President Shavkat Mirziyoyev.\n"
    ),
    "ru": (
        "В Астане 9 августа 2024 года открылась шестая Консультативная встреча глав государств "
        "Центральной Азии с участием Касым-Жомарта Токаева и Шавката Мирзиёева.\n"
    ),
}


@dataclass(frozen=True)
class Lexicon:
    """Words the handlers know, per language: states, leaders, titles, cue phrases (from the shipped data)."""

    states: dict[str, tuple[str, ...]]
    leaders: dict[str, tuple[str, ...]]
    titles: dict[str, tuple[str, ...]]
    cues: dict[str, tuple[str, ...]]


@cache
def lexicon() -> Lexicon:
    """Built once from the knowledge base and the cue lexicon shipped with the handlers."""
    kb = KnowledgeBase.load()
    langs = ("ar", "en", "ru")
    states = {
        lang: tuple(sorted(n for c in kb.countries.values() for n in c.names.get(lang, ())[:1]))
        for lang in langs
    }
    leaders = {
        lang: tuple(sorted(n for p in kb.leaders for n in p.names.get(lang, ())[:1])) for lang in langs
    }
    titles = {lang: tuple(sorted({t.phrase for t in kb.titles if t.lang == lang})) for lang in langs}
    data = tomllib.loads(files("handlers").joinpath("data/cues.toml").read_text("utf-8"))
    cues: dict[str, tuple[str, ...]] = {}
    for lang in langs:
        section: dict[str, Any] = data.get(lang, {})
        phrases = [
            p
            for key, value in section.items()
            if key != "anchor_re" and isinstance(value, list)
            for p in value
        ]
        phrases += list(section.get("documents", {}))
        cues[lang] = tuple(dict.fromkeys(phrases))
    return Lexicon(states, leaders, titles, cues)


def fill(size: int, unit: str | Callable[[int], str], lead: str = "") -> str:
    """`lead`, then `unit` (or `unit(i)` for the i-th repetition) until the body holds `size` UTF-8 bytes."""
    parts, used, i = [lead], len(lead.encode()), 0
    while used < size:
        piece = unit(i) if callable(unit) else unit
        parts.append(piece)
        used += len(piece.encode())
        i += 1
    body = "".join(parts).encode()[:size].decode("utf-8", "ignore")
    return body


def _cycle(words: Sequence[str], sep: str) -> Callable[[int], str]:
    return lambda i: words[i % len(words)] + sep


def _shuffled(words: Sequence[str], seed: int) -> list[str]:
    out = list(words)
    random.Random(seed).shuffle(out)
    return out


@dataclass(frozen=True)
class Generator:
    """One adversarial input: its name, language (None: detected), what it stresses, and its body maker."""

    name: str
    lang: str | None
    what: str
    body: Callable[[int, Lexicon], str]


def _summit_sentence(sentence: str) -> Callable[[int, Lexicon], str]:
    return lambda size, lex: fill(size, sentence)


def _list_of(kind: str, lang: str, sep: str, tail: str = "") -> Callable[[int, Lexicon], str]:
    def make(size: int, lex: Lexicon) -> str:
        words = {"states": lex.states, "leaders": lex.leaders, "titles": lex.titles, "cues": lex.cues}[kind]
        return fill(size, _cycle(_shuffled(words[lang], 7), sep), LEADS[lang] + tail)

    return make


def _titled_heads(size: int, lex: Lexicon) -> str:
    titles, states = lex.titles["ar"], lex.states["ar"]
    return fill(
        size, lambda i: f"و{titles[i % len(titles)]} {states[i % len(states)]} سامر نادر، ", LEADS["ar"]
    )


def _titled_leaders_en(size: int, lex: Lexicon) -> str:
    titles, states, leaders = lex.titles["en"], lex.states["en"], lex.leaders["en"]
    return fill(
        size,
        lambda i: f"{states[i % len(states)]} {titles[i % len(titles)]} {leaders[(i * 7) % len(leaders)]}, ",
        LEADS["en"] + "Taking part in the summit were ",
    )


_DATES = {
    "en": ("on 9 August 2024, ", "10-11 August 2024 and ", "Thursday, ", "12/08/2024, ", "next Monday "),
    "ar": ("في 9 أغسطس 2024، ", "يومي 10 و11 أغسطس/آب 2024 ", "الخميس المقبل، ", "12/8/2024، "),
    "ru": ("9 августа 2024 года, ", "с 10 по 11 августа 2024 года ", "в четверг, ", "12.08.2024, "),
}
_ORDINALS = {
    "en": ("the 7th summit, ", "the eighth session, ", "the XII summit, ", "the twenty-first meeting, "),
    "ar": ("القمة السابعة والثلاثين، ", "الدورة الـ33 ", "القمة 15، ", "الاجتماع الأول "),
    "ru": ("седьмой саммит, ", "XII саммит ", "29-й съезд, ", "двадцать пятое заседание "),
}


def _repeated(table: Mapping[str, Sequence[str]], lang: str) -> Callable[[int, Lexicon], str]:
    return lambda size, lex: fill(size, _cycle(table[lang], ""), LEADS[lang])


def _huge_token(letter: str, lang: str) -> Callable[[int, Lexicon], str]:
    return lambda size, lex: fill(size, letter * 4096, LEADS[lang])


def _punctuation(units: Sequence[str]) -> Callable[[int, Lexicon], str]:
    return lambda size, lex: fill(size, _cycle(units, ""), LEADS["en"])


def _mixed_scripts(size: int, lex: Lexicon) -> str:
    words = [w for lang in ("ar", "en", "ru") for w in (*lex.states[lang][:40], *lex.cues[lang][:60])]
    words += ["summit", "قمة", "саммит", "Astana", "أستانا", "Астане", "2024", "7th", "السادسة"]
    return fill(size, _cycle(_shuffled(words, 11), " "))


def _combining(size: int, lex: Lexicon) -> str:
    marks = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
    voweled = "".join(ch + marks if ch.isalpha() else ch for ch in "القمة السادسة لرؤساء دول آسيا الوسطى، ")
    return fill(
        size, lambda i: voweled if i % 8 else "قمة" + "\u0651" * 2000 + " \u0301a\u0301 ", LEADS["ar"]
    )


_SENTENCES = {
    "ar": "القمة السادسة لرؤساء دول آسيا الوسطى في أستانا، ",
    "ru": "Саммит глав государств СНГ прошёл в Душанбе 10 октября 2025 года. ",
    "en": "The 7th summit of heads of state was held in Astana on 9 August 2024. ",
}
_REPEATS = "every cue phrase (all categories), shuffled"

GENERATORS: tuple[Generator, ...] = (
    Generator("summit-ar", "ar", "the issue's Arabic summit sentence", _summit_sentence(_SENTENCES["ar"])),
    Generator("summit-ru", "ru", "the issue's Russian summit sentence", _summit_sentence(_SENTENCES["ru"])),
    Generator("summit-en", "en", "the issue's English summit sentence", _summit_sentence(_SENTENCES["en"])),
    Generator(
        "summit-en-1-sentence",
        "en",
        "the same with no full stop: one sentence",
        _summit_sentence("the 7th summit of heads of state was held in Astana on 9 August 2024 and "),
    ),
    Generator(
        "summit-headlines", "ar", "short summit lines: a lead never full", _summit_sentence("قمة أستانا\n")
    ),
    Generator("states-ar", "ar", "every state, listed", _list_of("states", "ar", " و", "بمشاركة ")),
    Generator("states-en", "en", "every state, listed", _list_of("states", "en", ", ", "Leaders of ")),
    Generator("states-ru", "ru", "every state, listed", _list_of("states", "ru", ", ", "Лидеры ")),
    Generator("leaders-en", "en", "known leaders, listed", _list_of("leaders", "en", ", ", "attended by ")),
    Generator("leaders-ar", "ar", "known leaders, listed", _list_of("leaders", "ar", " و", "بحضور ")),
    Generator("titled-heads-ar", "ar", "title + state + unknown name, listed", _titled_heads),
    Generator("titled-leaders-en", "en", "state + title + leader, listed", _titled_leaders_en),
    Generator("titles-ru", "ru", "every title, listed", _list_of("titles", "ru", " ")),
    Generator("dates-en", "en", "dates, ranges, weekdays", _repeated(_DATES, "en")),
    Generator("dates-ar", "ar", "dates, ranges, weekdays", _repeated(_DATES, "ar")),
    Generator("dates-ru", "ru", "dates, ranges, weekdays", _repeated(_DATES, "ru")),
    Generator("ordinals-en", "en", "ordinals before summit words", _repeated(_ORDINALS, "en")),
    Generator("ordinals-ar", "ar", "ordinals after summit words", _repeated(_ORDINALS, "ar")),
    Generator("ordinals-ru", "ru", "ordinals before summit words", _repeated(_ORDINALS, "ru")),
    Generator("cue-lexicon-ar", "ar", _REPEATS, _list_of("cues", "ar", " ")),
    Generator("cue-lexicon-en", "en", _REPEATS, _list_of("cues", "en", " ")),
    Generator("cue-lexicon-ru", "ru", _REPEATS, _list_of("cues", "ru", " ")),
    Generator("huge-token", "en", "one token as long as the body", _huge_token("a", "en")),
    Generator("huge-token-ar", "ar", "one Arabic token as long as the body", _huge_token("ب", "ar")),
    Generator("dots", "en", "a run of full stops", lambda size, lex: fill(size, ".", LEADS["en"])),
    Generator("brackets", "en", "nested brackets and quotes", _punctuation(('((((«"', '"»))))'))),
    Generator(
        "punctuation-mix",
        "en",
        "stops, bullets, dashes, breaks",
        _punctuation((". ! ? ; \n • - \n\n* . : , ",)),
    ),
    Generator("newline-space", "en", "line breaks and spaces alternating", _punctuation(("\n ",))),
    Generator("mixed-scripts", None, "Arabic, Latin, Cyrillic words mixed", _mixed_scripts),
    Generator("combining-marks", "ar", "marks on every letter, long runs", _combining),
)


def by_name(name: str) -> Generator:
    """The generator called `name`."""
    for generator in GENERATORS:
        if generator.name == name:
            return generator
    raise KeyError(name)


def document(generator: Generator, size: int, lex: Lexicon | None = None) -> dict[str, Any]:
    """A RawArticle document whose body is `generator`'s, `size` bytes long."""
    doc: dict[str, Any] = {
        "id": f"adversarial-{generator.name}-{size}",
        "published_at": "2024-08-09",
        "body": generator.body(size, lex or lexicon()),
    }
    if generator.lang is not None:
        doc["language"] = generator.lang
    return doc
