"""The summit table stage (`summit-consumer table`): the events folded into one SummitRecord per summit_id.

The loop works in batches, each one to its end before the next fetch:

1. fetch up to `max_in_flight` events; a partition seen for the first time since it was assigned has its
   state restored first, from the changelog partition of the same number read to its end;
2. apply each event to its partition's state (`SummitTable`: events by summit_id and event_id); an event the
   state holds already changes nothing; one that is not an event is dead-lettered (stage decode/validate);
3. write the record of every meeting that changed (table topic, key summit_id, acks=all) and the dead letters;
4. then write the changed events to the changelog (partition = their events partition);
5. then commit the batch's offsets.

So a changelog entry exists only for an event whose record was acknowledged, and an offset is committed
only once both are: a crash (kill -9) at any point re-delivers at most one batch, which the restored state
either holds already (nothing is written again) or applies again (the same record is written again);
nothing is lost and nothing counted twice. Transient write errors are retried with backoff for as long as
it takes (pause, never skip; `publish_max_attempts` stops the stage instead); a record refused for good
stops the stage with nothing past it committed. A revocation waits for the batch under way, so a partition
moves only after its state, records and commits are durable; its state is then dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import Awaitable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any, NoReturn, Protocol

from prometheus_client import Counter, Gauge, Histogram

from consumer.envelope import Envelope, OutboundRecord, dead_letter_record, parse_event, without_value
from consumer.errors import (
    BrokerError,
    CommitRejectedError,
    FatalRuntimeError,
    MessageError,
    RecordRejectedError,
    SummitError,
    TransientBrokerError,
)
from consumer.health import Metrics
from consumer.logs import get_logger
from consumer.ports import Ack, Partition, Sink, Source
from consumer.runtime import RuntimePolicy
from handlers.merge import SummitTable, event_bytes, record_bytes, slim, summit_id_of
from schemas import RegionalSummit

log = get_logger(__name__)


class Changelog(Protocol):
    """Reads the stage's state back: every value of one changelog partition, to its end."""

    async def start(self) -> None: ...
    async def read(self, partition: int) -> Sequence[bytes]: ...
    async def stop(self) -> None: ...


@dataclass(frozen=True)
class TableTopics:
    table: str
    changelog: str
    dlq: str


class TableMetrics(Metrics):
    """`Metrics` (consumed, dead letters, retries, lag, commits, rebalances, broker) and the table's own."""

    def __init__(self) -> None:
        super().__init__()
        r = self.registry
        self.records = Counter("summit_table_records_published", "SummitRecords acknowledged", registry=r)
        self.applied = Counter("summit_table_events_applied", "Events that changed the state", registry=r)
        self.duplicates = Counter(
            "summit_table_events_duplicate", "Events the state held already (redelivery, replay)", registry=r
        )
        self.summits = Gauge("summit_table_summits", "Meetings held in this instance's state", registry=r)
        self.state_events = Gauge(
            "summit_table_state_events", "Events held in this instance's state", registry=r
        )
        self.restored = Counter(
            "summit_table_restored_events", "Events read back from the changelog on assignment", registry=r
        )
        self.restore_seconds = Histogram(
            "summit_table_restore_seconds",
            "Time to read one changelog partition back",
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
            registry=r,
        )
        self.batch_seconds = Histogram(
            "summit_table_batch_seconds",
            "Fetch to commit of one batch of events",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
            registry=r,
        )


class TableRuntime:
    """Runs the batch loop until `stop` is set or a fatal error; then commits and closes the ports."""

    def __init__(
        self,
        *,
        source: Source,
        sink: Sink,
        changelog: Changelog,
        topics: TableTopics,
        policy: RuntimePolicy | None = None,
        metrics: TableMetrics | None = None,
    ) -> None:
        self._source, self._sink, self._changelog, self._topics = source, sink, changelog, topics
        self._policy = policy or RuntimePolicy()
        self.metrics = metrics or TableMetrics()
        self._tables: dict[Partition, SummitTable] = {}
        self._owned: set[Partition] = set()
        self._batch = asyncio.Lock()  # a revocation waits for the batch under way
        self._halt = asyncio.Event()
        self._fatal: SummitError | None = None
        self._running = False
        self._assigned = False
        self._connected = True
        self._writable = True

    def is_ready(self) -> bool:
        """Running, in the group, the broker answering, writes acknowledged, and no fatal error."""
        return self._running and self._assigned and self._connected and self._writable and self._fatal is None

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set; raises the FatalRuntimeError that stopped it, if any."""
        await self._sink.start()
        try:
            await self._changelog.start()
            try:
                await self._source.start(self)
                self._running = True
                watcher = asyncio.create_task(self._watch_broker())
                try:
                    await self._consume(stop)
                finally:
                    self._running = False
                    watcher.cancel()
                    await asyncio.wait({watcher})
                    await self._bounded(self._source.stop(), "consumer close")
            finally:
                await self._bounded(self._changelog.stop(), "changelog reader close")
        finally:
            await self._bounded(self._sink.stop(), "producer close")
        if self._fatal is not None:
            raise self._fatal

    async def _bounded(self, step: Awaitable[None], what: str) -> None:
        started = time.monotonic()
        try:
            await asyncio.wait_for(step, max(0.5, self._policy.shutdown_timeout_s / 2))
        except TimeoutError:
            log.warning("shutdown_step_abandoned", step=what)
            return
        log.info("shutdown_step_done", step=what, seconds=round(time.monotonic() - started, 3))

    # -- the loop ---------------------------------------------------------------------------------

    async def _consume(self, stop: asyncio.Event) -> None:
        stopping: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
        stopping.add_done_callback(lambda _: self._halt.set())
        halted: asyncio.Future[Any] = asyncio.ensure_future(self._halt.wait())
        try:
            while not self._halt.is_set():
                envelopes = await self._fetch(halted)
                if not envelopes:
                    continue
                started = time.perf_counter()
                async with self._batch:
                    await self._process(envelopes)
                self.metrics.batch_seconds.observe(time.perf_counter() - started)
        finally:
            stopping.cancel()
            halted.cancel()
        log.info("consume_loop_stopped", reason="fatal" if self._fatal else "stop")

    async def _fetch(self, halted: asyncio.Future[Any]) -> Sequence[Envelope]:
        fetching = asyncio.ensure_future(
            self._source.fetch(max_records=self._policy.max_in_flight, timeout_s=self._policy.fetch_timeout_s)
        )
        await asyncio.wait({fetching, halted}, return_when=asyncio.FIRST_COMPLETED)
        if not fetching.done():
            fetching.cancel()
            await asyncio.wait({fetching})
            return ()
        try:
            return fetching.result()
        except TransientBrokerError as exc:
            log.warning("fetch_failed", error=str(exc))
            await asyncio.sleep(self._policy.retry.delay(1))
            return ()

    async def _process(self, envelopes: Sequence[Envelope]) -> None:
        """One batch: restore, apply, write records and dead letters, write the changelog, commit."""
        mine = [e for e in envelopes if Partition(e.topic, e.partition) in self._owned]
        self.metrics.consumed.inc(len(envelopes))
        for partition in sorted({Partition(e.topic, e.partition) for e in mine} - self._tables.keys()):
            if not await self._restore(partition):
                return  # halted while the changelog could not be read: nothing of the batch is committed
        changed: dict[Partition, set[str]] = defaultdict(set)
        entries: list[OutboundRecord] = []
        letters: list[tuple[Envelope, MessageError]] = []
        outcomes: list[tuple[Envelope, str, str | None]] = []
        for envelope in mine:
            partition = Partition(envelope.topic, envelope.partition)
            try:
                event = parse_event(envelope, max_bytes=self._policy.max_message_bytes)
            except MessageError as exc:
                letters.append((envelope, exc))
                outcomes.append((envelope, "dead_letter", None))
                continue
            summit_id = summit_id_of(event)
            if self._tables[partition].apply(event):
                changed[partition].add(summit_id)
                entries.append(self._entry(event, envelope.partition))
                outcomes.append((envelope, "applied", summit_id))
            else:
                outcomes.append((envelope, "duplicate", summit_id))
        records = [
            OutboundRecord(
                topic=self._topics.table,
                key=summit_id.encode("utf-8"),
                value=record_bytes(self._tables[partition].record(summit_id)),
            )
            for partition in sorted(changed)
            for summit_id in sorted(changed[partition])
        ]
        try:
            await self._write(records)
            await self._write_letters(letters)
            await self._write(entries)
        except FatalRuntimeError as exc:
            self._fail(exc)
            return
        self.metrics.records.inc(len(records))
        await self._commit(mine)
        self._log(outcomes, letters)
        self._gauge_state()

    def _entry(self, event: RegionalSummit, partition: int) -> OutboundRecord:
        """The changelog record of an applied event: to the changelog partition of its events partition."""
        return OutboundRecord(
            topic=self._topics.changelog,
            key=f"{summit_id_of(event)}/{event.event_id}".encode(),
            value=event_bytes(slim(event)),
            partition=partition,
        )

    def _log(self, outcomes: Sequence[tuple[Envelope, str, str | None]], letters: Sequence[Any]) -> None:
        """One line per event outcome (once it is durable): applied, duplicate or dead_letter."""
        errors = {id(envelope): error for envelope, error in letters}
        for envelope, outcome, summit_id in outcomes:
            if outcome == "applied":
                self.metrics.applied.inc()
            elif outcome == "duplicate":
                self.metrics.duplicates.inc()
            fields: dict[str, Any] = {"summit_id": summit_id}
            error = errors.get(id(envelope))
            if error is not None:
                self.metrics.dead_letters.labels(stage=error.stage, error_class=error.error_class).inc()
                fields = {
                    "error_stage": error.stage,
                    "error_class": error.error_class,
                    "error": str(error)[:300],
                }
            log.info(
                "message",
                topic=envelope.topic,
                partition=envelope.partition,
                offset=envelope.offset,
                outcome=outcome,
                **fields,
            )

    def _gauge_state(self) -> None:
        self.metrics.summits.set(sum(t.summits for t in self._tables.values()))
        self.metrics.state_events.set(sum(t.events for t in self._tables.values()))

    # -- restore ------------------------------------------------------------------------------------

    async def _restore(self, partition: Partition) -> bool:
        """Read the partition's state back from the changelog; retried until it succeeds (or a halt)."""
        attempt = 1
        while not self._halt.is_set():
            started = time.perf_counter()
            try:
                values = await self._changelog.read(partition.partition)
            except TransientBrokerError as exc:
                log.warning("restore_retry", partition=partition.partition, attempt=attempt, error=str(exc))
                await asyncio.sleep(self._policy.retry.delay(attempt))
                attempt += 1
                continue
            table = SummitTable()
            for value in values:
                table.apply(RegionalSummit.model_validate_json(value))
            self._tables[partition] = table
            seconds = time.perf_counter() - started
            self.metrics.restored.inc(len(values))
            self.metrics.restore_seconds.observe(seconds)
            log.info(
                "state_restored",
                partition=f"{partition.topic}:{partition.partition}",
                entries=len(values),
                events=table.events,
                summits=table.summits,
                seconds=round(seconds, 3),
            )
            return True
        return False

    # -- writes -------------------------------------------------------------------------------------

    async def _write(self, records: Sequence[OutboundRecord]) -> None:
        """Send every record, then wait for each ack; transient failures are re-sent (pause, never skip)."""
        pending = [await self._send(record, attempt=1) for record in records]
        for record, ack in zip(records, pending, strict=True):
            await self._acknowledged(record, ack)

    async def _write_letters(self, letters: Sequence[tuple[Envelope, MessageError]]) -> None:
        for envelope, error in letters:
            letter = dead_letter_record(envelope, error, topic=self._topics.dlq)
            try:
                await self._write([letter])
            except RecordRejectedError as exc:
                reason = f"{len(letter.value or b'')} bytes refused by {self._topics.dlq}"
                log.warning("dead_letter_value_omitted", reason=reason, error=str(exc))
                try:
                    await self._write([without_value(letter, reason)])
                except RecordRejectedError as again:
                    raise FatalRuntimeError(f"dead letter rejected by {self._topics.dlq}: {again}") from again

    async def _send(self, record: OutboundRecord, *, attempt: int) -> asyncio.Future[Ack]:
        while True:
            try:
                return asyncio.ensure_future(await self._sink.send(record))
            except TransientBrokerError as exc:
                await self._back_off(record, attempt, exc)
                attempt += 1
            except RecordRejectedError as exc:
                self._refused(record, exc)

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
            except RecordRejectedError as exc:
                self._refused(record, exc)

    def _refused(self, record: OutboundRecord, exc: RecordRejectedError) -> NoReturn:
        """A dead letter refused for good is retried without its value by the caller; anything else stops."""
        if record.topic == self._topics.dlq:
            raise exc
        raise FatalRuntimeError(
            f"{record.topic} refused a record for good ({len(record.value or b'')} bytes): {exc}; raise the "
            "topic's max.message.bytes and SUMMIT_MAX_MESSAGE_BYTES"
        ) from exc

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

    # -- commits and rebalances ---------------------------------------------------------------------

    async def _commit(self, envelopes: Sequence[Envelope]) -> None:
        offsets: dict[Partition, int] = {}
        for envelope in envelopes:
            partition = Partition(envelope.topic, envelope.partition)
            offsets[partition] = max(offsets.get(partition, 0), envelope.offset + 1)
        offsets = {p: o for p, o in offsets.items() if p in self._owned}
        if not offsets:
            return
        try:
            await asyncio.wait_for(self._source.commit(offsets), self._policy.commit_timeout_s)
        except CommitRejectedError as exc:  # a stale member: the next owner re-reads the batch (duplicates)
            self.metrics.commits_rejected.inc()
            log.warning("commit_rejected", error=str(exc))
            return
        except (BrokerError, TimeoutError) as exc:
            log.warning("commit_failed", error=str(exc) or "timed out")
            return
        self.metrics.commits.inc()

    def _fail(self, exc: SummitError) -> None:
        if self._fatal is None:
            self._fatal = exc
            log.error("fatal", error=str(exc), error_class=type(exc).__name__)
        self._halt.set()

    async def on_revoked(self, partitions: Set[Partition]) -> None:
        """Before the group moves partitions: the batch under way finishes (and commits); their state goes."""
        self.metrics.rebalances.inc()
        log.info("partitions_revoked", partitions=sorted(f"{p.topic}:{p.partition}" for p in partitions))
        async with self._batch:
            self._owned -= partitions
            for partition in partitions:
                self._tables.pop(partition, None)
                with contextlib.suppress(KeyError):
                    self.metrics.consumer_lag.remove(partition.topic, str(partition.partition))
        self._gauge_state()
        log.info("partitions_released", partitions=sorted(f"{p.topic}:{p.partition}" for p in partitions))

    async def on_assigned(self, partitions: Set[Partition]) -> None:
        """Partitions handed over: their state is restored before their first event is applied."""
        self.metrics.rebalances.inc()
        self._owned |= partitions
        self._assigned = True
        log.info("partitions_assigned", partitions=sorted(f"{p.topic}:{p.partition}" for p in partitions))

    # -- broker health ------------------------------------------------------------------------------

    async def _watch_broker(self) -> None:
        while self._running:
            try:
                async with asyncio.timeout(self._policy.probe_timeout_s):
                    await self._source.probe()
            except (BrokerError, TimeoutError) as exc:
                self._set_connected(False, str(exc) or type(exc).__name__)
            else:
                self._set_connected(True, None)
                await self._report_lag()
            await asyncio.sleep(self._policy.probe_interval_s)

    async def _report_lag(self) -> None:
        try:
            async with asyncio.timeout(self._policy.probe_timeout_s):
                unfetched: Mapping[Partition, int] = await self._source.lag()
        except (BrokerError, TimeoutError):
            return
        for partition, behind in unfetched.items():
            if partition in self._owned:
                self.metrics.consumer_lag.labels(partition.topic, str(partition.partition)).set(behind)

    def _set_connected(self, connected: bool, error: str | None) -> None:
        if connected != self._connected:
            log.warning("broker_reconnected" if connected else "broker_disconnected", error=error)
        self._connected = connected
        self.metrics.broker_connected.set(1 if connected else 0)
