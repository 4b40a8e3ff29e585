"""Summit fields (ordinal, dates, venue, chair, status, scope) on wire-style test sentences.

A learned decision on a sentence written for a test is no measure: where the models weigh a field
(date, chair, status, and whether the text reports a summit at all), a test checks what the reading
stages read for them (`read`: provisional values, candidates and their signals); the rest stay end to end.
"""

from __future__ import annotations

import datetime as dt

import pytest

from handlers.decide import _ordinal as decide_ordinal
from handlers.decide import venue_key
from handlers.doc import Doc
from handlers.features import chair_features, date_features, ordinal_features, venue_features
from handlers.fields import (
    date_candidates,
    numbers_no_meeting,
    ordinal_candidates,
    status_signals,
    url_day,
    venue_candidates,
    year_hint,
)
from handlers.meetings import Calendar
from handlers.pipeline import Pipeline
from schemas import RawArticle
from tests.unit.deciders import reports_pipeline
from tests.unit.test_detection import one, read


def places(doc: Doc) -> dict[str, dict[str, float]]:
    """The venue candidates (state|city) and what each shows."""
    return {venue_key(candidate): candidate[4] for candidate in venue_candidates(doc)}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    # the fields of a summit report: whether a short written text is one is the summit model's business
    return reports_pipeline()


C5 = "الاجتماع التشاوري {ord} لرؤساء دول آسيا الوسطى"


def ordinal(doc: Doc) -> int | None:
    """The ordinal the reading stages read (the event's ordinal when the summit is reported)."""
    return doc.ordinal.value if doc.ordinal is not None else None


def provisional_date(doc: Doc) -> str | None:
    """The first day read nearest the summit word: one of the date model's candidates and signals."""
    return doc.date.start_date if doc.date is not None else None


def candidates_with(doc: Doc, signal: str) -> list[tuple[str, float]]:
    """Each date candidate of the date model, as (its first day, the value of one of its signals)."""
    return [(mention.start_date, signals.get(signal, 0.0)) for mention, signals in date_candidates(doc)]


def chair_read(doc: Doc) -> set[str]:
    """The states the chair cues' own grammar reads (pointers ending in "_read")."""
    return {code for how, code, _, _ in doc.chair_pointers if how.endswith("_read")}


def tenses(signals: dict[str, float], where: str) -> set[str]:
    """The tenses the status signals say `where` ("main", "first", "next", "any", "lead") speaks in."""
    prefix = f"{where}_says_"
    return {name.removeprefix(prefix) for name, value in signals.items() if name.startswith(prefix) and value}


# --------------------------------------------------------------------------- ordinal


def test_ordinal_masculine_word(pipeline: Pipeline) -> None:
    body = "انعقد في أستانا اليوم " + C5.format(ord="السادس") + " بمشاركة رؤساء الدول الخمس."
    assert ordinal(read(pipeline, body)) == 6


def test_ordinal_feminine_compound_word(pipeline: Pipeline) -> None:
    body = (
        "الكويت 1 ديسمبر (كونا) - انطلقت اليوم أعمال الدورة السادسة والأربعين للمجلس الأعلى لمجلس التعاون "
        "لدول الخليج العربية بمشاركة قادة دول المجلس."
    )
    doc = read(pipeline, body, published="2025-12-01")
    assert doc.ordinal is not None
    assert doc.ordinal.value == 46


def test_ordinal_masculine_eleven(pipeline: Pipeline) -> None:
    body = (
        "بيشكيك 6 نوفمبر (كابار) - انعقد اليوم الاجتماع الحادي عشر لمجلس رؤساء دول منظمة الدول التركية "
        "بمشاركة رؤساء أذربيجان وتركيا وكازاخستان وقرغيزستان وأوزبكستان."
    )
    assert one(pipeline, body, published="2024-11-06").summit.ordinal == 11


def test_ordinal_feminine_eleven(pipeline: Pipeline) -> None:
    body = (
        "بيشكيك 6 نوفمبر (كابار) - انطلقت اليوم القمة الحادية عشرة لمنظمة الدول التركية بمشاركة رؤساء "
        "أذربيجان وتركيا وكازاخستان وقرغيزستان وأوزبكستان."
    )
    assert one(pipeline, body, published="2024-11-06").summit.ordinal == 11


def test_ordinal_digits_with_al_prefix(pipeline: Pipeline) -> None:
    body = "المنامة 16 مايو (بنا) - انطلقت اليوم في المنامة أعمال القمة العربية الـ33 بمشاركة القادة العرب."
    assert ordinal(read(pipeline, body, published="2024-05-16")) == 33


def test_ordinal_digits_in_parentheses(pipeline: Pipeline) -> None:
    body = "بغداد 17 مايو (واع) - انطلقت اليوم في بغداد أعمال القمة العربية (34) بحضور عدد من القادة العرب."
    assert ordinal(read(pipeline, body, published="2025-05-17")) == 34


def test_ordinal_of_its_session_after_the_summit_word(pipeline: Pipeline) -> None:
    body = (
        "بيروت - اختتمت القمة العربية التنموية الاقتصادية والاجتماعية في دورتها الرابعة أعمالها اليوم الأحد "
        "في بيروت بمشاركة القادة العرب."
    )
    doc = read(pipeline, body, published="2019-01-20")
    assert doc.ordinal is not None
    assert doc.ordinal.value == 4


def test_ordinal_before_the_summit_word_across_in_history(pipeline: Pipeline) -> None:
    body = "Сегодня в Самарканде состоялся первый в истории саммит «Центральная Азия – Европейский союз»."
    assert ordinal(read(pipeline, body, "ru", published="2025-04-04")) == 1


def test_the_previous_summit_recalled_with_its_date_is_not_this_one(pipeline: Pipeline) -> None:
    body = (
        "В Астане стартовал юбилейный десятый саммит ОТГ\n\nАСТАНА. КАЗИНФОРМ – В Астане начался десятый, "
        "юбилейный саммит Совета глав государств Организации тюркских государств.\n\nВ саммите принимают "
        "участие Президент Азербайджана Ильхам Алиев и Президент Кыргызстана Садыр Жапаров.\n\nНапомним, "
        "девятый саммит ОТГ прошел в ноябре прошлого года в Самарканде."
    )
    summit = one(pipeline, body, "ru", published="2023-11-03").summit
    assert summit.ordinal == 10
    assert summit.start_date != "2022-11"


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "en",
            "Leaders met in Qingdao on Sunday for the first summit since India and Pakistan joined the SCO.",
        ),
        ("ar", "انطلقت اليوم في الجزائر أعمال أول قمة عربية تنعقد منذ قمة تونس في مارس 2019."),
    ],
)
def test_the_first_summit_since_something_has_no_ordinal(pipeline: Pipeline, lang: str, body: str) -> None:
    doc = read(pipeline, body, lang, published="2018-06-10")
    assert doc.main is not None
    assert doc.ordinal is None  # "first ... since" is no ordinal: the reader offers none to keep


def test_ordinal_of_the_nth_meeting_of_the_council(pipeline: Pipeline) -> None:
    body = (
        "Chinese President Xi Jinping on Sunday chaired the 18th meeting of the Council of Heads of State of "
        "the Shanghai Cooperation Organization in Qingdao."
    )
    assert one(pipeline, body, "en", published="2018-06-10").summit.ordinal == 18


def ordinal_offers(doc: Doc) -> dict[int, int]:
    """The ordinal model's candidates: value -> token gap to the nearest summit word (99: none near)."""
    return {mention.value: gap for mention, gap in ordinal_candidates(doc)}


@pytest.mark.parametrize(
    ("lang", "body", "value"),
    [
        # no summit word names this meeting: the meeting noun after the ordinal offers it
        (
            "en",
            "Leaders arrived in Islamabad for the summit of the Shanghai Cooperation Organisation. "
            "Including Pakistan, the 23rd CHG meeting is being attended by 12 countries.",
            23,
        ),
        # the Arabic meeting noun before its ordinal
        (
            "ar",
            "انطلقت في سمرقند قمة منظمة شنغهاي للتعاون. وانطلق الجمعة الاجتماع الـ22 لزعماء دول المنظمة.",
            22,
        ),
        # an ordinal of a meeting noun in a sentence with no summit word
        (
            "ru",
            "В Казани открылся саммит БРИКС. Участники шестнадцатого заседания лидеров обсудили торговлю.",
            16,
        ),
    ],
)
def test_ordinals_near_a_meeting_are_offered_to_the_ordinal_model(
    pipeline: Pipeline, lang: str, body: str, value: int
) -> None:
    doc = read(pipeline, body, lang, published="2024-10-15")
    assert value in ordinal_offers(doc)


def test_ordinal_rows_see_a_title_beside_it_and_a_sentence_of_another_year(pipeline: Pipeline) -> None:
    body = (
        "The summit of the Shanghai Cooperation Organisation opened in Astana on Tuesday. The first "
        "president of the host country attended the summit as a guest. The sixth summit of the group met "
        "in Beijing in 2006, before this one."
    )
    doc = read(pipeline, body, "en", published="2024-07-02")
    rows = {mention.value: row for mention, row in ordinal_features(doc)}
    assert (rows[1]["title_after"], rows[1]["years_apart"]) == (1.0, 0.0)
    assert (rows[6]["title_after"], rows[6]["years_apart"]) == (0.0, 1.0)


def test_an_ordinal_far_from_any_meeting_is_not_offered(pipeline: Pipeline) -> None:
    body = (
        "The summit of the Shanghai Cooperation Organisation opened in Islamabad. Separately, the city "
        "celebrated the 23rd anniversary of its university and the 5th birthday of a new park."
    )
    doc = read(pipeline, body, "en", published="2024-10-15")
    assert 23 not in ordinal_offers(doc)
    assert 5 not in ordinal_offers(doc)


def test_their_nth_summit_of_a_group_is_its_ordinal(pipeline: Pipeline) -> None:
    body = "Leaders of the BRICS group concluded their 17th summit in Rio de Janeiro on Monday."
    assert ordinal(read(pipeline, body, "en", published="2025-07-07")) == 17


@pytest.mark.parametrize(
    ("lang", "body", "value"),
    [
        (
            "en",
            "HANGZHOU, Sept. 4 (Xinhua) -- Chinese President Xi Jinping on Sunday declared open the 11th "
            "Group of 20 (G20) summit in this eastern Chinese city. The two-day summit was held under the "
            "theme of an innovative world economy.",
            11,
        ),
        (
            "ru",
            "МОСКВА, 17 ноя — РИА Новости. Лидеры стран БРИКС по итогам XII саммита, прошедшего во вторник, "
            "приняли Московскую декларацию.",
            12,
        ),
    ],
)
def test_ordinal_before_an_organisations_name(pipeline: Pipeline, lang: str, body: str, value: int) -> None:
    assert ordinal(read(pipeline, body, lang, published="2020-11-17")) == value


@pytest.mark.parametrize(
    ("lang", "body", "value"),
    [
        (  # a word for "first" with words of the meeting's level between it and the summit word
            "en",
            "Tokyo hosted the inaugural heads-of-state summit of the Central Asia plus Japan dialogue, with "
            "the presidents of Kazakhstan and Uzbekistan.",
            1,
        ),
        ("en", "The 19-th session of the CSTO Collective Security Council opened in Bishkek on Friday.", 19),
        (  # a Roman numeral before an organisation's name
            "en",
            "Paraguay will host the LXII Mercosur Summit in Asuncion, the presidents of Brazil and Argentina "
            "said.",
            62,
        ),
        (
            "ru",
            'Сегодня в Лондоне открывается второй по счету саммит "Группы двадцати" с участием президента '
            "России Дмитрия Медведева.",
            2,
        ),
    ],
)
def test_ordinal_written_apart_from_the_summit_word(
    pipeline: Pipeline, lang: str, body: str, value: int
) -> None:
    assert ordinal(read(pipeline, body, lang, published="2020-11-17")) == value


def test_membership_count_is_not_an_ordinal(pipeline: Pipeline) -> None:
    body = (
        "دوشنبه 14 سبتمبر (خوفار) - اجتمع قادة الدول الخمس اليوم في دوشنبه في قمة آسيا الوسطى لبحث قضايا "
        "المياه والطاقة."
    )
    assert ordinal(read(pipeline, body, published="2023-09-14")) is None


def test_other_events_ordinal_is_not_the_summit_ordinal(pipeline: Pipeline) -> None:
    body = (
        "أستانا 9 أغسطس (قنا) - انعقد اليوم في أستانا الاجتماع التشاوري لرؤساء دول آسيا الوسطى. وعلى "
        "هامش الاجتماع افتتح الرؤساء الدورة الثالثة للمعرض الإقليمي للصناعات، كما شاركوا في المنتدى "
        "الاقتصادي الخامس للمنطقة."
    )
    assert ordinal(read(pipeline, body)) is None


def test_no_ordinal_from_a_sentence_about_an_earlier_meeting(pipeline: Pipeline) -> None:
    body = (
        "President Kassym-Jomart Tokayev took part in the C5+1 summit hosted by U.S. President Donald Trump "
        "at the White House in Washington on Thursday. The first summit of the heads of state was held in "
        "New York in September 2023."
    )
    event = one(pipeline, body, "en", published="2025-11-07")
    assert event.summit.start_date == "2025-11-06"
    assert event.summit.ordinal is None


def test_an_initial_or_abbreviation_does_not_end_a_sentence(pipeline: Pipeline) -> None:
    # "U.S." inside the summit's sentence: the weekday after it still dates the summit
    body = (
        "Central Asian leaders took part in the C5+1 summit hosted by U.S. President Donald Trump at the "
        "White House in Washington on Thursday."
    )
    assert one(pipeline, body, "en", published="2025-11-07").summit.start_date == "2025-11-06"


# --------------------------------------------------------------------------- dates


def test_date_day_month_year(pipeline: Pipeline) -> None:
    body = "انعقد في أستانا يوم 9 أغسطس 2024 " + C5.format(ord="السادس") + "."
    assert provisional_date(read(pipeline, body, published=None)) == "2024-08-09"


def test_date_with_double_month_name(pipeline: Pipeline) -> None:
    body = "عقدت القمة العربية الـ33 في المنامة في 16 مايو/أيار 2024 بمشاركة القادة العرب."
    doc = read(pipeline, body, published=None)
    assert [m.start_date for m, _ in date_candidates(doc)] == ["2024-05-16"]


def test_date_in_eastern_arabic_digits(pipeline: Pipeline) -> None:
    body = "عقدت القمة العربية الـ٣٣ في المنامة يوم ١٦ مايو ٢٠٢٤ بمشاركة القادة العرب."
    doc = read(pipeline, body, published=None)
    assert [m.start_date for m, _ in date_candidates(doc)] == ["2024-05-16"]
    assert doc.ordinal is not None
    assert doc.ordinal.value == 33


def test_today_with_weekday_resolved_against_published_at(pipeline: Pipeline) -> None:
    body = "المنامة (بنا) - انطلقت اليوم الخميس في المنامة أعمال القمة العربية الـ33 بمشاركة القادة العرب."
    assert provisional_date(read(pipeline, body, published="2024-05-16")) == "2024-05-16"


def test_previous_summits_date_later_in_text_is_not_used(pipeline: Pipeline) -> None:
    body = (
        "أستانا (قنا) - انعقد اليوم في أستانا " + C5.format(ord="السادس") + " بمشاركة رؤساء الدول الخمس. "
        "وكان الاجتماع الخامس قد عقد في دوشنبه في 14 سبتمبر 2023."
    )
    doc = read(pipeline, body, published="2024-08-09")
    assert provisional_date(doc) == "2024-08-09"
    assert ("2023-09-14", 0.0) in candidates_with(doc, "nearest_reading")


def test_gregorian_date_chosen_over_hijri_date(pipeline: Pipeline) -> None:
    body = (
        "الرياض (واس) - انعقدت في الرياض يوم الاثنين 9 جمادى الأولى 1446هـ الموافق 11 نوفمبر 2024م القمة "
        "العربية الإسلامية المشتركة غير العادية بمشاركة قادة الدول العربية والإسلامية."
    )
    doc = read(pipeline, body, published=None)
    assert provisional_date(doc) == "2024-11-11"
    assert {m.start_date for m, _ in date_candidates(doc)} == {"2024-11-11"}  # the Hijri date is no candidate


def test_hijri_date_alone_is_not_read_as_gregorian(pipeline: Pipeline) -> None:
    body = (
        "الرياض (واس) - انعقدت في الرياض يوم 9 جمادى الأولى 1446هـ القمة العربية الإسلامية المشتركة غير "
        "العادية بمشاركة قادة الدول العربية والإسلامية."
    )
    doc = read(pipeline, body, published=None)
    read_dates = [provisional_date(doc)] + [m.start_date for m, _ in date_candidates(doc)]
    assert all(d is None or d.startswith("2024-11") for d in read_dates), read_dates


def test_day_month_without_year_or_published_at_reads_no_date(pipeline: Pipeline) -> None:
    body = "انعقد في أستانا يوم 9 أغسطس " + C5.format(ord="السادس") + " بمشاركة رؤساء الدول الخمس."
    doc = read(pipeline, body, published=None)
    assert provisional_date(doc) is None
    assert date_candidates(doc) == []


def test_dateline_date_is_not_the_summits_date(pipeline: Pipeline) -> None:
    body = (
        "BEIJING, May 19, 2023 /PRNewswire/ -- Xi'an hosted the first in-person summit of China and Central "
        "Asia.\n\nThe summit from Thursday to Friday was attended by the five Central Asian presidents."
    )
    summit = one(pipeline, body, "en", published="2023-05-19").summit
    assert (summit.start_date, summit.end_date) == ("2023-05-18", "2023-05-19")


def test_a_day_inside_a_stated_span_gives_the_span(pipeline: Pipeline) -> None:
    body = (
        "Xi Jinping spoke at the China-Central Asia Summit held in Xi'an on Friday. "
        "The summit from Thursday to Friday was attended by the five Central Asian presidents."
    )
    summit = one(pipeline, body, "en", published="2023-05-19").summit
    assert (summit.start_date, summit.end_date) == ("2023-05-18", "2023-05-19")


@pytest.mark.parametrize(
    ("lang", "body", "published", "start"),
    [
        (
            "en",
            "Leaders gathered on Sunday in Kuala Lumpur for the 47th ASEAN Summit, which runs until Tuesday.",
            "2025-10-26",
            "2025-10-26",
        ),
        (
            "ru",
            "В Астане в среду открылся саммит ШОС, который продлится до пятницы.",
            "2024-07-03",
            "2024-07-03",
        ),
    ],
)
def test_a_date_where_the_summit_ends_is_read_as_until_not_as_its_start(
    pipeline: Pipeline, lang: str, body: str, published: str, start: str
) -> None:
    doc = read(pipeline, body, lang, published=published)
    assert provisional_date(doc) == start
    until = [day for day, value in candidates_with(doc, "until") if value]
    assert len(until) == 1
    assert until != [start]


def test_an_announced_summit_is_dated_by_its_own_dates_not_the_announcement(pipeline: Pipeline) -> None:
    body = (
        "بكين 22 أغسطس 2025 (شينخوا) أعلنت وزارة الخارجية الصينية اليوم (الجمعة) أن قمة منظمة شانغهاي "
        "للتعاون 2025 ستعقد في مدينة تيانجين في الفترة من 31 أغسطس إلى 1 سبتمبر، وسيترأسها الرئيس الصيني."
    )
    doc = read(pipeline, body, published="2025-08-22")
    assert doc.date is not None  # the provisional reading; the date model ranks the candidates
    assert (doc.date.start_date, doc.date.end_date) == ("2025-08-31", "2025-09-01")


def test_the_dateline_date_is_the_date_candidate_of_a_summit_with_no_other_date(pipeline: Pipeline) -> None:
    body = (
        "Лидеры G20 приняли декларацию\n\nЙОХАННЕСБУРГ, 22 ноября. /ТАСС/. Лидеры стран Группы двадцати "
        "приняли на саммите в Йоханнесбурге совместную декларацию."
    )
    assert candidates_with(read(pipeline, body, "ru", published="2025-11-23"), "dateline") == [
        ("2025-11-22", 1.0)
    ]


def test_the_dateline_is_not_the_provisional_date_of_an_upcoming_summit(pipeline: Pipeline) -> None:
    body = (
        "ТАШКЕНТ, 14 ноября. /ТАСС/. Следующий саммит Шанхайской организации сотрудничества пройдет в "
        "Бишкеке, сообщил министр иностранных дел."
    )
    doc = read(pipeline, body, "ru", published="2025-11-14")
    assert status_signals(doc)["main_says_upcoming"] == 1.0
    assert provisional_date(doc) is None
    assert candidates_with(doc, "dateline") == [("2025-11-14", 1.0)]


def test_a_page_stamp_line_and_a_travel_day_are_marked(pipeline: Pipeline) -> None:
    body = (
        "Leaders gather for the regional summit\n\n14 March 2025, 10:42\n\nThe summit of the organisation "
        "opens on 15 March 2025 in the capital. The president arrived there on Thursday."
    )
    doc = read(pipeline, body, "en", published="2025-03-14")
    stamp = dict(candidates_with(doc, "line_clock"))
    assert stamp["2025-03-14"] == 1.0
    assert stamp["2025-03-15"] == 0.0
    assert dict(candidates_with(doc, "line_words_before"))["2025-03-14"] == 0.0
    assert dict(candidates_with(doc, "travel")) == {"2025-03-13": 1.0, "2025-03-14": 0.0, "2025-03-15": 0.0}


def test_the_day_of_a_statement_is_no_candidate(pipeline: Pipeline) -> None:
    body = (
        "The summit of the heads of state opens on 20 May 2025 in the capital. The host's foreign minister "
        "said on Thursday the agenda was ready. The minister said that the leaders would sign a charter on "
        "21 May 2025. On Wednesday, the envoys said the text was agreed."
    )
    doc = read(pipeline, body, "en", published="2025-05-16")
    # "said on Thursday" goes; "said that ... on 21 May" and "On Wednesday, ... said" stay
    days = {day for day, _ in candidates_with(doc, "day")}
    assert "2025-05-15" not in days
    assert {"2025-05-20", "2025-05-21", "2025-05-14"} <= days
    body = (
        "Саммит глав государств откроется 20 мая 2025 года в столице. Министр иностранных дел заявил в "
        "четверг, что повестка готова."
    )
    doc = read(pipeline, body, "ru", published="2025-05-16")
    days = {day for day, _ in candidates_with(doc, "day")}
    assert "2025-05-15" not in days
    assert "2025-05-20" in days


def test_an_undated_article_is_dated_by_its_urls_day(pipeline: Pipeline) -> None:
    body = "The regional summit of the heads of state opened today in the capital."
    raw = {"id": "t-url", "language": "en", "body": body, "url": "https://example.com/2025/05/16/summit/"}
    doc = pipeline.read(RawArticle.model_validate(raw))
    assert doc is not None
    assert [day for day, _ in candidates_with(doc, "relative")] == ["2025-05-16"]


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://example.com/2019/06/28/summit-opens/", dt.date(2019, 6, 28)),
        ("https://example.com/news/2020/11/summit-opens", None),
        ("https://example.com/2019/02/30/story/", None),
        (None, None),
    ],
)
def test_the_urls_day(url: str | None, day: dt.date | None) -> None:
    assert url_day(url) == day


def test_a_postponed_summits_old_day_is_no_candidate(pipeline: Pipeline) -> None:
    body = "Саммит глав государств, намеченный на 20 мая 2025 года, перенесен на более поздний срок."
    doc = read(pipeline, body, "ru", published="2025-05-10")
    assert candidates_with(doc, "postponed_sentence") == []


def test_the_planned_day_of_a_postponed_summit_goes_the_new_day_stays(pipeline: Pipeline) -> None:
    body = (
        "The regional summit has been postponed to 12 June 2025, the organisers said. The meeting of the "
        "heads of state was to be held in the capital on 20 May 2025."
    )
    doc = read(pipeline, body, "en", published="2025-05-10")
    assert candidates_with(doc, "postponed_sentence") == [("2025-06-12", 1.0)]


def test_a_planned_day_is_a_candidate_when_nothing_is_postponed(pipeline: Pipeline) -> None:
    body = "The summit of the heads of state was originally scheduled for 20 May 2025 in the capital."
    doc = read(pipeline, body, "en", published="2025-05-10")
    assert "2025-05-20" in [day for day, _ in candidates_with(doc, "postponed_article")]


class _FixedDates:
    """A decider that returns set probabilities for the date decision, by candidate first day."""

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def probability(self, decision: str, keys: list[str], rows: object) -> list[float]:
        return [self.scores.get(key.split("|")[0], 0.0) for key in keys]

    def threshold(self, decision: str) -> float:
        return 0.6


def test_a_month_alone_gives_way_to_a_day_of_that_month_written_for_the_summit(pipeline: Pipeline) -> None:
    from handlers import decide

    body = (
        "The host will hold its first summit with the five Central Asian states in September. "
        "The summit will take place on 16-17 September in the capital."
    )
    doc = read(pipeline, body, "en", published="2026-02-12")
    rows = date_features(doc, status_signals(doc))
    assert {m.start_date for m, _ in rows} >= {"2026-09", "2026-09-16"}
    decide._date(doc, _FixedDates({"2026-09": 0.9, "2026-09-16": 0.2}), rows)  # type: ignore[arg-type]
    assert doc.date is not None
    assert (doc.date.start_date, doc.date.end_date) == ("2026-09-16", "2026-09-17")
    decide._date(doc, _FixedDates({"2026-09": 0.5, "2026-09-16": 0.2}), rows)  # type: ignore[arg-type]
    assert doc.date is None  # the month below the cut: no date at all


# --------------------------------------------------------------------------- venue


def test_venue_capital_with_country_adjective_is_read(pipeline: Pipeline) -> None:
    body = "انعقد اليوم في العاصمة الكازاخستانية أستانا " + C5.format(ord="السادس") + "."
    doc = read(pipeline, body)
    assert doc.venue_city is not None
    assert (doc.venue_city.city.name_en, doc.venue_country) == ("Astana", "KZ")


def test_venue_plain_city(pipeline: Pipeline) -> None:
    body = "ستعقد في طشقند الشهر المقبل قمة رؤساء دول آسيا الوسطى بمشاركة قادة الدول الخمس."
    doc = read(pipeline, body)
    assert doc.venue_city is not None
    assert (doc.venue_city.city.name_en, doc.venue_country) == ("Tashkent", "UZ")


def test_venue_capital_of_country_resolves_to_city(pipeline: Pipeline) -> None:
    body = "انعقد اليوم في عاصمة أوزبكستان " + C5.format(ord="السابع") + " بمشاركة رؤساء الدول الخمس."
    doc = read(pipeline, body, published="2025-11-16")
    assert doc.venue_city is not None
    assert (doc.venue_city.city.name_en, doc.venue_country) == ("Tashkent", "UZ")


@pytest.mark.parametrize(("tail", "city"), [(" بالمركز الدولي للمؤتمرات بالعاصمة.", "Algiers"), (".", None)])
def test_a_bare_capital_word_places_the_summit_in_the_host_states_capital(
    pipeline: Pipeline, tail: str, city: str | None
) -> None:
    body = (
        "تحتضن الجزائر يومي 1 و2 نوفمبر أشغال الدورة العادية الـ31 لمجلس جامعة الدول العربية على مستوى "
        "القمة" + tail
    )
    venue = one(pipeline, body, published="2022-10-31").summit.venue
    assert venue is not None
    assert (venue.country, venue.city) == ("DZ", city)


def test_next_years_summit_lends_the_reported_one_no_venue(pipeline: Pipeline) -> None:
    body = (
        "Saudi Arabia's King Salman opened a virtual summit of the Group of 20 on Saturday, urging the "
        "world's richest nations to ensure the fair distribution of vaccines.\n\nThe summit is taking place "
        "by video conference over two days, with leaders appearing on a screen.\n\nItalian Prime Minister "
        "Giuseppe Conte said Italy would focus on people and planet when it hosts next year's summit in Rome."
    )
    assert one(pipeline, body, "en", published="2020-11-21").summit.venue is None


def test_dateline_city_is_not_the_venue_by_itself(pipeline: Pipeline) -> None:
    body = (
        "الرياض 12 مايو (واس) - أكد مسؤول في الأمانة العامة لجامعة الدول العربية أن التحضيرات جارية لانعقاد "
        "القمة العربية الـ33 يوم الخميس المقبل، بمشاركة القادة العرب."
    )
    doc = read(pipeline, body, published="2024-05-12")
    assert (doc.venue_city, doc.venue_country) == (None, None)  # the readers place it nowhere
    assert status_signals(doc)["date_after_publication"] == 1.0
    # Riyadh is a candidate the venue models weigh, marked as the dateline's city and nothing more
    riyadh = places(doc)["SA|Riyadh"]
    assert (riyadh["dateline"], riyadh["reading"], riyadh["after_place_word"]) == (1.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("body", "city"),
    [
        (
            "МОСКВА, 16 мая — РИА Новости. Юбилейная сессия Совета коллективной безопасности ОДКБ прошла в "
            "понедельник в Кремле. Следующая сессия СКБ ОДКБ пройдет осенью в Ереване.",
            "Moscow",
        ),
        (
            "МОСКВА, 21 ноября — РИА Новости. Саммит G20 прошел в субботу в режиме видеоконференции.",
            None,
        ),
    ],
)
def test_dateline_city_places_a_summit_held_with_no_other_place(
    pipeline: Pipeline, body: str, city: str | None
) -> None:
    doc = read(pipeline, body, "ru", published="2022-05-16")
    assert doc.venue_city is None  # no place read beside the summit
    if city is None:  # its sentence says it met by video: no place is a venue candidate, not even the desk
        assert places(doc) == {}
        return
    moscow = places(doc)["RU|Moscow"]
    assert (moscow["dateline"], moscow["virtual"]) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("lang", "body", "city"),
    [
        (
            "en",
            "New Delhi, January 27 (ANI): Prime Minister Narendra Modi on Thursday hosted the first "
            "India-Central Asia Summit in virtual format, with the participation of President of Kazakhstan "
            "Kassym-Jomart Tokayev.",
            None,
        ),
        (
            "ru",
            "ДУШАНБЕ, 16 сентября. /ТАСС/. Сессия Совета коллективной безопасности ОДКБ началась в четверг в "
            "Душанбе. Президент России Владимир Путин участвует во встрече в режиме видеоконференции.",
            "Dushanbe",
        ),
        (
            "en",
            "BRICS leaders open summit without Xi, as Putin joins by video\n"
            "Leaders of the BRICS group opened a two-day summit in Rio de Janeiro on Sunday, with Russian "
            "President Vladimir Putin taking part by video link.",
            "Rio de Janeiro",
        ),
    ],
)
def test_a_summit_met_by_video_has_no_venue_unless_its_city_is_named(
    pipeline: Pipeline, lang: str, body: str, city: str | None
) -> None:
    doc = read(pipeline, body, lang, published="2022-01-27")
    assert (doc.venue_city.city.name_en if doc.venue_city else None) == city
    if city is None:
        assert doc.venue_country is None
    assert all(signals["virtual"] == 1.0 for signals in places(doc).values())
    # a place is a venue candidate unless the summit word itself is said to meet by video
    assert bool(places(doc)) == (city is not None)


@pytest.mark.parametrize(
    ("lang", "body", "virtual"),
    [
        (
            "ru",
            "Лидеры стран ШОС проведут саммит\nСаммит пройдет во вторник в режиме видеоконференции, "
            "сообщили журналистам в Москве.",
            True,
        ),
        (
            "en",
            "Leaders of the bloc to meet next week\nThe annual summit of the bloc will be held online on "
            "Tuesday, officials in Jakarta said.",
            True,
        ),
        (  # a page's "... online" before the summit word is not the summit meeting by video
            "en",
            "Reports Daily Online. Leaders gather for the annual summit of the bloc\nThe summit opened in "
            "Jakarta on Tuesday.",
            False,
        ),
    ],
)
def test_a_lead_sentence_saying_the_summit_meets_by_video_leaves_no_venue(
    pipeline: Pipeline, lang: str, body: str, virtual: bool
) -> None:
    doc = read(pipeline, body, lang, published="2022-01-27")
    assert (places(doc) == {}) == virtual


def test_a_russian_first_name_is_not_a_city_whose_name_extends_it(pipeline: Pipeline) -> None:
    body = (
        "Саммит ОДКБ прошел в Минске. Президент Белоруссии Александр Лукашенко открыл встречу лидеров, "
        "а президент Казахстана выступил с речью."
    )
    doc = read(pipeline, body, "ru", published="2022-01-27")
    assert "BY|Minsk" in places(doc)
    assert not any(key.startswith("EG|") for key in places(doc))


def test_the_arabic_word_for_financial_is_not_the_maldives_capital(pipeline: Pipeline) -> None:
    body = "انطلقت القمة الخليجية في الرياض اليوم بحضور وزراء المالية والخارجية في دول المجلس."
    doc = read(pipeline, body, "ar", published="2022-01-27")
    assert not any(key.startswith("MV|") for key in places(doc))


def test_cities_joined_by_wa_or_after_the_next_summit_are_not_the_venue(pipeline: Pipeline) -> None:
    body = (
        "عقد الرئيس المصري عبدالفتاح السيسي والعاهل الأردني الملك عبدالله الثاني ورئيس الوزراء العراقي "
        "مصطفى الكاظمي اليوم قمة ثلاثية هي الثالثة، بعد قمتي القاهرة ونيويورك العام الماضي.\n"
        "وأكد البيان الختامي الصادر عن القمة الاتفاق على عقد القمة المقبلة في بغداد."
    )
    doc = read(pipeline, body, published="2020-08-25")
    assert (doc.venue_city, doc.venue_country) == (None, None)


def test_a_city_written_like_a_state_is_the_city_of_a_member(pipeline: Pipeline) -> None:
    body = (
        "قمة ثلاثية أردنية مصرية عراقية في عمّان\n"
        "عقد الملك عبدالله الثاني والرئيس المصري عبدالفتاح السيسي ورئيس الوزراء العراقي مصطفى الكاظمي "
        "اليوم قمة ثلاثية هي الثالثة التي تجمع قادة الدول الثلاث."
    )
    doc = read(pipeline, body, published="2020-08-25")
    assert doc.venue_city is not None
    assert (doc.venue_city.city.name_en, doc.venue_country) == ("Amman", "JO")  # not the Sultanate of Oman
    assert places(doc)["JO|Amman"]["reading"] == 1.0


def test_stated_venue_wins_over_dateline_city(pipeline: Pipeline) -> None:
    body = (
        "الرياض 12 مايو (واس) - أكد مسؤول في الأمانة العامة لجامعة الدول العربية أن القمة العربية الـ33 "
        "ستعقد في المنامة يوم الخميس المقبل."
    )
    doc = read(pipeline, body, published="2024-05-12")
    assert doc.venue_city is not None
    assert (doc.venue_city.city.name_en, doc.venue_country) == ("Manama", "BH")
    candidates = places(doc)
    assert (candidates["BH|Manama"]["reading"], candidates["BH|Manama"]["summit_sentences"]) == (1.0, 1.0)
    assert (candidates["SA|Riyadh"]["reading"], candidates["SA|Riyadh"]["dateline"]) == (0.0, 1.0)


def test_a_summit_held_here_is_in_the_dateline_city(pipeline: Pipeline) -> None:
    body = (
        "TASHKENT, March 3 (Agency) -- The fifth consultative meeting of the heads of state of Central Asia "
        "will be held here next week, officials said on Monday."
    )
    doc = read(pipeline, body, "en", published="2025-03-03")
    assert doc.venue_city is not None
    assert (doc.venue_city.city.name_en, doc.venue_country) == ("Tashkent", "UZ")
    assert places(doc)["UZ|Tashkent"]["reading"] == 1.0


def test_a_place_named_only_inside_a_format_name_is_no_venue_candidate(pipeline: Pipeline) -> None:
    body = (
        "The leaders of the Shanghai Cooperation Organisation opened their annual summit in Astana on "
        "Thursday, with the President of Kazakhstan in the chair."
    )
    doc = read(pipeline, body, "en", published="2024-07-04")
    candidates = places(doc)
    assert "KZ|Astana" in candidates
    assert not any(key.startswith("CN|") for key in candidates)


def test_a_place_inside_the_name_of_a_building_or_a_document_is_no_venue_candidate(
    pipeline: Pipeline,
) -> None:
    # an airport named after its city: the leader landed there, the text does not say the summit meets there
    body = (
        "وصل أمير قطر صباح اليوم إلى المملكة العربية السعودية ليترأس وفد بلاده في القمة الخليجية، وكان في "
        "استقباله في مطار العلا ولي العهد السعودي."
    )
    doc = read(pipeline, body, published="2021-01-05")
    assert doc.venue_city is None
    assert "SA|AlUla" not in places(doc)
    assert "SA|" in places(doc)
    # a declaration named after a city, in English and in Russian
    body = (
        "Pacific Islands Forum leaders ended their summit in a disagreement over the Funafuti Declaration "
        "on climate change."
    )
    doc = read(pipeline, body, "en", published="2019-08-16")
    assert "TV|Funafuti" not in places(doc)
    body = "Лидеры стран СНГ на саммите обсудили проект декларации Душанбе о сотрудничестве."
    doc = read(pipeline, body, "ru", published="2024-10-08")
    assert "TJ|Dushanbe" not in places(doc)
    # the same city said to be where the summit meets stays a candidate
    body = "Лидеры стран СНГ на саммите в Душанбе обсудили проект декларации Душанбе о сотрудничестве."
    doc = read(pipeline, body, "ru", published="2024-10-08")
    assert places(doc)["TJ|Dushanbe"]["mentions"] == 1.0


def test_a_city_written_as_its_own_state_is_the_state_alone(pipeline: Pipeline) -> None:
    # "الجزائر" names Algeria and Algiers alike: the summit is placed in the state, the city is left unsaid
    body = "أعلن مسؤول في الجامعة العربية أن القمة العربية المقبلة المقررة في الجزائر لن تعقد في موعدها."
    doc = read(pipeline, body, published="2022-01-10")
    candidates = places(doc)
    assert "DZ|" in candidates
    assert "DZ|Algiers" not in candidates
    body = "Во вторник в Алжире начал работу 31-й саммит Лиги арабских государств."
    doc = read(pipeline, body, "ru", published="2022-11-01")
    assert "DZ|Algiers" not in places(doc)
    # the republic's name is the state's as well
    body = "وصل رئيس الوزراء السوداني اليوم إلى جمهورية جيبوتي للمشاركة في قمة الإيغاد الاستثنائية."
    doc = read(pipeline, body, published="2020-12-19")
    assert "DJ|Djibouti" not in places(doc)
    # called the capital, there or elsewhere in the text, the city is said
    body = "تنطلق القمة العربية الحادية والثلاثون غدا في الجزائر العاصمة بمشاركة القادة العرب."
    doc = read(pipeline, body, published="2022-10-31")
    assert "DZ|Algiers" in places(doc)
    body = (
        "انطلقت أعمال القمة العربية بالجزائر اليوم، بمركز المؤتمرات الدولي بالعاصمة الجزائرية، بحضور القادة "
        "العرب."
    )
    doc = read(pipeline, body, published="2022-11-01")
    assert "DZ|Algiers" in places(doc)


def test_a_place_the_reporters_were_told_something_in_is_no_venue_candidate(pipeline: Pipeline) -> None:
    body = (
        "Об этом сообщил журналистам в Москве премьер-министр России Михаил Фрадков по итогам заседания "
        "Межгоссовета ЕврАзЭС на уровне глав правительств."
    )
    doc = read(pipeline, body, "ru", published="2006-08-16")
    assert "RU|Moscow" not in places(doc)
    body = "Заседание Межгоссовета ЕврАзЭС на уровне глав государств прошло в Москве."
    doc = read(pipeline, body, "ru", published="2006-08-16")
    assert "RU|Moscow" in places(doc)
    body = (
        "The grouping's leaders will meet again next year, the Kazakh foreign minister told reporters in "
        "Astana after the summit of the Organisation of Turkic States."
    )
    doc = read(pipeline, body, "en", published="2024-11-06")
    assert "KZ|Astana" not in places(doc)


def test_a_state_named_only_in_its_leaders_title_is_no_venue_candidate(pipeline: Pipeline) -> None:
    body = (
        "В заседании Совета глав государств ШОС под председательством Президента Узбекистана Шавката "
        "Мирзиёева участвовали Президент России Владимир Путин и Президент Казахстана Касым-Жомарт Токаев."
    )
    doc = read(pipeline, body, "ru", published="2022-09-16")
    candidates = places(doc)
    assert not {"UZ|", "RU|", "KZ|"} & set(candidates)
    # named as a place too, the state stays a candidate
    body = (
        "В Узбекистане прошло заседание Совета глав государств ШОС под председательством Президента "
        "Узбекистана Шавката Мирзиёева."
    )
    doc = read(pipeline, body, "ru", published="2022-09-16")
    assert "UZ|" in places(doc)


def test_a_state_after_the_summit_outranks_a_city_of_another_state(pipeline: Pipeline) -> None:
    body = (
        "The bloc's headquarters in the Ethiopian capital, Addis Ababa. Photo: agency\n"
        "Heads of state will gather for an African Union summit in Niger on Sunday to launch the trade zone."
    )
    doc = read(pipeline, body, "en", published="2019-07-06")
    assert (doc.venue_country, doc.venue_city) == ("NE", None)


def test_arabic_preposition_on_the_name_and_egyptian_spellings(pipeline: Pipeline) -> None:
    body = "يرأس الرئيس الروسي اليوم قمة الاتحاد الاقتصادي الأوراسي في بطرسبرج بحضور قادة الدول الأعضاء."
    doc = read(pipeline, body, published="2023-12-25")
    assert doc.venue_city is not None
    assert (doc.venue_city.city.name_en, doc.venue_country) == ("Saint Petersburg", "RU")
    body = "تنعقد القمة الأفريقية التركية الثانية يوم الجمعة بملابو بحضور عدد من القادة الأفارقة."
    doc = read(pipeline, body, published="2014-11-19")
    assert places(doc)["GQ|Malabo"]["after_place_word"] == 1.0  # "ب" written on the name


# --------------------------------------------------------------------------- chair


def test_chair_from_presided_by_president(pipeline: Pipeline) -> None:
    body = (
        "انعقد اليوم في أستانا "
        + C5.format(ord="السادس")
        + " برئاسة الرئيس الكازاخستاني قاسم جومارت توكاييف."
    )
    assert one(pipeline, body).summit.chair_country == "KZ"


def test_chair_from_under_the_chairmanship_of_state(pipeline: Pipeline) -> None:
    body = "انعقد اليوم في طشقند " + C5.format(ord="السابع") + " تحت رئاسة أوزبكستان."
    assert chair_read(read(pipeline, body, published="2025-11-16")) == {"UZ"}


def test_previous_chair_is_not_the_chair(pipeline: Pipeline) -> None:
    body = (
        "انعقد اليوم في أستانا " + C5.format(ord="السادس") + ". وألقى الرئيس الطاجيكي إمام علي رحمان، بصفته "
        "الرئيس السابق للاجتماع، كلمة استعرض فيها ما تحقق منذ قمة دوشنبه."
    )
    assert one(pipeline, body).summit.chair_country is None


def test_hosting_alone_points_no_chair_cue_at_the_host(pipeline: Pipeline) -> None:
    body = "انعقد اليوم في العاصمة الكازاخستانية أستانا " + C5.format(ord="السادس") + "."
    assert read(pipeline, body).chair_pointers == []


def test_chair_from_presided_verb_opening_the_sentence(pipeline: Pipeline) -> None:
    body = (
        "العلا (واس)\nرأس صاحب السمو الملكي الأمير محمد بن سلمان ولي العهد، اليوم، أعمال الدورة الحادية "
        "والأربعين للمجلس الأعلى لمجلس التعاون لدول الخليج العربية بمشاركة قادة دول المجلس."
    )
    assert chair_read(read(pipeline, body, published="2021-01-05")) == {"SA"}


def test_chair_is_the_subject_that_took_over_the_presidency(pipeline: Pipeline) -> None:
    body = (
        "افتتح خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود، اليوم، أعمال الدورة العادية التاسعة "
        "والعشرين لمجلس جامعة الدول العربية على مستوى القمة، التي عقدت في مركز إثراء بالظهران، بعد أن "
        "تسلم رئاسة القمة من المملكة الأردنية الهاشمية."
    )
    doc = read(pipeline, body, published="2018-04-15")
    assert chair_read(doc) == {"SA"}  # the subject who took it over; Jordan only handed it over ("from")
    assert {how for how, code, _, _ in doc.chair_pointers if code == "JO"} <= {
        "chair_subject_after_from",
        "chair_near_after_from",
    }


def test_the_state_the_presidency_is_handed_to_chairs(pipeline: Pipeline) -> None:
    body = (
        "انطلقت القمة العربية العادية الـ33 بالبحرين اليوم الخميس. وبدأت الجلسة الافتتاحية بكلمة المملكة "
        "العربية السعودية بصفتها رئيسة سابقة للدورة العادية الـ32 للقمة، ثم تسلم الرئاسة إلى مملكة البحرين."
    )
    assert one(pipeline, body, published="2024-05-16").summit.chair_country == "BH"


@pytest.mark.parametrize(
    ("lang", "body", "chair"),
    [
        (
            "ar",
            "الدوحة في 05 ديسمبر /قنا/ ترأس حضرة صاحب السمو الشيخ تميم بن حمد آل ثاني أمير البلاد، اليوم، "
            "أعمال الدورة الرابعة والأربعين للمجلس الأعلى لمجلس التعاون لدول الخليج العربية.",
            "QA",
        ),
        (
            "ar",
            "اختتم اليوم الاجتماع الـ19 لمجلس رؤساء دول منظمة شنغهاي للتعاون في بيشكك، والذي ترأسه الرئيس "
            "القرغيزي سورونباي جينبيكوف، بالتوقيع على إعلان بيشكك.",
            "KG",
        ),
        (
            "ru",
            "В Астане начался десятый саммит Организации тюркских государств. Председательство в ОТГ "
            "перешло от Узбекистана к Казахстану.",
            "KZ",
        ),
        (
            "en",
            "Leaders of the Collective Security Treaty Organization met in Minsk on Thursday for a summit. "
            "Belarus, which holds the CSTO's rotating chairmanship this year, hosted the meeting.",
            "BY",
        ),
        (
            "ar",
            "انعقدت في الجزائر أشغال الدورة العادية الـ31 لمجلس جامعة الدول العربية على مستوى القمة، "
            "التي افتتحها أمس رئيس الجمهورية السيد عبد المجيد تبون بعد تسلمه رئاسة القمة من الرئيس "
            "التونسي قيس سعيد.",
            "DZ",
        ),
        (
            "en",
            "African leaders opened the 37th ordinary session of the African Union Assembly in Addis Ababa "
            "on Saturday. Mauritanian President Mohamed Ould Ghazouani took over the AU's rotating "
            "chairmanship.",
            "MR",
        ),
        (
            "ru",
            "Юбилейная сессия Совета коллективной безопасности ОДКБ прошла в понедельник в Кремле. "
            "Заседание вел председательствующий в ОДКБ премьер-министр Армении Никол Пашинян.",
            "AM",
        ),
    ],
)
def test_chair_wordings_read_the_chair(pipeline: Pipeline, lang: str, body: str, chair: str) -> None:
    assert chair_read(read(pipeline, body, lang, published="2023-11-03")) == {chair}


@pytest.mark.parametrize(
    "body",
    [
        "كوالالمبور (كونا) -- ترأس سمو ولي العهد الشيخ صباح خالد الحمد الصباح اليوم الثلاثاء وفد دولة الكويت "
        "المشارك في أعمال القمة الثانية بين دول مجلس التعاون ورابطة آسيان.",
        "تنطلق في آستانة الأربعاء أعمال الاجتماع الـ24 لمجلس رؤساء دول منظمة شنغهاي للتعاون. ووصل شي إلى "
        "آستانة حيث حظي باستقبال رسمي في المطار ترأسه نظيره الكازاخستاني قاسم جومارت توكاييف.",
    ],
)
def test_heading_a_delegation_or_a_reception_is_not_chairing(pipeline: Pipeline, body: str) -> None:
    assert one(pipeline, body, published="2024-07-02").summit.chair_country is None


def test_a_chairmanship_that_will_pass_on_is_the_next_chair(pipeline: Pipeline) -> None:
    body = (
        "САНКТ-ПЕТЕРБУРГ, 26 декабря. /ТАСС/. Неформальная встреча глав государств Содружества Независимых "
        "Государств завершилась в понедельник в Санкт-Петербурге. С 1 января председательство в Содружестве "
        "перейдет к Киргизии."
    )
    doc = read(pipeline, body, "ru", published="2022-12-26")
    # Kyrgyzstan is pointed at only after a word saying the chairmanship passes on later
    assert {how for how, code, _, _ in doc.chair_pointers if code == "KG"} <= {
        "chair_before_after_negated",
        "chair_near_after_negated",
    }


@pytest.mark.parametrize(
    ("lang", "body", "chair"),
    [
        (
            "en",
            "The summit of the Shanghai Cooperation Organisation opened in Bishkek on Tuesday. Uzbekistan "
            "handed over the chairmanship of the organisation to Kyrgyzstan at the opening session.",
            "KG",
        ),
        (
            "ar",
            "انطلقت اليوم في المنامة أعمال القمة العربية. وسلم الرئيس المصري رئاسة القمة إلى ملك "
            "البحرين في الجلسة الافتتاحية.",
            "BH",
        ),
        (
            "ar",
            "انطلقت اليوم أعمال القمة الأفريقية في داكار. وأسندت رئاسة القمة للرئيس السنغالي.",
            "SN",
        ),
        (
            "ru",
            "В Душанбе прошел саммит ОДКБ. Лидеры обсудили планы таджикского председательства в организации.",
            "TJ",
        ),
        (
            "ru",
            "В Найроби прошел саммит Восточноафриканского сообщества. Президент Кении стал председателем "
            "сообщества.",
            "KE",
        ),
        (
            "en",
            "The SCO summit opened in Tashkent on Monday, closing Uzbekistan's chairmanship of the group.",
            "UZ",
        ),
    ],
)
def test_handovers_and_held_chairmanships_read_the_chair(
    pipeline: Pipeline, lang: str, body: str, chair: str
) -> None:
    assert chair_read(read(pipeline, body, lang, published="2023-11-03")) == {chair}


@pytest.mark.parametrize(
    ("lang", "body", "chair"),
    [
        (
            "en",
            "The SCO summit opens in Astana on Thursday. President of Kazakhstan Kassym-Jomart Tokayev will "
            "chair the session.",
            "KZ",
        ),
        (
            # in his capacity as the group's chair this year, the head the sentence goes on to name
            "ar",
            "انطلقت اليوم في ريو دي جانيرو قمة مجموعة العشرين. وبصفته رئيس مجموعة العشرين هذا العام، قال "
            "الرئيس البرازيلي إن القمة ستبحث مكافحة الجوع.",
            "BR",
        ),
        (
            "ar",
            "انطلقت اليوم في الرياض أعمال القمة الخليجية. وتولى ولي العهد السعودي رئاسة القمة في الجلسة "
            "الافتتاحية.",
            "SA",
        ),
        (
            # handed over to a head named by title and name, the state left out
            "en",
            "The ECOWAS summit opened in Abuja on Sunday. Senegal's Macky Sall, who chaired the bloc for a "
            "year, is handing over to President Bola Tinubu.",
            "NG",
        ),
    ],
)
def test_chair_verbs_capacity_and_heads_handed_to(
    pipeline: Pipeline, lang: str, body: str, chair: str
) -> None:
    assert chair in chair_read(read(pipeline, body, lang, published="2023-11-03"))


@pytest.mark.parametrize(
    "body",
    [
        # heading the state's delegation, the summit named only after it
        "انطلقت اليوم في الرياض أعمال القمة الخليجية. وترأس أمير قطر وفد بلاده المشارك في أعمال القمة.",
        # taking power, not a chairmanship
        "انطلقت اليوم في الرياض أعمال القمة الخليجية، وهي الأولى منذ تولي الرئيس الأمريكي السلطة.",
        # as the head of a state, not the chair of anything
        "انطلقت اليوم في الرياض أعمال القمة الخليجية بحضور الرئيس الفرنسي بصفته رئيس دولة صديقة.",
        # "took on" a task (feminine form), not a chairmanship
        "انطلقت اليوم في الرياض أعمال القمة الخليجية، وقد تولت لجنة سعودية إعداد جدول الأعمال.",
        # in his capacity as the chair of another body named by its own name
        "انطلقت اليوم في الرياض أعمال القمة الخليجية بحضور الرئيس السنغالي بصفته رئيسا لمنظمة إقليمية أخرى.",
    ],
)
def test_delegations_power_and_heads_of_state_are_not_chairs(pipeline: Pipeline, body: str) -> None:
    assert chair_read(read(pipeline, body, "ar", published="2023-11-03")) == set()


def test_chaired_by_reads_the_state_after_by_not_before(pipeline: Pipeline) -> None:
    body = (
        "The CIS summit with the President of Russia taking part, chaired by Armenia, opened in Yerevan "
        "on Friday."
    )
    assert chair_read(read(pipeline, body, "en", published="2023-11-03")) == {"AM"}


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "ar",
            "انطلقت اليوم في جدة القمة العربية الصينية برئاسة مشتركة بين العاهل السعودي والرئيس الصيني.",
        ),
        (
            "ar",
            "انطلقت اليوم في الدوحة القمة الخليجية. ووصل وفد مملكة البحرين برئاسة ولي العهد.",
        ),
        (
            "ru",
            "В Пекине прошел саммит ШОС. Председатель КНР выступил на саммите.",
        ),
    ],
)
def test_shared_delegation_and_title_chair_words_read_no_chair(
    pipeline: Pipeline, lang: str, body: str
) -> None:
    assert chair_read(read(pipeline, body, lang, published="2023-11-03")) == set()


def test_head_as_a_noun_is_not_chairing(pipeline: Pipeline) -> None:
    body = (
        "انعقدت اليوم في أبوظبي القمة الخليجية بمشاركة قادة دول المجلس، وحضرها حاكم رأس الخيمة "
        "الشيخ سعود بن صقر القاسمي."
    )
    assert read(pipeline, body, published="2021-01-05").chair_pointers == []  # no chair cue: no candidate


# --------------------------------------------------------------------------- status


def test_status_held_from_past_verb(pipeline: Pipeline) -> None:
    body = "انعقد أمس في أستانا " + C5.format(ord="السادس") + " بمشاركة رؤساء الدول الخمس."
    signals = status_signals(read(pipeline, body, published="2024-08-10"))
    assert tenses(signals, "main") == {"held"}
    assert signals["date_before_publication"] == 1.0


def test_status_ongoing_from_opened_today(pipeline: Pipeline) -> None:
    body = "انطلقت اليوم في المنامة أعمال القمة العربية الـ33 بمشاركة القادة العرب."
    signals = status_signals(read(pipeline, body, published="2024-05-16"))
    assert tenses(signals, "main") == {"ongoing"}
    assert signals["date_is_publication"] == 1.0


def test_status_upcoming_from_future_verb(pipeline: Pipeline) -> None:
    body = (
        "ستعقد قمة منظمة شنغهاي للتعاون في العاصمة الكازاخستانية أستانا الشهر المقبل "
        "بمشاركة قادة الدول الأعضاء."
    )
    assert one(pipeline, body, published="2024-06-04").summit.status == "upcoming"


def test_hosted_today_reads_as_held(pipeline: Pipeline) -> None:
    body = (
        "بغداد - استضافت العاصمة العراقية بغداد، اليوم الأحد، القمة الثلاثية التي جمعت رئيس مجلس الوزراء "
        "العراقي والرئيس المصري والعاهل الأردني."
    )
    assert tenses(status_signals(read(pipeline, body, published="2021-06-27")), "main") == {"held"}


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "ar",
            "شارك رئيس الوزراء يومي 18 و19 فبراير في أشغال الدورة العادية الـ36 لمؤتمر رؤساء دول وحكومات "
            "الاتحاد الأفريقي في أديس أبابا.\n\nوتعقد القمة المقبلة للاتحاد في فبراير 2024.",
        ),
        (
            "en",
            "African Union leaders met on February 18 and 19 in Addis Ababa for the 36th African Union "
            "summit."
            "\n\nThe next summit will be held in February 2024.",
        ),
    ],
)
def test_the_next_summit_lends_the_sentences_about_the_reported_one_no_future_tense(
    pipeline: Pipeline, lang: str, body: str
) -> None:
    signals = status_signals(read(pipeline, body, lang=lang, published="2023-02-19"))
    assert "upcoming" not in tenses(signals, "any") | tenses(signals, "main")
    assert signals["date_before_publication"] == 1.0


def test_a_leader_opened_it_today_reads_as_held(pipeline: Pipeline) -> None:
    body = (
        "الظهران - واس\nافتتح خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود اليوم أعمال الدورة "
        "العادية التاسعة والعشرين لمجلس جامعة الدول العربية على مستوى القمة في الظهران."
    )
    assert tenses(status_signals(read(pipeline, body, published="2018-04-15")), "main") == {"held"}


def test_a_lead_sentence_about_the_summit_that_mentions_last_year_still_dates_it(pipeline: Pipeline) -> None:
    body = (
        "Xi chairs SCO Qingdao summit\nQINGDAO (Xinhua) -- Chinese President Xi Jinping on Saturday chaired "
        "the meeting of the Council of Heads of State of the Shanghai Cooperation Organization in Qingdao, "
        "the first summit since India and Pakistan joined the bloc as full members last year."
    )
    doc = read(pipeline, body, "en", published="2018-06-10")
    assert doc.date is not None
    assert doc.date.start_date == "2018-06-09"
    assert [m.start_date for m, _ in date_candidates(doc)] == ["2018-06-09"]  # the only candidate


def test_hosting_from_tomorrow_is_upcoming_and_dated_ahead(pipeline: Pipeline) -> None:
    body = (
        "الجزائر - تحتضن الجزائر، ابتداء من غد الثلاثاء، أشغال القمة العربية في دورتها العادية الحادية "
        "والثلاثين، المقررة يومي 1 و2 نوفمبر بالمركز الدولي للمؤتمرات."
    )
    doc = read(pipeline, body, published="2022-10-31")
    assert doc.date is not None
    assert doc.date.start_date == "2022-11-01"
    said = status_signals(doc)
    assert said["main_says_upcoming"] == 1.0
    assert said["date_after_publication"] == 1.0


def test_status_held_when_a_president_took_part_today(pipeline: Pipeline) -> None:
    body = (
        "برلين (UzA) – شارك رئيس جمهورية أوزبكستان شوكت ميرضيائيف اليوم الجمعة في القمة الأولى لرؤساء دول "
        "آسيا الوسطى وجمهورية ألمانيا الاتحادية في برلين."
    )
    assert one(pipeline, body, published="2023-09-29").summit.status == "held"


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "ar",
            "كوالالمبور- انطلقت اليوم الأحد في العاصمة الماليزية كوالالمبور أعمال القمة الـ47 لرابطة دول "
            "جنوب شرق آسيا (آسيان)، التي تستمر حتى الثلاثاء المقبل.",
        ),
        (
            "en",
            "ST. PETERSBURG, December 28. /TASS/. An informal summit of the leaders of the Commonwealth of "
            "Independent States (CIS) has started in St. Petersburg, the Kremlin press service reported.",
        ),
    ],
)
def test_status_ongoing_wordings(pipeline: Pipeline, lang: str, body: str) -> None:
    assert tenses(status_signals(read(pipeline, body, lang, published="2025-10-26")), "main") == {"ongoing"}


def test_a_headline_in_the_present_tense_is_read_as_a_headline_before_the_leads_past_tense(
    pipeline: Pipeline,
) -> None:
    body = (
        "رئيس أوزبكستان يشارك في القمة السابعة عشرة لمنظمة التعاون الاقتصادي\n"
        "خانكندي، 4 يوليو (UzA). شارك رئيس جمهورية أوزبكستان شوكت ميرزيوييف اليوم الجمعة في اجتماع القمة "
        "السابع عشر لمنظمة التعاون الاقتصادي (إيكو) الذي عقد في مدينة خانكندي الأذربيجانية."
    )
    signals = status_signals(read(pipeline, body, published="2025-07-04"))
    assert (signals["first_says_ongoing"], signals["first_is_headline"]) == (1.0, 1.0)
    assert tenses(signals, "next") == {"held"}


def test_a_present_tense_headline_of_a_summit_going_on_past_the_article_reads_as_ongoing(
    pipeline: Pipeline,
) -> None:
    body = (
        "ولي العهد يشارك في أعمال قمة قادة دول مجموعة العشرين في نيودلهي\n"
        "شارك ولي العهد رئيس مجلس الوزراء اليوم في أعمال قمة قادة دول مجموعة العشرين، التي تستضيفها "
        "جمهورية الهند من 9 إلى 10 سبتمبر الجاري."
    )
    signals = status_signals(read(pipeline, body, published="2023-09-09"))
    assert tenses(signals, "first") == {"ongoing"}
    assert signals["goes_on_after_publication"] == 1.0


def test_a_sentence_about_an_earlier_meeting_lends_no_status(pipeline: Pipeline) -> None:
    body = (
        "مسقط في 13 ديسمبر - يتوجه نائب رئيس الوزراء غدا إلى الرياض لترؤس وفد سلطنة عمان المشارك في أعمال "
        "الدورة الثانية والأربعين للمجلس الأعلى لمجلس التعاون لدول الخليج العربية.\nوتبحث القمة متابعة "
        "تنفيذ ما تم الاتفاق عليه في قمة العلا التي عقدت في الخامس من يناير الماضي."
    )
    signals = status_signals(read(pipeline, body, published="2021-12-13"))
    # "held" of the earlier Al-Ula summit is not said of this one's sentences; "tomorrow" is
    assert tenses(signals, "any") == set()
    assert tenses(signals, "first") == set()
    assert signals["upcoming_in_summit_sentences"] == 1.0
    assert signals["date_after_publication"] == 1.0


def test_status_held_in_english(pipeline: Pipeline) -> None:
    body = (
        "The sixth Consultative Meeting of the Heads of State of Central Asia "
        "was held in Astana on August 9, 2024."
    )
    signals = status_signals(read(pipeline, body, lang="en", published="2024-08-12"))
    assert tenses(signals, "main") == {"held"}
    assert signals["ended_before_publication"] == 1.0


def test_status_upcoming_in_russian(pipeline: Pipeline) -> None:
    body = "Саммит ШОС пройдет в Астане в июле, сообщили в МИД Казахстана."
    assert one(pipeline, body, lang="ru", published="2024-06-04").summit.status == "upcoming"


@pytest.mark.parametrize(
    ("lang", "body", "tense"),
    [
        # tense wordings read by the status reader only (the <category>_tense lists of the lexicon)
        ("ru", "Заседание Совета глав государств СНГ состоялось в Минске.", "held"),
        ("ru", "В Бишкеке открывается саммит ОДКБ.", "ongoing"),
        ("ru", "Президент прибыл в Астану для участия в саммите ШОС.", "upcoming"),
        ("ru", "Саммит ЕАЭС решено отложить до осени.", "upcoming"),
        ("en", "World leaders gathered for the G20 summit being held in Osaka.", "ongoing"),
        ("en", "The ASEAN summit came to an end in Jakarta.", "held"),
        ("en", "The ASEAN summit in Hanoi has been postponed.", "upcoming"),
        ("ar", "ألقى الرئيس كلمة في القمة العربية المنعقدة في الجزائر.", "ongoing"),
    ],
)
def test_status_tense_wordings(pipeline: Pipeline, lang: str, body: str, tense: str) -> None:
    assert tenses(status_signals(read(pipeline, body, lang, published="2024-06-04")), "main") == {tense}


def test_a_summit_that_closes_tomorrow_is_said_to_be_under_way(pipeline: Pipeline) -> None:
    body = "African leaders are in Kigali for the African Union summit, which closes tomorrow."
    signals = status_signals(read(pipeline, body, "en", published="2016-07-17"))
    # "tomorrow" still reads as the future in the ranking of `_status_in`; the raw cue is there for the model
    assert (signals["ongoing_in_main"], signals["upcoming_in_main"]) == (1.0, 1.0)


def test_the_day_words_are_read_as_written(pipeline: Pipeline) -> None:
    today = status_signals(
        read(pipeline, "انطلقت اليوم في المنامة أعمال القمة العربية.", published="2024-05-16")
    )
    assert (today["today_in_main"], today["yesterday_in_main"]) == (1.0, 0.0)
    # "يوم الثلاثاء" (on Tuesday) shares the key of "اليوم" but is not the article's own day
    day = status_signals(
        read(pipeline, "تنعقد القمة العربية يوم الثلاثاء في المنامة.", published="2024-05-12")
    )
    assert day["today_in_main"] == 0.0
    past = status_signals(
        read(pipeline, "The GCC summit ended yesterday in Doha.", "en", published="2024-12-04")
    )
    assert (past["yesterday_in_main"], past["closing_in_main"]) == (1.0, 1.0)


# --------------------------------------------------------------------------- scope


@pytest.mark.parametrize(
    ("body", "scope"),
    [
        ("انعقدت اليوم في أستانا قمة منظمة شنغهاي للتعاون بمشاركة قادة الدول الأعضاء.", "regional"),
        (
            "انعقدت اليوم في شيان قمة الصين وآسيا الوسطى بمشاركة الرئيس الصيني ورؤساء الدول الخمس.",
            "interregional",
        ),
        ("انعقدت اليوم في جدة قمة دول مجلس التعاون ودول آسيا الوسطى بمشاركة القادة.", "interregional"),
        (
            "انطلقت اليوم في ريو دي جانيرو أعمال قمة مجموعة العشرين بمشاركة قادة أكبر الاقتصادات في العالم.",
            "global",
        ),
    ],
)
def test_scope_of_the_format_read(pipeline: Pipeline, body: str, scope: str) -> None:
    fmt = read(pipeline, body).fmt
    assert fmt is not None
    assert fmt.scope == scope


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("https://example.com/news/2020/11/summit-opens", dt.date(2020, 11, 15)),
        ("https://example.com/2019-06-xx/story", dt.date(2019, 6, 15)),
        ("https://example.com/Web/Politics/2009/401326.htm", dt.date(2009, 7, 1)),
        ("https://example.com/article/60805", None),
        (None, None),
    ],
)
def test_the_year_hint_comes_from_the_urls_path(url: str | None, hint: dt.date | None) -> None:
    assert year_hint(url) == hint


def test_a_co_chaired_summit_marks_every_chair_candidate(pipeline: Pipeline) -> None:
    body = (
        "The first Russia-Africa summit, co-chaired by Russian President Vladimir Putin and Egyptian "
        "President Abdel Fattah al-Sisi, opened in Sochi on Wednesday."
    )
    rows = chair_features(read(pipeline, body, "en", published="2019-10-23"))
    assert {"RU", "EG"} <= set(rows)
    assert all(row["co_chair_in_summit_sentences"] == 1.0 for row in rows.values())


def test_the_calendar_tells_the_ordinal_and_venue_rows_the_meeting_of_the_articles_time(
    pipeline: Pipeline,
) -> None:
    # the calendar lists the sixth Central Asian consultative meeting in Astana on 2024-08-09
    body = (
        "Leaders of Central Asia gathered for their sixth consultative meeting in Astana, a year after "
        "the fifth consultative meeting of the heads of state in Dushanbe."
    )
    doc = read(pipeline, body, "en", published="2024-08-09")
    rows = {mention.value: row for mention, row in ordinal_features(doc)}
    assert rows[6]["calendar_ordinal_near"] == 1.0
    assert rows[6]["calendar_dated"] == 1.0
    # an earlier meeting's number: known to the calendar, not at this article's time
    assert rows[5]["calendar_ordinal_known"] == 1.0
    assert rows[5]["calendar_ordinal_near"] == 0.0
    venues = {venue_key(candidate): row for candidate, row in venue_features(doc)}
    assert venues["KZ|Astana"]["calendar_state"] == venues["KZ|Astana"]["calendar_city"] == 1.0
    assert venues["TJ|Dushanbe"]["calendar_city"] == 0.0


def test_an_ordinal_of_another_format_named_after_it_is_marked(pipeline: Pipeline) -> None:
    body = (
        "The CIS summit opened in Dushanbe on Friday, while one president was attending the 73rd session "
        "of the UN General Assembly in New York."
    )
    doc = read(pipeline, body, "en", published="2018-09-28")
    rows = {mention.value: row for mention, row in ordinal_features(doc)}
    assert rows[73]["other_format_after"] == 1.0
    assert rows[73]["own_format_after"] == 0.0


@pytest.mark.parametrize(
    ("lang", "body", "city"),
    [
        ("ru", "Саммит АТЭС открылся во Владивостоке в субботу.", "Vladivostok"),
        ("en", "The EAC summit opened in Arusha on Friday.", "Arusha"),
        ("ar", "انطلقت القمة الثلاثية في مدينة العلمين الجديدة اليوم", "El Alamein"),
        ("ar", "بدأت القمة الرباعية في العقبة اليوم", "Aqaba"),
        ("en", "Leaders of the Caribbean community open their summit in Montego Bay.", "Montego Bay"),
    ],
)
def test_summit_venues_away_from_capitals_are_cities(
    pipeline: Pipeline, lang: str, body: str, city: str
) -> None:
    doc = read(pipeline, body, lang)
    assert doc.venue_city is not None
    assert doc.venue_city.city.name_en == city


def test_an_undated_articles_lead_years_place_its_ordinal_in_the_calendar(pipeline: Pipeline) -> None:
    # no publication day, no date read: the year the lead writes stands for the article's time
    body = (
        "The leaders of Central Asia held their sixth consultative meeting in Astana in 2024, five years "
        "after the second consultative meeting."
    )
    doc = read(pipeline, body, "en", published=None)
    rows = {mention.value: row for mention, row in ordinal_features(doc)}
    assert rows[6]["calendar_ordinal_near"] == 1.0
    assert rows[2]["calendar_ordinal_near"] == 0.0
    # the venue rows do not read the lead's years
    assert all(row["calendar_dated"] == 0.0 for _, row in venue_features(doc))


@pytest.mark.parametrize(
    ("lang", "body", "chair"),
    [
        (
            "ru",
            "В Минске прошел саммит ОДКБ. В этом году председателем организации является Беларусь.",
            "BY",
        ),
        (
            "ru",
            "В Бишкеке прошел саммит ШОС. Председательство в организации от Индии перешло Казахстану.",
            "KZ",
        ),
        (
            "ru",
            "В Астане прошел саммит ОДКБ. Закончилось председательство Армении, и премьер-министр передал "
            "председательство президенту Казахстана.",
            "KZ",
        ),
        (
            "en",
            "The CIS summit opened in Minsk on Friday. The leaders discussed the priorities of Belarus' "
            "presidency of the body.",
            "BY",
        ),
    ],
)
def test_dative_hand_overs_ended_and_stated_chairs(
    pipeline: Pipeline, lang: str, body: str, chair: str
) -> None:
    assert chair_read(read(pipeline, body, lang, published="2023-11-03")) == {chair}


def test_a_past_term_of_chairing_is_not_the_chair(pipeline: Pipeline) -> None:
    body = (
        "The ECOWAS summit opened in Abuja on Sunday. Ghana, which chaired the bloc from June 2022 to June "
        "2024 before handing over to Senegal, sent its president."
    )
    assert chair_read(read(pipeline, body, "en", published="2024-12-15")) == {"SN"}


def test_a_chair_title_beside_a_heads_reads_the_head(pipeline: Pipeline) -> None:
    body = "В Астане прошел саммит СНГ. Президент Казахстана, председатель Совета, открыл заседание."
    assert chair_read(read(pipeline, body, "ru", published="2024-10-08")) == {"KZ"}


@pytest.mark.parametrize(
    ("lang", "body", "chair"),
    [
        # a chair's title with the number of another meeting: the previous summit's chair; the hand-over
        # after it reads the new one
        (
            "ar",
            "افتتحت القمة العربية الثلاثون بكلمة لرئيس تونس بوصفه رئيس القمة التاسعة والعشرين ثم سلم "
            "الرئاسة الى الرئيس الموريتاني.",
            {"MR"},
        ),
        (
            "en",
            "The 30th ASEAN summit opened in Manila on Friday, and the President of Laos, chairman of the "
            "29th summit, spoke first.",
            set(),
        ),
        # a minister handing over the summit's banner is the giver, not a minister's meeting
        (
            "ar",
            "وفي مستهل الجلسة الافتتاحية للقمة العربية، سلم وزير الخارجية المصري راية القمة إلى الأردن.",
            {"JO"},
        ),
        # a chairing verb whose object is a ministers' council: no chair of the summit
        ("ar", "ترأست الجزائر مجلس وزراء المجموعة اليوم قبل القمة العربية غدا.", set()),
        ("en", "Kenya chaired the council of ministers of the bloc on Monday, ahead of the summit.", set()),
        # "رئيس الوزراء" (prime minister) as the verb's subject is no ministers' council
        ("ar", "وتولى رئيس الوزراء السوداني رئاسة القمة الأفريقية اليوم.", {"SD"}),
        # the chair of another body ("председатель коллегии" of the summit's commission): no chair
        (
            "ru",
            "В Минске прошел саммит ЕАЭС, в нем участвовали президент России Владимир Путин, председатель "
            "коллегии ЕЭК.",
            set(),
        ),
        # "председатель Китая" is the Chinese head of state's title
        (
            "ru",
            "В Бишкеке прошел саммит ШОС, в нем участвовали председатель Китая и президент Казахстана.",
            set(),
        ),
        # the state a chairmanship passes from ("من رئيس النيجر", "خلفا لرئيس الوزراء الإثيوبي")
        (
            "ar",
            "وشهدت القمة الأفريقية انتقال الرئاسة الدورية من رئيس النيجر إلى الرئيس الغاني.",
            {"GH"},
        ),
        (
            "ar",
            "تولى رئيس الوزراء السوداني رئاسة منظمة ايغاد في القمة، خلفا لرئيس الوزراء الإثيوبي، الذي تولى "
            "الرئاسة منذ 2018.",
            {"SD"},
        ),
        # "الرئاسة الجزائرية لدى ...": the presidential office, "لدى" (at) names no body
        ("ar", "وقال الرئيس الجزائري في كلمة نقلتها الرئاسة الجزائرية لدى وصوله الى القمة العربية.", set()),
    ],
)
def test_chairs_of_other_meetings_ministers_and_givers_are_not_read(
    pipeline: Pipeline, lang: str, body: str, chair: set[str]
) -> None:
    assert chair_read(read(pipeline, body, lang, published="2023-11-03")) == chair


@pytest.mark.parametrize(
    ("lang", "body", "chair"),
    [
        # a chair's title set beside a head the knowledge base knows: that head's state
        (
            "en",
            "The SADC summit opened in Harare on Saturday. The bloc's chair, South African President Cyril "
            "Ramaphosa, welcomed the leaders.",
            {"ZA"},
        ),
        (
            "en",
            "The SADC summit opened on Saturday, and Cyril Ramaphosa, the chairman of SADC, spoke first.",
            {"ZA"},
        ),
        (
            "ar",
            "افتتحت القمة الإسلامية أعمالها اليوم، وألقى رئيس الدورة الحالية الرئيس عبد الفتاح السيسي كلمة.",
            {"EG"},
        ),
        # a head listed before another body's chair, an incoming chair, another body's chairman: none
        (
            "en",
            "President Cyril Ramaphosa and the chairman of the commission met before the SADC summit.",
            set(),
        ),
        (
            "en",
            "The SADC summit opened on Saturday. Cyril Ramaphosa, the incoming chairperson, spoke last.",
            set(),
        ),
        (
            "en",
            "The SADC summit opened on Saturday. Cyril Ramaphosa met the chairman of the national council.",
            set(),
        ),
        # "своего председательства", "the Indian presidency": the state whose chairmanship it is
        (
            "ru",
            "Саммит ОДКБ прошел в Ереване. Армения подвела итоги своего председательства в организации.",
            {"AM"},
        ),
        (
            "en",
            "The G20 summit closed in New Delhi. Leaders praised the Indian presidency for its work on debt.",
            {"IN"},
        ),
        ("en", "The Arab League summit opened in Cairo, the Egyptian presidency said in a statement.", set()),
        # "خلفا ل" (succeeding) before a head's titles, state and name: the one the chairmanship passes from
        (
            "ar",
            "تسلم الرئيس الكيني رئاسة القمة الأفريقية أمس خلفا لرئيس الوزراء الإثيوبي آبي أحمد الذي تولى "
            "الرئاسة العام الماضي.",
            {"KE"},
        ),
        # the presidency a take-over verb's subject takes: a state after it is no chair
        (
            "ar",
            "وتسلم الأردن الرئاسة الدورية للقمة العربية خلال انعقادها في الرياض بالمملكة العربية السعودية.",
            {"JO"},
        ),
    ],
)
def test_chair_titles_beside_heads_own_chairmanships_and_taken_presidencies(
    pipeline: Pipeline, lang: str, body: str, chair: set[str]
) -> None:
    assert chair_read(read(pipeline, body, lang, published="2023-11-03")) == chair


class _Fixed:
    """A decider that returns set probabilities for the venue decisions, by candidate key."""

    def __init__(self, in_state: dict[str, float], to_city: dict[str, float]) -> None:
        self.scores = {"venue": in_state, "venue_city": to_city}

    def probability(self, decision: str, keys: list[str], rows: object) -> list[float]:
        return [self.scores[decision].get(key, 0.0) for key in keys]

    def threshold(self, decision: str) -> float:
        return 0.4


@pytest.mark.parametrize(("to_city", "city"), [(0.3, "Tashkent"), (0.1, None)])
def test_the_city_whose_mention_gave_the_state_needs_half_the_city_cut(
    pipeline: Pipeline, to_city: float, city: str | None
) -> None:
    from handlers import decide

    body = "The SCO summit opened in Tashkent on Friday. Uzbekistan hosts the leaders of the bloc this year."
    doc = read(pipeline, body, "en", published="2024-07-05")
    candidates = venue_candidates(doc)
    assert [venue_key(c) for c in candidates] == ["UZ|Tashkent", "UZ|"]
    decider = _Fixed({"UZ|Tashkent": 0.9, "UZ|": 0.8}, {"UZ|Tashkent": to_city, "UZ|": 0.05})
    decide._venue(doc, decider, [(candidate, {}) for candidate in candidates])  # type: ignore[arg-type]
    assert doc.venue_country == "UZ"
    assert (doc.venue_city.city.name_en if doc.venue_city else None) == city


def test_a_city_state_named_as_the_venue_is_its_city(pipeline: Pipeline) -> None:
    from handlers import decide

    body = "The ASEAN summit opened in Singapore on Tuesday with the leaders of the ten member states."
    doc = read(pipeline, body, "en", published="2018-11-13")
    candidates = venue_candidates(doc)
    assert {venue_key(c) for c in candidates} >= {"SG|Singapore", "SG|"}
    # the city model prefers the state alone; the state is the city
    decider = _Fixed({"SG|": 0.9, "SG|Singapore": 0.8}, {"SG|": 0.6, "SG|Singapore": 0.2})
    decide._venue(doc, decider, [(candidate, {}) for candidate in candidates])  # type: ignore[arg-type]
    assert doc.venue_country == "SG"
    assert doc.venue_city is not None
    assert doc.venue_city.city.name_en == "Singapore"


def test_a_place_whose_sentences_write_only_other_years_is_marked(pipeline: Pipeline) -> None:
    body = (
        "The SCO summit opened in Astana on Thursday with the leaders of the member states.\n"
        "The leaders at an earlier meeting in Tashkent, June 2016."
    )
    doc = read(pipeline, body, "en", published="2024-07-04")
    rows = {venue_key(c): row for c, row in venue_features(doc)}
    assert rows["UZ|Tashkent"]["sentence_other_year_all"] == 1.0
    assert rows["KZ|Astana"]["sentence_other_year_all"] == 0.0


@pytest.mark.parametrize(
    ("lang", "body", "value"),
    [
        # a summit word after a preparation cue, of the summit's own series: its ordinal is still offered
        (
            "ru",
            "В Душанбе открылся саммит ШОС. Министры завершили подготовку к двадцать пятому саммиту ШОС, "
            "сообщили в МИД.",
            25,
        ),
        (
            "en",
            "Leaders gathered in Astana for the summit of the Shanghai Cooperation Organisation. "
            "Ministers met on Monday in preparation for the 24th SCO summit.",
            24,
        ),
    ],
)
def test_the_ordinal_of_a_referenced_summit_word_is_offered_with_its_mark(
    pipeline: Pipeline, lang: str, body: str, value: int
) -> None:
    doc = read(pipeline, body, lang, published="2024-07-02")
    assert value in ordinal_offers(doc)
    rows = {mention.value: row for mention, row in ordinal_features(doc)}
    assert rows[value]["referenced_summit_word"] == 1.0


def ruled_out(doc: Doc) -> dict[int, bool]:
    """Each ordinal candidate's value -> whether the text shows it numbers no meeting of the series."""
    candidates = ordinal_candidates(doc)
    values = {mention.value for mention, _ in candidates}
    return {mention.value: numbers_no_meeting(doc, mention, values) for mention, _ in candidates}


@pytest.mark.parametrize(
    ("lang", "body", "out", "kept"),
    [
        # a regnal number right after a king's name
        (
            "ar",
            "وصل الملك عبدالله الثاني إلى المنامة للمشاركة في القمة العربية الثالثة والثلاثين.",
            2,
            33,
        ),
        # "the first ... since": the first one after something, not the series' first
        (
            "en",
            "The 45th summit of the Gulf Cooperation Council opened in Kuwait, the first summit held there "
            "since the pandemic ended.",
            1,
            45,
        ),
        # "the Nth ... next": the next meeting's number
        (
            "ar",
            "اختتمت في الدوحة أعمال القمة الخليجية الرابعة والأربعين، "
            "ودعا القادة إلى حضور الدورة الـ45 المقبلة في الكويت.",
            45,
            44,
        ),
        # a count of one kind of the series' meetings
        (
            "en",
            "The sixth summit of the Quad, the fourth in-person one, opened in Wilmington on Saturday.",
            4,
            6,
        ),
        # the meeting someone chaired, when another ordinal numbers this summit
        (
            "ar",
            "ألقى رئيس القمة الـ20 كلمة قبل تسليم الرئاسة، وانطلقت أعمال القمة الـ21 للتجمع في القاهرة.",
            20,
            21,
        ),
        # "the first ... under" someone's lead
        (
            "ru",
            "В Гааге открылся тридцать пятый саммит НАТО, первый под руководством нового генсека альянса.",
            1,
            35,
        ),
        # a clock time
        (
            "ar",
            "تنطلق القمة العربية الرابعة والثلاثون في بغداد في تمام العاشرة صباحا.",
            10,
            34,
        ),
        # the session of a global body named right after it, not the summit's own format
        (
            "en",
            "The 45th GCC summit opened in Kuwait on Sunday, days after the 79th session of the UN General "
            "Assembly closed in New York.",
            79,
            45,
        ),
        (
            "ar",
            "انطلقت القمة الخليجية الخامسة والأربعون في الكويت، بينما يشارك وزير في الدورة الـ79 "
            "للجمعية العامة للأمم المتحدة.",
            79,
            45,
        ),
        (
            "ru",
            "В Казани открылся шестнадцатый саммит БРИКС, а министр улетел на двадцать девятую "
            "конференцию сторон в Баку.",
            29,
            16,
        ),
    ],
)
def test_ordinals_that_number_no_meeting_of_the_series_are_ruled_out(
    pipeline: Pipeline, lang: str, body: str, out: int, kept: int
) -> None:
    doc = read(pipeline, body, lang, published="2024-05-16")
    found = ruled_out(doc)
    assert found.get(out) is True
    assert found.get(kept) is False


def test_a_global_bodys_session_is_ruled_out_only_beside_another_format(pipeline: Pipeline) -> None:
    # the summit of that body itself keeps its number ("the 29th Conference of the Parties" in a COP report)
    body = "The 29th Conference of the Parties opened in Baku, where leaders gathered for the climate summit."
    doc = read(pipeline, body, "en", published="2024-11-12")
    assert doc.fmt is not None
    assert doc.fmt.key == "cop"
    assert ruled_out(doc).get(29) is False


def test_a_ruled_out_ordinal_is_never_the_events_even_when_likeliest(pipeline: Pipeline) -> None:
    body = "وصل الملك عبدالله الثاني إلى المنامة للمشاركة في القمة العربية الثالثة والثلاثين."
    doc = read(pipeline, body, "ar", published="2024-05-16")
    rows = ordinal_features(doc)

    class Likeliest:
        """Scores the regnal number highest."""

        def probability(self, decision: str, keys: list[str], rows: list[dict[str, float]]) -> list[float]:
            return [0.99 if key == "2" else 0.8 for key in keys]

        def threshold(self, decision: str) -> float:
            return 0.5

    decide_ordinal(doc, Likeliest(), rows)  # type: ignore[arg-type]
    assert ordinal(doc) == 33


def test_the_chair_of_the_only_numbered_summit_is_not_ruled_out(pipeline: Pipeline) -> None:
    body = "وقال ملك البحرين رئيس القمة العربية الـ33 إن القادة اتفقوا على خطة عمل مشتركة في المنامة."
    doc = read(pipeline, body, "ar", published="2024-05-16")
    assert ruled_out(doc).get(33) is False


def test_date_rows_say_where_each_day_falls_against_the_formats_known_meetings(pipeline: Pipeline) -> None:
    body = (
        "Leaders of the Shanghai Cooperation Organisation began arriving in Yekaterinburg on June 13, 2009. "
        "The SCO summit opened there on June 15, 2009 and ended on June 16, 2009. "
        "A business forum of the bloc followed in Moscow on August 10, 2009."
    )
    doc = read(pipeline, body, "en", published="2009-06-17")
    assert doc.fmt is not None
    assert doc.fmt.key == "sco"
    rows = {mention.start_date: row for mention, row in date_features(doc, status_signals(doc))}
    flags = ("first_day", "later_day", "before_main_day", "eve", "near_no_meeting_day")
    said = {day: [f for f in flags if row[f"calendar_{f}"]] for day, row in rows.items()}
    assert said.get("2009-06-15") == ["first_day"]
    assert said.get("2009-06-16") == ["later_day"]  # its closing day
    assert said.get("2009-06-13") == ["eve"]  # two days before: arrivals
    assert said.get("2009-08-10") == ["near_no_meeting_day"]
    assert all(row["calendar_listed"] == 1.0 for row in rows.values())


def test_date_rows_take_a_meetings_main_day_for_its_first_where_the_calendar_tells_them_apart(
    pipeline: Pipeline,
) -> None:
    # the calendar gives the 2024 Astana summit its formal session's day (July 4) apart from its first
    # (July 3: arrivals and an informal dinner)
    body = (
        "Leaders of the Shanghai Cooperation Organisation arrived in Astana on July 3, 2024 for an informal "
        "dinner. The SCO summit held its session on July 4, 2024."
    )
    doc = read(pipeline, body, "en", published="2024-07-05")
    assert doc.fmt is not None
    assert doc.fmt.key == "sco"
    rows = {mention.start_date: row for mention, row in date_features(doc, status_signals(doc))}
    flags = ("first_day", "later_day", "before_main_day", "eve")
    said = {day: [f for f in flags if row[f"calendar_{f}"]] for day, row in rows.items()}
    assert said.get("2024-07-04") == ["first_day"]
    assert said.get("2024-07-03") == ["before_main_day"]


def test_a_calendar_main_day_must_fall_within_its_meeting() -> None:
    text = (
        '[[format]]\nkey = "x"\n'
        'meetings = [{ start = "2024-07-03", end = "2024-07-04", main = "2024-07-04" }]\n'
    )
    assert [m.main for m in Calendar.from_toml(text).candidates("x")] == [dt.date(2024, 7, 4)]
    with pytest.raises(ValueError, match="main day"):
        Calendar.from_toml(text.replace('main = "2024-07-04"', 'main = "2024-07-05"'))


def test_date_rows_of_a_format_the_calendar_lacks_say_nothing_of_it(pipeline: Pipeline) -> None:
    body = "The summit of the leaders opened in the capital on July 3, 2024."
    doc = read(pipeline, body, "en", published="2024-07-05")
    for _, row in date_features(doc, status_signals(doc)):
        assert row["calendar_listed"] == 0.0
        assert not any(v for k, v in row.items() if k.startswith("calendar_") and k != "calendar_listed")


def test_relative_days_count_from_the_dispatchs_dateline_filed_the_day_before(pipeline: Pipeline) -> None:
    body = (
        "Riyadh, 9 December 2018 (agency) - The summit of the Gulf Cooperation Council was held in the city "
        "today and the leaders adopted a final statement."
    )
    doc = read(pipeline, body, "en", published="2018-12-10")
    assert [m.start_date for m, _ in date_candidates(doc)] == ["2018-12-09", "2018-12-09"]
    later = read(pipeline, body, "en", published="2018-12-14")  # days later: no dispatch of that day
    assert [m.start_date for m, _ in date_candidates(later)] == ["2018-12-09", "2018-12-14"]


@pytest.mark.parametrize(
    ("body", "value"),
    [
        # the summit word, then a copula and the ordinal far after it
        (
            "افتتحت القمة الثلاثية في العاصمة الأذربيجانية باكو بحضور الرئيس الروسي فلاديمير بوتين والرئيس "
            "التركي رجب طيب أردوغان والرئيس الإيراني حسن روحاني لبحث الملف السوري، "
            "وهي الرابعة بين الدول الثلاث.",
            4,
        ),
        # a meeting noun of the lead, then the copula
        ("شهدت موسكو أمس اجتماعا هو الأول بين رؤساء روسيا وتركيا وإيران. وتناولت القمة الملف السوري.", 1),
        # a demonstrative, then the ordinal before a meeting noun
        ("اختتمت القمة الخليجية الأمريكية في الرياض. وتعد هذه ثالث قمة تجمع الجانبين بعد قمتين سابقتين.", 3),
        # the summit as the subject of "تعد ... هي"
        ("تستضيف أثينا القمة الثلاثية يوم الأحد. وتعد هذه القمة هي السادسة من نوعها بين الدول الثلاث.", 6),
    ],
)
def test_an_arabic_predicative_ordinal_is_offered_with_its_mark(
    pipeline: Pipeline, body: str, value: int
) -> None:
    doc = read(pipeline, body, "ar", published="2024-05-16")
    rows = {mention.value: row for mention, row in ordinal_features(doc)}
    assert value in rows
    assert rows[value]["predicative"] == 1.0


@pytest.mark.parametrize(
    "body",
    [
        # first of its kind
        "اختتمت القمة العربية في الرياض أعمالها. وتعد هذه الخطوة الأولى من نوعها في تاريخ المنطقة.",
        # someone's count of the series' meetings
        "اختتمت القمة الخليجية في الرياض أعمالها. وتعد هذه أول قمة خليجية يشارك فيها ولي العهد الجديد.",
        # "أول" before a noun that names no meeting
        "اختتمت القمة الخليجية في الرياض أعمالها، وهي أول زيارة للرئيس إلى المنطقة.",
    ],
)
def test_an_arabic_copula_before_another_count_marks_no_predicative_ordinal(
    pipeline: Pipeline, body: str
) -> None:
    doc = read(pipeline, body, "ar", published="2024-05-16")
    assert not any(row["predicative"] for _, row in ordinal_features(doc))


@pytest.mark.parametrize(
    ("lang", "body", "value"),
    [
        ("ar", "تنطلق اليوم في تونس أعمال قمة تيكاد 8 بحضور الرئيس قيس سعيد ورئيس السنغال ماكي سال.", 8),
        ("en", "TICAD 8 opened in Tunis on Saturday with the presidents of Tunisia and Senegal.", 8),
    ],
)
def test_a_number_after_the_formats_name_that_the_calendar_knows_is_its_ordinal(
    pipeline: Pipeline, lang: str, body: str, value: int
) -> None:
    assert ordinal(read(pipeline, body, lang, published="2022-08-27")) == value


def test_a_number_after_the_formats_name_the_calendar_does_not_know_or_a_day_is_no_ordinal(
    pipeline: Pipeline,
) -> None:
    body = "TICAD 27 August opened in Tunis with the presidents of Tunisia and Senegal."
    assert ordinal(read(pipeline, body, "en", published="2022-08-27")) is None
    body = "TICAD 40 opened in Tunis with the presidents of Tunisia and Senegal."
    assert ordinal(read(pipeline, body, "en", published="2022-08-27")) is None


def test_the_session_a_state_chaired_is_ruled_out_beside_the_one_it_hands_over(pipeline: Pipeline) -> None:
    body = (
        "افتتحت قمة منظمة التعاون الإسلامي في إسطنبول. وسلمت مصر التي ترأست الدورة الثانية عشرة للمنظمة "
        "رئاسة الدورة الثالثة عشرة إلى تركيا."
    )
    found = ruled_out(read(pipeline, body, "ar", published="2016-04-14"))
    assert found.get(12) is True
    assert found.get(13) is False


def test_venue_rows_see_a_place_said_in_another_tense_than_the_summit(pipeline: Pipeline) -> None:
    # a report of the fifth meeting, to come, that recalls where the fourth was held
    body = (
        "The fifth summit of the Shanghai Cooperation Organisation will be held in Astana next month. "
        "The fourth summit of the group was held in Tashkent in 2023."
    )
    doc = read(pipeline, body, "en", published="2024-06-02")
    venues = {venue_key(candidate): row for candidate, row in venue_features(doc)}
    assert (venues["KZ|Astana"]["tense_agrees"], venues["KZ|Astana"]["tense_against"]) == (1.0, 0.0)
    assert (venues["UZ|Tashkent"]["tense_agrees"], venues["UZ|Tashkent"]["tense_against"]) == (0.0, 1.0)
    assert venues["UZ|Tashkent"]["tense_held"] == 1.0
    assert venues["UZ|Tashkent"]["summit_tense_upcoming"] == 1.0


@pytest.mark.parametrize(
    ("body", "lang"),
    [
        ("В Нью-Дели начинается двухдневный саммит БРИКС.", "ru"),
        ("В Астане начались переговоры глав государств в рамках саммита СНГ.", "ru"),
        ("Открывается саммит ШОС в Астане.", "ru"),
        ("The G20 summit kicks off in Osaka with the leaders of the bloc.", "en"),
        ("The G20 summit gets underway in Osaka with the leaders of the bloc.", "en"),
    ],
)
def test_a_summit_said_to_be_opening_with_no_date_written_opens_on_the_articles_day(
    pipeline: Pipeline, body: str, lang: str
) -> None:
    doc = read(pipeline, body, lang, published="2012-03-28")
    assert ("2012-03-28", 1.0) in candidates_with(doc, "opening_day")


def test_a_meetings_days_written_out_state_its_first_day_though_the_calendar_knows_a_main_one(
    pipeline: Pipeline,
) -> None:
    # "3-4 July" names the whole meeting: its first day is what it states, not a day before the formal one
    body = "The SCO summit was held in Astana on July 3-4, 2024. Leaders arrived on July 3, 2024."
    doc = read(pipeline, body, "en", published="2024-07-05")
    rows = date_features(doc, status_signals(doc))
    span = [row for mention, row in rows if mention.end_date == "2024-07-04"]
    day = [row for mention, row in rows if mention.start_date == "2024-07-03" and mention.end_date is None]
    assert span
    assert span[0]["calendar_first_day"] == 1.0
    assert span[0].get("calendar_before_main_day", 0.0) == 0.0
    assert day
    assert day[0]["calendar_before_main_day"] == 1.0


@pytest.mark.parametrize(
    ("fmt", "ordinal", "main"),
    [("asean", 32, "2018-04-28"), ("asean", 30, "2017-04-29"), ("china-central-asia", 2, "2025-06-17")],
)
def test_the_calendar_gives_other_formats_their_formal_days(fmt: str, ordinal: int, main: str) -> None:
    meetings = [m for m in Calendar.load().candidates(fmt) if ordinal in m.ordinals]
    assert [m.main for m in meetings] == [dt.date.fromisoformat(main)]


@pytest.mark.parametrize(
    ("body", "lang", "state", "signals"),
    [
        # the organisation's chair for its term, named apart from this meeting
        (
            "The summit of ASEAN and the United States in Washington was postponed, the minister said. "
            "Cambodia is the current chair of the bloc.",
            "en",
            "KH",
            {"cue_term_word": 1.0, "cue_body_after": 1.0, "cue_meeting_after": 0.0},
        ),
        (
            "Саммит СНГ пройдет в Ташкенте, столице председательствующего в организации Узбекистана.",
            "ru",
            "UZ",
            {"cue_term_word": 0.0, "cue_body_after": 1.0},
        ),
        (
            "وتستضيف كازاخستان، التي تترأس الرابطة في عام 2022، قمة رابطة الدول المستقلة في أستانا.",
            "ar",
            "KZ",
            {"cue_term_year": 1.0, "cue_body_after": 1.0},
        ),
        # the meeting's own chair: the summit named right after the cue
        (
            "The summit opened in Bali, chaired by Indonesia, whose president opened the session.",
            "en",
            "ID",
            {"cue_term_word": 0.0, "cue_term_year": 0.0, "cue_body_after": 0.0},
        ),
    ],
)
def test_chair_rows_tell_a_chairmanship_of_the_bodys_term_from_the_meetings(
    pipeline: Pipeline, body: str, lang: str, state: str, signals: dict[str, float]
) -> None:
    rows = chair_features(read(pipeline, body, lang, published="2022-10-12"))
    assert state in rows
    assert {name: rows[state].get(name, 0.0) for name in signals} == signals


def test_a_chair_cue_followed_by_the_summit_is_the_meetings_chair(pipeline: Pipeline) -> None:
    body = "Egypt holds the presidency of the summit, which opened in Cairo on Monday."
    rows = chair_features(read(pipeline, body, "en", published="2022-10-12"))
    assert rows["EG"]["cue_meeting_after"] == 1.0
    assert rows["EG"]["cue_body_after"] == 0.0
