"""handlers.ordinals: news-style sentences (written for these tests), passed through normalise() first."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.ordinals import OrdinalMention, find_ordinals, is_count_context, ordinal_after
from handlers.text import normalise


def found(text: str, lang: str) -> list[tuple[str, int]]:
    norm = normalise(text)
    return [(norm[o.start : o.end], o.value) for o in find_ordinals(norm, lang)]


def after(text: str, lang: str, noun: str, window: int = 40) -> int | None:
    norm = normalise(text)
    key = normalise(noun)
    pos = norm.index(key) + len(key)
    got = ordinal_after(norm, lang, pos, window)
    return got.value if got else None


def counted(text: str, lang: str) -> dict[int, bool]:
    norm = normalise(text)
    return {o.value: is_count_context(norm, o) for o in find_ordinals(norm, lang)}


# ----------------------------------------------------------------------------- Arabic


@pytest.mark.parametrize(
    ("text", "noun", "value"),
    [
        ("انطلقت في المنامة أعمال القمة العربية الثالثة والثلاثين بمشاركة القادة", "القمة", 33),
        ("انطلقت أعمال القمة العربية الثالثة والثلاثون في المنامة", "القمة", 33),
        ("اختتم الاجتماع التشاوري السابع لرؤساء دول آسيا الوسطى أعماله", "التشاوري", 7),
        ("تستضيف الكويت القمة الخليجية الخامسة والأربعين", "القمة", 45),
        ("القمة الحادية عشرة لمنظمة التعاون", "القمة", 11),
        ("الدورة الحادي عشر للمجلس", "الدورة", 11),
        ("القمة الثانية عشرة للمنظمة", "القمة", 12),
        ("أعمال الدورة العادية (34) لمجلس الجامعة على مستوى القمة", "الدورة", 34),
        ("تستضيف البحرين القمة العربية الـ33 في مايو", "القمة", 33),
        ("انطلاق القمة العربية ال (44) في الرياض", "القمة", 44),
        ("اختتمت القمة 15 لمنظمة التعاون الإسلامي أعمالها في بانجول", "القمة", 15),
        ("انعقاد الدورة 33 لمجلس الجامعة", "الدورة", 33),
        ("القمة الأولى بين دول الخليج وآسيا الوسطى", "القمة", 1),
        ("القمة العاشرة لمنظمة شنغهاي", "القمة", 10),
        ("القمة الحادية والعشرين للمنظمة", "القمة", 21),
        ("القمة الواحد والعشرين للمنظمة", "القمة", 21),
        ("القمة السادسة والأربعين لمجلس التعاون", "القمة", 46),
        ("الدورة التاسعة والتسعين للمجلس", "الدورة", 99),
    ],
)
def test_arabic_ordinal_after_summit_noun(text: str, noun: str, value: int) -> None:
    assert after(text, "ar", noun) == value


def test_arabic_words_both_genders_and_without_article() -> None:
    assert found("أول قمة، السابع والسابعة، الأول والأولى، ثاني اجتماع، العشرين، الثامنة عشرة", "ar") == [
        ("اول", 1),
        ("السابع", 7),
        ("السابعه", 7),
        ("الاول", 1),
        ("الاولي", 1),
        ("ثاني", 2),
        ("العشرين", 20),
        ("الثامنه عشره", 18),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "اجتمع قادة الدول الخمس",
        "بمشاركة خمس دول",
        "خمسة رؤساء وعشرين وزيرا",
        "قمة مجموعة العشرين في ريو",  # G20 is a name, not "the twentieth"
        "قمة مجموعة الثماني",
        "عقد الاجتماع في 9 كانون الثاني و1 تشرين الأول",  # month names, not ordinals
        "في عام 2024 بنسبة 15 بالمئة",
        "بمشاركة أحد عشر رئيسا",
    ],
)
def test_arabic_cardinals_names_and_years_are_not_ordinals(text: str) -> None:
    assert found(text, "ar") == []


def test_arabic_date_after_summit_noun_is_not_an_ordinal() -> None:
    assert after("تعقد القمة 15 مايو المقبل", "ar", "القمة") is None
    assert after("حضر القمة 20 زعيما", "ar", "القمة") is None


def test_arabic_number_after_the_summit_noun_and_its_adjective() -> None:
    # one adjective may stand between the meeting noun and its bare number
    assert [value for _, value in found("شارك الرئيس في أعمال القمة العربية 33 بالمنامة", "ar")] == [33]
    assert after("تعقد القمة الخليجية 15 مايو المقبل", "ar", "القمة") is None
    assert after("انعقاد القمة العربية 2024 في البحرين", "ar", "القمة") is None
    assert after("حضر القمة الأفريقية 20 زعيما", "ar", "القمة") is None


def test_arabic_anniversary_with_a_joined_preposition_is_not_the_summits_ordinal() -> None:
    assert (
        after("قمة مع قادة دول آسيا الوسطى احتفالا بالذكرى الثلاثين لإقامة العلاقات", "ar", "الوسطى") is None
    )


def test_arabic_ordinal_after_a_preposition_counts_another_noun() -> None:
    assert after("وتزامن انعقاد القمة مع دخول أول قافلة", "ar", "القمة") is None
    assert after("القمة العربية الثالثة والثلاثين", "ar", "القمة") is not None


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("فاز الفريق في الجولة السابعة من الدوري", 7, True),
        ("يعقد الاجتماع للمرة الثانية في الرياض", 2, True),
        ("حل المنتخب في المركز الثاني", 2, True),
        ("وقعت الدول العربية الـ22 على البيان", 22, True),
        ("وجرى التوقيع في السابع عشر من مايو", 17, True),
        ("في القرن العشرين", 20, True),
        ("القمة السابعة لرؤساء الدول", 7, False),
        ("القمة العربية الـ33", 33, False),
        ("وحضر الوزير الأول افتتاح القمة", 1, True),
    ],
)
def test_arabic_count_context(text: str, value: int, expected: bool) -> None:
    assert counted(text, "ar")[value] is expected


def test_ordinal_after_stops_at_clause_boundary_and_skips_counts() -> None:
    assert after("عقدت القمة، وفي الجولة السابعة فاز الفريق", "ar", "القمة") is None
    assert after("عقدت القمة. الدورة الثالثة للبرلمان", "ar", "القمة") is None
    assert after("القمة التي تعقد للمرة الثانية في الرياض", "ar", "القمة") is None
    assert after("القمة في يومها الثاني بحثت الأمن", "ar", "القمة") is None
    # beyond the window
    assert after("القمة التي دعا إليها رئيس الوزراء وحضرها عدد كبير من القادة السابعة", "ar", "القمة") is None


def test_ordinal_after_out_of_range_position() -> None:
    norm = normalise("القمة السابعة")
    assert ordinal_after(norm, "ar", -1) is None
    assert ordinal_after(norm, "ar", len(norm) + 5) is None
    assert ordinal_after(norm, "ar", len(norm)) is None


# ----------------------------------------------------------------------------- English


def test_english_ordinals() -> None:
    text = (
        "The seventh summit followed the twenty-first and the twenty first sessions, the 7th, 2nd and 33rd "
        "meetings, the ninety-ninth and the XV BRICS Summit."
    )
    assert [v for _, v in found(text, "en")] == [7, 21, 21, 7, 2, 33, 99, 15]


@pytest.mark.parametrize(
    "text",
    [
        "President Xi Jinping and Premier Li Qiang arrived.",
        "I think the summit was useful.",
        "Five countries attended; 2024 was a good year; 15 percent.",
        "Leaders of the G20 met.",
    ],
)
def test_english_traps(text: str) -> None:
    assert found(text, "en") == []


def test_english_count_context() -> None:
    assert counted("for the second time", "en") == {2: True}
    assert counted("the second largest economy", "en") == {2: True}
    assert counted("the 21st of August", "en") == {21: True}
    assert counted("the seventh summit", "en") == {7: False}
    assert counted("the first minister of the region", "en") == {1: True}


# ----------------------------------------------------------------------------- Russian


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("VII саммит ШОС открылся в Астане", [7]),
        ("XXV съезд партии", [25]),
        ("Двадцать пятый саммит ШОС", [25]),
        ("первый, первая, первое, первого, первой", [1, 1, 1, 1, 1]),
        ("седьмой, седьмая, седьмого, седьмом", [7, 7, 7, 7]),
        ("третья консультативная встреча, третьего заседания", [3, 3]),
        ("сороковой, девяностый, сотый", [40, 90, 100]),
        ("29-й саммит и 29-го заседания", [29, 29]),
        ("тридцать первое заседание", [31]),
    ],
)
def test_russian_ordinals(text: str, values: list[int]) -> None:
    assert [v for _, v in found(text, "ru")] == values


@pytest.mark.parametrize(
    "text",
    [
        "во вторник лидеры подписали",  # вторник is not второй
        "четверть века",
        "в 90-х годах и в 2024-м году",
        "c 15 по 16 ноября",  # a Latin "c" typed for the Cyrillic preposition
        "пять стран и сорок делегаций",
    ],
)
def test_russian_traps(text: str) -> None:
    assert found(text, "ru") == []


def test_russian_count_context() -> None:
    assert counted("29-го ноября", "ru") == {29: True}
    assert counted("в первую очередь", "ru") == {1: True}
    assert counted("седьмой саммит", "ru") == {7: False}
    assert counted("первый заместитель министра", "ru") == {1: True}
    assert counted("первый вице-премьер страны", "ru") == {1: True}


def test_unknown_language() -> None:
    assert find_ordinals("the seventh summit", "fr") == []
    assert ordinal_after("the seventh summit", "fr", 0) is None


# ----------------------------------------------------------------------------- properties

_PIECES = [
    "ال",
    "القمه",
    "الدوره",
    "السابع",
    "السابعه",
    "عشر",
    "عشره",
    "و",
    "العشرين",
    "الحادي",
    "(",
    ")",
    "33",
    "5",
    "%",
    "مايو",
    "مجموعه",
    "كانون",
    "الثاني",
    "seventh",
    "twenty",
    "-",
    "first",
    "7th",
    "xv",
    "summit",
    "седьмой",
    "двадцать",
    "пятый",
    "29-й",
    "vii",
    "саммит",
    ",",
    ".",
    " ",
    "\n",
]


def _check(norm: str, mentions: list[OrdinalMention]) -> None:
    for o in mentions:
        assert 0 <= o.start < o.end <= len(norm)
        assert o.value >= 1
        assert isinstance(is_count_context(norm, o), bool)


@settings(max_examples=300, deadline=None)
@given(text=st.text(), lang=st.sampled_from(["ar", "en", "ru", "xx"]), pos=st.integers(-5, 300))
def test_never_raises_on_any_unicode(text: str, lang: str, pos: int) -> None:
    for norm in (text, normalise(text)):
        _check(norm, find_ordinals(norm, lang))
        got = ordinal_after(norm, lang, pos)
        if got is not None:
            assert pos <= got.start < got.end <= len(norm)


@settings(max_examples=400, deadline=None)
@given(
    parts=st.lists(st.sampled_from(_PIECES), max_size=14),
    lang=st.sampled_from(["ar", "en", "ru"]),
    pos=st.integers(0, 60),
)
def test_spans_valid_on_ordinal_like_input(parts: list[str], lang: str, pos: int) -> None:
    norm = normalise(" ".join(parts))
    mentions = find_ordinals(norm, lang)
    _check(norm, mentions)
    assert [o.start for o in mentions] == sorted(o.start for o in mentions)
    got = ordinal_after(norm, lang, pos)
    if got is not None:
        assert got in mentions or got.start >= pos


@pytest.mark.parametrize("lang", ["ar", "en", "ru"])
def test_long_blank_runs_stay_linear(lang: str) -> None:
    import time

    text = normalise("الحادي القمه twenty двадцать" + " " * 20000 + "x")
    find_ordinals(text, lang)  # compile
    started = time.perf_counter()
    find_ordinals(text, lang)
    ordinal_after(text, lang, 0, window=30000)
    assert time.perf_counter() - started < 1.0


def test_family_name_al_thani_is_not_an_ordinal() -> None:
    """ "آل ثاني" normalises to "ال ثاني"; it names the Qatari ruling family, not "the second"."""
    norm = normalise("وشارك في القمة أمير دولة قطر الشيخ تميم بن حمد آل ثاني، وملك البحرين")
    assert find_ordinals(norm, "ar") == []
    assert ordinal_after(norm, "ar", norm.index("القمه") + 5) is None


# ----------------------------------------------------------------------------- numbers of something else


def test_arabic_twenty_after_a_noun_without_the_article_is_the_g20() -> None:
    # "قمة العشرين" (the summit of the Twenty) names the G20; "القمة العشرين" is the twentieth summit
    assert [v for _, v in found("وصل الرئيس إلى قمة العشرين في روما", "ar")] == []
    assert [v for _, v in found("اجتمع قادة العشرين عبر الفيديو", "ar")] == []
    assert [v for _, v in found("انعقدت القمة العشرين للمنظمة", "ar")] == [20]


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("شارك الرئيس في أول جلسات القمة صباح اليوم", "ar", 1),  # the first of its sittings
        ("افتتح الأمير الجلسة الأولى للقمة", "ar", 1),
        ("تبدأ الاجتماعات التحضيرية في الخامس والعشرين من الشهر", "ar", 25),  # a day
        ("يصل الضيوف حتى السابع والعشرين", "ar", 27),
        ("the minister pulled out at the 11th hour", "en", 11),
        ("the talks end on Friday the 30th", "en", 30),
        ("the president opened the first plenary session of the summit", "en", 1),
        ("the first working session began at noon", "en", 1),
        ("открылось первое рабочее заседание саммита", "ru", 1),
        ("началось первое пленарное заседание", "ru", 1),
    ],
)
def test_sittings_days_and_hours_are_not_the_summits_number(text: str, lang: str, value: int) -> None:
    assert counted(text, lang)[value] is True


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("عقدت أول قمة للمجموعة في الرياض", "ar", 1),
        ("افتتحت القمة العربية الخامسة والعشرين أعمالها", "ar", 25),
        ("the 25th summit opened on Friday", "en", 25),
        ("открылся первый саммит", "ru", 1),
    ],
)
def test_the_summits_own_number_stays(text: str, lang: str, value: int) -> None:
    assert counted(text, lang)[value] is False
