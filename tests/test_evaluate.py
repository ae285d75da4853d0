"""Tests of stance.evaluate against hand-worked values and a small real UIT-VSFC subset."""

from __future__ import annotations

import json
import warnings
from collections import defaultdict
from itertools import islice
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline

from stance.evaluation.metrics import metrics, reliability
from stance.evaluation.protocols import compare, cross_validate, learning_curve
from stance.evaluation.stats import (
    confusion_from_codes as _cm_from_codes,
    label_codes as _codes,
    mcnemar,
    paired_bootstrap,
    scores_from_confusion as _scores_from_cm,
)

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "uit_vsfc"
needs_data = pytest.mark.skipif(not DATA.exists(), reason="shared data not present")


def _uit(split: str, n: int) -> tuple[list[str], list[str], list[dict]]:
    with open(DATA / f"{split}.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, n)]
    return [r["text"] for r in rows], [r["label"] for r in rows], rows


def _model() -> Pipeline:
    return Pipeline([("tfidf", TfidfVectorizer()), ("lr", LogisticRegression(max_iter=300))])


def test_f_avg_and_macro_f1_by_hand():
    y_true = ["pro", "pro", "anti", "anti", "neutral", "neutral"]
    y_pred = ["pro", "anti", "anti", "neutral", "neutral", "pro"]
    # pro: tp1 fp1 fn1 -> F1 1/2; anti: tp1 fp1 fn1 -> 1/2; neutral: tp1 fp1 fn1 -> 1/2
    m = metrics(y_true, y_pred, n_bootstrap=0, stance=True)
    assert m["f_avg"] == pytest.approx(0.5)
    assert m["macro_f1"] == pytest.approx(0.5)
    assert m["accuracy"] == pytest.approx(0.5)
    assert m["confusion_matrix"]["labels"] == ["anti", "neutral", "pro"]
    assert m["confusion_matrix"]["matrix"] == [[1, 1, 0], [0, 1, 1], [1, 0, 1]]
    assert m["per_class"]["pro"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2, "predicted": 2}


def test_f_avg_unequal_by_hand():
    y_true = ["pro", "anti", "anti", "unrelated"]
    y_pred = ["pro", "anti", "unrelated", "unrelated"]
    # pro F1 = 1; anti: tp1 fn1 -> 2/3; F_avg = 5/6
    assert metrics(y_true, y_pred, n_bootstrap=0)["f_avg"] == pytest.approx(5 / 6)
    assert metrics(["a", "b"], ["a", "a"], n_bootstrap=0)["f_avg"] is None
    with pytest.raises(ValueError, match="pro"):
        metrics(["a", "b"], ["a", "a"], n_bootstrap=0, stance=True)


def test_ece_by_hand():
    # 15 bins; confidences 0.95 (bin 15), 0.95, 0.55 (bin 9): bin 15 acc 0.5 conf 0.95; bin 9 acc 1 conf 0.55
    r = reliability(["a", "b", "b"], [[0.95, 0.05], [0.95, 0.05], [0.45, 0.55]], ["a", "b"])
    assert r["ece"] == pytest.approx(2 / 3 * 0.45 + 1 / 3 * 0.45)
    assert sum(b["count"] for b in r["bins"]) == 3 and r["bins"][14]["count"] == 2


def test_bootstrap_ci_contains_point_estimate_and_by_source():
    rng = np.random.default_rng(1)
    y = rng.choice(["pro", "anti", "neutral"], size=300).tolist()
    pred = [t if rng.random() < 0.7 else "neutral" for t in y]
    meta = [{"source": "a" if i % 3 else "b"} for i in range(300)]
    m = metrics(y, pred, n_bootstrap=300, groups_meta=meta, by="source")
    for name in ("accuracy", "macro_f1", "f_avg"):
        lo, hi = m["ci"][name]
        assert lo <= m[name] <= hi
    assert m["by"]["groups"]["a"]["n"] == 200 and m["by"]["groups"]["b"]["n"] == 100


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=1, max_size=40))
def test_fast_scores_match_sklearn(pairs):
    y_true, y_pred = [p[0] for p in pairs], [p[1] for p in pairs]
    labels = sorted(set(y_true) | set(y_pred))
    cm = _cm_from_codes(_codes(y_true, labels), _codes(y_pred, labels), len(labels))
    s = _scores_from_cm(cm, labels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        expected = f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)
    assert s["macro_f1"] == pytest.approx(expected)
    assert s["macro_f1"] == pytest.approx(metrics(y_true, y_pred, n_bootstrap=0)["macro_f1"])


def test_mcnemar_hand_worked():
    # exact: b = 8, c = 2, n = 10 -> p = 2 * P(X <= 2 | Bin(10, .5)) = 2 * 56/1024 = 0.109375
    y = ["x"] * 12
    a = ["x"] * 8 + ["y"] * 2 + ["x", "y"]
    b = ["y"] * 8 + ["x"] * 2 + ["x", "y"]
    r = mcnemar(y, a, b)
    assert (r["a_only_correct"], r["b_only_correct"], r["method"]) == (8, 2, "exact")
    assert r["p_value"] == pytest.approx(0.109375)
    # chi-square: b = 30, c = 10 -> (|30-10|-1)^2/40 = 9.025, p = 0.002663
    y = ["x"] * 40
    r = mcnemar(y, ["x"] * 30 + ["y"] * 10, ["y"] * 30 + ["x"] * 10)
    assert r["method"] == "chi2_cc" and r["statistic"] == pytest.approx(9.025)
    assert r["p_value"] == pytest.approx(0.0026636, rel=1e-3)


def test_paired_bootstrap_identical_and_better():
    y = ["x", "y", "z"] * 30
    same = paired_bootstrap(y, y, y, n_bootstrap=200)
    assert same["difference"] == 0 and same["p_value"] == 1.0
    worse = [t if i % 2 else "x" for i, t in enumerate(y)]
    r = paired_bootstrap(y, y, worse, n_bootstrap=500, groups=[i // 3 for i in range(90)])
    assert r["difference"] > 0 and r["ci"][0] > 0 and r["p_value"] < 0.05 and r["unit"] == "group"


@needs_data
def test_grouped_cv_keeps_groups_together():
    texts, labels, rows = _uit("train", 300)
    groups = [r["topic"] + str(i // 5) for i, r in enumerate(rows)]  # blocks of 5 as "articles"
    cv = cross_validate(_model(), texts, labels, groups=groups, n_splits=3, n_bootstrap=100)
    folds_of = defaultdict(set)
    for g, f in zip(groups, cv["predictions"]["fold"]):
        folds_of[g].add(f)
    assert all(len(f) == 1 for f in folds_of.values())
    assert cv["protocol"]["kind"] == "stratified_group_kfold" and cv["metrics"]["ci"]["unit"] == "group"
    assert sum(f["n_test"] for f in cv["folds"]) == 300
    assert np.allclose(np.sum(cv["predictions"]["proba"], axis=1), 1.0)


@needs_data
def test_end_to_end_uit_subset_compare_and_curve():
    texts, labels, rows = _uit("train", 300)
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
