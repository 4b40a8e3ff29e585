"""The streaming service: start-up checks, health server, signals, handlers, runtime; returns an exit code."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from consumer.errors import ConfigError, StartupError, SummitError
from consumer.handling import Handler, InlineHandling, freeze_startup_heap, warm_up
from consumer.health import HealthServer, Metrics
from consumer.kafka import KafkaSink, KafkaSource, prepare_topics
from consumer.logs import configure_logging, get_logger
from consumer.ports import Handling
from consumer.runtime import Runtime, RuntimePolicy
from consumer.settings import Settings
from consumer.workers import WorkerConfig, WorkerPool

log = get_logger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1  # the runtime stopped on a fatal error; nothing past it was committed
EXIT_CONFIG = 2
EXIT_STARTUP = 3  # broker unreachable, topics missing, metrics port taken


async def run_service(
    settings: Settings,
    handle: Handler | None = None,
    *,
    stop: asyncio.Event | None = None,
) -> int:
    """Run until SIGTERM/SIGINT (or `stop`): finish in-flight messages, commit, close; return an exit code.

    Articles are handled by `settings.worker_count()` worker processes with a per-article budget (the
    service); given `handle`, by that handler in this process instead, with no budget (tests, embedding).
    """
    configure_logging(settings.log_level, settings.log_format)
    log.info("service_starting", settings=settings.masked())
    stop = stop or asyncio.Event()
    metrics = Metrics()
    handling: Handling
    if handle is None:
        handling = WorkerPool(
            workers=settings.worker_count(),
            timeout_s=settings.handler_timeout_ms / 1000,
            metrics=metrics,
            config=WorkerConfig(
                log_level=settings.log_level,
                log_format=settings.log_format,
                answer_after_s=settings.worker_answer_ms / 1000,
            ),
        )
    else:
        handling = InlineHandling(handle, metrics)
    runtime = Runtime(
        source=KafkaSource(settings),
        sink=KafkaSink(settings),
        handling=handling,
        output_topic=settings.output_topic,
        dlq_topic=settings.dlq_topic,
        policy=RuntimePolicy.from_settings(settings),
        metrics=metrics,
    )
    health = HealthServer(settings.metrics_port, metrics, runtime.is_ready) if settings.metrics_port else None

    async def start_up() -> bool:
        if not await unless_stopped(prepare_topics(settings), stop):
            return False
        if handle is not None:  # worker processes warm up and freeze their own heaps
            warm_up(handle, settings.output_topic)
        freeze_startup_heap()
        if stop.is_set():
            log.info("stopped_during_start_up")
            return False
        return True

    return await serve(stop, health, start_up, runtime.run)


async def serve(
    stop: asyncio.Event,
    health: HealthServer | None,
    start_up: Callable[[], Awaitable[bool]],
    run: Callable[[asyncio.Event], Awaitable[None]],
) -> int:
    """The life of a service process (`run` and the table stage): signals set `stop`, the health server
    runs throughout, `start_up` (False: stopped meanwhile, exit 0), then `run` until `stop`; failures map
    to the exit codes above."""
    with stop_on_signals(stop):
        try:
            if health is not None:
                await health.start()
            if not await start_up():
                return EXIT_OK
            await run(stop)
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
