"""Every compression a Kafka producer may use is read, and a batch that cannot be read is dead-lettered.

Batches written by another producer (aiokafka's, with a codec) through the real broker: the messages
before, inside and after each batch all settle. A corrupt batch (a payload that does not decompress)
neither stops the service nor holds its partition: each of its offsets becomes a dead letter.
"""

from __future__ import annotations

import asyncio
import re
import urllib.request
from collections.abc import Callable

import orjson
import pytest

from consumer.broker import LocalBroker, free_port
from consumer.service import EXIT_OK, run_service
from consumer.settings import Settings
from schemas import DeadLetterHeaders
from tests.integration.conftest import Handle
from tests.integration.inputs import good_articles, non_summit_articles
from tests.integration.kafka_tools import (
    corrupt_batch,
    produce,
    produce_batch,
    produce_raw_batch,
    read_all,
    wait_for_commits,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(90)]

CODECS = ("gzip", "snappy", "lz4", "zstd")


def metric(port: int, name: str, **labels: str) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
        text = response.read().decode()
    selector = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    match = re.search(rf"^{name}{{{selector}}} (\S+)$" if labels else rf"^{name} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_batches_compressed_with_every_codec_are_read_with_what_comes_before_and_after(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], handler: Handle
) -> None:
    settings = make_settings()
    bootstrap, topic = local_broker.bootstrap_servers, settings.input_topic
    await local_broker.create_topics([topic, settings.output_topic, settings.dlq_topic], 1)
    summits, quiet = good_articles(2 + 3 * len(CODECS), "cd"), non_summit_articles(len(CODECS), "cq")
    before, after = summits.pop(), summits.pop()
    (first, *_), _ = await produce(bootstrap, topic, [(b"k", before)])
    inside: dict[str, list[int]] = {}
    for codec in CODECS:
        batch = [(b"k", summits.pop()), (b"k", quiet.pop()), (b"k", summits.pop())]
        inside[codec] = await produce_batch(bootstrap, topic, 0, batch, compression=codec)
    _, ends = await produce(bootstrap, topic, [(b"k", after)])

    stop = asyncio.Event()
    service = asyncio.create_task(run_service(settings, handler, stop=stop))
    await wait_for_commits(bootstrap, settings.group_id, topic, ends)
    stop.set()
    assert await asyncio.wait_for(service, 15) == EXIT_OK

    events = [
        orjson.loads(r.value or b"") for r in await read_all(bootstrap, settings.output_topic, partitions=1)
    ]
    published = [e["article"]["id"] for e in events]
    assert len(published) == 2 + 2 * len(CODECS), "every summit report, before, inside and after the batches"
    assert published[0] == orjson.loads(before)["id"]
    assert published[-1] == orjson.loads(after)["id"]
    assert await read_all(bootstrap, settings.dlq_topic, partitions=1) == []
    assert first == (0, 0)
    assert [inside[c] for c in CODECS] == [[1 + 3 * i, 2 + 3 * i, 3 + 3 * i] for i in range(len(CODECS))]


async def test_a_corrupt_batch_is_dead_lettered_offset_by_offset_and_the_stream_goes_on(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], handler: Handle
) -> None:
    """Before the change the service exited (exit 1) on such a batch, and again after each restart."""
    port = free_port()
    settings = make_settings(metrics_port=port)
    bootstrap, topic = local_broker.bootstrap_servers, settings.input_topic
    await local_broker.create_topics([topic, settings.output_topic, settings.dlq_topic], 1)
    goods = good_articles(5, "cc")
    await produce(bootstrap, topic, [(b"k", goods[0]), (b"k", goods[1])])
    unreadable = [(b"k", good_articles(1, "never")[0]), (b"k", b"lost inside")]
    gzip_at = await produce_raw_batch(bootstrap, topic, 0, corrupt_batch(unreadable, codec=1))
    snappy_at = await produce_raw_batch(bootstrap, topic, 0, corrupt_batch(unreadable, codec=2))
    _, ends = await produce(bootstrap, topic, [(b"k", goods[2]), (b"k", goods[3]), (b"k", goods[4])])

    stop = asyncio.Event()
    service = asyncio.create_task(run_service(settings, handler, stop=stop))
    await wait_for_commits(bootstrap, settings.group_id, topic, ends)
    dead = await asyncio.to_thread(
        metric, port, "summit_dead_letters_total", stage="decode", error_class="UnreadableRecordError"
    )
    stop.set()
    assert await asyncio.wait_for(service, 15) == EXIT_OK, "the service did not stop on the batch"

    letters = await read_all(bootstrap, settings.dlq_topic, partitions=1)
    headers = [DeadLetterHeaders.from_kafka(r.headers) for r in letters]
    offsets = [gzip_at, gzip_at + 1, snappy_at, snappy_at + 1]
    assert sorted((h.original_partition, h.original_offset) for h in headers) == [(0, o) for o in offsets]
    assert {(h.error_stage, h.error_class) for h in headers} == {("decode", "UnreadableRecordError")}
    assert all("cannot be read" in h.error_message for h in headers)
    assert all(r.value is None for r in letters), "the bytes could not be read: they stay on the input topic"
    assert dead == 4
    events = [
        orjson.loads(r.value or b"") for r in await read_all(bootstrap, settings.output_topic, partitions=1)
    ]
    assert [e["article"]["id"] for e in events] == [orjson.loads(g)["id"] for g in goods], "in input order"

    # a restart starts after what was committed: nothing is dead-lettered again
    again = asyncio.Event()
    service = asyncio.create_task(run_service(make_settings(), handler, stop=again))
    await asyncio.sleep(4)
    again.set()
    assert await asyncio.wait_for(service, 15) == EXIT_OK
    assert len(await read_all(bootstrap, settings.dlq_topic, partitions=1)) == len(offsets)
