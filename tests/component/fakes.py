"""In-process fakes behind the runtime's ports (`Source`, `Sink`), and a deterministic stand-in handler."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence, Set

import orjson

from consumer.envelope import Envelope, OutboundRecord
from consumer.errors import BrokerError, CommitRejectedError, TransientBrokerError
from consumer.ports import Ack, Partition, RebalanceListener
from schemas import ArticleRef, RawArticle, RegionalSummit, Summit

INPUT = "in"
OUTPUT = "out"
DLQ = "in.dlq"


def standin_handler(article: RawArticle) -> list[RegionalSummit]:
    """Stand-in for `handlers.pipeline.Pipeline.process`: one event when the body says "summit", else none.

    Raises ValueError when the body says "explode" (a handler bug).
    """
    if "explode" in article.body:
        raise ValueError("stand-in handler exploded")
    if "summit" not in article.body.lower():
        return []
    digest = hashlib.sha256(article.id.encode()).hexdigest()[:16]
    return [
        RegionalSummit(
            event_id=f"evt-{digest}",
            summit_key=f"key-{article.id}",
            article=ArticleRef(id=article.id, url=article.url, language=article.language),
            summit=Summit(name="Summit", scope="regional", status="held"),
            participants=[],
            participant_countries=[],
            officials=[],
            documents=[],
            confidence=0.5,
            pipeline_version="standin-1",
        )
    ]


def standin_factory() -> Callable[[RawArticle], list[RegionalSummit]]:
    """Builds the stand-in handler in a worker process; its articles may also ask the worker to misbehave:
    "spin <seconds>" keeps a core busy, "die" ends the process (as the kernel's OOM killer would)."""
    return _misbehaving


def _misbehaving(article: RawArticle) -> list[RegionalSummit]:
    if article.body.startswith("spin "):
        until = time.monotonic() + float(article.body.split()[1])
        while time.monotonic() < until:
            pass
    if article.body == "die":
        os._exit(3)
    return standin_handler(article)


def broken_factory() -> Callable[[RawArticle], list[RegionalSummit]]:
    """A handler that cannot be built (the knowledge base missing, say)."""
    raise RuntimeError("no knowledge base")


def article_bytes(article_id: str, body: str) -> bytes:
    return orjson.dumps({"id": article_id, "body": body, "url": f"https://example.test/{article_id}"})


def envelope(offset: int, value: bytes | None, *, partition: int = 0, key: bytes | None = b"k") -> Envelope:
    return Envelope(INPUT, partition, offset, key, value, (), 1_700_000_000_000 + offset)


class FakeSource:
    """Serves queued envelopes; records commits; lets a test revoke partitions."""

    def __init__(self, envelopes: Iterable[Envelope] = (), partitions: Iterable[int] = (0,)) -> None:
        self.queue: list[Envelope] = list(envelopes)
        self.partitions = {Partition(INPUT, p) for p in partitions}
        self.commits: list[dict[Partition, int]] = []
        self.committed: dict[Partition, int] = {}
        self.listener: RebalanceListener | None = None
        self.fetched = 0
        self.stopped = False
        self.reachable = True
        self.reject_commits = False
        self.highwater: dict[Partition, int] = {}  # what the broker would report; absent = not fetched yet
        self.position: dict[Partition, int] = {}

    async def start(self, listener: RebalanceListener) -> None:
        self.listener = listener
        await listener.on_assigned(set(self.partitions))

    async def fetch(self, *, max_records: int, timeout_s: float) -> Sequence[Envelope]:
        if not self.queue:
            await asyncio.sleep(min(timeout_s, 0.01))
            return []
        batch, self.queue = self.queue[:max_records], self.queue[max_records:]
        self.fetched += len(batch)
        for e in batch:
            self.position[Partition(e.topic, e.partition)] = e.offset + 1
        return batch

    async def commit(self, offsets: Mapping[Partition, int]) -> None:
        if self.reject_commits:
            raise CommitRejectedError("stale generation", operation="commit")
        self.commits.append(dict(offsets))
        self.committed.update(offsets)

    async def lag(self) -> dict[Partition, int]:
        """High watermark minus the position (the offset after the last one fetched)."""
        return {p: highwater - self.position.get(p, 0) for p, highwater in self.highwater.items()}

    async def probe(self) -> None:
        if not self.reachable:
            raise TransientBrokerError("broker down", operation="probe")

    async def stop(self) -> None:
        self.stopped = True

    async def revoke(self, partitions: Set[Partition]) -> None:
        assert self.listener is not None
        await self.listener.on_revoked(partitions)


RecordTest = Callable[[OutboundRecord], bool]


class FakeSink:
    """Acknowledges records at once, unless a test holds, fails or rejects the ones it picks."""

    def __init__(self) -> None:
        self.acked: list[OutboundRecord] = []
        self.sent = 0
        self.pending = 0
        self.max_pending = 0
        self._holds: list[tuple[RecordTest, asyncio.Event]] = []
        self._failures: list[tuple[RecordTest, BrokerError, int]] = []

    def hold(self, test: RecordTest) -> asyncio.Event:
        """Delay the acks of matching records until the returned event is set."""
        release = asyncio.Event()
        self._holds.append((test, release))
        return release

    def fail(self, test: RecordTest, error: BrokerError, times: int = 1_000_000) -> None:
        """Fail the acks of the next `times` matching records with `error`."""
        self._failures.append((test, error, times))

    async def start(self) -> None:
        pass

    async def send(self, record: OutboundRecord) -> Awaitable[Ack]:
        self.sent += 1
        return asyncio.ensure_future(self._ack(record))

    async def _ack(self, record: OutboundRecord) -> Ack:
        self.pending += 1
        self.max_pending = max(self.max_pending, self.pending)
        try:
            for test, release in self._holds:
                if test(record):
                    await release.wait()
            for index, (test, error, times) in enumerate(self._failures):
                if times > 0 and test(record):
                    self._failures[index] = (test, error, times - 1)
                    raise error
            self.acked.append(record)
            return Ack(record.topic, 0, len(self.acked) - 1)
        finally:
            self.pending -= 1

    async def stop(self) -> None:
        pass

    def on(self, topic: str) -> list[OutboundRecord]:
        return [record for record in self.acked if record.topic == topic]
