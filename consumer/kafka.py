"""The Kafka adapter: `KafkaSource`, `KafkaSink`, topic checks; aiokafka errors are translated here."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    CommitFailedError,
    CorruptRecordException,
    IllegalStateError,
    KafkaError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
    TopicAlreadyExistsError,
    UnsupportedCodecError,
    UnsupportedForMessageFormatError,
)
from aiokafka.helpers import create_ssl_context

from consumer.envelope import Envelope, OutboundRecord, envelope_from_record, oversized
from consumer.errors import (
    BrokerError,
    CommitRejectedError,
    MissingTopicsError,
    RecordRejectedError,
    StartupError,
    TransientBrokerError,
)
from consumer.logs import get_logger
from consumer.ports import Ack, Partition, RebalanceListener
from consumer.settings import Settings

log = get_logger(__name__)

_REJECTED = (
    MessageSizeTooLargeError,
    RecordTooLargeError,
    RecordListTooLargeError,
    UnsupportedForMessageFormatError,
)
# a batch the client cannot read: an unknown codec, a CRC that does not match (parse errors of a payload
# that does not decompress are not KafkaErrors: `KafkaSource._read` catches those too)
_UNREADABLE = (UnsupportedCodecError, CorruptRecordException)
_PREFETCH_BYTES = 8 * 1024 * 1024
_RECORD_OVERHEAD = 64 * 1024
_STARTUP_TIMEOUT_S = 20.0
_POSITION_TIMEOUT_S = 1.0
_ABORT_WAIT_S = 1.0  # for a client's cancelled background tasks to end, once its connections are closed


def translate(exc: KafkaError | OSError | TimeoutError, *, operation: str) -> BrokerError:
    """The service's error for an aiokafka (or socket) failure during `operation`."""
    message = f"{operation} failed: {type(exc).__name__}: {exc}"
    if isinstance(exc, _REJECTED):
        return RecordRejectedError(message, operation=operation)
    if isinstance(exc, CommitFailedError):
        return CommitRejectedError(message, operation=operation)
    if isinstance(exc, OSError | TimeoutError | KafkaTimeoutError) or getattr(exc, "retriable", False):
        return TransientBrokerError(message, operation=operation)
    return BrokerError(message, operation=operation)


def client_options(settings: Settings) -> dict[str, Any]:
    """Connection and security options shared by the consumer, the producer and the admin client."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers.split(","),
        "client_id": settings.client_id,
        "security_protocol": settings.security_protocol,
    }
    if settings.security_protocol in ("SSL", "SASL_SSL"):
        options["ssl_context"] = create_ssl_context(cafile=settings.ssl_cafile)
    if settings.security_protocol.startswith("SASL_"):
        options["sasl_mechanism"] = settings.sasl_mechanism
        options["sasl_plain_username"] = settings.sasl_username
        password = settings.sasl_password
        options["sasl_plain_password"] = password.get_secret_value() if password is not None else None
    return options


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka is untyped
    """Forwards aiokafka's rebalance callbacks to the runtime, in the port's terms."""

    def __init__(self, listener: RebalanceListener) -> None:
        self._listener = listener

    async def on_partitions_revoked(self, revoked: Set[TopicPartition]) -> None:
        await self._listener.on_revoked({Partition(tp.topic, tp.partition) for tp in revoked})

    async def on_partitions_assigned(self, assigned: Set[TopicPartition]) -> None:
        await self._listener.on_assigned({Partition(tp.topic, tp.partition) for tp in assigned})


@dataclass
class _Careful:
    """A partition read one record at a time, near a batch the client could not read."""

    until: int  # the high watermark when it failed: back to full speed past it
    failed_at: int | None = None  # the position of the last failure, read once more before giving up


class KafkaSource:
    """The input topic through a consumer group, with auto-commit off."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._consumer: AIOKafkaConsumer | None = None
        self._careful: dict[TopicPartition, _Careful] = {}

    def _build(self) -> AIOKafkaConsumer:
        s = self._settings
        partition_bytes = max(1024 * 1024, s.max_message_bytes + _RECORD_OVERHEAD)
        return AIOKafkaConsumer(
            group_id=s.group_id,
            enable_auto_commit=False,
            auto_offset_reset=s.auto_offset_reset,
            session_timeout_ms=s.session_timeout_ms,
            heartbeat_interval_ms=s.heartbeat_interval_ms,
            max_poll_records=min(s.max_in_flight, 500),
            fetch_max_wait_ms=s.fetch_max_wait_ms,  # aiokafka's 500 ms default is latency at a trickle
            max_partition_fetch_bytes=partition_bytes,
            fetch_max_bytes=max(_PREFETCH_BYTES, partition_bytes),
            **client_options(s),
        )

    async def start(self, listener: RebalanceListener) -> None:
        consumer = self._build()
        try:
            await consumer.start()
        except (KafkaError, OSError) as exc:
            await close_client(consumer)
            raise translate(exc, operation="consumer start") from exc
        except BaseException:  # cancelled while starting: nothing of it may outlive the start
            await abort_client(consumer)
            raise
        # subscribing after start joins the group in the background (start would block on the join,
        # deaf to a stop request); the first fetch waits for the assignment instead, and can be interrupted
        consumer.subscribe([self._settings.input_topic], listener=_Listener(listener))
        self._consumer = consumer

    async def fetch(self, *, max_records: int, timeout_s: float) -> Sequence[Envelope]:
        """What the client holds, one partition per call; with nothing held, wait on every partition.

        One partition per call because the client decompresses a batch only as it returns its records: a
        batch it cannot read raises out of the call, and the records of other partitions taken in that
        call would be lost (their positions already moved past them). See `_unreadable`.
        """
        consumer = self._require()
        envelopes = await self._drain(consumer, max_records)
        if envelopes:
            return envelopes
        assigned = consumer.assignment()
        if not assigned:  # joining the group: the client waits for the assignment (one record at most,
            try:  # so a batch that cannot be read costs no other partition's records)
                joined = await consumer.getmany(timeout_ms=int(timeout_s * 1000), max_records=1)
            except RecordTooLargeError as exc:
                return [_oversized(exc)]
            except KafkaError as exc:
                if not isinstance(exc, _UNREADABLE):
                    raise translate(exc, operation="fetch") from exc
                return []  # its partition is found by the next (per-partition) call
            # rule: a batch the client could not parse, as in `_read`; found by the next call
            except Exception:
                return []
            return [envelope_from_record(record) for records in joined.values() for record in records]
        # one waiting call per partition, the first that gets records ends the wait: a cancelled call
        # has taken nothing (records are taken only after its last await), so nothing is lost
        waits = [
            asyncio.ensure_future(self._read(consumer, tp, max_records, int(timeout_s * 1000)))
            for tp in assigned
        ]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
            results = await asyncio.gather(*waits, return_exceptions=True)
        for result in results:
            if isinstance(result, list):
                envelopes += result
            elif not isinstance(result, asyncio.CancelledError):
                raise result
        return envelopes

    async def _drain(self, consumer: AIOKafkaConsumer, max_records: int) -> list[Envelope]:
        assigned = consumer.assignment()
        for tp in [tp for tp in self._careful if tp not in assigned]:
            del self._careful[tp]
        envelopes: list[Envelope] = []
        for tp in sorted(assigned, key=lambda tp: (tp.topic, tp.partition)):
            room = max_records - len(envelopes)
            if room <= 0:
                break
            envelopes += await self._read(consumer, tp, room)
        return envelopes

    async def _read(
        self, consumer: AIOKafkaConsumer, tp: TopicPartition, room: int, timeout_ms: int = 0
    ) -> list[Envelope]:
        """Up to `room` records of `tp` (one at a time near a batch the client could not read)."""
        careful = self._careful.get(tp)
        try:
            batches = await consumer.getmany(tp, timeout_ms=timeout_ms, max_records=1 if careful else room)
        except RecordTooLargeError as exc:
            # aiokafka could not read a record from a fetch cut short (a broker that does not return an
            # oversized first record whole) and has already moved past it: it becomes a dead letter, never a
            # stop (and never a silent skip)
            return [_oversized(exc)]
        except KafkaError as exc:
            if not isinstance(exc, _UNREADABLE):
                raise translate(exc, operation="fetch") from exc
            return await self._unreadable(consumer, tp, exc)
        # rule: whatever else the client raises while reading a batch's records is a batch it cannot read
        except Exception as exc:
            return await self._unreadable(consumer, tp, exc)
        records = batches.get(tp, [])
        if careful is not None and records and records[-1].offset >= careful.until:
            del self._careful[tp]  # past the records fetched with the unreadable batch: full speed again
        return [envelope_from_record(record) for record in records]

    async def _unreadable(
        self, consumer: AIOKafkaConsumer, tp: TopicPartition, exc: Exception
    ) -> list[Envelope]:
        """A batch of `tp` cannot be read. The records before it are read one at a time (each call stops
        before the batch), so the offset where reading fails is the first one the batch holds; failing
        there twice (two fetches: not a glitch), that offset becomes a dead letter (`Envelope.unreadable`)
        and the consumer moves to the next offset, until a record can be read again."""
        try:
            position = await consumer.position(tp)
        except (KafkaError, IllegalStateError):
            return []  # revoked meanwhile
        careful = self._careful.setdefault(tp, _Careful(until=consumer.highwater(tp) or position + 1))
        reason = f"{type(exc).__name__}: {exc}"
        if careful.failed_at != position:
            careful.failed_at = position
            log.warning(
                "batch_unreadable", partition=f"{tp.topic}:{tp.partition}", offset=position, error=reason
            )
            return []
        careful.failed_at = None
        careful.until = max(careful.until, position + 2)
        consumer.seek(tp, position + 1)
        log.error("record_unreadable", partition=f"{tp.topic}:{tp.partition}", offset=position, error=reason)
        return [Envelope(tp.topic, tp.partition, position, None, None, unreadable=reason)]

    async def commit(self, offsets: Mapping[Partition, int]) -> None:
        consumer = self._require()
        try:
            await consumer.commit({TopicPartition(p.topic, p.partition): o for p, o in offsets.items()})
        except (KafkaError, IllegalStateError) as exc:
            raise translate(exc, operation="commit") from exc

    async def lag(self) -> dict[Partition, int]:
        consumer = self._require()
        behind: dict[Partition, int] = {}
        for tp in consumer.assignment():
            if tp not in consumer.assignment():
                continue  # revoked while an earlier position was awaited
            # the high watermark comes with every fetch response (no request); ListOffsets is not used:
            # the local broker answers "latest" wrongly
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            try:
                position = await asyncio.wait_for(consumer.position(tp), _POSITION_TIMEOUT_S)
            except (KafkaError, IllegalStateError, TimeoutError):
                continue  # revoked or resetting meanwhile: no figure this round
            behind[Partition(tp.topic, tp.partition)] = max(0, highwater - position)
        return behind

    async def probe(self) -> None:
        consumer = self._require()
        try:
            await consumer.topics()  # a metadata request over the wire, not the cached view
        except (KafkaError, OSError) as exc:
            raise TransientBrokerError(f"broker probe failed: {exc!r}", operation="probe") from exc

    async def stop(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            await close_client(consumer)

    def _require(self) -> AIOKafkaConsumer:
        if self._consumer is None:
            raise BrokerError("the consumer is not started", operation="fetch")
        return self._consumer


def _oversized(exc: RecordTooLargeError) -> Envelope:
    """The envelope of the record aiokafka's RecordTooLargeError(message, tp, offset, fetch bytes) names."""
    _, tp, offset, fetch_bytes = exc.args
    return oversized(tp.topic, tp.partition, int(offset), int(fetch_bytes))


class KafkaSink:
    """The output and dead-letter topics through one producer with acks=all."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        s = self._settings
        producer = AIOKafkaProducer(
            acks="all",
            enable_idempotence=s.enable_idempotence,
            linger_ms=s.linger_ms,
            max_request_size=max(1024 * 1024, s.max_message_bytes + _RECORD_OVERHEAD),
            request_timeout_ms=30_000,
            **client_options(s),
        )
        try:
            await producer.start()
        except (KafkaError, OSError) as exc:
            await close_client(producer)
            raise translate(exc, operation="producer start") from exc
        except BaseException:  # cancelled while starting: nothing of it may outlive the start
            await abort_client(producer)
            raise
        self._producer = producer

    async def send(self, record: OutboundRecord) -> Awaitable[Ack]:
        if self._producer is None:
            raise BrokerError("the producer is not started", operation="publish")
        try:
            delivery = await self._producer.send(
                record.topic,
                value=record.value,
                key=record.key,
                headers=list(record.headers) or None,
                partition=record.partition,
            )
        except KafkaError as exc:
            raise translate(exc, operation="publish") from exc
        acked: asyncio.Future[Ack] = asyncio.get_running_loop().create_future()
        delivery.add_done_callback(lambda done: _transfer(done, acked))
        return acked

    async def stop(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await close_client(producer)


async def close_client(client: AIOKafkaConsumer | AIOKafkaProducer) -> None:
    """`client.stop()`: a consumer leaves its group, a producer sends what it holds, then the connections
    close. When that stop is abandoned (cancelled: a shutdown step past its deadline) or fails midway, the
    client is closed at once all the same (`abort_client`), then the cancellation or error goes on.

    aiokafka marks a client closed as its stop begins: a stop cancelled midway (waiting for the group
    coordination to finish a rebalance, for a LeaveGroup or a produce answer) left its connections open
    and its background tasks running, without a warning of its own, until the event loop was gone; a
    garbage collection much later then found the sockets open (ResourceWarnings in whatever ran then)."""
    try:
        await client.stop()
    except BaseException:
        await abort_client(client)
        raise


async def abort_client(client: AIOKafkaConsumer | AIOKafkaProducer) -> None:
    """Close `client` without another request: its background tasks cancelled (group coordination,
    heartbeat, fetcher, sender: they would reconnect), its connections closed. aiokafka has no public call
    for this: the tasks are the ones its parts hold as attributes (aiokafka 0.14, pinned)."""
    kafka = client._client if isinstance(client, AIOKafkaConsumer) else client.client
    parts = [getattr(client, name, None) for name in ("_coordinator", "_fetcher", "_sender")]
    tasks = [task for part in parts if part is not None for task in _tasks_of(part)]
    for task in tasks:
        task.cancel()
    await kafka.close()  # the sockets now: a cancelled sender still waits for its requests' answers
    if tasks:
        await asyncio.wait(tasks, timeout=_ABORT_WAIT_S)
    await kafka.close()  # any connection a task opened before its cancellation reached it


def _tasks_of(part: object) -> list[asyncio.Task[Any]]:
    """The unfinished tasks an aiokafka object holds in its attributes (alone or in a set or list)."""
    found: list[asyncio.Task[Any]] = []
    for value in vars(part).values():
        for item in value if isinstance(value, set | list) else (value,):
            if isinstance(item, asyncio.Task) and not item.done():
                found.append(item)
    return found


def _transfer(delivery: asyncio.Future[Any], acked: asyncio.Future[Ack]) -> None:
    """Copy aiokafka's delivery result onto the port's future, translating errors."""
    if acked.done():
        return
    if delivery.cancelled():
        acked.set_exception(TransientBrokerError("publish cancelled", operation="publish"))
        return
    exc = delivery.exception()
    if isinstance(exc, KafkaError | OSError | TimeoutError):
        acked.set_exception(translate(exc, operation="publish"))
    elif exc is not None:
        acked.set_exception(BrokerError(f"publish failed: {exc!r}", operation="publish"))
    else:
        metadata = delivery.result()
        acked.set_result(Ack(metadata.topic, metadata.partition, metadata.offset))


async def prepare_topics(settings: Settings) -> None:
    """Fail with MissingTopicsError unless the three topics exist; create them when SUMMIT_CREATE_TOPICS."""
    needed = [settings.input_topic, settings.output_topic, settings.dlq_topic]
    admin = AIOKafkaAdminClient(request_timeout_ms=10_000, **client_options(settings))
    try:
        await asyncio.wait_for(admin.start(), _STARTUP_TIMEOUT_S)
        # list_topics, not a metadata request naming the topics: some brokers auto-create on those
        existing = set(await asyncio.wait_for(admin.list_topics(), _STARTUP_TIMEOUT_S))
        missing = [name for name in needed if name not in existing]
        if missing and settings.create_topics:
            await _create(admin, missing, settings.topic_partitions)
        elif missing:
            raise MissingTopicsError(missing)
    except (KafkaError, OSError, TimeoutError) as exc:
        raise StartupError(f"cannot reach the broker at {settings.bootstrap_servers}: {exc!r}") from exc
    finally:
        await admin.close()


async def _create(admin: AIOKafkaAdminClient, names: list[str], partitions: int) -> None:
    brokers = len((await admin.describe_cluster()).get("brokers", [])) or 1
    topics = [NewTopic(name, num_partitions=partitions, replication_factor=min(3, brokers)) for name in names]
    response = await admin.create_topics(topics)
    for name, code, message in response.topic_errors:
        if code not in (0, TopicAlreadyExistsError.errno):
            raise StartupError(f"cannot create topic {name}: error {code} {message}")
    log.info("topics_created", topics=names, partitions=partitions)
