"""The stance model on text it has not seen: whole articles by grouped cross-validation (:func:`article_cv`) and
passages leave-one-source-out (:func:`passage_loso`), each against the plain baseline in the same run.

* Articles (``articles.jsonl``, labelled for the stance of the whole article), ``n_repeats`` x ``n_splits``-fold
  stratified CV. In each fold every model is trained without the held-out articles *and without their
  passages* (``train.jsonl`` / ``train_more.jsonl`` passages share the article's ``doc_id``). Compared on the
  same held-out articles: the shipped configuration (:func:`stance.training.configs.stance_model`: passage model +
  article model), the rule of stance < 0.3 (:func:`stance.estimators.aggregate.aggregate_stance`) on the same
  passage probabilities, and the plain baseline (:func:`stance.training.configs.passage_baseline` trained on
  ``train.jsonl`` alone) applied to the whole cleaned article.
* Passages (``train.jsonl``; sources VNTC 2004–07, baomoi 2016–17, VietNews 2016–19): train on two sources, test
  on the third. The shipped passage configuration (trained on ``train.jsonl`` and ``train_more.jsonl``'s pro /
  anti / neutral passages of the two training sources) against the plain baseline (``train.jsonl`` of the two
  training sources).

Differences come with 95% intervals of a paired bootstrap over articles (``doc_id``); for the leave-one-source-
out mean, articles are drawn within each source and the statistic is the mean of the per-source differences.
``python -m benchmarks.quality stance`` prints both (80 minutes on a loaded 2-core machine).

Examples
--------
>>> y = ["anti", "pro", "neutral", "unrelated"] * 3
>>> round(_scores(y, y)["macro_f1"], 3), round(_scores(y, ["anti"] * 12)["accuracy"], 3)
(1.0, 0.25)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from sklearn.base import clone

from ..estimators.aggregate import aggregate_stance
from ..estimators.article import passages_of
from ..labels import STANCE_LABELS
from ..progress import progress_bar
from ..text.clean import Cleaner, normalise
from ..training.configs import DEFAULT_TASKS, passage_baseline, stance_model
from ..training.data import read_labelled
from .stats import confusion_from_codes, label_codes, scores_from_confusion

__all__ = ["StanceData", "article_cv", "passage_loso", "read_stance_data"]

_LABELS = sorted(STANCE_LABELS)


@dataclass(frozen=True)
class StanceData:
    """The stance task's labelled data, cleaned: passages (``more`` marks ``train_more.jsonl`` rows kept for
    training: its pro / anti / neutral ones), their articles and sources; whole labelled articles."""

    texts: list[str]
    labels: np.ndarray
    doc_ids: np.ndarray
    sources: np.ndarray
    more: np.ndarray
    articles: list[str]
    article_labels: np.ndarray
    article_ids: np.ndarray


def read_stance_data(data_dir: str | Path) -> StanceData:
    """Read and clean ``stance/train.jsonl``, ``stance/train_more.jsonl`` (less the labels the default
    configuration drops) and ``stance/articles.jsonl`` under ``data_dir``."""
    spec = DEFAULT_TASKS["stance"]
    root = Path(data_dir)
    first, more = list(spec["data"])  # train.jsonl, then train_more.jsonl less the labels the task leaves out
    base = read_labelled(root / first, allow_duplicates=True)
    extra = read_labelled(root / more, allow_duplicates=True)
    keep = [i for i, label in enumerate(extra.labels) if label not in spec["exclude"][more]]
    arts = read_labelled(root / spec["articles"], allow_duplicates=True)
    cleaner = Cleaner()
    raw = list(base.texts) + [extra.texts[i] for i in keep]
    meta = list(base.meta) + [extra.meta[i] for i in keep]
    texts = [c or normalise(r) for c, r in zip(cleaner.transform(raw), raw)]
    articles = [c or normalise(r) for c, r in zip(cleaner.transform(list(arts.texts)), arts.texts)]
    return StanceData(
        texts=texts,
        labels=np.asarray(list(base.labels) + [extra.labels[i] for i in keep]),
        doc_ids=np.asarray([str(m["doc_id"]) for m in meta]),
        sources=np.asarray([str(m["source"]) for m in meta]),
        more=np.asarray([False] * len(base) + [True] * len(keep)),
        articles=articles,
        article_labels=np.asarray(arts.labels),
        article_ids=np.asarray([str(m["id"]) for m in arts.meta]),
    )


def _scores(y: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    cm = confusion_from_codes(label_codes(list(y), _LABELS), label_codes(list(pred), _LABELS), len(_LABELS))
    return scores_from_confusion(cm, _LABELS)


def _bootstrap_difference(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]], metric: str,
                          n_bootstrap: int, random_state: int = 0) -> list[float]:
    """95% interval of the mean over ``parts`` of metric(a) - metric(b); each part is (y, a, b, groups) and is
    resampled by whole groups, within the part."""
    rng = np.random.default_rng(random_state)
    k = len(_LABELS)
    coded = []
    for y, a, b, g in parts:
        gi = np.unique(g, return_inverse=True)[1].ravel()
        coded.append((label_codes(list(y), _LABELS), label_codes(list(a), _LABELS), label_codes(list(b), _LABELS), gi))
    diffs = np.empty(n_bootstrap)
    for r in range(n_bootstrap):
        d = []
        for t, a, b, gi in coded:
            n_groups = int(gi.max()) + 1
            w = np.bincount(rng.integers(0, n_groups, n_groups), minlength=n_groups)[gi].astype(float)
            d.append(scores_from_confusion(confusion_from_codes(t, a, k, w), _LABELS)[metric]
                     - scores_from_confusion(confusion_from_codes(t, b, k, w), _LABELS)[metric])
        diffs[r] = np.mean(d)
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    return [float(lo), float(hi)]


def article_cv(data: StanceData, *, n_repeats: int = 3, n_splits: int = 5, n_bootstrap: int = 1000,
               progress: bool | None = None) -> dict[str, Any]:
    """Grouped cross-validation over labelled articles of the shipped configuration, the rule and the baseline.

    Returns
    -------
    dict
        ``methods``: per method, ``accuracy``, ``macro_f1`` and ``f_avg`` (means over repetitions) and
        ``per_repeat``; ``differences``: per method other than the baseline, the pooled difference to the
        baseline and its 95% interval (articles resampled); ``n_articles``, ``n_repeats``, ``n_splits``.
    """
    from ..estimators.splits import stratified_folds

    y = data.article_labels
    names = ("article model (shipped)", "rule of stance < 0.3 on the same passages", "plain baseline on whole text")
    preds = {m: [] for m in names}
    docs = [passages_of(a) for a in data.articles]
    with progress_bar(n_repeats * n_splits, desc="articles: folds", unit="fold", enabled=progress) as bar:
        for rep in range(n_repeats):
            pred = {m: np.empty(len(y), dtype=object) for m in names}
            for train, test in stratified_folds(y, n_splits=n_splits, random_state=rep):
                out = np.isin(data.doc_ids, data.article_ids[test])
                tr = np.flatnonzero(~out)
                model = clone(stance_model()[-1]).fit(
                    [data.texts[i] for i in tr], data.labels[tr], data.doc_ids[tr],
                    articles=[data.articles[i] for i in train], article_labels=y[train],
                    article_groups=data.article_ids[train])
                P, A = model.predict_articles([docs[i] for i in test], [data.articles[i] for i in test])
                classes = list(model.classes_)
                pred[names[0]][test] = [classes[k] for k in A.argmax(axis=1)]
                pred[names[1]][test] = [aggregate_stance(p, classes).label for p in P]
                base_rows = np.flatnonzero(~out & ~data.more)
                base = passage_baseline().fit([data.texts[i] for i in base_rows], data.labels[base_rows])
                pred[names[2]][test] = base.predict([data.articles[i] for i in test])
                bar.update()
            for m in names:
                preds[m].append(pred[m])
    methods = {}
    for m in names:
        per = [_scores(y, p) for p in preds[m]]
        methods[m] = {**{k: float(np.mean([s[k] for s in per])) for k in ("accuracy", "macro_f1", "f_avg")},
                      "per_repeat": per}
    yy, gg = np.tile(y, n_repeats), np.tile(data.article_ids, n_repeats)
    base = np.concatenate(preds[names[2]])
    differences = {}
    for m in names[:2]:
        mine = np.concatenate(preds[m])
        differences[m] = {
            metric: {"difference": methods[m][metric] - methods[names[2]][metric],
                     "ci": _bootstrap_difference([(yy, mine, base, gg)], metric, n_bootstrap)}
            for metric in ("accuracy", "macro_f1")
        }
    return {"methods": methods, "differences": differences, "baseline": names[2], "n_articles": len(y),
            "n_repeats": n_repeats, "n_splits": n_splits}


def passage_loso(data: StanceData, *, n_bootstrap: int = 1000, progress: bool | None = None) -> dict[str, Any]:
    """Leave-one-source-out scores on ``train.jsonl`` passages of the shipped passage configuration (with
    ``train_more.jsonl``'s passages) and of the plain baseline (``train.jsonl`` only).

    Returns
    -------
    dict
        ``sources``: per held-out source and method, ``f_avg``, ``macro_f1`` and ``n``; ``mean``: per method,
        the mean over sources; ``difference``: shipped - baseline of the means, with 95% intervals.
    """
    names = ("shipped passage configuration (+ train_more)", "plain baseline (train.jsonl only)")
    sources = sorted(set(data.sources[~data.more].tolist()))
    per_source: dict[str, dict[str, Any]] = {}
    parts = []
    with progress_bar(len(sources), desc="passages: held-out sources", unit="source", enabled=progress) as bar:
        for s in sources:
            test = np.flatnonzero((data.sources == s) & ~data.more)
            X_test = [data.texts[i] for i in test]
            shipped_rows = np.flatnonzero(data.sources != s)
            base_rows = np.flatnonzero((data.sources != s) & ~data.more)
            shipped = clone(stance_model()[-1].passage_model).fit([data.texts[i] for i in shipped_rows],
                                                                   data.labels[shipped_rows])
            base = passage_baseline().fit([data.texts[i] for i in base_rows], data.labels[base_rows])
            a, b = shipped.predict(X_test), base.predict(X_test)
            per_source[s] = {names[0]: {**_scores(data.labels[test], a), "n": len(test)},
                             names[1]: {**_scores(data.labels[test], b), "n": len(test)}}
            parts.append((data.labels[test], a, b, data.doc_ids[test]))
            bar.update()
    mean = {m: {k: float(np.mean([per_source[s][m][k] for s in sources])) for k in ("f_avg", "macro_f1")}
            for m in names}
    difference = {k: {"difference": mean[names[0]][k] - mean[names[1]][k],
                      "ci": _bootstrap_difference(parts, k, n_bootstrap),
                      "sources_up": sum(per_source[s][names[0]][k] > per_source[s][names[1]][k] for s in sources)}
                  for k in ("f_avg", "macro_f1")}
    return {"sources": per_source, "mean": mean, "difference": difference, "methods": list(names)}
