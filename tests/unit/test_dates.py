"""handlers.dates: news-style sentences (written for these tests), passed through normalise() first."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.dates import DateMention, find_dates
from handlers.text import normalise

Row = tuple[str, str, str | None, bool]


def found(text: str, lang: str, published: dt.date | None = None) -> list[Row]:
    norm = normalise(text)
    return [
        (norm[d.start : d.end], d.start_date, d.end_date, d.relative)
        for d in find_dates(norm, lang, published)
    ]


def values(text: str, lang: str, published: dt.date | None = None) -> list[tuple[str, str | None]]:
    return [(sd, ed) for _, sd, ed, _ in found(text, lang, published)]


THU = dt.date(2022, 7, 21)  # a Thursday
FRI = dt.date(2024, 8, 9)  # a Friday


# ----------------------------------------------------------------------------- Arabic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أعلنت الأمانة العامة أن القمة ستعقد في المنامة يوم 16 مايو 2024.", [("2024-05-16", None)]),
        ("وتعقد القمة في 9 أغسطس 2024 بالعاصمة أستانا", [("2024-08-09", None)]),
        ("التقى القادة في 14 مايو/أيار 2024 على هامش القمة", [("2024-05-14", None)]),
        ("انعقدت الدورة في 20 ديسمبر (كانون الأول) 2013 بالكويت", [("2013-12-20", None)]),
        ("تنعقد القمة في 22 أكتوبر/تشرين الأول 2024 في قازان", [("2024-10-22", None)]),
        ("اختتمت القمة أعمالها في 15 أيلول 2025 بالدوحة", [("2025-09-15", None)]),
        ("وصل الرئيس في 9 كانون الثاني 2025 إلى بغداد", [("2025-01-09", None)]),
        ("وأكد البيان الصادر يوم 12 جوان 2024 بالجزائر", [("2024-06-12", None)]),
        ("شارك الوفد في أشغال الدورة في أفريل 2023", [("2023-04", None)]),
        ("الاجتماع المقبل في جويلية 2025 بتونس", [("2025-07", None)]),
        ("وكانت القمة السابقة قد عقدت بمايو 2023 في جدة", [("2023-05", None)]),
        ("وجرى التوقيع في 17 من شهر مايو 2025 بمقر الجامعة", [("2025-05-17", None)]),
        ("تعقد القمة الأول من يونيو 2025 في بغداد", [("2025-06-01", None)]),
        ("في أغسطس 2024 استضافت أستانا الاجتماع", [("2024-08", None)]),
        ("وصدر البيان في 9 أغسطس 2024م", [("2024-08-09", None)]),
    ],
)
def test_arabic_explicit_dates(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert values(text, "ar") == expected


@pytest.mark.parametrize(
    "text",
    [
        "نشر الخبر بتاريخ 17/5/2025",
        "نشر الخبر بتاريخ 17-5-2025",
        "نشر الخبر بتاريخ 17.05.2025",
        "نشر الخبر بتاريخ ١٧/٥/٢٠٢٥",
    ],
)
def test_arabic_numeric_day_first(text: str) -> None:
    assert values(text, "ar") == [("2025-05-17", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("تحتضن الجزائر يومي الفاتح والثاني من نوفمبر 2022 القمة", ("2022-11-01", "2022-11-02")),
        ("انطلقت القمة في الفاتح من نوفمبر 2022", ("2022-11-01", None)),
        ("انعقدت القمة في الثاني من نوفمبر 2022", ("2022-11-02", None)),
    ],
)
def test_arabic_day_words(text: str, expected: tuple[str, str | None]) -> None:
    assert values(text, "ar") == [expected]


def test_arabic_numeric_year_first_and_several() -> None:
    assert values("صدر في 2024/5/14 ونشر في 2024-05-15", "ar") == [("2024-05-14", None), ("2024-05-15", None)]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("تستضيف الرياض القمة يومي 16 و17 نوفمبر 2024", "2024-11-16", "2024-11-17"),
        ("تعقد القمة 4-5 مايو 2025 في بغداد", "2025-05-04", "2025-05-05"),
        ("تعقد القمة من 4 إلى 5 مايو 2025 في بغداد", "2025-05-04", "2025-05-05"),
        ("تعقد القمة بين 4 و 5 مايو 2025 في بغداد", "2025-05-04", "2025-05-05"),
        ("تعقد القمة يومي 22 و24 أكتوبر 2024", "2024-10-22", "2024-10-24"),
        ("في الفترة من 30 نوفمبر إلى 2 ديسمبر 2024", "2024-11-30", "2024-12-02"),
        ("تعقد القمة (4-5 مايو 2024) في بانجول", "2024-05-04", "2024-05-05"),
    ],
)
def test_arabic_ranges(text: str, start: str, end: str) -> None:
    assert values(text, "ar") == [(start, end)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Syriac names without the article, Moroccan spellings
        ("عقدت يوم الجمعة 9 كانون اول / ديسمبر 2022 أعمال القمة", [("2022-12-09", None)]),
        ("انعقد الاجتماع في 3 تشرين ثاني 2021", [("2021-11-03", None)]),
        ("تلتئم القمة (29-30 نونبر 2017) في أبيدجان", [("2017-11-29", "2017-11-30")]),
        ("انعقدت الدورة في 12 شتنبر 2019 بالرباط", [("2019-09-12", None)]),
        ("تعقد القمة يوم 5 دجنبر 2018", [("2018-12-05", None)]),
        # numeric dates with spaces around the separators, and numeric ranges
        ("غادر اليوم الاثنين 23 / 3 / 1447هـ الموافق 15 / 9 / 2025م إلى الدوحة", [("2025-09-15", None)]),
        ("خلال المدة 24 - 1447/3/25 الموافق 30 - 2021/10/31 في روما", [("2021-10-30", "2021-10-31")]),
        ("تعقد القمة من 29-30/11/2017 في أبيدجان", [("2017-11-29", "2017-11-30")]),
        ("في الفترة 30 - 2/12/2024 بالرياض", [("2024-11-30", "2024-12-02")]),
    ],
)
def test_arabic_written_forms_of_other_regions(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert values(text, "ar") == expected


def test_spaced_numeric_dates_only_in_arabic() -> None:
    assert values("on 15 / 9 / 2025 the leaders", "en") == []
    assert values("on 30-31.10.2021 the leaders", "ru") == [("2021-10-30", "2021-10-31")]


def test_arabic_two_dates_joined_by_wa_are_not_a_range() -> None:
    assert values("عقدت القمة في 14 مايو 2024 و20 ديسمبر 2024", "ar") == [
        ("2024-05-14", None),
        ("2024-12-20", None),
    ]


def test_arabic_day_in_words_without_year_takes_nearest_year() -> None:
    assert found("انطلقت الأعمال في السابع عشر من مايو", "ar", dt.date(2025, 5, 20)) == [
        ("السابع عشر من مايو", "2025-05-17", None, True)
    ]
    # published late December, the date early January: the next year is nearer
    assert values("تعقد القمة في 3 يناير", "ar", dt.date(2024, 12, 28)) == [("2025-01-03", None)]


def test_arabic_day_month_without_year_or_publication_gives_nothing() -> None:
    assert values("تعقد القمة يومي 16 و17 نوفمبر في الرياض", "ar", None) == []
    assert values("تعقد القمة الخميس 17 نوفمبر", "ar", None) == []


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("وتعقد القمة في 9 أغسطس الجاري", dt.date(2024, 8, 5), ("2024-08-09", None)),
        ("وكانت القمة قد عقدت في 9 أغسطس الماضي", dt.date(2024, 9, 5), ("2024-08-09", None)),
        ("وكانت القمة قد عقدت في 9 أغسطس الماضي", dt.date(2024, 3, 5), ("2023-08-09", None)),
        ("تعقد القمة في نوفمبر المقبل", dt.date(2024, 3, 5), ("2024-11", None)),
        ("عقدت القمة في مارس الماضي", dt.date(2024, 1, 10), ("2023-03", None)),
        ("عقدت القمة في أغسطس من العام الماضي", dt.date(2025, 2, 1), ("2024-08", None)),
        ("تعقد القمة في 16 و17 نوفمبر من العام المقبل", dt.date(2025, 2, 1), ("2026-11-16", "2026-11-17")),
    ],
)
def test_arabic_year_from_publication(
    text: str, published: dt.date, expected: tuple[str, str | None]
) -> None:
    got = found(text, "ar", published)
    assert [(sd, ed) for _, sd, ed, _ in got] == [expected]
    assert all(rel for *_, rel in got)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("تنطلق اليوم الخميس أعمال القمة في طشقند", "2022-07-21"),
        ("وتنطلق غدًا أعمال القمة", "2022-07-22"),
        ("ووصل الرئيس أمس إلى طشقند", "2022-07-20"),
        ("ووصل الرئيس بالأمس إلى طشقند", "2022-07-20"),
        ("ويلتقي القادة بعد غد", "2022-07-23"),
        ("وتعقد القمة الخميس المقبل", "2022-07-28"),
        ("وكانت القمة قد عقدت الخميس الماضي", "2022-07-14"),
        ("وكان الرئيس قد وصل الثلاثاء إلى طشقند", "2022-07-19"),  # tense unknown/past -> before
        ("ومن المقرر أن تعقد القمة السبت في طشقند", "2022-07-23"),  # future marker -> after
        ("وتستضيف طشقند يوم الأحد اجتماعا للوزراء", "2022-07-24"),  # present tense = future
        ("انعقد الاجتماع يوم الخميس", "2022-07-21"),  # the publication weekday itself
    ],
)
def test_arabic_relative_days_and_weekdays(text: str, expected: str) -> None:
    got = found(text, "ar", THU)
    assert [(sd, ed, rel) for _, sd, ed, rel in got] == [(expected, None, True)]


def test_arabic_relative_without_publication_gives_nothing() -> None:
    assert values("تنطلق اليوم الخميس أعمال القمة وتختتم غدا الجمعة", "ar", None) == []


def test_arabic_weekday_pair_is_a_range() -> None:
    # published Wednesday 2023-05-17: "Thursday and Friday next"
    assert values("تعقد القمة يومي الخميس والجمعة المقبلين في شيآن", "ar", dt.date(2023, 5, 17)) == [
        ("2023-05-18", "2023-05-19")
    ]


def test_arabic_today_with_explicit_date_is_one_explicit_mention() -> None:
    assert found("انطلقت اليوم الخميس 21 يوليو 2022 أعمال القمة", "ar", THU) == [
        ("اليوم الخميس 21 يوليو 2022", "2022-07-21", None, False)
    ]


def test_arabic_hijri_with_its_gregorian_equivalent_gives_the_gregorian_one() -> None:
    text = "بانجول 24 شوال 1445 هـ الموافق 03 مايو 2024 م (واس) انطلقت أعمال القمة"
    assert values(text, "ar", dt.date(2024, 5, 3)) == [("2024-05-03", None)]
    text = "الثلاثاء 16 أبريل 2024 م | 7 شوال 1445 هـ"  # a page's date bar, Gregorian first
    assert values(text, "ar", None) == [("2024-04-16", None)]


def test_arabic_hijri_day_month_year_is_converted() -> None:
    assert values("وذلك في 15 رمضان 1446 هـ", "ar", dt.date(2025, 3, 15)) == [("2025-03-15", None)]
    assert values("الموافق 1 محرم 1446 هجري", "ar", None) == [("2024-07-08", None)]  # Umm al-Qura: the 7th
    assert values("تعقد القمة يومي 28 و29 صفر 1427هـ", "ar", None) == [("2006-03-29", "2006-03-30")]
    assert values("يعقد الاجتماع يومي 24 - 25 / 7 / 1436هـ في العاصمة", "ar", None) == [
        ("2015-05-13", "2015-05-14")
    ]


def test_arabic_hijri_pair_in_the_text_corrects_the_other_hijri_dates() -> None:
    # the text's own conversion (the 22nd = the 11th) moves the tabular reading of the 24th by a day
    text = "غادر الوفد يوم 22 / 7 / 1436هـ الموافق 11 / 5 / 2015م لحضور القمة التي تعقد يوم 25 / 7 / 1436هـ"
    assert values(text, "ar", None) == [("2015-05-11", None), ("2015-05-14", None)]


def test_arabic_hijri_without_day_or_year_is_skipped_and_its_numbers_unused() -> None:
    assert values("تعقد القمة في رمضان 1446 هجري", "ar", dt.date(2025, 1, 15)) == []
    assert values("صدر في 10 ذو القعدة", "ar", dt.date(2024, 5, 18)) == []


def test_arabic_day_of_the_current_month() -> None:
    pub = dt.date(2016, 4, 10)
    assert values("تعقد القمة يومي 14 و15 من الشهر الجاري في المدينة", "ar", pub) == [
        ("2016-04-14", "2016-04-15")
    ]
    assert values("يصل الوفد يوم 20 الجاري إلى العاصمة", "ar", pub) == [("2016-04-20", None)]
    assert values("يصل الوفد يوم 20 الجاري إلى العاصمة", "ar", None) == []


def test_english_and_russian_day_of_this_month() -> None:
    pub = dt.date(2016, 4, 10)
    assert values("The leaders will meet on the 14th and 15th of this month.", "en", pub) == [
        ("2016-04-14", "2016-04-15")
    ]
    assert values("Встреча пройдет 14-15 текущего месяца в столице.", "ru", pub) == [
        ("2016-04-14", "2016-04-15")
    ]


def test_relative_day_counts_from_a_full_date_of_the_same_sentence_when_undated() -> None:
    text = "وصل القادة يوم الجمعة 12 مايو 2023 إلى العاصمة للمشاركة في القمة التي تفتتح غدا السبت"
    assert values(text, "ar", None) == [("2023-05-12", None), ("2023-05-13", None)]
    # a weekday that disagrees: no reading
    text = "They arrived on 12 May 2023 for the summit that opens tomorrow, Monday."
    assert values(text, "en", None) == [("2023-05-12", None)]


def test_relative_day_right_after_a_dateline_counts_from_its_date() -> None:
    text = "القاهرة 17 مايو 2024 (اليوم) اجتمع القادة"
    assert values(text, "ar", dt.date(2024, 5, 18)) == [("2024-05-17", None), ("2024-05-17", None)]
    text = "Leaders met on 5 May 2024 and today they left."  # not a dateline: the publication day
    assert values(text, "en", dt.date(2024, 5, 9)) == [("2024-05-05", None), ("2024-05-09", None)]


@pytest.mark.parametrize(
    "text",
    [
        "في اليوم الأول من القمة بحث القادة الأمن",  # "the first day", not today
        "في مثل هذا اليوم من عام 2015",
        "وقد مارس الضغوط على الوفود",  # مارس = "exerted", not March
        "انعقدت القمة في مايو",  # a month alone: no year, no modifier, no future verb
        "في 31 فبراير 2024",  # no such day
        "في 5 مايو 1985",  # year out of 1990..2100
        "ارتفع المؤشر إلى 2024 نقطة",
        "بلغت الحصيلة 17/35",
    ],
)
def test_arabic_traps(text: str) -> None:
    assert values(text, "ar", FRI) == []


def test_arabic_mentions_of_other_events_are_all_returned() -> None:
    text = "بعد قمة 11 نوفمبر 2023 في الرياض، تعقد القمة الجديدة اليوم الاثنين"
    got = values(text, "ar", dt.date(2024, 11, 11))
    assert got == [("2023-11-11", None), ("2024-11-11", None)]


# ----------------------------------------------------------------------------- English


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The summit will be held on 9 August 2024 in Astana.", [("2024-08-09", None)]),
        ("ASTANA, August 9, 2024 - Leaders gathered for the meeting.", [("2024-08-09", None)]),
        ("Mon. Oct 28th, 2024", [("2024-10-28", None)]),
        ("Leaders met on August 9-10, 2024 in Astana.", [("2024-08-09", "2024-08-10")]),
        ("The summit ran from 30 November to 2 December 2024.", [("2024-11-30", "2024-12-02")]),
        ("The meeting was rescheduled to May 2024.", [("2024-05", None)]),
        ("Posted 2024-08-09 by the press office", [("2024-08-09", None)]),
        ("Posted 25/09/2024", [("2024-09-25", None)]),
        ("Friday, 9 August 2024: leaders arrive", [("2024-08-09", None)]),
    ],
)
def test_english_explicit(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert values(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BEIJING, Aug. 9 (Xinhua) -- The summit opened.", ("2024-08-09", None)),
        ("The two-day summit on 9-10 August drew five presidents.", ("2024-08-09", "2024-08-10")),
        ("Leaders signed the declaration on the 9th of August.", ("2024-08-09", None)),
        ("The summit opened today in Astana.", ("2024-08-09", None)),
        ("Leaders will sign the declaration tomorrow.", ("2024-08-10", None)),
        ("The presidents arrived yesterday.", ("2024-08-08", None)),
        ("The leaders met on Wednesday.", ("2024-08-07", None)),
        ("The leaders will meet on Tuesday.", ("2024-08-13", None)),
        ("Ministers met last Tuesday.", ("2024-08-06", None)),
        ("The summit opens next Tuesday.", ("2024-08-13", None)),
        ("It was held from Thursday to Friday.", ("2024-08-08", "2024-08-09")),
        # a past verb right before the weekday wins over "to open" later in the sentence
        ("Leaders agreed on Thursday to open talks.", ("2024-08-08", None)),
        ("Leaders agreed unanimously on Thursday to open talks.", ("2024-08-08", None)),
        ("Leaders are scheduled on Tuesday to open talks.", ("2024-08-13", None)),
        # a meeting verb in the present tense before the weekday: what is to come
        ("Southeast Asian leaders gather on Wednesday in this town.", ("2024-08-14", None)),
        ("The summit opens in Astana on Monday.", ("2024-08-12", None)),
        # a passive after "be" is no past verb: "will be held on Saturday" looks ahead
        ("The summit will be held on Saturday in Astana.", ("2024-08-10", None)),
    ],
)
def test_english_relative(text: str, expected: tuple[str, str | None]) -> None:
    got = found(text, "en", FRI)
    assert [(sd, ed) for _, sd, ed, _ in got] == [expected]
    assert all(rel for *_, rel in got)


@pytest.mark.parametrize(
    "text",
    [
        "The summit is next week.",
        "Posted 05/09/2024",  # US or European order? ambiguous
        "Leaders may meet again.",
        "It takes place in March.",
        "The 2024 summit",
    ],
)
def test_english_traps(text: str) -> None:
    assert values(text, "en", FRI) == []


# ----------------------------------------------------------------------------- Russian


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Саммит состоится 9 августа 2024 года в Астане.", [("2024-08-09", None)]),
        ("Встреча прошла 1 — 2 ноября 2019 года в Ташкенте.", [("2019-11-01", "2019-11-02")]),
        ("Опубликовано 16.07.21", [("2021-07-16", None)]),
        ("Саммит пройдет в августе 2024 года.", [("2024-08", None)]),
        ("Алма-Ата, 17 Июня 2006 г. Открылся саммит.", [("2006-06-17", None)]),
        ("Встреча состоялась 29-го ноября 2024 года.", [("2024-11-29", None)]),
    ],
)
def test_russian_explicit(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert values(text, "ru") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ТАШКЕНТ, 14 ноября. /УзА/. Открылась встреча глав государств.", ("2024-11-14", None)),
        ("СОЧИ, 22 ноя — РИА Новости. Президенты провели саммит.", ("2024-11-22", None)),
        ("Саммит пройдет 15-16 ноября в Самарканде.", ("2024-11-15", "2024-11-16")),
        ("Саммит пройдет с 15 по 16 ноября в Самарканде.", ("2024-11-15", "2024-11-16")),
        ("Лидеры встретились в воскресенье.", ("2024-08-04", None)),
        ("Саммит пройдет в среду.", ("2024-08-14", None)),
        ("Саммит открылся сегодня.", ("2024-08-09", None)),
        ("Документы подпишут завтра.", ("2024-08-10", None)),
        ("Президент прибыл вчера.", ("2024-08-08", None)),
        ("Министры встретились в прошлый четверг.", ("2024-08-08", None)),
        ("Саммит пройдет в августе этого года.", ("2024-08", None)),
        ("Саммит прошел в мае прошлого года.", ("2023-05", None)),
    ],
)
def test_russian_relative(text: str, expected: tuple[str, str | None]) -> None:
    got = found(text, "ru", FRI)
    assert [(sd, ed) for _, sd, ed, _ in got] == [expected]
    assert all(rel for *_, rel in got)


@pytest.mark.parametrize(
    "text",
    [
        "Охрана окружающей среды и окружающая среда",
        "в 2024 году",
        "в августе",
        "90-х годов",
        "31 февраля 2024 года",
    ],
)
def test_russian_traps(text: str) -> None:
    assert values(text, "ru", FRI) == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # the nearest year would put the day months before publication: what is to come lies ahead
        ("Саммит пройдет 16-17 марта в Астане.", "ru", ("2025-03-16", "2025-03-17")),
        ("The leaders will meet on 5 March in Cairo.", "en", ("2025-03-05", None)),
        ("ستعقد القمة يوم 5 مارس في القاهرة.", "ar", ("2025-03-05", None)),
        # a past verb right before the day, or no future word: the nearest year
        ("The summit held on 5 March will be remembered.", "en", ("2024-03-05", None)),
        ("The leaders met on 5 March in Cairo.", "en", ("2024-03-05", None)),
        # within a month before publication: the nearest year still
        ("The summit, opened on 20 July, will close soon.", "en", ("2024-07-20", None)),
    ],
)
def test_future_day_without_year_lies_ahead(text: str, lang: str, expected: tuple[str, str | None]) -> None:
    assert values(text, lang, FRI) == [expected]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Leaders will gather in London in December.", "en", "2024-12"),
        ("The next summit is expected to take place in March.", "en", "2025-03"),
        ("Саммит состоится в октябре в Куала-Лумпуре.", "ru", "2024-10"),
        ("ستعقد القمة المقبلة في ديسمبر.", "ar", "2024-12"),
    ],
)
def test_month_alone_after_in_with_a_future_verb(text: str, lang: str, expected: str) -> None:
    got = found(text, lang, FRI)
    assert [(sd, ed) for _, sd, ed, _ in got] == [(expected, None)]
    assert all(rel for *_, rel in got)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Leaders met in London in December.", "en"),
        ("Leaders will gather in London in December.", "fr"),
        ("The summit will be remembered for December's snow.", "en"),
    ],
)
def test_month_alone_without_in_or_future_verb_gives_nothing(text: str, lang: str) -> None:
    assert values(text, lang, FRI) == []
    assert values(text, lang) == []


def test_unknown_language_and_empty_text() -> None:
    assert find_dates(normalise("9 August 2024"), "fr", FRI) == []
    assert find_dates("", "ar", FRI) == []


# ----------------------------------------------------------------------------- properties

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")

_PIECES = [
    "9",
    "17",
    "31",
    "2024",
    "1445",
    "/",
    "-",
    ".",
    ",",
    " ",
    "(",
    ")",
    "و",
    "من",
    "الي",
    "مايو",
    "ايار",
    "كانون الثاني",
    "اغسطس",
    "الماضي",
    "الجاري",
    "المقبل",
    "العام",
    "اليوم",
    "غدا",
    "امس",
    "الخميس",
    "السابع عشر",
    "شوال",
    "ه",
    "august",
    "aug.",
    "may",
    "friday",
    "next",
    "last",
    "today",
    "to",
    "and",
    "августа",
    "в",
    "среду",
    "прошлый",
    "года",
    "сегодня",
    "по",
    "\n",
]


def _check(norm: str, mentions: list[DateMention]) -> None:
    for d in mentions:
        assert 0 <= d.start < d.end <= len(norm)
        if len(d.start_date) == 10:
            assert ISO_DAY.fullmatch(d.start_date)
            start = dt.date.fromisoformat(d.start_date)
            assert 1990 <= start.year <= 2100
        else:
            mm = ISO_MONTH.fullmatch(d.start_date)
            assert mm is not None
            assert 1990 <= int(mm.group(1)) <= 2100
            assert 1 <= int(mm.group(2)) <= 12
            assert d.end_date is None
        if d.end_date is not None:
            assert dt.date.fromisoformat(d.end_date) > dt.date.fromisoformat(d.start_date)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(),
    lang=st.sampled_from(["ar", "en", "ru", "xx"]),
    published=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
)
def test_never_raises_on_any_unicode(text: str, lang: str, published: dt.date | None) -> None:
    for norm in (text, normalise(text)):
        _check(norm, find_dates(norm, lang, published))


@settings(max_examples=400, deadline=None)
@given(
    parts=st.lists(st.sampled_from(_PIECES), max_size=14),
    lang=st.sampled_from(["ar", "en", "ru"]),
    published=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
)
def test_spans_and_dates_valid_on_date_like_input(
    parts: list[str], lang: str, published: dt.date | None
) -> None:
    norm = normalise(" ".join(parts))
    mentions = find_dates(norm, lang, published)
    _check(norm, mentions)
    assert [d.start for d in mentions] == sorted(d.start for d in mentions)


def test_implausible_ranges_become_two_dates() -> None:
    assert values("from 1 January 2024 to 30 December 2024", "en") == [
        ("2024-01-01", None),
        ("2024-12-30", None),
    ]
    assert values("من 1 يناير 2024 حتى 30 ديسمبر 2024", "ar") == [("2024-01-01", None), ("2024-12-30", None)]
    assert values("August 30 - September 2, 2024", "en") == [("2024-08-30", "2024-09-02")]


@pytest.mark.parametrize("lang", ["ar", "en", "ru"])
def test_long_blank_runs_stay_linear(lang: str) -> None:
    import time

    text = normalise("9 مايو 9 august 9 августа الخميس friday" + " " * 20000 + "x")
    find_dates(text, lang, FRI)  # compile
    started = time.perf_counter()
    find_dates(text, lang, FRI)
    assert time.perf_counter() - started < 1.0


# ----------------------------------------------------------------------------- a year hint, no date line


def test_a_day_without_a_year_takes_the_hints_year_only_when_there_is_no_publication_date() -> None:
    norm = normalise("The summit opened in Samarkand on 15 September with eight leaders.")
    assert find_dates(norm, "en", None) == []
    hinted = find_dates(norm, "en", None, year_hint=dt.date(2022, 9, 15))
    assert [(d.start_date, d.relative) for d in hinted] == [("2022-09-15", True)]
    # a publication date wins over the hint
    assert [d.start_date for d in find_dates(norm, "en", THU, year_hint=dt.date(2019, 1, 15))] == [
        "2022-09-15"
    ]


def test_the_hint_picks_the_year_nearest_to_it_across_new_year() -> None:
    norm = normalise("انعقدت القمة يوم 30 ديسمبر في الرياض.")
    assert [d.start_date for d in find_dates(norm, "ar", None, year_hint=dt.date(2021, 1, 15))] == [
        "2020-12-30"
    ]


def test_the_hint_does_not_resolve_a_weekday_or_a_relative_day() -> None:
    norm = normalise("Лидеры встретятся в четверг, а саммит откроется завтра.")
    assert find_dates(norm, "ru", None, year_hint=dt.date(2022, 7, 15)) == []


def test_undated_day_and_month_take_the_one_year_of_their_sentence() -> None:
    text = "Colombo, Nov 15 - The 2013 meeting of the leaders opened on Friday."
    assert values(text, "en", None) == [("2013-11-15", None)]
    text = "ستعقد قمة عام 2021 يومي 30 و31 أكتوبر الجاري في المدينة"
    assert values(text, "ar", None) == [("2021-10-30", "2021-10-31")]
    text = "ستعقد قمة عام 2020 يومي 21 و22 نوفمبر المقبل"
    assert values(text, "ar", None) == [("2020-11-21", "2020-11-22")]
    # two years in the sentence, or a year only in another sentence: no reading
    assert values("The 2019 and 2020 meetings: on May 3 they met.", "en", None) == []
    assert values("The 2019 meeting was small. On May 3 they met.", "en", None) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("انطلقت أعمال القمة في العاصمة اليوم (الأحد) بمشاركة القادة.", "ar"),
        ("The leaders opened the summit in the capital today (Sunday).", "en"),
    ],
)
def test_today_with_a_weekday_of_the_day_before_is_that_weekday(text: str, lang: str) -> None:
    monday = dt.date(2024, 9, 23)  # a report filed on Sunday evening, dated Monday
    assert values(text, lang, monday) == [("2024-09-22", None)]
    assert values(text, lang, dt.date(2024, 9, 22)) == [("2024-09-22", None)]  # agrees: as written
    # a weekday two days off is no filing lag: the relative word stands as it resolved
    assert values(text, lang, dt.date(2024, 9, 24)) == [("2024-09-24", None)]
