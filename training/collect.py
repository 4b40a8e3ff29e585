"""Run the handlers over labelled articles and keep every decision's feature rows, labelled from gold.

A recording decider stands in for the models: it keeps each row and lets every candidate through, so
the rows are exactly those the service computes (features never depend on a model's output). Labels
come from the article-level gold automatically, with score.py's own name matching.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any

from handlers.features import Row
from handlers.pipeline import Pipeline
from schemas import RawArticle
from training.data import EVAL_DIR, Labelled


@dataclass(slots=True)
class Example:
    article: str
    group: str
    language: str
    decision: str
    key: str
    row: Row
    label: int | str
    right: int | str | None = None  # the value is the gold one (when `label` says more: see _text_over_stamp)


@dataclass(slots=True)
class Recorder:
    """A decider that records rows (for the article being run) and decides nothing away."""

    current: Labelled | None = None
    examples: list[Example] = field(default_factory=list)
    labeller: Callable[[Labelled, str, str], int | str | None] | None = None

    def _keep(self, decision: str, key: str, row: Row) -> None:
        assert self.current is not None
        assert self.labeller is not None
        label = self.labeller(self.current, decision, key)
        if label is not None:
            article = self.current
            self.examples.append(
                Example(article.id, article.group, article.language, decision, key, dict(row), label)
            )

    def probability(self, decision: str, keys: Sequence[str], rows: Sequence[Row]) -> list[float]:
        first = len(self.examples)
        for key, row in zip(keys, rows, strict=True):
            self._keep(decision, key, row)
        if decision == "date":
            _text_over_stamp(self.examples[first:])
        return [1.0] * len(rows)

    def classes(self, decision: str, row: Row) -> dict[str, float]:
        self._keep(decision, "", row)
        return {"held": 1.0}

    def threshold(self, decision: str) -> float:
        return 0.5

    def calibrated(self, p: float) -> float:
        return p


def _stamp(row: Row) -> bool:
    """A date written where the page dates itself (a dateline, a line of a date and a time), not where
    the text says what happened that day."""
    return bool(
        row.get("says_dateline")
        or row.get("says_line_clock")
        or (not row.get("says_line_words_before") and row.get("says_line_words_after", 0) <= 2)
    )


def _text_over_stamp(rows: Sequence[Example]) -> None:
    """The gold day says which day, not where the text states it: when the text also writes that day
    (beside the summit, "today", "on Thursday"), the page's own stamp of it is not what states it (a
    stamp is the day the article was filed, which the summit's day is only sometimes)."""
    stated = {e.key.split("|")[0] for e in rows if e.label == 1 and not _stamp(e.row)}
    for e in rows:
        if e.label == 1 and _stamp(e.row) and e.key.split("|")[0] in stated:
            e.right, e.label = 1, 0


def score_module() -> ModuleType:
    """../shared/eval/score.py, whose name matching makes the labels agree with the scores."""
    spec = importlib.util.spec_from_file_location("eval_score", EVAL_DIR / "score.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labeller(score: ModuleType) -> Callable[[Labelled, str, str], int | str | None]:
    def label(article: Labelled, decision: str, key: str) -> int | str | None:
        gold = article.gold
        if decision == "summit":
            return int(bool(gold.get("is_summit")))
        if not gold.get("is_summit"):
            return None  # the other decisions are learned on reports of a summit
        if decision == "state":
            return int(key in (gold.get("participant_countries") or []))
        if decision == "chair":
            return int(key == gold.get("chair_country"))
        if decision == "ordinal":
            return int(gold.get("ordinal") is not None and str(gold.get("ordinal")) == key)
        if decision == "venue":  # the place's state is the venue's
            return int(bool(gold.get("venue_country")) and key.split("|")[0] == gold.get("venue_country"))
        if decision == "venue_city":
            # the place is right to the city: its state is the venue's, its city the gold city (or both null)
            country, _, city = key.partition("|")
            wanted = gold.get("venue_city")
            same_city = score.fold(str(wanted)) == score.fold(city) if wanted else not city
            return int(bool(gold.get("venue_country")) and country == gold.get("venue_country") and same_city)
        if decision == "date":
            wanted = gold.get("start_date")
            return int(bool(wanted) and score.date_ok(wanted, key.split("|")[0]))
        if decision == "status":
            return str(gold.get("status") or "held")
        if decision == "person":
            return int(_person_label(score, gold, key))
        raise ValueError(decision)

    return label


def _person_label(score: ModuleType, gold: dict[str, Any], key: str) -> bool:
    kind, _, rest = key.partition(":")
    if kind == "official":
        names = [o.get("name_en") for o in gold.get("international_officials") or []]
        return any(score.close(score.surname(n), score.surname(rest)) for n in names)
    name, _, country = rest.rpartition(":")
    leaders = gold.get("leaders") or []
    if kind == "titled":
        return any(g.get("country") == country for g in leaders)
    return any(
        (g.get("country") is None or g.get("country") == (country or None))
        and score.close(score.surname(g.get("name_en")), score.surname(name))
        for g in leaders
    )


def collect(pipeline: Pipeline, articles: Sequence[Labelled]) -> list[Example]:
    """Every decision's rows over `articles`, labelled."""
    recorder = Recorder(labeller=labeller(score_module()))
    recording = Pipeline(replace(pipeline.resources, decider=recorder), pipeline.routes)
    for article in articles:
        recorder.current = article
        recording.analyse(RawArticle.model_validate(article.row))
    return recorder.examples
