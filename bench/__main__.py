"""`python -m bench` (`make bench`): run the measurements (issue 5's five parts, issue 13's worst case,
issue 15's real stream and whole-process yardstick), print the table, write JSON. `python -m bench
--worst-case` prints the worst-case table alone."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import corpus, growth, handler_cost, real, streaming, worst_case
from bench.adversarial import GENERATORS, SIZES
from bench.corpus import mixed_corpus
from bench.results import Report, Row
from consumer.broker import LocalBroker
from handlers.pipeline import Pipeline

PARTS = ("1", "2", "3", "4", "5", "6", "7")


@dataclass(frozen=True)
class Sizes:
    """How much each part does; `QUICK` keeps the harness honest in tests, `FULL` is `make bench`."""

    corpus: int = 3000
    cost_rounds: int = 3
    size_articles: int = 12
    size_rounds: int = 3
    padding_articles: int = 1000
    padding_rounds: int = 2
    stream_articles: int = 20_000
    workers: tuple[int, ...] = (1, 2)
    latency_seconds: float = 20.0
    backlog: int = 100_000
    memory_seconds: float = 60.0
    worst_sizes: tuple[int, ...] = SIZES
    worst_repeats: int = 3
    worst_limit_s: float = 60.0
    search_examples: int = 60
    enrich_repeat: int = 3
    real_cost_articles: int = 5000


FULL = Sizes()
QUICK = Sizes(
    corpus=40,
    cost_rounds=1,
    size_articles=2,
    size_rounds=1,
    padding_articles=20,
    padding_rounds=1,
    stream_articles=150,
    workers=(1,),
    latency_seconds=2.0,
    backlog=300,
    memory_seconds=30.0,
    worst_sizes=(1_000, 4_000),
    worst_repeats=1,
    worst_limit_s=30.0,
    search_examples=3,
    enrich_repeat=1,
    real_cost_articles=100,
)


def run(parts: Sequence[str], sizes: Sizes, log_dir: Path) -> Report:
    """Measure `parts` (in-process ones first, then those against the local broker)."""
    report = Report()
    if not corpus.DEV_SET.is_file():
        report.skipped.append(
            f"dev articles: {corpus.DEV_SET} not found (../shared absent); corpus = samples + filler"
        )
    pipeline = Pipeline.build() if {"1", "4", "6", "7"} & set(parts) else None
    if "1" in parts and pipeline is not None:
        _say("1 handler cost")
        rows, details = handler_cost.measure(mixed_corpus(sizes.corpus), pipeline, sizes.cost_rounds)
        report.add(*rows)
        report.details["1"] = details
    if "4" in parts and pipeline is not None:
        _say("4 growth")
        rows, details = growth.body_sizes(pipeline, sizes.size_articles, sizes.size_rounds)
        more, padding = growth.kb_padding(
            pipeline, mixed_corpus(sizes.padding_articles), sizes.padding_rounds
        )
        report.add(*rows, *more)
        report.details["4"] = {**details, **padding}
    if "6" in parts and pipeline is not None:
        _say("6 worst case")
        report.add(*worst(report, pipeline, sizes))
    if "7" in parts and pipeline is not None:
        if real.available():
            _say("7 real articles: enrich vs camel-tools, whole processes")
            rows, details = real.enrich_vs_camel(sizes.enrich_repeat, log_dir)
            more, by_outcome = real.handler_cost(pipeline, sizes.real_cost_articles)
            report.add(*rows, *more)
            report.details["7"] = {**details, **by_outcome}
        else:
            report.skipped.append("7 real articles: ../shared/eval not found")
    if {"2", "3", "5"} & set(parts):
        asyncio.run(_broker_parts(report, parts, sizes, log_dir))
    return report


def worst(report: Report, pipeline: Pipeline, sizes: Sizes) -> list[Row]:
    """Part 6: every adversarial generator, then the slowest searched input, at each size (forked children:
    runs before the broker parts, while this process has no other thread)."""
    generators = list(GENERATORS)
    found = worst_case.searched(pipeline, sizes.search_examples, limit_s=5 * sizes.worst_limit_s)
    if found is not None:
        generators.append(found.generator())
        report.details["6_search"] = {"lang": found.lang, "unit": found.unit, "ms_per_kb": found.ms_per_kb}
    else:
        report.skipped.append("6 worst case: the hypothesis search timed no unit within its limit")
    cells = worst_case.measure(
        pipeline, generators, sizes.worst_sizes, sizes.worst_repeats, limit_s=sizes.worst_limit_s
    )
    report.details["6"] = {
        "table": worst_case.table(cells, generators),
        "repeats": sizes.worst_repeats,
        "limit_s": sizes.worst_limit_s,
        "cells": [
            {"generator": c.generator, "size": c.size, "seconds": c.seconds, "status": c.status}
            for c in cells
        ],
    }
    return worst_case.rows(cells)


async def _broker_parts(report: Report, parts: Sequence[str], sizes: Sizes, log_dir: Path) -> None:
    async with LocalBroker() as broker:
        enrich_rate: float | None = None  # one `run` instance with every worker, real stream
        if "2" in parts:
            _say("2 end to end")
            rows, details, enrich_rate = await streaming.throughput(
                broker, sizes.stream_articles, log_dir, workers=sizes.workers
            )
            report.add(*rows)
            report.details["2"] = details
        if "3" in parts:
            _say("3 latency")
            rate = enrich_rate / 2 if enrich_rate else 50.0
            rows, details = await streaming.latency(broker, rate, sizes.latency_seconds, log_dir)
            report.add(*rows)
            report.details["3"] = {**details, "rate_from": "part 2" if enrich_rate else "default 50/s"}
        if "5" in parts:
            _say("5 memory")
            rows, details = await streaming.memory(
                broker, sizes.backlog, log_dir, max_seconds=sizes.memory_seconds
            )
            report.add(*rows)
            report.details["5"] = details


def _say(part: str) -> None:
    print(f"bench: part {part} ...", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated parts to run (default all)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (what the smoke test runs)")
    parser.add_argument(
        "--worst-case", action="store_true", help="part 6 only, and print its table (time per 10 KB by size)"
    )
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"), help="where the JSON goes")
    args = parser.parse_args(argv)
    parts = ["6"] if args.worst_case else [p.strip() for p in args.parts.split(",") if p.strip()]
    if unknown := sorted(set(parts) - set(PARTS)):
        parser.error(f"unknown parts {unknown}; choose from {', '.join(PARTS)}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-logs-") as logs:
        report = run(parts, QUICK if args.quick else FULL, Path(logs))
    report.details["wall_seconds"] = round(time.monotonic() - started, 1)
    print(report.header())
    for note in report.skipped:
        print(f"skipped: {note}")
    print(report.table())
    if "6" in report.details:
        print(f"\nworst case: time per 10 KB of body, median of {report.details['6']['repeats']} runs")
        print(report.details["6"]["table"])
    report.write(args.json)
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
