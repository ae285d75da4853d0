"""Cross-validation protocols: :func:`cross_validate`, :func:`learning_curve` and :func:`compare` (two models on
the same folds, with paired tests).

Folds come from :func:`stance.estimators.splits.stratified_folds`, grouped when groups are given, the same
splitter the estimators use for their own calibration folds.

Examples
--------
Two articles of two passages each, two folds: each article is tested once, whole.

>>> from sklearn.dummy import DummyClassifier
>>> cv = cross_validate(DummyClassifier(), ["a1", "a2", "b1", "b2"], ["x", "y", "x", "y"], groups=["a", "a", "b", "b"],
...                     n_splits=2, n_bootstrap=0)
>>> cv["protocol"]["kind"], sorted(cv["predictions"]["fold"])
('stratified_group_kfold', [0, 0, 1, 1])
"""

from __future__ import annotations

import time
from typing import Hashable, Mapping, Sequence

import numpy as np
from sklearn.base import clone

from ..estimators.pipeline import fit_with_groups
from ..estimators.splits import check_groups, stratified_folds
from ..files import to_jsonable
from ..progress import progress_bar
from .metrics import label_order, metrics
from .stats import (
    METRICS,
    check_metric,
    as_list,
    check_lengths,
    confusion_from_codes,
    label_codes,
    mcnemar,
    paired_bootstrap,
    scores_from_confusion,
)

__all__ = ["compare", "cross_validate", "learning_curve"]


def _aligned_proba(model: object, texts: list[str], classes: list) -> np.ndarray | None:
    """predict_proba with columns reordered to ``classes`` (zeros for classes the fold model never saw)."""
    if not (hasattr(model, "predict_proba") and hasattr(model, "classes_")):
        return None
    proba = np.asarray(model.predict_proba(texts), dtype=float)  # type: ignore[attr-defined]
    out = np.zeros((len(texts), len(classes)))
    index = {c: i for i, c in enumerate(classes)}
    for j, c in enumerate(as_list(model.classes_)):  # type: ignore[attr-defined]
        out[:, index[c]] = proba[:, j]
    return out


def _fit_score_fold(
    model: object, texts: np.ndarray, labels: np.ndarray, groups: np.ndarray | None, train: np.ndarray,
    test: np.ndarray, classes: list, sample_weight: np.ndarray | None = None,
) -> tuple[list, np.ndarray | None, dict]:
    """Fit a clone on ``train`` (with the training rows' groups, for a model whose fit takes them: its own
    calibration and tuning folds must not split a group either; and with their weights) and predict ``test``."""
    fitted = clone(model)
    start = time.perf_counter()
    fit_with_groups(fitted, texts[train].tolist(), labels[train].tolist(),
                    None if groups is None else groups[train].tolist(),
                    None if sample_weight is None else sample_weight[train])
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    test_texts = texts[test].tolist()
    y_pred = as_list(np.asarray(fitted.predict(test_texts), dtype=object))
    proba = _aligned_proba(fitted, test_texts, classes)
    info = {"n_train": int(len(train)), "n_test": int(len(test)), "fit_seconds": fit_seconds,
            "predict_seconds": time.perf_counter() - start}
    return y_pred, proba, info


def _fold_scores(y_true: list, y_pred: list, labels: list) -> dict[str, float | None]:
    cm = confusion_from_codes(label_codes(y_true, labels), label_codes(y_pred, labels), len(labels))
    return {name: to_jsonable(float(value)) for name, value in scores_from_confusion(cm, labels).items()}


def _summary(folds: list[dict]) -> dict:
    out = {}
    for name in METRICS:
        values = [f[name] for f in folds if f[name] is not None]
        out[name] = ({"mean": float(np.mean(values)), "std": float(np.std(values, ddof=1)) if len(values) > 1
                      else 0.0} if values else None)
    return out


def _run_cv(
    model: object, texts: Sequence[str], labels: Sequence, groups: np.ndarray | None, splits: list, classes: list,
    progress: bool | None = None, sample_weight: np.ndarray | None = None,
) -> tuple[list, np.ndarray | None, list[int], list[dict]]:
    x = np.asarray(list(texts), dtype=object)
    y = np.asarray(as_list(labels), dtype=object)
    oof_pred: list = [None] * len(y)
    oof_proba = None
    fold_of = [-1] * len(y)
    folds = []
    bar = progress_bar(len(splits), desc="cross-validation", unit="fold", enabled=progress)
    for k, (train, test) in enumerate(splits):
        y_pred, proba, info = _fit_score_fold(model, x, y, groups, train, test, classes, sample_weight)
        bar.update()
        for i, pred in zip(test, y_pred):
            oof_pred[i] = pred
            fold_of[i] = k
        if proba is not None:
            oof_proba = np.zeros((len(y), len(classes))) if oof_proba is None else oof_proba
            oof_proba[test] = proba
        y_test = y[test].tolist()
        scores = _fold_scores(y_test, y_pred, label_order(y_test, y_pred, classes))
        folds.append({"fold": k, **info, **scores})
    bar.close()
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
    progress: bool | None = None,
    sample_weight: Sequence[float] | None = None,
) -> dict:
    """Stratified k-fold cross-validation (grouped when ``groups`` is given), with out-of-fold predictions.

    Each fold fits a fresh :func:`sklearn.base.clone` of ``model``. With ``groups`` (e.g. ``doc_id``) the folds
    come from :class:`~sklearn.model_selection.StratifiedGroupKFold`, so the passages of one article are never
    split between training and test; each fold's model gets the groups of its training rows too
    (:func:`stance.estimators.pipeline.fit_with_groups`), so its own calibration and tuning folds keep articles
    whole as the shipped model's do; the confidence intervals resample whole groups.

    Parameters
    ----------
    model : unfitted classifier
    texts : sequence of str
    labels : sequence of labels
    groups : sequence or None
        Group of each text; a missing value (None, empty, NaN) is an error naming the record.
    n_splits : int
    random_state : int
        Seed of the fold shuffling and the bootstrap.
    stance, n_bootstrap
        As in :func:`metrics`.
    meta, by
        Metadata per text and the field to break the pooled scores down by.
    progress : bool, optional
        A progress bar over the folds; by default when standard error is a terminal.
    sample_weight : sequence of float, optional
        Training weight of each text: each fold's model is fitted with its training rows' weights
        (:func:`stance.estimators.pipeline.fit_with_groups`); the scores count every test text once.

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
    texts, labels = list(texts), as_list(labels)
    check_lengths(texts=texts, labels=labels)
    splits = stratified_folds(labels, groups, n_splits=n_splits, random_state=random_state)
    return _cross_validate_on(model, texts, labels, splits, groups=groups, random_state=random_state,
                              stance=stance, n_bootstrap=n_bootstrap, meta=meta, by=by, progress=progress,
                              sample_weight=sample_weight)


def _cross_validate_on(
    model: object, texts: list[str], labels: list, splits: list, *, groups: Sequence[Hashable] | None,
    random_state: int, stance: bool, n_bootstrap: int, meta: Sequence[Mapping] | None, by: str | None,
    progress: bool | None = None, sample_weight: Sequence[float] | None = None,
) -> dict:
    classes = sorted(set(labels), key=str)
    g = None if groups is None else check_groups(groups, len(labels))
    w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    if w is not None and w.shape != (len(labels),):
        raise ValueError(f"sample_weight has {w.size} weights for {len(labels)} texts")
    oof_pred, oof_proba, fold_of, folds = _run_cv(model, texts, labels, g, splits, classes, progress, w)
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
    progress: bool | None = None,
) -> list[dict]:
    """Cross-validated scores when training on growing fractions of each training fold.

    For every fold of the same splits as :func:`cross_validate`, a random fraction of the fold's training part
    is kept (stratified by label; with ``groups``, whole groups are kept) and a clone of ``model`` is fitted on
    it and scored on the fold's full test part. Costs ``n_splits * len(fractions)`` fits.

    Parameters
    ----------
    model, texts, labels, groups
        As in :func:`cross_validate`.
    fractions : sequence of float
        Fractions of the training folds, each in (0, 1].
    n_splits, random_state : int
    progress : bool, optional
        A progress bar over the fits; by default when standard error is a terminal.

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
    texts, labels = list(texts), as_list(labels)
    check_lengths(texts=texts, labels=labels)
    splits = stratified_folds(labels, groups, n_splits=n_splits, random_state=random_state)
    x, y = np.asarray(texts, dtype=object), np.asarray(labels, dtype=object)
    g = None if groups is None else check_groups(groups, len(labels))
    classes = sorted(set(labels), key=str)
    rng = np.random.default_rng(random_state)
    curve = []
    bar = progress_bar(len(fractions) * len(splits), desc="learning curve", unit="fit", enabled=progress)
    for fraction in fractions:
        folds = []
        for k, (train, test) in enumerate(splits):
            part = _subsample(train, y, g, float(fraction), rng)
            y_pred, _, info = _fit_score_fold(model, x, y, g, part, test, classes)
            bar.update()
            y_test = y[test].tolist()
            folds.append({"fold": k, "n_train": info["n_train"],
                          **_fold_scores(y_test, y_pred, label_order(y_test, y_pred, classes))})
        summary = _summary(folds)
        curve.append({
            "fraction": float(fraction),
            "n_train": float(np.mean([f["n_train"] for f in folds])),
            **{name: None if summary[name] is None else summary[name]["mean"] for name in METRICS},
            "macro_f1_std": None if summary["macro_f1"] is None else summary["macro_f1"]["std"],
            "folds": folds,
        })
    bar.close()
    return curve


def compare(
    model_a: object, model_b: object, texts: Sequence[str], labels: Sequence, *, metric: str = "macro_f1",
    names: tuple[str, str] = ("a", "b"), groups: Sequence[Hashable] | None = None, n_splits: int = 5,
    random_state: int = 0, n_bootstrap: int = 2000, stance: bool = False, progress: bool | None = None,
) -> dict:
    """Cross-validate two models on the same folds and test the difference.

    Both models see exactly the same splits (from ``random_state`` and ``groups``); their pooled out-of-fold
    predictions are compared with :func:`paired_bootstrap` (cluster bootstrap when ``groups`` is given) and
    :func:`mcnemar`, and the per-fold differences in ``metric`` are listed.

    Parameters
    ----------
    model_a, model_b : unfitted classifiers
    texts, labels : sequences of str and of labels
    metric : {"accuracy", "macro_f1", "f_avg"}
    names : (str, str)
        Display names of the two models.
    groups, n_splits, random_state, stance, progress
        As in :func:`cross_validate`.
    n_bootstrap : int
        Resamples for the paired bootstrap (the per-model intervals use 1000).

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
    texts, labels = list(texts), as_list(labels)
    check_lengths(texts=texts, labels=labels)
    check_metric(metric, sorted(set(labels), key=str))
    splits = stratified_folds(labels, groups, n_splits=n_splits, random_state=random_state)
    common = {"groups": groups, "random_state": random_state, "stance": stance, "n_bootstrap": 1000,
              "meta": None, "by": None, "progress": progress}
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
