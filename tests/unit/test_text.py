"""Normalisation and the map from normalised spans back to the original body."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from handlers.limits import MAX_SENTENCE_CHARS
from handlers.text import (
    SENTENCE_BREAK,
    TOKEN_RE,
    NormText,
    _breaks,
    _changing_chars,
    _translate,
    _word_bounds,
    char_table,
    iter_sentences,
    normalise,
    tokens,
)
from tests.strategies import any_text, news_text


def test_arabic_letter_forms_are_folded() -> None:
    assert normalise("أإآٱ") == "اااا"
    assert normalise("مصطفى") == "مصطفي"
    assert normalise("القمة") == "القمه"


def test_diacritics_tatweel_and_bidi_marks_are_removed() -> None:
    assert normalise("دولُ") == "دول"
    assert normalise("قالـــ") == "قال"
    assert normalise("\u200fقمة\u200e") == "قمه"


def test_digits_quotes_dashes_and_case_are_folded() -> None:
    assert normalise("٢٠٢٤ ۲۰۲۴") == "2024 2024"
    assert normalise("«Ёлка» – Summit") == '"елка" - summit'


def test_span_of_a_diacritised_word_keeps_its_marks() -> None:
    body = "انعقد الاجتماعُ التشاوريّ السادس"
    text = NormText.of(body)
    start = text.norm.index("الاجتماع")
    s, e, surface = text.span(start, start + len("الاجتماع"))
    assert surface == "الاجتماعُ"
    assert body[s:e] == surface


def test_span_after_an_expanded_ligature_points_into_the_body() -> None:
    body = "ﻻ قمة في طشقند"
    text = NormText.of(body)
    start = text.norm.index("طشقند")
    s, e, surface = text.span(start, start + 5)
    assert surface == "طشقند"
    assert body[s:e] == "طشقند"


@given(news_text)
@settings(max_examples=300)
def test_normalisation_is_idempotent(body: str) -> None:
    once = normalise(body)
    assert normalise(once) == once


@given(news_text)
@settings(max_examples=300)
def test_every_token_maps_back_to_a_body_span_that_normalises_to_it(body: str) -> None:
    text = NormText.of(body)
    for token in tokens(text.norm):
        start, end, surface = text.span(token.start, token.end)
        assert 0 <= start < end <= len(body)
        assert body[start:end] == surface
        assert normalise(surface) == token.text


@given(any_text)
def test_normalised_text_equals_normalise_of_body(body: str) -> None:
    assert NormText.of(body).norm == normalise(body)


@given(any_text)
@settings(max_examples=500)
def test_vectorised_translation_equals_the_table(body: str) -> None:
    text = body * (1 + 80 // max(1, len(body)))  # long enough to take the array path
    assume(not _changing_chars()[1].search(text))  # a character that expands takes another path
    assert _translate(text) == text.translate(char_table())


def test_vectorised_translation_folds_deletes_and_passes_emoji() -> None:
    body = "الاجتماعُ التشاوريّ السادس لقادة دول آسيا الوسطى\u200f في أستانا — Ёлка " * 3
    assert _translate(body) == body.translate(char_table())
    assert "\u064f" not in _translate(body)
    assert "ё" not in _translate(body)
    with_emoji = body + "🙂"
    assert _translate(with_emoji) == with_emoji.translate(char_table())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Attended by:\n• Kazakhstan\n• Uzbekistan", ["Attended by:\n• Kazakhstan\n• Uzbekistan"]),
        # blank lines between the items of a list do not end it
        ("Attended by:\n\n• Kazakhstan\n\n• Uzbekistan", ["Attended by:\n\n• Kazakhstan\n\n• Uzbekistan"]),
        ("It ended.\n\n- Next item", ["It ended.\n\n- Next item"]),
        ("First line.\n\nSecond line", ["First line", "Second line"]),
        ("One. Two! Three", ["One", " Two", " Three"]),
        # a full stop after a one-letter word is an initial or an abbreviation
        ("Hosted by U.S. President Trump. Next", ["Hosted by U.S. President Trump", " Next"]),
        ("в 2015 г. в Самарканде. В. В. Путин прибыл", ["в 2015 г. в Самарканде", " В. В. Путин прибыл"]),
    ],
)
def test_sentences_and_list_items(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in iter_sentences(text)] == expected


_BREAK_PIECES = [*"ab U.S!?;\n\t•·*-(x_1", ". ", "\n \n", "...", " a."]
_BREAKY = st.lists(st.sampled_from(_BREAK_PIECES), max_size=40).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_BREAKY)
def test_sentence_breaks_are_where_the_rule_puts_them(text: str) -> None:
    """The linear scan finds exactly the matches of the rule's regex (which is quadratic on some texts)."""
    assert list(_breaks(text)) == [m.span() for m in SENTENCE_BREAK.finditer(text)]


def test_a_sentence_longer_than_the_limit_is_cut_between_words() -> None:
    text = "the summit was held in Astana, " * 400  # one sentence of 12 400 characters
    pieces = list(iter_sentences(text))
    assert len(pieces) > 1
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in pieces)
    assert [p[0] for p in pieces[1:]] == [p[1] for p in pieces[:-1]], "the pieces tile the sentence"
    assert (pieces[0][0], pieces[-1][1]) == (0, len(text))
    assert all(re.match(r"[\W_]", text[s]) for s, _ in pieces[1:]), "cut at a space or punctuation"
    assert [t.text for t in tokens(text)] == [w for s, e in pieces for w in re.findall(r"[^\W_]+", text[s:e])]


def test_one_word_longer_than_the_limit_stays_in_one_piece() -> None:
    text = "summit " + "a" * (3 * MAX_SENTENCE_CHARS) + " held"
    pieces = [text[s:e] for s, e in iter_sentences(text)]
    assert any("a" * (3 * MAX_SENTENCE_CHARS) in piece for piece in pieces)
    assert "".join(pieces) == text


def test_latin_look_alikes_inside_a_cyrillic_word_read_as_cyrillic() -> None:
    from handlers.text import NormText, normalise

    scraped = "В Шанхае состоялся IV cаммит СВМДА, Пyтин выступил."  # Latin c and y
    assert normalise(scraped) == normalise("В Шанхае состоялся IV саммит СВМДА, Путин выступил.")
    assert "iv" in normalise(scraped).split()  # a Latin word keeps its letters
    assert normalise("Putin met Xi in Astana") == "putin met xi in astana"  # no Cyrillic: unchanged
    text = NormText.of(scraped)
    assert len(text.norm) == len(scraped)  # same length: offsets map one to one


@given(st.text(alphabet="aceopxykbzАСЕаеорсхуиЁё -.\n", max_size=120))
@settings(max_examples=400)
def test_lookalikes_fold_the_same_on_the_array_path(body: str) -> None:
    text = body * (1 + 80 // max(1, len(body)))  # long enough to take the array path (and its pair test)
    assert NormText.of(text).norm == normalise(text)


def _regex_tokens(norm: str, pos: int = 0) -> list[tuple[str, int, int]]:
    return [(m[0], m.start(), m.end()) for m in TOKEN_RE.finditer(norm, pos)]


@given(any_text, st.integers(min_value=0, max_value=200))
@settings(max_examples=500)
def test_tokens_from_the_word_table_are_the_regex_matches(body: str, pos: int) -> None:
    text = body * (1 + 80 // max(1, len(body)))  # long enough to take the array path
    assert [tuple(t) for t in tokens(text)] == _regex_tokens(text)
    assert [tuple(t) for t in tokens(text, pos)] == _regex_tokens(text, pos)


def test_tokens_split_at_underscores_and_keep_digits_and_marks() -> None:
    text = "snake_case 2024 قمة_الرياض Ёлка ١٢٣ नमस्ते x́y " * 4
    assert _word_bounds(text) is not None  # the array path
    assert [tuple(t) for t in tokens(text)] == _regex_tokens(text)
    assert [t.text for t in tokens(text)][:6] == ["snake", "case", "2024", "قمة", "الرياض", "Ёлка"]
    with_emoji = text + "🙂 end"
    assert _word_bounds(with_emoji) is None  # beyond the BMP: the regex
    assert [tuple(t) for t in tokens(with_emoji)] == _regex_tokens(with_emoji)
