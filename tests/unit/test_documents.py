"""Documents adopted or signed at the summit, on wire-style sentences written for these tests.

Each text is taken as a summit report (`tests.unit.deciders`): whether such a short text is one is the
summit model's business, measured on real articles by `make eval`.
"""

from __future__ import annotations

import pytest

from handlers.doc import Doc
from handlers.pipeline import Pipeline
from schemas import Document, RegionalSummit
from tests.unit.deciders import reports_pipeline
from tests.unit.test_detection import one, read


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return reports_pipeline()  # the documents of a report: whether it is one is not asked here


OPENING = (
    "أستانا 9 أغسطس (قنا) - اختتم اليوم في العاصمة الكازاخستانية أستانا "
    "الاجتماع التشاوري السادس لرؤساء دول آسيا الوسطى"
)


def docs_containing(event: RegionalSummit, word: str) -> list[Document]:
    return [d for d in event.documents if word in d.title]


def read_documents(doc: Doc) -> list[tuple[str, str]]:
    """The documents the reading stages found, as (title as written, kind)."""
    assert doc.text is not None
    return [(doc.text.span(d.title_span.start, d.title_span.end)[2], d.kind) for d in doc.documents]


def test_declaration_adopted_is_a_document(pipeline: Pipeline) -> None:
    event = one(pipeline, f"{OPENING}، واعتمد القادة في ختامه إعلان أستانا المشترك.")
    found = docs_containing(event, "إعلان أستانا")
    assert len(found) == 1, [d.title for d in event.documents]
    assert found[0].kind == "declaration"


def test_concept_approved_is_a_document(pipeline: Pipeline) -> None:
    event = one(pipeline, f"{OPENING}، وأقر الرؤساء مفهوم التعاون الإقليمي في مجال الأمن الغذائي.")
    found = docs_containing(event, "مفهوم")
    assert len(found) == 1, [d.title for d in event.documents]
    assert found[0].kind == "concept"


def test_roadmap_signed_is_a_document(pipeline: Pipeline) -> None:
    event = one(pipeline, f"{OPENING}، ووقع الرؤساء خارطة طريق لتطوير التعاون الإقليمي للفترة 2024-2026.")
    found = docs_containing(event, "خارطة طريق")
    assert len(found) == 1, [d.title for d in event.documents]
    assert found[0].kind == "roadmap"


def test_treaty_signed_is_a_document(pipeline: Pipeline) -> None:
    event = one(
        pipeline,
        f"{OPENING}، ووقع القادة معاهدة الصداقة وحسن الجوار والتعاون من أجل تنمية آسيا الوسطى.",
    )
    found = docs_containing(event, "معاهدة الصداقة")
    assert len(found) == 1, [d.title for d in event.documents]
    assert found[0].kind in {"treaty", "agreement"}


def test_several_documents_each_with_its_kind(pipeline: Pipeline) -> None:
    event = one(
        pipeline,
        f"{OPENING}، واعتمد القادة إعلان أستانا المشترك، كما أقروا خارطة طريق للتعاون الصناعي "
        "ومفهوم الأمن الإقليمي.",
    )
    kinds = sorted(d.kind for d in event.documents)
    assert kinds == ["concept", "declaration", "roadmap"], [(d.title, d.kind) for d in event.documents]


def test_proposal_is_not_a_document(pipeline: Pipeline) -> None:
    event = one(
        pipeline,
        f"{OPENING}. واقترح الرئيس الأوزبكي شوكت ميرضيائيف إطلاق برنامج إقليمي للتعاون الرقمي حتى عام 2030.",
    )
    assert docs_containing(event, "برنامج") == [], [d.title for d in event.documents]


def test_document_from_another_event_is_not_used(pipeline: Pipeline) -> None:
    event = one(
        pipeline,
        f"{OPENING}، وبحث القادة قضايا المياه والطاقة. وكان الرؤساء قد اعتمدوا في الاجتماع السابق في "
        "دوشنبه العام الماضي خارطة طريق للتعاون الإقليمي.",
    )
    assert event.documents == [], [d.title for d in event.documents]


def test_document_mentions_point_into_body(pipeline: Pipeline) -> None:
    body = f"{OPENING}، واعتمد القادة في ختامه إعلان أستانا المشترك."
    event = one(pipeline, body)
    assert event.documents
    for document in event.documents:
        assert document.mentions
        for mention in document.mentions:
            assert body[mention.start : mention.end] == mention.text


def test_english_declaration_is_read(pipeline: Pipeline) -> None:
    body = (
        "ASTANA, August 9 (Kazinform) - The leaders adopted the Astana Declaration at the close of the sixth "
        "Consultative Meeting of the Heads of State of Central Asia."
    )
    found = read_documents(read(pipeline, body, lang="en"))
    assert [kind for title, kind in found if "Astana Declaration" in title] == ["declaration"], found


def test_russian_roadmap_is_read(pipeline: Pipeline) -> None:
    body = (
        "АСТАНА, 9 августа. /ТАСС/. По итогам Консультативной встречи глав государств Центральной Азии "
        "лидеры подписали дорожную карту развития регионального сотрудничества на 2024-2026 годы."
    )
    found = read_documents(read(pipeline, body, lang="ru"))
    assert [kind for _, kind in found] == ["roadmap"], found
