"""The runtime's ports: messages come from a `Source`, are handled by a `Handling`, go to a `Sink`; Kafka,
worker processes and test fakes implement them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Protocol

from consumer.envelope import EncodedEvent, Envelope, OutboundRecord
from consumer.errors import HandlerError
from schemas import RawArticle


@dataclass(frozen=True, slots=True, order=True)
class Partition:
    """One partition of one topic."""

    topic: str
    partition: int


@dataclass(frozen=True, slots=True)
class Ack:
    """The broker's acknowledgement of one produced record (acks=all)."""

    topic: str
    partition: int
    offset: int


class RebalanceListener(Protocol):
    """Told by a Source when the group takes partitions away or hands them over."""

    async def on_revoked(self, partitions: Set[Partition]) -> None: ...
    async def on_assigned(self, partitions: Set[Partition]) -> None: ...


class Source(Protocol):
    """Messages in, offsets committed. Errors are `consumer.errors.BrokerError`s."""

    async def start(self, listener: RebalanceListener) -> None: ...

    async def fetch(self, *, max_records: int, timeout_s: float) -> Sequence[Envelope]:
        """Up to `max_records` envelopes, in offset order per partition; [] after `timeout_s` without any."""
        ...

    async def commit(self, offsets: Mapping[Partition, int]) -> None:
        """Commit, per partition, the offset of the next message to read."""
        ...

    async def lag(self) -> Mapping[Partition, int]:
        """Per assigned partition: the last fetch's high watermark minus the position (not fetched yet)."""
        ...

    async def probe(self) -> None:
        """One round trip to the broker; raises TransientBrokerError when it does not answer."""
        ...

    async def stop(self) -> None: ...


class Sink(Protocol):
    """Records out. Errors are `consumer.errors.BrokerError`s, raised by `send` or by the awaited ack."""

    async def start(self) -> None: ...

    async def send(self, record: OutboundRecord) -> Awaitable[Ack]:
        """Enqueue `record`; the returned awaitable resolves once the broker acknowledged it."""
        ...

    async def stop(self) -> None: ...


Handled = tuple[EncodedEvent, ...]  # what the handlers made of one article: its events, encoded
HandledOrFailed = Handled | HandlerError  # one article's outcome: its events, or why the handler failed


class Handling(Protocol):
    """Where articles are handled, a batch at a time. A handler's failure on one article is that article's
    outcome (a `consumer.errors.HandlerError`), never an exception of the batch."""

    async def start(self) -> None:
        """Ready to take articles (the handlers are built and warmed up); StartupError if they cannot be."""
        ...

    def submit(self, articles: Sequence[RawArticle]) -> asyncio.Future[list[HandledOrFailed]]:
        """Handle `articles`; the future resolves, once every one is handled, with their outcomes in order
        (cancelled: the handling stopped). The implementation observes `summit_handler_seconds`."""
        ...

    def room(self) -> int:
        """How many more articles may be submitted before the ones waiting are taken up."""
        ...

    def ready(self) -> bool:
        """Whether an article submitted now can be handled (some handler is up)."""
        ...

    async def stop(self) -> None: ...
