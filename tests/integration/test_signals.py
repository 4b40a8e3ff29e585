"""The `summit-consumer run` process: SIGTERM stops it cleanly (exit 0, < 10 s) and a restart resumes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest

from consumer.broker import LocalBroker, free_port
from consumer.settings import Settings
from schemas import RawArticle
from tests.integration.conftest import Handle
from tests.integration.inputs import good_articles, non_summit_articles
from tests.integration.kafka_tools import produce, read_all, wait_for_commits, wait_for_first_commit
from tests.integration.processes import readyz

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(90)]

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / ".venv" / "bin" / "summit-consumer"


def service_command() -> tuple[list[str], Handle]:
    """The real CLI and the handler it runs (to compute the expected events offline)."""
    from handlers.pipeline import Pipeline

    return [str(CLI), "run"], Pipeline.build().process


@contextmanager
def service(command: list[str], settings: Settings, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The service as a child process configured through SUMMIT_* variables; killed if a test leaves it."""
    env = {
        **os.environ,
        **{f"SUMMIT_{k.upper()}": str(v) for k, v in settings.model_dump().items() if v is not None},
    }
    with log.open("ab") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def stop_within(process: subprocess.Popen[bytes], seconds: float, log: Path) -> int:
    """SIGTERM, then the exit code; fails the test if it takes longer than `seconds`."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = await asyncio.to_thread(process.wait, seconds + 5)
    took = time.monotonic() - started
    assert took < seconds, f"stopping took {took:.1f}s, see {log}"
    return code


def alive(process: subprocess.Popen[bytes], log: Path) -> Callable[[], None]:
    """A check that fails the test, with the service's log, once the process has exited."""

    def check() -> None:
        assert process.poll() is None, log.read_text()[-3000:]

    return check


async def test_sigterm_exits_0_within_10s_and_a_restart_does_not_reprocess_committed_messages(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    command, handle = service_command()
    port = free_port()
    settings = make_settings(metrics_port=port, log_level="INFO")
    bootstrap, topic = local_broker.bootstrap_servers, settings.input_topic
    await local_broker.create_topics([topic, settings.output_topic, settings.dlq_topic], 3)
    first = good_articles(150, "a") + non_summit_articles(50, "q") + [b"not json"]
    second = good_articles(40, "b") + non_summit_articles(10, "r")
    _, ends = await produce(bootstrap, topic, [(None, v) for v in first])
    log = tmp_path / "service.log"

    with service(command, settings, log) as process:
        await wait_for_first_commit(
            bootstrap, settings.group_id, topic, check=alive(process, log), timeout_s=45
        )
        assert await asyncio.to_thread(readyz, port) == 200
        assert await stop_within(process, 10, log) == 0, log.read_text()[-3000:]

    _, more = await produce(bootstrap, topic, [(None, v) for v in second])
    ends = {p: max(ends.get(p, 0), more.get(p, 0)) for p in ends.keys() | more.keys()}
    with service(command, settings, log) as process:
        await wait_for_commits(bootstrap, settings.group_id, topic, ends, timeout_s=45)
        assert await stop_within(process, 10, log) == 0, log.read_text()[-3000:]

    outputs = await read_all(bootstrap, settings.output_topic)
    events = [orjson.loads(r.value or b"") for r in outputs]
    expected = [
        e.model_dump(mode="json")
        for v in first[:-1] + second
        for e in handle(RawArticle.model_validate(orjson.loads(v)))
    ]
    counts = Counter(e["event_id"] for e in events)
    assert [k for k, n in counts.items() if n > 1] == [], "a restart must not reprocess committed messages"
    assert sorted(events, key=orjson.dumps) == sorted(expected, key=orjson.dumps)
    assert len(await read_all(bootstrap, settings.dlq_topic)) == 1
