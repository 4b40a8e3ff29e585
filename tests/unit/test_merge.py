"""The summit table's fold: a pure function of the set of events, whatever their order and duplicates."""

from __future__ import annotations

import io
import random

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from consumer.offline import merge_lines
from handlers.merge import SummitTable, fold, merge, record_bytes
from schemas import RegionalSummit, SummitRecord
from tests.strategies import summit_event, summit_events


def table_bytes(records: list[SummitRecord]) -> dict[str, bytes]:
    return {r.summit_id: record_bytes(r) for r in records}


def event(article: int, **changes: object) -> RegionalSummit:
    facts: dict[str, object] = {
        "summit_id": "c5-consultative:6",
        "article": article,
        "language": "ar",
        "host": "spa.gov.sa",
        "published": "2024-08-09",
        "ordinal": 6,
        "start_date": "2024-08-09",
        "venue": 0,
        "status": "held",
        "leaders": [0, 1],
        "guests": [False, False],
        "documents": [0],
        "confidence": 0.9,
    }
    facts.update(changes)
    return summit_event(**facts)  # type: ignore[arg-type]  # the facts above have the builder's types


@settings(max_examples=150, deadline=None)
@given(summit_events(), st.randoms(use_true_random=False))
def test_merge_is_the_same_for_any_order_and_any_duplicates(
    events: list[RegionalSummit], rnd: random.Random
) -> None:
    shuffled = events[:]
    rnd.shuffle(shuffled)
    again = shuffled + rnd.sample(events, k=min(3, len(events)))
    assert table_bytes(merge(shuffled)) == table_bytes(merge(events)) == table_bytes(merge(again))


@settings(max_examples=100, deadline=None)
@given(summit_events(), st.randoms(use_true_random=False))
def test_the_streaming_state_folds_to_what_merge_gives(
    events: list[RegionalSummit], rnd: random.Random
) -> None:
    """Applying events one by one (as the table stage does, replays included) ends in merge's records."""
    table = SummitTable()
    order = events + events[: len(events) // 2]
    rnd.shuffle(order)
    for e in order:
        table.apply(e)
    ids = sorted({e.summit_id or "" for e in events})
    assert table_bytes([table.record(i) for i in ids]) == table_bytes(merge(events))
    assert not any(table.apply(e) for e in events), "a replay changes nothing"


def test_a_record_round_trips_through_json() -> None:
    record = fold([event(1), event(2, language="en", host="reuters.com", start_date="2024-08-10")])
    data = record_bytes(record)
    assert SummitRecord.model_validate_json(data) == record
    assert record_bytes(SummitRecord.model_validate(orjson.loads(data))) == data


def test_each_field_keeps_its_chosen_value_support_and_disagreements() -> None:
    record = fold(
        [
            event(1, language="ar"),
            event(2, language="en", host="reuters.com"),
            event(3, language="ru", host="tass.com", start_date="2024-08-10", venue=1),
        ]
    )
    start = record.summit.start_date
    assert (start.value, start.sources, start.languages) == ("2024-08-09", 2, ["ar", "en"])
    assert [(c.value, c.sources, c.languages) for c in start.others] == [("2024-08-10", 1, ["ru"])]
    venue = record.summit.venue
    assert venue.value is not None
    assert venue.value.city == "Astana"
    assert [c.value.city for c in venue.others] == ["Tashkent"]
    assert record.languages == ["ar", "en", "ru"]
    assert [s.article_id for s in record.sources] == ["a00001", "a00002", "a00003"]


def test_participants_states_and_documents_are_unions_with_support() -> None:
    record = fold([event(1, leaders=[0, 1]), event(2, leaders=[1, 2], language="ru", documents=[0, 2])])
    names = {p.name: (p.sources, p.languages) for p in record.participants}
    assert names == {
        "Shavkat Mirziyoyev": (2, ["ar", "ru"]),
        "Kassym-Jomart Tokayev": (1, ["ar"]),
        "Sadyr Japarov": (1, ["ru"]),
    }
    assert record.participants[0].name == "Shavkat Mirziyoyev", "best supported first"
    assert {c.country: c.sources for c in record.participant_countries} == {"KZ": 1, "UZ": 2, "KG": 1}
    assert {d.title: d.sources for d in record.documents} == {"Joint Declaration": 2, "Дорожная карта": 1}


def test_status_is_the_one_the_latest_sources_report() -> None:
    record = fold(
        [
            event(1, status="upcoming", published="2024-08-05"),
            event(2, status="upcoming", published="2024-08-06", host="tass.com"),
            event(3, status="held", published="2024-08-10", host="reuters.com"),
        ]
    )
    assert record.summit.status.value == "held"
    assert [c.value for c in record.summit.status.others] == ["upcoming"]
    assert (record.first_seen, record.last_seen) == ("2024-08-05", "2024-08-10")


def test_confidence_grows_with_independent_agreement_only() -> None:
    one = fold([event(1, confidence=0.8)]).confidence
    same_publisher = fold([event(1, confidence=0.8), event(2, confidence=0.8)]).confidence
    two_publishers = fold([event(1, confidence=0.8), event(2, confidence=0.8, host="tass.com")]).confidence
    disagreeing = fold(
        [event(1, confidence=0.8), event(2, confidence=0.8, host="tass.com", ordinal=7)]
    ).confidence
    assert one == same_publisher == 0.8
    assert two_publishers == 0.96
    assert one < disagreeing < two_publishers


def test_two_copies_of_one_event_id_resolve_to_the_greater_whatever_arrives_first() -> None:
    a, b = event(1, confidence=0.5), event(1, confidence=0.97)
    assert record_bytes(fold([a, b])) == record_bytes(fold([b, a]))
    table = SummitTable()
    assert table.apply(b)
    assert not table.apply(a)
    assert record_bytes(table.record("c5-consultative:6")) == record_bytes(fold([a, b]))
    assert len(fold([a, b]).sources) == 1


def test_merge_lines_writes_one_sorted_record_per_summit_and_reports_bad_lines() -> None:
    lines = [
        orjson.dumps(event(1, summit_id="gcc:44").model_dump(mode="json")).decode(),
        "not json",
        orjson.dumps(event(2).model_dump(mode="json")).decode(),
        orjson.dumps(event(3).model_dump(mode="json")).decode(),
    ]
    sink = io.StringIO()
    summary = merge_lines(lines, sink)
    out = [orjson.loads(line) for line in sink.getvalue().splitlines()]
    assert [r["summit_id"] for r in out] == ["c5-consultative:6", "gcc:44"]
    assert [len(r["sources"]) for r in out] == [2, 1]
    assert (summary.events, summary.summits, summary.rejected) == (3, 2, 1)
