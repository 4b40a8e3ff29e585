"""`python -m bench.handler_cpu [ROUNDS]`: CPU time per article of the handlers over part 1's corpus.

Thread CPU time (not wall time) of `Pipeline.process` over the mixed corpus (1 500 articles), `ROUNDS`
passes after a warm-up, printed with whether the handlers are the compiled build (handlers/native.py).
On a shared machine, alternate it with another tree's run (`PYTHONPATH=<export of a revision>`) and compare
medians: CPU time moves far less with the load than part 1's wall times.
"""

from __future__ import annotations

import statistics
import sys
import time

from bench.corpus import mixed_corpus
from handlers import native
from handlers.pipeline import Pipeline


def per_article_ms(rounds: int = 3, count: int = 1500) -> list[float]:
    """Thread CPU ms per article of each pass."""
    pipeline = Pipeline.build()
    articles = mixed_corpus(count).articles
    for article in articles[:50]:
        pipeline.process(article)
    out = []
    for _ in range(rounds):
        started = time.thread_time()
        for article in articles:
            pipeline.process(article)
        out.append((time.thread_time() - started) * 1000.0 / len(articles))
    return out


def main() -> None:
    passes = per_article_ms(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    build = "compiled" if native.extensions() else "plain Python"
    print(
        f"{build}: median {statistics.median(passes):.3f} ms, min {min(passes):.3f} ms per article "
        f"(thread CPU, {len(passes)} passes)"
    )


if __name__ == "__main__":
    main()
