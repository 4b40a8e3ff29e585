"""`summit-consumer demo`: the whole service on a throw-away local broker, with the bundled samples.

Starts the Tansu broker on a free loopback port, creates the topics, publishes the sample articles (and a
few more reports of the same meetings in other languages), runs the real service until the group has
committed every sample, shows the events and dead letters, then runs the summit table stage until it has
folded every event and shows the table (one row per meeting), and stops the broker.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from rich.console import Console
from rich.table import Table

from consumer.broker import LocalBroker
from consumer.service import run_service
from consumer.settings import Settings
from consumer.table_service import run_table_service
from consumer.table_settings import TableSettings

PARTITIONS = 3
_Record = tuple[dict[str, Any], list[tuple[str, bytes]]]


@dataclass(frozen=True)
class _Read:
    partition: int
    offset: int
    key: bytes | None
    value: dict[str, Any]
    headers: list[tuple[str, bytes]]


def sample_lines(path: Path | None = None) -> list[bytes]:
    """The raw Kafka values of the sample articles (one per non-empty line)."""
    text = path.read_bytes() if path else files("consumer").joinpath("samples/articles.jsonl").read_bytes()
    return [line for line in text.splitlines() if line.strip()]


def more_reports() -> list[bytes]:
    """Reports of sample meetings in other languages (bundled for the demo's summit table)."""
    text = files("consumer").joinpath("samples/reports.jsonl").read_bytes()
    return [line for line in text.splitlines() if line.strip()]


def run_demo(*, samples: Path | None = None, timeout: float = 60.0) -> int:
    """Run the demo end to end; 0 when every sample was processed and every event folded."""
    console = Console(width=max(140, Console().width))
    values = sample_lines(samples) + ([] if samples else more_reports())
    with LocalBroker() as broker:
        console.print(f"[bold]local broker[/] tansu on {broker.bootstrap_servers} (memory storage)")
        settings = Settings.from_env(
            bootstrap_servers=broker.bootstrap_servers,
            group_id="summit-consumer-demo",
            metrics_port=0,
            log_level="WARNING",
            log_format="console",
            session_timeout_ms=6000,
            heartbeat_interval_ms=1000,
            commit_interval_ms=200,
        )
        return asyncio.run(_demo(console, broker, settings, values, deadline_s=timeout))


async def _demo(
    console: Console, broker: LocalBroker, settings: Settings, values: list[bytes], *, deadline_s: float
) -> int:
    table = TableSettings(group_id="summit-table-demo", metrics_port=0)
    await broker.create_topics([settings.input_topic, settings.output_topic, settings.dlq_topic], PARTITIONS)
    await broker.create_topics([table.topic, table.changelog_topic, table.dlq_topic], PARTITIONS)
    ends = await _publish(settings, values)
    console.print(f"published {len(values)} sample articles to [cyan]{settings.input_topic}[/]")
    code, done = await _until_committed(
        run_service(settings, stop=(stop := asyncio.Event())),  # worker processes, as `run` has
        stop,
        settings,
        ends,
        deadline_s,
    )
    events = await _read_all(settings, settings.output_topic)
    dead = await _read_all(settings, settings.dlq_topic)
    _show(console, [(r.value, r.headers) for r in events], [(r.value, r.headers) for r in dead], len(values))
    if not done:
        console.print(f"[red]not every sample was committed within {deadline_s:.0f}s[/]")
        return 1
    if code != 0:
        return code
    # the summit table stage folds the events into one record per meeting
    folded = _ends(events, settings.output_topic)
    table_run = run_table_service(settings, table, stop=(table_stop := asyncio.Event()))
    table_group = settings.model_copy(update={"group_id": table.group_id})
    code, done = await _until_committed(table_run, table_stop, table_group, folded, deadline_s)
    records = await _read_all(settings, table.topic)
    _show_table(console, records, table.topic)
    if not done:
        console.print(f"[red]the table stage did not fold every event within {deadline_s:.0f}s[/]")
        return 1
    return code


async def _until_committed(
    service: Any,
    stop: asyncio.Event,
    settings: Settings,
    ends: dict[TopicPartition, int],
    deadline_s: float,
) -> tuple[int, bool]:
    """Run `service` until `settings.group_id` has committed `ends` (or the deadline); its exit code, done."""
    task = asyncio.create_task(service)
    started = time.monotonic()
    done = False
    while not task.done() and time.monotonic() - started < deadline_s:
        if await _committed_all(settings, ends):
            done = True
            break
        await asyncio.sleep(0.5)
    stop.set()
    return await task, done


async def _publish(settings: Settings, values: list[bytes]) -> dict[TopicPartition, int]:
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all")
    await producer.start()
    ends: dict[TopicPartition, int] = {}
    try:
        for value in values:
            meta = await producer.send_and_wait(settings.input_topic, value)
            tp = TopicPartition(meta.topic, meta.partition)
            ends[tp] = max(ends.get(tp, 0), meta.offset + 1)
    finally:
        await producer.stop()
    return ends


async def _committed_all(settings: Settings, ends: dict[TopicPartition, int]) -> bool:
    probe = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, group_id=settings.group_id, enable_auto_commit=False
    )
    await probe.start()
    try:
        for tp, end in ends.items():
            committed = await probe.committed(tp)
            if committed is None or committed < end:
                return False
        return True
    finally:
        await probe.stop()


async def _read_all(settings: Settings, topic: str) -> list[_Read]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    records: list[_Read] = []
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        idle = 0
        while idle < 3:
            batch = await consumer.getmany(timeout_ms=300)
            idle = 0 if batch else idle + 1
            for messages in batch.values():
                for message in messages:
                    try:
                        value = orjson.loads(message.value) if message.value else {}
                    except orjson.JSONDecodeError:
                        value = {"raw": repr(message.value[:60])}
                    records.append(
                        _Read(
                            message.partition, message.offset, message.key, value, list(message.headers or [])
                        )
                    )
    finally:
        await consumer.stop()
    return records


def _show(console: Console, events: list[_Record], dead: list[_Record], total: int) -> None:
    table = Table(title=f"RegionalSummit events ({len(events)} from {total} articles)", show_lines=True)
    for column in ("summit (as written)", "#", "date", "venue", "chair", "states", "leaders", "conf"):
        table.add_column(column, overflow="fold")
    for event, _ in events:
        summit = event["summit"]
        venue = summit.get("venue") or {}
        leaders = ", ".join(f"{p['name']}{' (guest)' if p['guest'] else ''}" for p in event["participants"])
        evidence = {k: v for k, v in (summit.get("evidence") or {}).items() if v and k != "name"}
        quotes = "\n".join(f"[dim]{field}:[/] «{span['text']}»" for field, span in evidence.items())
        heading = f"[bold]{summit.get('series') or '?'}[/]\n{summit['name']}"
        table.add_row(
            f"{heading}\n{quotes}\n[dim]{event['article']['id']}[/]",
            str(summit.get("ordinal") or ""),
            str(summit.get("start_date") or ""),
            " ".join(str(v) for v in (venue.get("city"), venue.get("country")) if v),
            str(summit.get("chair_country") or ""),
            " ".join(event["participant_countries"]),
            leaders,
            f"{event['confidence']:.2f}",
        )
    console.print(table)
    if dead:
        console.print(f"[yellow]{len(dead)} dead letters[/]")
        for _, headers in dead:
            h = {k: v.decode() for k, v in headers}
            console.print(
                f"  offset {h.get('original.offset')}: [{h.get('error.stage')}] {h.get('error.message')}"
            )
    summits = len({event["article"]["id"] for event, _ in events})
    console.print(f"{total - summits - len(dead)} articles were not about a summit (committed, no event)")


def _ends(records: list[_Read], topic: str) -> dict[TopicPartition, int]:
    """Per partition of `topic`, the offset after the last of its records read."""
    ends: dict[TopicPartition, int] = {}
    for record in records:
        tp = TopicPartition(topic, record.partition)
        ends[tp] = max(ends.get(tp, 0), record.offset + 1)
    return ends


def _show_table(console: Console, records: list[_Read], topic: str) -> None:
    """The summit table: the latest record of each summit_id, one row per meeting."""
    latest: dict[bytes | None, _Read] = {}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        latest[record.key] = record
    table = Table(title=f"the summit table ({topic}): {len(latest)} meetings", show_lines=False)
    for column in ("summit_id", "meeting", "date", "venue", "sources", "languages", "conf"):
        table.add_column(column, overflow="fold")
    for record in sorted(latest.values(), key=lambda r: r.value["summit_id"]):
        row = record.value
        summit = row["summit"]
        venue = summit["venue"]["value"] or {}
        meeting = row.get("meeting") or {}
        # a date no source states, the calendar's (dimmed)
        date = summit["start_date"]["value"] or (f"[dim]{meeting['start_date']}[/]" if meeting else "")
        table.add_row(
            row["summit_id"],
            f"{summit['series']['value'] or summit['name']['value']}"
            + (f" #{summit['ordinal']['value']}" if summit["ordinal"]["value"] else ""),
            str(date),
            " ".join(str(v) for v in (venue.get("city"), venue.get("country")) if v),
            str(len(row["sources"])),
            " ".join(row["languages"]),
            f"{row['confidence']:.3f}",
        )
    console.print(table)
