"""The real news stream of issue 15: labelled real articles of ../shared/eval, read at bench time.

About 2 % of the messages report a summit (gold `is_summit`), the rest are the gold negatives (ordinary
news and summit-adjacent news: bilateral visits, ministerial meetings, business "summits", derbies), repeated
to the stream's length. Held-out URLs are never read (`training.data.load` leaves them out); none of the
text is kept in this repository.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench import handler_cost as handler_cost_module
from bench.corpus import article_doc
from bench.results import Row
from handlers.pipeline import Pipeline
from schemas import RawArticle
from training.data import EVAL_DIR, load

ROOT = Path(__file__).resolve().parent.parent

SUMMIT_SHARE = 0.02


@dataclass(frozen=True)
class Labelled:
    """The labelled real articles (RawArticle fields only), split by their gold label."""

    summits: tuple[dict[str, Any], ...]
    others: tuple[dict[str, Any], ...]

    @classmethod
    def read(cls) -> Labelled:
        summits: list[dict[str, Any]] = []
        others: list[dict[str, Any]] = []
        for article in load():
            (summits if article.gold.get("is_summit") else others).append(article_doc(article.row))
        return cls(tuple(summits), tuple(others))

    @property
    def present(self) -> bool:
        return bool(self.summits and self.others)


def available() -> bool:
    """Whether the labelled articles are beside this repository (../shared/eval)."""
    return (EVAL_DIR / "train.jsonl").is_file()


def stream(total: int, share: float = SUMMIT_SHARE, seed: int = 15) -> list[dict[str, Any]]:
    """`total` messages: the first and every `1/share`-th after it a summit report (cycling through all
    of them), the others the negatives in a seeded shuffled cycle; ids made unique per message."""
    labelled = Labelled.read()
    if not labelled.present:
        raise FileNotFoundError(f"no labelled articles in {EVAL_DIR}")
    rng = random.Random(seed)
    others = list(labelled.others)
    every = round(1 / share)
    docs: list[dict[str, Any]] = []
    summit_n = other_n = 0
    for i in range(total):
        if i % every == 0:
            doc = labelled.summits[summit_n % len(labelled.summits)]
            summit_n += 1
        else:
            if other_n % len(others) == 0:
                rng.shuffle(others)
            doc = others[other_n % len(others)]
            other_n += 1
        docs.append({**doc, "id": f"real{i}-{doc.get('id', '')}"})
    return docs


def summit_reports() -> list[dict[str, Any]]:
    """The labelled real articles that report a summit (gold `is_summit`)."""
    return list(Labelled.read().summits)


def describe(docs: list[dict[str, Any]]) -> str:
    return f"{len(docs)} real articles, {SUMMIT_SHARE:.0%} summit reports (gold), the rest gold negatives"


TARGET_ENRICH_RATIO = 1.0


def enrich_vs_camel(repeat: int, workdir: Path) -> tuple[list[Row], dict[str, Any]]:
    """Part 7: the whole `summit-consumer enrich` process over the summit reports (repeated `repeat`
    times) against a whole process doing camel-tools' normalise + dediacritise + tokenise of the same
    bodies (`bench.camel`); wall time of each, run alternately, best of two."""
    reports = summit_reports()
    path = workdir / "summit-reports.jsonl"
    path.write_bytes(b"".join(orjson.dumps(doc) + b"\n" for doc in reports * repeat))
    enrich = [str(Path(sys.executable).parent / "summit-consumer"), "enrich", str(path), "-o", os.devnull]
    camel = [sys.executable, "-m", "bench.camel", str(path)]
    ours, theirs = [], []
    for _ in range(2):
        ours.append(_wall(enrich))
        theirs.append(_wall(camel))
    count = len(reports) * repeat
    rows = [
        Row(
            "7 real articles",
            "enrich, whole process, summit reports",
            min(ours),
            "s",
            note=f"{count} articles",
        ),
        Row("7 real articles", "camel-tools, whole process, same articles", min(theirs), "s"),
        Row("7 real articles", "enrich / camel-tools", min(ours) / min(theirs), "x", TARGET_ENRICH_RATIO),
    ]
    return rows, {"articles": count, "enrich_s": ours, "camel_s": theirs}


def _wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, timeout=600)
    return time.perf_counter() - started


def _outcome(events: object, reason: str) -> str:
    if events:
        return "articles with an event"
    if reason == "no summit word in the text":
        return "no event, decided while reading (no summit word)"
    return "no event, decided by the models"


def handler_cost(pipeline: Pipeline, count: int) -> tuple[list[Row], dict[str, Any]]:
    """Part 7, in process: the handlers' time per article over `count` messages of the real stream, by
    outcome (summit reports, negatives decided by the first look, the rest), against camel-tools' own
    normalise + dediacritise + tokenise of the same bodies."""
    articles = [RawArticle.model_validate(doc) for doc in stream(count)]
    for article in articles[:50]:
        pipeline.analyse(article)
    spent: dict[str, list[float]] = {}
    clock = time.perf_counter
    theirs = []
    for article in articles:
        started = clock()
        outcome = pipeline.analyse(article)
        took = clock() - started
        kind = _outcome(outcome.events, outcome.reason)
        spent.setdefault(kind, []).append(took)
        started = clock()
        handler_cost_module.baseline(article)
        theirs.append(clock() - started)
    ours = [t for times in spent.values() for t in times]
    mean, baseline = statistics.fmean(ours) * 1000, statistics.fmean(theirs) * 1000
    rows = [
        Row(
            "7 real articles", "handler mean / article, real stream", mean, "ms", note=f"{len(ours)} articles"
        ),
        Row("7 real articles", "camel-tools mean / article, same", baseline, "ms"),
        Row("7 real articles", "handler / camel-tools (mean), real stream", mean / baseline, "x"),
    ]
    for kind, times in sorted(spent.items(), key=lambda kv: -len(kv[1])):
        note = f"{len(times)} articles"
        rows.append(
            Row("7 real articles", f"handler mean, {kind}", statistics.fmean(times) * 1000, "ms", note=note)
        )
    return rows, {"by_outcome": {k: len(v) for k, v in spent.items()}}
