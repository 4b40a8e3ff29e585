"""Shared fixtures: a real local Kafka-compatible broker (started on first use) and service settings."""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from consumer.broker import LocalBroker
from consumer.settings import Settings
from handlers.pipeline import Pipeline
from tests.pipelines import built_pipeline


@pytest.fixture(autouse=True)
def collect_garbage_after_broker_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test that talks to a broker, a full garbage collection: a Kafka client, connection or socket
    the test (or the service it ran) left open is collected here, and pytest's check of unraisable
    exceptions right after the teardown fails THIS test with the ResourceWarnings (filterwarnings =
    error). Without it such a leak surfaced wherever a later collection happened to run: in another test,
    at random. Autouse, so set up before and torn down after the test's event loop (closed by then)."""
    yield
    if request.node.get_closest_marker("integration") is not None or "local_broker" in request.fixturenames:
        gc.collect()


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The real handler pipeline, built once for the session (a test module may define its own)."""
    return built_pipeline()


@pytest.fixture(scope="session")
def local_broker() -> Iterator[LocalBroker]:
    """One Tansu broker (memory storage) on a free loopback port for the whole session."""
    with LocalBroker() as broker:
        yield broker


@pytest.fixture
def unique_topics() -> dict[str, str]:
    """Input, output and dead-letter topic names no other test uses."""
    suffix = uuid.uuid4().hex[:8]
    return {
        "input_topic": f"it-{suffix}.raw",
        "output_topic": f"it-{suffix}.summits",
        "dlq_topic": f"it-{suffix}.raw.dlq",
        "group_id": f"it-{suffix}",
    }


@pytest.fixture
def make_settings(local_broker: LocalBroker, unique_topics: dict[str, str]) -> Callable[..., Settings]:
    """Settings for the local broker: this test's topics, small group timeouts, no metrics port."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "bootstrap_servers": local_broker.bootstrap_servers,
            "metrics_port": 0,
            "session_timeout_ms": 3000,  # the local broker holds a group join for half of it
            "heartbeat_interval_ms": 500,
            "commit_interval_ms": 200,
            "shutdown_timeout_s": 5,
            **unique_topics,
            **overrides,
        }
        return Settings(**values)

    return make
