"""The runtime against fakes at its ports: commits, dead letters, retries, shutdown and rebalance."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import orjson
import pytest

from consumer.errors import (
    FatalRuntimeError,
    HandlerFailureLimitError,
    RecordRejectedError,
    TransientBrokerError,
)
from consumer.ports import HandledOrFailed, Partition
from consumer.runtime import RetryPolicy, Runtime, RuntimePolicy, _units
from schemas import DeadLetterHeaders, RawArticle, RegionalSummit
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

P0 = Partition(INPUT, 0)
FAST = RuntimePolicy(
    max_in_flight=16,
    max_message_bytes=2000,
    max_consecutive_handler_failures=3,
    commit_interval_s=0.01,
    shutdown_timeout_s=2.0,
    fetch_timeout_s=0.01,
    retry=RetryPolicy(max_attempts=4, base_delay_s=0.001, max_delay_s=0.005),
)


def summit_article(offset: int, partition: int = 0) -> bytes:
    return article_bytes(f"a{partition}-{offset}", f"Leaders met at the summit, item {offset}.")


def make_runtime(
    source: FakeSource, sink: FakeSink, policy: RuntimePolicy = FAST, handle=standin_handler
) -> Runtime:
    return Runtime(source=source, sink=sink, handle=handle, output_topic=OUTPUT, dlq_topic=DLQ, policy=policy)


async def wait_for(condition: Callable[[], bool], within: float = 5.0) -> None:
    """Poll `condition` every 5 ms; TimeoutError after `within` seconds."""
    for _ in range(int(within / 0.005)):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise TimeoutError(f"condition not met within {within}s")


async def run_until(runtime: Runtime, condition: Callable[[], bool]) -> None:
    """Run the runtime until `condition` holds, then stop it cleanly."""
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    try:
        await wait_for(lambda: condition() or task.done())
    finally:
        stop.set()
        await task


def is_offset(offset: int) -> Callable[[object], bool]:
    """Matches the output record of input offset `offset` on partition 0."""
    return lambda record: getattr(record, "key", None) == f"key-a0-{offset}".encode()


async def test_good_articles_are_published_then_committed_past_the_last() -> None:
    source = FakeSource([envelope(i, summit_article(i)) for i in range(10)])
    sink = FakeSink()
    await run_until(make_runtime(source, sink), lambda: source.committed.get(P0) == 10)
    events = [RegionalSummit.model_validate(orjson.loads(r.value)) for r in sink.on(OUTPUT)]
    assert [e.article.id for e in events] == [f"a0-{i}" for i in range(10)]
    assert [r.key for r in sink.on(OUTPUT)] == [f"key-a0-{i}".encode() for i in range(10)]
    assert source.stopped


async def test_slow_ack_on_offset_5_holds_the_commit_of_6_to_n() -> None:
    source = FakeSource([envelope(i, summit_article(i)) for i in range(10)])
    sink = FakeSink()
    release = sink.hold(is_offset(5))
    stop = asyncio.Event()
    task = asyncio.create_task(make_runtime(source, sink).run(stop))
    await wait_for(lambda: len(sink.acked) == 9)
    await asyncio.sleep(0.05)  # several commit intervals pass
    assert source.committed.get(P0) == 5, "no commit may pass offset 5 before its ack"
    assert all(offsets[P0] <= 5 for offsets in source.commits)
    release.set()
    await wait_for(lambda: source.committed.get(P0) == 10)
    stop.set()
    await task


async def test_non_summit_article_is_committed_without_output() -> None:
    source = FakeSource([envelope(0, article_bytes("n0", "Weather report: sunny."))])
    sink = FakeSink()
    runtime = make_runtime(source, sink)
    await run_until(runtime, lambda: source.committed.get(P0) == 1)
    assert sink.acked == []
    assert runtime.metrics.non_summit._value.get() == 1


@pytest.mark.parametrize(
    ("value", "stage", "error_class"),
    [
        (b"\xff\xfe not utf-8", "decode", "DecodeError"),
        (b"{not json", "decode", "DecodeError"),
        (b"[1, 2, 3]", "decode", "DecodeError"),
        (None, "decode", "DecodeError"),
        (b'{"body": "' + b"x" * 3000 + b'"}', "decode", "DecodeError"),
        (b'{"title": "no body"}', "validate", "InvalidArticleError"),
        (article_bytes("boom", "the summit will explode"), "handle", "ValueError"),
    ],
    ids=["bad-utf8", "not-json", "json-array", "tombstone", "too-large", "missing-body", "handler-bug"],
)
async def test_failed_message_is_dead_lettered_with_contract_headers(
    value: bytes | None, stage: str, error_class: str
) -> None:
    source = FakeSource([envelope(0, value, key=b"the-key"), envelope(1, summit_article(1))])
    sink = FakeSink()
    runtime = make_runtime(source, sink)
    await run_until(runtime, lambda: source.committed.get(P0) == 2)
    [letter] = sink.on(DLQ)
    assert letter.key == b"the-key"
    assert letter.value == value, "the input bytes unchanged (a tombstone stays a tombstone)"
    names = [name for name, _ in letter.headers]
    assert names == [
        "error.class", "error.message", "error.stage", "original.topic", "original.partition",
        "original.offset", "original.timestamp", "failed_at", "attempts",
    ]  # fmt: skip
    headers = DeadLetterHeaders.from_kafka(letter.headers)
    assert (headers.error_stage, headers.error_class) == (stage, error_class)
    assert (headers.original_topic, headers.original_partition, headers.original_offset) == (INPUT, 0, 0)
    assert headers.original_timestamp == 1_700_000_000_000
    assert headers.error_message
    assert len(sink.on(OUTPUT)) == 1, "the next message still flows"
    sample = runtime.metrics.dead_letters.labels(stage=stage, error_class=error_class)
    assert sample._value.get() == 1


async def test_rejected_output_is_dead_lettered_at_stage_publish() -> None:
    source = FakeSource([envelope(0, summit_article(0))])
    sink = FakeSink()
    sink.fail(lambda r: r.topic == OUTPUT, RecordRejectedError("too large", operation="publish"))
    await run_until(make_runtime(source, sink), lambda: source.committed.get(P0) == 1)
    [letter] = sink.on(DLQ)
    headers = DeadLetterHeaders.from_kafka(letter.headers)
    assert (headers.error_stage, headers.error_class) == ("publish", "RecordRejectedError")


async def test_transient_publish_errors_are_retried_then_succeed() -> None:
    source = FakeSource([envelope(i, summit_article(i)) for i in range(3)])
    sink = FakeSink()
    sink.fail(is_offset(1), TransientBrokerError("timeout", operation="publish"), times=2)
    runtime = make_runtime(source, sink)
    await run_until(runtime, lambda: source.committed.get(P0) == 3)
    assert sorted(r.key for r in sink.on(OUTPUT)) == [b"key-a0-0", b"key-a0-1", b"key-a0-2"]
    assert runtime.metrics.publish_retries._value.get() == 2


async def test_publish_retries_exhausted_stop_the_service_without_committing_past() -> None:
    source = FakeSource([envelope(i, summit_article(i)) for i in range(5)])
    sink = FakeSink()
    sink.fail(is_offset(2), TransientBrokerError("broker down", operation="publish"))
    with pytest.raises(FatalRuntimeError, match="after 4 attempts"):
        await make_runtime(source, sink).run(asyncio.Event())
    assert source.committed.get(P0) == 2
    assert source.stopped


async def test_unwritable_dead_letter_stops_the_service() -> None:
    source = FakeSource([envelope(0, b"junk"), envelope(1, summit_article(1))])
    sink = FakeSink()
    sink.fail(lambda r: r.topic == DLQ, RecordRejectedError("dlq refuses", operation="publish"))
    with pytest.raises(FatalRuntimeError, match="dead letter rejected"):
        await make_runtime(source, sink).run(asyncio.Event())
    assert source.committed.get(P0) is None


async def test_handler_failures_beyond_the_consecutive_limit_stop_the_service() -> None:
    bad = [envelope(i, article_bytes(f"b{i}", "explode")) for i in range(5)]
    source = FakeSource(bad)
    sink = FakeSink()
    with pytest.raises(HandlerFailureLimitError, match="4 consecutive"):
        await make_runtime(source, sink).run(asyncio.Event())
    assert len(sink.on(DLQ)) == 3, "failures up to the limit are dead-lettered"
    assert source.committed.get(P0) == 3, "the failure that stopped the service is not committed"


async def test_a_success_resets_the_consecutive_failure_count() -> None:
    values = [article_bytes("x1", "explode"), article_bytes("x2", "explode"), summit_article(2)] * 3
    source = FakeSource([envelope(i, v) for i, v in enumerate(values)])
    sink = FakeSink()
    await run_until(make_runtime(source, sink), lambda: source.committed.get(P0) == 9)
    assert len(sink.on(DLQ)) == 6


async def test_shutdown_finishes_in_flight_messages_then_commits() -> None:
    source = FakeSource([envelope(i, summit_article(i)) for i in range(4)])
    sink = FakeSink()
    release = sink.hold(lambda r: True)
    stop = asyncio.Event()
    task = asyncio.create_task(make_runtime(source, sink).run(stop))
    await wait_for(lambda: sink.pending == 4)
    stop.set()
    await asyncio.sleep(0.05)
    assert not task.done(), "shutdown waits for in-flight acks"
    release.set()
    await task
    assert source.committed.get(P0) == 4
    assert source.stopped


async def test_shutdown_abandons_acks_slower_than_the_timeout_uncommitted() -> None:
    source = FakeSource([envelope(i, summit_article(i)) for i in range(3)])
    sink = FakeSink()
    sink.hold(is_offset(1))
    policy = RuntimePolicy(**{**FAST.__dict__, "shutdown_timeout_s": 0.1})
    stop = asyncio.Event()
    task = asyncio.create_task(make_runtime(source, sink, policy).run(stop))
    await wait_for(lambda: len(sink.acked) == 2)
    stop.set()
    await task
    assert source.committed.get(P0) == 1


async def test_revoke_waits_for_in_flight_then_commits_the_revoked_partitions() -> None:
    source = FakeSource([envelope(i, summit_article(i)) for i in range(3)], partitions=(0, 1))
    source.queue.append(envelope(0, summit_article(0, partition=1), partition=1))
    sink = FakeSink()
    release = sink.hold(is_offset(2))
    stop = asyncio.Event()
    runtime = make_runtime(source, sink, RuntimePolicy(**{**FAST.__dict__, "commit_interval_s": 60.0}))
    task = asyncio.create_task(runtime.run(stop))
    await wait_for(lambda: len(sink.acked) == 3)
    revoking = asyncio.create_task(source.revoke({P0}))
    await asyncio.sleep(0.05)
    assert not revoking.done(), "revocation waits for the in-flight message of the revoked partition"
    release.set()
    await revoking
    assert source.commits[-1] == {P0: 3}
    stop.set()
    await task
    assert source.committed == {P0: 3, Partition(INPUT, 1): 1}


async def test_in_flight_messages_are_bounded() -> None:
    source = FakeSource([envelope(i, summit_article(i)) for i in range(50)])
    sink = FakeSink()
    release = sink.hold(lambda r: True)
    policy = RuntimePolicy(**{**FAST.__dict__, "max_in_flight": 8})
    stop = asyncio.Event()
    task = asyncio.create_task(make_runtime(source, sink, policy).run(stop))
    await wait_for(lambda: sink.pending == 8)
    await asyncio.sleep(0.05)
    assert source.fetched == 8
    assert sink.pending == 8
    release.set()
    await wait_for(lambda: source.committed.get(P0) == 50)
    stop.set()
    await task
    assert sink.max_pending <= 8


async def test_handler_returning_junk_is_dead_lettered_at_stage_handle() -> None:
    source = FakeSource([envelope(0, summit_article(0))])
    sink = FakeSink()
    runtime = make_runtime(source, sink, handle=lambda article: [object()])
    await run_until(runtime, lambda: source.committed.get(P0) == 1)
    [letter] = sink.on(DLQ)
    headers = DeadLetterHeaders.from_kafka(letter.headers)
    assert (headers.error_stage, headers.error_class) == ("handle", "AttributeError")


PATIENT = RuntimePolicy(
    **{**FAST.__dict__, "retry": RetryPolicy(max_attempts=None, base_delay_s=0.001, max_delay_s=0.002)}
)


@pytest.mark.parametrize("target", [OUTPUT, DLQ])
async def test_an_unwritable_topic_pauses_the_stream_without_committing_past_it_then_resumes(
    target: str,
) -> None:
    """Transient errors are retried for as long as they last: no skip, no commit past, fetch paused."""
    values = [summit_article(i) if i != 3 else b"junk" for i in range(40)]
    source = FakeSource([envelope(i, v) for i, v in enumerate(values)])
    sink = FakeSink()
    sink.fail(lambda r: r.topic == target, TransientBrokerError("broker down", operation="publish"))
    policy = RuntimePolicy(**{**PATIENT.__dict__, "max_in_flight": 8})
    runtime = make_runtime(source, sink, policy)
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    await wait_for(lambda: runtime.metrics.publish_retries._value.get() > 200)
    first_stuck = 0 if target == OUTPUT else 3
    assert source.committed.get(P0, 0) <= first_stuck, "nothing past the unwritten record is committed"
    assert source.fetched <= first_stuck + 8, "the stream pauses at max_in_flight, it does not skip ahead"
    assert not runtime.is_ready()
    assert not task.done(), "a transient outage does not stop the service"
    sink._failures.clear()
    await wait_for(lambda: source.committed.get(P0) == 40)
    assert runtime.is_ready()
    stop.set()
    await task
    assert len(sink.on(OUTPUT)) == 39
    assert len(sink.on(DLQ)) == 1


async def test_a_dead_letter_too_large_for_its_topic_is_written_without_its_value() -> None:
    big = b'{"body": "' + b"x" * 3000 + b'"}'
    source = FakeSource([envelope(0, big), envelope(1, summit_article(1))])
    sink = FakeSink()
    sink.fail(
        lambda r: r.topic == DLQ and r.value is not None,
        RecordRejectedError("MessageSizeTooLargeError", operation="publish"),
    )
    await run_until(make_runtime(source, sink), lambda: source.committed.get(P0) == 2)
    [letter] = sink.on(DLQ)
    assert letter.value is None
    headers = DeadLetterHeaders.from_kafka(letter.headers)
    assert headers.error_stage == "decode"
    assert "over the 2000-byte limit" in headers.error_message
    assert "original value omitted: 3012 bytes refused by in.dlq" in headers.error_message


async def test_rejected_commits_are_survived_and_fetching_stops_at_max_in_flight_uncommitted() -> None:
    """A stale member's commit is refused: nothing breaks; fetched-but-uncommitted stays bounded."""
    source = FakeSource([envelope(i, summit_article(i)) for i in range(30)])
    source.reject_commits = True
    sink = FakeSink()
    runtime = make_runtime(source, sink, RuntimePolicy(**{**FAST.__dict__, "max_in_flight": 8}))
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    await wait_for(lambda: runtime.metrics.commits_rejected._value.get() >= 3)
    assert source.fetched == 8, "settled but uncommitted messages count against max_in_flight"
    assert len(sink.acked) == 8
    source.reject_commits = False
    await wait_for(lambda: source.committed.get(P0) == 30)
    stop.set()
    await task


async def test_readiness_follows_the_broker_probe() -> None:
    source = FakeSource([])
    runtime = make_runtime(source, FakeSink(), RuntimePolicy(**{**FAST.__dict__, "probe_interval_s": 0.01}))
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    await wait_for(runtime.is_ready)
    source.reachable = False
    await wait_for(lambda: not runtime.is_ready())
    assert runtime.metrics.broker_connected._value.get() == 0
    source.reachable = True
    await wait_for(runtime.is_ready)
    stop.set()
    await task


async def test_messages_of_a_partition_revoked_mid_batch_are_left_to_the_new_owner() -> None:
    source = FakeSource([envelope(i, summit_article(i)) for i in range(3)])
    sink = FakeSink()
    runtime = make_runtime(source, sink)
    await runtime.on_assigned({P0})
    await runtime.on_revoked({P0})
    runtime._dispatch([envelope(0, summit_article(0))])
    assert runtime.metrics.consumed._value.get() == 0


class NarrowHandling:
    """Room for one article at a time, each handled a moment later (as a busy worker pool): the handling,
    not the uncommitted bound, is what holds the fetch."""

    def __init__(self) -> None:
        self.waiting = 0

    async def start(self) -> None:
        pass

    def submit(self, articles: Sequence[RawArticle]) -> asyncio.Future[list[HandledOrFailed]]:
        handled: asyncio.Future[list[HandledOrFailed]] = asyncio.get_running_loop().create_future()
        self.waiting += len(articles)

        def done() -> None:
            self.waiting -= len(articles)
            handled.set_result([()] * len(articles))

        asyncio.get_running_loop().call_later(0.001, done)
        return handled

    def room(self) -> int:
        return 1 - self.waiting

    def ready(self) -> bool:
        return True

    async def stop(self) -> None:
        pass


async def test_a_full_handling_does_not_commit_before_the_commit_interval() -> None:
    """Commits follow the commit interval while the handling is what is full (it used to commit each time
    the loop waited for room: about once per message)."""
    source = FakeSource([envelope(i, article_bytes(f"n{i}", "Weather report: sunny.")) for i in range(30)])
    policy = RuntimePolicy(**{**FAST.__dict__, "commit_interval_s": 60.0, "max_in_flight": 256})
    runtime = Runtime(
        source=source,
        sink=FakeSink(),
        handling=NarrowHandling(),
        output_topic=OUTPUT,
        dlq_topic=DLQ,
        policy=policy,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    await wait_for(lambda: runtime.metrics.non_summit._value.get() == 30)
    assert source.commits == []
    stop.set()
    await task
    assert source.commits == [{P0: 30}], "one commit: the final one"


async def test_a_fetched_batch_is_cut_into_units_of_one_partition_in_input_order() -> None:
    """Runs of one partition, each cut into near-equal units of at most UNIT_MAX (here 16)."""
    batch = [envelope(i, b"{}") for i in range(40)] + [envelope(i, b"{}", partition=1) for i in range(3)]
    batch += [envelope(40, b"{}")]
    units = list(_units(batch))
    assert [len(unit) for unit in units] == [13, 13, 14, 3, 1]
    assert [e for unit in units for e in unit] == batch
    assert all(len({e.partition for e in unit}) == 1 for unit in units)


def sample(runtime: Runtime, name: str, **labels: str) -> float | None:
    return runtime.metrics.registry.get_sample_value(name, labels)


async def test_consumer_lag_is_highwater_minus_committed_per_partition() -> None:
    source = FakeSource([envelope(i, summit_article(i)) for i in range(10)])
    source.highwater = {P0: 14}  # four more records on the broker than the fetch queue holds
    sink = FakeSink()
    release = sink.hold(is_offset(5))
    runtime = make_runtime(source, sink, replace(FAST, probe_interval_s=0.01))
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    await wait_for(lambda: source.committed.get(P0) == 5)
    lag = {"topic": INPUT, "partition": "0"}
    await wait_for(lambda: sample(runtime, "summit_consumer_lag", **lag) == 14 - 5)
    release.set()
    await wait_for(lambda: sample(runtime, "summit_consumer_lag", **lag) == 14 - 10)
    await source.revoke({P0})
    assert sample(runtime, "summit_consumer_lag", **lag) is None, "a revoked partition is no longer reported"
    stop.set()
    await task


async def test_end_to_end_latency_is_observed_from_the_record_timestamp_per_outcome() -> None:
    now_ms = int(time.time() * 1000)
    values = [summit_article(0), article_bytes("n1", "Weather report: sunny."), b"{not json"]
    source = FakeSource([replace(envelope(i, v), timestamp=now_ms - 200) for i, v in enumerate(values)])
    runtime = make_runtime(source, FakeSink())
    await run_until(runtime, lambda: source.committed.get(P0) == 3)
    for outcome in ("published", "non_summit", "dead_letter"):
        assert sample(runtime, "summit_end_to_end_seconds_count", outcome=outcome) == 1, outcome
        seconds = sample(runtime, "summit_end_to_end_seconds_sum", outcome=outcome)
        assert seconds is not None, outcome
        assert 0.2 <= seconds < 5, outcome


async def test_an_offset_the_consumer_could_not_read_is_dead_lettered_and_the_stream_goes_on() -> None:
    """`KafkaSource` turns each offset of a batch it cannot read into such an envelope (tests/integration
    /test_codecs.py): its dead letter has no value and an empty key (clients refuse a record with neither)."""
    unreadable = replace(envelope(1, None, key=None), unreadable="BadGzipFile: Not a gzipped file")
    source = FakeSource([envelope(0, summit_article(0)), unreadable, envelope(2, summit_article(2))])
    sink = FakeSink()
    runtime = make_runtime(source, sink)
    await run_until(runtime, lambda: source.committed.get(P0) == 3)
    [letter] = sink.on(DLQ)
    assert (letter.key, letter.value) == (b"", None)
    headers = DeadLetterHeaders.from_kafka(letter.headers)
    assert (headers.error_stage, headers.error_class) == ("decode", "UnreadableRecordError")
    assert "BadGzipFile" in headers.error_message
    assert [r.key for r in sink.on(OUTPUT)] == [b"key-a0-0", b"key-a0-2"]
