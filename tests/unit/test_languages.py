"""English and Russian reports: names in any case, initials, homonyms kept apart, one key per summit."""

from __future__ import annotations

import pytest

from handlers.pipeline import Pipeline
from schemas import RawArticle, RegionalSummit
from tests.unit.deciders import reports_pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    # what is read from a report: whether a short written text is one is the summit model's business
    return reports_pipeline()


def _events(pipeline: Pipeline, body: str, lang: str, published: str) -> list[RegionalSummit]:
    article = RawArticle.model_validate(
        {"id": f"t-{lang}", "language": lang, "published_at": published, "body": body}
    )
    return pipeline.process(article)


def test_russian_declined_names_and_the_two_japarovs_kept_apart_by_title(pipeline: Pipeline) -> None:
    body = (
        "В Бишкеке состоялся саммит СНГ. В заседании Совета глав государств СНГ приняли участие "
        "Президент Кыргызстана Садыр Жапаров, Президент России Владимир Путин и Президент Казахстана "
        "Касым-Жомарт Токаев. Отдельно Председатель Кабинета министров Кыргызстана "
        "Акылбек Жапаров провел встречи."
    )
    [event] = _events(pipeline, body, "ru", "2023-10-13")
    roles = {p.name: p.role for p in event.participants}
    assert roles["Sadyr Japarov"] == "president"
    assert roles["Akylbek Japarov"] == "prime_minister"
    assert event.summit.organization == "CIS"
    assert event.summit.venue is not None
    assert event.summit.venue.city == "Bishkek"


def test_russian_initials_before_surnames(pipeline: Pipeline) -> None:
    body = (
        "В Москве прошел саммит глав государств с участием Президента России Д.А.Медведева, "
        "Президента Казахстана Н.А.Назарбаева и Президента Белоруссии А.Г.Лукашенко."
    )
    [event] = _events(pipeline, body, "ru", "2011-11-20")
    assert {p.name for p in event.participants} == {
        "Dmitry Medvedev",
        "Nursultan Nazarbayev",
        "Alexander Lukashenko",
    }
    assert event.participant_countries == ["BY", "KZ", "RU"]


def test_the_two_berdimuhamedows_by_date(pipeline: Pipeline) -> None:
    father = _events(
        pipeline,
        "انعقدت في عشق آباد قمة ثلاثية بمشاركة رئيس تركمانستان قربان قولي بردي محمدوف "
        "ورئيس أذربيجان إلهام علييف ورئيس أوزبكستان شوكت ميرضيائيف.",
        "ar",
        "2019-05-20",
    )
    son = _events(
        pipeline,
        "Turkmen President Serdar Berdimuhamedov attended the sixth Consultative Meeting of the "
        "Heads of State of Central Asia in Astana on 9 August 2024, with Kazakh President "
        "Kassym-Jomart Tokayev.",
        "en",
        "2024-08-09",
    )
    assert "Gurbanguly Berdimuhamedow" in {p.name for p in father[0].participants}
    assert "Serdar Berdimuhamedow" in {p.name for p in son[0].participants}


def test_one_summit_reported_in_three_languages_has_one_key(pipeline: Pipeline) -> None:
    reports = [
        (
            "انعقد في أستانا اليوم الاجتماع التشاوري السادس لرؤساء دول آسيا الوسطى بمشاركة رؤساء كازاخستان "
            "وقرغيزستان وطاجيكستان وتركمانستان وأوزبكستان.",
            "ar",
        ),
        (
            "The sixth Consultative Meeting of the Heads of State of Central Asia was held in Astana "
            "today with the presidents of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan.",
            "en",
        ),
        (
            "В Астане сегодня прошла шестая Консультативная встреча глав государств Центральной Азии "
            "с участием президентов Казахстана, Кыргызстана, Таджикистана, Туркменистана и Узбекистана.",
            "ru",
        ),
    ]
    keys = {
        event.summit_key for body, lang in reports for event in _events(pipeline, body, lang, "2024-08-09")
    }
    assert keys == {"c5-consultative:6"}


def test_english_first_of_a_kind_is_not_an_ordinal(pipeline: Pipeline) -> None:
    body = (
        "Xi'an hosts the first in-person gathering among heads of state of China and five Central Asian "
        "countries since ties were established, as the China-Central Asia Summit was held on Friday."
    )
    [event] = _events(pipeline, body, "en", "2023-05-19")
    assert event.summit.ordinal is None
