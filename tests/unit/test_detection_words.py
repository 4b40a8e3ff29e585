"""Summit words the readers must find (and not set apart) and what the summit model is shown about a
meeting told before them: sentences written for these tests (not taken from the eval set)."""

from __future__ import annotations

import pytest

from handlers.doc import Doc
from handlers.features import article_features
from handlers.pipeline import Pipeline
from schemas import RawArticle


def read(p: Pipeline, body: str, lang: str) -> Doc:
    raw = {"id": "t-words", "language": lang, "body": body, "published_at": "2024-08-09"}
    doc = p.read(RawArticle.model_validate(raw))
    assert doc is not None, "no summit word read"
    assert doc.main is not None
    return doc


def words(doc: Doc) -> str:
    assert doc.main is not None
    return doc.norm[doc.main.cue.start : doc.main.cue.end]


def test_a_periodic_summit_is_not_a_football_league(pipeline: Pipeline) -> None:
    # "دوري" after the summit word is "periodic", not the league of a football report
    doc = read(
        pipeline,
        "وصل الرئيس إلى العاصمة اليوم للمشاركة في اجتماع قمة دوري لقادة دول المنظمة يبحث نتائج العام.",
        "ar",
    )
    assert doc.main is not None
    assert not doc.main.referenced
    assert not doc.main.negated


def test_summit_words_scraped_without_a_space_are_read(pipeline: Pipeline) -> None:
    doc = read(pipeline, "ألقى الرئيس كلمة في افتتاح مؤتمرالقمة العربية مساء اليوم بحضور القادة.", "ar")
    assert "قمه" in words(doc)


def test_a_council_of_heads_of_government_is_at_summit_level(pipeline: Pipeline) -> None:
    doc = read(
        pipeline,
        "Премьер-министр заявил на заседании межправительственного совета на уровне глав правительств, "
        "что стороны согласовали план действий.",
        "ru",
    )
    assert doc.main is not None
    assert not doc.main.referenced


def test_a_heads_council_named_with_the_organisations_acronym_inside(pipeline: Pipeline) -> None:
    doc = read(
        pipeline,
        "A meeting of the Council of CIS Heads of State planned for next month has been put off, "
        "the organisation's executive committee said.",
        "en",
    )
    assert doc.main is not None
    assert doc.main.fmt is not None
    assert doc.main.fmt.fmt.key == "cis"
    assert doc.main.sentence == 0


def test_a_session_of_the_csto_is_its_summit(pipeline: Pipeline) -> None:
    doc = read(
        pipeline,
        "Президент открыл встречу в узком составе в рамках сессии ОДКБ "
        "и предложил коллегам выступать кратко.",
        "ru",
    )
    assert doc.main is not None
    assert doc.main.fmt is not None
    assert doc.main.fmt.fmt.key == "csto"


def test_a_ministers_meeting_told_before_the_summit_word_is_counted(pipeline: Pipeline) -> None:
    before = read(
        pipeline,
        "Foreign ministers of the three states met in the capital on Monday to prepare the trilateral "
        "summit planned for the autumn.",
        "en",
    )
    after = read(
        pipeline,
        "The trilateral summit opened in the capital on Monday; the foreign ministers of the three states "
        "had met the day before.",
        "en",
    )
    row_before = article_features(before, pipeline.resources)
    row_after = article_features(after, pipeline.resources)
    assert row_before["negative_before_summit"] >= 1.0
    assert row_after["negative_before_summit"] == 0.0


@pytest.mark.parametrize(
    ("body", "lang", "key"),
    [
        (
            "Presidents of the South American bloc gathered on Monday for the Mercosur summit, where the "
            "rotating presidency passed to the next member.",
            "en",
            "mercosur",
        ),
        (
            "افتتحت اليوم أعمال قمة منتدى التعاون الصيني الأفريقي بحضور عدد كبير من القادة الأفارقة.",
            "ar",
            "focac",
        ),
        (
            "Лидеры четырех стран провели саммит в нормандском формате и обсудили прекращение огня.",
            "ru",
            "normandy-format",
        ),
        (
            "Президент прибыл на Восточноазиатский саммит, где выступит с речью о региональной безопасности.",
            "ru",
            "east-asia-summit",
        ),
        (
            "Heads of government arrived for the Summit of the Americas, which opens on Friday.",
            "en",
            "summit-of-the-americas",
        ),
        (
            "The prime minister will attend the third Forum for India-Pacific Islands Cooperation next week.",
            "en",
            "fipic",
        ),
    ],
)
def test_formats_of_other_regions_are_read_by_their_summit_names(
    pipeline: Pipeline, body: str, lang: str, key: str
) -> None:
    doc = read(pipeline, body, lang)
    assert doc.main is not None
    assert doc.main.fmt is not None
    assert doc.main.fmt.fmt.key == key
