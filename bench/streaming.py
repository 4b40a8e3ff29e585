"""Parts 2, 3 and 5: the service against a local broker (throughput, latency, memory).

Every run gets its own consumer group and output topics on one `LocalBroker`; the service runs as
`summit-consumer run` subprocesses (part 3 as `bench.tap`, the same runtime with a tap on its sink).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from bench import real
from bench.corpus import mixed_documents
from bench.kafka_io import (
    CommitReader,
    Progress,
    children,
    cpu_seconds,
    fill,
    maps_mention,
    rss_kib,
    watch_commits,
)
from bench.results import Row
from consumer.broker import LocalBroker

ROOT = Path(__file__).resolve().parent.parent
SERVICE = [str(Path(sys.executable).parent / "summit-consumer"), "run"]
PASSTHROUGH = [sys.executable, "-m", "bench.passthrough"]
TAP = [sys.executable, "-m", "bench.tap"]
PARTITIONS = 6  # divisible among 1, 2 or 3 consumers of one group
TARGET_THROUGHPUT_RATIO = 0.7
TARGET_SCALING = 1.7  # one instance on 2 cores against the same on 1
TARGET_P99_MS = 50.0
TARGET_RSS_MB = 250.0
# the same client settings for every consumer of the bench (the service's defaults, but shorter
# group timings: a join on the local broker waits half the session timeout)
CLIENT_ENV = {
    "SUMMIT_METRICS_PORT": "0",
    "SUMMIT_SESSION_TIMEOUT_MS": "6000",
    "SUMMIT_HEARTBEAT_INTERVAL_MS": "1000",
    "SUMMIT_COMMIT_INTERVAL_MS": "200",
}


@dataclass(frozen=True)
class Topics:
    input: str
    output: str
    dlq: str
    group: str

    @classmethod
    def fresh(cls, input_topic: str | None = None) -> Topics:
        tag = uuid.uuid4().hex[:8]
        return cls(input_topic or f"bench-{tag}.raw", f"bench-{tag}.out", f"bench-{tag}.dlq", f"bench-{tag}")

    def env(self, broker: LocalBroker, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            **CLIENT_ENV,
            **extra,
            "SUMMIT_BOOTSTRAP_SERVERS": broker.bootstrap_servers,
            "SUMMIT_INPUT_TOPIC": self.input,
            "SUMMIT_OUTPUT_TOPIC": self.output,
            "SUMMIT_DLQ_TOPIC": self.dlq,
            "SUMMIT_GROUP_ID": self.group,
        }


@contextlib.contextmanager
def processes(command: Sequence[str], env: dict[str, str], count: int, logs: Path) -> Iterator[list[int]]:
    """`count` copies of `command` (stderr to files under `logs`); SIGTERM and wait on the way out."""
    procs = []
    for i in range(count):
        with (logs / f"{Path(command[-1]).name}-{uuid.uuid4().hex[:6]}-{i}.log").open("wb") as err:
            procs.append(
                subprocess.Popen(command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
            )
    try:
        yield [p.pid for p in procs]
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"{' '.join(command)} exited early with code {p.returncode}")
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def _values(docs: Sequence[dict[str, Any]]) -> list[bytes]:
    return [orjson.dumps(d) for d in docs]


def stream_documents(count: int) -> tuple[list[dict[str, Any]], str]:
    """The real stream of issue 15 (../shared/eval), or issue 5's mixed one when the articles are absent."""
    if real.available():
        docs = real.stream(count)
        return docs, real.describe(docs)
    docs, corpus = mixed_documents(count)
    return docs, f"../shared/eval absent: {corpus.describe()}"


async def _prefilled(broker: LocalBroker, docs: Sequence[dict[str, Any]]) -> tuple[str, dict[int, int]]:
    topic = f"bench-{uuid.uuid4().hex[:8]}.backlog"
    await broker.create_topics([topic], PARTITIONS)
    ends = await fill(broker.bootstrap_servers, topic, _values(docs))
    return topic, ends


async def _consume_all(
    broker: LocalBroker,
    command: Sequence[str],
    topic: str,
    ends: dict[int, int],
    count: int,
    logs: Path,
    cpu: dict[str, float] | None = None,
    **env: str,
) -> Progress:
    """Run `count` copies of `command` over the topic until the group has committed all of it; with
    `cpu`, note the CPU milliseconds per article of the first copy, its worker processes and the broker
    (start-up included for the copies, not for the broker)."""
    topics = Topics.fresh(topic)
    await broker.create_topics([topics.output, topics.dlq], PARTITIONS)
    timeout = 60 + sum(ends.values()) / 40  # generous: no part should run at under 40 articles/s
    with processes(command, topics.env(broker, **env), count, logs) as pids:
        broker_before = cpu_seconds(broker.pid)
        progress = await watch_commits(broker.bootstrap_servers, topics.group, topic, ends, timeout_s=timeout)
        if cpu is not None:
            per_article = 1000.0 / max(1, progress.total)
            cpu["service process"] = cpu_seconds(pids[0]) * per_article
            cpu["worker processes"] = sum(cpu_seconds(c) for c in children(pids[0])) * per_article
            cpu["broker"] = (cpu_seconds(broker.pid) - broker_before) * per_article
        return progress


async def throughput(
    broker: LocalBroker, articles: int, logs: Path, *, workers: Sequence[int] = (1, 2)
) -> tuple[list[Row], dict[str, Any], float]:
    """Part 2: articles/s of one `summit-consumer run` instance with 1..n worker processes
    (`SUMMIT_WORKERS`) and of the pass-through consumer, side by side on the real stream; then the
    instance with the most workers on issue 5's stream (template filler + labelled articles)."""
    docs, described = stream_documents(articles)
    topic, ends = await _prefilled(broker, docs)
    cpu: dict[str, dict[str, float]] = {"pass-through": {}}
    passthrough = await _consume_all(broker, PASSTHROUGH, topic, ends, 1, logs, cpu["pass-through"])
    rates = {}
    for n in workers:
        used: dict[str, float] = {}
        cpu[f"run, {n} worker{'s' * (n > 1)}"] = used
        rates[n] = (
            await _consume_all(broker, SERVICE, topic, ends, 1, logs, used, SUMMIT_WORKERS=str(n))
        ).rate
    most = max(rates)
    filler_docs, corpus = mixed_documents(articles)
    filler_topic, filler_ends = await _prefilled(broker, filler_docs)
    filler = await _consume_all(broker, SERVICE, filler_topic, filler_ends, 1, logs, SUMMIT_WORKERS=str(most))
    rows = [Row("2 end to end", "pass-through (1 process), real stream", passthrough.rate, "art/s")]
    for n, rate in rates.items():
        rows.append(
            Row("2 end to end", f"run, 1 instance, {n} worker{'s' * (n > 1)}, real stream", rate, "art/s")
        )
    rows.append(
        Row(
            "2 end to end",
            f"run, {most} worker{'s' * (most > 1)}, template filler + labelled stream",
            filler.rate,
            "art/s",
            note="issue 5's stream",
        )
    )
    rows.append(
        Row(
            "2 end to end",
            f"run ({most} worker{'s' * (most > 1)}) / pass-through, real stream",
            rates[most] / passthrough.rate,
            "x",
            TARGET_THROUGHPUT_RATIO,
            ">=",
        )
    )
    if len(rates) > 1:
        least = min(rates)
        rows.append(
            Row(
                "2 end to end",
                f"run {most} workers / {least} worker, real stream",
                rates[most] / rates[least],
                "x",
                TARGET_SCALING if (least, most) == (1, 2) else None,
                ">=",
            )
        )
    for name, used in cpu.items():
        shares = ", ".join(f"{part} {ms:.3g}" for part, ms in used.items() if ms)
        rows.append(Row("2 end to end", f"CPU ms / article, {name}", sum(used.values()), "ms", note=shares))
    details = {
        "articles": sum(ends.values()),
        "cpu_ms_per_article": cpu,
        "stream": described,
        "filler_stream": f"{len(filler_docs)}: {corpus.summit_like} labelled-side + {corpus.filler} filler",
        "partitions": PARTITIONS,
        "client_env": CLIENT_ENV,
    }
    return rows, details, rates[most]


async def latency(
    broker: LocalBroker, rate: float, seconds: float, logs: Path
) -> tuple[list[Row], dict[str, Any]]:
    """Part 3: input timestamp -> output ack, at a fixed input rate, through one service process."""
    topics = Topics.fresh()
    await broker.create_topics([topics.input, topics.output, topics.dlq], PARTITIONS)
    count = max(100, int(rate * seconds))  # the real stream: a summit report every 50 messages
    docs, _ = stream_documents(count)
    with tempfile.TemporaryDirectory() as tmp:
        acks_file = Path(tmp) / "acks.jsonl"
        with processes([*TAP, str(acks_file)], topics.env(broker), 1, logs):
            await _wait_for(acks_file.with_suffix(".ready"), 60)
            sent, ends = await _produce_at(broker.bootstrap_servers, topics.input, docs, rate)
            await watch_commits(
                broker.bootstrap_servers, topics.group, topics.input, ends, timeout_s=60 + seconds
            )
        acked = [orjson.loads(line) for line in acks_file.read_bytes().splitlines()]
    timed = [a for a in acked if a["article"] in sent]
    if not timed:
        raise RuntimeError("no output was acknowledged during the latency run")
    total = _quantiles([a["ack_ms"] - sent[a["article"]] for a in timed])
    waiting = _quantiles([a["handled_ms"] - sent[a["article"]] for a in timed if a["handled_ms"]])
    rows = [
        Row("3 latency", "input rate (half of run max, real stream)", rate, "art/s"),
        Row("3 latency", "p50 input ts -> output ack", total[49], "ms"),
        Row("3 latency", "p99 input ts -> output ack", total[98], "ms", TARGET_P99_MS),
        Row("3 latency", "p50 input ts -> handler start", waiting[49], "ms", note="fetch + queue"),
        Row("3 latency", "p99 input ts -> handler start", waiting[98], "ms"),
    ]
    return rows, {"articles": count, "events_timed": len(timed), "max_ms": total[-1]}


def _quantiles(samples: Sequence[float]) -> list[float]:
    """Percentiles 1..99 (index 49 is p50, 98 is p99), plus the maximum at the end."""
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return [*cuts, ordered[-1]]


async def _wait_for(path: Path, timeout_s: float) -> None:
    async with asyncio.timeout(timeout_s):
        while not await asyncio.to_thread(path.exists):  # noqa: ASYNC110  # a file written by another process
            await asyncio.sleep(0.05)


async def _produce_at(
    bootstrap: str, topic: str, docs: Sequence[dict[str, Any]], rate: float
) -> tuple[dict[str, float], dict[int, int]]:
    """Produce `docs` at `rate` per second, each stamped with its send time; (id -> ms, end offsets)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    loop = asyncio.get_running_loop()
    sent: dict[str, float] = {}
    futures = []
    try:
        started = loop.time()
        for i, doc in enumerate(docs):
            delay = started + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            stamp = int(time.time() * 1000)
            sent[doc["id"]] = float(stamp)
            futures.append(await producer.send(topic, value=orjson.dumps(doc), timestamp_ms=stamp))
        acks = [await f for f in futures]
    finally:
        await producer.stop()
    ends: dict[int, int] = {}
    for ack in acks:
        ends[ack.partition] = max(ends.get(ack.partition, 0), ack.offset + 1)
    return sent, ends


async def memory(
    broker: LocalBroker, backlog: int, logs: Path, *, max_seconds: float
) -> tuple[list[Row], dict[str, Any]]:
    """Part 5: peak RSS of one `summit-consumer run` working through a backlog (capped in time): its own
    process, and with its worker processes."""
    topic, ends = await _prefilled(broker, stream_documents(backlog)[0])
    topics = Topics.fresh(topic)
    await broker.create_topics([topics.output, topics.dlq], PARTITIONS)
    peak_kib, total_kib, done = 0, 0, False
    heavy: list[str] = []
    curve: list[tuple[float, float]] = []  # (seconds, RSS MB) every 5 s: does it level off?
    with processes(SERVICE, topics.env(broker), 1, logs) as pids:
        pid = pids[0]
        watcher = asyncio.ensure_future(
            watch_commits(broker.bootstrap_servers, topics.group, topic, ends, timeout_s=max_seconds)
        )
        started = time.monotonic()
        while not watcher.done():
            peak_kib = max(peak_kib, *rss_kib(pid))
            workers = children(pid)
            total_kib = max(total_kib, rss_kib(pid)[0] + sum(rss_kib(child)[0] for child in workers))
            if time.monotonic() - started >= 5 * len(curve):
                curve.append((round(time.monotonic() - started), round(rss_kib(pid)[0] / 1024, 1)))
            for process in (pid, *workers):
                heavy = sorted(set(heavy) | set(maps_mention(process, "torch", "transformers")))
            await asyncio.sleep(0.25)
        with contextlib.suppress(TimeoutError):
            watcher.result()
            done = True
        peak_kib = max(peak_kib, *rss_kib(pid))
        async with CommitReader(broker.bootstrap_servers, topics.group, topic, ends) as reader:
            processed = await reader.total()
    imported = imports_at_run_time()
    rows = [
        Row("5 memory", f"peak RSS, {backlog} backlog", peak_kib / 1024, "MB", TARGET_RSS_MB),
        Row("5 memory", "peak RSS with its worker processes", total_kib / 1024, "MB"),
        Row("5 memory", "torch/transformers loaded", float(len(set(heavy) | set(imported))), "", 0.0),
    ]
    details = {
        "backlog": sum(ends.values()),
        "processed_while_sampled": processed,
        "drained": done,
        "sampled_seconds_cap": max_seconds,
        "rss_mb_curve": curve,
        "mapped_in_service": heavy,
        "imported_by_service_code": imported,
    }
    return rows, details


_IMPORT_PROBE = """
import sys
import consumer.cli, consumer.service, consumer.kafka
from handlers.pipeline import Pipeline
from schemas import RawArticle
Pipeline.build().process(RawArticle.model_validate({"id": "x", "language": "ar", "body": "قمة"}))
print(",".join(sorted({m.split(".")[0] for m in sys.modules} & {"torch", "transformers"})))
"""


def imports_at_run_time() -> list[str]:
    """torch / transformers among the modules the service's code path imports (should be none)."""
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return [name for name in out.stdout.strip().split(",") if name]
