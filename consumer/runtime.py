"""The consume loop: fetch, convert, handle, publish, settle, commit - against the `Source` and `Sink` ports.

Delivery policy (at least once):
- a message is *settled* when its outcome is durable: its events acknowledged (acks=all), or it
  reports no summit, or its dead letter acknowledged. `OffsetLedger` commits, per partition, the
  offset after the last message of an unbroken run of settled ones - nothing past an unsettled message;
- decode, validate, handle and rejected-output failures are dead-lettered (`FAILURE_ACTIONS`);
- transient produce errors (output and dead letters alike) are retried with capped exponential
  backoff and jitter - forever unless `publish_max_attempts` is set: while a record cannot be
  written nothing past it is committed, and once `max_in_flight` messages wait for their commit
  the loop fetches no more (pause, never skip);
- a dead letter the topic refuses for good (e.g. too large) is written once more without its value;
  if that is refused too, the service stops with nothing past it committed;
- more than `max_consecutive_handler_failures` handler failures in a row stop the service too;
- articles are handled by a `Handling` (worker processes with a per-article budget in the service) a
  *unit* at a time: up to `UNIT_MAX` consecutive messages of one partition from one fetch, handed over
  together and delivered by one task (per message there is no task, future or round trip to a worker);
  units are handled at once and finish in any order; a unit's records are sent only after those of the
  unit before it on its partition (input order per partition), a non-summit article settles as soon as
  its unit is handled, and the ledger commits, as ever, only an unbroken run of settled offsets;
- the broker is probed every `probe_interval_s`; the service is not ready while it does not answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import time
from collections import deque
from collections.abc import Awaitable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from structlog.contextvars import bind_contextvars
from structlog.typing import FilteringBoundLogger

from consumer.envelope import (
    Envelope,
    OutboundRecord,
    dead_letter_record,
    parse_article,
    without_value,
)
from consumer.errors import (
    BrokerError,
    CommitRejectedError,
    FatalRuntimeError,
    HandlerError,
    HandlerFailureLimitError,
    MessageError,
    OutputRejectedError,
    RecordRejectedError,
    SummitError,
    TransientBrokerError,
)
from consumer.handling import Handler, InlineHandling
from consumer.health import Metrics
from consumer.logs import get_logger
from consumer.ports import Ack, HandledOrFailed, Handling, Partition, Sink, Source
from consumer.settings import Settings
from schemas import RawArticle

log = get_logger(__name__)

__all__ = ["Handler", "OffsetLedger", "Outcome", "RetryPolicy", "Runtime", "RuntimePolicy"]


class Outcome(StrEnum):
    """How a message left the stream."""

    PUBLISHED = "published"
    NON_SUMMIT = "non_summit"
    DEAD_LETTER = "dead_letter"


class Action(StrEnum):
    DEAD_LETTER = "dead_letter"
    STOP = "stop"


# What becomes of a message that failed, by stage; a dead letter that cannot be written always stops.
FAILURE_ACTIONS: Mapping[str, Action] = {
    "decode": Action.DEAD_LETTER,
    "validate": Action.DEAD_LETTER,
    "handle": Action.DEAD_LETTER,
    "publish": Action.DEAD_LETTER,  # output rejected for good (e.g. too large); transient errors retry
}


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter for transient produce errors; `max_attempts` None = forever."""

    max_attempts: int | None = None
    base_delay_s: float = 0.1
    max_delay_s: float = 5.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        ceiling = min(self.max_delay_s, self.base_delay_s * float(2 ** (attempt - 1)))
        return float(ceiling * random.uniform(0.5, 1.0))


@dataclass(frozen=True)
class RuntimePolicy:
    """The knobs of the loop, taken from Settings once."""

    max_in_flight: int = 256
    max_message_bytes: int = 1_048_576
    max_consecutive_handler_failures: int = 50
    commit_interval_s: float = 1.0
    shutdown_timeout_s: float = 8.0
    fetch_timeout_s: float = 0.2
    yield_interval_s: float = 0.005  # longest stretch of handling without letting acks and heartbeats run
    commit_timeout_s: float = 10.0
    probe_interval_s: float = 1.0
    probe_timeout_s: float = 2.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @classmethod
    def from_settings(cls, settings: Settings) -> RuntimePolicy:
        return cls(
            max_in_flight=settings.max_in_flight,
            max_message_bytes=settings.max_message_bytes,
            max_consecutive_handler_failures=settings.max_consecutive_handler_failures,
            commit_interval_s=settings.commit_interval_ms / 1000,
            shutdown_timeout_s=settings.shutdown_timeout_s,
            retry=RetryPolicy(max_attempts=settings.publish_max_attempts or None),
        )


class _PartitionLedger:
    __slots__ = ("committed", "done", "next_commit", "pending", "settled")

    def __init__(self) -> None:
        self.pending: deque[int] = deque()  # fetched, in fetch order, not yet passed by `next_commit`
        self.settled: set[int] = set()  # settled offsets still behind an unsettled one
        self.done: deque[int] = deque()  # passed by `next_commit`, not yet acknowledged as committed
        self.next_commit: int | None = None
        self.committed: int | None = None

    def __len__(self) -> int:
        return len(self.pending) + len(self.done)


class OffsetLedger:
    """Per partition: which fetched offsets are settled, and the offset that may be committed.

    `uncommitted` counts every message between fetch and an acknowledged commit: the runtime fetches
    no more while it reaches `max_in_flight`, which bounds the redelivery after a crash.
    """

    def __init__(self) -> None:
        self._partitions: dict[Partition, _PartitionLedger] = {}

    @property
    def uncommitted(self) -> int:
        """Messages fetched whose commit is not acknowledged yet (settled or not)."""
        return sum(len(ledger) for ledger in self._partitions.values())

    def uncommitted_in(self, partition: Partition) -> int:
        """The same, for one partition."""
        ledger = self._partitions.get(partition)
        return 0 if ledger is None else len(ledger)

    def track(self, partition: Partition, offset: int) -> None:
        """Record that `offset` was fetched and is not settled yet."""
        self._partitions.setdefault(partition, _PartitionLedger()).pending.append(offset)

    def settle(self, partition: Partition, offset: int) -> None:
        """Record that the outcome of `offset` is durable; the commit advances over every settled head."""
        ledger = self._partitions.get(partition)
        if ledger is None:
            return  # the partition was revoked meanwhile
        ledger.settled.add(offset)
        while ledger.pending and ledger.pending[0] in ledger.settled:
            head = ledger.pending.popleft()
            ledger.settled.discard(head)
            ledger.done.append(head)
            # the one place "offset + 1 after the outcome is durable" is decided
            ledger.next_commit = head + 1

    def committable(self, partitions: Iterable[Partition] | None = None) -> dict[Partition, int]:
        """Offsets to commit now: those that moved since the last commit."""
        chosen = self._partitions if partitions is None else partitions
        offsets = {}
        for partition in chosen:
            ledger = self._partitions.get(partition)
            if ledger is not None and ledger.next_commit not in (None, ledger.committed):
                offsets[partition] = ledger.next_commit
        return offsets

    def mark_committed(self, offsets: Mapping[Partition, int]) -> None:
        for partition, offset in offsets.items():
            ledger = self._partitions.get(partition)
            if ledger is None:
                continue
            ledger.committed = offset
            while ledger.done and ledger.done[0] < offset:
                ledger.done.popleft()

    def forget(self, partitions: Iterable[Partition]) -> None:
        for partition in partitions:
            self._partitions.pop(partition, None)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What to write for one message: its events, or its dead letter."""

    records: tuple[OutboundRecord, ...]
    article_id: str | None = None
    error: MessageError | None = None


UNIT_MAX = 16  # consecutive messages of one partition handled as one batch and written by one task


class _Unit:
    """Consecutive messages of one partition from one fetch: handed to the handling together, written in
    input order by one task (`Runtime._deliver`)."""

    __slots__ = ("envelopes", "parsed", "partition", "settled")

    def __init__(self, partition: Partition, envelopes: Sequence[Envelope]) -> None:
        self.partition = partition
        self.envelopes = envelopes
        self.parsed: list[RawArticle | MessageError] = []  # per message: the article, or why it is none
        self.settled = 0

    def __len__(self) -> int:
        return len(self.envelopes)

    def articles(self) -> list[RawArticle]:
        return [parsed for parsed in self.parsed if isinstance(parsed, RawArticle)]


def _units(envelopes: Sequence[Envelope]) -> Iterator[Sequence[Envelope]]:
    """`envelopes` cut into runs of one partition, each run into near-equal units of at most `UNIT_MAX`."""
    for _, run in itertools.groupby(envelopes, key=lambda envelope: (envelope.topic, envelope.partition)):
        messages = list(run)
        count = -(-len(messages) // UNIT_MAX)
        for i in range(count):
            yield messages[len(messages) * i // count : len(messages) * (i + 1) // count]


class Runtime:
    """Runs the loop until `stop` is set or a fatal error; then drains, commits and closes the ports."""

    def __init__(
        self,
        *,
        source: Source,
        sink: Sink,
        output_topic: str,
        dlq_topic: str,
        handle: Handler | None = None,
        handling: Handling | None = None,
        policy: RuntimePolicy | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        """`handling` handles the articles (started before the group is joined, stopped last); or give
        `handle`, a handler run in this process with no budget (`InlineHandling`)."""
        self._source, self._sink = source, sink
        self._output_topic, self._dlq_topic = output_topic, dlq_topic
        self._policy = policy or RuntimePolicy()
        self.metrics = metrics or Metrics()
        if (handle is None) == (handling is None):
            raise ValueError("give either a handler or a handling")
        self._handling: Handling = handling or InlineHandling(handle, self.metrics)  # type: ignore[arg-type]
        self._ledger = OffsetLedger()
        self._tasks: dict[asyncio.Task[None], Partition] = {}  # the task of each unit not delivered yet
        self._in_flight = 0  # messages of those units not settled yet
        # per partition, resolved once the last dispatched unit's records are sent (input order)
        self._gates: dict[Partition, asyncio.Future[None]] = {}
        self._owned: set[Partition] = set()
        self._progress = asyncio.Event()  # set whenever a message settles or partitions are let go
        self._halt = asyncio.Event()  # set on stop or on a fatal error: fetch no more
        self._fatal: SummitError | None = None
        self._handler_failures = 0
        self._last_commit = time.monotonic()
        self._last_commit_ok = True
        self._running = False
        self._assigned = False
        self._connected = True  # the broker answers the probe
        self._writable = True  # the last write was acknowledged (no retry under way)
        # the per-message line's logger, bound once `run` starts (the module's lazy proxy re-binds on
        # every call), and the end-to-end histogram's child per outcome, looked up once (on first use,
        # so /metrics shows an outcome's series only once it happened, as before)
        self._message_log: FilteringBoundLogger = log
        self._end_to_end: dict[Outcome, Any] = {}

    def is_ready(self) -> bool:
        """Running, in the group, the broker answering, output writable, a handler up, no fatal error."""
        return (
            self._running
            and self._assigned
            and self._connected
            and self._writable
            and self._fatal is None
            and self._handling.ready()
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Start the handlers, then consume until `stop` is set; raises the FatalRuntimeError that stopped
        it, if any (StartupError when the handlers cannot start)."""
        self._message_log = log.bind()  # with the logging configured by now
        await self._sink.start()
        deadline: float | None = None
        try:
            if await self._handling_started(stop):  # before joining the group: no partition waits for it
                await self._source.start(self)
                self._running = True
                watcher = asyncio.create_task(self._watch_broker())
                try:
                    await self._consume(stop)
                finally:
                    self._running = False
                    watcher.cancel()
                    await asyncio.wait({watcher})
                    deadline = await self._shut_down()
        finally:
            await self._bounded(self._sink.stop(), "producer close", deadline=deadline)
            await self._bounded(self._handling.stop(), "handlers close", deadline=deadline)
        if self._fatal is not None:
            raise self._fatal

    async def _handling_started(self, stop: asyncio.Event) -> bool:
        """Start the handling; False when `stop` came first (a clean stop: nothing was fetched)."""
        starting = asyncio.ensure_future(self._handling.start())
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if not starting.done():
            starting.cancel()
            await asyncio.wait({starting})
            return False
        starting.result()  # StartupError: the handlers cannot be built
        return True

    async def _shut_down(self) -> float:
        """Drain in-flight messages, commit, leave the group - all within the shutdown timeout."""
        total = self._policy.shutdown_timeout_s
        reserve = min(2.0, total / 4)  # kept for the commit and the closes after the drain
        deadline = time.monotonic() + total
        await self._drain(None, timeout_s=total - reserve)
        if not await self._bounded(self._commit(None, final=True), "final commit", deadline=deadline):
            self._fatal = self._fatal or FatalRuntimeError("final commit timed out")
        await self._bounded(self._source.stop(), "consumer close", deadline=deadline)
        return deadline

    async def _bounded(self, step: Awaitable[None], what: str, *, deadline: float | None) -> bool:
        """Await `step` until `deadline` (at least a moment); False when it had to be abandoned."""
        remaining = 2.0 if deadline is None else deadline - time.monotonic()
        started = time.monotonic()
        try:
            await asyncio.wait_for(step, max(0.5, remaining))
        except TimeoutError:
            log.warning("shutdown_step_abandoned", step=what)
            return False
        log.info("shutdown_step_done", step=what, seconds=round(time.monotonic() - started, 3))
        return True

    # -- the loop ---------------------------------------------------------------------------------

    async def _consume(self, stop: asyncio.Event) -> None:
        stopping: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
        stopping.add_done_callback(lambda _: self._halt.set())
        halted: asyncio.Future[Any] = asyncio.ensure_future(self._halt.wait())
        try:
            while not self._halt.is_set():
                room = min(self._policy.max_in_flight - self._ledger.uncommitted, self._handling.room())
                if room <= 0:
                    await self._wait_for_room(halted)
                    continue
                await self._dispatch_all(await self._fetch(room, halted))
                await self._maybe_commit()
        finally:
            stopping.cancel()
            halted.cancel()
        reason = "fatal" if self._fatal else "stop"
        log.info("consume_loop_stopped", reason=reason, in_flight=self._in_flight)

    async def _fetch(self, max_records: int, halted: asyncio.Future[Any]) -> Sequence[Envelope]:
        """The next envelopes, or none when halted first (a fetch blocks during a rebalance)."""
        fetching = asyncio.ensure_future(
            self._source.fetch(max_records=max_records, timeout_s=self._policy.fetch_timeout_s)
        )
        await asyncio.wait({fetching, halted}, return_when=asyncio.FIRST_COMPLETED)
        if not fetching.done():
            fetching.cancel()
            await asyncio.wait({fetching})  # let it unwind; our own cancellation still propagates
            return ()
        try:
            return fetching.result()
        except TransientBrokerError as exc:  # rule: the consumer reconnects by itself; try again shortly
            log.warning("fetch_failed", error=str(exc))
            await asyncio.sleep(self._policy.retry.delay(1))
            return ()

    async def _wait_for_room(self, halted: asyncio.Future[Any]) -> None:
        """No room: when it is the uncommitted bound that blocks the fetch, commit what is settled; else (the
        handling is full) wait for progress, committing at the commit interval as ever (committing here
        whenever the handling was full made a commit of every few messages)."""
        full = self._ledger.uncommitted >= self._policy.max_in_flight
        if full and self._last_commit_ok and self._ledger.committable():
            await self._commit(None, final=False)
            if self._ledger.uncommitted < self._policy.max_in_flight:
                return
        self._progress.clear()
        progress: asyncio.Future[Any] = asyncio.ensure_future(self._progress.wait())
        try:
            await asyncio.wait(
                {progress, halted},
                timeout=self._policy.commit_interval_s,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            progress.cancel()
        await self._maybe_commit()

    async def _dispatch_all(self, envelopes: Sequence[Envelope]) -> None:
        """Handle a fetched batch: each run of one partition's messages in units of up to `UNIT_MAX`, each
        unit handed to the handling at once and written by a task of its own; yield to the loop every few
        ms of dispatching (handling inline can take that long)."""
        yielded = time.perf_counter()
        consumed = 0  # added to the counter before every yield: /metrics never sees a stale count
        for unit in _units(envelopes):
            if self._fatal is not None:
                break
            if self._dispatch(unit):
                consumed += len(unit)
            if time.perf_counter() - yielded >= self._policy.yield_interval_s:
                self.metrics.consumed.inc(consumed)
                consumed = 0
                await asyncio.sleep(0)  # lets sends go out, acks settle, heartbeats and /metrics run
                yielded = time.perf_counter()
        if consumed:
            self.metrics.consumed.inc(consumed)
        self.metrics.uncommitted.set(self._ledger.uncommitted)
        self.metrics.in_flight.set(self._in_flight)

    def _dispatch(self, envelopes: Sequence[Envelope]) -> bool:
        """Decode a unit's messages (consecutive, of one partition) and hand its articles to the handling;
        False when they were not consumed (their partition was revoked meanwhile)."""
        first = envelopes[0]
        partition = Partition(first.topic, first.partition)
        if partition not in self._owned:
            return False  # revoked while this batch was dispatched: its new owner reads it from the commit
        unit = _Unit(partition, envelopes)
        max_bytes = self._policy.max_message_bytes
        for envelope in envelopes:
            self._ledger.track(partition, envelope.offset)
            try:
                unit.parsed.append(parse_article(envelope, max_bytes=max_bytes))
            except MessageError as exc:
                unit.parsed.append(exc)
        handled = self._handling.submit(unit.articles())
        after = self._gates.get(partition)
        if after is not None and after.done():
            after = None
        if handled.done() and after is None and self._settled_at_once(unit, handled):
            return True
        gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._gates[partition] = gate
        task = asyncio.create_task(self._deliver(unit, handled, after, gate))
        self._tasks[task] = partition
        self._in_flight += len(envelopes)
        task.add_done_callback(lambda done: self._task_done(done, unit))
        return True

    def _settled_at_once(self, unit: _Unit, handled: asyncio.Future[list[HandledOrFailed]]) -> bool:
        """Handled in this process already and nothing to write (every article non-summit): settle the unit
        now, no task needed."""
        outcomes = None if handled.cancelled() else handled.result()
        if outcomes is None or len(outcomes) != len(unit) or any(outcome != () for outcome in outcomes):
            return False
        self._handler_failures = 0
        for envelope, article in zip(unit.envelopes, unit.parsed, strict=True):
            assert isinstance(article, RawArticle)
            self._settle(envelope, Outcome.NON_SUMMIT, None, events=0, article_id=article.id)
        return True

    def _task_done(self, task: asyncio.Task[None], unit: _Unit) -> None:
        self._tasks.pop(task, None)
        self._in_flight -= len(unit) - unit.settled
        self.metrics.in_flight.set(self._in_flight)
        self._progress.set()
        if not task.cancelled() and (exc := task.exception()) is not None:
            self._fail(FatalRuntimeError(f"delivery failed unexpectedly: {exc!r}"))

    def _plans(self, unit: _Unit, outcomes: Sequence[HandledOrFailed]) -> list[_Plan | None]:
        """What to write for each message of `unit`: its events' records, or its dead letter (stage decode,
        validate or handle); None when the failure stops the service (too many in a row)."""
        plans: list[_Plan | None] = []
        handled = iter(outcomes)
        for parsed in unit.parsed:
            if isinstance(parsed, MessageError):
                plans.append(_Plan(records=(), error=parsed))
            else:
                plans.append(self._plan(parsed, next(handled, None)))
        return plans

    def _plan(self, article: RawArticle, outcome: HandledOrFailed | None) -> _Plan | None:
        if isinstance(outcome, tuple):
            self._handler_failures = 0
            records = tuple(OutboundRecord(self._output_topic, key, value) for key, value in outcome)
            return _Plan(records=records, article_id=article.id)
        if not isinstance(outcome, HandlerError):
            self._fail(FatalRuntimeError(f"handling failed unexpectedly: {outcome!r}"))
            return None
        self._handler_failures += 1
        if self._handler_failures > self._policy.max_consecutive_handler_failures:
            failures = self._handler_failures
            limit = HandlerFailureLimitError(f"{failures} consecutive handler failures, last: {outcome}")
            limit.__cause__ = outcome
            self._fail(limit)
            return None
        return _Plan(records=(), article_id=article.id, error=outcome)

    # -- delivery ---------------------------------------------------------------------------------

    async def _deliver(
        self,
        unit: _Unit,
        handled: asyncio.Future[list[HandledOrFailed]],
        after: asyncio.Future[None] | None,
        gate: asyncio.Future[None],
    ) -> None:
        """The task of one unit: wait until its articles are handled; settle the non-summit ones at once;
        once the unit before it on its partition has sent its records (`after`), start the writes of the
        others in input order (each its own task, its records enqueued before the next one's), open `gate`,
        and wait for them: each settles when its acks are in."""
        writers: list[asyncio.Task[None]] = []
        try:
            await asyncio.wait({handled})  # not `await handled`: cancelling this task leaves it be
            if handled.cancelled():
                return  # the handling stopped: the unit stays unsettled
            self._progress.set()  # the handling has room again
            writes = []
            for envelope, plan in zip(unit.envelopes, self._plans(unit, handled.result()), strict=True):
                if plan is None:
                    continue  # the service stops: the message stays unsettled, nothing from here is committed
                if plan.error is None and not plan.records:
                    # nothing to write: the outcome (non-summit, counted) is durable now
                    self._settle(envelope, Outcome.NON_SUMMIT, None, events=0, article_id=plan.article_id)
                    self._settled_in(unit)
                else:
                    writes.append((envelope, plan))
            if not writes:
                return
            if after is not None:
                await asyncio.wait({after})
            loop = asyncio.get_running_loop()
            for envelope, plan in writes:
                sent: asyncio.Future[None] = loop.create_future()
                writer = asyncio.create_task(self._write_one(unit, envelope, plan, sent))
                writers.append(writer)
                await asyncio.wait({sent, writer}, return_when=asyncio.FIRST_COMPLETED)
            self._open(gate, None)
            await asyncio.wait(writers)
            for writer in writers:
                writer.result()  # a bug in a write is the unit's (then the service's) failure
        finally:
            for writer in writers:
                writer.cancel()
            if writers:
                await asyncio.wait(writers)
            self._open(gate, after)

    @staticmethod
    def _open(gate: asyncio.Future[None], after: asyncio.Future[None] | None) -> None:
        """Let the next unit of the partition send: now, or once `after` (the unit before) has sent."""
        if gate.done():
            return
        if after is None or after.done():
            gate.set_result(None)
        else:
            after.add_done_callback(lambda _: Runtime._open(gate, None))

    async def _write_one(
        self, unit: _Unit, envelope: Envelope, plan: _Plan, sent: asyncio.Future[None]
    ) -> None:
        """Write one message's records (or its dead letter), `sent` resolved once they are enqueued; settle
        it when they are acknowledged. Its log lines carry where the message is from."""
        # bound for the rest of this task only: a task runs in its own copy of the context, so there
        # is nothing to unbind (cheaper than `bound_contextvars`, which resets each variable on exit)
        bind_contextvars(
            topic=envelope.topic,
            partition=envelope.partition,
            offset=envelope.offset,
            article_id=plan.article_id,
        )
        try:
            outcome, error = await self._write(envelope, plan, sent)
        except FatalRuntimeError as exc:
            log.error("message_failed", error=str(exc))
            self._fail(exc)
            return
        finally:
            if not sent.done():
                sent.set_result(None)
        self._settle(envelope, outcome, error, events=len(plan.records), article_id=plan.article_id)
        self._settled_in(unit)

    def _settled_in(self, unit: _Unit) -> None:
        unit.settled += 1
        self._in_flight -= 1

    async def _write(
        self, envelope: Envelope, plan: _Plan, sent: asyncio.Future[None]
    ) -> tuple[Outcome, MessageError | None]:
        """Write the message's records (or its dead letter); `sent` is resolved once they are enqueued."""
        error = plan.error
        if error is None and plan.records:
            try:
                await self._publish_all(plan.records, sent)
                return Outcome.PUBLISHED, None
            except RecordRejectedError as exc:
                rejected = OutputRejectedError(f"output rejected: {exc}")
                rejected.__cause__ = exc
                error = rejected
        if error is None:
            return Outcome.NON_SUMMIT, None
        if FAILURE_ACTIONS[error.stage] is Action.STOP:
            raise FatalRuntimeError(f"stage {error.stage} failed: {error}") from error
        await self._write_dead_letter(dead_letter_record(envelope, error, topic=self._dlq_topic), sent)
        return Outcome.DEAD_LETTER, error

    async def _write_dead_letter(self, letter: OutboundRecord, sent: asyncio.Future[None]) -> None:
        """Write `letter`; refused for good, once more without its value; refused again, stop."""
        try:
            await self._publish_all((letter,), sent)
            return
        except RecordRejectedError as exc:
            if letter.value is None:
                raise FatalRuntimeError(f"dead letter rejected by {self._dlq_topic}: {exc}") from exc
            reason = f"{len(letter.value)} bytes refused by {self._dlq_topic}"
            log.warning("dead_letter_value_omitted", reason=reason, error=str(exc))
        try:
            await self._publish_all((without_value(letter, reason),))
        except RecordRejectedError as exc:
            raise FatalRuntimeError(f"dead letter rejected by {self._dlq_topic}: {exc}") from exc

    async def _publish_all(
        self, records: Sequence[OutboundRecord], sent: asyncio.Future[None] | None = None
    ) -> list[Ack]:
        """Enqueue every record in order (then resolve `sent`), then wait for each ack (re-sending
        transient failures)."""
        pending = [await self._send(record, attempt=1) for record in records]
        if sent is not None and not sent.done():
            sent.set_result(None)
        return [await self._acknowledged(record, ack) for record, ack in zip(records, pending, strict=True)]

    async def _send(self, record: OutboundRecord, *, attempt: int) -> asyncio.Future[Ack]:
        while True:
            try:
                return asyncio.ensure_future(await self._sink.send(record))
            except TransientBrokerError as exc:
                await self._back_off(record, attempt, exc)
                attempt += 1

    async def _acknowledged(self, record: OutboundRecord, pending: asyncio.Future[Ack]) -> Ack:
        attempt = 1
        while True:
            try:
                ack = await pending
                self._writable = True
                return ack
            except TransientBrokerError as exc:
                await self._back_off(record, attempt, exc)
                attempt += 1
                pending = await self._send(record, attempt=attempt)

    async def _back_off(self, record: OutboundRecord, attempt: int, exc: BrokerError) -> None:
        self._writable = False
        limit = self._policy.retry.max_attempts
        if limit is not None and attempt >= limit:
            raise FatalRuntimeError(
                f"cannot write to {record.topic} after {attempt} attempts: {exc}"
            ) from exc
        delay = self._policy.retry.delay(attempt)
        self.metrics.publish_retries.inc()
        log.warning(
            "publish_retry", target=record.topic, attempt=attempt, delay_s=round(delay, 3), error=str(exc)
        )
        await asyncio.sleep(delay)

    def _settle(
        self,
        envelope: Envelope,
        outcome: Outcome,
        error: MessageError | None,
        *,
        events: int,
        article_id: str | None,
    ) -> None:
        """Called only once the outcome is durable; from here the offset may be committed."""
        self._ledger.settle(Partition(envelope.topic, envelope.partition), envelope.offset)
        if envelope.timestamp is not None:
            age_s = max(0.0, time.time() - envelope.timestamp / 1000)
            child = self._end_to_end.get(outcome)
            if child is None:
                child = self._end_to_end[outcome] = self.metrics.end_to_end_seconds.labels(
                    outcome=outcome.value
                )
            child.observe(age_s)
        # the one log line per message outcome (fields passed directly: cheaper than binding context)
        where = {
            "topic": envelope.topic,
            "partition": envelope.partition,
            "offset": envelope.offset,
            "article_id": article_id,
        }
        if outcome is Outcome.DEAD_LETTER and error is not None:
            self.metrics.dead_letters.labels(stage=error.stage, error_class=error.error_class).inc()
            self._message_log.info(
                "message",
                outcome=outcome.value,
                error_stage=error.stage,
                error_class=error.error_class,
                error=str(error)[:300],
                **where,
            )
        elif outcome is Outcome.NON_SUMMIT:
            self.metrics.non_summit.inc()
            self._message_log.info("message", outcome=outcome.value, **where)
        else:
            self.metrics.published.inc(events)
            self._message_log.info("message", outcome=outcome.value, events=events, **where)

    def _fail(self, exc: SummitError) -> None:
        if self._fatal is None:
            self._fatal = exc
            log.error("fatal", error=str(exc), error_class=type(exc).__name__)
        self._halt.set()

    # -- broker health ----------------------------------------------------------------------------

    async def _watch_broker(self) -> None:
        """Probe the broker every `probe_interval_s`; readiness follows the answer."""
        while self._running:
            try:
                # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation that races
                # with an inner result, and this task is stopped by cancelling it
                async with asyncio.timeout(self._policy.probe_timeout_s):
                    await self._source.probe()
            except (BrokerError, TimeoutError) as exc:
                self._set_connected(False, str(exc) or type(exc).__name__)
            else:
                self._set_connected(True, None)
                await self._report_lag()
            await asyncio.sleep(self._policy.probe_interval_s)

    async def _report_lag(self) -> None:
        """Per owned partition: not fetched yet (high watermark - position) plus fetched but uncommitted."""
        try:
            async with asyncio.timeout(self._policy.probe_timeout_s):
                unfetched = await self._source.lag()
        except (BrokerError, TimeoutError):
            return  # the next round tries again; the probe decides readiness
        for partition, behind in unfetched.items():
            if partition in self._owned:
                lag = behind + self._ledger.uncommitted_in(partition)
                self.metrics.consumer_lag.labels(partition.topic, str(partition.partition)).set(lag)

    def _set_connected(self, connected: bool, error: str | None) -> None:
        if connected != self._connected:
            log.warning("broker_reconnected" if connected else "broker_disconnected", error=error)
        self._connected = connected
        self.metrics.broker_connected.set(1 if connected else 0)

    # -- commits, drain, rebalance ----------------------------------------------------------------

    async def _maybe_commit(self) -> None:
        if time.monotonic() - self._last_commit >= self._policy.commit_interval_s:
            await self._commit(None, final=False)

    async def _commit(self, partitions: Iterable[Partition] | None, *, final: bool) -> None:
        self._last_commit = time.monotonic()
        offsets = self._ledger.committable(partitions)
        if not offsets:
            return
        try:
            await asyncio.wait_for(self._source.commit(offsets), self._policy.commit_timeout_s)
        except (BrokerError, TimeoutError) as exc:
            self._last_commit_ok = False
            self._commit_failed(exc, final=final)
            return
        self._last_commit_ok = True
        self._ledger.mark_committed(offsets)
        self.metrics.commits.inc()
        self.metrics.uncommitted.set(self._ledger.uncommitted)
        log.debug("committed", offsets={f"{p.topic}:{p.partition}": o for p, o in offsets.items()})

    def _commit_failed(self, exc: BrokerError | TimeoutError, *, final: bool) -> None:
        """A refused commit is safe (the next owner re-reads from the last accepted one); log and go on."""
        if isinstance(exc, CommitRejectedError):
            self.metrics.commits_rejected.inc()
            log.warning("commit_rejected", error=str(exc), final=final)
        else:
            log.warning("commit_failed", error=str(exc) or "timed out", final=final)
        if final and self._fatal is None and not isinstance(exc, CommitRejectedError):
            self._fatal = FatalRuntimeError(f"final commit failed: {exc or 'timed out'}")

    async def _drain(self, partitions: Set[Partition] | None, *, timeout_s: float) -> None:
        """Wait up to `timeout_s` for in-flight deliveries; cancel what is left (it stays unsettled)."""
        tasks = [t for t, p in self._tasks.items() if partitions is None or p in partitions]
        if not tasks:
            return
        _, left = await asyncio.wait(tasks, timeout=max(0.01, timeout_s))
        for task in left:
            task.cancel()
        if left:
            log.warning("drain_timeout", abandoned=len(left))
            await asyncio.wait(left)

    async def on_revoked(self, partitions: Set[Partition]) -> None:
        """Before the group moves partitions: finish their in-flight messages and commit them."""
        self.metrics.rebalances.inc()
        log.info("partitions_revoked", partitions=sorted(f"{p.topic}:{p.partition}" for p in partitions))
        self._owned -= partitions
        for partition in partitions:
            with contextlib.suppress(KeyError):  # never reported
                self.metrics.consumer_lag.remove(partition.topic, str(partition.partition))
        await self._drain(partitions, timeout_s=self._policy.shutdown_timeout_s)
        await self._commit(partitions, final=False)
        self._ledger.forget(partitions)
        for partition in partitions:
            self._gates.pop(partition, None)
        self.metrics.uncommitted.set(self._ledger.uncommitted)
        self._progress.set()
        log.info("partitions_released", partitions=sorted(f"{p.topic}:{p.partition}" for p in partitions))

    async def on_assigned(self, partitions: Set[Partition]) -> None:
        self.metrics.rebalances.inc()
        self._owned |= partitions
        self._assigned = True
        log.info("partitions_assigned", partitions=sorted(f"{p.topic}:{p.partition}" for p in partitions))
