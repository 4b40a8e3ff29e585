"""Handling in worker processes: a budget per article, and the cores of the machine.

    submit(articles) ─> queue ─> chunks to idle workers ─> one answer per chunk (each article's events
                                    │                      or the error it raised) ─> the batch's future
                                    │
                                    └─ an article still running when its budget runs out: the process is
                                       killed (the CPU it used is reclaimed with it), that article fails with
                                       HandlerTimeoutError (a dead letter at stage handle), the others of its
                                       chunk go to another worker, and a new worker takes its place

A worker is a process started with `spawn`: a fresh interpreter, not a fork of the service, which holds
sockets, an event loop, signal handlers and threads that a fork would copy. It builds the handler once
(`pipeline_handler`: the knowledge base and every matcher), warms it up on the bundled samples, freezes its
heap and then handles the articles sent to it, a chunk at a time, over a pipe. The service's event loop only
pickles and unpickles, and never blocks on the pipe (its end is non-blocking, framed as
`multiprocessing.connection` frames): heartbeats, commits and /metrics never wait for a handler. A thread
could not do this: it cannot be stopped, so an article over its budget would keep its core until it finished.

Articles travel in chunks (up to `CHUNK_MAX`, one answer each) because the service's cost is per round trip,
not per article: a wake-up, a read, a write and the futures around them. The budget stays per article: the
worker notes in a word of shared memory which article of which chunk it started and when, and the service
reads it when the chunk's timer fires (no message per article).
"""

from __future__ import annotations

import asyncio
import ctypes
import itertools
import math
import multiprocessing
import os
import pickle
import select
import signal
import struct
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from consumer.errors import HandlerCrashedError, HandlerError, HandlerTimeoutError, StartupError
from consumer.handling import Handler, freeze_startup_heap, handle_once, warm_up
from consumer.health import Metrics
from consumer.logs import configure_logging, get_logger
from consumer.ports import HandledOrFailed
from schemas import RawArticle

log = get_logger(__name__)

Factory = Callable[[], Handler]

CHUNK_MAX = 16  # articles sent to a worker in one message (one answer, or more: `ANSWER_AFTER_S`)
ANSWER_AFTER_S = 0.005  # the default of `WorkerConfig.answer_after_s` (SUMMIT_WORKER_ANSWER_MS)
CHUNK_CHARS = 1 << 20  # and no more body text than this (one article over it goes alone)
# chunks sent to one worker at a time: the next one waits in its pipe, so the worker goes on without waiting
# for the service to read the last answer
PER_WORKER = 2
# articles taken but not answered yet (waiting or sent), per worker: the fetch stops there (each article
# may be up to max_message_bytes)
QUEUE_PER_WORKER = PER_WORKER * CHUNK_MAX
START_TIMEOUT_S = 120.0  # for every worker to build and warm up its handler at start-up
_RESPAWN_DELAY_S = (1.0, 30.0)  # after a replacement failed to start: first delay, doubling up to the cap
_STOP_GRACE_S = 2.0  # for idle workers to exit on their own at shutdown before they are killed
_READ_BYTES = 1 << 18

# the shared progress word: (start in ms of the monotonic clock) << 22 | (chunk number % 1024) << 12 | index
_NUMBER_BITS, _INDEX_BITS = 10, 12
assert CHUNK_MAX < 1 << _INDEX_BITS
_NUMBER_MASK, _INDEX_MASK = (1 << _NUMBER_BITS) - 1, (1 << _INDEX_BITS) - 1
_TIME_SHIFT = _NUMBER_BITS + _INDEX_BITS


def pipeline_handler() -> Handler:
    """The handler pipeline: built in the worker process, once."""
    from handlers.pipeline import Pipeline

    return Pipeline.build().process


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker process needs to start (pickled to it)."""

    factory: Factory = pipeline_handler
    log_level: str = "INFO"
    log_format: str = "json"
    # longest a handled article's outcome waits in its worker for the rest of its chunk: past it, the
    # outcomes so far are answered at once (a partial answer) and the chunk goes on
    answer_after_s: float = ANSWER_AFTER_S


def serve(conn: Connection, config: WorkerConfig, progress: Any = None) -> None:
    """A worker process: build and warm up the handler, then handle each chunk sent until the pipe closes.

    Each chunk is answered at its end, and before that after an article with records to write (events or
    a failure) or, while no other chunk waits in the pipe, whenever the next article would keep an outcome
    waiting longer than `answer_after_s` (by the pace of the articles so far): `("part" or "done", number,
    index of the first outcome, outcomes, seconds)`, per article `(True, events)` or `(False, (error class,
    message))` and the seconds it took. Before each article, `progress` (a shared int64) names it and its
    start.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the process group: the service decides
    configure_logging(config.log_level, config.log_format)
    try:
        handle = config.factory()
        warm_up(handle, "warm-up")
        freeze_startup_heap()
    # rule: any failure to build the handler is told to the service, which does not start (exit 3)
    except Exception as exc:
        _reply(conn, ("failed", f"{type(exc).__name__}: {exc}"))
        return
    _reply(conn, ("ready", os.getpid()))
    clock, monotonic = time.perf_counter, time.monotonic
    answer_after = config.answer_after_s
    waiting = select.poll()  # is the next chunk already in the pipe? (a backlog: answer by the chunk)
    waiting.register(conn.fileno(), select.POLLIN)
    pace = 0.0  # the time an article takes here, a moving average: what the next one should take
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the service closed the pipe (stopping), or is gone
        if job is None:
            return
        number, articles = job
        tag = (number & _NUMBER_MASK) << _INDEX_BITS
        outcomes: list[tuple[bool, object]] = []
        seconds: list[float] = []
        first = 0  # the index of outcomes[0] in the chunk
        oldest = 0.0  # when outcomes[0] was ready
        last = len(articles) - 1
        for index, article in enumerate(articles):
            if progress is not None:
                progress.value = (int(monotonic() * 1000) << _TIME_SHIFT) | tag | index
            started = clock()
            try:
                events = handle_once(handle, article)
                outcomes.append((True, events))
                urgent = bool(events)
            except HandlerError as exc:
                outcomes.append((False, (exc.error_class, str(exc))))
                urgent = True  # a dead letter to write
            ended = clock()
            seconds.append(ended - started)
            pace += (ended - started - pace) / 8
            if len(outcomes) == 1:
                oldest = ended
            if index < last and (urgent or (ended + pace - oldest >= answer_after and not waiting.poll(0))):
                # something to write, or waiting for the next article would keep these past `answer_after`
                # while no other chunk waits (in a backlog an answer per chunk costs the service least)
                if not _reply(conn, ("part", number, first, outcomes, seconds)):
                    return
                first, outcomes, seconds = index + 1, [], []
        if not _reply(conn, ("done", number, first, outcomes, seconds)):
            return


def _reply(conn: Connection, message: tuple[object, ...]) -> bool:
    try:
        conn.send(message)
    except (OSError, ValueError):
        return False  # the service is gone
    return True


def _frame(message: object) -> bytes:
    """`message` as `multiprocessing.connection` frames it (what the worker's `Connection.recv` reads)."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    if len(payload) > 0x7FFFFFFF:
        return struct.pack("!iQ", -1, len(payload)) + payload
    return struct.pack("!i", len(payload)) + payload


class _Batch:
    """One `submit`: its articles, their outcomes as they come, the future resolved with all of them."""

    __slots__ = ("articles", "future", "outcomes", "pending")

    def __init__(self, articles: Sequence[RawArticle], future: asyncio.Future[list[HandledOrFailed]]) -> None:
        self.articles = articles
        self.future = future
        self.outcomes: list[HandledOrFailed | None] = [None] * len(articles)
        self.pending = len(articles)

    def resolve(self, index: int, outcome: HandledOrFailed) -> None:
        if self.outcomes[index] is None:
            self.outcomes[index] = outcome
            self.pending -= 1
            if self.pending == 0 and not self.future.done():
                self.future.set_result(self.outcomes)  # type: ignore[arg-type]  # none is None now


_Item = tuple[_Batch, int]  # one article: its batch and its place in it


class _Chunk:
    """Articles sent to a worker in one message, answered in one."""

    __slots__ = ("answered", "items", "number", "since")

    def __init__(self, number: int, items: list[_Item]) -> None:
        self.number = number
        self.items = items
        self.answered = 0  # items answered by partial answers, from the first
        self.since = 0.0  # when it became the one its worker handles (monotonic seconds)


class _Worker:
    """The service's side of one worker process."""

    __slots__ = ("chunks", "conn", "fd", "inbox", "outbox", "process", "progress", "ready", "timer")

    def __init__(self, process: BaseProcess, conn: Connection, progress: Any) -> None:
        self.process, self.conn, self.progress = process, conn, progress
        self.fd = conn.fileno()
        self.ready = False
        self.chunks: deque[_Chunk] = deque()  # sent, in order; the first is the one being handled
        self.timer: asyncio.TimerHandle | None = None  # the first chunk's budget check
        self.inbox = bytearray()  # bytes read, not yet a whole frame
        self.outbox = bytearray()  # frames not yet taken by the pipe (it was full)


class WorkerPool:
    """`workers` handler processes, each article bounded by `timeout_s` (see the module docstring)."""

    def __init__(
        self,
        *,
        workers: int,
        timeout_s: float,
        metrics: Metrics | None = None,
        config: WorkerConfig | None = None,
        start_timeout_s: float = START_TIMEOUT_S,
    ) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self._count, self._timeout_s, self._start_timeout_s = workers, timeout_s, start_timeout_s
        self._metrics = metrics or Metrics()
        self._config = config or WorkerConfig()
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._queue: deque[_Item] = deque()  # articles not sent yet, in order
        self._taken = 0  # articles submitted and not answered yet (queued or sent)
        self._numbers = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None  # set when a worker becomes ready or fails to start
        self._failures: list[str] = []  # start failures not yet acted on
        self._respawn_delay = _RESPAWN_DELAY_S[0]
        self._started = False
        self._closed = False

    # -- the port ---------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start every worker and wait until each is ready; StartupError if one cannot build its handler."""
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        started = time.monotonic()
        for _ in range(self._count):
            self._spawn()
        try:
            async with asyncio.timeout(self._start_timeout_s):
                while not self._failures and not all(w.ready for w in self._workers):
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            self._failures.append(f"not ready within {self._start_timeout_s:g} s")
        if self._failures:
            failure = self._failures[0]
            await self.stop()
            raise StartupError(f"a handler process could not start: {failure}")
        self._started = True
        log.info("workers_ready", workers=self._count, seconds=round(time.monotonic() - started, 2))

    def submit(self, articles: Sequence[RawArticle]) -> asyncio.Future[list[HandledOrFailed]]:
        assert self._loop is not None, "start the pool first"
        batch = _Batch(articles, self._loop.create_future())
        if self._closed:
            batch.future.cancel()
            return batch.future
        if not articles:
            batch.future.set_result([])
            return batch.future
        self._queue.extend((batch, index) for index in range(len(articles)))
        self._taken += len(articles)
        self._pump()
        return batch.future

    def room(self) -> int:
        return max(0, self._count * QUEUE_PER_WORKER - self._taken)

    def ready(self) -> bool:
        return any(worker.ready for worker in self._workers)

    async def stop(self) -> None:
        """Drop what waits, kill what runs, let idle workers exit (killed after a grace period)."""
        self._closed = True
        for batch, _ in [*self._queue, *(item for w in self._workers for c in w.chunks for item in c.items)]:
            batch.future.cancel()
        self._queue.clear()
        retired = [self._retire(worker, kill=bool(worker.chunks)) for worker in list(self._workers)]
        deadline = time.monotonic() + _STOP_GRACE_S
        # polled: a process's exit has no awaitable (its sentinel is a file descriptor)
        while any(p.is_alive() for p in retired) and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        for process in retired:
            if process.is_alive():
                process.kill()
            process.join(1.0)
        self._metrics.workers_ready.set(0)

    # -- workers ----------------------------------------------------------------------------------

    def _spawn(self) -> None:
        if self._closed or self._loop is None:
            return
        parent, child = self._context.Pipe(duplex=True)
        progress = self._context.RawValue(ctypes.c_int64, 0)
        process = self._context.Process(target=serve, args=(child, self._config, progress), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent, progress)
        os.set_blocking(worker.fd, False)  # the loop never waits on the pipe (see `_write`)
        self._workers.append(worker)
        self._loop.add_reader(worker.fd, self._on_readable, worker)

    def _on_readable(self, worker: _Worker) -> None:
        """Read what the worker wrote; act on each whole message."""
        while True:
            try:
                data = os.read(worker.fd, _READ_BYTES)
            except BlockingIOError:
                break
            except OSError:
                data = b""
            if not data:
                self._lost(worker)
                return
            worker.inbox += data
            if len(data) < _READ_BYTES:
                break
        inbox = worker.inbox
        while worker in self._workers and len(inbox) >= 4:
            (size,) = struct.unpack_from("!i", inbox)
            start = 4
            if size == -1:
                if len(inbox) < 12:
                    return
                (size,), start = struct.unpack_from("!Q", inbox, 4), 12
            if len(inbox) < start + size:
                return
            message = pickle.loads(memoryview(inbox)[start : start + size])
            del inbox[: start + size]
            self._on_message(worker, message)

    def _write(self, worker: _Worker, data: bytes) -> bool:
        """Queue `data` to the worker's pipe without blocking; False when the pipe is broken."""
        if worker.outbox:
            worker.outbox += data
            return True
        try:
            sent = os.write(worker.fd, data)
        except BlockingIOError:
            sent = 0
        except OSError:
            return False
        if sent < len(data):
            worker.outbox += data[sent:]
            assert self._loop is not None
            self._loop.add_writer(worker.fd, self._on_writable, worker)
        return True

    def _on_writable(self, worker: _Worker) -> None:
        try:
            sent = os.write(worker.fd, worker.outbox)
        except BlockingIOError:
            return
        except OSError:
            self._lost(worker)
            return
        del worker.outbox[:sent]
        if not worker.outbox:
            assert self._loop is not None
            self._loop.remove_writer(worker.fd)

    def _on_message(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "done" or kind == "part":
            self._finished(worker, message)
        elif kind == "ready":
            worker.ready = True
            self._respawn_delay = _RESPAWN_DELAY_S[0]
            self._ready_changed()
            self._pump()
        elif kind == "failed":
            self._start_failed(worker, str(message[1]))

    def _finished(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        """An answer: ("done" or "part", number, index of the first, per article (True, events) or
        (False, (class, message)), seconds). After a "part" the chunk stays with its worker (budget and
        all)."""
        kind, number, first, outcomes, seconds = message
        chunk = worker.chunks[0] if worker.chunks else None
        if kind == "done" and chunk is not None:
            worker.chunks.popleft()
            if worker.timer is not None:
                worker.timer.cancel()
                worker.timer = None
            if worker.chunks:
                self._start_budget(worker)
        observe = self._metrics.handler_seconds.observe
        for took in seconds:
            observe(took)
        if chunk is not None and chunk.number == number:
            items = chunk.items[first : first + len(outcomes)]
            chunk.answered = first + len(items)
            self._taken -= len(items)
            for (batch, index), (ok, outcome) in zip(items, outcomes, strict=True):
                if ok:
                    batch.resolve(index, outcome)
                else:
                    error_class, text = outcome
                    batch.resolve(index, HandlerError(text, raised=error_class))
        if kind == "done":
            self._pump()

    def _pump(self) -> None:
        """Hand waiting articles to workers with room, in chunks shared out evenly."""
        while self._queue:
            ready = [w for w in self._workers if w.ready and len(w.chunks) < PER_WORKER]
            if not ready:
                return
            worker = min(ready, key=lambda w: len(w.chunks))  # an idle one first
            size = min(CHUNK_MAX, math.ceil(len(self._queue) / len(ready)))
            items: list[_Item] = []
            chars = 0
            while self._queue and len(items) < size:
                batch, index = self._queue[0]
                if batch.future.done():
                    self._queue.popleft()
                    self._taken -= 1  # cancelled while it waited
                    continue
                chars += len(batch.articles[index].body)
                if items and chars > CHUNK_CHARS:
                    break
                items.append(self._queue.popleft())
            if not items:
                continue
            chunk = _Chunk(next(self._numbers), items)
            if not self._write(worker, _frame((chunk.number, [batch.articles[i] for batch, i in items]))):
                self._queue.extendleft(reversed(items))  # it never reached the worker: the next one takes it
                self._lost(worker)
                continue
            worker.chunks.append(chunk)
            if len(worker.chunks) == 1:
                self._start_budget(worker)

    def _start_budget(self, worker: _Worker) -> None:
        """The first chunk sent to `worker` and not answered is the one it handles: its budget check runs."""
        assert self._loop is not None
        worker.chunks[0].since = time.monotonic()
        worker.timer = self._loop.call_later(self._timeout_s, self._check_budget, worker)

    def _current(self, worker: _Worker) -> tuple[int, float] | None:
        """Which article of the first chunk the worker handles, and since when (monotonic seconds); None
        when it has finished that chunk (its answer on the way)."""
        chunk = worker.chunks[0]
        word = int(worker.progress.value)
        number, index = (word >> _INDEX_BITS) & _NUMBER_MASK, word & _INDEX_MASK
        if number == chunk.number & _NUMBER_MASK and index < len(chunk.items):
            if index < chunk.answered:
                return None  # answered already (a partial answer): the next one is about to begin
            return index, max(chunk.since, (word >> _TIME_SHIFT) / 1000)
        if any(number == later.number & _NUMBER_MASK for later in itertools.islice(worker.chunks, 1, None)):
            return None
        return 0, chunk.since  # not begun yet: its first article's budget runs from `since`

    def _check_budget(self, worker: _Worker) -> None:
        """The timer of the first chunk: kill the worker if the article it handles is over its budget."""
        worker.timer = None
        self._on_readable(worker)  # an answer already written settles the chunk first
        if worker not in self._workers or not worker.chunks or worker.timer is not None:
            return
        current = self._current(worker)
        now = time.monotonic()
        if current is None:
            delay = self._timeout_s
        else:
            index, since = current
            delay = since + self._timeout_s - now
            if delay <= 0:
                self._expire(worker, index)
                return
        assert self._loop is not None
        worker.timer = self._loop.call_later(max(delay, 0.001), self._check_budget, worker)

    def _requeue(self, worker: _Worker, failed: _Item | None) -> None:
        """Every article sent to `worker` but `failed` goes back to the head of the queue (in order): another
        worker handles it (those it had handled but not answered yet are handled again: their outcomes died
        with it)."""
        items = [
            item for chunk in worker.chunks for item in chunk.items[chunk.answered :] if item is not failed
        ]
        worker.chunks.clear()
        self._queue.extendleft(reversed(items))

    def _expire(self, worker: _Worker, index: int) -> None:
        """The budget ran out: kill the worker (and the CPU it spends), fail the article, replace it."""
        failed = worker.chunks[0].items[index]
        self._requeue(worker, failed)
        self._taken -= 1
        self._metrics.handler_timeouts.inc()
        log.warning("handler_timeout", worker_pid=worker.process.pid, budget_ms=round(self._timeout_s * 1000))
        budget = f"{self._timeout_s * 1000:.0f} ms"
        batch, place = failed
        error = HandlerTimeoutError(f"not handled within {budget}; its worker process was killed")
        batch.resolve(place, error)
        self._replace(worker, "timeout")

    def _lost(self, worker: _Worker) -> None:
        """The worker's pipe closed: the process died."""
        if worker not in self._workers:
            return
        worker.process.join(0.05)  # it is exiting: its exit code, if it comes at once
        if not worker.ready:
            self._start_failed(worker, f"exited while starting (code {worker.process.exitcode})")
            return
        failed: _Item | None = None
        if worker.chunks:
            current = self._current(worker)
            if current is not None:
                failed = worker.chunks[0].items[current[0]]
        self._requeue(worker, failed)
        if failed is not None:
            self._taken -= 1
            code = worker.process.exitcode
            batch, place = failed
            batch.resolve(place, HandlerCrashedError(f"its worker process exited (code {code})"))
        log.warning("worker_exited", worker_pid=worker.process.pid, exitcode=worker.process.exitcode)
        self._replace(worker, "crashed")

    def _replace(self, worker: _Worker, reason: str) -> None:
        self._retire(worker, kill=True)
        self._metrics.workers_restarted.labels(reason=reason).inc()
        self._spawn()
        self._pump()

    def _start_failed(self, worker: _Worker, error: str) -> None:
        self._retire(worker, kill=True)
        if not self._started:
            self._failures.append(error)
            self._ready_changed()
            return
        # a replacement that cannot start: try again later (articles wait meanwhile, nothing is skipped)
        delay, self._respawn_delay = self._respawn_delay, min(_RESPAWN_DELAY_S[1], 2 * self._respawn_delay)
        log.error("worker_start_failed", error=error, retry_in_s=delay)
        assert self._loop is not None
        self._loop.call_later(delay, self._spawn)

    def _retire(self, worker: _Worker, *, kill: bool) -> BaseProcess:
        """Take `worker` out of the pool: no more reading, its pipe closed (an idle one exits on its own)."""
        if worker in self._workers:
            self._workers.remove(worker)
            assert self._loop is not None
            self._loop.remove_reader(worker.fd)
            self._loop.remove_writer(worker.fd)
        if worker.timer is not None:
            worker.timer.cancel()
        worker.conn.close()
        if kill and worker.process.is_alive():
            worker.process.kill()
        self._reap(worker.process)
        self._ready_changed()
        return worker.process

    def _reap(self, process: BaseProcess, tries: int = 0) -> None:
        """Collect the exit status of a retired worker without blocking the loop."""
        if process.is_alive() and tries < 600 and self._loop is not None:
            self._loop.call_later(0.05, self._reap, process, tries + 1)

    def _ready_changed(self) -> None:
        self._metrics.workers_ready.set(sum(1 for w in self._workers if w.ready))
        if self._changed is not None:
            self._changed.set()
