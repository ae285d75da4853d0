"""Calibrated linear SVMs: a linear SVM fitted on all the data, its scores mapped to probabilities by Platt
scaling fitted on out-of-fold scores.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from .splits import calibration_folds

__all__ = ["calibrated_proba", "fit_calibrated_svm"]


def fit_calibrated_svm(
    Z, y: np.ndarray, *, C: float, class_weight: str | dict | None, calibration: str, folds: int,
    groups: Sequence[object] | None, random_state: int, n_jobs: int | None = None,
) -> CalibratedClassifierCV:
    """A linear SVM fitted on all of ``Z`` plus calibrators fitted on its out-of-fold scores."""
    svm = LinearSVC(C=C, class_weight=class_weight, random_state=random_state)
    cv = calibration_folds(y, groups, folds, random_state)
    calibrated = CalibratedClassifierCV(svm, method=calibration, cv=cv, ensemble=False, n_jobs=n_jobs).fit(Z, y)
    fitted = calibrated.calibrated_classifiers_[0].estimator
    # float32 weights halve the artefact; scores change by < 1e-6.
    fitted.coef_ = fitted.coef_.astype(np.float32)
    return calibrated


def calibrated_proba(calibrated: CalibratedClassifierCV, Z) -> np.ndarray:
    """``calibrated.predict_proba(Z)`` computed directly for a sigmoid-calibrated linear model.

    Same arithmetic as scikit-learn's ``_CalibratedClassifier.predict_proba`` (scores, one sigmoid per
    class, normalisation), without its per-call validation, which costs milliseconds per document;
    ``tests/test_estimators.py`` checks the two agree. Anything else goes through scikit-learn.
    """
    cal = calibrated.calibrated_classifiers_
    if len(cal) != 1 or cal[0].method != "sigmoid" or not hasattr(cal[0].estimator, "coef_"):
        return calibrated.predict_proba(Z)
    est = cal[0].estimator
    scores = np.asarray(Z @ est.coef_.T, dtype=np.float64) + est.intercept_
    a = np.array([c.a_ for c in cal[0].calibrators])
    b = np.array([c.b_ for c in cal[0].calibrators])
    p = expit(-(scores * a + b))
    n_classes = len(calibrated.classes_)
    if n_classes == 2:
        proba = np.column_stack([1.0 - p[:, 0], p[:, 0]])
    else:
        total = p.sum(axis=1, keepdims=True)
        proba = np.divide(p, total, out=np.full_like(p, 1.0 / n_classes), where=total != 0)
    proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
    return proba
