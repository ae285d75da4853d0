"""CalibratedLinearSVC: probabilities that are reliable on held-out articles, the same as scikit-learn's
calibrated classifier on the same folds, and Platt scaling worked by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.special import softmax
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from stance.estimators.calibration import CalibratedLinearSVC, platt_scaling
from stance.estimators.splits import calibration_folds, stratified_folds
from stance.estimators.text_classifier import TextClassifier
from stance.evaluation.metrics import reliability
from stance.features.vectorizer import TextVectorizer
from stance.text.clean import Cleaner


@pytest.fixture(scope="module")
def stance_data(shared_data):
    rows = [json.loads(line) for line in shared_data("stance", "train.jsonl").open(encoding="utf-8")]
    texts = Cleaner().transform([r["text"] for r in rows])
    return texts, np.asarray([r["label"] for r in rows]), np.asarray([r["doc_id"] for r in rows])


def test_probabilities_are_reliable_on_held_out_articles(stance_data):
    # A quarter of the articles held out (grouped split): among passages given confidence c, about a share c
    # is right. Measured: ECE 0.019 over 1,867 passages; the raw SVM scores through a softmax, 0.23.
    texts, y, groups = stance_data
    train, test = stratified_folds(y, groups, n_splits=4, random_state=0)[0]
    model = TextClassifier(class_weight="balanced", calibration_folds=3).fit(
        [texts[i] for i in train], y[train], groups=groups[train])
    held_out = [texts[i] for i in test]
    calibrated = reliability(y[test], model.predict_proba(held_out), list(model.classes_), n_bins=10)
    assert calibrated["ece"] <= 0.04
    for b in calibrated["bins"]:
        if b["count"] >= 100:
            assert abs(b["accuracy"] - b["confidence"]) <= 0.06, b
    raw = reliability(y[test], softmax(model.decision_function(held_out), axis=1), list(model.classes_), n_bins=10)
    assert raw["ece"] >= 0.1, "the check tells calibrated probabilities from uncalibrated ones"


@pytest.mark.parametrize("labels", [("pro", "anti"), ("pro", "anti", "neutral", "unrelated")])
def test_the_same_probabilities_as_scikit_learns_calibrated_classifier(stance_data, labels):
    # scikit-learn's CalibratedClassifierCV (sigmoid, ensemble=False) on the same folds is the reference.
    texts, y, groups = stance_data
    keep = np.flatnonzero(np.isin(y, labels))[:600]
    Z = TextVectorizer(ngram_range=(1, 2), min_df=1).fit_transform([texts[i] for i in keep])
    ours = CalibratedLinearSVC(C=0.3, class_weight="balanced", folds=3).fit(Z, y[keep], groups=groups[keep])
    reference = CalibratedClassifierCV(
        LinearSVC(C=0.3, class_weight="balanced", random_state=0), method="sigmoid", ensemble=False,
        cv=calibration_folds(y[keep], groups[keep], 3, 0),
    ).fit(Z, y[keep])
    np.testing.assert_allclose(ours.predict_proba(Z), reference.predict_proba(Z), rtol=1e-5, atol=1e-6)


def test_weighted_probabilities_are_scikit_learns_weighted_calibrated_classifier(stance_data):
    # Weights reach the folds' SVMs, the final SVM and the sigmoids as scikit-learn routes them
    # (CalibratedClassifierCV.fit(sample_weight=...)); the weights are the era weights' kind: one value per part.
    texts, y, groups = stance_data
    keep = np.flatnonzero(np.isin(y, ("pro", "anti", "neutral", "unrelated")))[:600]
    Z = TextVectorizer(ngram_range=(1, 2), min_df=1).fit_transform([texts[i] for i in keep])
    w = np.where(np.arange(len(keep)) % 3 == 0, 2.5, 0.4)
    ours = CalibratedLinearSVC(C=0.3, folds=3).fit(Z, y[keep], groups=groups[keep], sample_weight=w)
    reference = CalibratedClassifierCV(
        LinearSVC(C=0.3, random_state=0), method="sigmoid", ensemble=False,
        cv=calibration_folds(y[keep], groups[keep], 3, 0),
    ).fit(Z, y[keep], sample_weight=w)
    np.testing.assert_allclose(ours.predict_proba(Z), reference.predict_proba(Z), rtol=1e-5, atol=1e-6)
    unweighted = CalibratedLinearSVC(C=0.3, folds=3).fit(Z, y[keep], groups=groups[keep])
    assert np.abs(unweighted.predict_proba(Z) - ours.predict_proba(Z)).max() > 0.01, "the weights matter"


def test_bad_sample_weights_are_refused_before_any_fit():
    X, y = np.eye(4), ["a", "a", "b", "b"]
    for w, message in (([1.0, 2.0], "one weight per row"), ([1, -1, 1, 1], "non-negative"),
                       ([0, 0, 0, 0], "not all zero"), ([1, np.nan, 1, 1], "finite")):
        with pytest.raises(ValueError, match=message):
            CalibratedLinearSVC(folds=2).fit(X, y, sample_weight=w)


def test_platt_scaling_by_hand():
    # Scores symmetric around 0 with as many positives as negatives: the sigmoid is centred (b = 0) and
    # decreasing in the score of the negatives (a < 0, P = 1 / (1 + exp(a s + b))).
    s = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0])
    a, b = platt_scaling(s, s > 0)
    assert a < 0 and abs(b) < 1e-6
    # Overlapping classes give a flatter sigmoid than separated ones.
    flat, _ = platt_scaling(s, np.array([False, True, False, True, False, True]))
    assert abs(flat) < abs(a)
    # Scores far beyond 30 are scaled for the optimiser: multiplying them by 100 divides a by 100.
    big, _ = platt_scaling(s * 100, s > 0)
    assert big == pytest.approx(a / 100, rel=1e-4)


def test_isotonic_calibration_and_two_classes():
    X = np.array([[0.0, 1.0], [0.2, 0.9], [0.1, 1.1], [1.0, 0.0], [0.9, 0.1], [1.1, 0.2]] * 4)
    y = np.array(["a", "a", "a", "b", "b", "b"] * 4)
    for method in ("sigmoid", "isotonic"):
        model = CalibratedLinearSVC(method=method, folds=3).fit(X, y)
        P = model.predict_proba(X)
        np.testing.assert_allclose(P.sum(axis=1), 1.0)
        assert model.predict(X).tolist() == y.tolist()
        assert model.decision_function(X).shape == (len(y),) and model.coef_.dtype == np.float32


def test_refuses_one_label_and_mismatched_inputs():
    with pytest.raises(ValueError, match="two distinct labels"):
        CalibratedLinearSVC().fit(np.eye(4), ["a"] * 4)
    with pytest.raises(ValueError, match="at least 2 examples"):
        CalibratedLinearSVC().fit(np.eye(4), ["a", "a", "a", "b"])
    model = CalibratedLinearSVC(folds=2).fit(np.eye(4), ["a", "a", "b", "b"])
    with pytest.raises(ValueError, match="3 features, the model was fitted with 4"):
        model.predict_proba(np.ones((1, 3)))
