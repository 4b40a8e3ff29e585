"""The broker goes away and comes back: the service neither crashes nor spins, is not ready meanwhile,
and resumes by itself. The local broker keeps data in memory only, so the test recreates the topics."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from consumer.broker import LocalBroker, free_port
from consumer.settings import Settings
from schemas import RawArticle
from tests.integration.conftest import Handle
from tests.integration.inputs import good_articles, non_summit_articles
from tests.integration.kafka_tools import produce, read_all, wait_for_commits
from tests.integration.processes import Instance, readyz

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(150)]


async def status_becomes(port: int, status: int, within_s: float) -> float:
    """Seconds until /readyz answers `status`; fails after `within_s`."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while loop.time() - started < within_s:
        if await asyncio.to_thread(readyz, port) == status:
            return loop.time() - started
        await asyncio.sleep(0.2)
    raise AssertionError(f"/readyz did not answer {status} within {within_s}s")


async def test_broker_outage_makes_the_service_unready_without_crashing_or_spinning_then_it_resumes(
    make_settings: Callable[..., Settings], handler: Handle, tmp_path: Path
) -> None:
    broker = await asyncio.to_thread(LocalBroker().start)
    port = free_port()
    settings = make_settings(
        bootstrap_servers=broker.bootstrap_servers,
        metrics_port=port,
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
    )
    topics = [settings.input_topic, settings.output_topic, settings.dlq_topic]
    bootstrap, topic = broker.bootstrap_servers, settings.input_topic
    instance = Instance("outage", settings, tmp_path / "outage.log")
    try:
        await broker.create_topics(topics, 3)
        before = good_articles(100, "before") + non_summit_articles(50, "quiet")
        _, ends = await produce(bootstrap, topic, [(None, v) for v in before])
        instance.start()
        await wait_for_commits(bootstrap, settings.group_id, topic, ends, timeout_s=45)
        await status_becomes(port, 200, 15)

        await asyncio.to_thread(broker.stop)
        unready_after = await status_becomes(port, 503, 15)
        cpu_before = instance.cpu_seconds()
        await asyncio.sleep(5.0)
        cpu_share = (instance.cpu_seconds() - cpu_before) / 5.0
        assert instance.running, instance.tail()
        assert cpu_share < 0.25, f"spinning while the broker is away: {cpu_share:.0%} of a core"

        await asyncio.to_thread(broker.start)  # same port, empty: memory storage
        await broker.create_topics(topics, 3)
        after = good_articles(60, "after") + non_summit_articles(20, "later")
        _, ends = await produce(bootstrap, topic, [(None, v) for v in after])
        await wait_for_commits(bootstrap, settings.group_id, topic, ends, timeout_s=60)
        ready_after = await status_becomes(port, 200, 20)
        code, _ = await instance.terminate()
        assert code == 0, instance.tail()
        events = [orjson.loads(r.value or b"") for r in await read_all(bootstrap, settings.output_topic)]
    finally:
        if instance.running:
            instance.kill()
        await asyncio.to_thread(broker.stop)

    expected = [e.event_id for v in after for e in handler(RawArticle.model_validate(orjson.loads(v)))]
    assert sorted(e["event_id"] for e in events) == sorted(expected), "every article after the outage"
    print(
        "\nOUTAGE REPORT",
        orjson.dumps(
            {"unready_after_s": round(unready_after, 1), "cpu_share_while_down": round(cpu_share, 3),
             "ready_again_after_s": round(ready_after, 1)}
        ).decode(),
    )  # fmt: skip
