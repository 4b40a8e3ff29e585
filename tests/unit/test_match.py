"""Phrase lookup with Arabic clitics and Russian case endings."""

from __future__ import annotations

from handlers.match import PhraseIndex, token_keys
from handlers.text import NormText, tokens


def _find(index: PhraseIndex[str], body: str) -> list[tuple[str, str]]:
    text = NormText.of(body)
    return [(hit.value, text.span(hit.start, hit.end)[2]) for hit in index.find(tokens(text.norm))]


def test_conjunction_and_preposition_are_stripped_from_the_span() -> None:
    index = PhraseIndex([("قرغيزستان", "KG"), ("طشقند", "city")])
    assert _find(index, "رؤساء كازاخستان وقرغيزستان بطشقند") == [("KG", "قرغيزستان"), ("city", "طشقند")]


def test_article_and_lam_alef_lam_forms_match_the_same_phrase() -> None:
    index = PhraseIndex([("الرئيس الأوزبكي", "UZ")])
    assert [v for v, _ in _find(index, "قال الرئيس الاوزبكي")] == ["UZ"]
    assert [v for v, _ in _find(index, "وفقا للرئيس الأوزبكي")] == ["UZ"]


def test_longest_phrase_wins() -> None:
    index = PhraseIndex([("آسيا الوسطى", "C5"), ("الصين - آسيا الوسطى", "CN+C5")])
    assert _find(index, "قمة الصين - آسيا الوسطى") == [("CN+C5", "الصين - آسيا الوسطى")]


def test_word_that_merely_starts_with_a_clitic_letter_is_read_whole_first() -> None:
    index = PhraseIndex([("بوتين", "putin"), ("وتين", "wrong")])
    assert _find(index, "قال بوتين") == [("putin", "بوتين")]


def test_russian_case_endings_share_a_key() -> None:
    index = PhraseIndex([("Ташкент", "city"), ("Мирзиёев", "mirziyoyev")])
    found = _find(index, "в Ташкенте Шавкат Мирзиёевым")
    assert found == [("city", "Ташкенте"), ("mirziyoyev", "Мирзиёевым")]


def test_token_keys_yield_least_stripped_reading_first() -> None:
    keys = [k for k, _ in token_keys("وبالرياض")]
    assert keys[0] == "وبالرياض"
    assert "رياض" in keys
