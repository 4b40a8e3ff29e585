"""A query of death no more: a 1 MB article of repeated summit sentences among ordinary ones, two
instances of `summit-consumer run` in one group. Every message settles within 30 s, no commit is
refused and the group does not rebalance (the handler never holds the event loop)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from consumer.broker import LocalBroker
from consumer.settings import Settings
from schemas import DeadLetterHeaders
from tests.integration.inputs import good_articles, non_summit_articles
from tests.integration.kafka_tools import produce, read_all, wait_for_commits
from tests.integration.processes import Instance, fleet, owns_partitions

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(150)]

PARTITIONS = 2
SENTENCE = "القمة السادسة لرؤساء دول آسيا الوسطى في أستانا، "  # the sentence
SETTLE_WITHIN_S = 30.0


def huge_article() -> bytes:
    body = (
        (SENTENCE * (1_000_000 // len(SENTENCE.encode()) + 1)).encode()[:1_000_000].decode("utf-8", "ignore")
    )
    return orjson.dumps(
        {"id": "query-of-death", "language": "ar", "published_at": "2024-08-09", "body": body}
    )


def group_events(instance: Instance) -> list[str]:
    """The group events its current process logged: assignments, revocations, refused commits."""
    kinds = ("partitions_assigned", "partitions_revoked", "commit_rejected")
    return [str(line["event"]) for line in instance.lines() if line.get("event") in kinds]


@pytest.mark.parametrize(
    ("budget_ms", "outcomes"),
    [(2000, {"published", "dead_letter"}), (200, {"dead_letter"})],
    ids=["default-budget", "budget-too-small"],
)
async def test_a_1_mb_article_of_summit_sentences_settles_with_everything_else_and_the_group_holds(
    local_broker: LocalBroker,
    make_settings: Callable[..., Settings],
    tmp_path: Path,
    budget_ms: int,
    outcomes: set[str],
) -> None:
    """With the default budget the article is handled (or, on a machine too slow for it, dead-lettered as
    HandlerTimeout); with a budget too small for it, it is dead-lettered as HandlerTimeout. Either way it
    and the articles around it settle, and the instances keep their partitions."""
    settings = make_settings(
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        workers=1,
        handler_timeout_ms=budget_ms,
    )
    bootstrap, topic = local_broker.bootstrap_servers, settings.input_topic
    await local_broker.create_topics([topic, settings.output_topic, settings.dlq_topic], PARTITIONS)
    ordinary = [
        v for pair in zip(good_articles(20, "qg"), non_summit_articles(20, "qn"), strict=True) for v in pair
    ]
    values = [*ordinary[:20], huge_article(), *ordinary[20:]]
    keys = [
        b"heavy" if v.startswith(b'{"id":"query-of-death"') else f"k{i}".encode()
        for i, v in enumerate(values)
    ]

    with fleet(settings, tmp_path, 2) as instances:
        for instance in instances:
            instance.start()
        for instance in instances:
            await owns_partitions(instance, within_s=60)
        await asyncio.sleep(settings.session_timeout_ms / 1000)  # the group settles: both hold a partition
        before = {i.name: group_events(i) for i in instances}
        assert all(events[-1] == "partitions_assigned" for events in before.values()), before

        started = time.monotonic()
        placed, ends = await produce(
            bootstrap, topic, list(zip(keys, values, strict=True)), max_request_size=4_000_000
        )
        await wait_for_commits(bootstrap, settings.group_id, topic, ends, timeout_s=SETTLE_WITHIN_S)
        settled_s = time.monotonic() - started
        after = {i.name: group_events(i) for i in instances}
        logs = [line for instance in instances for line in instance.lines()]
        for instance in instances:
            code, _ = await instance.terminate()
            assert code == 0, instance.tail()

    heavy_at = placed[values.index(huge_article())]
    lines = Counter(
        (int(str(line["partition"])), int(str(line["offset"])))
        for line in logs
        if line.get("event") == "message" and line.get("topic") == topic
    )
    heavy = [
        line for line in logs if line.get("event") == "message" and line.get("article_id") == "query-of-death"
    ]
    letters = [
        DeadLetterHeaders.from_kafka(r.headers)
        for r in await read_all(bootstrap, settings.dlq_topic, partitions=PARTITIONS)
    ]
    report = {
        "settled_s": round(settled_s, 1),
        "heavy_outcome": [(line.get("outcome"), line.get("error_class")) for line in heavy],
        "group_events_during": {n: after[n][len(before[n]) :] for n in after},
    }
    print("\nQUERY OF DEATH REPORT", orjson.dumps(report).decode())
    assert settled_s <= SETTLE_WITHIN_S
    assert {where: lines[where] for where in placed} == dict.fromkeys(placed, 1), "each message settled once"
    assert after == before, f"no rebalance and no refused commit while it was handled: {report}"
    [outcome] = heavy
    assert outcome["outcome"] in outcomes, report
    if outcome["outcome"] == "dead_letter":
        assert (outcome["error_stage"], outcome["error_class"]) == ("handle", "HandlerTimeout")
        [letter] = [h for h in letters if (h.original_partition, h.original_offset) == heavy_at]
        assert (letter.error_stage, letter.error_class) == ("handle", "HandlerTimeout")
