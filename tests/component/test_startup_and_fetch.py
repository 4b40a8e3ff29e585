"""Start-up steps give way to a stop; a record the broker cuts short becomes a dead letter, not a stop."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiokafka import TopicPartition
from aiokafka.errors import RecordTooLargeError

from consumer.envelope import oversized
from consumer.errors import StartupError
from consumer.kafka import KafkaSource
from consumer.ports import Partition
from consumer.runtime import Runtime
from consumer.service import unless_stopped
from consumer.settings import Settings
from schemas import DeadLetterHeaders
from tests.component.fakes import (
    DLQ,
    INPUT,
    OUTPUT,
    FakeSink,
    FakeSource,
    article_bytes,
    envelope,
    standin_handler,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(15)]


async def test_a_stop_during_a_start_up_step_cancels_it_at_once() -> None:
    stop = asyncio.Event()
    cancelled = asyncio.Event()

    async def broker_that_never_answers() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    asyncio.get_running_loop().call_later(0.05, stop.set)
    started = time.monotonic()
    assert await unless_stopped(broker_that_never_answers(), stop) is False
    assert time.monotonic() - started < 1.0
    assert cancelled.is_set()


async def test_a_stop_asked_before_a_step_skips_it_and_a_failing_step_still_fails() -> None:
    stop = asyncio.Event()
    stop.set()
    ran = []

    async def step() -> None:
        ran.append(True)

    assert await unless_stopped(step(), stop) is False
    assert ran == []

    async def missing_topics() -> None:
        raise StartupError("missing topics: x")

    with pytest.raises(StartupError):
        await unless_stopped(missing_topics(), asyncio.Event())


class _CutShort:
    """aiokafka's consumer when the broker cut a fetch short of a record larger than the fetch size (the
    source reads one assigned partition per call)."""

    def assignment(self) -> set[TopicPartition]:
        return {TopicPartition(INPUT, 2)}

    async def getmany(self, *partitions: TopicPartition, timeout_ms: int, max_records: int) -> object:
        raise RecordTooLargeError(
            "There are some messages at [Partition=Offset]: %s=%s whose size is larger than the fetch "
            "size %s",
            TopicPartition(INPUT, 2),
            41,
            1_114_112,
        )


async def test_a_record_larger_than_the_fetch_size_is_fetched_as_an_envelope_to_dead_letter() -> None:
    source = KafkaSource(Settings(input_topic=INPUT, output_topic=OUTPUT, dlq_topic=DLQ))
    source._consumer = _CutShort()
    [cut] = await source.fetch(max_records=10, timeout_s=0.01)
    assert (cut.topic, cut.partition, cut.offset, cut.value) == (INPUT, 2, 41, None)
    assert cut.fetch_error is not None
    assert "larger than the fetch size" in cut.fetch_error


async def test_the_runtime_dead_letters_it_headers_only_and_commits_past_it() -> None:
    items = [
        envelope(0, article_bytes("a0", "The summit met.")),
        oversized(INPUT, 0, 1, 1_114_112),
        envelope(2, article_bytes("a2", "The summit met again.")),
    ]
    source, sink = FakeSource(items), FakeSink()
    runtime = Runtime(source=source, sink=sink, handle=standin_handler, output_topic=OUTPUT, dlq_topic=DLQ)
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    for _ in range(400):
        if source.committed.get(Partition(INPUT, 0)) == 3:
            break
        await asyncio.sleep(0.005)
    stop.set()
    await task
    [letter] = sink.on(DLQ)
    headers = DeadLetterHeaders.from_kafka(letter.headers)
    assert (letter.value, headers.error_stage, headers.original_offset) == (None, "decode", 1)
    assert len(sink.on(OUTPUT)) == 2
    assert source.committed[Partition(INPUT, 0)] == 3
