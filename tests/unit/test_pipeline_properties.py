"""Properties of the whole pipeline on arbitrary text (hypothesis) and on fixed summit reports."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.assemble import event_id, summit_key
from handlers.pipeline import Pipeline
from schemas import RawArticle, RegionalSummit
from tests.strategies import arabic_news, news_text
from tests.unit.deciders import reports_pipeline
from tests.unit.test_detection import all_mentions

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def reports() -> Pipeline:
    """The fixed texts below taken as summit reports: what is asked of them is their ids."""
    return reports_pipeline()


def article(
    body: str, lang: str = "ar", published: str | None = "2024-08-09", ident: str = "prop"
) -> RawArticle:
    raw: dict[str, str] = {"id": ident, "language": lang, "body": body}
    if published is not None:
        raw["published_at"] = published
    return RawArticle.model_validate(raw)


def valid_body(text: str) -> bool:
    return bool(text.strip())


languages = st.sampled_from(["ar", "en", "ru"])


@PROPERTY_SETTINGS
@given(body=news_text.filter(valid_body), lang=languages)
def test_pipeline_never_raises_on_any_unicode_body(pipeline: Pipeline, body: str, lang: str) -> None:
    outcome = pipeline.analyse(article(body, lang))
    assert isinstance(outcome.events, tuple)
    assert outcome.events or outcome.reason


@PROPERTY_SETTINGS
@given(body=news_text.filter(valid_body), lang=languages)
def test_every_mention_offset_points_into_the_body(pipeline: Pipeline, body: str, lang: str) -> None:
    for event in pipeline.process(article(body, lang)):
        for mention in all_mentions(event):
            assert 0 <= mention.start <= mention.end <= len(body)
            assert body[mention.start : mention.end] == mention.text


@PROPERTY_SETTINGS
@given(body=arabic_news().filter(valid_body))
def test_event_id_and_summit_key_are_deterministic(pipeline: Pipeline, body: str) -> None:
    first = pipeline.process(article(body))
    second = pipeline.process(article(body))
    assert [e.model_dump() for e in first] == [e.model_dump() for e in second]
    assert [(e.event_id, e.summit_key) for e in first] == [(e.event_id, e.summit_key) for e in second]


@PROPERTY_SETTINGS
@given(body=news_text.filter(valid_body), lang=languages)
def test_confidence_is_a_probability_and_output_is_well_formed(
    pipeline: Pipeline, body: str, lang: str
) -> None:
    for event in pipeline.process(article(body, lang)):
        assert 0.0 <= event.confidence <= 1.0
        assert event.participant_countries == sorted(set(event.participant_countries))
        RegionalSummit.model_validate(event.model_dump())  # round-trips through the wire model


@PROPERTY_SETTINGS
@given(
    prefix=st.text(max_size=80).filter(lambda s: "\r" not in s),
    suffix=st.text(max_size=80).filter(lambda s: "\r" not in s),
)
def test_mentions_stay_valid_with_noise_around_a_real_summit(
    pipeline: Pipeline, prefix: str, suffix: str
) -> None:
    core = (
        "انعقد اليوم في العاصمة الكازاخستانية أستانا الاجتماع التشاوري السادس لرؤساء دول آسيا الوسطى "
        "برئاسة الرئيس الكازاخستاني قاسم جومارت توكاييف، واعتمد القادة إعلان أستانا."
    )
    body = prefix + "\n" + core + "\n" + suffix
    for event in pipeline.process(article(body)):
        for mention in all_mentions(event):
            assert body[mention.start : mention.end] == mention.text


# --------------------------------------------------------------------------- fixed examples


C5_AR = (
    "أستانا 9 أغسطس (قنا) - انعقد اليوم في العاصمة الكازاخستانية أستانا الاجتماع التشاوري السادس لرؤساء "
    "دول آسيا الوسطى بمشاركة رؤساء الدول الخمس."
)
C5_EN = (
    "ASTANA, August 9 (Kazinform) - The sixth Consultative Meeting of the Heads of State of Central Asia "
    "was held in Astana today with the participation of the five presidents."
)


def test_same_summit_read_in_two_languages_has_the_same_summit_key(pipeline: Pipeline) -> None:
    ar = pipeline.read(article(C5_AR, "ar", ident="a1"))
    en = pipeline.read(article(C5_EN, "en", ident="e1"))
    assert ar is not None
    assert en is not None
    key = summit_key(ar)
    assert key == summit_key(en) == "c5-consultative:6"  # the format and ordinal each reads
    assert event_id("a1", key, pipeline.version) != event_id("e1", key, pipeline.version)


def test_same_article_twice_gives_the_same_event_id(reports: Pipeline) -> None:
    first = reports.process(article(C5_AR, ident="same"))
    second = reports.process(article(C5_AR, ident="same"))
    assert len(first) == 1
    assert first[0].event_id == second[0].event_id
    assert first[0].summit_key == second[0].summit_key


def test_different_summits_have_different_summit_keys(reports: Pipeline) -> None:
    sixth = reports.process(article(C5_AR, ident="s6"))
    seventh = reports.process(article(C5_AR.replace("السادس", "السابع"), ident="s7", published="2025-11-16"))
    assert len(sixth) == len(seventh) == 1
    assert sixth[0].summit_key != seventh[0].summit_key
