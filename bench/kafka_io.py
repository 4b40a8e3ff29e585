"""Bench-side Kafka helpers: fill a topic (acks=all), watch a group's commits, sample a process's RSS."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

_BATCH = 2000


async def fill(bootstrap: str, topic: str, values: Iterable[bytes]) -> dict[int, int]:
    """Produce every value (keyless, acks=all); each partition's end offset, taken from the acks.

    The local broker's ListOffsets(latest) is unreliable, so the acks are the source of truth.
    """
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=20, max_batch_size=256 * 1024
    )
    await producer.start()
    ends: dict[int, int] = {}
    try:
        pending = []
        for value in values:
            pending.append(await producer.send(topic, value=value))
            if len(pending) >= _BATCH:
                _note_ends(ends, [await f for f in pending])
                pending = []
        _note_ends(ends, [await f for f in pending])
    finally:
        await producer.stop()
    return ends


def _note_ends(ends: dict[int, int], acks: list[object]) -> None:
    for ack in acks:
        partition, offset = ack.partition, ack.offset  # type: ignore[attr-defined]
        ends[partition] = max(ends.get(partition, 0), offset + 1)


@dataclass(frozen=True)
class Progress:
    """How fast a group committed its way through a topic."""

    total: int
    seconds: float  # from the first commit seen to the last
    first_committed: int  # messages already committed at that first sighting
    since_launch: float  # from the start of the watch (process launch) to the last commit

    @property
    def rate(self) -> float:
        """Messages per second from the first commit seen to the last (start-up excluded); when one
        commit covered everything (tiny runs), over the whole time since launch instead."""
        if self.total > self.first_committed and self.seconds > 0:
            return (self.total - self.first_committed) / self.seconds
        return self.total / self.since_launch


class CommitReader:
    """Reads a group's committed offsets (a group-less fetch of OffsetFetch; the local broker's admin
    OffsetFetch answer does not decode)."""

    def __init__(self, bootstrap: str, group_id: str, topic: str, partitions: Iterable[int]) -> None:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False
        )
        self._tps = [TopicPartition(topic, p) for p in partitions]

    async def __aenter__(self) -> CommitReader:
        await self._consumer.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._consumer.stop()

    async def total(self) -> int:
        """Messages the group has committed (sum of committed offsets over the partitions)."""
        return sum([(await self._consumer.committed(tp)) or 0 for tp in self._tps])


async def watch_commits(
    bootstrap: str,
    group_id: str,
    topic: str,
    ends: Mapping[int, int],
    *,
    timeout_s: float,
    poll_s: float = 0.1,
) -> Progress:
    """Poll the group's commits until they reach `ends`; raise TimeoutError after `timeout_s`."""
    total = sum(ends.values())
    launched = time.monotonic()
    first: tuple[float, int] | None = None
    async with CommitReader(bootstrap, group_id, topic, ends) as reader, asyncio.timeout(timeout_s):
        while True:
            done = await reader.total()
            now = time.monotonic()
            if done > 0 and first is None:
                first = (now, done)
            if done >= total:
                assert first is not None
                return Progress(total, now - first[0], first[1], now - launched)
            await asyncio.sleep(poll_s)


def rss_kib(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) of `pid` in KiB, from /proc; (0, 0) once it is gone."""
    fields: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(rest.split()[0])
    except (OSError, ValueError):
        return 0, 0
    return fields.get("VmRSS", 0), fields.get("VmHWM", 0)


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds `pid` has used, from /proc; 0.0 once it is gone."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def children(pid: int) -> list[int]:
    """The child processes of `pid` (the service's worker processes), from /proc; [] once it is gone."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def maps_mention(pid: int, *needles: str) -> list[str]:
    """Which of `needles` appear in the paths mapped into `pid` (shared libraries of loaded modules)."""
    try:
        text = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return []
    return [needle for needle in needles if f"{os.sep}{needle}{os.sep}" in text]
