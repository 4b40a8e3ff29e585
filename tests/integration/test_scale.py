"""Scale-out and clean bounces: N instances divide the partitions; joins, leaves and SIGTERM lose nothing
and repeat nothing (Kafka's consumer system test: a clean bounce neither loses nor duplicates)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from consumer.broker import LocalBroker
from consumer.settings import Settings
from tests.integration.conftest import Handle
from tests.integration.kafka_tools import wait_for_commits
from tests.integration.processes import (
    account_run,
    crash_settings,
    current_assignment,
    ends_of,
    feed,
    fleet,
    mixed_inputs,
    overlaps,
    ownership,
    owns_partitions,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(180)]

PARTITIONS = 6


async def until(condition: Callable[[], bool], within_s: float, what: str) -> None:
    for _ in range(int(within_s / 0.2)):
        if condition():
            return
        await asyncio.sleep(0.2)
    raise TimeoutError(what)


async def test_three_instances_split_partitions_and_joins_leaves_and_sigterm_lose_and_repeat_nothing(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], handler: Handle, tmp_path: Path
) -> None:
    settings = crash_settings(make_settings)
    bootstrap, topic = local_broker.bootstrap_servers, settings.input_topic
    await local_broker.create_topics([topic, settings.output_topic, settings.dlq_topic], PARTITIONS)
    values = mixed_inputs(6000)
    feeding = asyncio.create_task(feed(bootstrap, topic, values, chunks=12, pause_s=1.5))
    started = time.monotonic()
    timings: dict[str, float] = {}

    with fleet(settings, tmp_path, 3) as instances:
        first, second, third = instances
        first.start()
        await owns_partitions(first)
        second.start()  # join
        third.start()  # join
        await until(lambda: all(len(current_assignment(i)) == 2 for i in instances), 40, "3 x 2 partitions")
        split = [current_assignment(i) for i in instances]
        assert set().union(*split) == set(range(PARTITIONS)), split
        assert sum(map(len, split)) == PARTITIONS, f"no partition held twice: {split}"

        code, took = await second.terminate()  # leave (SIGTERM bounce, part 1)
        assert code == 0, second.tail()
        assert took < 10
        timings["sigterm_exit_s"] = round(took, 2)
        await until(
            lambda: sorted(len(current_assignment(i)) for i in (first, third)) == [3, 3],
            40,
            "2 x 3 partitions",
        )
        second.start()  # rejoin (SIGTERM bounce, part 2)
        await owns_partitions(second)
        placed = await feeding
        ends = ends_of(placed)
        await wait_for_commits(bootstrap, settings.group_id, topic, ends, timeout_s=90)
        timings["all_committed_s"] = round(time.monotonic() - started, 1)
        for instance in instances:
            code, _ = await instance.terminate()
            assert code == 0, instance.tail()
        logs = [line for instance in instances for line in instance.lines()]
        spans = [span for instance in instances for span in ownership(instance)]

    assert overlaps(spans) == [], "a partition moves only after its previous owner released it"
    ledger = await account_run(bootstrap, settings, placed, values, handler, partitions=PARTITIONS, logs=logs)
    print(
        "\nSCALE REPORT",
        orjson.dumps({**timings, "accounting": ledger.describe(), "spans": len(spans)}).decode(),
    )
    assert ledger.lost == []
    assert ledger.duplicates == 0, ledger.describe()
