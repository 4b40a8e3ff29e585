"""The first look at a long text's opening gives the answer the whole text gives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import handlers.prepare as prepare_module
from handlers.doc import Doc
from handlers.pipeline import Pipeline
from schemas import RawArticle


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.build()


_WORDS = ["قمة", "القمة", "الرئيس", "أستانا", "وزراء", "اليوم", "الاقتصاد", "summit", "Summit", "markets"]
_WORDS += ["саммит", "рынок", "the", "في", "2024", "١٢"]
# words that begin longer summit names only with the right next word ("هيئة رؤساء دول وحكومات إيكواس")
_WORDS += ["هيئة", "رؤساء", "دول", "وحكومات", "إيكواس", "New", "Levant", "Council", "of", "Heads", "State"]
_WORDS += ["Совет", "глав", "государств", "ШОС", "Central", "Asia", "Consultative", "Meeting"]
_LINE = st.lists(st.sampled_from(_WORDS), min_size=0, max_size=12).map(" ".join)
_END = st.sampled_from(["", ".", ". ", "!", ";", ":"])
_START = st.sampled_from(["", "• ", "- ", "* ", "  "])
_JUNK = st.sampled_from(["Share this article", "اقرأ أيضا", "Подписывайтесь на наш канал"])
_LINES = st.lists(st.one_of(st.tuples(_START, _LINE, _END).map("".join), _JUNK), min_size=1, max_size=30)
_SEPARATOR = st.sampled_from(["\n", "\n\n", "\n \n"])


def _full_answer(pipeline: Pipeline, body: str, lang: str) -> str:
    doc = Doc(article=RawArticle.model_validate({"id": "p", "language": lang, "body": body}))
    original = prepare_module.FIRST_LOOK_CHARS
    prepare_module.FIRST_LOOK_CHARS = 10**9  # no first look: the whole text decides
    try:
        kept = prepare_module.prepare(doc, pipeline.resources)
    finally:
        prepare_module.FIRST_LOOK_CHARS = original
    return "kept" if kept is not None else doc.reason


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_LINES, _SEPARATOR, st.integers(0, 200), st.sampled_from(["ar", "en", "ru"]))
def test_first_look_never_disagrees_with_the_whole_text(
    pipeline: Pipeline, lines: list[str], separator: str, look: int, lang: str
) -> None:
    body = separator.join(lines)
    original = prepare_module.FIRST_LOOK_CHARS
    prepare_module.FIRST_LOOK_CHARS = look  # short openings: cuts anywhere in these small texts
    try:
        quick = prepare_module._opening_names_no_summit(body, lang, pipeline.resources)
    finally:
        prepare_module.FIRST_LOOK_CHARS = original
    if quick:
        assert _full_answer(pipeline, body, lang) == "no summit reported in the lead"


def test_first_look_decides_a_long_report_with_no_summit_in_its_lead(pipeline: Pipeline) -> None:
    lead = "Markets rose in Chicago on Monday as traders weighed data. Oil was flat in Asia on Monday too."
    body = lead + "\n\n" + "\n".join(["Later, analysts discussed the Central Asia summit next year."] * 40)
    assert len(body) > prepare_module.FIRST_LOOK_CHARS
    assert prepare_module._opening_names_no_summit(body, "en", pipeline.resources)
    assert _full_answer(pipeline, body, "en") == "no summit reported in the lead"


def test_first_look_leaves_a_summit_lead_to_the_whole_text(pipeline: Pipeline) -> None:
    lead = "Leaders of Central Asia met in Astana on Friday for their sixth consultative summit meeting."
    body = lead + "\n\n" + "\n".join(["Markets in the region rose on the news, traders in Almaty said."] * 40)
    assert not prepare_module._opening_names_no_summit(body, "en", pipeline.resources)


def test_a_widget_line_of_numbers_is_not_a_sentence_of_the_lead(pipeline: Pipeline) -> None:
    body = (
        "Xi chairs SCO Qingdao summit\nSource: Xinhua| 2018-06-10 19:42:06|Editor: zh\n"
        "QINGDAO, June 10 (Xinhua) -- Chinese President Xi Jinping on Sunday chaired the 18th meeting of the "
        "Council of Heads of State of the Shanghai Cooperation Organization in the city of Qingdao.\n"
        "Attending the meeting were Russian President Vladimir Putin and Kazakh President Nazarbayev."
    )
    doc = Doc(article=RawArticle.model_validate({"id": "w", "language": "en", "body": body}))
    kept = prepare_module.prepare(doc, pipeline.resources)
    assert kept is not None
    lead = {t.text for t in kept.toks[: kept.lead_end]}
    assert {"chaired", "attending"} <= lead


def test_a_word_that_begins_a_longer_summit_name_needs_the_next_word(pipeline: Pipeline) -> None:
    filler = "\n\n" + "\n".join(["وقال المتحدث إن أعمال البناء ستكتمل قبل نهاية العام المقبل."] * 30)
    authority = "أعلنت هيئة الأرصاد الجوية عن موجة حر تضرب المدينة اليوم. وحذرت الهيئة السكان من الخروج ظهرا."
    assert prepare_module._opening_names_no_summit(authority + filler, "ar", pipeline.resources)
    summit = "اختتمت هيئة رؤساء دول وحكومات إيكواس أعمالها اليوم في أبوجا. وقرر القادة فرض عقوبات جديدة."
    assert not prepare_module._opening_names_no_summit(summit + filler, "ar", pipeline.resources)
