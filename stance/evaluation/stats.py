"""Resampling and paired tests on predictions: bootstrap confidence intervals, the paired bootstrap and
McNemar's test, and the fast confusion-matrix scores they resample.

Nothing here fits a model (that is :mod:`stance.evaluation.protocols`): every function takes labels and
predictions and returns plain dicts of JSON-ready values.

- **Intervals of a proportion**: :func:`wilson_interval`, the 95% Wilson score interval of k in n (corpus
  reports: the share of articles of a stance in a group).
- **Confidence intervals**: 95% percentile bootstrap. Records are resampled with replacement; when groups are
  given (e.g. ``doc_id``), whole groups are resampled (cluster bootstrap), because passages of one article are
  not independent.

Examples
--------
>>> y = ["x", "y"] * 50
>>> paired_bootstrap(y, y, ["x"] * 100, metric="accuracy", n_bootstrap=200)["difference"]
0.5
"""

from __future__ import annotations

from typing import Hashable, Sequence

import numpy as np
from scipy import stats

from ..files import to_jsonable

__all__ = [
    "METRICS",
    "STANCE_PAIR",
    "bootstrap_ci",
    "mcnemar",
    "paired_bootstrap",
    "wilson_interval",
]

#: The two labels averaged by F_avg.
STANCE_PAIR = ("pro", "anti")
#: Metric names accepted by :func:`paired_bootstrap` and :func:`compare`.
METRICS = ("accuracy", "macro_f1", "f_avg")
_LEVEL = 0.95
_EXACT_BELOW = 25


def as_list(values: Sequence | np.ndarray) -> list:
    return np.asarray(values, dtype=object).tolist() if isinstance(values, np.ndarray) else list(values)


def label_codes(values: Sequence, labels: Sequence) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    return np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values))


def confusion_from_codes(t: np.ndarray, p: np.ndarray, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(t * k + p, weights=weights, minlength=k * k).reshape(k, k)


def _f1_per_class(cm: np.ndarray) -> np.ndarray:
    tp = np.diag(cm).astype(float)
    denom = cm.sum(axis=0) + cm.sum(axis=1)  # 2tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), 0.0)


def scores_from_confusion(cm: np.ndarray, labels: Sequence) -> dict[str, float]:
    """accuracy, macro-F1 (labels present in true or predicted) and F_avg (NaN if not applicable)."""
    total = cm.sum()
    f1 = _f1_per_class(cm)
    present = (cm.sum(axis=0) + cm.sum(axis=1)) > 0
    pair = [list(labels).index(x) for x in STANCE_PAIR if x in labels]
    return {
        "accuracy": float(np.trace(cm) / total) if total else float("nan"),
        "macro_f1": float(f1[present].mean()) if present.any() else float("nan"),
        "f_avg": float(f1[pair].mean()) if len(pair) == 2 else float("nan"),
    }


def _group_index(groups: Sequence[Hashable] | None, n: int) -> np.ndarray | None:
    """Integer group number of each record (None without groups)."""
    if groups is None:
        return None
    if len(groups) != n:
        raise ValueError(f"groups has {len(groups)} entries for {n} records")
    return np.unique(np.asarray([str(g) for g in groups]), return_inverse=True)[1].ravel()


def _bootstrap_weights(n: int, group_index: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    """How many times each record is drawn in one bootstrap resample (by record or by whole group)."""
    if group_index is None:
        return np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
    n_groups = int(group_index.max()) + 1
    drawn = np.bincount(rng.integers(0, n_groups, n_groups), minlength=n_groups)
    return drawn[group_index].astype(float)


def _percentile_ci(samples: np.ndarray) -> list[float | None]:
    samples = samples[~np.isnan(samples)]
    if samples.size == 0:
        return [None, None]
    lo, hi = np.percentile(samples, [100 * (1 - _LEVEL) / 2, 100 * (1 + _LEVEL) / 2])
    return [float(lo), float(hi)]


def wilson_interval(k: int, n: int, *, z: float = 1.959963984540054) -> list[float] | None:
    """The Wilson score interval of a proportion ``k / n`` (95% with the default ``z``); None when ``n`` is 0.

    Unlike the normal approximation it stays inside [0, 1] and is not empty at 0 or ``n`` successes: 0 of 10
    gives [0, 0.28], an honest "not seen, but could be a quarter". Wilson, JASA 22 (1927), 209-212.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(0, 10)]
    [0.0, 0.2775]
    >>> [round(x, 4) for x in wilson_interval(50, 100)]
    [0.4038, 0.5962]
    >>> wilson_interval(0, 0) is None
    True
    """
    if not 0 <= k <= n:
        raise ValueError(f"wilson_interval: need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return None
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)) ** 0.5
    return [0.0 if k == 0 else centre - half, 1.0 if k == n else centre + half]


def check_lengths(**named: Sequence) -> None:
    lengths = {name: len(v) for name, v in named.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"inputs must have the same length; got {lengths}")
    if not next(iter(lengths.values())):
        raise ValueError("inputs are empty")


def bootstrap_ci(
    y_true: list, y_pred: list, labels: list, n_bootstrap: int, random_state: int,
    groups: Sequence[Hashable] | None,
) -> dict | None:
    if n_bootstrap <= 0:
        return None
    k = len(labels)
    t, p = label_codes(y_true, labels), label_codes(y_pred, labels)
    rng = np.random.default_rng(random_state)
    draws = {name: np.empty(n_bootstrap) for name in METRICS}
    group_index = _group_index(groups, len(t))
    for b in range(n_bootstrap):
        w = _bootstrap_weights(len(t), group_index, rng)
        for name, value in scores_from_confusion(confusion_from_codes(t, p, k, w), labels).items():
            draws[name][b] = value
    ci = {name: _percentile_ci(values) for name, values in draws.items()}
    if not all(x in labels for x in STANCE_PAIR):
        ci["f_avg"] = [None, None]
    return {"level": _LEVEL, "method": "percentile", "n_bootstrap": n_bootstrap,
            "unit": "record" if groups is None else "group", **ci}


def check_metric(metric: str, labels: list) -> str:
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    if metric == "f_avg" and not all(x in labels for x in STANCE_PAIR):
        raise ValueError(f"metric 'f_avg' needs labels 'pro' and 'anti'; labels are {labels}")
    return metric


def paired_bootstrap(
    y_true: Sequence,
    pred_a: Sequence,
    pred_b: Sequence,
    *,
    metric: str = "macro_f1",
    n_bootstrap: int = 2000,
    random_state: int = 0,
    groups: Sequence[Hashable] | None = None,
) -> dict:
    """Paired bootstrap of the difference in a metric between two sets of predictions on the same items.

    Each resample draws the same records (or, with ``groups``, the same whole groups) for both models and
    computes ``metric(a) - metric(b)``. The interval is the 95% percentile interval of the differences; the
    two-sided p-value is ``min(1, 2 * min(P(d* <= 0), P(d* >= 0)))`` with add-one smoothing, i.e. how often
    the resampled difference falls on the other side of zero.

    Parameters
    ----------
    y_true, pred_a, pred_b : sequences of labels, same length
    metric : {"accuracy", "macro_f1", "f_avg"}
    n_bootstrap : int
    random_state : int
    groups : sequence or None
        Group of each record, for a cluster bootstrap.

    Returns
    -------
    dict
        ``metric``, ``a``, ``b`` (the metric on all data), ``difference`` (a - b), ``ci`` ([low, high]),
        ``level``, ``p_value``, ``n_bootstrap``, ``unit`` ("record" or "group").

    Examples
    --------
    >>> y = ["x", "y"] * 50
    >>> a = list(y)                       # always right
    >>> b = ["x"] * 100                   # always "x"
    >>> r = paired_bootstrap(y, a, b, metric="accuracy", n_bootstrap=500)
    >>> r["difference"], r["ci"][0] > 0, r["p_value"] < 0.01
    (0.5, True, True)
    """
    y_true, pred_a, pred_b = as_list(y_true), as_list(pred_a), as_list(pred_b)
    check_lengths(y_true=y_true, pred_a=pred_a, pred_b=pred_b)
    labels = sorted(set(y_true) | set(pred_a) | set(pred_b), key=str)
    check_metric(metric, labels)
    k = len(labels)
    t, a, b = label_codes(y_true, labels), label_codes(pred_a, labels), label_codes(pred_b, labels)
    score_a = scores_from_confusion(confusion_from_codes(t, a, k), labels)[metric]
    score_b = scores_from_confusion(confusion_from_codes(t, b, k), labels)[metric]
    rng = np.random.default_rng(random_state)
    diffs = np.empty(n_bootstrap)
    group_index = _group_index(groups, len(t))
    for i in range(n_bootstrap):
        w = _bootstrap_weights(len(t), group_index, rng)
        diffs[i] = (scores_from_confusion(confusion_from_codes(t, a, k, w), labels)[metric]
                    - scores_from_confusion(confusion_from_codes(t, b, k, w), labels)[metric])
    diffs = diffs[~np.isnan(diffs)]
    below = (np.sum(diffs <= 0) + 1) / (len(diffs) + 1)
    above = (np.sum(diffs >= 0) + 1) / (len(diffs) + 1)
    return {
        "metric": metric, "a": to_jsonable(float(score_a)), "b": to_jsonable(float(score_b)),
        "difference": to_jsonable(float(score_a - score_b)),
        "ci": _percentile_ci(diffs), "level": _LEVEL, "p_value": float(min(1.0, 2 * min(below, above))),
        "n_bootstrap": n_bootstrap, "unit": "record" if groups is None else "group",
    }


def mcnemar(y_true: Sequence, pred_a: Sequence, pred_b: Sequence) -> dict:
    """McNemar's test of whether two classifiers' error rates differ on the same items.

    Only discordant pairs count: ``b`` = items A gets right and B wrong, ``c`` = items B gets right and A
    wrong. With ``b + c < 25`` the exact two-sided binomial test (``scipy.stats.binomtest(b, b + c, 0.5)``) is
    used and ``statistic`` is ``min(b, c)``; otherwise the chi-square statistic with continuity correction
    ``(|b - c| - 1)^2 / (b + c)`` on one degree of freedom.

    Parameters
    ----------
    y_true, pred_a, pred_b : sequences of labels, same length

    Returns
    -------
    dict
        ``a_only_correct`` (b), ``b_only_correct`` (c), ``both_correct``, ``both_wrong``, ``statistic``,
        ``p_value``, ``method`` ("exact" or "chi2_cc").

    Examples
    --------
    Worked by hand: b = 30, c = 10, chi2 = (|30 - 10| - 1)^2 / 40 = 361 / 40 = 9.025, p = 0.00266.

    >>> y = ["x"] * 100
    >>> a = ["x"] * 30 + ["y"] * 10 + ["x"] * 50 + ["y"] * 10
    >>> b = ["y"] * 30 + ["x"] * 10 + ["x"] * 50 + ["y"] * 10
    >>> r = mcnemar(y, a, b)
    >>> r["a_only_correct"], r["b_only_correct"], r["method"], round(r["statistic"], 3), round(r["p_value"], 5)
    (30, 10, 'chi2_cc', 9.025, 0.00266)
    """
    y_true, pred_a, pred_b = as_list(y_true), as_list(pred_a), as_list(pred_b)
    check_lengths(y_true=y_true, pred_a=pred_a, pred_b=pred_b)
    ok_a = np.array([p == t for p, t in zip(pred_a, y_true)])
    ok_b = np.array([p == t for p, t in zip(pred_b, y_true)])
    b = int(np.sum(ok_a & ~ok_b))
    c = int(np.sum(~ok_a & ok_b))
    n = b + c
    if n < _EXACT_BELOW:
        statistic = float(min(b, c))
        p_value = 1.0 if n == 0 else float(stats.binomtest(b, n, 0.5).pvalue)
        method = "exact"
    else:
        statistic = (abs(b - c) - 1) ** 2 / n
        p_value = float(stats.chi2.sf(statistic, 1))
        method = "chi2_cc"
    return {
        "a_only_correct": b, "b_only_correct": c, "both_correct": int(np.sum(ok_a & ok_b)),
        "both_wrong": int(np.sum(~ok_a & ~ok_b)), "statistic": float(statistic), "p_value": min(1.0, p_value),
        "method": method,
    }
