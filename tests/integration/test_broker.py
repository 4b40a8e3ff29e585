"""LocalBroker: the Tansu process the demo, the tests and the benchmarks start."""

from __future__ import annotations

import pytest

from consumer.broker import LocalBroker

pytestmark = [pytest.mark.integration, pytest.mark.timeout(30)]


def test_local_broker_works_as_a_sync_context_manager() -> None:
    """The demo and benchmarks use it without an event loop; it is gone after the block."""
    with LocalBroker() as broker:
        assert broker.running
        broker.create_topics_sync(["sync-a", "sync-b"], partitions=2)
        broker.create_topics_sync(["sync-a"], partitions=2)  # existing topics are left alone
    assert not broker.running
