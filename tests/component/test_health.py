"""The health server: /metrics, /healthz, /readyz over real HTTP on a loopback port."""

from __future__ import annotations

import asyncio

import pytest

from consumer.health import HealthServer, Metrics

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(10)]


async def get(port: int, path: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    response = await reader.read()
    writer.close()
    await writer.wait_closed()
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


async def test_endpoints_report_metrics_liveness_and_readiness() -> None:
    ready = False
    metrics = Metrics()
    metrics.dead_letters.labels(stage="decode", error_class="DecodeError").inc()
    server = HealthServer(0, metrics, lambda: ready, host="127.0.0.1")
    await server.start()
    try:
        assert await get(server.port, "/healthz") == (200, b"ok\n")
        assert (await get(server.port, "/readyz"))[0] == 503
        ready = True
        assert await get(server.port, "/readyz") == (200, b"ready\n")
        status, body = await get(server.port, "/metrics")
        assert status == 200
        assert b'summit_dead_letters_total{error_class="DecodeError",stage="decode"} 1.0' in body
        assert b"summit_in_flight 0.0" in body
        assert (await get(server.port, "/nope"))[0] == 404
    finally:
        await server.stop()
