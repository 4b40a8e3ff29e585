"""A decider for tests whose texts were written for them: the committed models decide every candidate,
but each article is taken as a summit report (whether a short written text is one is the summit model's
business, and no measure of it: that is measured by `make eval` on real articles)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from handlers.decide import Models
from handlers.features import Row
from handlers.pipeline import Pipeline


class SummitReports:
    """The committed models, except that every article is taken as a summit report."""

    def __init__(self, models: Models) -> None:
        self.models = models

    def probability(self, decision: str, keys: Sequence[str], rows: Sequence[Row]) -> list[float]:
        if decision == "summit":
            return [1.0] * len(rows)
        return self.models.probability(decision, keys, rows)

    def classes(self, decision: str, row: Row) -> dict[str, float]:
        return self.models.classes(decision, row)

    def threshold(self, decision: str) -> float:
        return self.models.threshold(decision)

    def calibrated(self, p: float) -> float:
        return self.models.calibrated(p)


@cache
def reports_pipeline() -> Pipeline:
    """Built once per test process and shared, as `tests.pipelines.built_pipeline`."""
    return Pipeline.build(decider=SummitReports(Models.load()))
