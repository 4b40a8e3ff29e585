"""Phrase lookup with Arabic clitics and Russian case endings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.match import Hit, KeyedTokens, PhraseIndex, strip_article, token_keys
from handlers.text import NormText, Token, normalise, tokens


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


# --------------------------------------------------------------------------- the keyed scan


def _scan_every_token(index: PhraseIndex[str], toks: list[Token], overlapping: bool) -> list[Hit[str]]:
    """The plain definition the keyed scan must agree with: try every token, longest phrase first."""
    hits: list[Hit[str]] = []
    i = 0
    while i < len(toks):
        found: list[Hit[str]] = []
        for first, cut in token_keys(toks[i].text):
            for n in range(len(toks) - i, 0, -1):
                key = (first, *(strip_article(t.text) for t in toks[i + 1 : i + n]))
                for value in index._by_key.get(key, ()):
                    found.append(Hit(toks[i].start + cut, toks[i + n - 1].end, value, i, i + n - 1))
                if found and not overlapping:
                    break
            if found and not overlapping:
                break
        hits.extend(found)
        i = found[0].last_token + 1 if found and not overlapping else i + 1
    return hits


_PHRASES = [
    ("قمة", "summit"),
    ("آسيا الوسطى", "C5"),
    ("الصين - آسيا الوسطى", "CN+C5"),
    ("قرغيزستان", "KG"),
    ("summit", "summit"),
    ("central asia", "C5"),
    ("central asia summit", "C5 summit"),
    ("Центральная Азия", "C5"),
]
_WORDS = ["قمة", "القمة", "وآسيا", "آسيا", "الوسطى", "الصين", "وقرغيزستان", "summit", "central", "asia"]
_WORDS += ["Центральной", "Азии", "и", "the", "في", "2024"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=14), st.sets(st.integers(0, 13), max_size=4))
def test_keyed_scan_finds_what_trying_every_token_finds(words: list[str], skip: set[int]) -> None:
    index = PhraseIndex(_PHRASES)
    toks = tokens(normalise(" ".join(words)))
    assert index.find(toks) == _scan_every_token(index, toks, overlapping=False)

    def order(h: Hit[str]) -> tuple[int, int, int, str]:
        return h.first_token, h.last_token, h.start, h.value

    assert sorted(index.find_all(toks), key=order) == sorted(
        _scan_every_token(index, toks, overlapping=True), key=order
    )
    # a view with some tokens left out finds what the same tokens, keyed afresh, find
    kept = [t for i, t in enumerate(toks) if i not in skip]
    assert index.find(KeyedTokens(toks).without(frozenset(skip))) == index.find(kept)


_Phrase = tuple[int, int, int, list[str]]


def _every_phrase_in_order(index: PhraseIndex[str], toks: list[Token]) -> list[_Phrase]:
    """The plain definition of `phrases`' order: token by token, its readings least stripped first, each
    reading's phrases shortest first."""
    out: list[_Phrase] = []
    for i in range(len(toks)):
        for first, cut in token_keys(toks[i].text):
            for n in range(1, len(toks) - i + 1):
                key = (first, *(strip_article(t.text) for t in toks[i + 1 : i + n]))
                if key in index._by_key:
                    out.append((i, n, cut, index._by_key[key]))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS, "وقمة", "لقمة", "بآسيا", "asia summit"]), max_size=14))
def test_one_scan_of_the_codes_yields_every_phrase_in_reading_order(words: list[str]) -> None:
    index = PhraseIndex([*_PHRASES, ("قمة آسيا", "summit+asia"), ("asia", "asia")])
    toks = tokens(normalise(" ".join(words)))
    assert list(index.phrases(KeyedTokens(toks))) == _every_phrase_in_order(index, toks)


def test_tokens_keyed_before_an_index_grew_are_coded_anew() -> None:
    toks = tokens(normalise("the zyxwvu qponm accord and the wvutsr summit"))
    keyed = KeyedTokens(toks)
    assert keyed.codes[1:3] == "  "  # no index holds these words yet: one unlisted code per token
    index = PhraseIndex([("zyxwvu qponm", "made-up"), ("wvutsr", "made-up too")])
    assert [h.value for h in index.find(keyed)] == ["made-up", "made-up too"]
    assert len(keyed.codes) == len(toks)
    assert " " not in keyed.codes[1:3]


def test_a_clitic_reading_the_table_holds_begins_a_phrase() -> None:
    index = PhraseIndex([("قمة", "summit"), ("بلقمة", "whole word")])
    keyed = KeyedTokens(tokens(normalise("وقمة بلقمة")))
    # "وقمة" is read whole first (no such phrase), then as "قمة" with "و" cut: one letter before the span
    assert keyed.alternates[0][1:] == (normalise("قمة"), 1, 1)
    assert [(h.value, h.start) for h in index.find(keyed)] == [("summit", 1), ("whole word", 5)]


def test_and_written_on_a_negation_particle_is_stripped() -> None:
    # "ولن" (and will not), "ولم" (and did not): three letters, read as "لن", "لم" too
    assert ("لن", 1) in token_keys("ولن")
    assert ("لم", 1) in token_keys("ولم")
    assert token_keys("وقع") == (("وقع", 0),)  # a three-letter word is still read whole only
