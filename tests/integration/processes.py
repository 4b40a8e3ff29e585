"""`summit-consumer run` as child processes (the real CLI), and the ledger of what they did to each input."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from consumer.envelope import Envelope, parse_article
from consumer.errors import MessageError
from consumer.settings import Settings
from schemas import DeadLetterHeaders
from tests.integration.conftest import Handle
from tests.integration.inputs import good_articles, non_summit_articles
from tests.integration.kafka_tools import Record, produce, read_all

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / ".venv" / "bin" / "summit-consumer"


def environment(settings: Settings) -> dict[str, str]:
    """The SUMMIT_* variables that configure `settings`."""
    values = {f"SUMMIT_{k.upper()}": str(v) for k, v in settings.model_dump().items() if v is not None}
    return {**os.environ, **values}


class Instance:
    """One `summit-consumer run` (or `command`) process slot: started, killed, stopped and restarted under one
    log; `env` adds variables (the table stage's SUMMIT_TABLE_*)."""

    def __init__(
        self,
        name: str,
        settings: Settings,
        log: Path,
        command: str = "run",
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name, self.settings, self.log = name, settings, log
        self.command, self.env = command, dict(env or {})
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Instance:
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [str(CLI), self.command],
                cwd=ROOT,
                env={**environment(self.settings), **self.env},
                stdout=sink,
                stderr=sink,
            )
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, sig: signal.Signals) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    def kill(self) -> None:
        """kill -9: no drain, no commit, no goodbye to the group."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    async def terminate(self, within_s: float = 10.0) -> tuple[int, float]:
        """SIGTERM; the exit code and the seconds it took (killed after `within_s` + 5)."""
        assert self.process is not None
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(self.process.wait, within_s + 5)
        return code, time.monotonic() - started

    def rss_mb(self) -> float:
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    def cpu_seconds(self) -> float:
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def lines(self) -> list[dict[str, object]]:
        """The JSON log lines written so far (a line cut short by kill -9 is skipped)."""
        parsed = []
        for raw in self.log.read_bytes().splitlines():
            try:
                parsed.append(orjson.loads(raw))
            except orjson.JSONDecodeError:
                continue
        return parsed


@contextmanager
def fleet(
    settings: Settings,
    logs: Path,
    count: int,
    command: str = "run",
    env: Mapping[str, str] | None = None,
) -> Iterator[list[Instance]]:
    """`count` instance slots (not started); every process still running at the end is killed."""
    instances = [Instance(f"i{n}", settings, logs / f"i{n}.log", command, env) for n in range(count)]
    try:
        yield instances
    finally:
        for instance in instances:
            if instance.running:
                instance.kill()


def readyz(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


@dataclass
class Accounting:
    """Every input offset matched to its durable outcomes: an event, a dead letter or a non-summit line."""

    inputs: int = 0
    lost: list[tuple[int, int, str]] = field(default_factory=list)
    duplicates: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    def describe(self) -> str:
        return (
            f"inputs={self.inputs} lost={len(self.lost)} duplicates={self.duplicates} {dict(self.outcomes)}"
        )


def expected_outcome(value: bytes | None, handle: Handle, max_bytes: int) -> tuple[str, tuple[str, ...]]:
    """("dead_letter", ()), ("non_summit", ()) or ("published", event ids) - the pipeline is deterministic."""
    try:
        article = parse_article(Envelope("t", 0, 0, None, value), max_bytes=max_bytes)
    except MessageError:
        return "dead_letter", ()
    events = handle(article)
    return ("published", tuple(e.event_id for e in events)) if events else ("non_summit", ())


def account(
    placed: list[tuple[int, int]],
    values: list[bytes | None],
    handle: Handle,
    *,
    max_bytes: int,
    outputs: Iterable[Record],
    letters: Iterable[Record],
    logs: Iterable[dict[str, object]],
) -> Accounting:
    """Match each input (partition, offset) to what the service wrote or logged about it."""
    events = Counter(orjson.loads(r.value or b"")["event_id"] for r in outputs)
    dead = Counter(
        (h.original_partition, h.original_offset)
        for h in (DeadLetterHeaders.from_kafka(r.headers) for r in letters)
    )
    quiet = Counter(
        (int(line["partition"]), int(line["offset"]))  # type: ignore[call-overload]
        for line in logs
        if line.get("event") == "message" and line.get("outcome") == "non_summit"
    )
    result = Accounting(inputs=len(values))
    for where, value in zip(placed, values, strict=True):
        kind, ids = expected_outcome(value, handle, max_bytes)
        result.outcomes[kind] += 1
        if kind == "published":
            seen = min(events[i] for i in ids)
            result.duplicates += max(0, max(events[i] for i in ids) - 1)
            if seen == 0 and dead[where]:
                # not handled in time on a loaded machine (HandlerTimeout): its dead letter is its outcome
                result.outcomes["dead_letter_instead"] += 1
                seen = dead[where]
                result.duplicates += max(0, seen - 1)
        elif kind == "dead_letter":
            seen = dead[where]
            result.duplicates += max(0, seen - 1)
        else:
            seen = quiet[where]
            result.duplicates += max(0, seen - 1)
        if seen == 0:
            result.lost.append((*where, kind))
    return result


async def account_run(
    bootstrap: str,
    settings: Settings,
    placed: list[tuple[int, int]],
    values: list[bytes | None],
    handle: Handle,
    *,
    partitions: int,
    logs: Iterable[dict[str, object]],
) -> Accounting:
    """Read everything the run wrote (events and dead letters) and `account` every input for it."""
    outputs = await read_all(bootstrap, settings.output_topic, partitions=partitions, timeout_s=30)
    letters = await read_all(bootstrap, settings.dlq_topic, partitions=partitions, timeout_s=30)
    return account(
        placed,
        values,
        handle,
        max_bytes=settings.max_message_bytes,
        outputs=outputs,
        letters=letters,
        logs=logs,
    )


Interval = tuple[str, int, str, str]  # (instance, partition, from, to) as ISO timestamps


def ownership(instance: Instance) -> list[Interval]:
    """When `instance` owned which input partition: from its assignment to its release or its exit."""
    intervals: list[Interval] = []
    open_since: dict[int, str] = {}
    last = ""

    def close(partitions: Iterable[int], at: str) -> None:
        for partition in partitions:
            if partition in open_since:
                intervals.append((instance.name, partition, open_since.pop(partition), at))

    for line in instance.lines():
        at = str(line.get("timestamp", last))
        event = line.get("event")
        partitions = [int(str(p).rsplit(":", 1)[1]) for p in line.get("partitions", []) or []]  # type: ignore[attr-defined]
        if event == "service_starting":
            close(list(open_since), last)  # the previous process ended (killed) at its last line
        elif event == "partitions_assigned":
            open_since.update({p: at for p in partitions})
        elif event == "partitions_released":
            close(partitions, at)
        last = at
    close(list(open_since), last)
    return intervals


def overlaps(intervals: Iterable[Interval]) -> list[tuple[Interval, Interval]]:
    """Pairs of intervals in which two instances owned the same partition at the same time."""
    clashes = []
    by_partition: dict[int, list[Interval]] = {}
    for interval in intervals:
        by_partition.setdefault(interval[1], []).append(interval)
    for spans in by_partition.values():
        spans.sort(key=lambda span: span[2])
        clashes += [(a, b) for a, b in itertools.pairwise(spans) if b[2] < a[3] and a[0] != b[0]]
    return clashes


def current_assignment(instance: Instance) -> set[int]:
    """The partitions `instance`'s current process holds, by its log."""
    held: set[int] = set()
    for line in instance.lines():
        partitions = {int(str(p).rsplit(":", 1)[1]) for p in line.get("partitions", []) or []}  # type: ignore[attr-defined]
        if line.get("event") == "service_starting":
            held = set()
        elif line.get("event") == "partitions_assigned":
            held = partitions
        elif line.get("event") == "partitions_revoked":
            held -= partitions
    return held


MAX_IN_FLIGHT = 64


def mixed_inputs(count: int) -> list[bytes]:
    """Summit reports, non-summit articles and poison, interleaved; every article id unique."""
    goods, quiets = good_articles(count, "k"), non_summit_articles(count, "q")
    values = []
    for i in range(count):
        if i % 20 == 19:
            values.append(b"poison %d" % i)
        elif i % 3 == 2:
            values.append(quiets[i])
        else:
            values.append(goods[i])
    return values


def crash_settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        commit_interval_ms=200,
        max_in_flight=MAX_IN_FLIGHT,
        shutdown_timeout_s=5,
    )


async def feed(
    bootstrap: str, topic: str, values: list[bytes], chunks: int, pause_s: float
) -> list[tuple[int, int]]:
    """Produce `values` in `chunks` spread over time (a live stream); their (partition, offset)s."""
    placed: list[tuple[int, int]] = []
    size = -(-len(values) // chunks)
    for start in range(0, len(values), size):
        where, _ = await produce(bootstrap, topic, [(None, v) for v in values[start : start + size]])
        placed += where
        await asyncio.sleep(pause_s)
    return placed


def ends_of(placed: list[tuple[int, int]]) -> dict[int, int]:
    ends: dict[int, int] = {}
    for partition, offset in placed:
        ends[partition] = max(ends.get(partition, 0), offset + 1)
    return ends


async def works(instance: Instance, within_s: float = 30.0) -> None:
    """Wait until `instance`'s current process has logged the outcome of a message (it is under way)."""
    for _ in range(int(within_s / 0.1)):
        lines = instance.lines()
        starts = [i for i, line in enumerate(lines) if line.get("event") == "service_starting"]
        if any(line.get("event") == "message" for line in lines[starts[-1] if starts else 0 :]):
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"{instance.name} handled nothing: {instance.tail()}")


async def owns_partitions(instance: Instance, within_s: float = 30.0) -> None:
    """Wait until the latest assignment logged by `instance`'s current process is not empty."""
    for _ in range(int(within_s / 0.2)):
        assigned = [
            line
            for line in instance.lines()
            if line.get("event") in ("partitions_assigned", "service_starting")
        ]
        if assigned and assigned[-1].get("partitions"):
            return
        await asyncio.sleep(0.2)
    raise TimeoutError(f"{instance.name} got no partitions: {instance.tail()}")
