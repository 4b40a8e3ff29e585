"""Prepare drops a text only when nothing in the whole of it can name a summit; and it marks the lead."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import handlers.prepare as prepare_module
from handlers.clean import blank_boilerplate
from handlers.doc import FULL_SENTENCE_TOKENS, LEAD_SENTENCES, Doc
from handlers.limits import MAX_LEAD_SENTENCES
from handlers.match import KeyedTokens
from handlers.pipeline import Pipeline
from handlers.text import NormText, Token, tokens
from schemas import RawArticle

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

NO_SUMMIT_WORD = "no summit word in the text"
OTHER_NEWS = "\n".join(["Markets in the region rose on the news, traders in Almaty said on Monday."] * 16)


def _article(body: str, lang: str) -> RawArticle:
    return RawArticle.model_validate({"id": "p", "language": lang, "body": body})


def _norm(pipeline: Pipeline, body: str) -> str:
    """The text the word check reads: normalised, boilerplate blanked (as `prepare` has it)."""
    return blank_boilerplate(NormText.of(body).norm, pipeline.resources.boilerplate)


def _full_search_finds_a_summit_word(pipeline: Pipeline, norm: str, lang: str) -> bool:
    """Every token of the text matched against the summit words and the summit names (no word check)."""
    keyed = KeyedTokens(tokens(norm))
    if pipeline.resources.cues[lang].find(keyed).get("anchor"):
        return True
    return any(ref.kind == "summit" for ref in pipeline.resources.gazetteer.find_formats(keyed))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_LINES, _SEPARATOR, st.sampled_from(["ar", "en", "ru"]))
def test_the_word_check_never_drops_a_text_the_full_search_finds_a_summit_word_in(
    pipeline: Pipeline, lines: list[str], separator: str, lang: str
) -> None:
    norm = _norm(pipeline, separator.join(lines))
    if not prepare_module._may_name_a_summit(norm, lang, pipeline.resources):
        assert not _full_search_finds_a_summit_word(pipeline, norm, lang)


def test_a_text_with_no_summit_word_anywhere_is_dropped_at_prepare(pipeline: Pipeline) -> None:
    body = "Markets rose in Chicago on Monday as traders weighed data.\n\n" + OTHER_NEWS
    doc = Doc(article=_article(body, "en"))
    assert prepare_module.prepare(doc, pipeline.resources) is None
    assert doc.reason == NO_SUMMIT_WORD
    assert pipeline.analyse(_article(body, "en")).reason == NO_SUMMIT_WORD


def test_a_summit_word_far_past_the_lead_is_still_read(pipeline: Pipeline) -> None:
    before = "Markets rose in Chicago on Monday as traders weighed data.\n\n" + OTHER_NEWS + "\n\n"
    assert len(before) > 1000
    body = (
        before
        + "Leaders of Central Asia met in Astana on Friday for their sixth consultative summit meeting."
    )
    doc = pipeline.read(_article(body, "en"))
    assert doc is not None
    assert doc.main is not None
    assert doc.main.cue.first_token >= doc.lead_end  # well past the lead
    start, _, written = NormText.of(body).span(doc.main.cue.start, doc.main.cue.end)
    assert start > len(before)
    assert written == "summit"


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
    assert not prepare_module._may_name_a_summit(
        _norm(pipeline, authority + filler), "ar", pipeline.resources
    )
    assert pipeline.analyse(_article(authority + filler, "ar")).reason == NO_SUMMIT_WORD
    summit = "اختتمت هيئة رؤساء دول وحكومات إيكواس أعمالها اليوم في أبوجا. وقرر القادة فرض عقوبات جديدة."
    assert prepare_module._may_name_a_summit(_norm(pipeline, summit + filler), "ar", pipeline.resources)
    assert pipeline.read(_article(summit + filler, "ar")) is not None


def _lead_end_token_by_token(doc: Doc) -> int:
    """The lead's end as first written: every token's sentence counted, then walked token by token."""
    full = 0
    counts = Counter(s for t, s in zip(doc.toks, doc.tok_sentence, strict=True) if not t.text.isdigit())
    for i, s in enumerate(doc.tok_sentence):
        new = i == 0 or s != doc.tok_sentence[i - 1]
        if new and i and (full >= LEAD_SENTENCES or s >= MAX_LEAD_SENTENCES):
            return i
        if new and counts[s] >= FULL_SENTENCE_TOKENS:
            full += 1
    return len(doc.toks)


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 12), st.integers(0, 3)), max_size=40))
def test_the_lead_ends_where_a_token_by_token_walk_ends_it(runs: list[tuple[int, int, int]]) -> None:
    doc = Doc(article=RawArticle.model_validate({"id": "x", "body": "x"}))
    sentence = 0
    for gap, words, numbers in runs:
        sentence += gap  # sentences with no token between
        for k in range(words + numbers):
            doc.toks.append(Token("12" if k < numbers else "word", 0, 0))
            doc.tok_sentence.append(sentence)
    assert prepare_module._lead_end(doc) == _lead_end_token_by_token(doc)


def _sentence_of_each_token_walked(starts: list[int], sentences: list[tuple[int, int]]) -> list[int]:
    """Each token's sentence as first written: one walk over the tokens, moving on past sentence starts."""
    firsts = [s for s, _ in sentences]
    index, out = 0, []
    for start in starts:
        while index + 1 < len(firsts) and firsts[index + 1] <= start:
            index += 1
        out.append(index)
    return out


@given(
    st.lists(st.integers(0, 300), max_size=60, unique=True),
    st.lists(st.integers(0, 300), max_size=15, unique=True),
)
def test_each_tokens_sentence_is_the_one_a_token_by_token_walk_gives(
    token_starts: list[int], sentence_starts: list[int]
) -> None:
    starts, sentences = sorted(token_starts), [(s, s + 1) for s in sorted(sentence_starts)]
    assert prepare_module._sentence_of_each_token(starts, sentences) == _sentence_of_each_token_walked(
        starts, sentences
    )
