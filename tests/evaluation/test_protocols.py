"""Cross-validation protocols: grouped folds, groups reaching the fold models, comparisons and learning
curves on a real UIT-VSFC subset."""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import islice

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from stance.evaluation.protocols import compare, cross_validate, learning_curve


@pytest.fixture(scope="module")
def uit(shared_data):
    def read(split: str, n: int) -> tuple[list[str], list[str], list[dict]]:
        with open(shared_data("uit_vsfc", f"{split}.jsonl"), encoding="utf-8") as f:
            rows = [json.loads(line) for line in islice(f, n)]
        return [r["text"] for r in rows], [r["label"] for r in rows], rows

    return read


def _model() -> Pipeline:
    return Pipeline([("tfidf", TfidfVectorizer()), ("lr", LogisticRegression(max_iter=300))])


def test_grouped_cv_keeps_groups_together(uit):
    texts, labels, rows = uit("train", 300)
    groups = [r["topic"] + str(i // 5) for i, r in enumerate(rows)]  # blocks of 5 as "articles"
    cv = cross_validate(_model(), texts, labels, groups=groups, n_splits=3, n_bootstrap=100)
    folds_of = defaultdict(set)
    for g, f in zip(groups, cv["predictions"]["fold"]):
        folds_of[g].add(f)
    assert all(len(f) == 1 for f in folds_of.values())
    assert cv["protocol"]["kind"] == "stratified_group_kfold" and cv["metrics"]["ci"]["unit"] == "group"
    assert sum(f["n_test"] for f in cv["folds"]) == 300
    assert np.allclose(np.sum(cv["predictions"]["proba"], axis=1), 1.0)


def test_end_to_end_uit_subset_compare_and_curve(uit):
    texts, labels, rows = uit("train", 300)
    r = compare(_model(), Pipeline([("tfidf", TfidfVectorizer()), ("lr", LogisticRegression(C=0.01))]),
                texts, labels, n_splits=3, n_bootstrap=200, names=("C=1", "C=0.01"))
    assert r["a"]["predictions"]["fold"] == r["b"]["predictions"]["fold"]
    assert len(r["fold_differences"]) == 3 and 0 <= r["mcnemar"]["p_value"] <= 1
    curve = learning_curve(_model(), texts, labels, fractions=(0.5, 1.0), n_splits=3)
    assert [p["fraction"] for p in curve] == [0.5, 1.0] and curve[0]["n_train"] < curve[1]["n_train"]


class GroupAware(ClassifierMixin, BaseEstimator):
    """A classifier that predicts the majority label and records the groups each fit received."""

    fits: list = []

    def fit(self, X, y, groups=None):
        GroupAware.fits.append((list(X), None if groups is None else list(groups)))
        self.classes_ = np.unique(y)
        self.label_ = max(set(y), key=list(y).count)
        return self

    def predict(self, X):
        return np.asarray([self.label_] * len(X))


def test_grouped_cv_gives_each_fold_model_the_groups_of_its_training_rows():
    texts = [f"văn bản {i}" for i in range(24)]
    labels = ["a", "b"] * 12
    groups = [f"doc{i // 3}" for i in range(24)]
    GroupAware.fits = []
    cross_validate(GroupAware(), texts, labels, groups=groups, n_splits=4, n_bootstrap=0)
    learning_curve(GroupAware(), texts, labels, groups=groups, n_splits=4, fractions=(0.5,))
    assert len(GroupAware.fits) == 8
    for seen, fold_groups in GroupAware.fits:
        assert fold_groups == [groups[texts.index(t)] for t in seen]
    GroupAware.fits = []
    cross_validate(GroupAware(), texts, labels, n_splits=4, n_bootstrap=0)
    assert [g for _, g in GroupAware.fits] == [None] * 4


class WeightAware(GroupAware):
    def fit(self, X, y, groups=None, sample_weight=None):
        WeightAware.weights.append((list(X), list(sample_weight)))
        return super().fit(X, y, groups)


def test_each_fold_model_gets_the_weights_of_its_training_rows():
    texts = [f"văn bản {i}" for i in range(24)]
    labels = ["a", "b"] * 12
    weights = [1.0 + i for i in range(24)]
    WeightAware.weights, GroupAware.fits = [], []
    cv = cross_validate(WeightAware(), texts, labels, n_splits=4, n_bootstrap=0, sample_weight=weights)
    assert len(WeightAware.weights) == 4 and cv["protocol"]["n"] == 24
    for seen, w in WeightAware.weights:
        assert w == [weights[texts.index(t)] for t in seen] and len(seen) == 18
    with pytest.raises(ValueError, match="23 weights for 24 texts"):
        cross_validate(WeightAware(), texts, labels, n_splits=4, n_bootstrap=0, sample_weight=weights[1:])


def test_a_pipeline_gets_groups_at_its_final_step_and_a_plain_one_none():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    texts = [f"văn bản {i}" for i in range(12)]
    labels = ["a", "b"] * 6
    groups = [f"doc{i // 2}" for i in range(12)]
    GroupAware.fits = []
    cross_validate(make_pipeline(FunctionTransformer(), GroupAware()), texts, labels, groups=groups, n_splits=3,
                   n_bootstrap=0)
    assert all(g is not None for _, g in GroupAware.fits) and len(GroupAware.fits) == 3
    cv = cross_validate(_model(), texts, labels, groups=groups, n_splits=3, n_bootstrap=0)  # fit takes no groups
    assert cv["protocol"]["grouped"]


@pytest.mark.parametrize("missing", [None, "", "  ", float("nan")])
def test_missing_group_values_are_refused_naming_the_record(missing):
    texts = [f"văn bản {i}" for i in range(6)]
    groups = ["d1", "d1", "d2", missing, "d3", "d3"]
    with pytest.raises(ValueError, match=r"group of record 3 is missing"):
        cross_validate(_model(), texts, ["a", "b"] * 3, groups=groups, n_splits=2, n_bootstrap=0)
