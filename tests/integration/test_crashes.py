"""kill -9, SIGSTOP and restarts of `summit-consumer run` instances sharing a group: nothing is lost.

The reference is Kafka's own consumer system test: a hard kill may duplicate, never lose.
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from consumer.broker import LocalBroker
from consumer.settings import Settings
from tests.integration.conftest import Handle
from tests.integration.kafka_tools import committed, wait_for_commits
from tests.integration.processes import (
    MAX_IN_FLIGHT,
    account_run,
    crash_settings,
    ends_of,
    feed,
    fleet,
    mixed_inputs,
    owns_partitions,
    works,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(240)]

PARTITIONS = 4


async def test_kill_9_of_two_instances_loses_nothing_and_duplicates_at_most_in_flight(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], handler: Handle, tmp_path: Path
) -> None:
    """10 000 articles fed live over 4 partitions to 2 instances: a stale member, then 3 kill -9s."""
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    settings = crash_settings(make_settings)
    bootstrap, topic = local_broker.bootstrap_servers, settings.input_topic
    await local_broker.create_topics([topic, settings.output_topic, settings.dlq_topic], PARTITIONS)
    values = mixed_inputs(10_000)
    feeding = asyncio.create_task(feed(bootstrap, topic, values, chunks=10, pause_s=2.0))
    started = time.monotonic()
    kills: list[tuple[float, str, int]] = []

    async def progress() -> int:
        return sum((await committed(bootstrap, settings.group_id, topic, PARTITIONS)).values())

    with fleet(settings, tmp_path, 2) as instances:
        for instance in instances:
            instance.start()
        for instance in instances:
            await owns_partitions(instance)
        # a stale member: frozen past its session while it holds partitions and works on them (so it has
        # something to commit when it wakes up), then it wakes up and commits
        stale = instances[0]
        await works(stale)
        stale.signal(signal.SIGSTOP)
        await asyncio.sleep(settings.session_timeout_ms / 1000 + 2)
        stale.signal(signal.SIGCONT)
        for _ in range(3):
            await asyncio.sleep(rng.uniform(1.0, 3.0))
            victim = rng.choice(instances)
            done = await progress()
            victim.kill()
            kills.append((round(time.monotonic() - started, 1), victim.name, done))
            await asyncio.sleep(rng.uniform(0.0, 1.0))
            victim.start()
        placed = await feeding
        ends = ends_of(placed)
        await wait_for_commits(bootstrap, settings.group_id, topic, ends, timeout_s=150)
        drained = round(time.monotonic() - started, 1)
        for instance in instances:
            await owns_partitions(instance)  # restarted and in the group: SIGTERM finds its handlers
        for instance in instances:
            code, _ = await instance.terminate()
            assert code == 0, instance.tail()
        logs = [line for instance in instances for line in instance.lines()]

    ledger = await account_run(bootstrap, settings, placed, values, handler, partitions=PARTITIONS, logs=logs)
    rejected = sum(1 for line in logs if line.get("event") == "commit_rejected")
    total = sum(ends.values())
    report = {
        "seed": seed,
        "inputs": total,
        "kills (s, instance, committed before)": kills,
        "all committed after s": drained,
        "lost": len(ledger.lost),
        "duplicates": ledger.duplicates,
        "duplicate bound": (len(kills) + 1) * MAX_IN_FLIGHT,
        "stale commits rejected": rejected,
        "outcomes": dict(ledger.outcomes),
    }
    print("\nCRASH REPORT", orjson.dumps(report).decode())
    assert ledger.lost == [], f"lost {ledger.lost[:20]} ({report})"
    assert ledger.duplicates <= (len(kills) + 1) * MAX_IN_FLIGHT, report
    assert all(done < total for _, _, done in kills), f"every kill hit a running stream {report}"
    assert rejected >= 1, f"the stale member's late commit is refused by the group {report}"
