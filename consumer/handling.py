"""Handling articles in this process: `InlineHandling` (no budget), the start-up warm-up and heap freeze.

The service handles articles in worker processes (`consumer.workers.WorkerPool`), where a deadline can be
enforced; `InlineHandling` runs the handler on the event loop's thread, for tests and for embedding a
handler whose time is known to be small.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Sequence
from importlib.resources import files

from consumer.envelope import Envelope, encode_event, parse_article, summit_record
from consumer.errors import HandlerError
from consumer.health import Metrics
from consumer.logs import get_logger
from consumer.ports import Handled, HandledOrFailed
from schemas import RawArticle, RegionalSummit

log = get_logger(__name__)

Handler = Callable[[RawArticle], Sequence[RegionalSummit]]


def handle_once(handle: Handler, article: RawArticle) -> Handled:
    """`article`'s events, encoded; whatever the handler raises (or returns that is not an event) is a
    HandlerError naming the handler's own exception class."""
    try:
        return tuple(encode_event(event) for event in handle(article))
    # rule: whatever the handler raises is a bug in handling this article -> stage handle
    except Exception as exc:
        raise HandlerError(f"{type(exc).__name__}: {exc}") from exc


class InlineHandling:
    """The handler called on the event loop's thread, one article after another: nothing can stop an article
    that takes too long (use `consumer.workers.WorkerPool` for a budget)."""

    def __init__(self, handle: Handler, metrics: Metrics | None = None) -> None:
        self._handle = handle
        self._metrics = metrics or Metrics()

    async def start(self) -> None:
        pass

    def submit(self, articles: Sequence[RawArticle]) -> asyncio.Future[list[HandledOrFailed]]:
        outcomes: list[HandledOrFailed] = []
        observe, clock = self._metrics.handler_seconds.observe, time.perf_counter
        for article in articles:
            started = clock()
            try:
                outcomes.append(handle_once(self._handle, article))
            except HandlerError as exc:
                outcomes.append(exc)
            observe(clock() - started)
        future: asyncio.Future[list[HandledOrFailed]] = asyncio.get_running_loop().create_future()
        future.set_result(outcomes)
        return future

    def room(self) -> int:
        return 1 << 30  # handled before `submit` returns: nothing ever waits

    def ready(self) -> bool:
        return True

    async def stop(self) -> None:
        pass


def warm_up(handle: Handler, output_topic: str) -> None:
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
