"""Model-agnostic metrics, cross-validation protocols and paired comparisons.

A *model* here is any scikit-learn classifier that takes a list of ``str``: ``fit(texts, labels)``,
``predict(texts)``, optionally ``predict_proba(texts)`` with columns in the order of ``classes_``. Every
function returns plain dictionaries of JSON-ready values (lists, floats, ints, str, None), so a result can be
written with :func:`json.dump` or :func:`stance.report.write_report` as it is.

Definitions used throughout:

- **macro-F1**: unweighted mean of per-class F1 over the labels that occur in the true or predicted labels.
- **F_avg** (SemEval-2016 Task 6): mean of the F1 of ``pro`` and of ``anti``; reported when both labels are in
  the label set, None otherwise.
- **ECE**: top-label expected calibration error with equal-width confidence bins ((i-1)/M, i/M], M = 15:
  sum over bins of (bin size / n) * |accuracy in bin - mean confidence in bin|, where confidence is the largest
  probability and a prediction is correct when the class with the largest probability is the true label.
- **Confidence intervals**: 95% percentile bootstrap. Records are resampled with replacement; when groups are
  given (e.g. ``doc_id``), whole groups are resampled (cluster bootstrap), because passages of one article are
  not independent.

Examples
--------
>>> m = metrics(["pro", "anti", "neutral", "pro"], ["pro", "neutral", "neutral", "anti"], n_bootstrap=0)
>>> m["accuracy"], round(m["macro_f1"], 4), round(m["f_avg"], 4)
(0.5, 0.4444, 0.3333)
"""

from __future__ import annotations

import time
import warnings
from typing import Hashable, Mapping, Sequence

import numpy as np
from scipy import stats
from sklearn.base import clone
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    log_loss,
    precision_recall_fscore_support,
)
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from .files import to_jsonable

__all__ = [
    "metrics",
    "reliability",
    "evaluate",
    "cross_validate",
    "learning_curve",
    "paired_bootstrap",
    "mcnemar",
    "compare",
    "STANCE_PAIR",
    "METRICS",
]

#: The two labels averaged by F_avg.
STANCE_PAIR = ("pro", "anti")

#: Metric names accepted by :func:`paired_bootstrap` and :func:`compare`.
METRICS = ("accuracy", "macro_f1", "f_avg")

_LEVEL = 0.95
_EXACT_BELOW = 25


# ------------------------------------------------------------------------------------------------ helpers


def _as_list(values: Sequence | np.ndarray) -> list:
    return np.asarray(values, dtype=object).tolist() if isinstance(values, np.ndarray) else list(values)


def _label_order(y_true: Sequence, y_pred: Sequence, classes: Sequence | None) -> list:
    seen = set(y_true) | set(y_pred)
    if classes is None:
        return sorted(seen, key=str)
    order = list(classes)
    return order + sorted(seen - set(order), key=str)


def _codes(values: Sequence, labels: Sequence) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    return np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values))


def _cm_from_codes(t: np.ndarray, p: np.ndarray, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(t * k + p, weights=weights, minlength=k * k).reshape(k, k)


def _f1_per_class(cm: np.ndarray) -> np.ndarray:
    tp = np.diag(cm).astype(float)
    denom = cm.sum(axis=0) + cm.sum(axis=1)  # 2tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), 0.0)


def _scores_from_cm(cm: np.ndarray, labels: Sequence) -> dict[str, float]:
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


def _check_lengths(**named: Sequence) -> None:
    lengths = {name: len(v) for name, v in named.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"inputs must have the same length; got {lengths}")
    if not next(iter(lengths.values())):
        raise ValueError("inputs are empty")


# ----------------------------------------------------------------------------------------------- metrics


def reliability(
    y_true: Sequence, proba: np.ndarray | Sequence[Sequence[float]], classes: Sequence, *, n_bins: int = 15
) -> dict:
    """Top-label expected calibration error and reliability curve with equal-width bins.

    Parameters
    ----------
    y_true : sequence of labels
    proba : array of shape (n, len(classes))
        Predicted probabilities, columns in the order of ``classes``.
    classes : sequence of labels
    n_bins : int
        Number of equal-width confidence bins on [0, 1]; bin i holds confidences in ((i-1)/M, i/M] (the first
        bin also holds 0).

    Returns
    -------
    dict
        ``ece`` (float), ``n_bins`` and ``bins``: one dict per bin with ``lower``, ``upper``, ``count``,
        ``confidence`` (mean top probability, None if empty) and ``accuracy`` (None if empty).

    Examples
    --------
    >>> r = reliability(["a", "b", "a", "b"], [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.4, 0.6]], ["a", "b"],
    ...                 n_bins=2)
    >>> round(r["ece"], 10)  # bin (0.5, 1]: confidence 0.75, accuracy 0.5
    0.25
    >>> [(b["count"], b["accuracy"]) for b in r["bins"]]
    [(0, None), (4, 0.5)]
    """
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or proba.shape != (len(y_true), len(classes)):
        raise ValueError(
            f"proba must have shape (n, n_classes) = ({len(y_true)}, {len(classes)}); got {proba.shape}"
        )
    confidence = proba.max(axis=1)
    correct = np.asarray(classes, dtype=object)[proba.argmax(axis=1)] == np.asarray(y_true, dtype=object)
    which = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    bins, ece = [], 0.0
    for b in range(n_bins):
        mask = which == b
        count = int(mask.sum())
        conf = float(confidence[mask].mean()) if count else None
        acc = float(correct[mask].mean()) if count else None
        if count:
            ece += count / len(confidence) * abs(acc - conf)
        bins.append({"lower": b / n_bins, "upper": (b + 1) / n_bins, "count": count,
                     "confidence": conf, "accuracy": acc})
    return {"ece": float(ece), "n_bins": n_bins, "bins": bins}


def _per_class(y_true: list, y_pred: list, labels: list) -> dict:
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0.0)
    predicted = [sum(1 for y in y_pred if y == label) for label in labels]
    return {
        str(label): {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                     "support": int(s[i]), "predicted": predicted[i]}
        for i, label in enumerate(labels)
    }


def _bootstrap_ci(
    y_true: list, y_pred: list, labels: list, n_bootstrap: int, random_state: int,
    groups: Sequence[Hashable] | None,
) -> dict | None:
    if n_bootstrap <= 0:
        return None
    k = len(labels)
    t, p = _codes(y_true, labels), _codes(y_pred, labels)
    rng = np.random.default_rng(random_state)
    draws = {name: np.empty(n_bootstrap) for name in METRICS}
    group_index = _group_index(groups, len(t))
    for b in range(n_bootstrap):
        w = _bootstrap_weights(len(t), group_index, rng)
        for name, value in _scores_from_cm(_cm_from_codes(t, p, k, w), labels).items():
            draws[name][b] = value
    ci = {name: _percentile_ci(values) for name, values in draws.items()}
    if not all(x in labels for x in STANCE_PAIR):
        ci["f_avg"] = [None, None]
    return {"level": _LEVEL, "method": "percentile", "n_bootstrap": n_bootstrap,
            "unit": "record" if groups is None else "group", **ci}


def _breakdown(
    y_true: list, y_pred: list, proba: np.ndarray | None, classes: Sequence | None,
    groups_meta: Sequence[Mapping], by: str, stance: bool,
) -> dict:
    if len(groups_meta) != len(y_true):
        raise ValueError(f"groups_meta has {len(groups_meta)} entries for {len(y_true)} labels")
    values = [m.get(by) for m in groups_meta]
    out = {}
    for value in sorted(set(values), key=str):
        idx = [i for i, v in enumerate(values) if v == value]
        out["(none)" if value is None else str(value)] = metrics(
            [y_true[i] for i in idx], [y_pred[i] for i in idx],
            None if proba is None else proba[idx], classes, stance=False, n_bootstrap=0,
        )
    return {"field": by, "groups": out}


def metrics(
    y_true: Sequence,
    y_pred: Sequence,
    proba: np.ndarray | Sequence[Sequence[float]] | None = None,
    classes: Sequence | None = None,
    *,
    stance: bool = False,
    n_bootstrap: int = 1000,
    random_state: int = 0,
    groups_meta: Sequence[Mapping] | None = None,
    by: str | None = None,
    bootstrap_groups: Sequence[Hashable] | None = None,
    n_bins: int = 15,
) -> dict:
    """Score predictions: accuracy, macro-F1, per-class scores, F_avg, confusion matrix, calibration, CIs.

    Parameters
    ----------
    y_true, y_pred : sequences of labels
        True and predicted labels, same length.
    proba : array of shape (n, len(classes)) or None
        Predicted probabilities (columns in the order of ``classes``); enables calibration (ECE, reliability
        curve) and log loss.
    classes : sequence of labels or None
        Label order for the confusion matrix and the columns of ``proba`` (required with ``proba``; usually
        ``model.classes_``). Labels seen in the data but not in ``classes`` are appended. Default: sorted.
    stance : bool
        If True, require ``pro`` and ``anti`` among the labels (F_avg is reported whenever both are present).
    n_bootstrap : int
        Bootstrap resamples for the 95% percentile confidence intervals of accuracy, macro-F1 and F_avg;
        0 skips them (``ci`` is None).
    random_state : int
        Seed of the bootstrap.
    groups_meta : sequence of dict or None
        Metadata per record (e.g. ``LabelledData.meta``); with ``by``, scores are also broken down by the value
        of that field.
    by : str or None
        Field of ``groups_meta`` to break scores down by, e.g. ``"source"``.
    bootstrap_groups : sequence or None
        Group of each record (e.g. ``doc_id``): resample whole groups for the confidence intervals.
    n_bins : int
        Confidence bins for calibration.

    Returns
    -------
    dict
        ``n``, ``labels``, ``accuracy``, ``macro_f1``, ``weighted_f1``, ``f_avg`` (None without pro/anti),
        ``per_class`` (label -> precision, recall, f1, support, predicted), ``confusion_matrix`` (``labels``
        and ``matrix``: rows true, columns predicted), ``calibration`` (see :func:`reliability`; None without
        ``proba``), ``log_loss`` (None without ``proba`` or if a true label is not in ``classes``), ``ci``
        (``accuracy``, ``macro_f1``, ``f_avg`` as [low, high], plus ``level``, ``method``, ``n_bootstrap``,
        ``unit``; None if ``n_bootstrap`` is 0) and ``by`` (``field`` and ``groups``: value -> metrics without
        CIs; None unless ``by`` is given).

    Examples
    --------
    F1 of pro = 2*1/(2*1+1+0) = 2/3, of anti = 0 (no anti predicted correctly), so F_avg = 1/3;
    F1 of neutral = 2*1/(2*1+1+0) = 2/3, macro-F1 = (2/3 + 0 + 2/3)/3 = 4/9.

    >>> m = metrics(["pro", "anti", "neutral", "pro"], ["pro", "neutral", "neutral", "anti"], n_bootstrap=200)
    >>> round(m["f_avg"], 4), round(m["macro_f1"], 4)
    (0.3333, 0.4444)
    >>> m["confusion_matrix"]["labels"], m["confusion_matrix"]["matrix"][0]
    (['anti', 'neutral', 'pro'], [0, 1, 0])
    >>> lo, hi = m["ci"]["accuracy"]; lo <= m["accuracy"] <= hi
    True
    """
    y_true, y_pred = _as_list(y_true), _as_list(y_pred)
    _check_lengths(y_true=y_true, y_pred=y_pred)
    if proba is not None and classes is None:
        raise ValueError("classes (the column order of proba, e.g. model.classes_) is required with proba")
    labels = _label_order(y_true, y_pred, None if classes is None else _as_list(classes))
    if stance and not all(x in labels for x in STANCE_PAIR):
        raise ValueError(f"stance=True needs labels 'pro' and 'anti'; labels are {labels}")
    if by is not None and groups_meta is None:
        raise ValueError(f"by={by!r} needs groups_meta (metadata per record)")
    present = sorted(set(y_true) | set(y_pred), key=labels.index)
    pair_present = all(x in labels for x in STANCE_PAIR)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="A single label was found", category=UserWarning)
        per_class = _per_class(y_true, y_pred, labels)
    proba_arr = None if proba is None else np.asarray(proba, dtype=float)
    with warnings.catch_warnings():
        # one label in a small group or resample is legitimate here; labels= is always passed
        warnings.filterwarnings("ignore", message="A single label was found", category=UserWarning)
        return _metrics_dict(y_true, y_pred, proba_arr, classes, labels, present, per_class, pair_present,
                             n_bins=n_bins, n_bootstrap=n_bootstrap, random_state=random_state,
                             bootstrap_groups=bootstrap_groups, groups_meta=groups_meta, by=by, stance=stance)


def _metrics_dict(
    y_true: list, y_pred: list, proba_arr: np.ndarray | None, classes: Sequence | None, labels: list,
    present: list, per_class: dict, pair_present: bool, *, n_bins: int, n_bootstrap: int, random_state: int,
    bootstrap_groups: Sequence[Hashable] | None, groups_meta: Sequence[Mapping] | None, by: str | None,
    stance: bool,
) -> dict:
    return {
        "n": len(y_true),
        "labels": [str(x) for x in labels],
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0.0)),
        "weighted_f1": float(f1_score(y_true, y_pred, labels=present, average="weighted", zero_division=0.0)),
        "f_avg": (per_class["pro"]["f1"] + per_class["anti"]["f1"]) / 2 if pair_present else None,
        "per_class": per_class,
        "confusion_matrix": {
            "labels": [str(x) for x in labels],
            "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        },
        "calibration": None if proba_arr is None else reliability(y_true, proba_arr, _as_list(classes),
                                                                  n_bins=n_bins),
        "log_loss": _log_loss(y_true, proba_arr, classes),
        "ci": _bootstrap_ci(y_true, y_pred, labels, n_bootstrap, random_state, bootstrap_groups),
        "by": None if by is None else _breakdown(y_true, y_pred, proba_arr, classes, groups_meta, by, stance),
    }


def _log_loss(y_true: list, proba: np.ndarray | None, classes: Sequence | None) -> float | None:
    if proba is None or classes is None or not set(y_true) <= set(_as_list(classes)):
        return None
    clipped = np.clip(proba, 1e-15, 1.0)
    clipped = clipped / clipped.sum(axis=1, keepdims=True)
    return float(log_loss(y_true, clipped, labels=_as_list(classes)))


# ---------------------------------------------------------------------------------------------- evaluate


def _predict(model: object, texts: list[str]) -> tuple[list, np.ndarray | None, list | None]:
    y_pred = _as_list(np.asarray(model.predict(texts), dtype=object))  # type: ignore[attr-defined]
    if hasattr(model, "predict_proba") and hasattr(model, "classes_"):
        return y_pred, np.asarray(model.predict_proba(texts), dtype=float), _as_list(model.classes_)
    return y_pred, None, None


def evaluate(
    model: object,
    texts: Sequence[str],
    labels: Sequence,
    *,
    meta: Sequence[Mapping] | None = None,
    by: str | None = None,
    stance: bool = False,
    n_bootstrap: int = 1000,
    random_state: int = 0,
    bootstrap_groups: Sequence[Hashable] | None = None,
) -> dict:
    """Predict ``texts`` with a fitted model and score against ``labels`` (see :func:`metrics`).

    Probabilities are used for calibration when the model has ``predict_proba`` and ``classes_``.

    Parameters
    ----------
    model : fitted classifier
        ``predict(list[str])``, optionally ``predict_proba`` and ``classes_``.
    texts : sequence of str
    labels : sequence of labels
    meta : sequence of dict or None
        Metadata per text, for the breakdown ``by``.
    by : str or None
        Field of ``meta`` to break scores down by.
    stance, n_bootstrap, random_state, bootstrap_groups
        As in :func:`metrics`.

    Returns
    -------
    dict
        As :func:`metrics`, plus ``predict_seconds``.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from sklearn.linear_model import LogisticRegression
    >>> texts = ["giảng viên nhiệt tình", "phòng học nóng", "thầy dạy hay", "máy chiếu hỏng"]
    >>> model = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(texts, ["pos", "neg", "pos", "neg"])
    >>> evaluate(model, texts, ["pos", "neg", "pos", "neg"], n_bootstrap=0)["accuracy"]
    1.0
    """
    texts = list(texts)
    start = time.perf_counter()
    y_pred, proba, classes = _predict(model, texts)
    seconds = time.perf_counter() - start
    result = metrics(
        _as_list(labels), y_pred, proba, classes, stance=stance, n_bootstrap=n_bootstrap,
        random_state=random_state, groups_meta=meta, by=by, bootstrap_groups=bootstrap_groups,
    )
    result["predict_seconds"] = seconds
    return result


# --------------------------------------------------------------------------------------------- protocols


def _splits(
    labels: Sequence, groups: Sequence[Hashable] | None, n_splits: int, random_state: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    y = np.asarray([str(x) for x in labels])
    if groups is None:
        splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
        return list(splitter.split(np.zeros(len(y)), y))
    if len(groups) != len(y):
        raise ValueError(f"groups has {len(groups)} entries for {len(y)} labels")
    g = np.asarray([str(x) for x in groups])
    n_groups = len(set(g.tolist()))
    if n_groups < n_splits:
        raise ValueError(f"n_splits={n_splits} is more than the {n_groups} distinct groups")
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    return list(splitter.split(np.zeros(len(y)), y, g))


def _aligned_proba(model: object, texts: list[str], classes: list) -> np.ndarray | None:
    """predict_proba with columns reordered to ``classes`` (zeros for classes the fold model never saw)."""
    if not (hasattr(model, "predict_proba") and hasattr(model, "classes_")):
        return None
    proba = np.asarray(model.predict_proba(texts), dtype=float)  # type: ignore[attr-defined]
    out = np.zeros((len(texts), len(classes)))
    index = {c: i for i, c in enumerate(classes)}
    for j, c in enumerate(_as_list(model.classes_)):  # type: ignore[attr-defined]
        out[:, index[c]] = proba[:, j]
    return out


def _fit_score_fold(
    model: object, texts: np.ndarray, labels: np.ndarray, train: np.ndarray, test: np.ndarray, classes: list
) -> tuple[list, np.ndarray | None, dict]:
    fitted = clone(model)
    start = time.perf_counter()
    fitted.fit(texts[train].tolist(), labels[train].tolist())
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    test_texts = texts[test].tolist()
    y_pred = _as_list(np.asarray(fitted.predict(test_texts), dtype=object))
    proba = _aligned_proba(fitted, test_texts, classes)
    info = {"n_train": int(len(train)), "n_test": int(len(test)), "fit_seconds": fit_seconds,
            "predict_seconds": time.perf_counter() - start}
    return y_pred, proba, info


def _fold_scores(y_true: list, y_pred: list, labels: list) -> dict[str, float | None]:
    cm = _cm_from_codes(_codes(y_true, labels), _codes(y_pred, labels), len(labels))
    return {name: to_jsonable(float(value)) for name, value in _scores_from_cm(cm, labels).items()}


def _summary(folds: list[dict]) -> dict:
    out = {}
    for name in METRICS:
        values = [f[name] for f in folds if f[name] is not None]
        out[name] = ({"mean": float(np.mean(values)), "std": float(np.std(values, ddof=1)) if len(values) > 1
                      else 0.0} if values else None)
    return out


def _run_cv(
    model: object, texts: Sequence[str], labels: Sequence, splits: list, classes: list
) -> tuple[list, np.ndarray | None, list[int], list[dict]]:
    x = np.asarray(list(texts), dtype=object)
    y = np.asarray(_as_list(labels), dtype=object)
    oof_pred: list = [None] * len(y)
    oof_proba = None
    fold_of = [-1] * len(y)
    folds = []
    for k, (train, test) in enumerate(splits):
        y_pred, proba, info = _fit_score_fold(model, x, y, train, test, classes)
        for i, pred in zip(test, y_pred):
            oof_pred[i] = pred
            fold_of[i] = k
        if proba is not None:
            oof_proba = np.zeros((len(y), len(classes))) if oof_proba is None else oof_proba
            oof_proba[test] = proba
        y_test = y[test].tolist()
        scores = _fold_scores(y_test, y_pred, _label_order(y_test, y_pred, classes))
        folds.append({"fold": k, **info, **scores})
    return oof_pred, oof_proba, fold_of, folds


def cross_validate(
    model: object,
    texts: Sequence[str],
    labels: Sequence,
    *,
    groups: Sequence[Hashable] | None = None,
    n_splits: int = 5,
    random_state: int = 0,
    stance: bool = False,
    n_bootstrap: int = 1000,
    meta: Sequence[Mapping] | None = None,
    by: str | None = None,
) -> dict:
    """Stratified k-fold cross-validation (grouped when ``groups`` is given), with out-of-fold predictions.

    Each fold fits a fresh :func:`sklearn.base.clone` of ``model``. With ``groups`` (e.g. ``doc_id``) the folds
    come from :class:`~sklearn.model_selection.StratifiedGroupKFold`, so the passages of one article are never
    split between training and test; the confidence intervals then resample whole groups.

    Parameters
    ----------
    model : unfitted classifier
    texts : sequence of str
    labels : sequence of labels
    groups : sequence or None
        Group of each text.
    n_splits : int
    random_state : int
        Seed of the fold shuffling and the bootstrap.
    stance, n_bootstrap
        As in :func:`metrics`.
    meta, by
        Metadata per text and the field to break the pooled scores down by.

    Returns
    -------
    dict
        ``protocol`` (``kind``, ``n_splits``, ``random_state``, ``n``, ``grouped``), ``classes``, ``folds``
        (per fold: ``fold``, ``n_train``, ``n_test``, ``fit_seconds``, ``predict_seconds``, ``accuracy``,
        ``macro_f1``, ``f_avg``), ``fold_summary`` (mean and sample std over folds per metric), ``metrics``
        (:func:`metrics` of the pooled out-of-fold predictions) and ``predictions`` (``y_true``, ``y_pred``,
        ``proba`` or None, ``fold``: lists in input order).

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from sklearn.linear_model import LogisticRegression
    >>> texts = ["thầy dạy hay", "thầy nhiệt tình", "cô dạy dễ hiểu", "phòng nóng", "máy chiếu hỏng", "wifi yếu"]
    >>> labels = ["pos", "pos", "pos", "neg", "neg", "neg"]
    >>> cv = cross_validate(make_pipeline(TfidfVectorizer(), LogisticRegression()), texts, labels,
    ...                     n_splits=3, n_bootstrap=0)
    >>> cv["protocol"]["kind"], len(cv["folds"]), len(cv["predictions"]["y_pred"])
    ('stratified_kfold', 3, 6)
    """
    texts, labels = list(texts), _as_list(labels)
    _check_lengths(texts=texts, labels=labels)
    splits = _splits(labels, groups, n_splits, random_state)
    return _cross_validate_on(model, texts, labels, splits, groups=groups, random_state=random_state,
                              stance=stance, n_bootstrap=n_bootstrap, meta=meta, by=by)


def _cross_validate_on(
    model: object, texts: list[str], labels: list, splits: list, *, groups: Sequence[Hashable] | None,
    random_state: int, stance: bool, n_bootstrap: int, meta: Sequence[Mapping] | None, by: str | None,
) -> dict:
    classes = sorted(set(labels), key=str)
    oof_pred, oof_proba, fold_of, folds = _run_cv(model, texts, labels, splits, classes)
    pooled = metrics(
        labels, oof_pred, oof_proba, classes if oof_proba is not None else None, stance=stance,
        n_bootstrap=n_bootstrap, random_state=random_state, groups_meta=meta, by=by,
        bootstrap_groups=None if groups is None else list(groups),
    )
    return {
        "protocol": {
            "kind": "stratified_group_kfold" if groups is not None else "stratified_kfold",
            "n_splits": len(splits), "random_state": random_state, "n": len(labels), "grouped": groups is not None,
        },
        "classes": [str(c) for c in classes],
        "folds": folds,
        "fold_summary": _summary(folds),
        "metrics": pooled,
        "predictions": {
            "y_true": labels, "y_pred": oof_pred,
            "proba": None if oof_proba is None else oof_proba.tolist(), "fold": fold_of,
        },
    }


def _subsample(
    train: np.ndarray, labels: np.ndarray, groups: np.ndarray | None, fraction: float, rng: np.random.Generator
) -> np.ndarray:
    """A random ``fraction`` of ``train``: stratified by label, or whole groups; at least two labels kept."""
    if fraction >= 1.0:
        return train
    if groups is None:
        parts = []
        for label in sorted(set(labels[train].tolist()), key=str):
            members = train[labels[train] == label]
            take = max(1, int(round(fraction * len(members))))
            parts.append(rng.choice(members, size=take, replace=False))
        return np.sort(np.concatenate(parts))
    order = rng.permutation(np.unique(groups[train]))
    take = max(1, int(round(fraction * len(order))))
    while True:
        chosen = train[np.isin(groups[train], order[:take])]
        if len(set(labels[chosen].tolist())) >= 2 or take >= len(order):
            return chosen
        take += 1


def learning_curve(
    model: object,
    texts: Sequence[str],
    labels: Sequence,
    *,
    groups: Sequence[Hashable] | None = None,
    fractions: Sequence[float] = (0.1, 0.25, 0.5, 1.0),
    n_splits: int = 5,
    random_state: int = 0,
) -> list[dict]:
    """Cross-validated scores when training on growing fractions of each training fold.

    For every fold of the same splits as :func:`cross_validate`, a random fraction of the fold's training part
    is kept (stratified by label; with ``groups``, whole groups are kept) and a clone of ``model`` is fitted on
    it and scored on the fold's full test part. Costs ``n_splits * len(fractions)`` fits.

    Parameters
    ----------
    model : unfitted classifier
    texts : sequence of str
    labels : sequence of labels
    groups : sequence or None
        Group of each text (e.g. ``doc_id``).
    fractions : sequence of float
        Fractions of the training folds, each in (0, 1].
    n_splits, random_state : int

    Returns
    -------
    list of dict
        One per fraction: ``fraction``, ``n_train`` (mean over folds), ``accuracy``, ``macro_f1``, ``f_avg``
        (means over folds; ``f_avg`` None without pro/anti), ``macro_f1_std`` (sample std over folds) and
        ``folds`` (per fold: ``fold``, ``n_train``, ``accuracy``, ``macro_f1``, ``f_avg``).

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from sklearn.linear_model import LogisticRegression
    >>> texts = ["thầy dạy hay", "thầy nhiệt tình", "cô dạy dễ hiểu", "thầy vui",
    ...          "phòng nóng", "máy chiếu hỏng", "wifi yếu", "ghế gãy"]
    >>> labels = ["pos"] * 4 + ["neg"] * 4
    >>> curve = learning_curve(make_pipeline(TfidfVectorizer(), LogisticRegression()), texts, labels,
    ...                        fractions=(0.5, 1.0), n_splits=2)
    >>> [(p["fraction"], p["n_train"]) for p in curve]
    [(0.5, 2.0), (1.0, 4.0)]
    """
    if not fractions or any(not 0.0 < f <= 1.0 for f in fractions):
        raise ValueError(f"fractions must be in (0, 1]; got {tuple(fractions)}")
    texts, labels = list(texts), _as_list(labels)
    _check_lengths(texts=texts, labels=labels)
    splits = _splits(labels, groups, n_splits, random_state)
    x, y = np.asarray(texts, dtype=object), np.asarray(labels, dtype=object)
    g = None if groups is None else np.asarray([str(v) for v in groups])
    classes = sorted(set(labels), key=str)
    rng = np.random.default_rng(random_state)
    curve = []
    for fraction in fractions:
        folds = []
        for k, (train, test) in enumerate(splits):
            part = _subsample(train, y, g, float(fraction), rng)
            y_pred, _, info = _fit_score_fold(model, x, y, part, test, classes)
            y_test = y[test].tolist()
            folds.append({"fold": k, "n_train": info["n_train"],
                          **_fold_scores(y_test, y_pred, _label_order(y_test, y_pred, classes))})
        summary = _summary(folds)
        curve.append({
            "fraction": float(fraction),
            "n_train": float(np.mean([f["n_train"] for f in folds])),
            **{name: None if summary[name] is None else summary[name]["mean"] for name in METRICS},
            "macro_f1_std": None if summary["macro_f1"] is None else summary["macro_f1"]["std"],
            "folds": folds,
        })
    return curve


# --------------------------------------------------------------------------------------- paired comparison


def _metric_index(metric: str, labels: list) -> str:
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
    y_true, pred_a, pred_b = _as_list(y_true), _as_list(pred_a), _as_list(pred_b)
    _check_lengths(y_true=y_true, pred_a=pred_a, pred_b=pred_b)
    labels = sorted(set(y_true) | set(pred_a) | set(pred_b), key=str)
    _metric_index(metric, labels)
    k = len(labels)
    t, a, b = _codes(y_true, labels), _codes(pred_a, labels), _codes(pred_b, labels)
    score_a = _scores_from_cm(_cm_from_codes(t, a, k), labels)[metric]
    score_b = _scores_from_cm(_cm_from_codes(t, b, k), labels)[metric]
    rng = np.random.default_rng(random_state)
    diffs = np.empty(n_bootstrap)
    group_index = _group_index(groups, len(t))
    for i in range(n_bootstrap):
        w = _bootstrap_weights(len(t), group_index, rng)
        diffs[i] = (_scores_from_cm(_cm_from_codes(t, a, k, w), labels)[metric]
                    - _scores_from_cm(_cm_from_codes(t, b, k, w), labels)[metric])
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
    y_true, pred_a, pred_b = _as_list(y_true), _as_list(pred_a), _as_list(pred_b)
    _check_lengths(y_true=y_true, pred_a=pred_a, pred_b=pred_b)
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


def compare(
    model_a: object,
    model_b: object,
    texts: Sequence[str],
    labels: Sequence,
    *,
    groups: Sequence[Hashable] | None = None,
    n_splits: int = 5,
    random_state: int = 0,
    metric: str = "macro_f1",
    n_bootstrap: int = 2000,
    stance: bool = False,
    names: tuple[str, str] = ("a", "b"),
) -> dict:
    """Cross-validate two models on the same folds and test the difference.

    Both models see exactly the same splits (from ``random_state`` and ``groups``); their pooled out-of-fold
    predictions are compared with :func:`paired_bootstrap` (cluster bootstrap when ``groups`` is given) and
    :func:`mcnemar`, and the per-fold differences in ``metric`` are listed.

    Parameters
    ----------
    model_a, model_b : unfitted classifiers
    texts : sequence of str
    labels : sequence of labels
    groups : sequence or None
        Group of each text (e.g. ``doc_id``).
    n_splits, random_state : int
    metric : {"accuracy", "macro_f1", "f_avg"}
    n_bootstrap : int
        Resamples for the paired bootstrap (the per-model intervals use 1000).
    stance : bool
        As in :func:`metrics`.
    names : (str, str)
        Display names of the two models.

    Returns
    -------
    dict
        ``names``, ``metric``, ``a`` and ``b`` (:func:`cross_validate` results), ``paired_bootstrap``,
        ``mcnemar`` and ``fold_differences`` (per fold: metric of a minus metric of b).

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from sklearn.linear_model import LogisticRegression
    >>> texts = ["thầy dạy hay", "thầy nhiệt tình", "cô dạy dễ hiểu", "phòng nóng", "máy chiếu hỏng", "wifi yếu"]
    >>> labels = ["pos", "pos", "pos", "neg", "neg", "neg"]
    >>> r = compare(make_pipeline(TfidfVectorizer(), LogisticRegression()), DummyClassifier(), texts, labels,
    ...             n_splits=3, metric="accuracy", n_bootstrap=200)
    >>> r["a"]["folds"][0]["n_test"] == r["b"]["folds"][0]["n_test"], len(r["fold_differences"])
    (True, 3)
    """
    texts, labels = list(texts), _as_list(labels)
    _check_lengths(texts=texts, labels=labels)
    _metric_index(metric, sorted(set(labels), key=str))
    splits = _splits(labels, groups, n_splits, random_state)
    common = {"groups": groups, "random_state": random_state, "stance": stance, "n_bootstrap": 1000,
              "meta": None, "by": None}
    cv_a = _cross_validate_on(model_a, texts, labels, splits, **common)
    cv_b = _cross_validate_on(model_b, texts, labels, splits, **common)
    pred_a, pred_b = cv_a["predictions"]["y_pred"], cv_b["predictions"]["y_pred"]
    return {
        "names": list(names),
        "metric": metric,
        "a": cv_a,
        "b": cv_b,
        "paired_bootstrap": paired_bootstrap(labels, pred_a, pred_b, metric=metric, n_bootstrap=n_bootstrap,
                                             random_state=random_state, groups=groups),
        "mcnemar": mcnemar(labels, pred_a, pred_b),
        "fold_differences": [
            None if fa[metric] is None or fb[metric] is None else fa[metric] - fb[metric]
            for fa, fb in zip(cv_a["folds"], cv_b["folds"])
        ],
    }
