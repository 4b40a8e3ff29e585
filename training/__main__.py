"""`python -m training train|eval`: build the models, or measure them by grouped cross-validation.

train: collect the labelled rows of ../shared/eval (train + dev), cross-validate to calibrate the
       summit confidence on held-out folds, fit every model on all rows, write handlers/models/.
eval:  grouped k-fold cross-validation (no meeting on both sides of a fold): every article is
       enriched by models that never saw its meeting; the events are scored by score.py per language,
       with the confidence calibration table; then dev alone with the committed models (a sanity check).
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from sklearn.isotonic import IsotonicRegression
from sklearn.model_selection import GroupKFold

from handlers.decide import BINARY, MODELS_DIR, Models, day_scores
from handlers.pipeline import Pipeline
from schemas import RawArticle
from training import collect as collecting
from training import data, fit
from training.collect import Example

FOLDS = 5
OUT = Path(".venv")


def _pipeline() -> Pipeline:
    return Pipeline.build(decider=collecting.Recorder())


def _isotonic(points: Sequence[tuple[float, int]]) -> list[tuple[float, float]]:
    """Steps (upper probability, share of real summits) of an isotonic fit."""
    if not points:
        return []
    x = np.array([p for p, _ in points])
    y = np.array([label for _, label in points], dtype=np.float64)
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y)
    return [
        (round(float(a), 6), round(float(b), 6))
        for a, b in zip(iso.X_thresholds_, iso.y_thresholds_, strict=True)
    ]


def _f1_threshold(points: Sequence[tuple[float, int]]) -> float:
    """The probability cut with the best F1 over held-out candidates (ties: the higher cut)."""
    best, cut = -1.0, 0.5
    for t in _CUTS:
        tp = sum(1 for p, y in points if p >= t and y)
        fp = sum(1 for p, y in points if p >= t and not y)
        fn = sum(1 for p, y in points if p < t and y)
        f1 = 2 * tp / max(1, 2 * tp + fp + fn)
        if f1 >= best:
            best, cut = f1, t
    return cut


INVENTED_COST = 2.0  # a field filled where the text states none costs twice a wrong value: precision first


def _best_of(points: Sequence[tuple[str, float, int]]) -> dict[str, tuple[float, int]]:
    """Each article's best candidate of a field: (its probability, is it right), the first on a tie."""
    best_of: dict[str, tuple[float, int]] = {}
    for article, p, y in points:
        if article not in best_of or p > best_of[article][0]:
            best_of[article] = (p, y)
    return best_of


def _field_threshold(points: Sequence[tuple[str, float, int]], has_gold: set[str]) -> float:
    """The cut under which a field's best candidate is dropped (the field stays null): the most right
    values, less the wrong ones, less twice the invented ones (filled where the gold is null)."""
    best_of = _best_of(points)
    best, cut = -1e9, 0.5
    for t in _CUTS:
        gain = 0.0
        for article, (p, y) in best_of.items():
            if p < t:
                continue
            gain += 1.0 if y else -1.0 if article in has_gold else -INVENTED_COST
        if gain >= best:
            best, cut = gain, t
    return cut


_CUTS = tuple(round(0.05 * k, 2) for k in range(2, 19))


def _cost_cut(points: Sequence[tuple[str, float, int]], has_gold: set[str]) -> float:
    """The date's cut, fixed by the costs rather than searched over a flat gain curve: emitting the best
    candidate of probability p gains p (right) and loses (1 - p) times the mean cost of a miss (1 for a
    wrong day where the gold states one, INVENTED_COST where it states none), so it pays above
    c / (1 + c); c is measured on the held-out best candidates that a plain 0.5 cut would emit wrongly."""
    best_of = _best_of(points)
    misses = [article in has_gold for article, (p, y) in best_of.items() if p >= 0.5 and not y]
    if not misses:
        return round(INVENTED_COST / (1.0 + INVENTED_COST), 3)
    cost = sum(1.0 if stated else INVENTED_COST for stated in misses) / len(misses)
    return round(cost / (1.0 + cost), 3)


FIELDS = {
    "chair": "chair_country",
    "date": "start_date",
    "ordinal": "ordinal",
    "venue": "venue_country",
    "venue_city": "venue_city",
}  # field decision -> its gold field


def gold_fields(articles: Sequence[data.Labelled]) -> dict[str, set[str]]:
    """For each field decision, the articles whose gold states the field."""
    return {
        d: {a.id for a in articles if a.gold.get("is_summit") and a.gold.get(g)} for d, g in FIELDS.items()
    }


def _value_right(e: Example) -> int:
    """Whether a field row's value is the gold one, wherever the text writes it (its label may say more:
    `collect._text_over_stamp`): what a field's cut weighs."""
    return int(e.label if e.right is None else e.right)


def _by_day(rows: Sequence[tuple[Example, float]]) -> list[tuple[str, float, int]]:
    """The date rows' held-out points as the decision weighs them: each mention's probability replaced
    by its day's over all the article's mentions of that day (`decide.day_scores`)."""
    by_article: dict[str, list[tuple[Example, float]]] = {}
    for e, p in rows:
        by_article.setdefault(e.article, []).append((e, p))
    points = []
    for article, items in by_article.items():
        days = day_scores([e.key for e, _ in items], [p for _, p in items])
        points += [(article, d, _value_right(e)) for (e, _), d in zip(items, days, strict=True)]
    return points


def thresholds(oof: Sequence[tuple[Example, float]], gold_fields: dict[str, set[str]]) -> dict[str, float]:
    """Each binary decision's cut, chosen on held-out probabilities."""
    out = {
        d: _f1_threshold([(p, int(e.label)) for e, p in oof if e.decision == d])
        for d in ("summit", "person", "state")
    }
    for field in FIELDS:
        points = [(e.article, p, _value_right(e)) for e, p in oof if e.decision == field]
        if field == "date":  # the decision weighs a day over all its mentions (`decide.day_scores`)
            points = _by_day([(e, p) for e, p in oof if e.decision == field])
        choose = _cost_cut if field == "date" else _field_threshold
        out[field] = choose(points, gold_fields[field])
    return out


def cross_validate(
    pipeline: Pipeline, articles: list[data.Labelled], split_seed: int | None = None
) -> tuple[list[dict[str, object]], list[tuple[Example, float]], dict[str, int]]:
    """Out-of-fold events, the held-out probability of every binary candidate, and each article's fold.

    The cuts and the confidence calibration that fold f's events use are chosen on the other folds'
    held-out probabilities: nothing of an article's meeting is seen before it is scored."""
    examples = collecting.collect(pipeline, articles)
    groups = [a.group for a in articles]
    splitter = (
        GroupKFold(n_splits=FOLDS)
        if split_seed is None
        else GroupKFold(n_splits=FOLDS, shuffle=True, random_state=split_seed)
    )
    folds = list(splitter.split(articles, groups=groups))
    fold_of = {articles[i].id: f for f, (_, test) in enumerate(folds) for i in test}
    fold_models: list[Models] = []
    oof: list[tuple[Example, float]] = []
    stated = gold_fields(articles)
    for f, (train, _) in enumerate(folds):
        train_ids = {articles[i].id for i in train}
        models = fit.models_of(fit.fit_all([e for e in examples if e.article in train_ids]), {}, ())
        fold_models.append(models)
        for decision in BINARY:
            held = [e for e in examples if e.decision == decision and fold_of[e.article] == f]
            probs = models.probability(decision, [e.key for e in held], [e.row for e in held])
            oof += list(zip(held, probs, strict=True))
    events: list[dict[str, object]] = []
    for f, (_, test) in enumerate(folds):
        others = [(e, p) for e, p in oof if fold_of[e.article] != f]
        summit = [(p, int(e.label)) for e, p in others if e.decision == "summit"]
        models = replace(
            fold_models[f], thresholds=thresholds(others, stated), calibration=tuple(_isotonic(summit))
        )
        run = Pipeline(replace(pipeline.resources, decider=models), pipeline.routes)
        for i in test:
            for event in run.process(RawArticle.model_validate(articles[i].row)):
                events.append(event.model_dump(mode="json"))
    return events, oof, fold_of


def train(args: argparse.Namespace) -> int:
    articles = data.load()
    pipeline = _pipeline()
    _, oof, _ = cross_validate(pipeline, articles)
    examples = collecting.collect(pipeline, articles)
    texts = fit.fit_all(examples)
    args.models.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (args.models / f"{name}.txt").write_text(text, encoding="utf-8")
    meta = {
        "trained_on": {"sets": list(data.SETS), "sha256": data.digest(), "articles": len(articles)},
        "library": f"lightgbm {version('lightgbm')}",
        "params": fit.PARAMS,
        "own_params": fit.OWN_PARAMS,
        "rounds": fit.ROUNDS,
        "folds": FOLDS,
        "thresholds": thresholds(oof, gold_fields(articles)),
        "calibration": _isotonic([(p, int(e.label)) for e, p in oof if e.decision == "summit"]),
        "examples": {
            d: sum(e.decision == d for e in examples) for d in sorted({e.decision for e in examples})
        },
    }
    (args.models / "meta.json").write_bytes(
        orjson.dumps(meta, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    )
    print(f"models written to {args.models} from {len(articles)} articles ({len(examples)} rows)")
    return 0


def _write_jsonl(path: Path, rows: Sequence[object]) -> None:
    with path.open("wb") as handle:
        for row in rows:
            handle.write(orjson.dumps(row) + b"\n")


def _score(gold: Path, pred: Path, *extra: str) -> None:
    subprocess.run(
        [sys.executable, str(data.EVAL_DIR / "score.py"), str(gold), str(pred), *extra], check=True
    )


def calibration_table(events: Sequence[dict[str, object]], gold: dict[str, bool]) -> list[str]:
    lines = ["confidence   events  real summits  share"]
    edges = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
    for lo, hi in itertools.pairwise(edges):
        inside = [e for e in events if lo <= float(e["confidence"]) < hi]  # type: ignore[arg-type]
        real = sum(gold[str(e["article"]["id"])] for e in inside)  # type: ignore[index]
        share = f"{real / len(inside):.3f}" if inside else "-"
        lines.append(f"[{lo:.1f}, {min(hi, 1.0):.1f})  {len(inside):6d}  {real:12d}  {share}")
    high = [e for e in events if float(e["confidence"]) >= 0.8]  # type: ignore[arg-type]
    real = sum(gold[str(e["article"]["id"])] for e in high)  # type: ignore[index]
    lines.append(f">= 0.8: {real}/{len(high)} real summits" + (f" ({real / len(high):.3f})" if high else ""))
    return lines


# splits of the meetings into folds that `make eval` averages (5 left changes of +-0.03 unresolved)
REPEATS = 10
Result = dict[str, Any]


def _field(name: str) -> Callable[[Result], Any]:
    def get(result: Result) -> Any:
        return result["fields"][name]["acc"]

    return get


_METRICS: tuple[tuple[str, Callable[[Result], Any]], ...] = (
    ("detection F1", lambda r: r["detection"]["f1"]),
    ("countries F1", lambda r: r["participant_countries"]["f1"]),
    ("leaders F1", lambda r: r["leaders"]["f1"]),
    *(
        (name, _field(name))
        for name in ("ordinal", "start_date", "venue_country", "venue_city", "chair_country", "status")
    ),
    ("invented-field events %", lambda r: r["invented_events"]),
)


def score_split(
    score: Any, articles: Sequence[data.Labelled], events: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """score.py's figures per language for one split's events, plus the share of detected summits
    with at least one invented field."""
    out = {}
    for lang in ("ar", "en", "ru"):
        gold = [a.row for a in articles if a.language == lang]
        ids = {str(a.id) for a in articles if a.language == lang}
        result, errors = score.score(gold, [e for e in events if str(e["article"]["id"]) in ids])
        invented = {gid for gid, msg in errors if " invented " in msg}
        result["invented_events"] = round(100.0 * len(invented) / max(1, result["detection"]["tp"]), 1)
        out[lang] = result
    return out


def summary_table(splits: Sequence[dict[str, Any]]) -> list[str]:
    """Mean (min-max) over the splits of each headline figure, per language."""
    lines = [f"{'':24s}" + "".join(f"{lang:>22s}" for lang in ("ar", "en", "ru"))]
    for name, get in _METRICS:
        cells = []
        for lang in ("ar", "en", "ru"):
            values = [float(get(split[lang]) or 0.0) for split in splits]
            mean = sum(values) / len(values)
            digits = 1 if name.endswith("%") else 3
            cells.append(f"{mean:.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})")
        lines.append(f"{name:24s}" + "".join(f"{c:>22s}" for c in cells))
    return lines


def evaluate(args: argparse.Namespace) -> int:
    articles = data.load()
    pipeline = _pipeline()
    score = collecting.score_module()
    OUT.mkdir(exist_ok=True)
    gold_path, pred_path = OUT / "cv-gold.jsonl", OUT / "cv-pred.jsonl"
    _write_jsonl(gold_path, [a.row for a in articles])
    splits, pooled = [], []
    for repeat in range(args.repeats):
        events, _, _ = cross_validate(pipeline, articles, None if repeat == 0 else repeat)
        if repeat == 0:
            _write_jsonl(pred_path, events)
        splits.append(score_split(score, articles, events))
        pooled += events
    print(
        f"=== grouped {FOLDS}-fold cross-validation over {', '.join(data.SETS)} ({len(articles)} articles): "
        f"mean (min-max) over {args.repeats} splits of the meetings into folds (unshuffled, then seeds "
        f"1-{args.repeats - 1}); field accuracies over detected summits whose gold states the field"
    )
    print("\n".join(summary_table(splits)))
    for lang in ("ar", "en", "ru"):
        print(f"--- {lang}, the unshuffled split (score.py)")
        _score(gold_path, pred_path, "--lang", lang)
    print(f"--- confidence calibration (held-out folds, the events of all {args.repeats} splits)")
    print("\n".join(calibration_table(pooled, {a.id: bool(a.gold.get("is_summit")) for a in articles})))
    dev = [a for a in articles if a.id in _ids(data.EVAL_DIR / "dev.jsonl")]
    committed = Pipeline(replace(pipeline.resources, decider=Models.load(args.models)), pipeline.routes)
    dev_events = [
        e.model_dump(mode="json") for a in dev for e in committed.process(RawArticle.model_validate(a.row))
    ]
    _write_jsonl(OUT / "dev-pred.jsonl", dev_events)
    print("=== dev.jsonl with the committed models (trained on it: a sanity check, not a measure)")
    _score(data.EVAL_DIR / "dev.jsonl", OUT / "dev-pred.jsonl")
    return 0


def _ids(path: Path) -> set[str]:
    return {str(orjson.loads(line)["id"]) for line in path.read_bytes().splitlines() if line.strip()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    parser.add_argument("command", choices=("train", "eval"))
    parser.add_argument("--models", type=Path, default=MODELS_DIR)
    parser.add_argument(
        "--repeats",
        type=int,
        default=REPEATS,
        help="eval: how many splits of the meetings into folds to average (the first unshuffled); one "
        "split's figures move by several points with the split, so a change is judged on the mean",
    )
    args = parser.parse_args(argv)
    if not (data.EVAL_DIR / "train.jsonl").exists():
        print(f"{data.EVAL_DIR}/train.jsonl not found (the labelled set lives beside this repo in ../shared)")
        return 2
    return train(args) if args.command == "train" else evaluate(args)


if __name__ == "__main__":
    raise SystemExit(main())
