"""Decision weights: per-label weights on calibrated probabilities that maximise macro-F1.

A model predicts ``argmax(P * w)`` instead of ``argmax(P)``: a cost-sensitive decision that gives the rare
labels a chance while the probabilities ``P`` stay calibrated. :func:`tune_decision_weights` finds ``w`` on
given probabilities; :func:`cross_validated_weights` finds it on out-of-fold probabilities of a model's
training data, so the weights are not tuned on what the model has seen.

Examples
--------
The rarer label "b" loses every close call under the plain argmax; the tuned weight gives it those.

>>> P = np.array([[0.7, 0.3], [0.6, 0.4], [0.58, 0.42], [0.2, 0.8]])
>>> np.argmax(P, axis=1).tolist()
[0, 0, 0, 1]
>>> w = tune_decision_weights(P, ["a", "b", "b", "b"], ["a", "b"])
>>> np.argmax(P * w, axis=1).tolist()
[0, 1, 1, 1]
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.metrics import f1_score

from .splits import calibration_folds

__all__ = ["cross_validated_weights", "inner_seed", "tune_decision_weights"]


def inner_seed(random_state: int | np.random.RandomState | None) -> int | np.random.RandomState | None:
    """The seed of a model's inner folds: ``random_state + 1`` for an int (the inner folds must differ from
    the calibration folds), the same generator or None otherwise."""
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return int(random_state) + 1
    return random_state


def cross_validated_weights(
    model: BaseEstimator, texts: list[str], y: np.ndarray, groups: np.ndarray | None, classes: Sequence[str],
    sample_weight: np.ndarray | None = None,
) -> np.ndarray:
    """Decision weights maximising macro-F1 of out-of-fold predictions of ``model`` (untuned clones).

    ``model`` has ``calibration_folds``, ``random_state`` and ``tune_decision`` parameters (the package's
    classifiers); its clones are fitted on folds of the training data (grouped by ``groups``) and the
    weights are tuned on their predictions for the held-out folds. The weights come in the order of
    ``classes``, the order the coordinate ascent of :func:`tune_decision_weights` visits them in. With
    ``sample_weight`` the clones are fitted with their rows' weights (the F1 tuning itself is unweighted).
    """
    inner = clone(model).set_params(tune_decision=False)
    classes = np.asarray(classes)
    oof = np.zeros((len(texts), len(classes)))
    for train, test in calibration_folds(y, groups, model.calibration_folds, inner_seed(model.random_state)):
        fit_params = {} if sample_weight is None else {"sample_weight": sample_weight[train]}
        fold = clone(inner).fit([texts[i] for i in train], y[train], groups=None if groups is None else groups[train],
                                **fit_params)
        P = fold.predict_proba([texts[i] for i in test])
        cols = [list(fold.classes_).index(c) for c in classes]
        oof[test] = P[:, cols]
    return tune_decision_weights(oof, y, classes)


def tune_decision_weights(
    proba: np.ndarray, y: Sequence[str], classes: Sequence[str], *, grid: Sequence[float] | None = None
) -> np.ndarray:
    """Per-label weights ``w`` such that ``argmax(proba * w)`` maximises macro-F1 on ``y``.

    Coordinate ascent over a grid of log-weights (two sweeps), starting from all ones; the first
    label's weight stays 1 (only ratios matter).

    Examples
    --------
    >>> P = np.array([[0.6, 0.4], [0.55, 0.45], [0.9, 0.1], [0.2, 0.8]])
    >>> w = tune_decision_weights(P, ["a", "b", "a", "b"], ["a", "b"])
    >>> np.argmax(P * w, axis=1).tolist()
    [0, 1, 0, 1]
    """
    classes = np.asarray(classes)
    y = np.asarray(y)
    grid = np.exp(np.linspace(-1.5, 1.5, 31)) if grid is None else np.asarray(grid)
    w = np.ones(len(classes))

    def score(weights: np.ndarray) -> float:
        pred = classes[np.argmax(proba * weights, axis=1)]
        return float(f1_score(y, pred, labels=classes, average="macro", zero_division=0.0))

    best = score(w)
    for _ in range(2):
        for k in range(1, len(classes)):
            for value in grid:
                trial = w.copy()
                trial[k] = value
                s = score(trial)
                if s > best + 1e-12:
                    best, w = s, trial
    return w
