"""The fold splitter shared by estimators and evaluation, and the check of group values."""

from __future__ import annotations

import numpy as np
import pytest

from stance.estimators.splits import calibration_folds, check_groups, stratified_folds


def test_grouped_folds_never_split_a_group_and_stratify():
    y = ["a"] * 30 + ["b"] * 30
    groups = [f"d{i // 3}" for i in range(60)]
    folds = stratified_folds(y, groups, n_splits=5, random_state=0)
    assert sorted(i for _, test in folds for i in test) == list(range(60))
    for train, test in folds:
        assert not {groups[i] for i in train} & {groups[i] for i in test}
        assert {y[i] for i in test} == {"a", "b"}


def test_the_same_groups_give_the_same_folds_whatever_the_row_order():
    y = np.array(["a", "b"] * 20)
    groups = np.array([f"d{i // 4}" for i in range(40)])
    perm = np.random.default_rng(1).permutation(40)
    one = [sorted(groups[test].tolist()) for _, test in stratified_folds(y, groups, n_splits=4, random_state=0)]
    two = [sorted(groups[perm][test].tolist()) for _, test in stratified_folds(y[perm], groups[perm], n_splits=4, random_state=0)]
    assert one == two


def test_missing_groups_and_too_few_groups_are_refused():
    with pytest.raises(ValueError, match="group of train.jsonl:2 is missing"):
        check_groups(["d1", float("nan")], 2, names=["train.jsonl:1", "train.jsonl:2"])
    with pytest.raises(ValueError, match="groups has 1 entries for 2 records"):
        check_groups(["d1"], 2)
    with pytest.raises(ValueError, match="n_splits=3 is more than the 2 distinct groups"):
        stratified_folds(["a", "b", "a", "b"], ["d1", "d1", "d2", "d2"], n_splits=3, random_state=0)


def test_calibration_folds_shrink_to_the_rarest_label():
    folds = calibration_folds(["a"] * 10 + ["b"] * 2, None, 5, 0)
    assert len(folds) == 2
    with pytest.raises(ValueError, match="the rarest has 1"):
        calibration_folds(["a"] * 10 + ["b"], None, 5, 0)
