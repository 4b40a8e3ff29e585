"""Hypothesis strategies shared by the property tests (kept in one place)."""

from __future__ import annotations

from hypothesis import strategies as st

from schemas import ArticleRef, Document, Mention, Participant, RegionalSummit, Summit, Venue

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


# ------------------------------------------------------------------------------ RegionalSummit events
# What the summit table folds: events of a few meetings, from articles in three languages, that agree on
# some facts and disagree on others, with duplicates. `summit_event` builds one; the strategy and the
# integration inputs both use it.

LANGUAGES = ["ar", "en", "ru"]
HOSTS = ["spa.gov.sa", "qna.org.qa", "kazinform.kz", "ria.ru", "tass.com", "reuters.com", "aa.com.tr", None]
LEADERS = [
    ("Kassym-Jomart Tokayev", "KZ", "president"),
    ("Shavkat Mirziyoyev", "UZ", "president"),
    ("Sadyr Japarov", "KG", "president"),
    ("Emomali Rahmon", "TJ", "president"),
    ("Serdar Berdimuhamedow", "TM", "president"),
    ("Mohammed bin Salman", "SA", "crown_prince"),
    ("Tamim bin Hamad Al Thani", "QA", "emir"),
]
VENUES = [("Astana", "KZ"), ("Tashkent", "UZ"), ("Jeddah", "SA"), (None, "QA"), ("Dushanbe", "TJ")]
DOCUMENTS = [
    ("Joint Declaration", "declaration"),
    ("إعلان أستانا", "declaration"),
    ("Дорожная карта", "roadmap"),
]


def summit_event(
    *,
    summit_id: str,
    article: int,
    language: str,
    host: str | None,
    published: str | None,
    ordinal: int | None,
    start_date: str | None,
    venue: int | None,
    status: str,
    leaders: list[int],
    guests: list[bool],
    documents: list[int],
    confidence: float,
) -> RegionalSummit:
    """One event about meeting `summit_id` from article number `article` (its event_id follows from both)."""
    people = [
        Participant(
            name=LEADERS[i][0],
            name_original=f"{LEADERS[i][0]} ({language})",
            country=LEADERS[i][1],
            role=LEADERS[i][2],
            guest=guest,
            mentions=[Mention(start=0, end=5, text="abcde")],
        )
        for i, guest in zip(leaders, guests, strict=False)
    ]
    place = None if venue is None else Venue(city=VENUES[venue][0], country=VENUES[venue][1])
    return RegionalSummit(
        event_id=f"e{article:05d}-{summit_id}",
        summit_key=summit_id.split(":", 1)[0] + ":key",
        summit_id=summit_id,
        article=ArticleRef(
            id=f"a{article:05d}",
            url=f"https://{host}/news/{article}" if host else None,
            language=language,
            published_at=published,
        ),
        summit=Summit(
            name=f"summit {summit_id} ({language})",
            series="Consultative Meeting of the Heads of State of Central Asia",
            scope="regional",
            status=status,
            ordinal=ordinal,
            start_date=start_date,
            venue=place,
            chair_country=place.country if place else None,
        ),
        participants=people,
        participant_countries=sorted({p.country for p in people if p.country}),
        officials=[],
        documents=[
            Document(
                title=DOCUMENTS[i][0], kind=DOCUMENTS[i][1], mentions=[Mention(start=0, end=1, text="x")]
            )
            for i in sorted(set(documents))
        ],
        confidence=confidence,
        pipeline_version="test-1",
    )


@st.composite
def summit_events(draw: st.DrawFn, meetings: int = 3, most: int = 12) -> list[RegionalSummit]:
    """Events of up to `meetings` meetings (some articles duplicated, facts agreeing and disagreeing)."""
    count = draw(st.integers(1, most))
    events = []
    for article in range(count):
        meeting = draw(st.integers(0, meetings - 1))
        events.append(
            summit_event(
                summit_id=f"c5-consultative:{meeting + 1}",
                article=article,
                language=draw(st.sampled_from(LANGUAGES)),
                host=draw(st.sampled_from(HOSTS)),
                published=draw(
                    st.sampled_from([None, "2024-08-08", "2024-08-09", "2024-08-09T10:00:00+05:00"])
                ),
                ordinal=draw(st.sampled_from([None, meeting + 1, meeting + 2])),
                start_date=draw(st.sampled_from([None, "2024-08-09", "2024-08-10", "2024-08"])),
                venue=draw(st.sampled_from([None, 0, 1, 4])),
                status=draw(st.sampled_from(["held", "ongoing", "upcoming"])),
                leaders=draw(st.lists(st.integers(0, len(LEADERS) - 1), max_size=4, unique=True)),
                guests=draw(st.lists(st.booleans(), min_size=4, max_size=4)),
                documents=draw(st.lists(st.integers(0, len(DOCUMENTS) - 1), max_size=2)),
                confidence=draw(st.sampled_from([0.5, 0.7, 0.85, 0.97])),
            )
        )
    duplicates = draw(st.lists(st.sampled_from(events), max_size=4))
    return events + duplicates
