"""Calendar dates in normalised text (Arabic, English, Russian), resolved to ISO strings.

Pure function over `handlers.text.normalise` output; spans are offsets in that text. Every mention is
returned (the caller picks the one next to the summit phrase). Rules for the ambiguous cases:

* Missing year: a day and month without a year take the year that puts the date NEAREST to `published`
  (published 2024-12-28 + "3 يناير" -> 2025-01-03), except that in a sentence with a future marker (and no
  past verb right before the date) a day more than 30 days before `published` moves to the next year
  ("will meet on 16-17 September" published in February); with no `published` the mention is dropped
  (labelling rule: "a day and month with no year and no publication date gives a null date").
* A bare month is a date only with a year ("اغسطس 2024" -> '2024-08') or a modifier ("اغسطس الماضي",
  "в августе этого года"), or after "in / в / في" in a sentence with a future marker ("will gather in
  December" -> the next December from `published`, this month included); "في مايو" alone is not returned.
* "<month> الماضي/المنصرم/الفائت" = its latest occurrence on or before `published` (for a month alone:
  strictly before the publication month); "<month> المقبل/القادم" = the next one after; "<month> الجاري/
  الحالي" = publication year; a day with "الجاري/الحالي" and no month ("15 الجاري", "14 و15 من الشهر الجاري")
  = that day of the publication month, as "the 15th of this month" and "15 текущего месяца".
  "العام الماضي / last year / прошлого года" = publication year - 1.
* Weekdays: "الخميس المقبل / next Thursday / в следующий четверг" -> 1..7 days after `published`;
  "الخميس الماضي / last Thursday / в прошлый четверг" -> 1..7 days before. A weekday alone: `published`
  itself if it is that weekday, else the nearest such day within +-6 days in the direction of the tense:
  AFTER `published` when a future marker stands in the same sentence (ستعقد, المقرر, تعقد, will, to be held,
  scheduled, будет, состоится, пройдет ...) and no past-tense verb right before the weekday ("agreed on
  Thursday to open talks", "провели в четверг"; a participle after "be" is none: "will be held on
  Saturday"), otherwise (tense past or unknown) BEFORE it.
  "اليوم الخميس" / "today, Thursday" = `published` (the relative word wins over the weekday name). A
  relative day counts from a full date written before it instead: in the same sentence when the article
  has no `published` ("arrived on Friday 28 March 2008 ... opens tomorrow, Saturday"), right after a
  dateline's own full date when it has one ("Cairo, 17 May 2024 (today)"); a weekday written with it must
  agree, else `published` is used.
  Two weekdays ("الخميس والجمعه المقبلين", "from Thursday to Friday") give a range.
* Day words: ordinals ("الثاني من نوفمبر") and the Maghrebi "الفاتح" (the 1st), alone or as a range
  ("يومي الفاتح والثاني من نوفمبر").
* Ranges: "16 و17 نوفمبر", "4-5 مايو", "من 4 الي 5 مايو", "بين 4 و 5 مايو", "9-10 August", "August 9-10",
  "15-16 ноября", "с 15 по 16 ноября", and across months ("30 نوفمبر - 2 ديسمبر"). "يومي 22 و24" is read as
  22..24. A reversed day range ("30 - 2 ديسمبر") starts in the previous month.
* Numeric dates are day-first (17/5/2025, 17-5-2025, 17.05.2025, 16.07.21) or year-first (2024/5/14,
  2024-08-09); a two-digit year only with dots (Russian style). In English a slash date whose day and month
  are both <= 12 and differ (05/09/2024) is ambiguous (US/EU order) and is not returned.
* Hijri dates with day, month and year ("24 شوال 1445 ه", "28 و29 صفر 1427 ه", "24 - 25 / 7 / 1436 ه")
  are converted to Gregorian (tabular Islamic calendar, `hijri_to_gregorian`); a Hijri month without day
  or year ("رمضان 1446 هجري") is recognised and skipped. Their numbers are never read as Gregorian.
* `relative` is True whenever the date needed `published` (relative days, weekdays, a missing year,
  "الجاري"/"الماضي"/"last year").
* Sanity: years 1990..2100 only; impossible days (31 February) are dropped; a range must end after it
  starts and last at most 45 days (else only its start is kept).
* Not returned: "next week", "last month", years alone ("عام 2024"), times, other bare months.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from handlers.limits import MAX_DATES
from handlers.ordinals import (
    DELIM,
    alternation,
    bounded_spaces,
    calendar_table,
    ordinal_word_source,
    word_value,
)
from handlers.records import record

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_RANGE_DAYS = 45


@record
class DateMention:
    """A date in the normalised text: [start, end) and its ISO value(s)."""

    start: int
    end: int
    start_date: str  # 'YYYY-MM-DD', or 'YYYY-MM' when the text gives no day
    end_date: str | None  # 'YYYY-MM-DD' for a range, else None
    relative: bool  # resolved with the help of `published`


# ----------------------------------------------------------------------------- words per language

_AR_REL = {
    "اليوم": 0,
    "غدا": 1,
    "امس": -1,
    "بالامس": -1,
    "الامس": -1,
    "بعد غد": 2,
    "اول امس": -2,
    "اول من امس": -2,
}
_EN_REL = {
    "today": 0,
    "tonight": 0,
    "tomorrow": 1,
    "yesterday": -1,
    "the day after tomorrow": 2,
    "the day before yesterday": -2,
}
_RU_REL = {"сегодня": 0, "завтра": 1, "вчера": -1, "послезавтра": 2, "позавчера": -2}

# month / year modifiers: +1 next, 0 current, -1 previous
_AR_MOD = {
    "الجاري": 0,
    "الجاريه": 0,
    "الحالي": 0,
    "الحاليه": 0,
    "الماضي": -1,
    "الماضيه": -1,
    "المنصرم": -1,
    "المنصرمه": -1,
    "الفائت": -1,
    "الفائته": -1,
    "الماضيين": -1,
    "المقبل": 1,
    "المقبله": 1,
    "القادم": 1,
    "القادمه": 1,
    "المقبلين": 1,
    "القادمين": 1,
}
_EN_MOD = {"this": 0, "last": -1, "past": -1, "next": 1, "coming": 1}
_RU_YEAR_MOD = {
    "этого": 0,
    "текущего": 0,
    "нынешнего": 0,
    "прошлого": -1,
    "позапрошлого": -2,
    "следующего": 1,
    "будущего": 1,
    "наступающего": 1,
}

_FUTURE = {
    "ar": re.compile(
        r"(?<!\w)[وف]?(?:ستعقد|سيعقد|ستنطلق|سينطلق|ستبدا|سيبدا|ستلتئم|ستستضيف|سيستضيف|سيشارك|ستشارك|سيلتقي|"
        r"سيجتمع|ستجتمع|سوف|المقرر|مقرر|المرتقب|المرتقبه|المزمع|المزمعه|المنتظر|المنتظره|تعقد|يعقد|تنطلق|"
        r"ينطلق|تستضيف|يستضيف|تحتضن|يحتضن|ستحتضن|تلتئم|يلتئم|يعتزم|تعتزم|يتوجه|سيتوجه|المقبل|المقبله|القادم|"
        r"القادمه|المقرره|مقرره)(?!\w)"
    ),
    "en": re.compile(
        r"(?<!\w)(?:will|shall|to\s+be\s+held|scheduled|set\s+to|due\s+to|expected\s+to|upcoming|"
        r"to\s+open|to\s+host|to\s+attend|plans?\s+to|is\s+to|are\s+to|next)(?!\w)"
    ),
    "ru": re.compile(
        r"(?<!\w)(?:будет|будут|состоится|состоятся|пройдет|пройдут|откроется|начнется|планируется|"
        r"запланирован\w*|намечен\w*|ожидается|предстоящ\w*|соберутся|примет|примут|проведет|проведут|"
        r"посетит|намерен\w*)(?!\w)"
    ),
}
_SENTENCE_END = re.compile(r"[.!?\n]")
# after a day and month with no year: a 3-4 digit number there is an out-of-range (or Hijri) year,
# not a missing one
_NO_YEAR = r"(?!\s*,?\s*\d{3,4}(?!\d))"


# ----------------------------------------------------------------------------- pattern building
#
# Scanning: a cheap "anchor" regex (a delimiter, then a digit or a month / weekday / relative-day / Hijri /
# day-ordinal word, as one prefix tree) runs over " " + norm; the full pattern is tried only at anchors
# (`re.match` at that offset). Every form therefore STARTS with its anchor word: "يوم", "من", "بين", "the",
# "в", "с" before a date are left outside the span.


def _ar_parts() -> dict[str, str]:
    months = calendar_table("months", "ar")
    long_m = alternation(w for w in months if len(w) > 3)
    short_m = alternation(w for w in months if len(w) <= 3)
    wd = alternation(calendar_table("weekdays", "ar"))
    return {
        "mon_core": rf"[وبل]?(?:{long_m})|(?:{short_m})",
        "mon_pair": rf"(?:\s*(?:/|\()\s*[وبل]?(?:{alternation(months)})(?!\w)\s*\)?)?",
        "day": r"\d{1,2}(?![\d/:])",
        "day1": r"(?<![\w/.:\-])(?:[وبل](?=\d))?\d{1,2}(?![\d/:])",
        "of": r"(?:\s+من)?(?:\s+شهر)?\s*",
        "sep": r"\s*(?:-|و|الي|حتي|لغايه|ولغايه)\s*",
        "xsep": r"\s*(?:-|الي|حتي|لغايه|ولغايه)\s*",
        "wd": wd,
        "prefix": (
            rf"(?:[وف]?(?:{alternation(_AR_REL)})\s+)?"
            rf"(?:[وف]?(?:{wd})(?:\s*(?:و|-|الي|حتي)\s*[وف]?(?:{wd}))?\s*,?\s*)?"
        ),
    }


def _ar_year(p: str, required: bool) -> str:
    mods = alternation(_AR_MOD)
    body = (
        rf"\s*,?\s*(?:(?:من\s+)?(?:ال|ل)?(?:عام|سنه)\s+)?(?P<{p}y>199\d|20\d\d|2100)(?!\d)"
        rf"(?!\s?(?:ه|هجري|هجريه)(?!\w))(?:\s?م(?!\w)|\s+ميلادي(?:ه)?(?!\w))?"
        rf"|\s+(?:من\s+)?(?:ال|ل)?(?:عام|سنه)\s+(?P<{p}yr>{mods})(?!\w)"
        rf"|\s+(?P<{p}mr>{mods})(?!\w)"
    )
    return f"(?:{body})" if required else f"(?:{body}|{_NO_YEAR})"


def _ar_pattern() -> str:
    a = _ar_parts()

    def mon(name: str) -> str:
        return rf"(?P<{name}>{a['mon_core']})(?!\w){a['mon_pair']}"

    day1, day, of, sep, xsep, prefix = a["day1"], a["day"], a["of"], a["sep"], a["xsep"], a["prefix"]
    rel_block = (
        r"(?!\s+(?:الاول|الثاني|الثالث|الرابع|الاخير|التالي|السابق|الوطني|العالمي|الدولي|الختامي|"
        r"الافتتاحي|نفسه|ذاته|الذي|التي|الموعود)(?!\w))"
    )
    hijri = alternation(calendar_table("hijri_months", "ar"))
    mods = alternation(_AR_MOD)
    day_word = f"{ordinal_word_source('ar')}|{alternation(calendar_table('day_words', 'ar'))}"
    alts = [
        rf"(?P<H>(?:(?:(?P<Hd0>\d{{1,2}})\s*(?:-|و|,|الي)\s*)?(?P<Hd>\d{{1,2}})\s*)?(?P<Hm>{hijri})(?!\w)"
        rf"(?:\s*,?\s*(?P<Hy>\d{{3,4}})(?!\d)(?:\s?(?:ه|هجري|هجريه)(?!\w))?)?)",
        _numeric("N", spaced=True),
        rf"(?P<X>{prefix}(?P<Xd1>{day1}){of}{mon('Xm1')}{_ar_year('X1', False)}{xsep}"
        rf"(?P<Xd2>{day}){of}{mon('Xm2')}{_ar_year('X', False)})",
        rf"(?P<R>{prefix}(?P<Rd1>{day1}){sep}(?P<Rd2>{day}){of}{mon('Rm')}{_ar_year('R', False)})",
        rf"(?P<S>{prefix}(?P<Sd>{day1}){of}{mon('Sm')}{_ar_year('S', False)})",
        rf"(?P<C>{prefix}(?:(?P<Cd1>{day1}){sep})?(?P<Cd>{day})\s+(?:(?:من\s+)?(?:ال)?شهر\s+(?:الجاري|الحالي)|"
        rf"(?:من\s+)?هذا\s+الشهر|الجاري|الحالي)(?!\w))",
        rf"(?P<W>{prefix}[وف]?(?:(?P<Wd0>{day_word})\s*(?:و|-|الي|حتي)\s*[وف]?)?(?P<Wd>{day_word})\s+من\s+"
        rf"(?:شهر\s+)?{mon('Wm')}{_ar_year('W', False)})",
        rf"(?P<M>{mon('Mm')}{_ar_year('M', True)})",
        rf"(?P<B>{mon('Bm')})",
        rf"(?P<REL>(?<!ذلك\s)(?<!هذا\s)(?<!ذات\s)(?<!نفس\s)[وف]?(?P<RELw>{alternation(_AR_REL)})(?!\w){rel_block}"
        rf"(?:(?:\s+|\s*\(\s*)[وف]?(?P<RELwd>{a['wd']})(?!\w))?)",
        rf"(?P<WD>[وف]?(?P<WDa>{a['wd']})(?!\w)"
        rf"(?:\s*(?:و|-|الي|حتي)\s*[وف]?(?P<WDb>{a['wd']})(?!\w))?(?:\s+(?P<WDmod>{mods})(?!\w))?)",
    ]
    return "|".join(alts)


def _numeric(k: str, spaced: bool = False) -> str:
    """A numeric date, day-first or year-first, perhaps after the first day of a range ("30 - 2021/10/31",
    "29-30/11/2017"); `spaced`: a space may stand around the separators ("15 / 9 / 2025", Arabic style)."""
    sp = r"\s?" if spaced else ""
    return (
        rf"(?P<{k}>(?<![\d/.\-:])(?:[وبل](?=\d))?(?:(?P<{k}r>\d{{1,2}})\s*-\s*(?=\d))?"
        rf"(?:(?P<{k}d>\d{{1,2}}){sp}(?P<{k}s>[/.\-]){sp}(?P<{k}m>\d{{1,2}}){sp}(?P={k}s){sp}"
        rf"(?P<{k}y>\d{{4}}|\d{{2}})|(?P<{k}Y>\d{{4}}){sp}(?P<{k}s2>[/.\-]){sp}(?P<{k}M>\d{{1,2}}){sp}(?P={k}s2){sp}"
        rf"(?P<{k}D>\d{{1,2}}))(?!\d|[/.\-:]\d))"
    )


def _en_pattern() -> str:
    months = alternation(calendar_table("months", "en"))
    wd = alternation(calendar_table("weekdays", "en"))

    def mon(name: str) -> str:
        return rf"(?P<{name}>{months})(?!\w)\.?"

    def year(p: str, required: bool) -> str:
        body = (
            rf"\s*,?\s*(?:of\s+)?(?P<{p}y>199\d|20\d\d|2100)(?!\d)"
            rf"|\s+(?P<{p}yr>this|last|next)\s+year(?!\w)"
        )
        return f"(?:{body})" if required else f"(?:{body}|{_NO_YEAR})"

    day = r"\d{1,2}(?:st|nd|rd|th)?(?!\w|[/:]\d)"
    day1 = r"(?<![\w/.:\-,])" + day
    sep = r"\s*(?:-|to|and|through|until|till)\s*"
    xsep = r"\s*(?:-|to|through|until|till)\s*"
    prefix = rf"(?:(?:{alternation(_EN_REL)})\s*,?\s*)?(?:(?:{wd})\s*,?\s*(?:the\s+)?)?"
    of = r"(?:\s+of)?\s+"
    alts = [
        _numeric("N"),
        rf"(?P<X>{prefix}(?P<Xd1>{day1}){of}{mon('Xm1')}{year('X1', False)}{xsep}(?:the\s+)?"
        rf"(?P<Xd2>{day}){of}{mon('Xm2')}{year('X', False)})",
        rf"(?P<Y>{prefix}{mon('Ym1')}\s*(?P<Yd1>{day}){xsep}{mon('Ym2')}\s*(?P<Yd2>{day}){year('Y', False)})",
        rf"(?P<R>{prefix}(?P<Rd1>{day1}){sep}(?:the\s+)?(?P<Rd2>{day}){of}{mon('Rm')}{year('R', False)})",
        rf"(?P<Q>{prefix}{mon('Qm')}\s*(?P<Qd1>{day}){sep}(?P<Qd2>{day}){year('Q', False)})",
        rf"(?P<S>{prefix}(?P<Sd>{day1}){of}{mon('Sm')}{year('S', False)})",
        rf"(?P<T>{prefix}{mon('Tm')}\s*(?:the\s+)?(?P<Td>{day}){year('T', False)})",
        rf"(?P<C>{prefix}(?:(?P<Cd1>{day1}){sep}(?:the\s+)?)?(?P<Cd>{day})\s+(?:of\s+)?(?:this|the\s+current)\s+month(?!\w))",
        rf"(?P<M>{mon('Mm')}{year('M', True)})",
        rf"(?P<B>{mon('Bm')})",
        rf"(?P<REL>(?P<RELw>{alternation(_EN_REL)})(?!\w)(?:\s*,?\s*\(?(?P<RELwd>{wd})(?!\w)\)?)?)",
        rf"(?P<WD>(?P<WDa>{wd})(?!\w)"
        rf"(?:\s*(?:-|to|and|through)\s*(?P<WDb>{wd})(?!\w))?(?:\s+(?P<WDmod>next|last)(?!\w))?)",
    ]
    return "|".join(alts)


def _ru_pattern() -> str:
    months = alternation(calendar_table("months", "ru"))
    wd = alternation(calendar_table("weekdays", "ru"))

    def mon(name: str) -> str:
        return rf"(?P<{name}>{months})(?!\w)"

    def year(p: str, required: bool) -> str:
        body = (
            rf"\s*,?\s*(?P<{p}y>199\d|20\d\d|2100)(?!\d)(?:\s*(?:года|году|год|гг|г)(?!\w)\.?)?"
            rf"|\s+(?P<{p}yr>{alternation(_RU_YEAR_MOD)})\s+года(?!\w)"
        )
        return f"(?:{body})" if required else f"(?:{body}|{_NO_YEAR})"

    day = r"\d{1,2}(?:-?(?:ого|го|е))?(?![\w/:]|[.]\d)"
    day1 = r"(?<![\w/.:\-])" + day
    sep = r"\s*(?:-|и|по|до)\s*"
    xsep = r"\s*(?:-|по|до)\s*"
    prefix = rf"(?:(?:{alternation(_RU_REL)})\s*,?\s*)?(?:(?:в|во)\s+)?(?:(?:{wd})\s*,?\s*)?"
    alts = [
        _numeric("N"),
        rf"(?P<X>{prefix}(?P<Xd1>{day1})\s+{mon('Xm1')}{year('X1', False)}{xsep}(?P<Xd2>{day})\s+{mon('Xm2')}"
        rf"{year('X', False)})",
        rf"(?P<R>{prefix}(?P<Rd1>{day1}){sep}(?P<Rd2>{day})\s+{mon('Rm')}{year('R', False)})",
        rf"(?P<S>{prefix}(?P<Sd>{day1})\s+{mon('Sm')}{year('S', False)})",
        rf"(?P<C>{prefix}(?:(?P<Cd1>{day1}){sep})?(?P<Cd>{day})\s+(?:числа\s+)?(?:текущего|этого|нынешнего|сего)\s+"
        rf"месяца(?!\w))",
        rf"(?P<M>{mon('Mm')}{year('M', True)})",
        rf"(?P<B>{mon('Bm')})",
        rf"(?P<REL>(?P<RELw>{alternation(_RU_REL)})(?!\w)(?:\s*,?\s*(?:во?\s+)?(?P<RELwd>{wd})(?!\w))?)",
        rf"(?P<WD>(?P<WDa>{wd})(?!\w)(?:\s*(?:-|и|по|до)\s*(?:во?\s+)?(?P<WDb>{wd})(?!\w))?)",
    ]
    return "|".join(alts)


def _anchor_words(lang: str) -> list[str]:
    words = [*calendar_table("months", lang), *calendar_table("weekdays", lang)]
    if lang == "ar":
        words += [*_AR_REL, *calendar_table("hijri_months", "ar")]
        for table in ("units", "compound_units", "tens"):
            for w in calendar_table("ordinals", "ar", table):
                words += [w, "ال" + w]
        words += list(calendar_table("day_words", "ar"))
    else:
        words += list(_EN_REL if lang == "en" else _RU_REL)
    return words


_BUILDERS = {"ar": _ar_pattern, "en": _en_pattern, "ru": _ru_pattern}


@lru_cache(maxsize=8)
def _patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """(anchor scanner over " " + norm, full pattern matched at an anchor) for `lang`, compiled once."""
    build = _BUILDERS.get(lang)
    if build is None:
        return None
    clitic = "[وبلف]?" if lang == "ar" else ""
    digit = r"[وبل]?\d" if lang == "ar" else r"\d"
    anchor = re.compile(rf"{DELIM}(?P<a>{clitic}(?:{alternation(_anchor_words(lang))})(?!\w)|{digit})")
    return anchor, re.compile(bounded_spaces(build()))


_WD_BEFORE = {
    "en": re.compile(r"(?<!\w)(?P<mod>last|next|this|coming|past)\s+$"),
    "ru": re.compile(
        r"(?<!\w)(?:(?:во?|со?)\s+)?(?P<mod>прошл(?:ый|ую|ое|ой)|минувш(?:ий|ую|ее)|следующ(?:ий|ую|ее)|"
        r"ближайш(?:ий|ую|ее)|будущ(?:ий|ую|ее)|эт(?:от|у|о)|нынешн(?:ий|юю|ее))\s+$"
    ),
}


# ----------------------------------------------------------------------------- resolution


def _date(y: int, m: int, d: int) -> dt.date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_value(lang: str, text: str | None) -> int | None:
    if not text:
        return None
    table = calendar_table("months", lang)
    key = " ".join(text.split()).rstrip(".")
    if key in table:
        return table[key]
    return table.get(key[1:]) if lang == "ar" else None


def _day_value(lang: str, text: str | None) -> int | None:
    if not text:
        return None
    digits = re.match(r"[وبل]?(\d{1,2})", text)
    if digits:
        return int(digits.group(1))
    if lang == "ar" and text in calendar_table("day_words", "ar"):
        return calendar_table("day_words", "ar")[text]
    return word_value(lang, text)


def _mod_value(lang: str, text: str | None) -> int | None:
    if not text:
        return None
    table = {"ar": _AR_MOD, "en": _EN_MOD, "ru": _RU_YEAR_MOD}.get(lang, {})
    return table.get(text)


def _nearest(m: int, d: int, pub: dt.date) -> dt.date | None:
    best: dt.date | None = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        cand = _date(y, m, d)
        if cand is not None and (best is None or abs((cand - pub).days) < abs((best - pub).days)):
            best = cand
    return best


def _year_for(
    lang: str, gd: dict[str, str | None], p: str, m: int, d: int | None, pub: dt.date | None
) -> tuple[int, bool] | None:
    """(year, used_published) of the day/month `d`/`m` from the year part with prefix `p`."""
    y = gd.get(f"{p}y")
    if y:
        return int(y), False
    if pub is None:
        return None
    yr = _mod_value(lang, gd.get(f"{p}yr"))
    if yr is not None:
        return pub.year + yr, True
    mr = _mod_value(lang, gd.get(f"{p}mr"))
    if mr is not None:
        if mr == 0:
            return pub.year, True
        dd = d or 1
        if mr < 0:
            before = (m, dd) <= (pub.month, pub.day) if d else m < pub.month
            return (pub.year if before else pub.year - 1), True
        after = (m, dd) > (pub.month, pub.day) if d else m > pub.month
        return (pub.year if after else pub.year + 1), True
    if d is None:
        return None
    near = _nearest(m, d, pub)
    return (near.year, True) if near else None


def _is_future(lang: str, norm: str, start: int, end: int) -> bool:
    rx = _FUTURE.get(lang)
    if rx is None:
        return False
    lo = max(0, start - 120)
    cut = [mm.end() for mm in _SENTENCE_END.finditer(norm, lo, start)]
    lo = cut[-1] if cut else lo
    hi_m = _SENTENCE_END.search(norm, end, min(len(norm), end + 60))
    hi = hi_m.start() if hi_m else min(len(norm), end + 60)
    return rx.search(norm, lo, start) is not None or rx.search(norm, end, hi) is not None


# a verb in the past tense right before the weekday ("agreed on Thursday", "провели в четверг") dates it
# before publication, whatever the rest of the sentence says ("agreed on Thursday to open talks"); a
# participle after "be" ("will be held on Saturday") is not one
_PAST_BEFORE = {
    "en": re.compile(
        r"(?<!\w)(?<!\bbe\s)(?!(?:scheduled|expected|planned|slated|due|set)\s)"
        r"(?:\w{3,}ed|met|held|said|began|took|gave|made|spoke|sat|won|saw|came|went|told|left)"
        r"(?:\s+\w+ly)?\s+(?:on\s+)?$"
    ),
    "ru": re.compile(r"(?<!\w)\w{2,}(?:ли|ла|лся|лась|лись|лось)\s+(?:во?\s+)?$"),
}


def _verb_before(table: dict[str, re.Pattern[str]], lang: str, norm: str, start: int, reach: int) -> bool:
    """Whether a verb of `table` (for `lang`) ends within `reach` characters before `start`."""
    rx = table.get(lang)
    return rx is not None and rx.search(norm, max(0, start - reach), start) is not None


# an English meeting verb in the present tense right before the weekday ("leaders gather on Wednesday",
# "the summit opens on Monday") reports what is to come, as the Arabic present tense (تعقد, تنطلق) does
_PRESENT_BEFORE = {
    "en": re.compile(
        r"(?<!\w)(?:gather|meet|convene|open|begin|start|arrive)s?(?:\s+\w+){0,3}?\s+(?:on\s+)?$"
    ),
}


def _weekday_date(target: int, pub: dt.date, direction: int) -> dt.date:
    """`direction` +1: the next such day after pub (1..7 days), -1: the last one before it (1..7 days)."""
    k = (target - pub.weekday()) % 7
    if direction > 0:
        return pub + dt.timedelta(days=k or 7)
    if direction < 0:
        return pub - dt.timedelta(days=(7 - k) or 7)
    return pub if k == 0 else pub - dt.timedelta(days=7 - k)


def _resolve_weekday(
    lang: str, norm: str, m: re.Match[str], gd: dict[str, str | None], pub: dt.date, mod_text: str | None
) -> tuple[dt.date, dt.date | None] | None:
    table = calendar_table("weekdays", lang)
    a = table.get(gd.get("WDa") or "")
    if a is None:
        return None
    b = table.get(gd.get("WDb") or "")
    direction: int | None = None
    mod_text = mod_text or gd.get("WDmod")
    if mod_text:
        if lang == "ru":
            if mod_text.startswith(("прошл", "минувш")):
                direction = -1
            elif mod_text.startswith(("следующ", "ближайш", "будущ")):
                direction = 1
        else:
            direction = _mod_value(lang, mod_text) or None
    if direction is not None:
        first = _weekday_date(a, pub, direction)
    elif a == pub.weekday():
        first = pub
    else:
        past = _verb_before(_PAST_BEFORE, lang, norm, m.start(), 40)
        ahead = _is_future(lang, norm, m.start(), m.end()) or _verb_before(
            _PRESENT_BEFORE, lang, norm, m.start(), 60
        )
        first = _weekday_date(a, pub, 1 if not past and ahead else -1)
    if b is None or b == a:
        return first, None
    return first, first + dt.timedelta(days=(b - a) % 7)


# a day and month with no year in a sentence about what is to come ("will be held on 16-17 September")
# lies ahead: when the nearest year puts it this long before publication, it is the next year's
_AHEAD_DAYS = 30


def _nearest_year(gd: dict[str, str | None], kind: str) -> bool:
    """Whether the year of a day-and-month form `kind` was taken as the one nearest to publication."""
    return not any(gd.get(f"{kind}{g}") for g in ("y", "yr", "mr", "1y"))


def _ahead(
    lang: str, norm: str, m: re.Match[str], span: tuple[dt.date, dt.date | None], pub: dt.date
) -> tuple[dt.date, dt.date | None]:
    """`span` a year later when it lies over `_AHEAD_DAYS` before `pub` in a future-tense sentence."""
    if (pub - span[0]).days <= _AHEAD_DAYS or not _is_future(lang, norm, m.start(), m.end()):
        return span
    if _verb_before(_PAST_BEFORE, lang, norm, m.start(), 40):
        return span
    first = _date(span[0].year + 1, span[0].month, span[0].day)
    last = None if span[1] is None else _date(span[1].year + 1, span[1].month, span[1].day)
    if first is None or (span[1] is not None and last is None):
        return span
    return first, last


# a month alone after "in" ("in December", "в октябре", "في ديسمبر", "خلال شهر ديسمبر") in a sentence about
# what is to come: the next such month from publication (this one included)
_IN_BEFORE = {
    "ar": re.compile(r"(?<!\w)(?:في|خلال|مطلع|اواخر|منتصف|بدايه|نهايه)(?:\s+شهر)?\s+$"),
    "en": re.compile(r"(?<!\w)(?:in|during|early|late|mid-?|until)\s*$"),
    "ru": re.compile(r"(?<!\w)(?:во?|начале|конце|середине)\s+$"),
}


def _bare_month_ahead(lang: str, norm: str, start: int, end: int) -> bool:
    """Whether the month alone at [start, end) follows "in" in a future-tense sentence."""
    rx = _IN_BEFORE.get(lang)
    if rx is None or rx.search(norm, max(0, start - 16), start) is None:
        return False
    return _is_future(lang, norm, start, end) and not _verb_before(_PAST_BEFORE, lang, norm, start, 40)


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _range(start: dt.date, end: dt.date | None) -> tuple[dt.date, dt.date | None]:
    if end is None or end <= start or (end - start).days > MAX_RANGE_DAYS:
        return start, None
    return start, end


# (start, end, start_date, end_date, relative)
_Found = tuple[int, int, str, str | None, bool]


def _single(
    lang: str, gd: dict[str, str | None], dkey: str, mkey: str, ykey: str, pub: dt.date | None
) -> tuple[dt.date, bool] | None:
    mo = _month_value(lang, gd.get(mkey))
    d = _day_value(lang, gd.get(dkey))
    if mo is None or d is None:
        return None
    yy = _year_for(lang, gd, ykey, mo, d, pub)
    if yy is None:
        return None
    one = _date(yy[0], mo, d)
    return (one, yy[1]) if one else None


def _numeric_date(lang: str, gd: dict[str, str | None]) -> dt.date | None:
    if gd.get("NY"):
        return _date(int(gd["NY"] or 0), int(gd["NM"] or 0), int(gd["ND"] or 0))
    ytxt, sep = gd.get("Ny") or "", gd.get("Ns")
    if len(ytxt) == 2:
        if sep != ".":
            return None
        y = 1900 + int(ytxt) if int(ytxt) >= 90 else 2000 + int(ytxt)
    else:
        y = int(ytxt or 0)
    d, mo = int(gd.get("Nd") or 0), int(gd.get("Nm") or 0)
    if lang == "en" and sep == "/" and d <= 12 and mo <= 12 and d != mo:
        return None  # 05/09/2024: US or European order?
    return _date(y, mo, d)


# the Hijri era mark after a year ("1436ه", "1436 هجري"): the numbers before it are Hijri
_HIJRI_MARK = re.compile(r"\s?(?:ه|هجري|هجريه)(?!\w)")
_HIJRI_YEARS = range(1400, 1525)  # 1979 .. 2100


def hijri_to_gregorian(y: int, m: int, d: int) -> dt.date | None:
    """The Gregorian day of Hijri `d`/`m`/`y` by the tabular (arithmetic) Islamic calendar: civil epoch
    (1 Muharram 1 = 16 July 622 Julian), 11 leap years in 30 (2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29); it
    agrees with the Umm al-Qura calendar Gulf news uses to within a day or two. None for an impossible day
    or a year outside 1400..1524."""
    if y not in _HIJRI_YEARS or not 1 <= m <= 12 or not 1 <= d <= 30:
        return None
    month_days = 29 if m % 2 == 0 and not (m == 12 and (14 + 11 * y) % 30 < 11) else 30
    if d > month_days:
        return None
    jdn = d + (59 * (m - 1) + 1) // 2 + (y - 1) * 354 + (3 + 11 * y) // 30 + 1948439
    return dt.date.fromordinal(jdn - 1721425)


def _hijri_range(y: int, m: int, d: int, d0: int | None) -> tuple[dt.date, dt.date | None] | None:
    last = hijri_to_gregorian(y, m, d)
    if last is None:
        return None
    if d0 is None or d0 >= d:
        return last, None
    first = hijri_to_gregorian(y, m, d0)
    return (last, None) if first is None else _range(first, last)


def _hijri_span(gd: dict[str, str | None]) -> tuple[dt.date, dt.date | None] | None:
    """A Hijri day, month name and year ("24 شوال 1445 ه", "28 و29 صفر 1427 ه"); none without day or year."""
    mo = calendar_table("hijri_months", "ar").get(" ".join((gd.get("Hm") or "").split()))
    if mo is None or not gd.get("Hd") or not gd.get("Hy"):
        return None
    d0 = int(gd["Hd0"] or 0) or None
    return _hijri_range(int(gd["Hy"] or 0), mo, int(gd["Hd"] or 0), d0)


def _hijri_numeric(gd: dict[str, str | None]) -> tuple[dt.date, dt.date | None] | None:
    """A day-first numeric date whose year carries the Hijri mark, perhaps after a first day."""
    if not gd.get("Ny") or len(gd.get("Ny") or "") != 4:
        return None
    d0 = int(gd["Nr"] or 0) or None
    return _hijri_range(int(gd["Ny"] or 0), int(gd["Nm"] or 0), int(gd["Nd"] or 0), d0)


def _resolve(  # one branch per surface form
    lang: str, norm: str, m: re.Match[str], pub: dt.date | None, mod_text: str | None
) -> list[_Found]:
    kind = m.lastgroup
    gd = m.groupdict()
    s, e = m.span()
    span: tuple[dt.date, dt.date | None] | None = None
    used_pub = False
    if kind == "N" and lang == "ar" and _HIJRI_MARK.match(norm, e):  # "24 - 25 / 7 / 1436 ه"
        span = _hijri_numeric(gd)
    elif kind == "N":
        one = _numeric_date(lang, gd)
        span = (one, None) if one else None
        first = int(gd["Nr"]) if one and gd.get("Nr") else None
        if one and first is not None and first != one.day:  # "30 - 2021/10/31": from the 30th
            month = one if first < one.day else one.replace(day=1) - dt.timedelta(days=1)
            start = _date(month.year, month.month, first)
            span = _range(start, one) if start else span
    elif kind in ("S", "W", "T"):
        got = _single(lang, gd, f"{kind}d", f"{kind}m", kind, pub)
        if got:
            span, used_pub = (got[0], None), got[1]
            first_day = _day_value(lang, gd.get("Wd0")) if kind == "W" else None
            if first_day is not None and first_day < got[0].day:  # "يومي الفاتح والثاني من نوفمبر"
                span = _range(got[0].replace(day=first_day), got[0])
    elif kind in ("R", "Q"):
        mo = _month_value(lang, gd.get(f"{kind}m"))
        d1, d2 = _day_value(lang, gd.get(f"{kind}d1")), _day_value(lang, gd.get(f"{kind}d2"))
        yy = None if mo is None or d2 is None else _year_for(lang, gd, kind, mo, d2, pub)
        if mo is None or d1 is None or d2 is None or yy is None:
            return []
        used_pub = yy[1]
        end = _date(yy[0], mo, d2)
        if d1 > d2:  # "30 - 2 ديسمبر": starts in the previous month
            start = _date(yy[0], mo - 1, d1) if mo > 1 else _date(yy[0] - 1, 12, d1)
        else:
            start = _date(yy[0], mo, d1)
        if start is not None:
            span = _range(start, end)
    elif kind in ("X", "Y"):
        m1, m2 = _month_value(lang, gd.get(f"{kind}m1")), _month_value(lang, gd.get(f"{kind}m2"))
        d1, d2 = _day_value(lang, gd.get(f"{kind}d1")), _day_value(lang, gd.get(f"{kind}d2"))
        if m1 is None or m2 is None or d1 is None or d2 is None:
            return []
        y1, y2 = gd.get(f"{kind}1y"), gd.get(f"{kind}y")
        if y1:
            ys, ye, used_pub = int(y1), int(y2) if y2 else int(y1) + (m2 < m1), False
        else:
            yy = _year_for(lang, gd, kind, m2, d2, pub)
            if yy is None:
                return []
            ye, used_pub = yy
            ys = ye - (m1 > m2)
        start, end = _date(ys, m1, d1), _date(ye, m2, d2)
        if start is not None and end is not None and start < end <= start + dt.timedelta(MAX_RANGE_DAYS):
            span = (start, end)
        else:  # not a plausible range: two separate dates
            out: list[_Found] = []
            first_end = max(m.end(g) for g in (f"{kind}d1", f"{kind}m1", f"{kind}1y") if gd.get(g))
            second_start = min(m.start(g) for g in (f"{kind}d2", f"{kind}m2"))
            if start is not None:
                out.append((s, first_end, _iso(start), None, used_pub))
            if end is not None:
                out.append((second_start, e, _iso(end), None, used_pub))
            return out
    elif kind == "M":
        mo = _month_value(lang, gd.get("Mm"))
        yy = None if mo is None else _year_for(lang, gd, "M", mo, None, pub)
        if mo is None or yy is None or not MIN_YEAR <= yy[0] <= MAX_YEAR:
            return []
        return [(s, e, f"{yy[0]:04d}-{mo:02d}", None, yy[1])]
    elif kind == "B" and pub is not None:
        mo = _month_value(lang, gd.get("Bm"))
        if mo is None or not _bare_month_ahead(lang, norm, s, e):
            return []
        return [(s, e, f"{pub.year + (mo < pub.month):04d}-{mo:02d}", None, True)]
    elif kind == "C" and pub is not None:  # "15 الجاري", "14 و15 من الشهر الجاري": the publication month
        d1, d2 = _day_value(lang, gd.get("Cd1")), _day_value(lang, gd.get("Cd"))
        day_to = None if d2 is None else _date(pub.year, pub.month, d2)
        day_from = None if d1 is None else _date(pub.year, pub.month, d1)
        if day_to is not None:
            span = _range(day_from, day_to) if day_from is not None and day_from < day_to else (day_to, None)
            used_pub = True
    elif kind == "REL" and pub is not None:
        rel = {"ar": _AR_REL, "en": _EN_REL, "ru": _RU_REL}[lang]
        offset = rel.get(" ".join((gd.get("RELw") or "").split()))
        if offset is not None:
            span, used_pub = (pub + dt.timedelta(days=offset), None), True
    elif kind == "WD" and pub is not None:
        span, used_pub = _resolve_weekday(lang, norm, m, gd, pub, mod_text), True
    elif kind == "H":
        span = _hijri_span(gd)
    if span is not None and pub is not None and used_pub and kind in _DAY_MONTH and _nearest_year(gd, kind):
        span = _ahead(lang, norm, m, span, pub)
    if span is None or not MIN_YEAR <= span[0].year <= MAX_YEAR:
        return []
    end_iso = _iso(span[1]) if span[1] is not None and span[1].year <= MAX_YEAR else None
    return [(s, e, _iso(span[0]), end_iso, used_pub)]


_DAY_MONTH = frozenset(("S", "W", "T", "R", "Q", "X", "Y"))  # a day and a month, the year optional


def find_dates(
    norm: str, lang: str, published: dt.date | None, year_hint: dt.date | None = None
) -> list[DateMention]:
    """Every date mention of `norm` (a `handlers.text.normalise` output) for `lang` in ar/en/ru, in order.

    `published` (the article's date) resolves relative days, weekdays and missing years; without it
    those mentions are dropped, except a day and month with no year when `year_hint` (a reference day
    for the year alone: the year and month of the article's URL, `fields.year_hint`) stands in: the year
    that puts the day nearest to it (marked `relative`); with no hint either, the one year written in the
    same sentence ("CHOGM 2013 opened on Nov 15", marked `relative`). Other languages give [].
    """
    pats = _patterns(lang)
    if pats is None or not norm:
        return []
    anchor, full = pats
    out: list[DateMention] = []
    hijri: set[int] = set()  # indices in `out` of dates converted from the Hijri calendar
    consumed = 0
    for a in anchor.finditer(" " + norm):
        if len(out) >= MAX_DATES:  # the first ones in text order (see handlers.limits)
            break
        pos = a.start("a") - 1
        if pos < consumed:
            continue
        m = full.match(norm, pos)
        if m is None:
            continue
        consumed = m.end()
        mod_text: str | None = None
        pre = _WD_BEFORE.get(lang) if m.lastgroup == "WD" else None
        pre_m = pre.search(norm, max(0, pos - 24), pos) if pre else None
        if pre_m:
            mod_text = pre_m.group("mod")
        ref = _written_reference(norm, out, hijri, pos, published) if m.lastgroup == "REL" else None
        found = _resolve(lang, norm, m, ref or published, mod_text)
        if ref is not None and not _weekday_agrees(lang, m, found):
            found = _resolve(lang, norm, m, published, mod_text)
        if not _weekday_agrees(lang, m, found):
            found = _to_named_weekday(lang, m, found)
        if not found and published is None and year_hint is not None and m.lastgroup in _DAY_MONTH:
            found = [(*f[:4], True) for f in _resolve(lang, norm, m, year_hint, mod_text)]
        if not found and published is None and year_hint is None and m.lastgroup in _DAY_MONTH:
            year = _sentence_year(norm, m.start(), m.end())
            if year is not None:
                found = [_in_year(f, year, m) for f in _resolve(lang, norm, m, dt.date(year, 7, 1), mod_text)]
        for start, end, sd, ed, rel in found:
            if pre_m and start == pos:
                start = pre_m.start("mod")
            if lang == "ar" and start == pos and norm[start] in "وفبل":
                # a clitic ("ومايو 2024", "ب17/5/2025") when the rest matches alone; "فبراير" keeps its ف
                bare = full.match(norm, start + 1)
                if bare is not None and bare.end() == m.end():
                    start += 1
            while end > start and norm[end - 1] in " \t(,":
                end -= 1
            if m.lastgroup == "H" or (
                m.lastgroup == "N" and lang == "ar" and _HIJRI_MARK.match(norm, m.end())
            ):
                hijri.add(len(out))
            out.append(DateMention(start, end, sd, ed, rel))
    return _align_hijri(norm, out, hijri) if hijri else out


# how far before a relative day ("غدا", "today", "сегодня") a full date written in the same sentence
# stands in for the publication day of an undated article ("arrived on Friday 28 March 2008 ... opens
# tomorrow"), and how close after a dateline's own full date the word must stand when the article has a
# publication day ("Addis Ababa, 17 February 2023 (today) ...": the dateline's day, not the stamp's)
_REFERENCE_REACH = 160
_DATELINE_REACH = 12
_PUNCT_ONLY = re.compile(r"[\s()\[\],\-/|:]*$")


def _written_reference(
    norm: str, out: list[DateMention], hijri: set[int], pos: int, published: dt.date | None
) -> dt.date | None:
    """The full date (day, month and year, read without help) that a relative day at `pos` counts from."""
    for i in range(len(out) - 1, -1, -1):
        mention = out[i]
        if pos - mention.end > _REFERENCE_REACH:
            return None
        if mention.relative or i in hijri or len(mention.start_date) != 10 or mention.end_date is not None:
            continue
        gap = norm[mention.end : pos]
        if _SENTENCE_END.search(gap):
            return None
        if published is not None:
            line = norm.rfind("\n", 0, mention.start) + 1
            head = norm[line : mention.start]
            if (
                len(gap) > _DATELINE_REACH
                or not _PUNCT_ONLY.match(gap)
                or len(head) > 40
                or _SENTENCE_END.search(head)
            ):
                return None
        return dt.date.fromisoformat(mention.start_date)
    return None


_YEAR_WORD = re.compile(r"(?<![\d/.\-:])(?:199\d|20\d\d)(?![\d/.\-:])")


def _sentence_year(norm: str, start: int, end: int) -> int | None:
    """The one year (1990..2099) written in the sentence of [start, end), else None."""
    cut = [mm.end() for mm in _SENTENCE_END.finditer(norm, max(0, start - 200), start)]
    lo = cut[-1] if cut else max(0, start - 200)
    hi_m = _SENTENCE_END.search(norm, end, min(len(norm), end + 200))
    hi = hi_m.start() if hi_m else min(len(norm), end + 200)
    years = {int(y.group()) for y in _YEAR_WORD.finditer(norm, lo, hi)}
    return years.pop() if len(years) == 1 else None


def _in_year(f: _Found, year: int, m: re.Match[str]) -> _Found:
    """A day and month read with the sentence's year as the reference: in that very year, unless a
    modifier ("المقبل", "next year") placed it."""
    kind = m.lastgroup or ""
    if not _nearest_year(m.groupdict(), kind) or f[2][:4] == str(year):
        return (*f[:4], True)
    shift = year - int(f[2][:4])
    first = _date(year, int(f[2][5:7]), int(f[2][8:10]))
    last = None if f[3] is None else _date(int(f[3][:4]) + shift, int(f[3][5:7]), int(f[3][8:10]))
    if first is None or (f[3] is not None and last is None):
        return (*f[:4], True)
    return (f[0], f[1], _iso(first), None if last is None else _iso(last), True)


def _weekday_agrees(lang: str, m: re.Match[str], found: list[_Found]) -> bool:
    """Whether a weekday written with the relative day ("غدا السبت") is the day it resolved to."""
    named = calendar_table("weekdays", lang).get(m.group("RELwd") or "")
    return named is None or (len(found) == 1 and dt.date.fromisoformat(found[0][2]).weekday() == named)


def _to_named_weekday(lang: str, m: re.Match[str], found: list[_Found]) -> list[_Found]:
    """ "today (Sunday)" in an article dated Monday: the weekday the text names, when it is the day before
    or after the one the relative word resolved to (a report filed the evening before it was dated)."""
    named = calendar_table("weekdays", lang).get(m.group("RELwd") or "")
    if named is None or len(found) != 1:
        return found
    start, end, day, last, relative = found[0]
    resolved = dt.date.fromisoformat(day)
    for shift in (-1, 1):
        if (resolved + dt.timedelta(days=shift)).weekday() == named:
            return [(start, end, _shift(day, shift), last, relative)]
    return found


# "22 / 7 / 1436 ه الموافق 11 / 5 / 2015 م": the Gregorian day written next to a Hijri one
# (or before it: "الثلاثاء 16 ابريل 2024 م | 7 شوال 1445 ه")
_EQUIVALENT = re.compile(
    r"\s?(?:ه|هجري|هجريه|م|ميلادي|ميلاديه)?(?!\w)[\s,\-|()/]*"
    r"(?:(?:و|)(?:الموافق|الموافقه|الموافقين|يوافق)(?!\w)[\s,\-|()/]*)?$"
)


def _shift(day: str, days: int) -> str:
    return _iso(dt.date.fromisoformat(day) + dt.timedelta(days=days))


def _align_hijri(norm: str, out: list[DateMention], hijri: set[int]) -> list[DateMention]:
    """A Hijri date with its Gregorian equivalent written right after it is dropped (the text's own
    conversion wins), and the difference the pair shows (the local calendar against the tabular one, a day
    or two) moves the article's other Hijri dates too."""
    offsets: list[int] = []
    drop: set[int] = set()
    for i in sorted(hijri):
        if len(out[i].start_date) != 10:
            continue
        for j in (i + 1, i - 1):  # the Gregorian day written right after it, else right before it
            if not 0 <= j < len(out) or j in hijri or len(out[j].start_date) != 10:
                continue
            first, second = (out[i], out[j]) if j > i else (out[j], out[i])
            if not _EQUIVALENT.match(norm[first.end : second.start]):
                continue
            diff = (dt.date.fromisoformat(out[j].start_date) - dt.date.fromisoformat(out[i].start_date)).days
            if abs(diff) <= 2:
                offsets.append(diff)
                drop.add(i)
                break
    shift = offsets[0] if offsets and len(set(offsets)) == 1 else 0
    kept: list[DateMention] = []
    for i, mention in enumerate(out):
        if i in drop:
            continue
        if i in hijri and shift:
            end = None if mention.end_date is None else _shift(mention.end_date, shift)
            mention = DateMention(
                mention.start, mention.end, _shift(mention.start_date, shift), end, mention.relative
            )
        kept.append(mention)
    return kept
