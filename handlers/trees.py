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
from typing import Any

import numpy as np

_FEW_ROWS = 4  # up to this many rows, walking the trees in Python beats numpy's per-call cost
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

    def value(self, row: Mapping[str, float], names: tuple[str, ...]) -> float:
        """The leaf value `row` (feature name -> value, absent = 0) falls into."""
        if not self.feature:
            return self.leaf[0]
        feature, threshold, default_left = self.feature, self.threshold, self.default_left
        node = 0
        while node >= 0:
            x = row.get(names[feature[node]], 0.0)
            go_left = default_left[node] if x != x else x <= threshold[node]  # x != x: NaN
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
    flat: _Flat | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.index.update((name, i) for i, name in enumerate(self.features))
        object.__setattr__(self, "flat", _Flat.of(self))

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

    def raw_many(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Summed leaf values per row and class, for many rows at once (numpy, level by level)."""
        flat = self.flat
        assert flat is not None
        used = flat.used
        x = np.array([[row.get(n, 0.0) for n in used] for row in rows], dtype=np.float64).reshape(
            len(rows), -1
        )
        node = np.broadcast_to(flat.roots, (len(rows), len(flat.roots))).copy()
        row_index = np.arange(len(rows))[:, None]
        for _ in range(flat.depth):
            inner = node >= 0
            if not inner.any():
                break
            at = np.where(inner, node, 0)
            value = x[row_index, flat.feature[at]]
            left = np.where(np.isnan(value), flat.default_left[at], value <= flat.threshold[at])
            node = np.where(inner, np.where(left, flat.left[at], flat.right[at]), node)
        leaf = flat.leaf[~node]
        sums = np.zeros((len(rows), self.num_class))
        for k in range(self.num_class):
            sums[:, k] = leaf[:, k :: self.num_class].sum(axis=1)
        return sums

    def proba_many(self, rows: Sequence[Mapping[str, float]]) -> list[float]:
        """Probability of the positive class for each row (binary models)."""
        if len(rows) <= _FEW_ROWS:
            return [self.proba(row) for row in rows]
        raw = self.raw_many(rows)[:, 0]
        return [float(p) for p in 1.0 / (1.0 + np.exp(-self.sigmoid * raw))]

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
        names, k = self.features, self.num_class
        sums = [0.0] * k
        for i, tree in enumerate(self.trees):
            sums[i % k] += tree.value(row, names)
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


@dataclass(frozen=True, slots=True)
class _Flat:
    """Every tree's nodes in shared arrays: children >= 0 are nodes, < 0 are leaves (~index)."""

    roots: np.ndarray[Any, np.dtype[np.int64]]
    feature: np.ndarray[Any, np.dtype[np.int64]]
    threshold: np.ndarray[Any, np.dtype[np.float64]]
    default_left: np.ndarray[Any, np.dtype[np.bool_]]
    left: np.ndarray[Any, np.dtype[np.int64]]
    right: np.ndarray[Any, np.dtype[np.int64]]
    leaf: np.ndarray[Any, np.dtype[np.float64]]
    depth: int
    used: tuple[str, ...]  # the features some split reads, in the order of the columns `feature` indexes

    @classmethod
    def of(cls, model: TreeModel) -> _Flat:
        roots: list[int] = []
        feature: list[int] = []
        threshold: list[float] = []
        default_left: list[bool] = []
        left: list[int] = []
        right: list[int] = []
        leaf: list[float] = []
        depth = 0
        for tree in model.trees:
            nodes, leaves = len(feature), len(leaf)
            leaf.extend(tree.leaf)
            if not tree.feature:
                roots.append(~leaves)
                continue
            roots.append(nodes)
            feature.extend(tree.feature)
            threshold.extend(tree.threshold)
            default_left.extend(tree.default_left)
            left.extend(c + nodes if c >= 0 else ~(~c + leaves) for c in tree.left)
            right.extend(c + nodes if c >= 0 else ~(~c + leaves) for c in tree.right)
            depth = max(depth, _depth(tree))
        if not feature:  # only single-leaf trees: one dummy node that is never reached
            feature, threshold, default_left, left, right = [0], [0.0], [True], [-1], [-1]
        used = sorted(set(feature))
        column = {f: i for i, f in enumerate(used)}
        return cls(
            np.array(roots, dtype=np.int64),
            np.array([column[f] for f in feature], dtype=np.int64),
            np.array(threshold, dtype=np.float64),
            np.array(default_left, dtype=np.bool_),
            np.array(left, dtype=np.int64),
            np.array(right, dtype=np.int64),
            np.array(leaf, dtype=np.float64),
            depth,
            tuple(model.features[f] if f < len(model.features) else "" for f in used),
        )


def _depth(tree: Tree) -> int:
    deepest, stack = 0, [(0, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        for child in (tree.left[node], tree.right[node]):
            if child >= 0:
                stack.append((child, level + 1))
    return deepest


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
