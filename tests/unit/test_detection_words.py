"""Summit words the readers must find (and not set apart) and what the summit model is shown about a
meeting told before them: sentences written for these tests (not taken from the eval set)."""

from __future__ import annotations

import pytest

from handlers.doc import Doc
from handlers.features import article_features
from handlers.pipeline import Pipeline
from schemas import RawArticle


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.build()


def read(p: Pipeline, body: str, lang: str) -> Doc:
    raw = {"id": "t-words", "language": lang, "body": body, "published_at": "2024-08-09"}
    doc = p.read(RawArticle.model_validate(raw))
    assert doc is not None, "no summit word read"
    assert doc.main is not None
    return doc


def test_a_ministers_meeting_told_before_the_summit_word_is_counted(pipeline: Pipeline) -> None:
    before = read(
        pipeline,
        "Foreign ministers of the three states met in the capital on Monday to prepare the trilateral "
        "summit planned for the autumn.",
        "en",
    )
    after = read(
        pipeline,
        "The trilateral summit opened in the capital on Monday; the foreign ministers of the three states "
        "had met the day before.",
        "en",
    )
    row_before = article_features(before, pipeline.resources)
    row_after = article_features(after, pipeline.resources)
    assert row_before["negative_before_summit"] >= 1.0
    assert row_after["negative_before_summit"] == 0.0
