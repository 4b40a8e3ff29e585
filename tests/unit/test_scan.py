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
from handlers.doc import Doc, Resources
from handlers.ordinals import calendar_table, calendar_words, find_ordinals, may_lie_in_an_ordinal
from handlers.pipeline import Pipeline
from handlers.scan import FirstLook, GoesOn, LongerNames, first_looks, required_literal
from handlers.text import TOKEN_RE, NormText
from schemas import RawArticle
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


# ----------------------------------------------------------------------------- the whole of a longer name


@pytest.fixture(scope="module")
def two_words(pipeline: Pipeline) -> Resources:
    """The first look as it was: a word that begins a longer summit word or name counts when its second
    word follows (the whole of it is looked for later, after the tokens, keys, cues, ordinals, formats)."""
    res = pipeline.resources
    return dataclasses.replace(
        res, first_looks=first_looks(res.cues, res.gazetteer.summit_name_seconds), lead_words={}
    )


def _answers(pipeline: Pipeline, two_words: Resources, text: str, lang: str) -> tuple[bool, bool, bool]:
    """(the first look now, the first look with two words, `prepare`'s answer with that first look: a
    summit word or a summit's name found after the tokens)."""
    norm = _norm(pipeline, text)
    now = prepare_module._may_name_a_summit(norm, lang, pipeline.resources)
    before = prepare_module._may_name_a_summit(norm, lang, two_words)
    doc = Doc(article=RawArticle.model_validate({"id": "t", "language": lang, "body": text}))
    found = prepare_module.prepare(doc, two_words) is not None
    return now, before, found


def _narrows_exactly(answers: tuple[bool, bool, bool]) -> bool:
    """The first look now passes only texts the two-word look passed, and every text in which the later
    look finds a summit word (so `prepare`'s answer is unchanged)."""
    now, before, found = answers
    return (before or not now) and (now or not found)


@pytest.mark.skipif(not (EVAL_DIR / "train.jsonl").is_file(), reason="../shared/eval not present")
def test_the_whole_name_look_keeps_prepare_s_answer_on_the_labelled_real_articles(
    pipeline: Pipeline, two_words: Resources
) -> None:
    passed_now = passed_before = 0
    for article in load():
        body = str(article.row["body"])
        for text in (body, body[len(body) // 2 :], body[: len(body) // 7]):
            answers = _answers(pipeline, two_words, text, article.language)
            assert _narrows_exactly(answers), (article.id, answers)
            passed_now += answers[0]
            passed_before += answers[1]
    assert passed_now < passed_before  # texts with only a name's first two words are now dropped first


def _name_words(pipeline: Pipeline, lang: str) -> list[str]:
    res = pipeline.resources
    words: set[str] = set()
    for table in (res.gazetteer.summit_name_rests, res.cues[lang].anchor_rests):
        for first, rests in table.items():
            words.add(first)
            for rest in rests:
                words.update(rest)
    return sorted(words)


_ORDINALS = {
    "en": ["fifth", "5th", "twenty-first", "xv", "second", "7 th"],
    "ru": ["пятый", "29-й", "VII", "двадцать первого", "третьей"],
    "ar": ["الخامسة", "ال33", "(34)", "الحادي والعشرين", "والثالثة", "بال 33"],
}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), lang=st.sampled_from(["ar", "en", "ru"]))
def test_the_whole_name_look_keeps_prepare_s_answer_with_ordinals_inside_names(
    pipeline: Pipeline, two_words: Resources, data: st.DataObject, lang: str
) -> None:
    """Names' words with ordinals among them (`find_formats` reads a name past an ordinal's tokens)."""
    pool = st.one_of(
        st.sampled_from(_name_words(pipeline, lang)),
        st.sampled_from(_ORDINALS[lang]),
        st.sampled_from(["the", "of", "и", "في", "x", "12"]),
    )
    words = data.draw(st.lists(pool, min_size=1, max_size=14))
    glue = data.draw(st.sampled_from([" ", " ", "\n", ", "]))
    assert _narrows_exactly(_answers(pipeline, two_words, glue.join(words), lang))


def test_a_name_s_first_words_without_the_rest_are_dropped_at_the_first_look(
    pipeline: Pipeline, two_words: Resources
) -> None:
    text = "Ministers of Central Asia and Germany discussed trade."
    assert _answers(pipeline, two_words, text, "en") == (False, True, False)
    whole = text + " They meet again at the Central Asia - Germany summit."
    assert _answers(pipeline, two_words, whole, "en") == (True, True, True)


def test_a_summit_word_that_counts_only_as_written_is_read_so_at_the_first_look(
    pipeline: Pipeline, two_words: Resources
) -> None:
    # "с президентом" (with one president) is not the summit word "с президентами" (with the presidents)
    one = "Путин провел переговоры с президентом Казахстана."
    assert _answers(pipeline, two_words, one, "ru") == (False, True, False)
    several = "Путин провел переговоры с президентами Казахстана и Киргизии."
    assert _answers(pipeline, two_words, several, "ru")[0]


def _answer(norm: str, names: dict[str, frozenset[tuple[str, ...]]], seconds: frozenset[str]) -> bool:
    """`GoesOn` asked for every word of `norm` that begins one of `names`, in turn, then at the end."""
    goes_on = GoesOn(norm, LongerNames("en", {}, names))
    asked = [goes_on.settles(word, seconds) for word in TOKEN_RE.finditer(norm) if word.group() in names]
    return any(asked) or goes_on.settled()


def test_a_name_is_read_past_an_ordinal_s_words_as_find_formats_reads_it() -> None:
    names = {"central": frozenset({("asia", "china", "summit")})}
    seconds = frozenset({"asia"})
    assert _answer("central asia fifth china summit", names, seconds)
    assert not _answer("central asia economic china summit", names, seconds)
    assert _answer("central asia china summit", names, seconds)
    # an ordinal right after the first word: the two-word look passed no word for it, so it counts only
    # when another word passes that look
    assert not _answer("central fifth asia china summit", names, seconds)
    assert _answer("central fifth asia china summit and central asia", names, seconds)


def test_a_word_that_may_lie_in_an_ordinal() -> None:
    for word in ("fifth", "twenty", "5th", "29", "й", "xv", "vii", "الخامسه", "والعشرين", "بال", "пятого"):
        assert may_lie_in_an_ordinal(word), word
    for word in ("summit", "asia", "china", "قمه", "اسيا", "саммит", "лидеров"):
        assert not may_lie_in_an_ordinal(word), word


def _ordinal_words(lang: str) -> list[str]:
    tables = {
        "ar": ("units", "compound_units", "tens"),
        "en": ("units", "tens", "compound_tens"),
        "ru": ("stems", "soft_stems", "compound_tens"),
    }[lang]
    words = [w for table in tables for w in calendar_table("ordinals", lang, table)]
    return words + (list(calendar_words("ordinals", "ar", "teen")) if lang == "ar" else [])


def _inside_mentions(norm: str, lang: str) -> list[str]:
    mentions = find_ordinals(norm, lang)
    return [
        w.group()
        for w in TOKEN_RE.finditer(norm)
        if any(m.start <= w.start() and w.end() <= m.end for m in mentions)
    ]


@settings(max_examples=400, deadline=None)
@given(data=st.data(), lang=st.sampled_from(["ar", "en", "ru"]))
def test_every_word_of_an_ordinal_mention_may_lie_in_an_ordinal(data: st.DataObject, lang: str) -> None:
    before = data.draw(st.sampled_from(["", "و", "ف", "ال", "وال", "بال", "ب"] if lang == "ar" else [""]))
    after = data.draw(st.sampled_from(["", "ه", "ый", "ого", "ой", "ьего", "ая", "th", "-й"]))
    word = before + data.draw(st.sampled_from(_ordinal_words(lang))) + after
    context = {"ar": "القمه {} في", "en": "the {} summit", "ru": "{} саммит"}[lang]
    for text in (context.format(word), context.format(word + " " + word)):
        for inside in _inside_mentions(NormText.of(text).norm, lang):
            assert may_lie_in_an_ordinal(inside), (text, inside)


@pytest.mark.skipif(not (EVAL_DIR / "train.jsonl").is_file(), reason="../shared/eval not present")
def test_every_word_of_an_ordinal_mention_in_the_labelled_articles_may_lie_in_one(pipeline: Pipeline) -> None:
    seen = 0
    for article in load():
        norm = _norm(pipeline, str(article.row["body"]))
        for lang in ("ar", "en", "ru"):
            for inside in _inside_mentions(norm, lang):
                assert may_lie_in_an_ordinal(inside), (article.id, lang, inside)
                seen += 1
    assert seen > 1000
