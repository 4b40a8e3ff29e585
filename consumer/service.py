"""The streaming service: start-up checks, health server, signals, the runtime; returns an exit code."""

from __future__ import annotations

import asyncio
import gc
import signal
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.resources import files

from consumer.envelope import Envelope, parse_article, summit_record
from consumer.errors import ConfigError, StartupError, SummitError
from consumer.health import HealthServer, Metrics
from consumer.kafka import KafkaSink, KafkaSource, prepare_topics
from consumer.logs import configure_logging, get_logger
from consumer.runtime import Runtime, RuntimePolicy
from consumer.settings import Settings
from schemas import RawArticle, RegionalSummit

log = get_logger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1  # the runtime stopped on a fatal error; nothing past it was committed
EXIT_CONFIG = 2
EXIT_STARTUP = 3  # broker unreachable, topics missing, metrics port taken


async def run_service(
    settings: Settings,
    handle: Callable[[RawArticle], Sequence[RegionalSummit]],
    *,
    stop: asyncio.Event | None = None,
) -> int:
    """Run until SIGTERM/SIGINT (or `stop`): finish in-flight messages, commit, close; return an exit code."""
    configure_logging(settings.log_level, settings.log_format)
    log.info("service_starting", settings=settings.masked())
    stop = stop or asyncio.Event()
    metrics = Metrics()
    runtime = Runtime(
        source=KafkaSource(settings),
        sink=KafkaSink(settings),
        handle=handle,
        output_topic=settings.output_topic,
        dlq_topic=settings.dlq_topic,
        policy=RuntimePolicy.from_settings(settings),
        metrics=metrics,
    )
    health = HealthServer(settings.metrics_port, metrics, runtime.is_ready) if settings.metrics_port else None
    with stop_on_signals(stop):
        try:
            if health is not None:
                await health.start()
            if not await unless_stopped(prepare_topics(settings), stop):
                return EXIT_OK
            warm_up(handle, settings.output_topic)
            freeze_startup_heap()
            if stop.is_set():
                log.info("stopped_during_start_up")
                return EXIT_OK
            await runtime.run(stop)
        except (StartupError, ConfigError) as exc:
            log.error("service_not_started", error=str(exc), error_class=type(exc).__name__)
            return EXIT_CONFIG if isinstance(exc, ConfigError) else EXIT_STARTUP
        except SummitError as exc:
            log.error("service_failed", error=str(exc), error_class=type(exc).__name__)
            return EXIT_FAILURE
        # rule: a bug anywhere below ends the service with its traceback logged and exit code 1
        except Exception:
            log.exception("service_crashed")
            return EXIT_FAILURE
        finally:
            if health is not None:
                await health.stop()
    log.info("service_stopped")
    return EXIT_OK


def warm_up(handle: Callable[[RawArticle], Sequence[RegionalSummit]], output_topic: str) -> None:
    """Run the bundled sample articles through decode, handler and encode once, before the first message.

    The first articles otherwise pay for the lazy set-up of the handlers and serializers (the very first
    one ~25 ms, the first 30 ~50 ms more than warm ones): a stalled loop that was the p99 of the latency
    benchmark. Nothing is written and nothing is counted.
    """
    started = time.perf_counter()
    try:
        lines = files("consumer").joinpath("samples/articles.jsonl").read_bytes().splitlines()
    except OSError as exc:  # a trimmed install: start cold rather than not at all
        log.warning("warm_up_skipped", error=str(exc))
        return
    for offset, line in enumerate(lines):
        try:
            article = parse_article(Envelope("warm-up", 0, offset, None, line), max_bytes=len(line))
            for event in handle(article):
                summit_record(event, topic=output_topic)
        # rule: warming up decides nothing; a handler bug shows again, and is dead-lettered, on real input
        except Exception as exc:
            log.warning("warm_up_failed", error=repr(exc))
            return
    log.info("warm_up_done", articles=len(lines), seconds=round(time.perf_counter() - started, 3))


def freeze_startup_heap() -> None:
    """Put what start-up built (the knowledge base, compiled matchers) out of the garbage collector's walks.

    Without it every full collection walks those ~120 000 long-lived objects (~50 ms of stalled loop,
    measured); they are never freed anyway.
    """
    gc.collect()
    gc.freeze()


async def unless_stopped(step: Awaitable[None], stop: asyncio.Event) -> bool:
    """Run a start-up step (topic checks, connecting) unless a stop is asked for first: then the step is
    cancelled and False returned, so a SIGTERM during start-up ends the service with exit 0 at once rather
    than after the step times out (a broker that does not answer held it for its whole timeout, then exit 3).
    """
    task = asyncio.ensure_future(step)
    if not stop.is_set():
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
    if not task.done():
        task.cancel()
        await asyncio.wait({task})
        log.info("stopped_during_start_up")
        return False
    task.result()  # the step's own failure (StartupError ...) goes on as before
    return True


@contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set `stop` (stop fetching, finish in flight, commit, close) while inside."""
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    for sig in signals:
        loop.add_signal_handler(sig, _on_signal, stop, sig)
    try:
        yield
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


def _on_signal(stop: asyncio.Event, sig: signal.Signals) -> None:
    log.info("signal_received", signal=sig.name)
    stop.set()
