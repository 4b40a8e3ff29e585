"""Part 4: time per article as bodies grow (1-64 KB) and as the knowledge base grows (10x)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

from bench.corpus import Corpus, sized_documents
from bench.handler_cost import output_digest, time_each
from bench.kbpad import padded
from bench.results import Row
from handlers.knowledge import KnowledgeBase
from handlers.pipeline import Pipeline
from schemas import RawArticle

SIZES_KB = (1, 4, 16, 64)
TARGET_64_OVER_4 = 20.0
TARGET_PADDED = 1.2


def _mean_ms(pipeline: Pipeline, articles: Sequence[RawArticle], rounds: int) -> float:
    spent: list[float] = []
    for _ in range(rounds):
        spent += time_each(pipeline.process, articles)
    return statistics.fmean(spent) * 1000.0


def body_sizes(pipeline: Pipeline, count: int, rounds: int) -> tuple[list[Row], dict[str, object]]:
    """Mean ms per article for bodies of each size (the same articles, padded with filler news)."""
    by_size = {kb: [RawArticle.model_validate(d) for d in sized_documents(kb, count)] for kb in SIZES_KB}
    for articles in by_size.values():
        pipeline.process(articles[0])
    means = dict.fromkeys(SIZES_KB, 0.0)
    for _ in range(rounds):  # interleave sizes so drift hits each alike
        for kb, articles in by_size.items():
            means[kb] += _mean_ms(pipeline, articles, 1) / rounds
    rows = [Row("4 growth", f"body {kb} KB mean / article", means[kb], "ms") for kb in SIZES_KB]
    rows.append(Row("4 growth", "64 KB / 4 KB", means[64] / means[4], "x", TARGET_64_OVER_4))
    return rows, {"articles_per_size": count, "rounds": rounds}


def kb_padding(
    pipeline: Pipeline, corpus: Corpus, rounds: int, factor: int = 10
) -> tuple[list[Row], dict[str, object]]:
    """Mean ms per article with the knowledge base as shipped and padded `factor` times, alternated."""
    kb = pipeline.resources.kb
    started = time.perf_counter()
    big = Pipeline.build(padded(kb, factor))
    build_s = time.perf_counter() - started
    articles = corpus.articles
    normal_ms = padded_ms = 0.0
    for _ in range(rounds):
        normal_ms += _mean_ms(pipeline, articles, 1) / rounds
        padded_ms += _mean_ms(big, articles, 1) / rounds
    same = output_digest(pipeline, articles)[0] == output_digest(big, articles)[0]
    rows = [
        Row("4 growth", "KB as shipped mean / article", normal_ms, "ms"),
        Row("4 growth", f"KB padded {factor}x mean / article", padded_ms, "ms"),
        Row("4 growth", f"KB {factor}x / KB 1x", padded_ms / normal_ms, "x", TARGET_PADDED),
    ]
    details = {
        "padded_kb": _sizes(big.resources.kb),
        "shipped_kb": _sizes(kb),
        "padded_build_s": round(build_s, 2),
        "padded_outputs_identical": same,
    }
    return rows, details


def _sizes(kb: KnowledgeBase) -> dict[str, int]:
    return {
        "leaders": len(kb.leaders),
        "officials": len(kb.officials),
        "cities": len(kb.cities),
        "formats": len(kb.formats),
    }
