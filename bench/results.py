"""One row of the results table, and the table itself (stdout) and its JSON form."""

from __future__ import annotations

import platform
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson


@dataclass(frozen=True)
class Row:
    """One measured figure; `ratio` against `target` (`<=` or `>=`) when it has a target."""

    part: str
    metric: str
    value: float
    unit: str
    target: float | None = None
    compare: str = "<="
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.compare == "<=" else self.value >= self.target


@dataclass
class Report:
    """Everything one `python -m bench` run measured, with the machine, date and commit."""

    rows: list[Row] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def add(self, *rows: Row) -> None:
        self.rows.extend(rows)

    def table(self) -> str:
        """The results as a Markdown table (what the README records)."""
        lines = [
            "| part | metric | value | target | met |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in self.rows:
            target = "" if row.target is None else f"{row.compare} {row.target:g}"
            met = {None: "", True: "yes", False: "NO"}[row.met]
            value = f"{row.value:.3g} {row.unit}".strip()
            if row.note:
                value += f" ({row.note})"
            lines.append(f"| {row.part} | {row.metric} | {value} | {target} | {met} |")
        return "\n".join(lines)

    def header(self) -> str:
        env = environment()
        return f"machine: {env['machine']}; python {env['python']}; {env['date']}; commit {env['commit']}"

    def to_json(self) -> bytes:
        rows = [{**asdict(r), "met": r.met} for r in self.rows]
        document = {
            "environment": environment(),
            "rows": rows,
            "skipped": self.skipped,
            "details": self.details,
        }
        return orjson.dumps(document, option=orjson.OPT_INDENT_2)

    def write(self, path: Path) -> None:
        path.write_bytes(self.to_json() + b"\n")


def environment() -> dict[str, str]:
    """Machine, date and commit of this run."""
    return {
        "machine": f"{_cpu_model()} x{_cpus()} ({platform.machine()}, {platform.system()})",
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
    }


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu"


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
    )
    return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
