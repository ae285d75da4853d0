"""Folds: the one stratified (and, with groups, grouped) fold splitter, and the check of group values.

Used alike by the estimators (calibration folds, decision-weight tuning) and by evaluation (cross-validation,
learning curves, comparisons), so that "grouped by article" means the same thing everywhere: no group in
two folds. Labels and groups are compared as strings.

Examples
--------
>>> folds = stratified_folds(["a", "a", "b", "b"], groups=["d1", "d1", "d2", "d3"], n_splits=2, random_state=0)
>>> [sorted(test.tolist()) for _, test in folds]
[[0, 1, 2], [3]]
>>> check_groups(["d1", None], 2)
Traceback (most recent call last):
...
ValueError: group of record 1 is missing (None); every record needs a group
"""

from __future__ import annotations

import math
from typing import Hashable, Sequence

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

__all__ = ["calibration_folds", "check_groups", "stratified_folds"]


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def check_groups(
    groups: Sequence[Hashable], n_records: int, *, names: Sequence[str] | None = None
) -> np.ndarray:
    """The groups as an array of str, after checking there is one per record and none is missing.

    Parameters
    ----------
    groups : sequence
        Group of each record (e.g. the ``doc_id`` of each passage).
    n_records : int
        How many records there are.
    names : sequence of str, optional
        How to name each record in an error (e.g. ``"train.jsonl:12"``); default ``"record <i>"``.

    Raises
    ------
    ValueError
        A length mismatch, or a missing group (None, an empty string, NaN), naming the first such record.
    """
    if len(groups) != n_records:
        raise ValueError(f"groups has {len(groups)} entries for {n_records} records")
    for i, g in enumerate(groups):
        if _missing(g):
            name = names[i] if names is not None else f"record {i}"
            raise ValueError(f"group of {name} is missing ({g!r}); every record needs a group")
    return np.asarray([str(g) for g in groups])


def stratified_folds(
    y: Sequence[Hashable],
    groups: Sequence[Hashable] | None = None,
    *,
    n_splits: int,
    random_state: int | np.random.RandomState | None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(train, test)`` index arrays of shuffled stratified folds, grouped when ``groups`` is given.

    Parameters
    ----------
    y : sequence of labels
    groups : sequence, optional
        Group of each record: the folds never split a group (:class:`~sklearn.model_selection.StratifiedGroupKFold`);
        checked by :func:`check_groups`.
    n_splits : int
        Number of folds.
    random_state : int, RandomState or None
        Seed of the shuffling.

    Raises
    ------
    ValueError
        Fewer groups than folds, or a missing group.
    """
    labels = np.asarray([str(v) for v in y])
    dummy = np.zeros(len(labels))
    if groups is None:
        return list(StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state).split(dummy, labels))
    g = check_groups(groups, len(labels))
    n_groups = len(set(g.tolist()))
    if n_groups < n_splits:
        raise ValueError(f"n_splits={n_splits} is more than the {n_groups} distinct groups")
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    return list(splitter.split(dummy, labels, g))


def calibration_folds(
    y: Sequence[Hashable],
    groups: Sequence[Hashable] | None,
    n_splits: int,
    random_state: int | np.random.RandomState | None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`stratified_folds` inside an estimator's ``fit``: as many folds as asked, or as the rarest label has
    examples if fewer (every fold must see every label).

    Raises
    ------
    ValueError
        A label with fewer than 2 examples.
    """
    _, counts = np.unique(np.asarray([str(v) for v in y]), return_counts=True)
    n = int(min(n_splits, counts.min()))
    if n < 2:
        raise ValueError(f"every label needs at least 2 examples for calibration; the rarest has {counts.min()}")
    return stratified_folds(y, groups, n_splits=n, random_state=random_state)
