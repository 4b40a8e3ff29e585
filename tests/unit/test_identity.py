"""summit_id: every report of one meeting shares it, whatever it states; different meetings never do."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from importlib import resources

import pytest

from handlers.decide import Models
from handlers.features import Row
from handlers.identity import Facts, identify, resolve
from handlers.knowledge import KnowledgeBase
from handlers.meetings import KINDS, Calendar, place_key
from handlers.pipeline import Pipeline
from schemas import RawArticle, RegionalSummit


class SummitReports:
    """The committed models, except that every article here is taken as a summit report: these texts
    were written to test identity, and whether one is a report is the summit model's business."""

    def __init__(self, models: Models) -> None:
        self.models = models

    def probability(self, decision: str, keys: Sequence[str], rows: Sequence[Row]) -> list[float]:
        if decision == "summit":
            return [1.0] * len(rows)
        return self.models.probability(decision, keys, rows)

    def classes(self, decision: str, row: Row) -> dict[str, float]:
        return self.models.classes(decision, row)

    def threshold(self, decision: str) -> float:
        return self.models.threshold(decision)

    def calibrated(self, p: float) -> float:
        return self.models.calibrated(p)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.build(decider=SummitReports(Models.load()))


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return Calendar.load()


def report(pipeline: Pipeline, body: str, language: str, published: str | None, ident: str) -> RegionalSummit:
    article = RawArticle.model_validate(
        {"id": ident, "language": language, "published_at": published, "body": body}
    )
    [event] = pipeline.process(article)
    return event


SIXTH_BY_ORDINAL = (
    "انطلاق الاجتماع التشاوري السادس لرؤساء دول آسيا الوسطى\nيشارك رؤساء كازاخستان وأوزبكستان وقيرغيزستان "
    "وطاجيكستان وتركمانستان في الاجتماع التشاوري السادس لرؤساء دول آسيا الوسطى."
)
SIXTH_BY_DATE = (
    "Central Asian leaders met in Astana\nThe Consultative Meeting of the Heads of State of Central Asia was "
    "held on 9 August 2024 in Astana. President Kassym-Jomart Tokayev hosted the presidents of Uzbekistan, "
    "Kyrgyzstan, Tajikistan and Turkmenistan."
)
SIXTH_THIS_WEEK = (
    "Лидеры Центральной Азии соберутся в Астане\nНа этой неделе в Астане пройдет Консультативная встреча "
    "глав государств Центральной Азии. Президент Казахстана Касым-Жомарт Токаев примет лидеров Узбекистана, "
    "Кыргызстана, Таджикистана и Туркменистана."
)


def test_the_sixth_meeting_9_august_in_astana_and_the_astana_summit_this_week_are_one_meeting(
    pipeline: Pipeline,
) -> None:
    by_ordinal = report(pipeline, SIXTH_BY_ORDINAL, "ar", None, "r1")
    by_date = report(pipeline, SIXTH_BY_DATE, "en", "2024-08-10", "r2")
    this_week = report(pipeline, SIXTH_THIS_WEEK, "ru", "2024-08-06", "r3")
    assert len({by_ordinal.summit_key, by_date.summit_key, this_week.summit_key}) == 3, "what summit_key did"
    assert by_ordinal.summit_id == by_date.summit_id == this_week.summit_id == "c5-consultative:6"
    meeting = this_week.meeting
    assert meeting is not None
    assert meeting.venue is not None
    assert (meeting.ordinal, meeting.start_date, meeting.venue.city, meeting.host) == (
        6,
        "2024-08-09",
        "Astana",
        "KZ",
    )


def test_consecutive_consultative_meetings_are_different_meetings(pipeline: Pipeline) -> None:
    fifth = report(
        pipeline,
        "Leaders of Central Asia met in Dushanbe\nThe fifth Consultative Meeting of the Heads of State of "
        "Central Asia was held in Dushanbe on 14 September 2023.",
        "en",
        "2023-09-15",
        "c5",
    )
    seventh = report(
        pipeline,
        "Tashkent hosts Central Asian leaders\nThe seventh Consultative Meeting of the Heads of State of "
        "Central Asia was held in Tashkent on 16 November 2025.",
        "en",
        "2025-11-17",
        "c7",
    )
    sixth = report(pipeline, SIXTH_BY_DATE, "en", "2024-08-10", "c6")
    assert [fifth.summit_id, sixth.summit_id, seventh.summit_id] == [
        "c5-consultative:5",
        "c5-consultative:6",
        "c5-consultative:7",
    ]


def test_the_first_and_the_postponed_second_gcc_central_asia_summit_are_different_meetings(
    pipeline: Pipeline,
) -> None:
    first = report(
        pipeline,
        "Gulf and Central Asian leaders met in Jeddah\nThe first GCC–Central Asia Summit was held in Jeddah "
        "on 19 July 2023 with the leaders of the Gulf Cooperation Council and the five Central Asian states.",
        "en",
        "2023-07-20",
        "g1",
    )
    second = report(
        pipeline,
        "Samarkand to host Gulf and Central Asian leaders\nThe second GCC–Central Asia Summit will be held "
        "in Samarkand in May 2025, Uzbekistan's foreign ministry said.",
        "en",
        "2025-04-20",
        "g2",
    )
    assert (first.summit_id, second.summit_id) == ("gcc-central-asia:1", "gcc-central-asia:2")


def facts(**given: object) -> Facts:
    base = Facts(
        fmt="c5-consultative",
        kinds=frozenset(),
        ordinal=None,
        start=None,
        start_month_only=False,
        city=None,
        country=None,
        published=None,
        status="held",
        article_id="x",
        members=frozenset({"KZ", "KG", "TJ", "TM", "UZ"}),
    )
    found = replace(base, **given)  # type: ignore[arg-type]  # the tests pass Facts' own field types
    return replace(found, place=place_key(found.city or ""))


def test_an_ordinal_and_a_date_that_point_at_two_meetings_name_neither(calendar: Calendar) -> None:
    found = resolve(facts(ordinal=6, start=date(2025, 11, 16)), calendar)
    assert found.meeting is None
    assert found.summit_id not in ("c5-consultative:6", "c5-consultative:7")


def test_a_venue_only_names_a_meeting_with_the_publication_day(calendar: Calendar) -> None:
    astana = facts(city="Astana", country="KZ", status="upcoming")  # `replace` below keeps its place
    assert resolve(replace(astana, published=date(2024, 8, 6)), calendar).summit_id == "c5-consultative:6"
    assert resolve(replace(astana, published=date(2018, 3, 12)), calendar).summit_id == "c5-consultative:1"
    assert resolve(astana, calendar).meeting is None, "Astana hosted two: no day, no meeting"


def test_meetings_the_calendar_lacks_fall_back_to_a_rule_two_reports_agree_on(calendar: Calendar) -> None:
    eighth = facts(ordinal=8, status="upcoming", published=date(2026, 3, 1))
    assert resolve(eighth, calendar).summit_id == resolve(replace(eighth, article_id="y"), calendar).summit_id
    assert resolve(eighth, calendar).summit_id == "c5-consultative:8"
    dated = resolve(facts(start=date(2026, 9, 4), country="TM"), calendar)
    assert (dated.summit_id, dated.rule) == ("c5-consultative:~2026-09", "month")
    alone = resolve(facts(), calendar)
    assert alone.summit_id.startswith("c5-consultative:article-")
    assert alone.rule == "article"
    assert resolve(facts(fmt="eu", ordinal=1), calendar).rule != "ordinal", "the EU numbers no meetings"


def test_a_name_that_says_its_kind_keeps_kinds_apart(calendar: Calendar) -> None:
    gcc = facts(fmt="gcc", members=frozenset({"SA", "AE", "QA", "KW", "BH", "OM"}))
    assert resolve(replace(gcc, ordinal=18, kinds=frozenset({"consultative"})), calendar).summit_id == (
        "gcc:consultative-18"
    )
    assert resolve(replace(gcc, ordinal=44), calendar).summit_id == "gcc:44"
    emergency = replace(gcc, fmt="arab-league", kinds=frozenset({"extraordinary"}), start=date(2025, 3, 4))
    assert resolve(emergency, calendar).summit_id == "arab-league:extraordinary-2025-03-04"


def test_a_joint_summit_is_one_meeting_whichever_format_reports_it(calendar: Calendar) -> None:
    day = date(2023, 11, 11)
    ids = {
        resolve(
            facts(fmt=fmt, start=day, city="Riyadh", country="SA", members=frozenset()), calendar
        ).summit_id
        for fmt in ("arab-islamic", "arab-league", "oic")
    }
    assert ids == {"arab-islamic:1"}


def test_identify_sets_the_id_and_the_calendar_meeting_and_nothing_else(
    pipeline: Pipeline, calendar: Calendar
) -> None:
    event = report(pipeline, SIXTH_BY_DATE, "en", "2024-08-10", "i1")
    bare = event.model_copy(update={"summit_id": None, "meeting": None})
    assert identify(bare, calendar) == event


def test_every_format_is_in_the_calendar_with_a_source_and_every_meeting_is_well_formed(
    calendar: Calendar,
) -> None:
    raw = tomllib.loads(resources.files("handlers").joinpath("data", "meetings.toml").read_text("utf-8"))
    kb = KnowledgeBase.load()
    assert {b["key"] for b in raw["format"]} == {f.key for f in kb.formats}
    assert all(b.get("source") for b in raw["format"]), "every list says where it comes from"
    assert set(calendar.kind_words) <= set(KINDS)
    for meeting in calendar.meetings:
        assert meeting.format in calendar.known_formats
        assert all(kb.format(key) is not None for key in meeting.also), meeting.id
        assert meeting.country is None or kb.country(meeting.country) is not None, meeting.id
        assert meeting.start <= meeting.end, meeting.id
        assert not (meeting.online and meeting.country is None), meeting.id
    numbered = {(m.format, m.kind, n) for m in calendar.meetings for n in m.ordinals}
    assert len(numbered) == sum(len(m.ordinals) for m in calendar.meetings), (
        "one meeting per ordinal and kind"
    )
