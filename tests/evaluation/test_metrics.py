"""Metrics of predictions against values worked out by hand, and the bootstrap intervals they carry."""

from __future__ import annotations

import numpy as np
import pytest

from stance.evaluation.metrics import evaluate, metrics, reliability


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


def test_bootstrap_interval_width_matches_the_binomial_standard_error():
    # 400 records, 280 right: accuracy 0.7 with standard error sqrt(0.7 * 0.3 / 400) = 0.0229, so the 95%
    # percentile interval is about 2 * 1.96 * 0.0229 = 0.090 wide, centred on 0.7.
    y = ["a", "b"] * 200
    pred = [t if i < 280 else ("b" if t == "a" else "a") for i, t in enumerate(y)]
    m = metrics(y, pred, n_bootstrap=2000)
    lo, hi = m["ci"]["accuracy"]
    assert m["accuracy"] == 0.7 and hi - lo == pytest.approx(0.0898, rel=0.12) and lo < 0.7 < hi
    assert m["ci"]["unit"] == "record" and m["ci"]["f_avg"] == [None, None]


def test_cluster_bootstrap_is_wider_when_a_groups_records_go_together():
    # 40 articles of 10 passages each, whole articles right or wrong: the records are not independent, and
    # resampling articles gives an interval about sqrt(10) = 3.2 times wider than resampling passages.
    y = ["a", "b"] * 200
    pred = [t if (i // 10) % 10 < 7 else ("b" if t == "a" else "a") for i, t in enumerate(y)]
    groups = [i // 10 for i in range(400)]
    records = metrics(y, pred, n_bootstrap=1000)["ci"]["accuracy"]
    articles = metrics(y, pred, n_bootstrap=1000, bootstrap_groups=groups)["ci"]
    assert articles["unit"] == "group"
    ratio = (articles["accuracy"][1] - articles["accuracy"][0]) / (records[1] - records[0])
    assert 2.0 < ratio < 4.5


def test_a_perfect_or_constant_classifier_has_a_degenerate_interval():
    m = metrics(["a", "b", "a", "b"] * 10, ["a", "b", "a", "b"] * 10, n_bootstrap=200)
    assert m["ci"]["accuracy"] == [1.0, 1.0]


def test_breakdown_by_a_field_by_hand():
    y = ["pro", "anti", "pro", "anti", "neutral", "neutral"]
    pred = ["pro", "pro", "pro", "anti", "neutral", "anti"]
    meta = [{"source": s} for s in ["a", "a", "a", "b", "b", "b"]]
    m = metrics(y, pred, n_bootstrap=0, groups_meta=meta, by="source")
    assert m["by"]["groups"]["a"]["n"] == 3 and m["by"]["groups"]["a"]["accuracy"] == pytest.approx(2 / 3)
    assert m["by"]["groups"]["b"]["accuracy"] == pytest.approx(2 / 3)


def test_evaluate_scores_a_fitted_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts = ["giảng viên nhiệt tình", "phòng học nóng", "thầy dạy hay", "máy chiếu hỏng"]
    model = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(texts, ["pos", "neg", "pos", "neg"])
    result = evaluate(model, texts, ["pos", "neg", "neg", "neg"], n_bootstrap=0)
    assert result["accuracy"] == 0.75 and result["calibration"] is not None and result["predict_seconds"] >= 0
    assert np.isfinite(result["log_loss"])
