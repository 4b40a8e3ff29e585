"""The summit table stage (`summit-consumer table`) on the real local broker: kill -9 while it folds,
restarts and rebalances of two instances, then a replay of the whole events topic.

The end state must be exactly `summit-consumer merge` over the same events: the latest record of every key
on the table topic, byte for byte. (The local broker keeps every record of a compacted topic: reading the
topic back and keeping the latest record per key is what a compacted topic guarantees, compacted or not.)
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from consumer.broker import LocalBroker, free_port
from consumer.changelog import prepare_table_topics
from consumer.errors import MissingTopicsError, StartupError
from consumer.settings import Settings
from consumer.table_settings import TableSettings
from handlers.merge import merge, record_bytes
from schemas import RegionalSummit
from tests.integration.kafka_tools import Record, committed, produce, read_all, wait_for_commits
from tests.integration.processes import Instance, ends_of, fleet, owns_partitions, readyz
from tests.strategies import DOCUMENTS, HOSTS, LANGUAGES, LEADERS, VENUES, summit_event

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(240)]

PARTITIONS = 4
MEETINGS = 400
EVENTS = 5_000


def table_events(seed: int) -> list[RegionalSummit]:
    """EVENTS events of MEETINGS meetings in three languages, agreeing and disagreeing; 4 % sent twice."""
    rng = random.Random(seed)
    events = []
    for article in range(EVENTS):
        meeting = rng.randrange(1, MEETINGS + 1)
        events.append(
            summit_event(
                summit_id=f"{rng.choice(['sco', 'gcc', 'c5-consultative'])}:{meeting}"
                if meeting % 7 == 0
                else f"cis:~2026-{1 + meeting % 12:02d}-{meeting}",
                article=article,
                language=rng.choice(LANGUAGES),
                host=rng.choice(HOSTS),
                published=rng.choice([None, "2025-10-09", "2025-10-10", "2025-10-10T08:30:00+03:00"]),
                ordinal=rng.choice([None, meeting, meeting + 1]),
                start_date=rng.choice([None, "2025-10-10", "2025-10-11", "2025-10"]),
                venue=rng.choice([None, *range(len(VENUES))]),
                status=rng.choice(["held", "ongoing", "upcoming"]),
                leaders=rng.sample(range(len(LEADERS)), k=rng.randint(0, 3)),
                guests=[rng.random() < 0.2 for _ in range(3)],
                documents=rng.sample(range(len(DOCUMENTS)), k=rng.randint(0, 2)),
                confidence=rng.choice([0.55, 0.7, 0.85, 0.97]),
            )
        )
    return events + rng.sample(events, k=EVENTS // 25)


def metrics_text(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
        return str(response.read().decode())


def latest_per_key(records: list[Record]) -> dict[bytes, bytes]:
    table: dict[bytes, bytes] = {}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        table[record.key or b""] = record.value or b""
    return table


def table_env(settings: Settings) -> dict[str, str]:
    base = settings.output_topic
    return {
        "SUMMIT_TABLE_TOPIC": f"{base}.table",
        "SUMMIT_TABLE_CHANGELOG_TOPIC": f"{base}.table-changelog",
        "SUMMIT_TABLE_DLQ_TOPIC": f"{base}.table-dlq",
        "SUMMIT_TABLE_GROUP_ID": f"{settings.group_id}-table",
        "SUMMIT_TABLE_METRICS_PORT": "0",
    }


async def feed_events(
    bootstrap: str, topic: str, values: list[tuple[bytes, bytes]], chunks: int
) -> list[tuple[int, int]]:
    placed: list[tuple[int, int]] = []
    size = -(-len(values) // chunks)
    for start in range(0, len(values), size):
        where, _ = await produce(bootstrap, topic, values[start : start + size])
        placed += where
        await asyncio.sleep(1.0)
    return placed


async def stop_all(instances: list[Instance]) -> None:
    for instance in instances:
        if instance.running:
            code, _ = await instance.terminate()
            assert code == 0, instance.tail()


async def test_two_table_instances_killed_three_times_end_with_exactly_merge_and_a_replay_changes_nothing(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    settings = make_settings(
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        commit_interval_ms=200,
        max_in_flight=64,
        shutdown_timeout_s=5,
    )
    env = table_env(settings)
    bootstrap, events_topic, group = (
        local_broker.bootstrap_servers,
        settings.output_topic,
        env["SUMMIT_TABLE_GROUP_ID"],
    )
    table_topic = env["SUMMIT_TABLE_TOPIC"]
    await local_broker.create_topics([events_topic, env["SUMMIT_TABLE_CHANGELOG_TOPIC"]], PARTITIONS)
    await local_broker.create_topics([settings.input_topic, table_topic, env["SUMMIT_TABLE_DLQ_TOPIC"]], 3)
    events = table_events(seed)
    values = [((e.summit_id or "").encode(), orjson.dumps(e.model_dump(mode="json"))) for e in events]
    values[1234:1234] = [(b"poison", b"not an event")]
    feeding = asyncio.create_task(feed_events(bootstrap, events_topic, values, chunks=12))
    started = time.monotonic()
    kills: list[tuple[float, str, int]] = []

    async def progress() -> int:
        return sum((await committed(bootstrap, group, events_topic, PARTITIONS)).values())

    with fleet(settings, tmp_path, 2, command="table", env=env) as instances:
        for instance in instances:
            instance.start()
        for instance in instances:
            await owns_partitions(instance)
        for _ in range(3):
            await asyncio.sleep(rng.uniform(0.5, 2.0))
            victim = rng.choice(instances)
            kills.append((round(time.monotonic() - started, 1), victim.name, await progress()))
            victim.kill()
            await asyncio.sleep(rng.uniform(0.0, 1.0))
            victim.start()
        placed = await feeding
        ends = ends_of(placed)
        await wait_for_commits(bootstrap, group, events_topic, ends, timeout_s=150)
        folded_after = round(time.monotonic() - started, 1)
        for instance in instances:
            await owns_partitions(instance)
        await stop_all(instances)

        written = await read_all(bootstrap, table_topic, partitions=3, timeout_s=30)
        table = latest_per_key(written)
        expected = {r.summit_id.encode(): record_bytes(r) for r in merge(events)}
        report = {
            "seed": seed,
            "events": len(values),
            "meetings": len(expected),
            "kills (s, instance, committed before)": kills,
            "all committed after s": folded_after,
            "records written": len(written),
        }
        print("\nTABLE REPORT", orjson.dumps(report).decode())
        assert all(done < len(values) for _, _, done in kills), f"every kill hit a running stream {report}"
        restored = [line for i in instances for line in i.lines() if line.get("event") == "state_restored"]
        assert any(int(str(line["entries"])) > 0 for line in restored), "restarts read their state back"
        assert table.keys() == expected.keys(), report
        assert [k for k in expected if table[k] != expected[k]] == [], f"the table must equal merge {report}"
        letters = await read_all(bootstrap, env["SUMMIT_TABLE_DLQ_TOPIC"], partitions=3)
        assert [r.value for r in letters] == [b"not an event"], "the poison once, dead-lettered"

    # a replay of the whole events topic (a new group reads it from the start, on the same table and
    # changelog: README "Upgrades"): every event again, and nothing changes
    replay_env = {**env, "SUMMIT_TABLE_GROUP_ID": f"{group}-replay"}
    (tmp_path / "replay").mkdir()
    with fleet(settings, tmp_path / "replay", 1, command="table", env=replay_env) as [replayer]:
        replayer.start()
        await wait_for_commits(bootstrap, f"{group}-replay", events_topic, ends, timeout_s=90)
        await stop_all([replayer])
    replayed = await read_all(bootstrap, table_topic, partitions=3, timeout_s=30)
    assert len(replayed) == len(written), "a replay writes no record"
    assert latest_per_key(replayed) == table
    outcomes = {line.get("outcome") for line in replayer.lines() if line.get("event") == "message"}
    assert outcomes == {"duplicate", "dead_letter"}, "every replayed event was one the restored state held"


async def test_sigterm_during_start_up_stops_run_and_table_with_exit_0_at_once(tmp_path: Path) -> None:
    """A broker that accepts connections and never answers holds the start-up; SIGTERM ends it at once."""
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    bootstrap = f"127.0.0.1:{silent.getsockname()[1]}"
    try:
        for command in ("run", "table"):
            instance = Instance(
                command,
                Settings(bootstrap_servers=bootstrap, metrics_port=0),
                tmp_path / f"{command}.log",
                command,
                {"SUMMIT_TABLE_METRICS_PORT": "0"},
            ).start()
            for _ in range(100):
                if any(line.get("event") == "service_starting" for line in instance.lines()):
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)  # inside the topic checks, waiting for the broker
            assert instance.running, instance.tail()
            code, took = await instance.terminate(within_s=5)
            assert (code, took < 3.0) == (0, True), instance.tail()
            assert any(line.get("event") == "stopped_during_start_up" for line in instance.lines())
    finally:
        silent.close()


async def test_a_record_larger_than_any_fetch_size_is_dead_lettered_and_the_stream_flows(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    """9 MiB: over SUMMIT_MAX_MESSAGE_BYTES, the partition fetch size and the fetch buffer alike."""
    settings = make_settings(max_in_flight=16)
    bootstrap = local_broker.bootstrap_servers
    await local_broker.create_topics([settings.input_topic, settings.output_topic, settings.dlq_topic], 1)
    items = [
        (None, orjson.dumps({"id": "before", "body": "weather"})),
        (b"huge", b'{"id": "huge", "body": "' + b"x" * (9 * 1024 * 1024) + b'"}'),
        (None, orjson.dumps({"id": "after", "body": "weather"})),
    ]
    _, ends = await produce(bootstrap, settings.input_topic, items, max_request_size=12 * 1024 * 1024)
    with fleet(settings, tmp_path, 1) as [instance]:
        instance.start()
        await wait_for_commits(bootstrap, settings.group_id, settings.input_topic, ends, timeout_s=45)
        await stop_all([instance])
    [letter] = await read_all(bootstrap, settings.dlq_topic, partitions=1)
    headers = dict(letter.headers)
    assert (letter.key, letter.value, headers["error.stage"]) == (b"huge", None, b"decode")
    assert b"over the" in headers["error.message"]
    assert signal.SIGTERM  # the instance above stopped by SIGTERM with exit 0 (stop_all)


async def test_the_table_stage_serves_health_and_metrics_like_run(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    port = free_port()
    settings = make_settings()
    env = {**table_env(settings), "SUMMIT_TABLE_METRICS_PORT": str(port)}
    bootstrap, events_topic, group = (
        local_broker.bootstrap_servers,
        settings.output_topic,
        env["SUMMIT_TABLE_GROUP_ID"],
    )
    await local_broker.create_topics([events_topic, env["SUMMIT_TABLE_CHANGELOG_TOPIC"]], 2)
    await local_broker.create_topics(
        [settings.input_topic, env["SUMMIT_TABLE_TOPIC"], env["SUMMIT_TABLE_DLQ_TOPIC"]], 2
    )
    events = table_events(7)[:60]
    _, ends = await produce(
        bootstrap,
        events_topic,
        [((e.summit_id or "").encode(), orjson.dumps(e.model_dump(mode="json"))) for e in events],
    )
    with fleet(settings, tmp_path, 1, command="table", env=env) as [instance]:
        instance.start()
        await wait_for_commits(bootstrap, group, events_topic, ends, timeout_s=45)
        assert await asyncio.to_thread(readyz, port) == 200
        text = await asyncio.to_thread(metrics_text, port)
        meetings = len({e.summit_id for e in events})
        assert f"summit_table_events_applied_total {float(len(events))}" in text
        assert f"summit_table_summits {float(meetings)}" in text
        assert "summit_table_records_published_total" in text
        code, took = await instance.terminate()
        assert code == 0, instance.tail()
        assert took < 10


async def test_start_up_creates_missing_table_topics_and_refuses_a_changelog_with_too_few_partitions(
    local_broker: LocalBroker, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(create_topics=True, topic_partitions=2)
    table = TableSettings.from_env(
        **{k.removeprefix("SUMMIT_TABLE_").lower(): v for k, v in table_env(settings).items()}
    )
    await local_broker.create_topics([settings.output_topic], 5)
    await prepare_table_topics(settings, table)
    admin = AIOKafkaAdminClient(bootstrap_servers=local_broker.bootstrap_servers)
    try:
        await admin.start()
        described = await admin.describe_topics([table.topic, table.changelog_topic, table.dlq_topic])
    finally:
        await admin.close()
    partitions = {t["topic"]: len(t["partitions"]) for t in described}
    assert partitions == {table.topic: 2, table.changelog_topic: 5, table.dlq_topic: 2}, (
        "changelog: one per events partition"
    )

    short = TableSettings.from_env(
        changelog_topic=f"{table.changelog_topic}-short", topic=table.topic, dlq_topic=table.dlq_topic
    )
    await local_broker.create_topics([short.changelog_topic], 3)
    with pytest.raises(StartupError, match="fewer than the 5"):
        await prepare_table_topics(settings, short)
    with pytest.raises(MissingTopicsError):
        await prepare_table_topics(make_settings(), TableSettings.from_env(topic=f"{table.topic}-missing"))
