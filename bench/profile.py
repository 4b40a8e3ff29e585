"""`python -m bench.profile [N]`: cProfile of the handler pipeline over N mixed-corpus articles.

Prints the top functions by cumulative and by self time (what bench/PROFILE.md summarises).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys

from bench.corpus import mixed_corpus
from handlers.pipeline import Pipeline


def profile(count: int = 1500, top: int = 30) -> str:
    """The two top-`top` listings for `count` articles through a warmed pipeline."""
    pipeline = Pipeline.build()
    articles = mixed_corpus(count).articles
    for article in articles[:50]:
        pipeline.process(article)
    profiler = cProfile.Profile()
    profiler.enable()
    for article in articles:
        pipeline.process(article)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


if __name__ == "__main__":
    print(profile(int(sys.argv[1]) if len(sys.argv) > 1 else 1500))
