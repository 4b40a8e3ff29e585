"""Property tests over the whole pipeline from raw bytes: the real handlers behind the runtime and fakes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consumer.runtime import Runtime
from schemas import DeadLetterHeaders, RawArticle, RegionalSummit
from tests.component.fakes import DLQ, OUTPUT, FakeSink, FakeSource, envelope
from tests.component.test_runtime import FAST, P0, wait_for
from tests.fixtures.raw_values import raw_values


def pipeline() -> Any:
    from tests.pipelines import built_pipeline

    return built_pipeline()


class Recorder:
    """The real handler, remembering each event's article body (to check mention offsets on the wire)."""

    def __init__(self) -> None:
        # event_id -> bodies: two messages with the same article id (a re-scrape) share their event ids
        self.bodies: dict[str, list[str]] = {}
        self.articles_with_events = 0

    def __call__(self, article: RawArticle) -> Sequence[RegionalSummit]:
        events = pipeline().process(article)
        self.articles_with_events += bool(events)
        for event in events:
            self.bodies.setdefault(event.event_id, []).append(article.body)
        return events


def mentions(document: object) -> Iterator[dict[str, Any]]:
    """Every {start, end, text} object anywhere in an event."""
    if isinstance(document, dict):
        if {"start", "end", "text"} <= document.keys():
            yield document
        for value in document.values():
            yield from mentions(value)
    elif isinstance(document, list):
        for value in document:
            yield from mentions(value)


async def run(values: list[bytes | None]) -> tuple[Runtime, FakeSource, FakeSink, Recorder]:
    source = FakeSource([envelope(i, value) for i, value in enumerate(values)])
    sink, recorder = FakeSink(), Recorder()
    runtime = Runtime(
        source=source, sink=sink, handle=recorder, output_topic=OUTPUT, dlq_topic=DLQ, policy=FAST
    )
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    await wait_for(lambda: source.committed.get(P0) == len(values) or task.done(), within=30)
    stop.set()
    await task  # raises if anything escaped the runtime
    return runtime, source, sink, recorder


@pytest.mark.timeout(300)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(raw_values, min_size=1, max_size=12))
def test_any_bytes_end_as_exactly_one_outcome_and_event_offsets_point_into_the_body(
    values: list[bytes | None],
) -> None:
    runtime, source, sink, recorder = asyncio.run(run(values))
    assert source.committed.get(P0) == len(values), "every message settles; nothing loops or stalls"
    letters = [DeadLetterHeaders.from_kafka(r.headers) for r in sink.on(DLQ)]
    dead = [h.original_offset for h in letters]
    assert len(dead) == len(set(dead)), "each dead letter once"
    non_summit = runtime.metrics.non_summit._value.get()
    assert len(dead) + non_summit + recorder.articles_with_events == len(values), "one outcome per message"
    for record in sink.on(OUTPUT):
        event = orjson.loads(record.value or b"")
        RegionalSummit.model_validate(event)
        found = list(mentions(event))
        assert any(
            all(
                0 <= m["start"] <= m["end"] <= len(body) and body[m["start"] : m["end"]] == m["text"]
                for m in found
            )
            for body in recorder.bodies[event["event_id"]]
        ), "every mention of the event points into the body it came from"
