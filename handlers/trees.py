"""Read a LightGBM text model (`Booster.save_model`) and score rows with it, in plain Python.

The file is data, parsed field by field: loading it cannot run code (unlike pickle or joblib). Only
what `make train` writes is accepted (numerical splits, no categorical ones, no linear trees), and a
unit test checks the scores equal LightGBM's own `Booster.predict` on the same rows. Scoring a few
candidates of one article this way costs microseconds and needs neither LightGBM nor SciPy at run time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_DEFAULT_LEFT = 2  # bit of `decision_type`: a missing value goes left
_CATEGORICAL = 1  # bit of `decision_type`: a categorical split (not written by `make train`)


class ModelFormatError(ValueError):
    """The model file is not a LightGBM text model of the kind `make train` writes."""


@dataclass(frozen=True, slots=True)
class Tree:
    """One regression tree: node i splits on `feature[i]` at `threshold[i]`; children < 0 are leaves."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    default_left: tuple[bool, ...]
    leaf: tuple[float, ...]

    def value(self, row: Sequence[float]) -> float:
        if not self.feature:
            return self.leaf[0]
        node = 0
        while node >= 0:
            x = row[self.feature[node]]
            go_left = self.default_left[node] if math.isnan(x) else x <= self.threshold[node]
            node = self.left[node] if go_left else self.right[node]
        return self.leaf[~node]


@dataclass(frozen=True, slots=True)
class TreeModel:
    """A boosted tree ensemble: binary (one probability) or multiclass (one per class)."""

    features: tuple[str, ...]
    trees: tuple[Tree, ...]
    num_class: int
    sigmoid: float
    index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.index.update((name, i) for i, name in enumerate(self.features))

    @classmethod
    def load(cls, path: Path) -> TreeModel:
        """Parse a LightGBM text model file."""
        return cls.parse(path.read_text(encoding="utf-8"))

    @classmethod
    def parse(cls, text: str) -> TreeModel:
        header, _, rest = text.partition("\nTree=")
        head = _fields(header)
        try:
            features = tuple(head["feature_names"].split(" "))
            num_class = int(head["num_class"])
            objective = head["objective"].split(" ")
        except KeyError as exc:
            raise ModelFormatError(f"missing header field {exc}") from exc
        sigmoid = 1.0
        for part in objective[1:]:
            if part.startswith("sigmoid:"):
                sigmoid = float(part.split(":", 1)[1])
        if objective[0] not in ("binary", "multiclass"):
            raise ModelFormatError(f"objective {objective[0]!r} is not binary or multiclass")
        blocks = ("Tree=" + rest).split("end of trees", 1)[0].split("\nTree=") if rest else []
        trees = tuple(_tree(_fields(block)) for block in blocks)
        if len(trees) % num_class:
            raise ModelFormatError("the number of trees is not a multiple of the number of classes")
        return cls(features, trees, num_class, sigmoid)

    def vector(self, row: Mapping[str, float]) -> list[float]:
        """The row as the model's feature vector (features it does not know are ignored; absent are 0)."""
        x = [0.0] * len(self.features)
        index = self.index
        for name, value in row.items():
            i = index.get(name)
            if i is not None:
                x[i] = float(value)
        return x

    def raw(self, row: Mapping[str, float]) -> list[float]:
        """The summed leaf values per class."""
        x = self.vector(row)
        sums = [0.0] * self.num_class
        for i, tree in enumerate(self.trees):
            sums[i % self.num_class] += tree.value(x)
        return sums

    def proba(self, row: Mapping[str, float]) -> float:
        """Probability of the positive class (binary models)."""
        return 1.0 / (1.0 + math.exp(-self.sigmoid * self.raw(row)[0]))

    def class_proba(self, row: Mapping[str, float]) -> list[float]:
        """Probability of each class (multiclass models)."""
        raw = self.raw(row)
        top = max(raw)
        exp = [math.exp(r - top) for r in raw]
        total = sum(exp)
        return [e / total for e in exp]


def _fields(block: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in block.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


def _numbers(fields: Mapping[str, str], key: str) -> list[str]:
    value = fields.get(key, "")
    return value.split(" ") if value else []


def _tree(fields: Mapping[str, str]) -> Tree:
    if fields.get("num_cat", "0") != "0" or fields.get("is_linear", "0") != "0":
        raise ModelFormatError("categorical splits and linear trees are not supported")
    leaf = tuple(float(v) for v in _numbers(fields, "leaf_value"))
    if int(fields.get("num_leaves", "1")) == 1:
        return Tree((), (), (), (), (), leaf)
    decision = [int(v) for v in _numbers(fields, "decision_type")]
    if any(d & _CATEGORICAL for d in decision):
        raise ModelFormatError("categorical splits are not supported")
    return Tree(
        feature=tuple(int(v) for v in _numbers(fields, "split_feature")),
        threshold=tuple(float(v) for v in _numbers(fields, "threshold")),
        left=tuple(int(v) for v in _numbers(fields, "left_child")),
        right=tuple(int(v) for v in _numbers(fields, "right_child")),
        default_left=tuple(bool(d & _DEFAULT_LEFT) for d in decision),
        leaf=leaf,
    )
