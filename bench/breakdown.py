"""Where a message's latency goes (issue 15): the service's runtime, instrumented, at a fixed input rate.

`python -m bench.breakdown --rate 205 --seconds 20 --workers 2 --repeats 3` starts a local broker, then per
run a service process (`python -m bench.breakdown serve NOTES`: the same `Runtime`, `KafkaSource`,
`KafkaSink` and `WorkerPool` as `summit-consumer run`, each wrapped to note the wall-clock time an article
passes it) fed the real stream at `--rate` articles/s, and prints, per stage, p50/p99 over the summit
reports (whose events are published) and over every article:

    ts          the input record's timestamp (the bench's producer stamps its send time)
    fetched     KafkaSource.fetch returned it
    dispatched  handed to the worker pool (`submit`)
    start, end  the handler in a worker process began / finished it
    back        its chunk's answer was read by the service
    handled     its unit's outcomes were all in (a non-summit article settles here)
    sent        its event records were enqueued to the producer (summit reports only)
    acked       the last of them acknowledged (acks=all)
    committed   a commit covering its offset was acknowledged

With `--compare ENV=VALUE` each repeat runs once as is and once with that setting, alternating.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Awaitable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from consumer.broker import LocalBroker
from consumer.envelope import Envelope, OutboundRecord
from consumer.handling import freeze_startup_heap
from consumer.health import Metrics
from consumer.kafka import KafkaSink, KafkaSource
from consumer.logs import configure_logging
from consumer.ports import Ack, HandledOrFailed, Partition
from consumer.runtime import Runtime, RuntimePolicy
from consumer.settings import Settings
from consumer.workers import WorkerConfig, WorkerPool
from handlers.pipeline import Pipeline
from schemas import RawArticle, RegionalSummit

STAGES = ("ts", "fetched", "dispatched", "start", "end", "back", "handled", "sent", "acked", "committed")
_NOTES = "BENCH_BREAKDOWN_NOTES"


def _now() -> float:
    return time.time() * 1000.0


class Notes:
    """Per article id, the wall-clock ms at which it passed each stage (the service process's side)."""

    def __init__(self) -> None:
        self.stamps: dict[str, dict[str, float]] = {}
        self.fetched: dict[tuple[int, int], float] = {}
        self.offsets: dict[int, deque[tuple[int, str]]] = {}  # partition -> (offset, id) not committed yet
        self.current: Sequence[Envelope] = ()

    def note(self, article: str, stage: str, at: float | None = None) -> None:
        self.stamps.setdefault(article, {}).setdefault(stage, _now() if at is None else at)

    def dispatched(self, articles: Sequence[RawArticle]) -> None:
        now = _now()
        envelopes = self.current
        if len(envelopes) != len(articles):
            return  # a message that did not parse: the unit is not timed
        for envelope, article in zip(envelopes, articles, strict=True):
            stamps = self.stamps.setdefault(article.id, {})
            if envelope.timestamp is not None:
                stamps["ts"] = float(envelope.timestamp)
            fetched = self.fetched.pop((envelope.partition, envelope.offset), None)
            if fetched is not None:
                stamps["fetched"] = fetched
            stamps["dispatched"] = now
            self.offsets.setdefault(envelope.partition, deque()).append((envelope.offset, article.id))

    def committed(self, offsets: Mapping[Partition, int]) -> None:
        now = _now()
        for partition, offset in offsets.items():
            waiting = self.offsets.get(partition.partition)
            while waiting and waiting[0][0] < offset:
                self.note(waiting.popleft()[1], "committed", now)


NOTES = Notes()


class TimedSource(KafkaSource):
    async def fetch(self, *, max_records: int, timeout_s: float) -> Sequence[Envelope]:
        envelopes = await super().fetch(max_records=max_records, timeout_s=timeout_s)
        now = _now()
        for envelope in envelopes:
            NOTES.fetched[(envelope.partition, envelope.offset)] = now
        return envelopes

    async def commit(self, offsets: Mapping[Partition, int]) -> None:
        await super().commit(offsets)
        NOTES.committed(offsets)


class TimedSink(KafkaSink):
    async def send(self, record: OutboundRecord) -> Awaitable[Ack]:
        pending = await super().send(record)
        if record.value is None or record.topic != self._settings.output_topic:
            return pending
        article = orjson.loads(record.value)["article"]["id"]
        NOTES.stamps.setdefault(article, {})["sent"] = _now()
        future = asyncio.ensure_future(pending)
        future.add_done_callback(lambda _: NOTES.stamps[article].__setitem__("acked", _now()))
        return future


def _handled(ids: Sequence[str]) -> None:
    now = _now()
    for article in ids:
        NOTES.note(article, "handled", now)


class TimedPool(WorkerPool):
    def submit(self, articles: Sequence[RawArticle]) -> asyncio.Future[list[HandledOrFailed]]:
        NOTES.dispatched(articles)
        future = super().submit(articles)
        ids = [article.id for article in articles]
        future.add_done_callback(lambda _: _handled(ids))
        return future

    def _finished(self, worker: Any, message: tuple[Any, ...]) -> None:
        if worker.chunks and worker.chunks[0].number == message[1]:
            now = _now()
            items = worker.chunks[0].items
            if len(message) == 5:  # ("done" or "part", number, first, outcomes, seconds)
                items = items[message[2] : message[2] + len(message[3])]
            for batch, index in items:
                NOTES.note(batch.articles[index].id, "back", now)
        super()._finished(worker, message)


class TimedRuntime(Runtime):
    def _dispatch(self, envelopes: Sequence[Envelope]) -> bool:
        NOTES.current = envelopes
        try:
            return super()._dispatch(envelopes)
        finally:
            NOTES.current = ()


class TimedHandler:
    """The pipeline in a worker process, noting when each article began and ended (one line each)."""

    def __init__(self, pipeline: Pipeline, notes: Path) -> None:
        self._pipeline = pipeline
        self._notes = notes.open("ab", buffering=1 << 16)

    def __call__(self, article: RawArticle) -> list[RegionalSummit]:
        start = _now()
        try:
            return self._pipeline.process(article)
        finally:
            line = {"article": article.id, "start": start, "end": _now()}
            self._notes.write(orjson.dumps(line) + b"\n")
            self._notes.flush()


def timed_pipeline() -> TimedHandler:
    notes = Path(os.environ[_NOTES]) / f"worker-{os.getpid()}.jsonl"
    return TimedHandler(Pipeline.build(), notes)


def _worker_config(settings: Settings) -> WorkerConfig:
    """The workers' settings as the service gives them (an older tree, run with `--tree`, has fewer)."""
    options: dict[str, Any] = {"log_level": settings.log_level, "log_format": settings.log_format}
    answer_ms = getattr(settings, "worker_answer_ms", None)
    if answer_ms is not None:
        options["answer_after_s"] = answer_ms / 1000
    return WorkerConfig(factory=timed_pipeline, **options)


async def serve(settings: Settings, notes: Path) -> None:
    """The instrumented service: runs until SIGTERM, then writes NOTES/service.json."""
    configure_logging(settings.log_level, settings.log_format)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    os.environ[_NOTES] = str(notes)
    metrics = Metrics()
    handling = TimedPool(
        workers=settings.worker_count(),
        timeout_s=settings.handler_timeout_ms / 1000,
        metrics=metrics,
        config=_worker_config(settings),
    )
    runtime = TimedRuntime(
        source=TimedSource(settings),
        sink=TimedSink(settings),
        handling=handling,
        output_topic=settings.output_topic,
        dlq_topic=settings.dlq_topic,
        policy=RuntimePolicy.from_settings(settings),
        metrics=metrics,
    )
    freeze_startup_heap()

    async def ready() -> None:
        while not runtime.is_ready():  # noqa: ASYNC110  # readiness is a predicate only
            await asyncio.sleep(0.05)
        (notes / "ready").write_text("ready\n")

    waiting = asyncio.ensure_future(ready())
    try:
        await runtime.run(stop)
    finally:
        waiting.cancel()
        (notes / "service.json").write_bytes(orjson.dumps(NOTES.stamps))


# -- the driver ------------------------------------------------------------------------------------------


def collect(notes: Path, sent: Mapping[str, float]) -> dict[str, dict[str, float]]:
    """Every article produced in this run: its stamps from the service and its workers."""
    stamps: dict[str, dict[str, float]] = orjson.loads((notes / "service.json").read_bytes())
    for worker in notes.glob("worker-*.jsonl"):
        for line in worker.read_bytes().splitlines():
            note = orjson.loads(line)
            article = stamps.get(note["article"])
            if article is not None and "start" not in article:
                article["start"], article["end"] = note["start"], note["end"]
    return {article: stamps[article] for article in sent if article in stamps}


def _pct(values: Sequence[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(sorted(values), n=100, method="inclusive")[q - 1]


SPANS = (
    ("ts", "fetched", "producer -> broker -> fetch"),
    ("fetched", "dispatched", "fetched -> handed to pool"),
    ("dispatched", "start", "pool -> handler start (pipe, chunk-mates)"),
    ("start", "end", "handler"),
    ("end", "back", "handler end -> answer read (rest of chunk)"),
    ("back", "handled", "answer -> unit complete (other chunks)"),
    ("handled", "sent", "unit complete -> records enqueued"),
    ("sent", "acked", "enqueued -> acked (producer, broker)"),
    ("handled", "committed", "settled -> commit acked"),
    ("ts", "start", "TOTAL ts -> handler start"),
    ("ts", "handled", "TOTAL ts -> handled (settled if no event)"),
    ("ts", "acked", "TOTAL ts -> output ack"),
)


def summarise(stamps: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, list[float]]]:
    """Per span: (events p50, events p99, all p50, all p99, count of events)."""
    events = [s for s in stamps.values() if "acked" in s]
    table: dict[str, dict[str, list[float]]] = {}
    for a, b, name in SPANS:
        ev = [s[b] - s[a] for s in events if a in s and b in s]
        al = [s[b] - s[a] for s in stamps.values() if a in s and b in s]
        table[name] = {"events": ev, "all": al}
    return table


def print_table(label: str, table: Mapping[str, Mapping[str, list[float]]]) -> None:
    print(f"\n{label}")
    print(f"{'span':48} {'ev p50':>8} {'ev p99':>8} {'all p50':>8} {'all p99':>8} {'n ev':>5} {'n all':>6}")
    for name, cell in table.items():
        ev, al = cell["events"], cell["all"]
        print(
            f"{name:48} {_pct(ev, 50):8.1f} {_pct(ev, 99):8.1f} {_pct(al, 50):8.1f} {_pct(al, 99):8.1f}"
            f" {len(ev):5d} {len(al):6d}"
        )


async def one_run(
    broker: LocalBroker,
    rate: float,
    seconds: float,
    workers: int,
    extra: Mapping[str, str],
    tree: Path | None = None,
) -> dict[str, dict[str, list[float]]]:
    from bench.kafka_io import watch_commits
    from bench.streaming import Topics, _produce_at, _wait_for, stream_documents

    topics = Topics.fresh()
    await broker.create_topics([topics.input, topics.output, topics.dlq], 6)
    docs, _ = stream_documents(max(100, int(rate * seconds)))
    with tempfile.TemporaryDirectory(prefix="breakdown-") as tmp:
        notes = Path(tmp)
        env = topics.env(broker, SUMMIT_WORKERS=str(workers), **extra)
        proc = _launch(notes, env, tree)
        try:
            await _wait_for(notes / "ready", 90)
            await asyncio.sleep(1.0)  # the group settles
            sent, ends = await _produce_at(broker.bootstrap_servers, topics.input, docs, rate)
            await watch_commits(
                broker.bootstrap_servers, topics.group, topics.input, ends, timeout_s=60 + seconds
            )
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        return summarise(collect(notes, sent))


def _launch(notes: Path, env: Mapping[str, str], tree: Path | None) -> subprocess.Popen[bytes]:
    """The instrumented service; with `tree`, its `consumer` package is that tree's (the rest: this one's)."""
    command = [sys.executable, "-m", "bench.breakdown", "serve", str(notes)]
    if tree is not None:
        here = str(Path(__file__).resolve().parent.parent)
        runner = f"import sys; sys.path[:0] = [{str(tree)!r}, {here!r}]; import runpy; "
        runner += "runpy.run_module('bench.breakdown', run_name='__main__', alter_sys=True)"
        command = [sys.executable, "-c", runner, "serve", str(notes)]
    with (notes / "service.log").open("wb") as err:
        return subprocess.Popen(
            command,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
        )


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


async def drive(args: argparse.Namespace) -> None:
    variants: list[tuple[str, dict[str, str], Path | None]] = []
    if args.base_tree is not None:
        variants.append((f"consumer/ of {args.base_tree}", {}, args.base_tree))
    variants.append(("this tree", {}, None))
    for setting in args.compare or []:
        env = dict(part.partition("=")[::2] for part in setting.split(","))
        variants.append((setting, env, None))
    merged: dict[str, dict[str, dict[str, list[float]]]] = {}
    async with LocalBroker() as broker:
        for repeat in range(args.repeats):
            for label, extra, tree in variants:
                before = _load()
                table = await one_run(broker, args.rate, args.seconds, args.workers, extra, tree)
                title = (
                    f"run {repeat + 1} [{label}] {args.workers} workers, {args.rate:g} art/s, load {before}"
                )
                print_table(title, table)
                summary = merged.setdefault(label, {})
                for name, cell in table.items():
                    into = summary.setdefault(name, {"events": [], "all": []})
                    into["events"] += cell["events"]
                    into["all"] += cell["all"]
                sys.stdout.flush()
    for label, table in merged.items():
        print_table(f"ALL RUNS POOLED [{label}]", table)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:
        asyncio.run(serve(Settings.from_env(), Path(argv[1])))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.breakdown", description=__doc__)
    parser.add_argument("--rate", type=float, default=205.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--compare", action="append", help="ENV=VALUE[,ENV=VALUE]: another variant, alternated"
    )
    parser.add_argument(
        "--base-tree", type=Path, help="a directory holding another `consumer` package: a variant, run first"
    )
    asyncio.run(drive(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
