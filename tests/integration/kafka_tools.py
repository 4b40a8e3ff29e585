"""Test-side Kafka helpers: produce with acks, read a topic to its high watermark, read a group's commits."""

from __future__ import annotations

import asyncio
import os
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.client import AIOKafkaClient
from aiokafka.protocol.produce import ProduceRequest
from aiokafka.record.default_records import DefaultRecordBatchBuilder
from aiokafka.record.util import calc_crc32c as crc32c


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
    try:
        await producer.start()
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
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    records: list[Record] = []
    try:
        await consumer.start()
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
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
    try:
        await consumer.start()
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


async def produce_batch(
    bootstrap: str,
    topic: str,
    partition: int,
    items: list[tuple[bytes | None, bytes | None]],
    *,
    compression: str | None,
) -> list[int]:
    """Produce `items` as ONE record batch compressed with `compression` (another producer's batch, as a
    Java or librdkafka client would send it): their offsets."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", compression_type=compression)
    try:
        await producer.start()
        batch = producer.create_batch()
        for key, value in items:
            assert batch.append(key=key, value=value, timestamp=None) is not None, "the batch is full"
        batch.close()
        metadata = await (await producer.send_batch(batch, topic, partition=partition))
    finally:
        await producer.stop()
    return list(range(metadata.offset, metadata.offset + len(items)))


def corrupt_batch(
    items: list[tuple[bytes | None, bytes | None]], *, codec: int = 1, damage: bytes = b""
) -> bytes:
    """A v2 record batch of `items` whose compressed payload cannot be read: compressed with `codec` (gzip
    by default), then its payload replaced by `damage` (default: the payload's bytes reversed), or with
    an unknown codec id (5-7) and the payload left as it is. The CRC is computed over the damaged bytes, so
    only reading the records can tell."""
    builder = DefaultRecordBatchBuilder(
        magic=2,
        compression_type=codec if codec <= 4 else 0,
        is_transactional=0,
        producer_id=-1,
        producer_epoch=-1,
        base_sequence=-1,
        batch_size=1 << 20,
    )
    for offset, (key, value) in enumerate(items):
        builder.append(offset, timestamp=None, key=key, value=value, headers=[])
    data = bytearray(builder.build())
    header = 61  # the v2 batch header; the records (compressed or not) follow
    if codec > 4:
        attributes = struct.unpack_from(">h", data, 21)[0]
        struct.pack_into(">h", data, 21, (attributes & ~0x07) | codec)
    else:
        payload = bytes(data[header:])
        data[header:] = damage or payload[::-1]
        struct.pack_into(">i", data, 8, len(data) - 12)  # batch length after the offset and length fields
    struct.pack_into(">I", data, 17, crc32c(bytes(data[21:])))
    return bytes(data)


async def produce_raw_batch(bootstrap: str, topic: str, partition: int, batch: bytes) -> int:
    """Send `batch` (record batch bytes, as built) in a Produce request of its own: its base offset."""
    client = AIOKafkaClient(bootstrap_servers=bootstrap)
    try:
        await client.bootstrap()
        await client.force_metadata_update()
        leader = client.cluster.leader_for_partition(TopicPartition(topic, partition))
        request = ProduceRequest(None, -1, 10_000, [(topic, [(partition, batch)])])
        response = await client.send(leader, request)
    finally:
        await client.close()
    [(_, [partition_response])] = response.topics
    error, base_offset = partition_response[1], partition_response[2]
    assert error == 0, f"the broker refused the batch: error {error}"
    return int(base_offset)


def open_connections(port: int) -> list[str]:
    """This process's TCP sockets to 127.0.0.1:`port` still open, in any state (Linux /proc): a closed
    client leaves none, whether or not the broker still answers."""
    sockets: dict[str, str] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in rows.read().splitlines()[1:]:
                fields = row.split()
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                if remote_port == port and fields[3] != "0A":  # 0A: listening
                    sockets[fields[9]] = f"{fields[1]} -> {fields[2]} state {fields[3]}"
    mine = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:[") and target[8:-1] in sockets:
            mine.append(f"fd {fd}: {sockets[target[8:-1]]}")
    return sorted(mine)
