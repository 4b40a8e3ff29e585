"""Hypothesis strategies shared by the property tests (kept in one place)."""

from __future__ import annotations

from hypothesis import strategies as st

ARABIC_WORDS = [
    "الاجتماع",
    "التشاوري",
    "السادس",
    "لرؤساء",
    "دول",
    "آسيا",
    "الوسطى",
    "قمة",
    "القمة",
    "الرئيس",
    "توكاييف",
    "ميرضيائيف",
    "مير",
    "ضياييف",
    "في",
    "طشقند",
    "أستانا",
    "٢٠٢٤",
    "9",
    "أغسطس",
    "وقرغيزستان",
    "للرئيس",
    "الأوزبكي",
    "برئاسة",
    "كضيف",
    "شرف",
    "الإعلان",
    "المشترك",
    "اعتماد",
    "غداً",
]
MARKS = ["\u064b", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0640", "\u200f", "\u200b", "\ufeff"]
PUNCT = [" ", " ", " ", "، ", ". ", "\n", "\n\n", " - ", " (", ") ", "“", "”", ": "]


@st.composite
def arabic_news(draw: st.DrawFn) -> str:
    """Arabic-looking text: real words, diacritics, tatweel, bidi marks and punctuation mixed."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 40))):
        word = draw(st.sampled_from(ARABIC_WORDS))
        if draw(st.booleans()):
            pos = draw(st.integers(0, len(word)))
            word = word[:pos] + draw(st.sampled_from(MARKS)) + word[pos:]
        parts.append(word + draw(st.sampled_from(PUNCT)))
    return "".join(parts)


any_text = st.text(max_size=300)
news_text = st.one_of(arabic_news(), any_text)
