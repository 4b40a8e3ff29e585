"""bench.early_no: the early rows read what the text shows before the names, and the first stage's cut keeps
every real summit of the training folds that the full model keeps."""

from __future__ import annotations

import pytest

from bench import early_no
from handlers.pipeline import Pipeline
from schemas import RawArticle

MINISTERS = (
    "The foreign ministers met in Cairo on Monday to prepare the summit.\n"
    "Egypt and Jordan sent delegations. The ministers held bilateral talks."
)
SUMMIT = (
    "The summit of the Arab League opened in Cairo on Monday.\n"
    "The leaders of Egypt and Jordan took part in the summit."
)


def _article_of(body: str) -> RawArticle:
    return RawArticle.model_validate(
        {"id": "t1", "language": "en", "body": body, "published_at": "2026-03-02T10:00:00Z"}
    )


def _read(pipeline: Pipeline, body: str) -> early_no.Reading:
    return early_no.read_staged(pipeline, _article_of(body))


@pytest.mark.parametrize(
    ("body", "stop"),
    [(MINISTERS, "summit_no"), (SUMMIT, "event"), ("Markets rose on Monday, traders said.", "look")],
)
def test_the_staged_reading_ends_as_the_pipeline_does(pipeline: Pipeline, body: str, stop: str) -> None:
    # `read_staged` repeats `prepare`'s steps to time them one by one: a step it misses shows here
    reading = _read(pipeline, body)
    outcome = pipeline.analyse(_article_of(body))
    assert reading.stop == stop
    assert bool(outcome.events) == (reading.stop == "event")
    if reading.stop in ("look", "anywhere"):
        assert outcome.reason == "no summit word in the text"
    if reading.stop == "summit_no":
        assert outcome.reason not in ("", "no summit word in the text")


def test_early_row_counts_summit_words_and_the_meeting_told_before_them(pipeline: Pipeline) -> None:
    reading = _read(pipeline, MINISTERS)
    assert reading.stop == "summit_no"  # a hard negative: turned down only by the summit model
    assert reading.early is not None
    assert reading.full is not None
    row = reading.early
    assert row["e_anchors"] == 1.0
    assert row["e_first_anchor_sentence"] == 0.0
    assert row["e_negative_before_anchor"] == 1.0  # "foreign ministers" before "summit"
    assert row["e_two_party"] >= 1.0  # "bilateral talks"
    assert row["e_states"] == 2.0  # Egypt, Jordan
    assert row["e_states_in_anchor_sentences"] == 0.0  # they stand in the second sentence, not the summit's
    assert row["lang_en"] == 1.0


def test_early_row_sees_the_format_and_the_states_beside_the_summit_word(pipeline: Pipeline) -> None:
    reading = _read(pipeline, SUMMIT)
    assert reading.stop == "event"
    row = reading.early
    assert row is not None
    assert row["e_anchors"] == 2.0
    assert row["e_formats"] == 1.0  # the Arab League, in the summit word's sentence
    assert row["e_format_in_anchor_sentences"] == 1.0
    assert row["e_scope_regional"] == 1.0
    assert row["e_states_in_anchor_sentences"] == 2.0
    assert row["e_negative_before_anchor"] == 0.0


def test_stages_are_timed_up_to_where_the_handlers_stop(pipeline: Pipeline) -> None:
    reading = _read(pipeline, "Markets rose on Monday, traders said.")
    assert reading.stop == "look"
    assert set(reading.ns) == {"look"}
    assert reading.early is None


def _article(i: int, summit: bool, signal: float) -> early_no.Article:
    early = {"signal": signal}
    full = {"signal": signal, "negative_cues": float(not summit)}  # the full reading tells them all apart
    stop = "event" if summit else "summit_no"
    ns = {"look": 100, "cheap": 1000, "early_row": 50, "early_names": 50, "names": 500, "extract": 1500}
    return early_no.Article(f"a{i}", f"g{i}", summit, early_no.Reading(stop, ns, early, full), dict(ns))


def test_first_stage_turns_hard_negatives_down_without_losing_a_summit() -> None:
    # an early signal that sets summits (1-5) apart from half the negatives (0); the other half look like
    # summits to it (3), which only the full reading tells apart
    articles = [_article(i, True, 1.0 + (i % 5)) for i in range(60)]
    articles += [_article(60 + i, False, 0.0 if i % 2 else 3.0) for i in range(40)]
    tally = early_no.cross_validate(articles, repeats=1)
    assert tally.summits == 60
    assert tally.hard == 40
    assert tally.lost == 0
    assert tally.hard_early == 20  # the ones that look like summits go on to the full reading
    assert tally.early_ms[0] < tally.today_ms[0]
