"""A Kafka client whose stop is abandoned at a shutdown deadline still closes its connections.

The broker stops answering (its process paused) while the clients stop: the consumer's group coordination
(its join under way) and the producer's last delivery wait for answers that do not come, and each stop is
cancelled at its deadline, as the service's shutdown steps are (`shutdown_step_abandoned`).
Before, aiokafka had marked the client closed as its stop began and nothing closed its connections after
the cancellation: they stayed open until the event loop was gone, and a garbage collection in some later
test met the sockets (ResourceWarnings failing that test, at random). The test counts this process's
sockets to the broker, so it fails whether or not a collection runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator, Callable, Iterator, Set
from contextlib import asynccontextmanager, contextmanager

import pytest

from consumer.broker import LocalBroker
from consumer.envelope import OutboundRecord
from consumer.kafka import KafkaSink, KafkaSource
from consumer.ports import Partition
from consumer.settings import Settings
from tests.integration.kafka_tools import open_connections

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(90)]


@asynccontextmanager
async def own_broker() -> AsyncIterator[LocalBroker]:
    """A broker of this test's own: pausing the session's broker would hold every other client."""
    broker = await asyncio.to_thread(LocalBroker().start)
    try:
        yield broker
    finally:
        await asyncio.to_thread(broker.stop)


@contextmanager
def paused(broker: LocalBroker) -> Iterator[None]:
    """The broker process stopped (SIGSTOP): connections stay up, no request gets an answer."""
    pid = broker.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


class Assignments:
    """A rebalance listener that only remembers what the group handed over."""

    def __init__(self) -> None:
        self.partitions: set[Partition] = set()

    async def on_revoked(self, partitions: Set[Partition]) -> None:
        self.partitions -= partitions

    async def on_assigned(self, partitions: Set[Partition]) -> None:
        self.partitions |= partitions


async def test_a_consumer_and_a_producer_whose_stop_is_abandoned_leave_no_connection_open(
    make_settings: Callable[..., Settings],
) -> None:
    async with own_broker() as broker:
        settings = make_settings(bootstrap_servers=broker.bootstrap_servers)
        await broker.create_topics([settings.input_topic, settings.output_topic], 1)
        sink = KafkaSink(settings)
        await sink.start()
        await (await sink.send(OutboundRecord(settings.output_topic, b"k", b"first")))  # metadata known
        source = KafkaSource(settings)
        await source.start(Assignments())  # joins the group in the background
        assert open_connections(broker.port), "the clients are connected"

        with paused(broker):
            await sink.send(OutboundRecord(settings.output_topic, b"k", b"never acknowledged"))
            with pytest.raises(TimeoutError):  # its group coordination waits for the broker's answer
                await asyncio.wait_for(source.stop(), 1.0)
            # its last record is not acknowledged, so its stop waits and is abandoned at the deadline; one
            # fresh-clone CI run (1 in ~30 runs seen) had the producer's stop return within the second all
            # the same, cause not found: either way its connections must be closed, which is what is asserted
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sink.stop(), 1.0)
            left = open_connections(broker.port)
    assert left == [], "an abandoned stop must still close the client's connections"
