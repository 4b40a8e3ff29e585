"""The compiled first look (one scan per language) answers exactly as asking every word in turn."""

from __future__ import annotations

import dataclasses
import re

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import handlers.prepare as prepare_module
from consumer.demo import sample_lines
from handlers.clean import blank_boilerplate
from handlers.doc import Resources
from handlers.pipeline import Pipeline
from handlers.scan import FirstLook, required_literal
from handlers.text import NormText
from training.data import EVAL_DIR, load


@pytest.fixture(scope="module")
def word_by_word(pipeline: Pipeline) -> Resources:
    """The same resources without the compiled first look: every word is asked."""
    return dataclasses.replace(pipeline.resources, first_looks={}, lead_words={})


def _norm(pipeline: Pipeline, body: str) -> str:
    return blank_boilerplate(NormText.of(body).norm, pipeline.resources.boilerplate)


def _agree(pipeline: Pipeline, reference: Resources, norm: str, lang: str) -> bool:
    fast = prepare_module._may_name_a_summit(norm, lang, pipeline.resources)
    return fast == prepare_module._may_name_a_summit(norm, lang, reference)


def _needles(pipeline: Pipeline) -> list[str]:
    res = pipeline.resources
    words = set(res.gazetteer.summit_name_seconds)
    for seconds in res.gazetteer.summit_name_seconds.values():
        words |= seconds
    for cues in res.cues.values():
        words |= set(cues.anchor_seconds)
        words |= {required_literal(p)[0] for p in cues.anchor_re}
        for seconds in cues.anchor_seconds.values():
            words |= seconds
    return sorted(w for w in words if w)


_BEFORE = st.text(alphabet="وفبلكالمx", max_size=6)
_AFTER = st.text(alphabet="аяоеыиуюйьхмгвsxة", max_size=5)
_GLUE = st.sampled_from([" ", " ", "\n", "", "_", "-", "ـ", "،", ". ", "1", "x"])


@st.composite
def _near_misses(draw: st.DrawFn, needles: list[str]) -> str:
    """Needles of every language with clitic-like letters before them, ending-like letters after them,
    glued by spaces, punctuation, underscores, digits or letters (words that may or may not count)."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        word = draw(st.one_of(st.sampled_from(needles), st.text(max_size=8)))
        parts.append(draw(_BEFORE) + word + draw(_AFTER) + draw(_GLUE))
    return "".join(parts)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), lang=st.sampled_from(["ar", "en", "ru"]))
def test_the_scan_answers_as_every_word_asked_in_turn(
    pipeline: Pipeline, word_by_word: Resources, data: st.DataObject, lang: str
) -> None:
    text = data.draw(_near_misses(_needles(pipeline)))
    assert _agree(pipeline, word_by_word, _norm(pipeline, text), lang)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400), st.sampled_from(["ar", "en", "ru"]))
def test_the_scan_answers_as_every_word_on_any_text(
    pipeline: Pipeline, word_by_word: Resources, text: str, lang: str
) -> None:
    assert _agree(pipeline, word_by_word, _norm(pipeline, text), lang)


@pytest.mark.skipif(not (EVAL_DIR / "train.jsonl").is_file(), reason="../shared/eval not present")
def test_the_scan_answers_as_every_word_on_the_labelled_real_articles(
    pipeline: Pipeline, word_by_word: Resources
) -> None:
    articles = load()
    assert articles
    for article in articles:
        body = str(article.row["body"])
        for text in (body, body[len(body) // 2 :], body[: len(body) // 3]):
            assert _agree(pipeline, word_by_word, _norm(pipeline, text), article.language)


def test_a_text_with_no_needle_is_decided_by_the_scan_alone(pipeline: Pipeline) -> None:
    asked: list[str] = []

    def may_begin(word: str) -> bool | frozenset[str]:
        asked.append(word)
        return False

    look = pipeline.resources.first_looks["en"]
    assert not look.may_name_a_summit("markets rose in chicago on monday as traders weighed data", may_begin)
    assert asked == []


def test_only_words_holding_a_needle_where_it_may_count_are_asked() -> None:
    asked: list[str] = []

    def may_begin(word: str) -> bool | frozenset[str]:
        asked.append(word)
        return word == "والقمة"

    look = FirstLook(["قمة"], [])
    # "رقمة": a letter before the key that no clitic is; "قمةxyzw": more after it than any case ending
    assert look.may_name_a_summit("رقمة قمةxyzw والقمة", may_begin)
    assert asked == ["والقمة"]


def test_a_pattern_literal_is_found_within_the_pattern_reach() -> None:
    assert required_literal(re.compile(r"^(?:و|ف)?(?:لل|(?:ب|ل|ك)?(?:ال)?)قم(?:ه|ت)$")) == ("قم", 4)
    assert required_literal(re.compile(r"^саммит\w*$")) == ("саммит", 0)
    with pytest.raises(ValueError, match="not anchored"):
        required_literal(re.compile("summit"))
    with pytest.raises(ValueError, match="no literal"):
        required_literal(re.compile(r"^\w+$"))


def test_the_scan_answers_as_every_word_on_the_samples(pipeline: Pipeline, word_by_word: Resources) -> None:
    for line in sample_lines():
        row = orjson.loads(line)
        body = next(str(row[k]) for k in ("body", "content", "text") if row.get(k))
        for lang in ("ar", "en", "ru"):
            assert _agree(pipeline, word_by_word, _norm(pipeline, body), lang)
