"""Read a LightGBM text model (`Booster.save_model`) and score rows with it, in plain Python.

The file is data, parsed field by field: loading it cannot run code (unlike pickle or joblib). Only
what `make train` writes is accepted (numerical splits, no categorical ones, no linear trees), and a
unit test checks the scores equal LightGBM's own `Booster.predict` on the same rows. Scoring a few
candidates of one article this way costs microseconds and needs neither LightGBM nor SciPy at run time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

_FEW_ROWS = 4  # up to this many rows, walking the trees in Python beats numpy's per-call cost
_MASK_BITS = 64  # leaves per tree the numpy scorer's bit masks hold (more: every row walked in Python)
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
        """Summed leaf values per row and class, for many rows at once (numpy: every split of every tree
        compared at once, each tree's leaf found from bit masks; then numpy's sums over the trees)."""
        flat = self.flat
        assert flat is not None
        leaf = flat.leaves(rows)
        sums = np.zeros((len(rows), self.num_class))
        for k in range(self.num_class):
            sums[:, k] = leaf[:, k :: self.num_class].sum(axis=1)
        return sums

    def proba_many(self, rows: Sequence[Mapping[str, float]]) -> list[float]:
        """Probability of the positive class for each row (binary models)."""
        if len(rows) <= _FEW_ROWS:
            return [self.proba(row) for row in rows]
        raw = self.raw_many(rows)[:, 0]
        probabilities: list[float] = (1.0 / (1.0 + np.exp(-self.sigmoid * raw))).tolist()
        return probabilities

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
        """The summed leaf values per class (added in tree order, as `Tree.value` one tree at a time)."""
        flat = self.flat
        assert flat is not None
        k = self.num_class
        if k == 1:
            total = 0.0
            for value in flat.walk(row):
                total += value
            return [total]
        sums = [0.0] * k
        for i, value in enumerate(flat.walk(row)):
            sums[i % k] += value
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
    """Every tree's nodes in shared plain lists (the Python walk of one row) and numpy arrays (many rows).

    Nodes: children >= 0 are nodes, < 0 are leaves (~index into `leaf`); `feature` indexes `used`, the
    features some split reads. For many rows, each node also holds the bit mask of its tree's leaves
    (numbered left to right) that stay reachable when its test fails: the leaves of its left subtree
    cleared. A row's leaf in a tree is the lowest bit left after AND-ing the masks of the nodes whose
    test fails (QuickScorer; the same leaf the walk reaches)."""

    roots: tuple[int, ...]
    feature: list[int]
    threshold: list[float]
    default_left: list[bool]
    left: list[int]
    right: list[int]
    leaf: list[float]
    used: tuple[str, ...]
    absent: dict[str, float]  # every used feature -> 0.0 (an absent feature counts as 0)
    pick: Callable[[Mapping[str, float]], tuple[float, ...]]  # the used features' values, in order
    # numpy, one entry per node of every tree (a tree of one leaf has one node that never fails)
    node_feature: np.ndarray[Any, np.dtype[np.intp]]
    node_threshold: np.ndarray[Any, np.dtype[np.float64]]
    node_default_left: np.ndarray[Any, np.dtype[np.bool_]]
    node_mask: np.ndarray[Any, np.dtype[np.unsignedinteger[Any]]] | None  # None: a tree has too many leaves
    tree_start: np.ndarray[Any, np.dtype[np.intp]]  # each tree's first node
    tree_leaf: np.ndarray[Any, np.dtype[np.float64]]  # leaf values, tree t's leaf j at t * _MASK_BITS + j
    tree_offset: np.ndarray[Any, np.dtype[np.intp]]

    @classmethod
    def of(cls, model: TreeModel) -> _Flat:
        used_ids = sorted({f for tree in model.trees for f in tree.feature})
        column = {f: i for i, f in enumerate(used_ids)}
        used = tuple(model.features[f] if f < len(model.features) else "" for f in used_ids)
        roots: list[int] = []
        feature: list[int] = []
        threshold: list[float] = []
        default_left: list[bool] = []
        left: list[int] = []
        right: list[int] = []
        leaf: list[float] = []
        node_feature: list[int] = []
        node_threshold: list[float] = []
        node_default_left: list[bool] = []
        node_mask: list[int] = []
        tree_start: list[int] = []
        tree_leaf: list[float] = []
        fits = all(len(tree.leaf) <= _MASK_BITS for tree in model.trees)
        for tree in model.trees:
            nodes, leaves = len(feature), len(leaf)
            leaf.extend(tree.leaf)
            tree_start.append(len(node_feature))
            if not tree.feature:
                roots.append(~leaves)
                node_feature.append(0)
                node_threshold.append(0.0)
                node_default_left.append(True)
                node_mask.append(1)
                tree_leaf.extend([tree.leaf[0]] + [0.0] * (_MASK_BITS - 1))
                continue
            roots.append(nodes)
            feature.extend(column[f] for f in tree.feature)
            threshold.extend(tree.threshold)
            default_left.extend(tree.default_left)
            left.extend(c + nodes if c >= 0 else ~(~c + leaves) for c in tree.left)
            right.extend(c + nodes if c >= 0 else ~(~c + leaves) for c in tree.right)
            node_feature.extend(column[f] for f in tree.feature)
            node_threshold.extend(tree.threshold)
            node_default_left.extend(tree.default_left)
            if fits:
                order = _leaves_under(tree, 0)  # left to right
                bit = {leaf_index: 1 << j for j, leaf_index in enumerate(order)}
                every = (1 << len(order)) - 1
                for n in range(len(tree.feature)):
                    node_mask.append(every & ~sum(bit[i] for i in _leaves_under(tree, tree.left[n])))
                tree_leaf.extend([tree.leaf[i] for i in order] + [0.0] * (_MASK_BITS - len(order)))
        return cls(
            tuple(roots),
            feature,
            threshold,
            default_left,
            left,
            right,
            leaf,
            used,
            dict.fromkeys(used, 0.0),
            itemgetter(*used) if len(used) > 1 else lambda row: tuple(row[name] for name in used),
            np.array(node_feature, dtype=np.intp),
            np.array(node_threshold, dtype=np.float64),
            np.array(node_default_left, dtype=np.bool_),
            np.array(node_mask, dtype=_mask_type(model)) if fits else None,
            np.array(tree_start, dtype=np.intp),
            np.array(tree_leaf, dtype=np.float64),
            np.arange(len(model.trees), dtype=np.intp) * _MASK_BITS,
        )

    def values(self, row: Mapping[str, float]) -> tuple[float, ...]:
        """The row's value of each used feature (absent = 0)."""
        return self.pick({**self.absent, **row})

    def walk(self, row: Mapping[str, float]) -> list[float]:
        """The leaf value `row` falls into in each tree, in tree order (Python: cheapest for a row)."""
        x = self.values(row)
        feature, threshold, default_left = self.feature, self.threshold, self.default_left
        left, right, leaf = self.left, self.right, self.leaf
        out = []
        for node in self.roots:
            while node >= 0:
                v = x[feature[node]]  # v != v: NaN
                node = left[node] if v <= threshold[node] or (v != v and default_left[node]) else right[node]
            out.append(leaf[~node])
        return out

    def leaves(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The leaf value of each row (axis 0) in each tree (axis 1)."""
        if self.node_mask is None:
            return np.array([self.walk(row) for row in rows], dtype=np.float64).reshape(len(rows), -1)
        x = np.array([self.values(row) for row in rows], dtype=np.float64).reshape(len(rows), -1)
        if not self.used:
            x = np.zeros((len(rows), 1))
        value = x.take(self.node_feature, axis=1)
        go_left = value <= self.node_threshold
        if np.isnan(x).any():
            go_left |= np.isnan(value) & self.node_default_left
        mask = self.node_mask
        every = mask.dtype.type(-1 % (1 << (8 * mask.dtype.itemsize)))  # all bits set
        reachable = np.bitwise_and.reduceat(mask | (go_left * every), self.tree_start, axis=1)
        if mask.dtype.itemsize <= 2:
            position = _lowest_bit_16()[reachable]  # up to 16 leaves: one lookup
        else:
            lowest = reachable & (~reachable + mask.dtype.type(1))
            position = np.frexp(lowest.astype(np.float64))[1] - 1  # 2**j -> j (exact for powers of two)
        leaves: np.ndarray[Any, np.dtype[np.float64]] = self.tree_leaf[self.tree_offset + position]
        return leaves


@lru_cache(maxsize=1)
def _lowest_bit_16() -> np.ndarray[Any, np.dtype[np.uint8]]:
    """For every 16-bit mask, the position of its lowest set bit (0 for 0, which no tree leaves)."""
    masks = np.arange(1 << 16, dtype=np.int64)
    lowest = (masks & -masks).astype(np.float64)
    positions = np.frexp(lowest)[1] - 1
    positions[0] = 0
    table: np.ndarray[Any, np.dtype[np.uint8]] = positions.astype(np.uint8)
    return table


def _mask_type(model: TreeModel) -> type[np.unsignedinteger[Any]]:
    """The smallest unsigned integer with a bit for every leaf of the largest tree."""
    most = max((len(tree.leaf) for tree in model.trees), default=1)
    return next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if most <= 8 * np.dtype(t).itemsize)


def _leaves_under(tree: Tree, node: int) -> list[int]:
    """The leaves below `node` (a leaf itself when < 0), left to right."""
    if node < 0:
        return [~node]
    return _leaves_under(tree, tree.left[node]) + _leaves_under(tree, tree.right[node])


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
