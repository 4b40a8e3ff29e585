"""summit_id: every report of one meeting shares it, whatever it states; different meetings never do."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date
from importlib import resources

import pytest

from handlers.identity import Facts, Readings, identify, resolve
from handlers.knowledge import KnowledgeBase
from handlers.meetings import KINDS, Calendar, place_key
from handlers.pipeline import Pipeline
from schemas import RawArticle, RegionalSummit
from tests.unit.deciders import reports_pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return reports_pipeline()


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
    assert (dated.summit_id, dated.rule) == ("c5-consultative:~TM-2026-09", "month")
    assert resolve(facts(start=date(2026, 9, 20)), calendar).summit_id == "c5-consultative:~2026-09"
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


def test_one_month_in_two_states_is_two_meetings_when_the_calendar_lacks_them(calendar: Calendar) -> None:
    cis = facts(fmt="cis", members=frozenset({"RU", "BY", "KZ", "KG", "TJ", "UZ", "AM", "AZ", "TM"}))
    in_tm = resolve(replace(cis, start=date(2027, 12, 9), city="Ashgabat", country="TM"), calendar)
    in_ru = resolve(replace(cis, start=date(2027, 12, 22), city="Saint Petersburg", country="RU"), calendar)
    assert (in_tm.rule, in_ru.rule) == ("month", "month")
    assert in_tm.summit_id != in_ru.summit_id


def test_a_kind_the_format_holds_unlisted_keeps_its_reports_apart_from_regular_ones(
    calendar: Calendar,
) -> None:
    cis = facts(fmt="cis", members=frozenset(), start=date(2021, 5, 28), city="Minsk", country="BY")
    government = resolve(replace(cis, kinds=frozenset({"heads-of-government"})), calendar)
    assert government.summit_id == "cis:heads-of-government~BY-2021-05"
    assert resolve(cis, calendar).summit_id == "cis:~BY-2021-05"
    with pytest.raises(ValueError, match="unknown kinds"):
        Calendar.from_toml('[[format]]\nkey = "x"\nkinds = ["weekly"]\nmeetings = []\n')


def test_dropped_readings_name_the_meeting_but_are_never_published(
    pipeline: Pipeline, calendar: Calendar
) -> None:
    event = report(pipeline, SIXTH_BY_DATE, "en", None, "r1")  # no publication day to go by
    bare_summit = event.summit.model_copy(update={"start_date": None, "end_date": None, "venue": None})
    bare = event.model_copy(update={"summit": bare_summit, "summit_id": None, "meeting": None})
    assert identify(bare, calendar).meeting is None, "nothing stated: no meeting"
    dropped = Readings(start_date="2024-08-09", city="Astana", country="KZ")
    found = identify(bare, calendar, dropped)
    assert found.summit_id == "c5-consultative:6"
    assert found.summit == bare_summit, "the event's fields stay as decided (null)"


def test_a_dropped_reading_counts_less_than_a_stated_one_and_makes_no_fallback_id(calendar: Calendar) -> None:
    assert resolve(facts(ordinal=6), calendar).summit_id == "c5-consultative:6"
    weak = resolve(facts(weak=facts(ordinal=6)), calendar)
    assert weak.meeting is None, "a dropped ordinal alone (half of +4) is below the bar"
    assert weak.rule == "article"
    stated_date = facts(start=date(2024, 8, 9), weak=facts(ordinal=7))
    assert resolve(stated_date, calendar).summit_id == "c5-consultative:6", "a stated date outweighs it"
    assert resolve(facts(weak=facts(ordinal=8)), calendar).rule == "article", "no `<format>:8` from it"


def unformatted(**given: object) -> Facts:
    return facts(fmt=None, members=frozenset(), **given)


def test_a_report_of_no_known_format_is_the_meeting_held_in_its_city_on_its_day(calendar: Calendar) -> None:
    nouakchott = unformatted(start=date(2016, 7, 25), city="Nouakchott", country="MR")
    assert (resolve(nouakchott, calendar).summit_id, resolve(nouakchott, calendar).rule) == (
        "arab-league:27",
        "any-format",
    )
    second = unformatted(ordinal=2, start=date(2019, 11, 29), published=date(2019, 11, 22), status="upcoming")
    assert resolve(second, calendar).summit_id == "c5-consultative:2", "an ordinal and a day"


def test_a_report_of_no_known_format_needs_the_time_and_a_numbered_meetings_own_ordinal(
    calendar: Calendar,
) -> None:
    # the 21st meeting of another body, held in Bishkek on the day of the (unnumbered) CIS summit there
    other_body = unformatted(ordinal=21, start=date(2008, 10, 10), city="Bishkek", country="KG")
    assert resolve(other_body, calendar).meeting is None
    assert resolve(replace(other_body, ordinal=None), calendar).summit_id == "cis:2008-10-10"
    # "the second summit, in Saint Petersburg": sco:2 was held there in 2002, but nothing says when
    timeless = unformatted(ordinal=2, city="Saint Petersburg", country="RU")
    assert resolve(timeless, calendar).meeting is None


def test_two_formats_meeting_in_one_city_that_week_are_told_apart_only_by_the_one_the_text_names(
    calendar: Calendar,
) -> None:
    ufa = unformatted(start=date(2015, 7, 10), city="Ufa", country="RU", published=date(2015, 7, 10))
    assert resolve(ufa, calendar).meeting is None, "the SCO and BRICS summits were both in Ufa"
    assert resolve(replace(ufa, named=frozenset({"sco"})), calendar).summit_id == "sco:15"
    assert resolve(replace(ufa, named=frozenset({"brics"})), calendar).summit_id == "brics:7"


def test_a_misread_format_yields_to_a_meeting_of_a_format_the_text_names(calendar: Calendar) -> None:
    doha = facts(
        fmt="un-general-assembly", members=frozenset(), city="Doha", country="QA", published=date(2025, 9, 15)
    )
    assert resolve(doha, calendar).meeting is None
    named = replace(doha, named=frozenset({"un-general-assembly", "oic", "arab-league"}))
    found = resolve(named, calendar)
    assert (found.summit_id, found.rule) == ("arab-islamic:2025-09-15", "named-format")


def test_the_readers_values_are_kept_for_identity_before_the_decisions(pipeline: Pipeline) -> None:
    article = RawArticle.model_validate({"id": "k1", "language": "en", "body": SIXTH_BY_DATE})
    doc = pipeline.read(article)
    assert doc is not None
    assert doc.readings is not None
    readings = doc.readings
    assert (readings.start_date, readings.city, readings.country) == ("2024-08-09", "Astana", "KZ")
    assert "c5-consultative" in readings.formats


def test_a_summit_of_a_format_with_no_ordinals_is_its_meeting_by_date_and_venue(calendar: Calendar) -> None:
    none: frozenset[str] = frozenset()
    beijing = resolve(
        facts(fmt="focac", members=none, start=date(2024, 9, 5), city="Beijing", country="CN"), calendar
    )
    johannesburg = resolve(
        facts(fmt="focac", members=none, start=date(2015, 12, 4), city="Johannesburg", country="ZA"), calendar
    )
    assert beijing.meeting is not None
    assert johannesburg.meeting is not None
    assert beijing.summit_id != johannesburg.summit_id
    later = resolve(facts(fmt="focac", members=none, start=date(2024, 9, 4), article_id="y"), calendar)
    assert later.summit_id == beijing.summit_id
