"""The table stage's Kafka side beyond the shared adapter: reading a changelog partition back, and its topics.

The changelog is a compacted topic keyed by `<summit_id>/<event_id>` whose partition i holds the state of
events partition i. It is read back to its end before a partition's first event is applied; the end is
the high watermark that fetch responses report (ListOffsets is not used: the local broker answers
"latest" wrongly). aiokafka exceptions are translated here, as in `consumer.kafka`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import IllegalStateError, KafkaError

from consumer.errors import BrokerError, MissingTopicsError, StartupError, TransientBrokerError
from consumer.kafka import abort_client, client_options, close_client, translate
from consumer.logs import get_logger
from consumer.settings import Settings
from consumer.table_settings import TableSettings

log = get_logger(__name__)

_STARTUP_TIMEOUT_S = 20.0
_FETCH_MS = 200
COMPACTED = {"cleanup.policy": "compact"}


class KafkaChangelog:
    """Reads partitions of the changelog topic back, one at a time, with a consumer outside any group."""

    def __init__(self, settings: Settings, topic: str, *, timeout_s: float = 60.0) -> None:
        self._settings, self._topic, self._timeout_s = settings, topic, timeout_s
        self._consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        consumer = AIOKafkaConsumer(
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=50,
            max_partition_fetch_bytes=8 * 1024 * 1024,
            **client_options(self._settings),
        )
        try:
            await consumer.start()
        except (KafkaError, OSError) as exc:
            await close_client(consumer)
            raise translate(exc, operation="changelog start") from exc
        except BaseException:  # cancelled while starting: nothing of it may outlive the start
            await abort_client(consumer)
            raise
        self._consumer = consumer

    async def read(self, partition: int) -> Sequence[bytes]:
        """Every value of changelog partition `partition`, up to the high watermark of its fetches."""
        consumer = self._consumer
        if consumer is None:
            raise BrokerError("the changelog reader is not started", operation="restore")
        tp = TopicPartition(self._topic, partition)
        values: list[bytes] = []
        deadline = time.monotonic() + self._timeout_s
        try:
            consumer.assign([tp])
            await consumer.seek_to_beginning(tp)
            while True:
                batches = await consumer.getmany(tp, timeout_ms=_FETCH_MS)
                values.extend(r.value for r in batches.get(tp, ()) if r.value is not None)
                highwater = consumer.highwater(tp)
                if highwater is not None and await consumer.position(tp) >= highwater:
                    return values
                if time.monotonic() > deadline:
                    raise TransientBrokerError(
                        f"changelog {tp.topic}:{tp.partition} not read to its end within {self._timeout_s}s",
                        operation="restore",
                    )
        except (KafkaError, IllegalStateError) as exc:
            raise TransientBrokerError(f"restore failed: {exc!r}", operation="restore") from exc
        finally:
            consumer.assign([])

    async def stop(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            await close_client(consumer)


async def prepare_table_topics(settings: Settings, table: TableSettings) -> None:
    """Fail unless the events, table, changelog and dead-letter topics exist (create them when
    SUMMIT_CREATE_TOPICS: the table and changelog compacted, the changelog with as many partitions as the
    events topic); the changelog needs a partition for every events partition."""
    events = settings.output_topic
    needed = [events, table.topic, table.changelog_topic, table.dlq_topic]
    admin = AIOKafkaAdminClient(request_timeout_ms=10_000, **client_options(settings))
    try:
        await asyncio.wait_for(admin.start(), _STARTUP_TIMEOUT_S)
        existing = set(await asyncio.wait_for(admin.list_topics(), _STARTUP_TIMEOUT_S))
        missing = [name for name in needed if name not in existing]
        if missing and not settings.create_topics:
            raise MissingTopicsError(missing)
        if events in missing:
            await _create(admin, [NewTopic(events, settings.topic_partitions, 1)])
        counts = await _partitions(
            admin, [events, table.changelog_topic] if table.changelog_topic in existing else [events]
        )
        wanted = {
            table.topic: NewTopic(table.topic, settings.topic_partitions, 1, topic_configs=COMPACTED),
            table.changelog_topic: NewTopic(
                table.changelog_topic, counts[events], 1, topic_configs=COMPACTED
            ),
            table.dlq_topic: NewTopic(table.dlq_topic, settings.topic_partitions, 1),
        }
        await _create(admin, [topic for name, topic in wanted.items() if name in missing])
        changelog = counts.get(table.changelog_topic, counts[events])
        if changelog < counts[events]:
            raise StartupError(
                f"the changelog topic {table.changelog_topic} has {changelog} partitions, fewer than the "
                f"{counts[events]} of {events}: it needs one per events partition"
            )
    except (KafkaError, OSError, TimeoutError) as exc:
        raise StartupError(f"cannot reach the broker at {settings.bootstrap_servers}: {exc!r}") from exc
    finally:
        await admin.close()


async def _partitions(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, int]:
    described = await asyncio.wait_for(admin.describe_topics(names), _STARTUP_TIMEOUT_S)
    return {topic["topic"]: len(topic["partitions"]) for topic in described}


async def _create(admin: AIOKafkaAdminClient, topics: list[NewTopic]) -> None:
    if not topics:
        return
    brokers = len((await admin.describe_cluster()).get("brokers", [])) or 1
    for topic in topics:
        topic.replication_factor = min(3, brokers)
    response = await admin.create_topics(topics)
    for name, code, message in response.topic_errors:
        if code not in (0, 36):  # 36: already exists (another instance created it first)
            raise StartupError(f"cannot create topic {name}: error {code} {message}")
    log.info("topics_created", topics=[t.name for t in topics])
