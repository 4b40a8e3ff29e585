"""Wire models: lenient input, strict output, one orjson round trip per model."""

from __future__ import annotations

from datetime import UTC, date, datetime

import orjson
import pytest
from pydantic import ValidationError

from schemas import (
    ArticleRef,
    DeadLetterHeaders,
    Mention,
    Participant,
    RawArticle,
    RegionalSummit,
    Summit,
    Venue,
)


def test_body_is_accepted_under_content_or_text() -> None:
    assert RawArticle.model_validate({"id": "a", "content": "نص"}).body == "نص"
    assert RawArticle.model_validate({"id": "a", "text": "text"}).body == "text"


def test_html_body_is_stripped_to_text() -> None:
    article = RawArticle.model_validate(
        {"id": "a", "body": "<p>قمة &amp; <b>طشقند</b></p><script>x()</script>"}
    )
    assert article.body == "قمة & طشقند"


def test_id_is_derived_from_url_then_body_and_is_stable() -> None:
    by_url = RawArticle.model_validate({"url": "https://example.org/a", "body": "x"})
    again = RawArticle.model_validate({"url": "https://example.org/a", "body": "y"})
    by_body = RawArticle.model_validate({"body": "x"})
    assert by_url.id == again.id
    assert by_url.id.startswith("url-")
    assert by_body.id.startswith("body-")
    assert by_body.id != by_url.id


def test_dates_and_language_are_parsed() -> None:
    article = RawArticle.model_validate(
        {"id": "a", "body": "x", "published_at": "2024-08-09T10:00:00Z", "language": "AR-sa"}
    )
    assert article.published_at == datetime(2024, 8, 9, 10, tzinfo=UTC)
    assert article.published_date == date(2024, 8, 9)
    assert article.language == "ar"
    assert RawArticle.model_validate(
        {"id": "a", "body": "x", "published_at": "2024-08-09"}
    ).published_date == date(2024, 8, 9)


def test_unknown_fields_are_ignored() -> None:
    assert RawArticle.model_validate({"id": "a", "body": "x", "gold": {"is_summit": True}}).id == "a"


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"id": "a"},
        {"id": "a", "body": "   "},
        {"id": "a", "body": 42},
        {"id": "a", "body": "<div><br></div>"},
        {"id": "a", "body": "x", "published_at": "last tuesday"},
        {"id": "a", "body": "x", "language": "arabic"},
    ],
)
def test_what_cannot_be_an_article_is_rejected_clearly(payload: object) -> None:
    with pytest.raises(ValidationError):
        RawArticle.model_validate(payload)


def test_raw_article_round_trips_through_orjson() -> None:
    article = RawArticle.model_validate({"id": "a", "body": "نص", "url": "u", "published_at": "2024-08-09"})
    again = RawArticle.model_validate(orjson.loads(orjson.dumps(article.model_dump(mode="json"))))
    assert again == article


def _event() -> RegionalSummit:
    mention = Mention(start=0, end=3, text="قمة")
    return RegionalSummit(
        event_id="e",
        summit_key="k",
        article=ArticleRef(id="a"),
        summit=Summit(
            name="قمة",
            scope="regional",
            status="held",
            ordinal=6,
            start_date="2024-08-09",
            venue=Venue(city="Astana", country="KZ"),
            chair_country="KZ",
        ),
        participants=[
            Participant(
                name="Kassym-Jomart Tokayev",
                name_original="توكاييف",
                country="KZ",
                role="president",
                mentions=[mention],
            )
        ],
        participant_countries=["KZ"],
        officials=[],
        documents=[],
        confidence=0.9,
        pipeline_version="test",
    )


def test_regional_summit_round_trips_through_orjson() -> None:
    event = _event()
    assert RegionalSummit.model_validate(orjson.loads(orjson.dumps(event.model_dump(mode="json")))) == event


def test_regional_summit_rejects_a_bad_country_code_and_confidence() -> None:
    data = _event().model_dump(mode="json")
    data["summit"]["chair_country"] = "Kazakhstan"
    with pytest.raises(ValidationError):
        RegionalSummit.model_validate(data)
    data = _event().model_dump(mode="json")
    data["confidence"] = 1.5
    with pytest.raises(ValidationError):
        RegionalSummit.model_validate(data)


def test_dead_letter_headers_round_trip_through_kafka_headers() -> None:
    headers = DeadLetterHeaders.model_validate(
        {
            "error.class": "DecodeError",
            "error.message": "not JSON",
            "error.stage": "decode",
            "original.topic": "t",
            "original.partition": 1,
            "original.offset": 7,
            "original.timestamp": 1700000000000,
            "failed_at": datetime(2026, 11, 27, 5, 9, 50, 208000, tzinfo=UTC),
        }
    )
    encoded = headers.to_kafka()
    names = [k for k, _ in encoded]
    assert names == [
        "error.class",
        "error.message",
        "error.stage",
        "original.topic",
        "original.partition",
        "original.offset",
        "original.timestamp",
        "failed_at",
        "attempts",
    ]
    assert DeadLetterHeaders.from_kafka(encoded) == headers
