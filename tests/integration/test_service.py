"""The service over the Kafka wire protocol against a real local broker."""

from __future__ import annotations

import asyncio
import urllib.request
from collections.abc import Callable

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client.parser import text_string_to_metric_families

from consumer.broker import LocalBroker, free_port
from consumer.service import EXIT_OK, EXIT_STARTUP, run_service
from consumer.settings import Settings
from schemas import DeadLetterHeaders, RawArticle
from tests.fixtures.malformed import DEAD_LETTERS, SIZE_LIMIT
from tests.integration.conftest import Handle
from tests.integration.inputs import good_articles, non_summit_articles, sample_articles
from tests.integration.kafka_tools import produce, read_all, wait_for_commits, wait_for_first_commit

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(60)]

CONTRACT_HEADERS = {
    "error.class", "error.message", "error.stage", "original.topic", "original.partition",
    "original.offset", "original.timestamp", "failed_at", "attempts",
}  # fmt: skip


def offline(handle: Handle, values: list[bytes]) -> list[dict[str, object]]:
    """What the same handler makes of the good inputs without Kafka, as output JSON documents."""
    events = [e for v in values for e in handle(RawArticle.model_validate(orjson.loads(v)))]
    return [e.model_dump(mode="json") for e in events]


def http_get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse_metrics(text: bytes) -> Samples:
    """Every sample of a Prometheus exposition, keyed by (name, sorted labels)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text.decode())
        for sample in family.samples
    }


def total(samples: Samples, name: str) -> float:
    """The sum of `name` over all its label sets."""
    return sum(value for (sample, _), value in samples.items() if sample == name)


async def settled_metrics(port: int, *, partitions: int, within_s: float = 10.0) -> Samples:
    """/metrics once every partition reports a lag (they are refreshed every second) of zero."""
    for _ in range(int(within_s / 0.2)):
        status, body = await asyncio.to_thread(http_get, port, "/metrics")
        assert status == 200
        samples = parse_metrics(body)
        lags = [v for (name, _), v in samples.items() if name == "summit_consumer_lag"]
        if len(lags) == partitions and not any(lags):
            return samples
        await asyncio.sleep(0.2)
    raise AssertionError(f"lag not reported as 0 on {partitions} partitions: {lags}")


def assert_sane_metrics(samples: Samples, *, consumed: int, events: int, non_summit: int) -> None:
    """What an operator reads after a finished run: every count adds up, latencies are observed."""
    dead = total(samples, "summit_dead_letters_total")
    assert total(samples, "summit_messages_consumed_total") == consumed
    assert total(samples, "summit_events_published_total") == events
    assert total(samples, "summit_articles_non_summit_total") == non_summit
    assert dead == len(DEAD_LETTERS)
    letters = [dict(labels) for (name, labels) in samples if name == "summit_dead_letters_total"]
    stages = {labels["stage"] for labels in letters}
    assert stages == {stage for _, _, stage in DEAD_LETTERS}
    outcomes = total(samples, "summit_end_to_end_seconds_count")
    assert outcomes == consumed, "one end-to-end latency per message outcome"
    assert 0 < total(samples, "summit_end_to_end_seconds_sum") < 60 * consumed
    handled = total(samples, "summit_handler_seconds_count")
    assert consumed - dead <= handled <= consumed, "every valid article went through the handler"
    assert total(samples, "summit_in_flight") == 0
    assert total(samples, "summit_uncommitted") == 0
    assert total(samples, "summit_broker_connected") == 1
    assert total(samples, "summit_rebalances_total") >= 1
    assert total(samples, "summit_commits_total") >= 1


async def test_stream_publishes_events_dead_letters_malformed_and_commits_every_partition(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], handler: Handle
) -> None:
    port = free_port()
    settings = make_settings(metrics_port=port, max_message_bytes=SIZE_LIMIT)
    await local_broker.create_topics([settings.input_topic, settings.output_topic, settings.dlq_topic], 3)
    good, quiet = good_articles(30) + sample_articles(), non_summit_articles(10)
    inputs = [(f"k{i}".encode(), v) for i, v in enumerate(good + quiet)]
    inputs += [(f"bad-{name}".encode(), value) for name, value, _ in DEAD_LETTERS]
    placed, ends = await produce(local_broker.bootstrap_servers, settings.input_topic, inputs)

    stop = asyncio.Event()
    service = asyncio.create_task(run_service(settings, handler, stop=stop))
    await wait_for_commits(local_broker.bootstrap_servers, settings.group_id, settings.input_topic, ends)
    assert await asyncio.to_thread(http_get, port, "/readyz") == (200, b"ready\n")
    metrics = await settled_metrics(port, partitions=3)
    stop.set()
    assert await asyncio.wait_for(service, 10) == EXIT_OK

    expected = offline(handler, good + quiet)
    non_summit = sum(1 for v in good + quiet if not handler(RawArticle.model_validate(orjson.loads(v))))
    assert_sane_metrics(metrics, consumed=len(inputs), events=len(expected), non_summit=non_summit)

    outputs = await read_all(local_broker.bootstrap_servers, settings.output_topic)
    assert len(expected) >= 30, "every generated summit report and the sample summits must yield events"
    key_of = {e["event_id"]: e["summit_id"] for e in expected}  # one meeting's events share a partition
    got = [orjson.loads(r.value or b"") for r in outputs]
    assert sorted(got, key=orjson.dumps) == sorted(expected, key=orjson.dumps)
    assert all(r.key == key_of[orjson.loads(r.value or b"")["event_id"]].encode() for r in outputs)

    letters = await read_all(local_broker.bootstrap_servers, settings.dlq_topic)
    assert len(letters) == len(DEAD_LETTERS)
    where = {inputs[i][0]: placed[i] for i in range(len(inputs))}
    for name, value, stage in DEAD_LETTERS:
        [letter] = [r for r in letters if r.key == f"bad-{name}".encode()]
        assert {h for h, _ in letter.headers} == CONTRACT_HEADERS
        headers = DeadLetterHeaders.from_kafka(letter.headers)
        assert letter.value == value, name
        assert headers.error_stage == stage, name
        assert (headers.original_partition, headers.original_offset) == where[f"bad-{name}".encode()]
        assert headers.original_topic == settings.input_topic


async def test_missing_topics_fail_start_up_unless_creation_is_enabled(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], handler: Handle
) -> None:
    settings = make_settings()
    assert await run_service(settings, handler, stop=asyncio.Event()) == EXIT_STARTUP

    creating = make_settings(create_topics=True, topic_partitions=2)
    stop = asyncio.Event()  # a stop asked before start-up ends would end it without creating anything
    service = asyncio.create_task(run_service(creating, handler, stop=stop))
    await _until_listed(local_broker.bootstrap_servers, creating.dlq_topic, deadline_s=30)
    stop.set()  # started up (the topics created): stop
    assert await asyncio.wait_for(service, 20) == EXIT_OK
    placed, _ = await produce(local_broker.bootstrap_servers, creating.dlq_topic, [(None, b"x")])
    assert placed[0][0] in (0, 1)


async def _until_listed(bootstrap: str, topic: str, *, deadline_s: float) -> None:
    """Wait until the broker lists `topic` (asked without naming it, so nothing is auto-created)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await admin.start()
        for _ in range(int(deadline_s / 0.2)):
            if topic in await admin.list_topics():
                return
            await asyncio.sleep(0.2)
    finally:
        await admin.close()
    raise AssertionError(f"{topic} was not created within {deadline_s} s")


async def test_unreachable_broker_fails_start_up(
    make_settings: Callable[..., Settings], handler: Handle
) -> None:
    settings = make_settings(bootstrap_servers=f"127.0.0.1:{free_port()}")
    assert await asyncio.wait_for(run_service(settings, handler), 40) == EXIT_STARTUP


async def test_a_second_instance_joining_takes_partitions_without_losing_or_repeating_messages(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], handler: Handle
) -> None:
    settings = make_settings()
    bootstrap = local_broker.bootstrap_servers
    await local_broker.create_topics([settings.input_topic, settings.output_topic, settings.dlq_topic], 3)
    first, second = good_articles(200, "x"), good_articles(200, "y")
    _, ends = await produce(bootstrap, settings.input_topic, [(None, v) for v in first])
    stops = [asyncio.Event(), asyncio.Event()]
    one = asyncio.create_task(run_service(settings, handler, stop=stops[0]))
    await wait_for_first_commit(bootstrap, settings.group_id, settings.input_topic)
    two = asyncio.create_task(run_service(settings, handler, stop=stops[1]))
    _, more = await produce(bootstrap, settings.input_topic, [(None, v) for v in second])
    ends = {p: max(ends.get(p, 0), more.get(p, 0)) for p in ends.keys() | more.keys()}
    await wait_for_commits(bootstrap, settings.group_id, settings.input_topic, ends, timeout_s=40)
    for stop in stops:
        stop.set()
    assert await asyncio.wait_for(asyncio.gather(one, two), 15) == [EXIT_OK, EXIT_OK]

    outputs = await read_all(bootstrap, settings.output_topic)
    got = sorted((orjson.loads(r.value or b"") for r in outputs), key=orjson.dumps)
    assert got == sorted(offline(handler, first + second), key=orjson.dumps)
