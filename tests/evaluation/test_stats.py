"""Resampling and paired tests against values worked out by hand, and the fast scores against scikit-learn."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import f1_score

from stance.evaluation.stats import confusion_from_codes, label_codes, mcnemar, paired_bootstrap, scores_from_confusion


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=1, max_size=40))
def test_fast_scores_match_sklearn(pairs):
    y_true, y_pred = [p[0] for p in pairs], [p[1] for p in pairs]
    labels = sorted(set(y_true) | set(y_pred))
    cm = confusion_from_codes(label_codes(y_true, labels), label_codes(y_pred, labels), len(labels))
    s = scores_from_confusion(cm, labels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        expected = f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)
    assert s["macro_f1"] == pytest.approx(expected)
    assert s["accuracy"] == pytest.approx(sum(t == p for t, p in pairs) / len(pairs))


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


def test_wilson_interval_matches_scipy_and_refuses_impossible_counts():
    from scipy.stats import binomtest

    from stance.evaluation.stats import wilson_interval

    for n in (1, 2, 7, 30, 1000, 47003):
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
            assert wilson_interval(k, n) == pytest.approx([ci.low, ci.high], abs=1e-12), (k, n)
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="k=3, n=2"):
        wilson_interval(3, 2)
