"""Metrics (a dedicated Prometheus registry) and a tiny HTTP server for /metrics, /healthz and /readyz."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from consumer.errors import StartupError
from consumer.logs import get_logger

log = get_logger(__name__)


class Metrics:
    """The service's metrics, on their own registry so tests and several instances never collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.consumed = Counter(
            "summit_messages_consumed", "Messages fetched from the input topic", registry=r
        )
        self.published = Counter(
            "summit_events_published", "Events acknowledged on the output topic", registry=r
        )
        self.non_summit = Counter("summit_articles_non_summit", "Articles that report no summit", registry=r)
        self.dead_letters = Counter(
            "summit_dead_letters", "Messages dead-lettered", ["stage", "error_class"], registry=r
        )
        self.publish_retries = Counter("summit_publish_retries", "Produce attempts retried", registry=r)
        self.handler_seconds = Histogram(
            "summit_handler_seconds",
            "Time spent in the handler per article",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
            registry=r,
        )
        self.end_to_end_seconds = Histogram(
            "summit_end_to_end_seconds",
            "Input record timestamp to durable outcome (output or dead letter acked, non-summit counted)",
            ["outcome"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
            registry=r,
        )
        self.consumer_lag = Gauge(
            "summit_consumer_lag",
            "Records on the broker not committed by this instance: high watermark minus committed offset",
            ["topic", "partition"],
            registry=r,
        )
        self.in_flight = Gauge("summit_in_flight", "Messages fetched and not yet settled", registry=r)
        self.uncommitted = Gauge(
            "summit_uncommitted", "Messages fetched whose commit is not acknowledged yet", registry=r
        )
        self.broker_connected = Gauge(
            "summit_broker_connected", "1 while the broker answers the probe", registry=r
        )
        self.broker_connected.set(1)
        self.commits_rejected = Counter(
            "summit_commits_rejected", "Commits the group refused (stale member)", registry=r
        )
        self.rebalances = Counter("summit_rebalances", "Partition revocations and assignments", registry=r)
        self.commits = Counter("summit_commits", "Offset commits made", registry=r)
        self.handler_timeouts = Counter(
            "summit_handler_timeouts",
            "Articles not handled within SUMMIT_HANDLER_TIMEOUT_MS (dead-lettered as HandlerTimeout)",
            registry=r,
        )
        self.workers_restarted = Counter(
            "summit_workers_restarted",
            "Handler processes replaced: killed over the budget (timeout) or died (crashed)",
            ["reason"],
            registry=r,
        )
        self.workers_ready = Gauge(
            "summit_workers_ready", "Handler processes ready for an article", registry=r
        )

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)


class HealthServer:
    """Serves GET /metrics, /healthz (200 while running) and /readyz (200 when `is_ready()`, else 503)."""

    def __init__(
        self, port: int, metrics: Metrics, is_ready: Callable[[], bool], host: str = "0.0.0.0"
    ) -> None:
        self._host, self._port = host, port
        self._metrics, self._is_ready = metrics, is_ready
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        """The bound port (useful when 0 asked for any free port)."""
        if self._server is None or not self._server.sockets:
            return self._port
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        try:
            self._server = await asyncio.start_server(self._serve, self._host, self._port)
        except OSError as exc:
            raise StartupError(f"cannot serve metrics on {self._host}:{self._port}: {exc}") from exc
        log.info("health_server_started", port=self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(asyncio.TimeoutError):  # idle keep-alive clients must not hold shutdown
                await asyncio.wait_for(self._server.wait_closed(), 1.0)
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5.0)
            method, _, rest = request.partition(b" ")
            path = rest.split(b" ", 1)[0].split(b"?", 1)[0].decode("latin-1")
            status, content_type, body = self._route(path)
            head = (
                f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            ).encode("latin-1")
            writer.write(head if method == b"HEAD" else head + body)
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass  # a client that goes away or never finishes its request gets nothing
        finally:
            writer.close()

    def _route(self, path: str) -> tuple[str, str, bytes]:
        if path == "/metrics":
            return "200 OK", CONTENT_TYPE_LATEST, self._metrics.render()
        if path == "/healthz":
            return "200 OK", "text/plain; charset=utf-8", b"ok\n"
        if path == "/readyz":
            if self._is_ready():
                return "200 OK", "text/plain; charset=utf-8", b"ready\n"
            return "503 Service Unavailable", "text/plain; charset=utf-8", b"not ready\n"
        return "404 Not Found", "text/plain; charset=utf-8", b"not found\n"
