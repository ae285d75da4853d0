"""A linear SVM with calibrated probabilities: :class:`CalibratedLinearSVC`.

The SVM is fitted on all the data; its scores become probabilities through one Platt sigmoid per class
(Platt 2000, with his prior-corrected targets), fitted on out-of-fold scores of the training data, as
:class:`sklearn.calibration.CalibratedClassifierCV` does with ``ensemble=False``. Everything is computed
here with public APIs (:func:`~sklearn.model_selection.cross_val_predict`, :func:`scipy.optimize.minimize`)
and kept in this estimator's own attributes, so :meth:`~CalibratedLinearSVC.predict_proba` is one matrix
product and one sigmoid per class: scikit-learn's ``CalibratedClassifierCV.predict_proba`` validates its
input once per class and costs about 1 ms per call even inside
``sklearn.config_context(skip_parameter_validation=True)`` (measured: 1.25 ms for the topic model, 0.67 +
0.89 ms for the two stance steps, against 0.02 ms here), several times what the rest of
:func:`stance.classify` costs.

Examples
--------
>>> X = np.array([[0.0, 1.0], [0.2, 0.9], [0.1, 1.1], [1.0, 0.0], [0.9, 0.1], [1.1, 0.2]] * 3)
>>> y = ["a", "a", "a", "b", "b", "b"] * 3
>>> model = CalibratedLinearSVC(folds=3).fit(X, y)
>>> model.predict([[0.05, 1.0], [1.0, 0.05]]).tolist()
['a', 'b']
>>> bool(np.allclose(model.predict_proba(X).sum(axis=1), 1.0)), model.coef_.shape
(True, (1, 2))
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Hashable, Sequence

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.isotonic import IsotonicRegression
from sklearn.model_selection import cross_val_predict
from sklearn.svm import LinearSVC
from sklearn.utils import check_array
from sklearn.exceptions import NotFittedError

from ..validation import Interval, StrOptions, validate_params
from .splits import calibration_folds

__all__ = ["CalibratedLinearSVC", "platt_scaling"]


def platt_scaling(
    scores: np.ndarray, positive: np.ndarray, sample_weight: np.ndarray | None = None
) -> tuple[float, float]:
    """Slope ``a`` and offset ``b`` of Platt's sigmoid ``P(positive | s) = 1 / (1 + exp(a * s + b))``.

    Fitted by maximum likelihood against Platt's targets ``(n+ + 1) / (n+ + 2)`` and ``1 / (n- + 2)``
    (which keep the fit from overconfidence on separable data), with L-BFGS-B from ``a = 0`` and
    ``b = log((n- + 1) / (n+ + 1))``; scores of magnitude 30 or more are scaled down first (the fit is
    invariant to it) for the optimiser's sake. The same procedure as scikit-learn's sigmoid calibration.

    Parameters
    ----------
    scores : ndarray of shape (n,)
        Out-of-fold decision scores.
    positive : ndarray of bool, shape (n,)
        Whether each example belongs to the class.
    sample_weight : ndarray of shape (n,), optional
        Weight of each example in the likelihood and in the counts behind Platt's targets (as scikit-learn
        weighs them).

    Examples
    --------
    >>> a, b = platt_scaling(np.array([-2.0, -1.0, 1.0, 2.0]), np.array([False, False, True, True]))
    >>> a < 0, abs(b) < 1e-6
    (True, True)
    """
    F = np.asarray(scores, dtype=np.float64)
    t = np.asarray(positive, dtype=bool)
    scale = max(float(np.max(np.abs(F))), 1.0) if len(F) else 1.0
    scale = scale if scale >= 30.0 else 1.0
    F = F / scale
    w = np.ones(len(F)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    n_pos = float(w[t].sum())
    n_neg = float(w[~t].sum())
    T = np.where(t, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))

    def loss_and_gradient(ab: np.ndarray) -> tuple[float, np.ndarray]:
        raw = -(ab[0] * F + ab[1])  # log-odds of the positive class
        loss = float(np.sum(w * (np.logaddexp(0.0, raw) - T * raw)))
        g = w * (expit(raw) - T)
        return loss, np.array([-(g @ F), -g.sum()])

    start = np.array([0.0, np.log((n_neg + 1.0) / (n_pos + 1.0))])
    fit = minimize(loss_and_gradient, start, method="L-BFGS-B", jac=True,
                   options={"gtol": 1e-6, "ftol": 64 * np.finfo(float).eps})
    return float(fit.x[0] / scale), float(fit.x[1])


def _check_weights(sample_weight: Sequence[float] | None, n: int) -> np.ndarray | None:
    """``sample_weight`` as a float array of length ``n`` (finite, non-negative, not all zero), or None."""
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"sample_weight has shape {w.shape}, expected ({n},): one weight per row")
    if not np.all(np.isfinite(w)) or np.any(w < 0) or not np.any(w > 0):
        raise ValueError("sample_weight must be finite, non-negative and not all zero")
    return w


class CalibratedLinearSVC(ClassifierMixin, BaseEstimator):
    """A linear SVM fitted on all the data, with probabilities calibrated on out-of-fold scores.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength of the SVM.
    class_weight : {"balanced"}, dict or None, default=None
        Class weights of the SVM.
    method : {"sigmoid", "isotonic"}, default="sigmoid"
        Platt's sigmoid per class (:func:`platt_scaling`), or isotonic regression per class.
    folds : int, default=3
        Folds whose held-out scores fit the calibration (fewer if the rarest label has fewer examples;
        grouped when ``fit`` gets groups).
    n_jobs : int or None, default=None
        Processes for the folds' SVM fits (-1: all cores). The fitted model is the same.
    random_state : int, RandomState instance or None, default=0
        Seed of the folds and of the SVM.

    Attributes
    ----------
    classes_ : ndarray
        The labels, sorted.
    coef_ : ndarray of shape (n_classes, n_features) or (1, n_features) for two classes
        The SVM's weights (float32: half the size, scores change by less than 1e-6).
    intercept_ : ndarray of shape (n_classes,) or (1,)
        The SVM's intercepts.
    calibration_ : ndarray of shape (n_classes, 2) or (1, 2), or list of IsotonicRegression
        Platt's ``(a, b)`` per class (for the second class only, with two classes), or the isotonic maps.
    n_features_in_ : int
        Number of features seen in ``fit``.
    """

    _parameter_constraints: dict = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "method": [StrOptions({"sigmoid", "isotonic"})],
        "folds": [Interval(Integral, 2, None, closed="left")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(self, *, C: float = 1.0, class_weight: str | dict | None = None, method: str = "sigmoid",
                 folds: int = 3, random_state: int | np.random.RandomState | None = 0, n_jobs: int | None = None) -> None:
        self.C = C
        self.class_weight = class_weight
        self.method = method
        self.folds = folds
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X, y: Sequence[Hashable], groups: Sequence[Hashable] | None = None,
            sample_weight: Sequence[float] | None = None) -> "CalibratedLinearSVC":
        """Fit the SVM on all of ``X`` and the calibration on its out-of-fold scores.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : sequence of labels (at least two distinct, each seen at least twice)
        groups : sequence, optional
            Group of each row: the calibration folds keep a group together.
        sample_weight : sequence of float, optional
            Weight of each row, in the SVM's loss (the folds' SVMs and the final one) and in the calibration's
            likelihood (sigmoid and isotonic alike).
        """
        validate_params(self)
        X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32])
        y = np.asarray(y)
        if len(y) != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} rows but y has {len(y)} labels")
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(f"need at least two distinct labels, got {classes.tolist()}")
        svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.random_state)
        w = _check_weights(sample_weight, len(y))
        folds = calibration_folds(y, groups, self.folds, self.random_state)
        scores = cross_val_predict(svm, X, y, cv=folds, method="decision_function", n_jobs=self.n_jobs,
                                   params=None if w is None else {"sample_weight": w})
        scores = np.asarray(scores, dtype=np.float64).reshape(len(y), -1)
        final = clone(svm).fit(X, y, sample_weight=w)
        self.classes_ = classes
        self.coef_ = final.coef_.astype(np.float32)
        self.intercept_ = np.asarray(final.intercept_, dtype=np.float64)
        self.n_features_in_ = X.shape[1]
        positives = classes[1:] if len(classes) == 2 else classes
        if self.method == "sigmoid":
            self.calibration_ = np.array([platt_scaling(scores[:, j], y == c, w) for j, c in enumerate(positives)])
        else:
            self.calibration_ = [
                IsotonicRegression(out_of_bounds="clip").fit(scores[:, j], (y == c).astype(float), sample_weight=w)
                for j, c in enumerate(positives)
            ]
        return self

    def _scores(self, X) -> np.ndarray:
        if getattr(self, "coef_", None) is None:  # check_is_fitted, without its 7 us on the hot path
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet; call fit first.")
        if not hasattr(X, "shape"):  # a list of rows; arrays and sparse matrices are used as they are
            X = np.asarray(X, dtype=np.float64)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, the model was fitted with {self.n_features_in_}")
        return np.asarray(X @ self.coef_.T, dtype=np.float64) + self.intercept_

    def decision_function(self, X) -> np.ndarray:
        """The SVM's scores, shape ``(n, n_classes)`` (``(n,)`` for two classes)."""
        scores = self._scores(X)
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probabilities, shape ``(n, n_classes)``, columns in the order of :attr:`classes_`."""
        scores = self._scores(X)
        if self.method == "sigmoid":
            p = expit(-(scores * self.calibration_[:, 0] + self.calibration_[:, 1]))
        else:
            p = np.column_stack([iso.predict(scores[:, j]) for j, iso in enumerate(self.calibration_)])
        if len(self.classes_) == 2:
            proba = np.column_stack([1.0 - p[:, 0], p[:, 0]])
        else:
            total = p.sum(axis=1, keepdims=True)
            proba = np.divide(p, total, out=np.full_like(p, 1.0 / len(self.classes_)), where=total != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def predict(self, X) -> np.ndarray:
        """The most probable label of each row."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
