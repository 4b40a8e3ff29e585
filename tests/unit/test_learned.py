"""The learned decisions: model files read as data, scored exactly as LightGBM scores them, trained
deterministically on the current labelled set, and the founding article still read right."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import lightgbm as lgb
import numpy as np
import orjson
import pytest

from handlers.decide import BINARY, MODELS_DIR, Models
from handlers.features import Row
from handlers.pipeline import Pipeline
from handlers.trees import ModelFormatError, TreeModel
from schemas import RawArticle
from training import data, fit
from training.collect import Example

SEED = data.EVAL_DIR / "dev.jsonl"


def _examples(decision: str, n: int = 400, seed: int = 3) -> list[Example]:
    """Rows whose label depends on an interaction of two features, and a third that is noise."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        a, b, c = (float(v) for v in rng.integers(0, 4, size=3))
        if decision == "status":
            label: int | str = ("held", "ongoing", "upcoming")[int(a + b) % 3]
        else:
            label = int(a > 1 and b < 2)
        row = {"a": a, "b": b, "noise": c}
        if i % 7 == 0:
            del row["noise"]  # an absent feature counts as 0
        out.append(Example(f"art-{i}", f"g-{i}", "en", decision, str(i), row, label))
    return out


def _booster(text: str) -> lgb.Booster:
    return lgb.Booster(model_str=text)


@pytest.mark.parametrize("decision", ["summit", "status"])
def test_tree_reader_scores_exactly_as_lightgbm(decision: str) -> None:
    examples = _examples(decision)
    text = fit.fit_text(decision, examples)
    ours = TreeModel.parse(text)
    booster = _booster(text)
    x = np.array([ours.vector(e.row) for e in examples])
    theirs = booster.predict(x)
    for row, expected in zip((e.row for e in examples), theirs, strict=True):
        if decision == "status":
            assert ours.class_proba(row) == pytest.approx(list(expected), abs=1e-9)
        else:
            assert ours.proba(row) == pytest.approx(float(expected), abs=1e-9)


def test_fitting_twice_gives_the_same_model_text() -> None:
    examples = _examples("state")
    assert fit.fit_text("state", examples) == fit.fit_text("state", examples)


def test_a_model_learns_the_interaction_it_was_shown() -> None:
    model = TreeModel.parse(fit.fit_text("person", _examples("person")))
    assert model.proba({"a": 3.0, "b": 0.0}) > 0.9
    assert model.proba({"a": 3.0, "b": 3.0}) < 0.1
    assert model.proba({"a": 0.0, "b": 0.0}) < 0.1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x80\x04\x95 pickle bytes",
        "tree\nversion=v4\nnum_class=1\nobjective=regression\nfeature_names=a\n",
        "tree\nversion=v4\nnum_class=1\nobjective=binary sigmoid:1\nfeature_names=a\n\nTree=0\nnum_leaves=2\n"
        "num_cat=1\nsplit_feature=0\nthreshold=0\ndecision_type=1\nleft_child=-1\nright_child=-2\n"
        "leaf_value=0 1\n",
    ],
)
def test_a_file_that_is_not_a_model_of_ours_is_refused(text: str) -> None:
    with pytest.raises(ModelFormatError):
        TreeModel.parse(text)


def test_committed_models_load_as_text_and_say_what_they_were_trained_on() -> None:
    models = Models.load()
    assert set(models.binary) == set(BINARY)
    meta = orjson.loads((MODELS_DIR / "meta.json").read_bytes())
    assert meta["trained_on"]["sets"] == list(data.SETS)
    assert len(meta["trained_on"]["sha256"]) == 64
    for path in MODELS_DIR.iterdir():
        assert path.suffix in (".txt", ".json"), path  # data only: nothing a loader would execute
    for decision in (*BINARY, "status"):
        assert (MODELS_DIR / f"{decision}.txt").read_text().startswith("tree\n")
    assert all(0.0 < cut < 1.0 for cut in models.thresholds.values())


@pytest.mark.skipif(
    not (data.EVAL_DIR / "train.jsonl").exists(), reason="../shared/eval is not beside the repo"
)
def test_committed_models_were_trained_on_the_current_labelled_set() -> None:
    meta = orjson.loads((MODELS_DIR / "meta.json").read_bytes())
    assert meta["trained_on"]["sha256"] == data.digest(), "the labelled set changed: run `make train`"


def test_calibrated_confidence_follows_the_isotonic_steps() -> None:
    models = Models.load()
    steps = models.calibration
    assert steps, "make train fits the confidence calibration on held-out folds"
    values = [models.calibrated(p / 100) for p in range(101)]
    assert values == sorted(values)  # monotone
    assert all(0.0 <= v <= 1.0 for v in values)


def test_heldout_urls_are_normalised_as_the_eval_readme_says() -> None:
    assert data.normalised_url("https://www.Example.com/a/b/?x=1") == "example.com/a/b?x=1"
    digest = hashlib.sha256(b"example.com/a/b?x=1").hexdigest()
    assert data.is_heldout("http://example.com/a/b?x=1", frozenset({digest}))
    assert not data.is_heldout("http://example.com/a/c", frozenset({digest}))


def test_labelled_articles_never_include_a_heldout_one(tmp_path: Path) -> None:
    url = "https://news.example/story/1"
    digest = hashlib.sha256(data.normalised_url(url).encode()).hexdigest()
    (tmp_path / "heldout.sha256").write_text(digest + "\n")
    rows = [{"id": "a", "url": url, "body": "x", "gold": {"is_summit": False}}]
    rows.append({"id": "b", "url": "https://news.example/story/2", "body": "y", "gold": {"is_summit": False}})
    (tmp_path / "train.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    assert [a.id for a in data.load(tmp_path, ("train.jsonl",))] == ["b"]


def test_cross_validation_groups_reports_of_one_meeting_together() -> None:
    gold = {"is_summit": True, "series": "SCO Summit", "venue_city": "Astana", "start_date": "2024-07-04"}
    one = data.Labelled({"id": "x", "gold": gold})
    other = data.Labelled({"id": "y", "published_at": "2024-07-05", "gold": {**gold, "start_date": None}})
    negative = data.Labelled({"id": "z", "gold": {"is_summit": False}})
    assert one.group == other.group
    assert negative.group != one.group


@pytest.mark.skipif(not SEED.exists(), reason="../shared/eval is not beside the repo")
def test_the_founding_article_gives_its_event() -> None:
    row = next(orjson.loads(line) for line in SEED.read_bytes().splitlines() if b'"seed-001"' in line)
    (event,) = Pipeline.build().process(RawArticle.model_validate(row))
    summit = event.summit
    assert (summit.ordinal, summit.start_date, summit.chair_country) == (6, "2024-08-09", "KZ")
    assert event.participant_countries == ["AZ", "KG", "KZ", "TJ", "TM", "UZ"]
    guests = {p.name for p in event.participants if p.guest}
    assert guests == {"Ilham Aliyev"}
    assert len(event.documents) == 3
    assert event.confidence >= 0.8


@pytest.mark.parametrize("num_leaves", [15, 40, 90])
def test_scoring_many_rows_finds_the_leaves_each_tree_walk_finds(num_leaves: int) -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(600, 6))
    x[rng.random(size=x.shape) < 0.1] = np.nan
    y = (np.nan_to_num(x[:, 0]) + np.nan_to_num(x[:, 1]) * np.nan_to_num(x[:, 2]) > 0).astype(int)
    for params in ({"objective": "binary"}, {"objective": "multiclass", "num_class": 3}):
        labels = y if params["objective"] == "binary" else (y + (x[:, 3] > 0)) % 3
        booster = lgb.train(
            {**params, "num_leaves": num_leaves, "min_data_in_leaf": 2, "verbosity": -1, "num_threads": 1},
            lgb.Dataset(x, label=labels, feature_name=[f"f{i}" for i in range(6)]),
            num_boost_round=6,
        )
        model = TreeModel.parse(str(booster.model_to_string()))
        rows = [{f"f{i}": float(v) for i, v in enumerate(r) if i != 5 or v > 0} for r in x[:40]]
        names = model.features
        walked = [[tree.value(row, names) for tree in model.trees] for row in rows]
        assert model.flat is not None
        assert model.flat.leaves(rows).tolist() == walked
        for row, leaves in zip(rows, walked, strict=True):
            sums = [0.0] * model.num_class
            for i, value in enumerate(leaves):
                sums[i % model.num_class] += value
            assert model.raw(row) == sums


def test_the_date_cut_is_fixed_by_the_mean_cost_of_a_miss() -> None:
    from training.__main__ import INVENTED_COST, _cost_cut

    stated = {"a", "b", "c"}
    # best candidates above 0.5 that are not the gold day: one wrong day ("b"), one invented ("d")
    points = [("a", 0.9, 1), ("a", 0.2, 0), ("b", 0.7, 0), ("c", 0.4, 0), ("d", 0.8, 0), ("e", 0.3, 0)]
    cost = (1.0 + INVENTED_COST) / 2
    assert _cost_cut(points, stated) == round(cost / (1 + cost), 3)
    assert _cost_cut([("a", 0.9, 1)], stated) == round(INVENTED_COST / (1 + INVENTED_COST), 3)
    only_wrong = _cost_cut([("b", 0.7, 0)], stated)
    assert only_wrong == 0.5, "a wrong day costs what a right one gains"


class _FixedDates:
    """A decider whose date model gives each candidate a set probability (by its key's day and position)."""

    def __init__(self, by_start: dict[int, float], cut: float) -> None:
        self.by_start, self.cut = by_start, cut

    def probability(self, decision: str, keys: Sequence[str], rows: Sequence[Row]) -> list[float]:
        return [self.by_start[int(k.rsplit("|", 1)[1])] for k in keys]

    def classes(self, decision: str, row: Row) -> dict[str, float]:
        return {"held": 1.0}

    def threshold(self, decision: str) -> float:
        return self.cut

    def calibrated(self, p: float) -> float:
        return p


def test_a_day_is_weighed_over_all_its_mentions() -> None:
    from handlers.decide import day_scores

    keys = ["2024-07-04||10", "2024-07-03||40", "2024-07-04||90"]
    days = day_scores(keys, [0.5, 0.6, 0.5])
    assert days == pytest.approx([0.75, 0.6, 0.75])
    assert day_scores(["2024-07-04||10"], [0.3]) == pytest.approx([0.3])


def test_the_date_decision_takes_a_day_written_twice_over_a_likelier_single_mention() -> None:
    from handlers.dates import DateMention
    from handlers.decide import _date
    from handlers.doc import Doc

    twice = [DateMention(10, 20, "2024-07-04", None, False), DateMention(90, 100, "2024-07-04", None, False)]
    once = DateMention(40, 50, "2024-07-03", None, False)
    rows: list[tuple[DateMention, Row]] = [(twice[0], {}), (once, {}), (twice[1], {})]
    # a real Doc (the compiled handlers check the type), with no text: no closing day to read an end from
    doc = Doc(article=RawArticle.model_validate({"id": "d", "language": "en", "body": "."}))
    # each mention of the 4th alone stays under the cut (0.5 < 0.63) and under the 3rd; together 0.75
    _date(doc, _FixedDates({10: 0.5, 40: 0.6, 90: 0.55}, 0.63), rows)
    assert doc.date is not None
    assert (doc.date.start_date, doc.date.start) == ("2024-07-04", 90)
    _date(doc, _FixedDates({10: 0.2, 40: 0.6, 90: 0.2}, 0.63), rows)
    assert doc.date is None


def test_the_date_cut_is_chosen_on_the_days_as_the_decision_weighs_them() -> None:
    from training.__main__ import _by_day

    def row(article: str, key: str, label: int) -> Example:
        return Example(article, article, "en", "date", key, {}, label)

    held = [
        (row("a", "2024-07-04||10", 1), 0.5),
        (row("a", "2024-07-04||90", 1), 0.5),
        (row("a", "2024-07-03||5", 0), 0.6),
    ]
    assert _by_day(held) == [
        ("a", pytest.approx(0.75), 1),
        ("a", pytest.approx(0.75), 1),
        ("a", pytest.approx(0.6), 0),
    ]
