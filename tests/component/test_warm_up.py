"""Start-up warm-up: the bundled samples go through the handler once; nothing it does fails start-up."""

from __future__ import annotations

import gc
from importlib.resources import files

from consumer.handling import freeze_startup_heap, warm_up
from schemas import RawArticle, RegionalSummit
from tests.component.fakes import OUTPUT, standin_handler


def test_warm_up_runs_every_bundled_sample_through_the_handler() -> None:
    seen: list[str] = []

    def handle(article: RawArticle) -> list[RegionalSummit]:
        seen.append(article.id)
        return standin_handler(article)

    warm_up(handle, OUTPUT)
    samples = files("consumer").joinpath("samples/articles.jsonl").read_bytes().splitlines()
    assert len(seen) == len(samples) > 10


def test_a_handler_failing_during_warm_up_does_not_stop_start_up() -> None:
    def broken(article: RawArticle) -> list[RegionalSummit]:
        raise RuntimeError("bug")

    warm_up(broken, OUTPUT)  # logged, not raised: the same bug is dead-lettered on real input


def test_freezing_the_start_up_heap_leaves_little_for_the_collector() -> None:
    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() > 0
        assert len(gc.get_objects()) < gc.get_freeze_count()
    finally:
        gc.unfreeze()
