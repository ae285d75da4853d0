"""Metrics of predictions: accuracy, macro-F1, F_avg, per-class scores, confusion matrix, calibration.

A *model* here is any scikit-learn classifier that takes a list of ``str``: ``fit(texts, labels)``,
``predict(texts)``, optionally ``predict_proba(texts)`` with columns in the order of ``classes_``. Every
function returns plain dictionaries of JSON-ready values (lists, floats, ints, str, None), so a result can be
written with :func:`json.dump` or :func:`stance.evaluation.report.write_report` as it is.

Definitions used throughout:

- **macro-F1**: unweighted mean of per-class F1 over the labels that occur in the true or predicted labels.
- **F_avg** (SemEval-2016 Task 6): mean of the F1 of ``pro`` and of ``anti``; reported when both labels are in
  the label set, None otherwise.
- **ECE**: top-label expected calibration error with equal-width confidence bins ((i-1)/M, i/M], M = 15:
  sum over bins of (bin size / n) * |accuracy in bin - mean confidence in bin|, where confidence is the largest
  probability and a prediction is correct when the class with the largest probability is the true label.
- **Confidence intervals**: see :mod:`stance.evaluation.stats`.

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
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    log_loss,
    precision_recall_fscore_support,
)

from .stats import STANCE_PAIR, as_list, bootstrap_ci, check_lengths

__all__ = ["evaluate", "label_order", "metrics", "reliability"]


def label_order(y_true: Sequence, y_pred: Sequence, classes: Sequence | None) -> list:
    seen = set(y_true) | set(y_pred)
    if classes is None:
        return sorted(seen, key=str)
    order = list(classes)
    return order + sorted(seen - set(order), key=str)


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
    y_true, y_pred = as_list(y_true), as_list(y_pred)
    check_lengths(y_true=y_true, y_pred=y_pred)
    if proba is not None and classes is None:
        raise ValueError("classes (the column order of proba, e.g. model.classes_) is required with proba")
    labels = label_order(y_true, y_pred, None if classes is None else as_list(classes))
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
        "calibration": None if proba_arr is None else reliability(y_true, proba_arr, as_list(classes),
                                                                  n_bins=n_bins),
        "log_loss": _log_loss(y_true, proba_arr, classes),
        "ci": bootstrap_ci(y_true, y_pred, labels, n_bootstrap, random_state, bootstrap_groups),
        "by": None if by is None else _breakdown(y_true, y_pred, proba_arr, classes, groups_meta, by, stance),
    }


def _log_loss(y_true: list, proba: np.ndarray | None, classes: Sequence | None) -> float | None:
    if proba is None or classes is None or not set(y_true) <= set(as_list(classes)):
        return None
    clipped = np.clip(proba, 1e-15, 1.0)
    clipped = clipped / clipped.sum(axis=1, keepdims=True)
    return float(log_loss(y_true, clipped, labels=as_list(classes)))


_PREDICT_CHUNK = 2000  # texts predicted at once by evaluate (the progress bar moves chunk by chunk)


def _predict(model: object, texts: list[str], progress: bool | None = None) -> tuple[list, np.ndarray | None, list | None]:
    from ..progress import progress_bar

    with_proba = hasattr(model, "predict_proba") and hasattr(model, "classes_")
    y_pred: list = []
    probas = []
    with progress_bar(len(texts), desc="predict", unit="text", enabled=progress) as bar:
        for start in range(0, len(texts), _PREDICT_CHUNK):
            chunk = texts[start : start + _PREDICT_CHUNK]
            y_pred += as_list(np.asarray(model.predict(chunk), dtype=object))  # type: ignore[attr-defined]
            if with_proba:
                probas.append(np.asarray(model.predict_proba(chunk), dtype=float))  # type: ignore[attr-defined]
            bar.update(len(chunk))
    if with_proba:
        proba = np.concatenate(probas) if probas else np.zeros((0, len(as_list(model.classes_))))  # type: ignore[attr-defined]
        return y_pred, proba, as_list(model.classes_)  # type: ignore[attr-defined]
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
    progress: bool | None = None,
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
    progress : bool, optional
        A progress bar while predicting; by default when standard error is a terminal.

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
    y_pred, proba, classes = _predict(model, texts, progress)
    seconds = time.perf_counter() - start
    result = metrics(
        as_list(labels), y_pred, proba, classes, stance=stance, n_bootstrap=n_bootstrap,
        random_state=random_state, groups_meta=meta, by=by, bootstrap_groups=bootstrap_groups,
    )
    result["predict_seconds"] = seconds
    return result
