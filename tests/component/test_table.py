"""The table stage against fakes at its ports: records, changelog, commits, restore, replays, failures."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

import orjson
import pytest

from consumer.envelope import Envelope
from consumer.errors import RecordRejectedError, TransientBrokerError
from consumer.ports import Partition
from consumer.runtime import RetryPolicy, RuntimePolicy
from consumer.table import TableRuntime, TableTopics
from handlers.merge import merge, record_bytes
from schemas import DeadLetterHeaders, RegionalSummit
from tests.component.fakes import INPUT, FakeSink, FakeSource
from tests.strategies import summit_event

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(15)]

TOPICS = TableTopics(table="table", changelog="changelog", dlq="events.dlq")
FAST = RuntimePolicy(
    max_in_flight=8,
    max_message_bytes=100_000,
    commit_interval_s=0.01,
    shutdown_timeout_s=2.0,
    fetch_timeout_s=0.01,
    retry=RetryPolicy(max_attempts=None, base_delay_s=0.001, max_delay_s=0.005),
)


class FakeChangelog:
    """Reads back what the sink acknowledged on the changelog topic, per partition."""

    def __init__(self, sink: FakeSink) -> None:
        self.sink = sink
        self.reads: list[int] = []
        self.failures = 0

    async def start(self) -> None:
        pass

    async def read(self, partition: int) -> Sequence[bytes]:
        self.reads.append(partition)
        if self.failures:
            self.failures -= 1
            raise TransientBrokerError("changelog unreachable", operation="restore")
        return [r.value or b"" for r in self.sink.on(TOPICS.changelog) if r.partition == partition]

    async def stop(self) -> None:
        pass


def event(article: int, meeting: int, **changes: object) -> RegionalSummit:
    facts: dict[str, object] = {
        "summit_id": f"c5-consultative:{meeting}",
        "article": article,
        "language": ["ar", "en", "ru"][article % 3],
        "host": ["spa.gov.sa", "tass.com", None][article % 3],
        "published": "2024-08-09",
        "ordinal": meeting,
        "start_date": None,
        "venue": article % 2,
        "status": "held",
        "leaders": [article % 5],
        "guests": [False],
        "documents": [],
        "confidence": 0.8,
    }
    facts.update(changes)
    return summit_event(**facts)  # type: ignore[arg-type]  # the builder's own types


def envelopes(events: Sequence[RegionalSummit | bytes], start: int = 0) -> list[Envelope]:
    """Events keyed by summit_id on partition (meeting % 2), offsets counted per partition from `start`."""
    out, next_offset = [], {0: start, 1: start}
    for item in events:
        value = item if isinstance(item, bytes) else orjson.dumps(item.model_dump(mode="json"))
        partition = 0 if isinstance(item, bytes) else int((item.summit_id or "0").rsplit(":", 1)[1]) % 2
        out.append(Envelope(INPUT, partition, next_offset[partition], b"k", value, (), None))
        next_offset[partition] += 1
    return out


def latest(sink: FakeSink) -> dict[bytes, bytes]:
    table: dict[bytes, bytes] = {}
    for record in sink.on(TOPICS.table):
        table[record.key or b""] = record.value or b""
    return table


def expected(events: Sequence[RegionalSummit]) -> dict[bytes, bytes]:
    return {r.summit_id.encode(): record_bytes(r) for r in merge(events)}


async def run_until(runtime: TableRuntime, condition: Callable[[], bool], within: float = 5.0) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    try:
        for _ in range(int(within / 0.005)):
            if condition() or task.done():
                break
            await asyncio.sleep(0.005)
    finally:
        stop.set()
        await task


def stage(source: FakeSource, sink: FakeSink, changelog: FakeChangelog | None = None) -> TableRuntime:
    return TableRuntime(
        source=source, sink=sink, changelog=changelog or FakeChangelog(sink), topics=TOPICS, policy=FAST
    )


EVENTS = [event(article, meeting) for article, meeting in zip(range(20), [1, 2, 3, 4] * 5, strict=True)]


async def test_the_table_holds_merge_of_the_events_and_the_batch_is_committed_after_the_changelog() -> None:
    source, sink = FakeSource(envelopes(EVENTS), partitions=(0, 1)), FakeSink()
    await run_until(stage(source, sink), lambda: source.committed.get(Partition(INPUT, 0)) == 10)
    assert latest(sink) == expected(EVENTS)
    assert source.committed == {Partition(INPUT, 0): 10, Partition(INPUT, 1): 10}
    entries = sink.on(TOPICS.changelog)
    assert len(entries) == 20
    assert all(r.partition == int((r.key or b"").split(b":")[1].split(b"/")[0]) % 2 for r in entries)
    for j, entry in enumerate(sink.acked):
        if entry.topic == TOPICS.changelog:
            summit, event_id = (entry.key or b"").decode().rsplit("/", 1)
            assert any(
                r.topic == TOPICS.table and r.key == summit.encode() and event_id.encode() in (r.value or b"")
                for r in sink.acked[:j]
            ), "an event enters the changelog only after a record holding it was acknowledged"


async def test_duplicates_and_a_replay_write_nothing_new() -> None:
    source, sink = FakeSource(envelopes(EVENTS + EVENTS[:5]), partitions=(0, 1)), FakeSink()
    runtime = stage(source, sink)
    written: list[int] = []

    def replayed() -> bool:
        if not written and sum(source.committed.values()) == 25:
            written.append(len(sink.acked))
            source.queue = envelopes(EVENTS, start=13)  # the whole stream again
        return sum(source.committed.values()) == 46

    await run_until(runtime, replayed)
    assert sum(source.committed.values()) == 46
    assert len(sink.acked) == written[0], "a replay changes nothing"
    assert latest(sink) == expected(EVENTS)
    assert runtime.metrics.duplicates._value.get() == 25


async def test_a_restarted_stage_restores_its_state_before_applying_and_repeats_nothing() -> None:
    sink = FakeSink()
    first = FakeSource(envelopes(EVENTS[:12]), partitions=(0, 1))
    await run_until(stage(first, sink), lambda: sum(first.committed.values()) == 12)
    written = len(sink.on(TOPICS.table))
    # a crash lost the last commit: the next process gets the last 4 again, then new events
    redelivered = envelopes(EVENTS)[8:]
    changelog = FakeChangelog(sink)
    second = FakeSource(redelivered, partitions=(0, 1))
    runtime = stage(second, sink, changelog)
    await run_until(runtime, lambda: sum(second.committed.values()) == 20)
    assert sorted(changelog.reads) == [0, 1], "each partition restored once, before its first event"
    assert latest(sink) == expected(EVENTS)
    new = sink.on(TOPICS.table)[written:]
    assert {r.key for r in new} == {e.summit_id.encode() for e in EVENTS[12:] if e.summit_id}
    assert runtime.metrics.restored._value.get() == 12


async def test_events_that_are_not_events_are_dead_lettered_and_the_stream_goes_on() -> None:
    items: list[RegionalSummit | bytes] = [EVENTS[0], b"not json", b'{"event_id": 1}', EVENTS[4]]
    source, sink = FakeSource(envelopes(items), partitions=(0, 1)), FakeSink()
    await run_until(stage(source, sink), lambda: sum(source.committed.values()) == 4)
    letters = [DeadLetterHeaders.from_kafka(r.headers) for r in sink.on(TOPICS.dlq)]
    assert [(h.error_stage, h.original_partition, h.original_offset) for h in letters] == [
        ("decode", 0, 0),
        ("validate", 0, 1),
    ]
    assert latest(sink) == expected([EVENTS[0], EVENTS[4]])


async def test_transient_write_errors_pause_the_batch_and_nothing_is_committed_before_the_acks() -> None:
    source, sink = FakeSource(envelopes(EVENTS[:4]), partitions=(0, 1)), FakeSink()
    sink.fail(lambda r: r.topic == TOPICS.table, TransientBrokerError("leader moved", operation="publish"), 5)
    release = sink.hold(lambda r: r.topic == TOPICS.changelog)
    runtime = stage(source, sink)
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    for _ in range(200):
        if sink.on(TOPICS.table):
            break
        await asyncio.sleep(0.005)
    assert source.committed == {}, "records acked, changelog not yet: nothing committed"
    release.set()
    for _ in range(400):
        if sum(source.committed.values()) == 4:
            break
        await asyncio.sleep(0.005)
    stop.set()
    await task
    assert latest(sink) == expected(EVENTS[:4])
    assert runtime.metrics.publish_retries._value.get() == 5


async def test_a_record_refused_for_good_stops_the_stage_with_nothing_committed() -> None:
    source, sink = FakeSource(envelopes(EVENTS[:4]), partitions=(0, 1)), FakeSink()
    sink.fail(lambda r: r.topic == TOPICS.table, RecordRejectedError("too large", operation="publish"))
    runtime = stage(source, sink)
    with pytest.raises(Exception, match="refused a record for good"):
        await run_until(runtime, lambda: False, within=1.0)
    assert source.committed == {}
    assert sink.on(TOPICS.changelog) == []


async def test_a_changelog_that_cannot_be_read_yet_is_retried_before_anything_is_applied() -> None:
    sink = FakeSink()
    changelog = FakeChangelog(sink)
    changelog.failures = 3
    source = FakeSource(envelopes(EVENTS[:4]), partitions=(0, 1))
    await run_until(stage(source, sink, changelog), lambda: sum(source.committed.values()) == 4)
    assert len(changelog.reads) == 5
    assert latest(sink) == expected(EVENTS[:4])


async def test_a_revoked_partition_drops_its_state_and_is_restored_when_it_comes_back() -> None:
    sink = FakeSink()
    changelog = FakeChangelog(sink)
    source = FakeSource(envelopes(EVENTS[:8]), partitions=(0, 1))
    runtime = stage(source, sink, changelog)
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    for _ in range(400):
        if sum(source.committed.values()) == 8:
            break
        await asyncio.sleep(0.005)
    await source.revoke({Partition(INPUT, 1)})
    assert runtime.metrics.summits._value.get() == 2, "only partition 0's meetings are left"
    assert source.listener is not None
    await source.listener.on_assigned({Partition(INPUT, 1)})
    source.queue = envelopes(EVENTS[8:12], start=4)
    for _ in range(400):
        if sum(source.committed.values()) == 16:
            break
        await asyncio.sleep(0.005)
    stop.set()
    await task
    assert changelog.reads.count(1) == 2
    assert latest(sink) == expected(EVENTS[:12])
