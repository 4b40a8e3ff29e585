"""Test-side Kafka helpers: produce with acks, read a topic to its high watermark, read a group's commits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


@dataclass(frozen=True)
class Record:
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]


async def produce(
    bootstrap: str,
    topic: str,
    items: Iterable[tuple[bytes | None, bytes | None]],
    *,
    max_request_size: int = 1_048_576,
) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """Produce (key, value) pairs with acks=all: their (partition, offset)s, and each partition's end."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", max_request_size=max_request_size, linger_ms=5
    )
    await producer.start()
    try:
        futures = [await producer.send(topic, value=value, key=key) for key, value in items]
        acks = [await future for future in futures]
    finally:
        await producer.stop()
    placed = [(ack.partition, ack.offset) for ack in acks]
    ends: dict[int, int] = {}
    for partition, offset in placed:
        ends[partition] = max(ends.get(partition, 0), offset + 1)  # end offsets from acks, not ListOffsets
    return placed, ends


async def read_all(
    bootstrap: str, topic: str, *, partitions: int = 3, timeout_s: float = 10.0
) -> list[Record]:
    """Every record of `topic`, reading each partition up to the high watermark its fetches report."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    consumer.assign(tps)
    await consumer.seek_to_beginning(*tps)
    records: list[Record] = []
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                batches = await consumer.getmany(timeout_ms=200)
                for batch in batches.values():
                    records.extend(
                        Record(r.partition, r.offset, r.key, r.value, tuple(r.headers)) for r in batch
                    )
                marks = {tp: consumer.highwater(tp) for tp in tps}
                if all(mark is not None for mark in marks.values()) and all(
                    [await consumer.position(tp) >= mark for tp, mark in marks.items()]
                ):
                    return records
    finally:
        await consumer.stop()


async def committed(bootstrap: str, group_id: str, topic: str, partitions: int = 3) -> dict[int, int]:
    """The group's committed offset per partition (partitions without a commit are left out)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False)
    await consumer.start()
    try:
        offsets = {p: await consumer.committed(TopicPartition(topic, p)) for p in range(partitions)}
    finally:
        await consumer.stop()
    return {p: o for p, o in offsets.items() if o is not None}


async def wait_for_commits(
    bootstrap: str, group_id: str, topic: str, ends: dict[int, int], timeout_s: float = 30.0
) -> dict[int, int]:
    """Poll until the group has committed `ends` on every partition; the last reading."""
    seen: dict[int, int] = {}
    async with asyncio.timeout(timeout_s):
        while seen != ends:
            await asyncio.sleep(0.2)
            readings = await committed(bootstrap, group_id, topic, partitions=max(ends) + 1)
            seen = {p: o for p, o in readings.items() if p in ends}
    return seen


async def wait_for_first_commit(
    bootstrap: str,
    group_id: str,
    topic: str,
    *,
    check: Callable[[], None] = lambda: None,
    timeout_s: float = 30.0,
) -> dict[int, int]:
    """Poll until the group has committed anything on `topic`; `check()` runs each turn (to fail fast)."""
    for _ in range(int(timeout_s / 0.1)):
        check()
        if seen := await committed(bootstrap, group_id, topic):
            return seen
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no commit by group {group_id} on {topic} within {timeout_s}s")
