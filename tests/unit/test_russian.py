"""Russian names are found in any case, because every stored name is declined."""

from __future__ import annotations

import pytest

from handlers.match import PhraseIndex, phrase_keys
from handlers.russian import phrase_forms, word_forms
from handlers.text import NormText, tokens


@pytest.mark.parametrize(
    ("nominative", "declined"),
    [
        ("азия", {"азии", "азию", "азией"}),
        ("китай", {"китая", "китаю", "китаем", "китае"}),
        ("мирзиеев", {"мирзиеева", "мирзиееву", "мирзиеевым", "мирзиееве"}),
        ("астана", {"астаны", "астане", "астану", "астаной"}),
        ("центральная", {"центральной", "центральную"}),
    ],
)
def test_a_word_has_its_case_forms(nominative: str, declined: set[str]) -> None:
    forms = {form for case in word_forms(nominative) for form in case}
    assert declined <= forms


def test_words_of_a_phrase_agree_in_case() -> None:
    forms = phrase_forms(["центральная", "азия"])
    assert ("центральной", "азией") in forms
    assert ("центральную", "азию") in forms
    assert ("центральную", "азией") not in forms


def test_indeclinable_words_and_acronyms_stay_as_they_are() -> None:
    assert {f for case in word_forms("токио") for f in case} == {"токио"}
    assert {f for case in word_forms("шос", acronym=True) for f in case} == {"шос"}
    assert phrase_keys("ШОС") == {("шос",)}


def test_a_short_city_name_declines() -> None:
    index = PhraseIndex([("Уфа", "Ufa")])
    assert [hit.value for hit in index.find(tokens(NormText.of("саммит в Уфе").norm))] == ["Ufa"]


@pytest.mark.parametrize(
    "text",
    ["саммит Центральная Азия – Китай", "с Центральной Азией и Китаем", "лидеры Центральной Азии и Китая"],
)
def test_declined_names_in_text_find_the_stored_name(text: str) -> None:
    index = PhraseIndex([("Центральная Азия", "C5"), ("Китай", "CN")])
    found = NormText.of(text)
    assert {hit.value for hit in index.find(tokens(found.norm))} == {"C5", "CN"}


def test_a_short_name_is_not_read_into_a_longer_word() -> None:
    index = PhraseIndex([("Кито", "Quito")])
    assert index.find(tokens(NormText.of("делегация Китая").norm)) == []
