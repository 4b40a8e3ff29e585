"""The service's runtime with a tap on its sink: when each output record was acknowledged (part 3).

`python -m bench.tap ACKS_FILE` runs the same `Runtime`, `KafkaSource`, `KafkaSink` and worker processes
running the handler pipeline as `summit-consumer run` (settings from `SUMMIT_*`), writes ACKS_FILE.ready
once it holds partitions, and on SIGTERM writes one JSON line per acknowledged event: article id, wall
time (ms) of its acknowledgement and of the article reaching the handler (noted by each worker in
ACKS_FILE.<pid>.reached, one line per article).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Awaitable
from pathlib import Path

import orjson

from consumer.envelope import OutboundRecord
from consumer.handling import freeze_startup_heap
from consumer.health import Metrics
from consumer.kafka import KafkaSink, KafkaSource
from consumer.logs import configure_logging
from consumer.ports import Ack
from consumer.runtime import Runtime, RuntimePolicy
from consumer.settings import Settings
from consumer.workers import WorkerConfig, WorkerPool
from handlers.pipeline import Pipeline
from schemas import RawArticle, RegionalSummit


class TapSink:
    """A `Sink` that notes the wall-clock time each acknowledgement arrives, then passes it on."""

    def __init__(self, sink: KafkaSink) -> None:
        self._sink = sink
        self.acked: list[tuple[bytes, float]] = []

    async def start(self) -> None:
        await self._sink.start()

    async def send(self, record: OutboundRecord) -> Awaitable[Ack]:
        pending = await self._sink.send(record)
        future = asyncio.ensure_future(pending)
        future.add_done_callback(lambda done: self._note(record, done))
        return future

    def _note(self, record: OutboundRecord, done: asyncio.Future[Ack]) -> None:
        if record.value is not None and not done.cancelled() and done.exception() is None:
            self.acked.append((record.value, time.time() * 1000.0))

    async def stop(self) -> None:
        await self._sink.stop()


class TimedHandler:
    """The handler pipeline in a worker process, noting when each article reached it (splits the latency)."""

    def __init__(self, pipeline: Pipeline, notes: Path) -> None:
        self._pipeline = pipeline
        self._notes = notes.open("ab", buffering=0)

    def __call__(self, article: RawArticle) -> list[RegionalSummit]:
        self._notes.write(orjson.dumps({"article": article.id, "ms": time.time() * 1000.0}) + b"\n")
        return self._pipeline.process(article)


def timed_pipeline() -> TimedHandler:
    """The worker processes' handler (built in each; the notes file is named by the tap's environment)."""
    notes = Path(os.environ[_NOTES]).with_suffix(f".{os.getpid()}.reached")
    return TimedHandler(Pipeline.build(), notes)


_NOTES = "BENCH_TAP_ACKS_FILE"


def _reached(acks_file: Path) -> dict[str, float]:
    reached: dict[str, float] = {}
    for notes in acks_file.parent.glob(f"{acks_file.stem}.*.reached"):
        for line in notes.read_bytes().splitlines():
            note = orjson.loads(line)
            reached.setdefault(note["article"], note["ms"])  # a warm-up repeat keeps the first
    return reached


async def _ready_file(runtime: Runtime, path: Path) -> None:
    while not runtime.is_ready():  # noqa: ASYNC110  # the runtime exposes readiness as a predicate only
        await asyncio.sleep(0.05)
    await asyncio.to_thread(path.write_text, "ready\n")


async def run(settings: Settings, acks_file: Path) -> None:
    configure_logging(settings.log_level, settings.log_format)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    sink = TapSink(KafkaSink(settings))
    os.environ[_NOTES] = str(acks_file)  # read by the worker processes (spawned: they inherit it)
    metrics = Metrics()
    handling = WorkerPool(
        workers=settings.worker_count(),
        timeout_s=settings.handler_timeout_ms / 1000,
        metrics=metrics,
        config=WorkerConfig(
            factory=timed_pipeline,
            log_level=settings.log_level,
            log_format=settings.log_format,
            answer_after_s=settings.worker_answer_ms / 1000,
        ),
    )
    runtime = Runtime(
        source=KafkaSource(settings),
        sink=sink,
        handling=handling,
        output_topic=settings.output_topic,
        dlq_topic=settings.dlq_topic,
        policy=RuntimePolicy.from_settings(settings),
        metrics=metrics,
    )
    freeze_startup_heap()  # as `run_service` does; the workers warm up and freeze their own
    ready = asyncio.ensure_future(_ready_file(runtime, acks_file.with_suffix(".ready")))
    try:
        await runtime.run(stop)
    finally:
        ready.cancel()
        reached = _reached(acks_file)
        with acks_file.open("wb") as out:
            for value, at in sink.acked:
                article = orjson.loads(value)["article"]["id"]
                line = {"article": article, "ack_ms": at, "handled_ms": reached.get(article)}
                out.write(orjson.dumps(line) + b"\n")


if __name__ == "__main__":
    asyncio.run(run(Settings.from_env(), Path(sys.argv[1])))
