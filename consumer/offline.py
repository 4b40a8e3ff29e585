"""Offline enrichment and merging: the same handlers and fold as the streaming stages, over JSON lines."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

import orjson
from pydantic import ValidationError

from handlers.merge import merge, record_bytes
from handlers.pipeline import Pipeline
from schemas import RawArticle, RegionalSummit


@dataclass(slots=True)
class Summary:
    """What one offline run did."""

    articles: int = 0
    events: int = 0
    non_summit: int = 0
    rejected: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for people."""
        rate = self.articles / self.seconds if self.seconds else 0.0
        line = (
            f"enrich: {self.articles} articles, {self.events} events, {self.non_summit} non-summit, "
            f"{self.rejected} rejected in {self.seconds:.2f}s ({rate:.0f} articles/s)"
        )
        return "\n".join([line, *self.errors[:20]])


Progress = Callable[[Summary], None]


def enrich_lines(
    lines: Iterable[str], sink: IO[str], *, pipeline: Pipeline | None = None, progress: Progress | None = None
) -> Summary:
    """Enrich every JSON line of `lines`, writing one RegionalSummit JSON line per event to `sink`."""
    pipeline = pipeline or Pipeline.build()
    summary = Summary()
    started = time.perf_counter()
    for number, line in enumerate(lines, 1):
        if progress is not None:
            summary.seconds = time.perf_counter() - started
            progress(summary)
        if not line.strip():
            continue
        try:
            article = RawArticle.model_validate(orjson.loads(line.encode("utf-8", "surrogateescape")))
        except (orjson.JSONDecodeError, ValidationError, UnicodeEncodeError) as exc:
            summary.rejected += 1
            summary.errors.append(f"line {number}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            continue
        summary.articles += 1
        events = pipeline.process(article)
        if not events:
            summary.non_summit += 1
        for event in events:
            sink.write(orjson.dumps(event.model_dump(mode="json")).decode() + "\n")
            summary.events += 1
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass(slots=True)
class MergeSummary:
    """What one offline merge did."""

    events: int = 0
    summits: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for people."""
        line = f"merge: {self.events} events, {self.summits} summits, {self.rejected} rejected"
        return "\n".join([line, *self.errors[:20]])


def merge_lines(lines: Iterable[str], sink: IO[str]) -> MergeSummary:
    """Fold RegionalSummit JSON lines into SummitRecord JSON lines, one per summit_id, sorted by it: exactly
    the records the table stage publishes for the same events (duplicates and order do not matter)."""
    summary = MergeSummary()
    events: list[RegionalSummit] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            events.append(RegionalSummit.model_validate_json(line.encode("utf-8", "surrogateescape")))
        except (ValidationError, UnicodeEncodeError) as exc:
            summary.rejected += 1
            summary.errors.append(f"line {number}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            continue
        summary.events += 1
    for record in merge(events):
        sink.write(record_bytes(record).decode() + "\n")
        summary.summits += 1
    return summary
