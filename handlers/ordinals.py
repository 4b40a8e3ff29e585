"""Ordinal numbers ("القمة السابعة", "the 7th summit", "седьмой саммит", "VII саммит") in normalised text.

Pure functions over `handlers.text.normalise` output; spans are offsets in that text.

What `find_ordinals` returns (every ordinal, whatever it counts):
  * ar: ordinal words 1-99 in both genders, with or without the article (الاول/الاولي/اول, السابع/السابعه,
    الحادي عشر/الحاديه عشره, العشرين, الحادي والعشرين/الواحد والعشرين/الثانيه والعشرين ... التاسع والتسعين);
    digits written as ordinals: "ال33" (from الـ33), "ال (44)", "(34)", and a bare 1-3 digit number right
    after a meeting noun, or after its one adjective ("القمه 15", "الدوره 33", "القمه العربيه 15"), unless a
    month, "%" or a counted noun follows it.
    Cardinals are never returned (خمس, الخمس, خمسه, عشرين, الثماني, احدي عشره).
    Trap: "مجموعه العشرين" (G20) is a name, not an ordinal, and is not returned.
  * en: first..ninety-ninth ("twenty-first", "twenty first"), 7th/2nd/33rd, and Roman numerals of two or
    more letters only when a summit-type word follows ("xv brics summit"): "xi jinping", "li qiang", "i"
    are not.
  * ru: первый..девяносто девятый in every case/gender (первая, первого, седьмом, двадцать пятый, сотый),
    "29-й"/"29-го"/"29-я", and Roman numerals followed by a Cyrillic word ("vii саммит", "xxv съезд");
    a lone Latin "c" or "l" (often a mistyped Cyrillic "с") is not a numeral.
Years (four digits), percentages and counts written in digits are never returned as ordinals.

`is_count_context` tells the caller when a returned ordinal does not number an event: a round, a rank,
a time ("للمره الثانيه", "for the second time"), a day of a month ("السابع عشر من مايو", "29-го ноября"),
a day/phase/term/century, a percentage, or a count ("الدول العربيه ال22"). `ordinal_after` skips those.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from typing import Any

from handlers.limits import MAX_ORDINALS
from handlers.records import record
from handlers.text import TOKEN_RE, normalise

# not beside __file__: in a compiled module (handlers/native.py) it does not name this file
_CALENDAR = files("handlers").joinpath("data/calendar.toml")
# characters a mention may follow (the scanners run over " " + norm so the text start counts too)
DELIM = r"[\s()\[\]\"'/,.:;!?|*\-]"


@record
class OrdinalMention:
    """An ordinal number: [start, end) in the normalised text, and its value."""

    start: int
    end: int
    value: int


# ----------------------------------------------------------------------------- calendar data


@lru_cache(maxsize=1)
def calendar() -> dict[str, Any]:
    """The raw calendar.toml (month, weekday and ordinal words), read once."""
    with _CALENDAR.open("rb") as fh:
        return tomllib.load(fh)


def _section(*path: str) -> object:
    node: object = calendar()
    for key in path:
        if not isinstance(node, dict) or key not in node:
            raise KeyError(f"calendar.toml has no [{'.'.join(path)}]")
        node = node[key]
    return node


@lru_cache(maxsize=64)
def calendar_table(*path: str) -> dict[str, int]:
    """A word -> number table of calendar.toml, keys normalised (e.g. ``calendar_table("months", "ar")``)."""
    node = _section(*path)
    if not isinstance(node, dict):
        raise TypeError(f"calendar.toml [{'.'.join(path)}] is not a table")
    out: dict[str, int] = {}
    for key, value in node.items():
        if not isinstance(key, str) or not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"calendar.toml [{'.'.join(path)}]: {key!r} = {value!r} is not word = int")
        out[" ".join(normalise(key).split())] = value
    return out


@lru_cache(maxsize=64)
def calendar_words(*path: str) -> tuple[str, ...]:
    """A list of words of calendar.toml, normalised."""
    node = _section(*path)
    if not isinstance(node, list) or not all(isinstance(w, str) for w in node):
        raise TypeError(f"calendar.toml [{'.'.join(path)}] is not a list of strings")
    return tuple(dict.fromkeys(" ".join(normalise(w).split()) for w in node))


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of the literal (normalised) `words`, longest first; an inner space matches any
    run of spaces. Built as a prefix tree ("ت(?:شرين\\s+ال(?:اول|ثاني))"): Python's re tries the branches of
    a plain alternation one by one, the tree dispatches on each character, which is many times faster."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in " ".join(word.split()):
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_source(trie) or r"(?!x)x"


def bounded_spaces(source: str) -> str:
    """`source` with every unbounded run of spaces (\\s* / \\s+) capped at 4 characters: between the words
    of a date or an ordinal there are never more, and the cap keeps backtracking linear on long blank runs."""
    return source.replace(r"\s*", r"\s{0,4}").replace(r"\s+", r"\s{1,4}")


def _trie_source(node: dict[str, Any]) -> str:
    branches = [
        (r"\s+" if ch == " " else re.escape(ch)) + _trie_source(child)
        for ch, child in sorted(node.items())
        if ch
    ]
    if not branches:
        return ""
    ends_here = "" in node
    if len(branches) == 1 and not ends_here:
        return branches[0]
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if ends_here else body


# ----------------------------------------------------------------------------- patterns

_RU_END = r"(?:ыми|ого|ому|ый|ой|ая|ое|ые|ом|ым|ую|ых)"
_RU_SOFT_END = r"(?:ьего|ьему|ьими|ьей|ьем|ьим|ьих|ий|ья|ье|ью|ьи)"
_RU_DIGIT_END = r"(?:ого|ому|ой|ая|ое|ый|ий|ом|ым|ую|ых|го|му|й|я|е|м)"
_EN_ROMAN_NEXT = (
    r"summit|summits|session|meeting|congress|conference|forum|assembly|council|brics|sco|cis|csto|eaeu|"
    r"cica|asean|oic|gcc|ots|g20|arab|international|annual|regular|extraordinary|consultative|"
    r"mercosur|celac|caricom|ecowas|sadc|igad|apec|eac|ibero-american|iberoamerican|eurasian|turkic"
)
_ROMAN_RE = re.compile(r"c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_ROMAN_VALUE = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
# what may follow a bare number after a meeting noun when that number is NOT an ordinal
_AR_COUNTED = (
    "دول",
    "دوله",
    "زعيم",
    "زعيما",
    "رئيس",
    "رئيسا",
    "وفد",
    "وفدا",
    "عضو",
    "عضوا",
    "بلد",
    "بلدا",
    "بلدان",
    "مشارك",
    "مشاركا",
    "شخص",
    "شخصا",
    "الف",
    "مليون",
    "مليار",
    "يوم",
    "يوما",
    "ايام",
    "ساعه",
    "ساعات",
    "دقيقه",
    "عاما",
    "سنه",
    "سنوات",
    "بندا",
    "وثيقه",
    "اتفاقيه",
    "بالمئه",
    "بالمائه",
    "في",
    "الي",
    "حتي",
)


def _ar_word_source(named: bool) -> str:
    def g(name: str, body: str) -> str:
        return f"(?P<{name}>{body})" if named else f"(?:{body})"

    units = alternation(calendar_table("ordinals", "ar", "units"))
    cu = alternation(calendar_table("ordinals", "ar", "compound_units"))
    teen = alternation(calendar_words("ordinals", "ar", "teen"))
    tens = alternation(calendar_table("ordinals", "ar", "tens"))
    return (
        rf"(?:(?:ال)?{g('a_cu', cu)}\s+و\s*ال{g('a_ct', tens)}"
        rf"|(?:ال)?{g('a_tu', cu)}\s+(?:ال)?(?:{teen})"
        rf"|(?<!مجموعه\s)ال{g('a_tn', tens)}"
        rf"|(?:ال)?{g('a_un', units)})(?!\w)"
    )


def _en_word_source(named: bool) -> str:
    def g(name: str, body: str) -> str:
        return f"(?P<{name}>{body})" if named else f"(?:{body})"

    units = calendar_table("ordinals", "en", "units")
    small = alternation(w for w, v in units.items() if v < 10)
    return (
        rf"(?:{g('e_ct', alternation(calendar_table('ordinals', 'en', 'compound_tens')))}"
        rf"[\s-]+{g('e_cu', small)}"
        rf"|{g('e_tn', alternation(calendar_table('ordinals', 'en', 'tens')))}"
        rf"|{g('e_un', alternation(units))})(?!\w)"
    )


def _ru_word_source(named: bool) -> str:
    def g(name: str, body: str) -> str:
        return f"(?P<{name}>{body})" if named else f"(?:{body})"

    stems = calendar_table("ordinals", "ru", "stems")
    soft = alternation(calendar_table("ordinals", "ru", "soft_stems"))
    small = alternation(w for w, v in stems.items() if v < 10)
    word = rf"(?:(?:{alternation(stems)}){_RU_END}|(?:{soft}){_RU_SOFT_END})"
    unit = rf"(?:(?:{small}){_RU_END}|(?:{soft}){_RU_SOFT_END})"
    return (
        rf"(?:{g('r_ct', alternation(calendar_table('ordinals', 'ru', 'compound_tens')))}\s+{g('r_cu', unit)}"
        rf"|{g('r_w', word)})(?!\w)"
    )


_WORD_SOURCE = {"ar": _ar_word_source, "en": _en_word_source, "ru": _ru_word_source}


@lru_cache(maxsize=8)
def ordinal_word_source(lang: str) -> str:
    """Regex source (no capture groups) of the ordinal words of `lang`; for handlers.dates' day words."""
    build = _WORD_SOURCE.get(lang)
    return build(False) if build else r"(?!x)x"


@lru_cache(maxsize=8)
def _pattern(lang: str) -> re.Pattern[str]:
    if lang == "ar":
        months = alternation(calendar_table("months", "ar"))
        nouns = r"(?:[وف]?(?:[بلك]?ال|لل)?(?:قمه|دوره|نسخه|اجتماع|مؤتمر|لقاء)|العاديه|الاستثنائيه|رقم)"
        counted = alternation(_AR_COUNTED)
        not_after = rf"(?!\d|[/.\-:,]\d|\s*(?:%|(?:من\s+)?(?:شهر\s+)?[وبل]?(?:{months}|{counted})(?!\w)))"
        first = alternation(
            [
                *calendar_table("ordinals", "ar", "units"),
                *calendar_table("ordinals", "ar", "compound_units"),
                *calendar_table("ordinals", "ar", "tens"),
                "قمه",
                "دوره",
                "نسخه",
                "اجتماع",
                "مؤتمر",
                "لقاء",
                "عاديه",
                "استثنائيه",
                "رقم",
            ]
        )
        # cheap filter first: the first word of any Arabic mention (clitics and article stripped), or a digit
        guard = rf"(?=[وفبلك]?(?:ال|لل)?(?:{first})(?!\w)|\(\d|[وفبل]?ال\s?\(?\s?\d)"
        # the lookbehinds skip month names that contain an ordinal word: كانون الثاني, تشرين الاول, ربيع الاول
        alternatives = (
            rf"(?<!كانون\s)(?<!تشرين\s)(?<!ربيع\s)(?<!جمادي\s)(?:[وف](?=ال))?{_ar_word_source(True)}"
            rf"|[وفبل]?ال\s?(?:\(\s?(?P<a_d1>\d{{1,3}})\s?\)|(?P<a_d2>\d{{1,3}}))(?![\d\w])"
            rf"|(?<![\w(])\((?P<a_d3>\d{{1,3}})\)"
            rf"|{nouns}(?:\s+[وبل]?ال\w{{2,}}يه)?\s+(?P<a_d4>\d{{1,3}}){not_after}"
        )
        body = f"{guard}(?:{alternatives})"
    elif lang == "en":
        body = (
            rf"{_en_word_source(True)}"
            r"|(?<![\w.,])(?P<e_d>\d{1,3})-?(?:st|nd|rd|th)(?!\w)"
            rf"|(?<![\w\-])(?P<e_r>[ivxlc]{{2,}})(?=\s+(?:{_EN_ROMAN_NEXT})(?!\w))"
        )
    elif lang == "ru":
        body = (
            rf"{_ru_word_source(True)}"
            rf"|(?<![\w.,])(?P<r_d>\d{{1,3}})-{_RU_DIGIT_END}(?!\w)"
            r"|(?<![\w\-])(?P<r_r>[ivx]|[ivxlc]{2,})(?![\w\-])(?=\s+[а-я])"
        )
    else:
        body = r"(?!x)x"
    # Every mention starts after a delimiter; scanning " " + norm with a delimiter-led pattern lets re skip
    # straight from one delimiter to the next instead of trying every alternative at every character.
    return re.compile(bounded_spaces(rf"{DELIM}(?P<o>{body})"))


def _roman(s: str) -> int | None:
    if not s or not _ROMAN_RE.fullmatch(s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUE[ch]
        total += -v if i + 1 < len(s) and _ROMAN_VALUE[s[i + 1]] > v else v
    return total or None


def _ru_stem_value(word: str) -> int | None:
    for table in (calendar_table("ordinals", "ru", "stems"), calendar_table("ordinals", "ru", "soft_stems")):
        for stem in sorted(table, key=len, reverse=True):
            if word.startswith(stem):
                return table[stem]
    return None


def _value(m: re.Match[str]) -> tuple[int, int, int] | None:
    """(value, start, end) of a match of `_pattern`."""
    gd = m.groupdict()
    ar_units = calendar_table("ordinals", "ar", "units")
    ar_cu = calendar_table("ordinals", "ar", "compound_units")
    ar_tens = calendar_table("ordinals", "ar", "tens")
    value: int | None = None
    core = (m.start("o") - 1, m.end("o") - 1)  # offsets in " " + norm -> in norm
    if gd.get("a_ct"):
        value = ar_cu[gd["a_cu"]] + ar_tens[gd["a_ct"]]
    elif gd.get("a_tu"):
        value = ar_cu[gd["a_tu"]] + 10
    elif gd.get("a_tn"):
        value = ar_tens[gd["a_tn"]]
    elif gd.get("a_un"):
        value = ar_units[gd["a_un"]]
    elif gd.get("e_ct"):
        value = (
            calendar_table("ordinals", "en", "compound_tens")[gd["e_ct"]]
            + calendar_table("ordinals", "en", "units")[gd["e_cu"]]
        )
    elif gd.get("e_tn"):
        value = calendar_table("ordinals", "en", "tens")[gd["e_tn"]]
    elif gd.get("e_un"):
        value = calendar_table("ordinals", "en", "units")[gd["e_un"]]
    elif gd.get("r_ct"):
        unit = _ru_stem_value(gd["r_cu"])
        value = None if unit is None else calendar_table("ordinals", "ru", "compound_tens")[gd["r_ct"]] + unit
    elif gd.get("r_w"):
        value = _ru_stem_value(gd["r_w"])
    else:
        for name in ("a_d1", "a_d2", "a_d3", "a_d4", "e_d", "r_d"):
            if gd.get(name):
                value = int(gd[name])
                if name == "a_d4":  # "القمه 15": the number only
                    core = (m.start(name) - 1, m.end(name) - 1)
                break
        else:
            for name in ("e_r", "r_r"):
                if gd.get(name):
                    value = _roman(gd[name])
                    break
    text = m.group("o")
    if text[:1] in "وفبل" and text[1:3] == "ال":  # drop a clitic ("والثالثه" -> "الثالثه", "بال33")
        core = (core[0] + 1, core[1])
    if value is None or value < 1:
        return None
    return value, core[0], core[1]


def word_value(lang: str, text: str) -> int | None:
    """Value of an ordinal word/phrase of `lang` that is the whole of `text` (normalised), else None."""
    m = _pattern(lang).fullmatch(" " + text.strip())
    if m is None:
        return None
    got = _value(m)
    return got[0] if got else None


def find_ordinals(norm: str, lang: str) -> list[OrdinalMention]:
    """Every ordinal in `norm` (a `handlers.text.normalise` output) for `lang` in ar/en/ru; others: []."""
    out: list[OrdinalMention] = []
    for m in _pattern(lang).finditer(_spaced(norm)):
        got = _value(m)
        if got is not None and not _part_of_a_name(norm, got[1]):
            out.append(OrdinalMention(got[1], got[2], got[0]))
            if len(out) >= MAX_ORDINALS:  # the first ones in text order (see handlers.limits)
                break
    return out


@lru_cache(maxsize=2)
def _spaced(norm: str) -> str:
    """ " " + norm, made once per text: `ordinal_after` scans it again for every summit word."""
    return " " + norm


# "آل ثاني" (the Al Thani family, "ال ثاني" once normalised), "بن ثالث": a family name, not an ordinal
_NAME_BEFORE = re.compile(r"(?:^|\s)(?:ال|بن|ابن|بنت|ولد)\s+$")
# "قمه العشرين", "دول العشرين": "the Twenty" (G20) after a noun without the article; an ordinal adjective
# takes the article of its noun ("القمه العشرين" is the twentieth summit)
_G20_BEFORE = re.compile(r"(?:^|\s)[وفبل]?(?:قمه|قمتي|قاده|زعماء|دول)\s+$")


def _part_of_a_name(norm: str, start: int) -> bool:
    if norm.startswith("العشرين", start) and _G20_BEFORE.search(norm[max(0, start - 12) : start]):
        return True
    return bool(_NAME_BEFORE.search(norm[max(0, start - 6) : start]))


# the short words a mention may hold besides the ordinal words: the article and its clitics before a number
# ("ال33", "بال (33)", "و العشرين"), an English or Russian digit suffix ("7 th", "29-го")
_SHORT_PARTS = frozenset(
    ("و", "ال", "وال", "فال", "بال", "لال", "st", "nd", "rd", "th", *_RU_DIGIT_END[3:-1].split("|"))
)
_ROMAN_LETTERS = frozenset("ivxlc")


@lru_cache(maxsize=1)
def _ordinal_word_starts() -> tuple[str, ...]:
    """Every word of every language's ordinal tables (Russian stems included), each a start an ordinal
    word of a mention begins with once its clitics and article are cut."""
    words: set[str] = set()
    for lang, tables in (
        ("ar", ("units", "compound_units", "tens")),
        ("en", ("units", "tens", "compound_tens")),
        ("ru", ("stems", "soft_stems", "compound_tens")),
    ):
        for table in tables:
            for key in calendar_table("ordinals", lang, table):
                words.update(TOKEN_RE.findall(key))
    for key in calendar_words("ordinals", "ar", "teen"):
        words.update(TOKEN_RE.findall(key))
    return tuple(sorted(words))


def may_lie_in_an_ordinal(word: str) -> bool:
    """Whether a word (a `handlers.text.TOKEN_RE` token) may lie inside a mention `find_ordinals` returns,
    in any language: a number, a Roman numeral, one of `_SHORT_PARTS`, or an ordinal word (a table word or
    stem it begins with, behind a conjunction and the article). A cheap test that never says no to a word
    of a mention; it says yes to many other words."""
    if not word.isalpha() or word in _SHORT_PARTS or _ROMAN_LETTERS.issuperset(word):
        return True
    starts = _ordinal_word_starts()
    bare = word[1:] if word[:1] in ("و", "ف") else word
    for form in (
        word,
        bare,
        word[2:] if word.startswith("ال") else word,
        bare[2:] if bare.startswith("ال") else bare,
    ):
        if form.startswith(starts):
            return True
    return False


# ----------------------------------------------------------------------------- context

_CLAUSE_BREAK = re.compile(r"[.!?;:\n,]|\s-\s")
_AR_PREPOSITION = re.compile(r"(?<!\S)(?:مع|في|على|عن|من|الي|منذ|بعد|قبل|خلال|حول)(?!\S)")
_WORD = re.compile(r"[^\W_]+|%")
_BLOCK_BEFORE = frozenset(
    (
        # ar: rounds, ranks, times, days and periods, counted plurals
        "الجوله",
        "جوله",
        "الدور",
        "المرحله",
        "المركز",
        "المرتبه",
        "الترتيب",
        "الشوط",
        "المباراه",
        "الطابق",
        "الفصل",
        "الاسبوع",
        "اليوم",
        "يوم",
        "يومها",
        "يومه",
        "يوميها",
        "الشهر",
        "العام",
        "السنه",
        "القرن",
        "المره",
        "للمره",
        "مره",
        "الدول",
        "دول",
        "البلدان",
        "الاعضاء",
        "الزعماء",
        "القاده",
        "الولايه",
        "ولايته",
        "ولايتها",
        "الدرجه",
        "البند",
        "الخطوه",
        "الحلقه",
        "الربع",
        "النصف",
        "العقد",
        "الذكري",
        "الساعه",
        # a title: "الوزير الاول" (the prime minister in North African usage), not a meeting's number
        "الوزير",
        # a sitting of the summit, not the summit: "الجلسه الاولي"
        "الجلسه",
        "جلسه",
        "الجلسات",
        "جلسات",
        # a bare ordinal right after a preposition names a day ("تبدا في الخامس والعشرين"): an ordinal
        # adjective follows its noun, never the preposition
        "في",
        "من",
        "الي",
        "حتي",
        "منذ",
        # en
        "round",
        "place",
        "time",
        "times",
        "day",
        "week",
        "month",
        "year",
        "century",
        "term",
        "phase",
        "stage",
        "floor",
        "quarter",
        "half",
        "leg",
        "game",
        "match",
        "countries",
        "states",
        "nations",
        "leaders",
        "members",
        "anniversary",
        # ru
        "тур",
        "туре",
        "место",
        "месте",
        "раз",
        "день",
        "дня",
        "неделе",
        "квартал",
        "квартале",
        "половине",
        "век",
        "века",
        "срок",
        "этап",
        "этапе",
        "стран",
        "государств",
        "лидеров",
        "участников",
        "годовщину",
        "годовщина",
    )
)
_BLOCK_AFTER = frozenset(
    (
        # a title: "first minister", "первый заместитель", "первый вице-премьер"
        "minister",
        "заместитель",
        "вице",
        "مره",
        "اكبر",
        "اكثر",
        "اهم",
        "time",
        "times",
        "largest",
        "biggest",
        "round",
        "place",
        "quarter",
        "half",
        "century",
        "term",
        "phase",
        "stage",
        "day",
        "week",
        "anniversary",
        "hour",
        "hours",
        # a sitting of the summit, not the summit: "the first plenary session", "первое рабочее заседание"
        "plenary",
        "working",
        "рабочее",
        "рабочем",
        "рабочего",
        "пленарное",
        "пленарном",
        "пленарного",
        "час",
        "раз",
        "очередь",
        "место",
        "тур",
        "квартал",
        "половине",
        "век",
        "срок",
        "этап",
        "день",
        "неделю",
        "заместитель",
        "вице",
        "лицо",
        "годовщину",
    )
)
_AR_PLURAL = re.compile(r"[وفبل]?(?:ال)?\w{2,}ات")  # a sound feminine plural ("اجتماعات", "جلسات")
_WEEKDAYS_EN = frozenset(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
_NUMBER_TAIL = re.compile(r"\s*(?:%|\+\s*\d|في\s+الم[اي]?[ئي]ه|بالم[اي]?[ئي]ه|percent|per\s+cent|процент)")


@lru_cache(maxsize=1)
def _month_after() -> re.Pattern[str]:
    ar = alternation(calendar_table("months", "ar"))
    en = alternation(calendar_table("months", "en"))
    ru = alternation(calendar_table("months", "ru"))
    return re.compile(rf"\s*(?:(?:من\s+)?(?:شهر\s+)?[وبل]?(?:{ar})|(?:of\s+)?(?:{en})\.?|(?:{ru}))(?!\w)")


def is_count_context(norm: str, mention: OrdinalMention) -> bool:
    """True when `mention` does not number an event (summit, session): see the module docstring.

    Looks at the word before (and the one before that, when the word before is an Arabic adjective
    such as "العربيه") and the word after: rounds, ranks, "time(s)", days/terms/centuries, counted
    plurals, a month after (a day of the month), a percentage after.
    """
    after = norm[mention.end : mention.end + 40]
    if _NUMBER_TAIL.match(after) or _month_after().match(after):
        return True
    nxt = _WORD.search(after)
    if nxt and not _CLAUSE_BREAK.search(after[: nxt.start()]) and nxt.group() in _BLOCK_AFTER:
        return True
    # "اول اجتماعات القمه": the first of its sittings ("اول" + a plural), not "the first summit"
    if nxt and norm[mention.start : mention.end] == "اول" and _AR_PLURAL.fullmatch(nxt.group()):
        return True
    before = norm[max(0, mention.start - 40) : mention.start]
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0)
    words = _WORD.findall(before[cut:])
    if not words:
        return False
    if _blocks(words[-1]):
        return True
    if len(words) >= 2 and words[-1] == "the" and words[-2] in _WEEKDAYS_EN:
        return True  # "on Friday the 30th": a day
    return len(words) >= 2 and words[-1].endswith(("يه", "ي")) and _blocks(words[-2])


def _blocks(word: str) -> bool:
    """A word before the number that says it counts something else, also with an Arabic preposition
    joined to it ("احتفالا بالذكري الثلاثين": the thirtieth anniversary)."""
    if word in _BLOCK_BEFORE:
        return True
    return word[:1] in ("ب", "ل", "و", "ف", "ك") and len(word) > 4 and word[1:] in _BLOCK_BEFORE


def ordinal_after(norm: str, lang: str, pos: int, window: int = 40) -> OrdinalMention | None:
    """The first event ordinal starting within `window` characters after `pos` ("القمه" + " العربيه الثالثه
    والثلاثين"), not crossing a clause boundary (. ! ? ; : , newline, " - ") and skipping ordinals for which
    `is_count_context` holds; None if there is none."""
    if pos < 0 or pos > len(norm):
        return None
    limit = min(len(norm), pos + window)
    brk = _CLAUSE_BREAK.search(norm, pos, limit)
    if brk is not None:
        limit = brk.start()
    if lang == "ar":
        # "وتزامن انعقاد القمة مع دخول أول قافلة": after a preposition the ordinal counts another noun
        prep = _AR_PREPOSITION.search(norm, pos, limit)
        if prep is not None:
            limit = prep.start()
    stop = min(len(norm), limit + 60)  # room for a compound that starts inside the window
    word_start = pos  # scan from the start of the word before pos: "القمه 15" is matched from its noun
    while word_start > 0 and (norm[word_start - 1].isalnum() or norm[word_start - 1] == "_"):
        word_start -= 1
    for m in _pattern(lang).finditer(_spaced(norm), word_start, stop + 1):
        got = _value(m)
        if got is None:
            continue
        value, start, end = got
        if start < pos:
            continue
        if start >= limit:
            break
        mention = OrdinalMention(start, end, value)
        if not is_count_context(norm, mention) and not _part_of_a_name(norm, start):
            return mention
    return None


# "TICAD 8", "تيكاد 8", "SAARC 17", "القمة العربية 34": a number glued to a format's name (or one space
# after it); not a day of a month ("... 29 мая"), an amount ("... 5 млрд") or a count ("... 72 قمة")
_NUMBER_AFTER_NAME = re.compile(r"\s?(\d{1,2})(?![\d.,/%:])")
_AMOUNT_AFTER = re.compile(r"\s*(?:млрд|млн|тыс|مليار|مليون|الف|billion|million|thousand|bn|mn)(?!\w)")


def number_after_name(norm: str, end: int) -> OrdinalMention | None:
    """The number right after a format's name ending at `end`, when nothing says it is not a number of
    the format's meetings (`is_count_context`, an amount); the caller checks it against the calendar."""
    m = _NUMBER_AFTER_NAME.match(norm, end)
    if m is None:
        return None
    mention = OrdinalMention(m.start(1), m.end(1), int(m.group(1)))
    if mention.value == 0 or _AMOUNT_AFTER.match(norm, mention.end) or is_count_context(norm, mention):
        return None
    return mention
