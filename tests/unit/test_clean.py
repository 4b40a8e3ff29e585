"""Scraper boilerplate is blanked without moving any offset."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.clean import Boilerplate, _norm_key, blank_boilerplate
from handlers.text import normalise
from tests.strategies import news_text

RULES = Boilerplate.load()


def test_known_furniture_lines_are_blanked_and_text_kept() -> None:
    body = "انعقدت القمة في طشقند.\nزر الذهاب إلى الأعلى\nLeave a Reply\nاقرأ أيضا: خبر آخر\nنص المقال"
    cleaned = blank_boilerplate(normalise(body), RULES)
    assert len(cleaned) == len(normalise(body))
    assert "طشقند" in cleaned
    assert "نص المقال" in cleaned
    assert "زر" not in cleaned
    assert "leave" not in cleaned
    assert "خبر اخر" not in cleaned


def test_sentence_that_only_contains_a_furniture_word_is_kept() -> None:
    body = "شارك الرئيس في القمة"
    assert blank_boilerplate(normalise(body), RULES) == normalise(body)


@given(news_text)
def test_blanking_never_changes_length(body: str) -> None:
    norm = normalise(body)
    assert len(blank_boilerplate(norm, RULES)) == len(norm)


def test_headlines_listed_under_a_related_stories_line_are_blanked() -> None:
    body = (
        "Лидеры приняли итоговое коммюнике.\nЧитайте также\nПутин и Бердымухамедов обсудили связи\n"
        "Саммит ШОС пройдет в Астане\n\nВ саммите участвовали пять президентов."
    )
    cleaned = blank_boilerplate(normalise(body), RULES)
    assert "бердымухамедов" not in cleaned
    assert "астане" not in cleaned
    assert "коммюнике" in cleaned
    assert "пять президентов" in cleaned  # the blank line ends the list


def test_a_sentence_after_a_related_line_is_kept() -> None:
    body = "RELATED\nLeaders of the five states signed a joint declaration on Friday."
    cleaned = blank_boilerplate(normalise(body), RULES)
    assert "joint declaration" in cleaned
    assert "related" not in cleaned


def _blank_every_key(norm: str, rules: Boilerplate) -> str:
    """The blanking as first written: every line's key computed, every line casefolded whole."""
    in_related = False
    out = []
    for line in norm.split("\n"):
        if not line:  # the blanking visits the runs of characters between line breaks
            out.append(line)
            continue
        stripped = line.strip()
        if not stripped:
            in_related = False
            out.append(line)
            continue
        key = _norm_key(stripped)
        if key in rules.related:
            in_related = True
            out.append(" " * len(line))
            continue
        if in_related and len(stripped) <= 160 and not stripped.endswith((".", "!", "?")):
            out.append(" " * len(line))
            continue
        in_related = False
        junk = key in rules.exact or stripped.casefold().startswith(rules.prefixes)
        out.append(" " * len(line) if junk else line)
    return "\n".join(out)


_LISTED = sorted(RULES.exact | RULES.related) + [p for p in RULES.prefixes]
_PADDING = st.text(alphabet=" \t\u2028\u3000.:-|*•'\"()ßẞİ", max_size=40)


@given(
    st.lists(
        st.tuples(_PADDING, st.sampled_from(_LISTED) | st.text(max_size=60), _PADDING).map("".join)
        | news_text,
        max_size=8,
    ).map("\n".join)
)
@settings(max_examples=400)
def test_lines_too_long_for_a_key_are_blanked_as_when_every_key_is_computed(norm: str) -> None:
    assert blank_boilerplate(norm, RULES) == _blank_every_key(norm, RULES)
