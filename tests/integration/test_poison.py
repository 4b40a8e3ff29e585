"""Poison messages among good articles: each bad one is dead-lettered exactly once, the rest flows on."""

from __future__ import annotations

import asyncio
import re
import urllib.request
from collections import Counter
from collections.abc import Callable

import orjson
import pytest

from consumer.broker import LocalBroker, free_port
from consumer.envelope import Envelope, parse_article
from consumer.errors import MessageError
from consumer.service import EXIT_OK, run_service
from consumer.settings import Settings
from schemas import DeadLetterHeaders
from tests.fixtures.malformed import POISON, SIZE_LIMIT
from tests.integration.conftest import Handle
from tests.integration.inputs import good_articles
from tests.integration.kafka_tools import produce, read_all, wait_for_commits

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(60)]

PARTITIONS = 4
CONTRACT_HEADERS = {
    "error.class", "error.message", "error.stage", "original.topic", "original.partition",
    "original.offset", "original.timestamp", "failed_at", "attempts",
}  # fmt: skip
# over the service's limit AND over what its producer may send: the dead letter goes out without its value
OVER_PRODUCER_LIMIT = (
    "over_producer_limit",
    b'{"id": "huge", "body": "' + b"x" * 1_500_000 + b'"}',
    "decode",
)


def metric(port: int, name: str) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
        text = response.read().decode()
    match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert match, name
    return float(match.group(1))


def outcome(value: bytes | None, handle: Handle) -> tuple[str, int]:
    """What the service must make of `value`: (stage or "accepted", number of events)."""
    try:
        article = parse_article(Envelope("t", 0, 0, None, value), max_bytes=SIZE_LIMIT)
    except MessageError as exc:
        return exc.stage, 0
    return "accepted", len(handle(article))


async def test_every_poison_class_is_dead_lettered_once_while_every_good_article_flows(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], handler: Handle
) -> None:
    port = free_port()
    settings = make_settings(metrics_port=port, max_message_bytes=SIZE_LIMIT)
    bootstrap = local_broker.bootstrap_servers
    await local_broker.create_topics(
        [settings.input_topic, settings.output_topic, settings.dlq_topic], PARTITIONS
    )
    cases = [*POISON, OVER_PRODUCER_LIMIT]
    goods = good_articles(len(cases), "pg")
    items: list[tuple[bytes | None, bytes | None]] = []
    for (name, value, _), good in zip(cases, goods, strict=True):
        items += [(f"good-{name}".encode(), good), (name.encode(), value)]
    placed, ends = await produce(bootstrap, settings.input_topic, items, max_request_size=4_000_000)
    at = {key: where for (key, _), where in zip(items, placed, strict=True)}

    stop = asyncio.Event()
    service = asyncio.create_task(run_service(settings, handler, stop=stop))
    await wait_for_commits(bootstrap, settings.group_id, settings.input_topic, ends)
    await asyncio.sleep(1.0)  # five commit intervals: nothing comes round again
    assert await asyncio.to_thread(metric, port, "summit_messages_consumed_total") == len(items)
    stop.set()
    assert await asyncio.wait_for(service, 15) == EXIT_OK

    letters = await read_all(bootstrap, settings.dlq_topic, partitions=PARTITIONS)
    by_origin = Counter(
        (h.original_partition, h.original_offset)
        for h in (DeadLetterHeaders.from_kafka(r.headers) for r in letters)
    )
    assert all(n == 1 for n in by_origin.values()), "each dead letter exactly once"
    events = [
        orjson.loads(r.value or b"")
        for r in await read_all(bootstrap, settings.output_topic, partitions=PARTITIONS)
    ]
    event_articles = Counter(e["article"]["id"] for e in events)

    for name, value, expected in cases:
        stage, _ = outcome(value, handler) if name != OVER_PRODUCER_LIMIT[0] else ("decode", 0)
        assert stage == expected, f"{name}: fixture says {expected}, the service's decoder says {stage}"
        mine = [r for r in letters if r.key == name.encode()]
        if expected == "accepted":
            assert mine == [], name
            continue
        [letter] = mine
        assert {h for h, _ in letter.headers} == CONTRACT_HEADERS, name
        headers = DeadLetterHeaders.from_kafka(letter.headers)
        assert headers.error_stage == expected, name
        assert (headers.original_partition, headers.original_offset) == at[name.encode()], name
        assert headers.original_topic == settings.input_topic
        if name == OVER_PRODUCER_LIMIT[0]:
            assert letter.value is None, "too large for the dead-letter topic: headers only"
            assert "original value omitted" in headers.error_message
        else:
            assert letter.value == value, f"{name}: the input bytes unchanged"
    assert len(letters) == sum(1 for _, _, e in cases if e != "accepted")

    accepted_events = sum(outcome(v, handler)[1] for _, v, e in POISON if e == "accepted")
    assert accepted_events >= 2, "the BOM-prefixed and HTML-wrapped summit reports yield events"
    assert sum(1 for e in events if e["article"]["id"].startswith("pg")) == len(goods)
    assert len(events) == len(goods) + accepted_events
    assert max(event_articles.values()) == 1, "no event twice"
