"""Part 1: time per article through the whole handler pipeline vs camel-tools' own normalise + tokenise."""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Callable, Sequence

import orjson
from camel_tools.tokenizers.word import simple_word_tokenize
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import normalize_unicode

from bench.corpus import Corpus
from bench.results import Row
from handlers.pipeline import Pipeline
from handlers.text import NormText, tokens
from schemas import RawArticle

TARGET_RATIO = 0.25


def baseline(article: RawArticle) -> list[str]:
    """The yardstick: camel-tools' normalise, dediacritise and tokenise of the body."""
    return list(simple_word_tokenize(dediac_ar(normalize_unicode(article.body))))


def floor(article: RawArticle) -> list[object]:
    """What any design that reads every word does first: our normalisation with its offset map, and
    the words of the normalised body as tokens. No lookup, no extraction (a yardstick for the target)."""
    return list(tokens(NormText.of(article.body).norm))


def time_each(work: Callable[[RawArticle], object], articles: Sequence[RawArticle]) -> list[float]:
    """Seconds per article for `work`, in order."""
    clock = time.perf_counter
    spent = []
    for article in articles:
        started = clock()
        work(article)
        spent.append(clock() - started)
    return spent


def p99(samples: Sequence[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98] if len(samples) > 1 else samples[0]


def output_digest(pipeline: Pipeline, articles: Sequence[RawArticle]) -> tuple[str, int]:
    """sha256 of every event the pipeline makes of `articles`, and their count (so gains stay honest)."""
    digest = hashlib.sha256()
    count = 0
    for article in articles:
        for event in pipeline.process(article):
            digest.update(orjson.dumps(event.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS))
            count += 1
    return digest.hexdigest()[:16], count


def measure(corpus: Corpus, pipeline: Pipeline, rounds: int = 3) -> tuple[list[Row], dict[str, object]]:
    """Alternate pipeline and baseline passes over the corpus, `rounds` times each, in this process."""
    articles = corpus.articles
    for article in articles[: min(50, len(articles))]:  # warm both paths (lazy tables, regex caches)
        pipeline.process(article)
        baseline(article)
        floor(article)
    ours: list[float] = []
    theirs: list[float] = []
    floors: list[float] = []
    for _ in range(rounds):
        ours += time_each(pipeline.process, articles)
        theirs += time_each(baseline, articles)
        floors += time_each(floor, articles)
    mean_ours, mean_theirs = statistics.fmean(ours), statistics.fmean(theirs)
    mean_floor = statistics.fmean(floors)
    is_filler = ["filler-" in article.id for article in articles] * rounds
    filler_ms = statistics.fmean(t for t, f in zip(ours, is_filler, strict=True) if f) * 1000.0
    labelled_ms = statistics.fmean(t for t, f in zip(ours, is_filler, strict=True) if not f) * 1000.0
    digest, events = output_digest(pipeline, articles)
    ms = 1000.0
    rows = [
        Row("1 handler cost", "pipeline mean / article", mean_ours * ms, "ms"),
        Row("1 handler cost", "pipeline p99 / article", p99(ours) * ms, "ms"),
        Row("1 handler cost", "pipeline mean, samples + dev", labelled_ms, "ms"),
        Row("1 handler cost", "pipeline mean, non-summit filler", filler_ms, "ms"),
        Row("1 handler cost", "baseline mean / article", mean_theirs * ms, "ms", note="camel-tools"),
        Row("1 handler cost", "baseline p99 / article", p99(theirs) * ms, "ms"),
        Row("1 handler cost", "pipeline / baseline (mean)", mean_ours / mean_theirs, "x", TARGET_RATIO),
        Row("1 handler cost", "pipeline / baseline (p99)", p99(ours) / p99(theirs), "x"),
        Row("1 handler cost", "floor mean / article", mean_floor * ms, "ms", note="normalise + words only"),
        Row("1 handler cost", "floor / baseline (mean)", mean_floor / mean_theirs, "x"),
    ]
    details = {
        "corpus": corpus.describe(),
        "rounds": rounds,
        "events": events,
        "output_digest": digest,
    }
    return rows, details
