"""A backlog of 100 000 articles waiting: the service's memory stays bounded (bounded prefetch and
in-flight), it does not read the backlog into memory."""

from __future__ import annotations

import asyncio
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from consumer.broker import LocalBroker, free_port
from consumer.settings import Settings
from tests.integration.kafka_tools import produce, wait_for_first_commit
from tests.integration.processes import Instance

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(180)]

BACKLOG = 100_000
FILLER = "Markets were calm and the weather stayed mild across the region. " * 15  # ~1 KB


def metric(port: int, name: str) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
        match = re.search(rf"^{name} (\S+)$", response.read().decode(), re.MULTILINE)
    assert match, name
    return float(match.group(1))


async def test_memory_stays_bounded_with_a_backlog_of_100000_articles(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    port = free_port()
    settings = make_settings(metrics_port=port, max_in_flight=256)
    bootstrap, topic = local_broker.bootstrap_servers, settings.input_topic
    await local_broker.create_topics([topic, settings.output_topic, settings.dlq_topic], 4)
    articles = [orjson.dumps({"id": f"m{i}", "body": f"{FILLER} {i}"}) for i in range(BACKLOG)]
    await produce(bootstrap, topic, [(None, v) for v in articles])
    backlog_mb = sum(map(len, articles)) / 2**20

    instance = Instance("memory", settings, tmp_path / "memory.log").start()
    try:
        await wait_for_first_commit(bootstrap, settings.group_id, topic, timeout_s=45)
        # sampled while the backlog is still waiting (up to 10 s: a fast instance may drain it sooner)
        samples, uncommitted, consumed = [], [], 0.0
        for _ in range(40):
            await asyncio.sleep(0.25)
            rss = instance.rss_mb()
            waiting = await asyncio.to_thread(metric, port, "summit_uncommitted")
            consumed = await asyncio.to_thread(metric, port, "summit_messages_consumed_total")
            if consumed >= BACKLOG:
                break
            samples.append(rss)
            uncommitted.append(waiting)
        code, _ = await instance.terminate()
        assert code == 0, instance.tail()
    finally:
        if instance.running:
            instance.kill()
    assert len(samples) >= 4, f"memory is measured while the backlog is still waiting ({consumed} consumed)"
    growth = max(samples) - samples[0]
    report = {
        "backlog_mb": round(backlog_mb),
        "rss_first_mb": round(samples[0]),
        "rss_max_mb": round(max(samples)),
        "growth_mb": round(growth, 1),
        "max_uncommitted": max(uncommitted),
        "consumed": consumed,
        "samples": len(samples),
    }
    print("\nMEMORY REPORT", orjson.dumps(report).decode())
    assert max(uncommitted) <= settings.max_in_flight
    assert growth < 40, f"RSS grew {growth:.0f} MB with a {backlog_mb:.0f} MB backlog waiting"
