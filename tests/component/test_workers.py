"""Handling in worker processes: a budget per article, a crash contained, start-up failures, shutdown.

Real processes (spawned, as in the service) run the stand-in handler of `tests.component.fakes`.
"""

from __future__ import annotations

import asyncio
import os
import time

import orjson
import pytest

from consumer.errors import HandlerCrashedError, HandlerError, HandlerTimeoutError, StartupError
from consumer.health import Metrics
from consumer.ports import Handled, HandledOrFailed, Partition
from consumer.runtime import Runtime, RuntimePolicy
from consumer.workers import WorkerConfig, WorkerPool
from schemas import DeadLetterHeaders, RawArticle
from tests.component.fakes import (
    DLQ,
    INPUT,
    OUTPUT,
    FakeSink,
    FakeSource,
    article_bytes,
    broken_factory,
    envelope,
    standin_factory,
)
from tests.component.test_runtime import FAST, wait_for

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]

CONFIG = WorkerConfig(factory=standin_factory, log_level="WARNING")


def article(body: str, article_id: str = "a") -> RawArticle:
    return RawArticle.model_validate({"id": article_id, "body": body})


def handle(pool: WorkerPool, body: str, article_id: str = "a") -> asyncio.Future[list[HandledOrFailed]]:
    """Submit one article (a batch of one)."""
    return pool.submit([article(body, article_id)])


async def outcome(handled: asyncio.Future[list[HandledOrFailed]]) -> Handled:
    """The events of a batch of one; its HandlerError raised."""
    [result] = await handled
    if isinstance(result, HandlerError):
        raise result
    return result


def pids(pool: WorkerPool) -> set[int]:
    return {w.process.pid for w in pool._workers if w.process.pid is not None}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def restarts(metrics: Metrics, reason: str) -> float | None:
    return metrics.registry.get_sample_value("summit_workers_restarted_total", {"reason": reason})


async def started(metrics: Metrics, workers: int = 1, timeout_s: float = 0.5) -> WorkerPool:
    pool = WorkerPool(workers=workers, timeout_s=timeout_s, metrics=metrics, config=CONFIG)
    await pool.start()
    return pool


async def test_articles_are_handled_in_worker_processes_and_a_handler_error_keeps_its_class() -> None:
    metrics = Metrics()
    pool = await started(metrics, workers=2)
    try:
        assert len(pids(pool)) == 2
        assert os.getpid() not in pids(pool)
        summit, quiet, bug = (handle(pool, body) for body in ("the summit met", "weather", "explode"))
        [(key, value)] = await outcome(summit)
        assert key == b"key-a"
        assert orjson.loads(value)["article"]["id"] == "a"
        assert await outcome(quiet) == ()
        with pytest.raises(HandlerError) as raised:
            await outcome(bug)
        assert raised.value.error_class == "ValueError"
        assert metrics.registry.get_sample_value("summit_handler_seconds_count") == 3
        assert metrics.registry.get_sample_value("summit_workers_ready") == 2
    finally:
        await pool.stop()


async def test_an_article_over_its_budget_fails_as_a_timeout_its_process_is_killed_and_replaced() -> None:
    metrics = Metrics()
    pool = await started(metrics, timeout_s=0.5)
    try:
        [first] = pids(pool)
        spinning = handle(pool, "spin 30")
        waiting = handle(pool, "the summit met", "next")
        started_at = time.monotonic()
        with pytest.raises(HandlerTimeoutError) as raised:
            await outcome(spinning)
        assert 0.5 <= time.monotonic() - started_at < 5
        assert raised.value.error_class == "HandlerTimeout"
        await wait_for(lambda: not alive(first), within=5)  # its CPU is reclaimed with it
        assert len(await outcome(waiting)) == 1, "the next article is handled by the replacement"
        assert pids(pool) != {first}
        assert metrics.registry.get_sample_value("summit_handler_timeouts_total") == 1
        assert restarts(metrics, "timeout") == 1
    finally:
        await pool.stop()


async def test_a_worker_that_dies_fails_its_article_as_crashed_and_is_replaced() -> None:
    metrics = Metrics()
    pool = await started(metrics)
    try:
        with pytest.raises(HandlerCrashedError) as raised:
            await outcome(handle(pool, "die"))
        assert raised.value.error_class == "HandlerCrashed"
        assert "code 3" in str(raised.value)
        assert len(await outcome(handle(pool, "the summit met"))) == 1
        assert restarts(metrics, "crashed") == 1
    finally:
        await pool.stop()


async def test_in_one_chunk_only_the_article_over_its_budget_fails_and_the_others_are_handled() -> None:
    """One batch goes to the worker as one chunk: the article over its budget is the only one to fail; the one
    before it (its answer died with the killed worker) and the one after are handled by the replacement."""
    metrics = Metrics()
    pool = await started(metrics, timeout_s=0.5)
    try:
        bodies = [("the summit met", "before"), ("spin 30", "slow"), ("the summit met", "after")]
        before, slow, after = await pool.submit([article(body, name) for body, name in bodies])
        assert isinstance(slow, HandlerTimeoutError)
        ids = [orjson.loads(value)["article"]["id"] for events in (before, after) for _, value in events]
        assert ids == ["before", "after"]
        assert metrics.registry.get_sample_value("summit_handler_timeouts_total") == 1
        assert restarts(metrics, "timeout") == 1
    finally:
        await pool.stop()


async def test_the_budget_is_per_article_not_per_chunk() -> None:
    """Three articles of 0.3 s each in one chunk take 0.9 s, over a 0.5 s budget, but none is over its own."""
    metrics = Metrics()
    pool = await started(metrics, timeout_s=0.5)
    try:
        outcomes = await pool.submit([article("spin 0.3 summit", f"a{i}") for i in range(3)])
        assert [len(events) for events in outcomes] == [1, 1, 1]
        assert metrics.registry.get_sample_value("summit_handler_timeouts_total") == 0
        assert restarts(metrics, "timeout") is None
    finally:
        await pool.stop()


async def test_an_outcome_does_not_wait_for_the_rest_of_its_chunk() -> None:
    """Issue 15's latency: an article with events is answered while the slow one after it in the same
    chunk still runs, so the pool has room for it again before the chunk ends."""
    pool = WorkerPool(workers=1, timeout_s=5, config=CONFIG)
    await pool.start()
    try:
        room = pool.room()
        handled = pool.submit([article("the summit met", "quick"), article("spin 0.8", "slow")])
        assert pool.room() == room - 2
        await wait_for(lambda: pool.room() == room - 1, within=0.6)  # the slow one spins 0.8 s
        assert not handled.done()
        quick, slow = await handled
        assert [orjson.loads(value)["article"]["id"] for _, value in quick] == ["quick"]
        assert slow == ()
        assert pool.room() == room
    finally:
        await pool.stop()


async def test_outcomes_without_events_wait_for_the_chunk_only_up_to_the_answer_wait() -> None:
    """Articles with nothing to write are answered together while the next one is expected to end within
    `answer_after_s` (by the pace so far): a quick one waits for a long one after it (not foreseen), and
    both are answered as soon as the long one ends (the quick one waited past the limit), not at the end of
    the chunk."""
    config = WorkerConfig(factory=standin_factory, log_level="WARNING", answer_after_s=0.15)
    pool = WorkerPool(workers=1, timeout_s=5, config=config)
    await pool.start()
    try:
        room = pool.room()
        bodies = ["weather", "spin 0.3", "weather", "spin 0.4"]
        handled = pool.submit([article(body, f"a{i}") for i, body in enumerate(bodies)])
        await asyncio.sleep(0.15)
        assert pool.room() == room - 4  # the quick one waits for the long one after it (not foreseen)
        await wait_for(lambda: pool.room() == room - 2, within=0.4)  # the first two, once the long one ended
        assert not handled.done()
        assert await handled == [()] * 4
        assert pool.room() == room
    finally:
        await pool.stop()


async def test_a_worker_that_dies_after_a_partial_answer_fails_only_the_article_it_was_handling() -> None:
    """The article answered before the crash keeps its outcome and is not handled again; the one after the
    crash is handled by the replacement."""
    metrics = Metrics()
    pool = await started(metrics)
    try:
        bodies = [("the summit met", "before"), ("spin 0.2", "slow"), ("die", "fatal"), ("weather", "after")]
        before, slow, fatal, after = await pool.submit([article(body, name) for body, name in bodies])
        assert len(before) == 1
        assert slow == ()
        assert isinstance(fatal, HandlerCrashedError)
        assert after == ()
        assert restarts(metrics, "crashed") == 1
        assert metrics.registry.get_sample_value("summit_handler_seconds_count") == 3
        assert pool.room() == 2 * 16
    finally:
        await pool.stop()


async def test_a_worker_that_dies_inside_a_chunk_fails_only_the_article_it_was_handling() -> None:
    metrics = Metrics()
    pool = await started(metrics)
    try:
        bodies = [("the summit met", "before"), ("die", "fatal"), ("weather", "after")]
        before, fatal, after = await pool.submit([article(body, name) for body, name in bodies])
        assert isinstance(fatal, HandlerCrashedError)
        assert len(before) == 1
        assert after == ()
        assert restarts(metrics, "crashed") == 1
    finally:
        await pool.stop()


async def test_a_chunk_larger_than_the_pipe_never_blocks_the_event_loop() -> None:
    """Sixteen 100 KB articles queued behind a busy worker: the service's end of the pipe is non-blocking, so
    the loop goes on while the worker cannot read them (a blocking send would wait for it)."""
    pool = await started(Metrics(), timeout_s=30)
    lags: list[float] = []
    try:
        busy = handle(pool, "spin 1.0")
        large = pool.submit([article("weather " + "x" * 100_000, f"big{i}") for i in range(16)])
        while not large.done():
            before = time.monotonic()
            await asyncio.sleep(0.01)
            lags.append(time.monotonic() - before - 0.01)
        assert await outcome(busy) == ()
        assert await large == [()] * 16
    finally:
        await pool.stop()
    assert max(lags) < 0.5, f"the loop stalled for {max(lags):.2f} s"


async def test_a_handler_that_cannot_be_built_stops_start_up() -> None:
    pool = WorkerPool(workers=2, timeout_s=1, config=WorkerConfig(factory=broken_factory, log_level="ERROR"))
    with pytest.raises(StartupError, match="RuntimeError: no knowledge base"):
        await pool.start()
    assert pool._workers == []


async def test_stop_ends_every_worker_process_busy_or_idle() -> None:
    pool = await started(Metrics(), workers=2, timeout_s=30)
    spinning = handle(pool, "spin 30")
    await asyncio.sleep(0.2)
    processes = list(pids(pool))
    await pool.stop()
    assert spinning.cancelled() or spinning.done()
    assert not any(alive(pid) for pid in processes)


# --------------------------------------------------------------------------- behind the runtime


async def test_the_runtime_writes_in_input_order_per_partition_and_dead_letters_an_article_over_budget() -> (
    None
):
    """Two workers finish articles out of order; the writes keep each partition's input order; the article
    over its budget is a dead letter (stage handle, HandlerTimeout) and the stream goes on past it."""
    bodies = ["spin 0.3 summit", "summit", "spin 30", "summit", "spin 0.1 summit", "summit", "summit"]
    values = {p: [article_bytes(f"p{p}-{i}", body) for i, body in enumerate(bodies)] for p in (0, 1)}
    source = FakeSource(
        [envelope(i, values[p][i], partition=p) for i in range(len(bodies)) for p in (0, 1)],
        partitions=(0, 1),
    )
    sink = FakeSink()
    pool_metrics = Metrics()
    pool = WorkerPool(workers=2, timeout_s=1.0, metrics=pool_metrics, config=CONFIG)
    runtime = Runtime(
        source=source,
        sink=sink,
        handling=pool,
        output_topic=OUTPUT,
        dlq_topic=DLQ,
        policy=RuntimePolicy(**{**FAST.__dict__, "max_consecutive_handler_failures": 5}),
        metrics=pool_metrics,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    try:
        ends = {Partition(INPUT, 0): len(bodies), Partition(INPUT, 1): len(bodies)}
        await wait_for(lambda: source.committed == ends, within=30)
    finally:
        stop.set()
        await task
    for p in (0, 1):
        written = [r.key for r in sink.on(OUTPUT) if r.key and r.key.startswith(f"key-p{p}-".encode())]
        assert written == [f"key-p{p}-{i}".encode() for i in range(len(bodies)) if i != 2]
    letters = [DeadLetterHeaders.from_kafka(r.headers) for r in sink.on(DLQ)]
    assert sorted((h.original_partition, h.original_offset) for h in letters) == [(0, 2), (1, 2)]
    assert {(h.error_stage, h.error_class) for h in letters} == {("handle", "HandlerTimeout")}
    assert pool_metrics.registry.get_sample_value("summit_handler_timeouts_total") == 2
    sample = pool_metrics.dead_letters.labels(stage="handle", error_class="HandlerTimeout")
    assert sample._value.get() == 2


async def test_the_event_loop_keeps_running_while_a_worker_spins() -> None:
    """Heartbeats, commits and /metrics run on the loop: a busy handler never holds it."""
    pool = await started(Metrics(), timeout_s=30)
    lags: list[float] = []
    try:
        spinning = handle(pool, "spin 1.5")
        while not spinning.done():
            before = time.monotonic()
            await asyncio.sleep(0.01)
            lags.append(time.monotonic() - before - 0.01)
        await outcome(spinning)
    finally:
        await pool.stop()
    assert len(lags) > 20
    assert max(lags) < 0.5, f"the loop stalled for {max(lags):.2f} s"
