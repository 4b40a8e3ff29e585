"""Handling in worker processes: a budget per article, and the cores of the machine.

    submit(article) ─> queue ─> an idle worker ─> its events (or the error it raised) ─> the article's future
                                     │
                                     └─ still busy when the budget runs out: the process is killed (the CPU it
                                        used is reclaimed with it), the article fails with HandlerTimeoutError
                                        (a dead letter at stage handle), and a new worker takes its place

A worker is a process started with `spawn`: a fresh interpreter, not a fork of the service, which holds
sockets, an event loop, signal handlers and threads that a fork would copy. It builds the handler once
(`pipeline_handler`: the knowledge base and every matcher), warms it up on the bundled samples, freezes its
heap and then handles one article at a time, sent and answered over a pipe. The service's event loop only
pickles and unpickles: heartbeats, commits and /metrics never wait for a handler. A thread could not do
this: it cannot be stopped, so an article over its budget would keep its core until it finished.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from consumer.errors import HandlerCrashedError, HandlerError, HandlerTimeoutError, StartupError
from consumer.handling import Handler, freeze_startup_heap, handle_once, warm_up
from consumer.health import Metrics
from consumer.logs import configure_logging, get_logger
from consumer.ports import Handled
from schemas import RawArticle

log = get_logger(__name__)

Factory = Callable[[], Handler]

QUEUE_PER_WORKER = 4  # articles waiting for a worker, per worker (each may be up to max_message_bytes)
# articles sent to one worker at a time: the next one waits in its pipe, so it goes on without waiting for
# the service to read the last answer (its budget starts when that answer is read)
PER_WORKER = 2
START_TIMEOUT_S = 120.0  # for every worker to build and warm up its handler at start-up
_RESPAWN_DELAY_S = (1.0, 30.0)  # after a replacement failed to start: first delay, doubling up to the cap
_STOP_GRACE_S = 2.0  # for idle workers to exit on their own at shutdown before they are killed


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


def serve(conn: Connection, config: WorkerConfig) -> None:
    """A worker process: build and warm up the handler, then handle each article sent until the pipe
    closes."""
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
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the service closed the pipe (stopping), or is gone
        if job is None:
            return
        number, article = job
        started = time.perf_counter()
        try:
            events = handle_once(handle, article)
        except HandlerError as exc:
            reply: tuple[object, ...] = ("error", number, exc.error_class, str(exc))
        else:
            reply = ("ok", number, events)
        if not _reply(conn, (*reply, time.perf_counter() - started)):
            return


def _reply(conn: Connection, message: tuple[object, ...]) -> bool:
    try:
        conn.send(message)
    except (OSError, ValueError):
        return False  # the service is gone
    return True


@dataclass(eq=False)
class _Job:
    number: int
    article: RawArticle
    future: asyncio.Future[Handled]


class _Worker:
    """The service's side of one worker process."""

    __slots__ = ("conn", "jobs", "process", "ready", "timer")

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process, self.conn = process, conn
        self.ready = False
        self.jobs: deque[_Job] = deque()  # sent, in order; the first is the one being handled
        self.timer: asyncio.TimerHandle | None = None  # the first one's budget


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
        self._queue: deque[_Job] = deque()
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

    def submit(self, article: RawArticle) -> asyncio.Future[Handled]:
        assert self._loop is not None, "start the pool first"
        job = _Job(next(self._numbers), article, self._loop.create_future())
        if self._closed:
            job.future.cancel()
            return job.future
        self._queue.append(job)
        self._pump()
        return job.future

    def room(self) -> int:
        return max(0, self._count * QUEUE_PER_WORKER - len(self._queue))

    def ready(self) -> bool:
        return any(worker.ready for worker in self._workers)

    async def stop(self) -> None:
        """Drop what waits, kill what runs, let idle workers exit (killed after a grace period)."""
        self._closed = True
        for job in [*self._queue, *(job for w in self._workers for job in w.jobs)]:
            job.future.cancel()
        self._queue.clear()
        retired = [self._retire(worker, kill=bool(worker.jobs)) for worker in list(self._workers)]
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
        process = self._context.Process(target=serve, args=(child, self._config), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._workers.append(worker)
        self._loop.add_reader(parent.fileno(), self._on_readable, worker)

    def _on_readable(self, worker: _Worker) -> None:
        try:
            while worker in self._workers and worker.conn.poll():
                self._on_message(worker, worker.conn.recv())
        except (EOFError, OSError):
            self._lost(worker)

    def _on_message(self, worker: _Worker, message: tuple[object, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready = True
            self._respawn_delay = _RESPAWN_DELAY_S[0]
            self._ready_changed()
            self._pump()
        elif kind == "failed":
            self._start_failed(worker, str(message[1]))
        else:
            self._finished(worker, message)

    def _finished(self, worker: _Worker, message: tuple[object, ...]) -> None:
        """An answer: the article's events ("ok") or the error its handler raised ("error")."""
        job = worker.jobs.popleft() if worker.jobs else None
        if worker.timer is not None:
            worker.timer.cancel()
            worker.timer = None
        if worker.jobs:
            self._start_budget(worker)
        seconds = message[-1]
        if isinstance(seconds, float):
            self._metrics.handler_seconds.observe(seconds)
        if job is not None and job.number == message[1] and not job.future.done():
            if message[0] == "ok":
                job.future.set_result(message[2])  # type: ignore[arg-type]  # ("ok", number, events, s)
            else:
                job.future.set_exception(HandlerError(str(message[3]), raised=str(message[2])))
        self._pump()

    def _pump(self) -> None:
        """Hand waiting articles to idle workers."""
        while self._queue:
            ready = [w for w in self._workers if w.ready and len(w.jobs) < PER_WORKER]
            if not ready:
                return
            worker = min(ready, key=lambda w: len(w.jobs))  # an idle one first
            job = self._queue.popleft()
            if job.future.done():
                continue  # cancelled while it waited
            try:
                worker.conn.send((job.number, job.article))
            except (OSError, ValueError):
                self._queue.appendleft(job)  # it never reached the worker: the next one takes it
                self._lost(worker)
                continue
            worker.jobs.append(job)
            if len(worker.jobs) == 1:
                self._start_budget(worker)

    def _start_budget(self, worker: _Worker) -> None:
        """The first article sent to `worker` and not answered is the one it handles: its budget runs."""
        assert self._loop is not None
        worker.timer = self._loop.call_later(self._timeout_s, self._expire, worker, worker.jobs[0])

    def _requeue_waiting(self, worker: _Worker) -> None:
        """Articles sent to `worker` behind the one it handled (never started): another worker takes them."""
        while len(worker.jobs) > 1:
            self._queue.appendleft(worker.jobs.pop())

    def _expire(self, worker: _Worker, job: _Job) -> None:
        """The budget ran out: kill the worker (and the CPU it spends), fail the article, replace it."""
        if not worker.jobs or worker.jobs[0] is not job:
            return
        self._requeue_waiting(worker)
        worker.jobs.clear()
        self._metrics.handler_timeouts.inc()
        log.warning("handler_timeout", worker_pid=worker.process.pid, budget_ms=round(self._timeout_s * 1000))
        if not job.future.done():
            budget = f"{self._timeout_s * 1000:.0f} ms"
            error = HandlerTimeoutError(f"not handled within {budget}; its worker process was killed")
            job.future.set_exception(error)
        self._replace(worker, "timeout")

    def _lost(self, worker: _Worker) -> None:
        """The worker's pipe closed: the process died."""
        if worker not in self._workers:
            return
        worker.process.join(0.05)  # it is exiting: its exit code, if it comes at once
        if not worker.ready:
            self._start_failed(worker, f"exited while starting (code {worker.process.exitcode})")
            return
        self._requeue_waiting(worker)
        job = worker.jobs.popleft() if worker.jobs else None
        if job is not None and not job.future.done():
            code = worker.process.exitcode
            job.future.set_exception(HandlerCrashedError(f"its worker process exited (code {code})"))
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
            self._loop.remove_reader(worker.conn.fileno())
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
