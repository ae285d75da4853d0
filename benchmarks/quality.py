"""Model quality against plain baselines, measured in one run: ``python -m benchmarks.quality``.

* ``topic``: the shipped topic model (trained on VNTC train and the recent sets) and a plain
  ``TfidfVectorizer`` (syllable 1–2-grams) + ``LinearSVC`` baseline trained in this run on ``vntc/train``, both
  scored once on ``vntc/test``:
  accuracy and macro-F1 with 95% bootstrap intervals, and a paired bootstrap test of the difference.
* ``eras``: era cross-validation of the topic model, both ways: trained on VNTC (2005-07) and scored on each
  recent set (Dân trí 2020-21, VnExpress 2022), trained on VNTC plus one recent set (era-weighted as shipped)
  and scored on the other, trained on both recent sets and scored on ``vntc/test``; the shipped
  configuration against the VNTC-only model (the same estimator trained on ``vntc/train`` alone, unweighted),
  which is also scored on ``vntc/test``.
* ``stance``: 5-fold cross-validation grouped by ``doc_id`` on ``stance/train.jsonl`` of a plain
  TF-IDF + ``LinearSVC`` baseline and of a ladder of configurations that adds one idea at a time up to
  the shipped configuration, so each idea's contribution is measured (macro-F1 over the four labels and
  F_avg, the mean F1 of ``pro`` and ``anti``).

Every figure printed is computed in the run; nothing is read from a file of results.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from stance.display import format_metric
from stance.estimators.pipeline import fit_with_groups, with_cleaner
from stance.estimators.stance_classifier import StanceClassifier
from stance.evaluation.metrics import metrics
from stance.evaluation.protocols import cross_validate
from stance.evaluation.stats import paired_bootstrap
from stance.files import atomic_write, to_jsonable
from stance.text.segment import TOKEN_PATTERN
from stance.training.configs import DEFAULT_TASKS, stance_model, topic_model
from stance.training.eras import era_sample_weight, read_eras
from stance.training.data import read_labelled

DATA = Path("../shared/data")


def topic_baseline():
    """Plain baseline of the topic task: syllable 1–2-gram TF-IDF + LinearSVC, default parameters."""
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), token_pattern=TOKEN_PATTERN), LinearSVC())


def stance_baseline():
    """Plain baseline of the stance task: scikit-learn's default TF-IDF + LinearSVC."""
    return make_pipeline(TfidfVectorizer(), LinearSVC())


def stance_ladder() -> list[tuple[str, Any]]:
    """Configurations adding one idea at a time, ending with the shipped one."""
    tfidf = dict(ngram_range=(1, 3), token_pattern=TOKEN_PATTERN, sublinear_tf=True, min_df=2)
    return [
        ("plain TF-IDF + LinearSVC (baseline)", stance_baseline()),
        ("+ syllable 1-3-grams, sublinear tf, one-letter syllables kept",
         make_pipeline(TfidfVectorizer(**tfidf), LinearSVC(C=0.3))),
        ("+ class-balanced weights", make_pipeline(TfidfVectorizer(**tfidf), LinearSVC(C=0.3, class_weight="balanced"))),
        ("+ cleaning, Platt calibration", with_cleaner(StanceClassifier(two_step=False, tune_decision=False))),
        ("+ decision weights tuned by inner CV", with_cleaner(StanceClassifier(two_step=False))),
        ("+ relevance step before the stance step (shipped)", stance_model()),
    ]


def stance_variants() -> list[tuple[str, Any]]:
    """Ideas tried on top of the shipped configuration and left out (``--variants``)."""
    return [
        ("shipped + stance cue and negation features", with_cleaner(StanceClassifier(cues=True))),
        ("shipped + syllable 1-2-grams instead of 1-3", with_cleaner(StanceClassifier(ngram_range=(1, 2)))),
    ]


def run_topic(data_dir: Path, limit: int | None) -> dict[str, Any]:
    from stance.api import pretrained_model

    train = read_labelled(data_dir / "vntc/train.jsonl.xz", allow_duplicates=True)
    test = read_labelled(data_dir / "vntc/test.jsonl.xz", allow_duplicates=True)
    tr_x, tr_y = list(train.texts), list(train.labels)
    te_x, te_y = list(test.texts), list(test.labels)
    if limit:
        tr_x, tr_y, te_x, te_y = tr_x[:limit], tr_y[:limit], te_x[:limit], te_y[:limit]
    import unicodedata

    tr_x_nfc = [unicodedata.normalize("NFC", t) for t in tr_x]
    te_x_nfc = [unicodedata.normalize("NFC", t) for t in te_x]
    t0 = time.perf_counter()
    baseline = topic_baseline().fit(tr_x_nfc, tr_y)
    fit_s = time.perf_counter() - t0
    base_pred = baseline.predict(te_x_nfc).tolist()
    model = pretrained_model("topic")
    t0 = time.perf_counter()
    proba = model.predict_proba(te_x)
    pred_s = time.perf_counter() - t0
    ours_pred = model.classes_[proba.argmax(axis=1)].tolist()
    base = metrics(te_y, base_pred, n_bootstrap=1000)
    ours_m = metrics(te_y, ours_pred, proba, list(model.classes_), n_bootstrap=1000)
    test_f1 = paired_bootstrap(te_y, ours_pred, base_pred, metric="macro_f1", n_bootstrap=1000)
    test_acc = paired_bootstrap(te_y, ours_pred, base_pred, metric="accuracy", n_bootstrap=1000)
    rows = [
        ("baseline TF-IDF syllable 1-2 + LinearSVC", base, round(fit_s, 1)),
        ("stance topic model (shipped)", ours_m, None),
    ]
    print(f"Topic on vntc/test ({len(te_y)} articles); baseline trained on vntc/train ({len(tr_y)} articles), "
          "the shipped model on the data its manifest names")
    print(f"{'system':45s} {'accuracy [95% CI]':28s} {'macro-F1 [95% CI]':28s}")
    for name, m, _ in rows:
        print(f"{name:45s} {format_metric(m, 'accuracy'):28s} {format_metric(m, 'macro_f1'):28s}")
    print(f"shipped model: expected calibration error {ours_m['calibration']['ece']:.4f}")
    for label, r in (("accuracy", test_acc), ("macro-F1", test_f1)):
        print(
            f"difference in {label} (shipped - baseline): {r['difference']:+.4f}, 95% CI "
            f"[{r['ci'][0]:+.4f}, {r['ci'][1]:+.4f}], paired bootstrap p = {r['p_value']:.4f}"
        )
    print(f"(baseline fit {fit_s:.0f} s; shipped model prediction of the test set {pred_s:.0f} s)")
    return {
        "baseline": {k: base[k] for k in ("accuracy", "macro_f1", "ci")},
        "shipped": {k: ours_m[k] for k in ("accuracy", "macro_f1", "ci")},
        "paired": {"accuracy": test_acc, "macro_f1": test_f1},
    }


VNTC = "vntc/train.jsonl.xz"
RECENT = {"Dân trí 2020-21": "topic_recent/dantri_2020_2021.jsonl.xz", "VnExpress 2022": "topic_recent/vnexpress_2022.jsonl.xz"}


def _spread(index: np.ndarray, limit: int) -> list[int]:
    """At most ``limit`` of ``index``, evenly spread (the files are sorted by label: a prefix has one label)."""
    return [int(i) for i in index[:: max(1, len(index) // limit)][:limit]]


def _fit_eras(data_dir: Path, files: dict[str, str], limit: int | None) -> tuple[Any, int]:
    """The shipped topic configuration fitted on ``files`` ({path: era}) as ``stance train --task topic`` fits
    it: the task's excluded labels left out, recent texts weighted to the task's share. Returns (model, n)."""
    spec = DEFAULT_TASKS["topic"]
    exclude = {f: labels for f, labels in spec["exclude"].items() if f in files}
    eras = read_eras(data_dir, files, exclude=exclude)
    texts, labels, recent = list(eras.data.texts), list(eras.data.labels), eras.is_recent
    if limit:
        keep = _spread(np.flatnonzero(~recent), limit) + _spread(np.flatnonzero(recent), limit)
        texts, labels, recent = [texts[i] for i in keep], [labels[i] for i in keep], recent[keep]
    model = topic_model()
    weights = era_sample_weight(recent, spec["recent_share"]) if recent.any() and not recent.all() else None
    fit_with_groups(model, texts, labels, None, weights)
    return model, len(texts)


def _score(model: Any, data_dir: Path, rel: str, limit: int | None) -> dict[str, Any]:
    test = read_labelled(data_dir / rel, allow_duplicates=True)
    keep = _spread(np.arange(len(test)), limit) if limit else range(len(test))
    x, y = [test.texts[i] for i in keep], [test.labels[i] for i in keep]
    return metrics(y, model.predict(x).tolist(), n_bootstrap=1000)


def run_eras(data_dir: Path, limit: int | None) -> dict[str, Any]:
    """Era cross-validation, both ways, of the shipped topic configuration against the VNTC-only model."""
    (dt_name, dt), (ve_name, ve) = RECENT.items()
    rows: list[tuple[str, str, str, dict]] = []
    t0 = time.perf_counter()
    vntc_only, _ = _fit_eras(data_dir, {VNTC: "old"}, limit)
    for name, rel in [("VNTC test", "vntc/test.jsonl.xz"), (dt_name, dt), (ve_name, ve)]:
        rows.append(("VNTC-only model", "VNTC train", name, _score(vntc_only, data_dir, rel, limit)))
    for train_rel, (test_name, test_rel) in ((dt, (ve_name, ve)), (ve, (dt_name, dt))):
        model, _ = _fit_eras(data_dir, {VNTC: "old", train_rel: "recent"}, limit)
        train_name = dt_name if train_rel == dt else ve_name
        rows.append(("shipped configuration", f"VNTC train + {train_name}", test_name,
                     _score(model, data_dir, test_rel, limit)))
    recent_only, _ = _fit_eras(data_dir, {dt: "recent", ve: "recent"}, limit)
    rows.append(("shipped configuration", "Dân trí + VnExpress 2022 (recent only)", "VNTC test",
                 _score(recent_only, data_dir, "vntc/test.jsonl.xz", limit)))
    print("Topic, era cross-validation (train on one era, test on the other; figures: accuracy / macro-F1 [95% CI])")
    print(f"{'model':24s} {'trained on':40s} {'scored on':16s} {'accuracy [95% CI]':28s} {'macro-F1 [95% CI]':28s}")
    for model_name, trained, scored, m in rows:
        print(f"{model_name:24s} {trained:40s} {scored:16s} {format_metric(m, 'accuracy'):28s} "
              f"{format_metric(m, 'macro_f1'):28s}")
    print(f"({time.perf_counter() - t0:.0f} s)")
    return {f"{model_name} | {trained} -> {scored}": {k: m[k] for k in ("accuracy", "macro_f1", "ci")}
            for model_name, trained, scored, m in rows}


def run_stance(data_dir: Path, quick: bool, variants: bool = False) -> dict[str, Any]:
    data = read_labelled(data_dir / "stance/train.jsonl", allow_duplicates=True)
    texts, labels = list(data.texts), list(data.labels)
    groups = list(data.meta_field("doc_id"))
    ladder = stance_ladder()
    if quick:
        ladder = [ladder[0], ladder[-1]]
    if variants:
        ladder = ladder + stance_variants()
    print(f"Stance: 5-fold CV grouped by doc_id on stance/train.jsonl ({len(labels)} passages, {len(set(groups))} articles)")
    print(f"{'configuration':62s} {'macro-F1 [95% CI]':26s} {'F_avg [95% CI]':26s} {'F1 pro':>7s} {'F1 anti':>7s} {'time':>6s}")
    out: dict[str, Any] = {}
    preds: dict[str, list] = {}
    for name, model in ladder:
        t0 = time.perf_counter()
        cv = cross_validate(model, texts, labels, groups=groups, n_splits=5, stance=True, n_bootstrap=500)
        seconds = time.perf_counter() - t0
        m = cv["metrics"]
        preds[name] = cv["predictions"]["y_pred"]
        pc = m["per_class"]
        print(
            f"{name:62s} {format_metric(m, 'macro_f1'):26s} {format_metric(m, 'f_avg'):26s} "
            f"{pc['pro']['f1']:7.4f} {pc['anti']['f1']:7.4f} {seconds:5.0f}s",
            flush=True,
        )
        out[name] = {"macro_f1": m["macro_f1"], "f_avg": m["f_avg"], "ci": m["ci"], "per_class": pc, "seconds": seconds}
    first, last = ladder[0][0], next(name for name, _ in ladder if "(shipped)" in name)
    for metric in ("f_avg", "macro_f1"):
        r = paired_bootstrap(labels, preds[last], preds[first], metric=metric, groups=groups, n_bootstrap=1000)
        print(
            f"shipped - baseline, {metric}: {r['difference']:+.4f}, 95% CI [{r['ci'][0]:+.4f}, {r['ci'][1]:+.4f}], "
            f"paired bootstrap over articles p = {r['p_value']:.4f}"
        )
        out[f"paired_{metric}"] = r
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("tasks", nargs="*", choices=("topic", "eras", "stance"), default=["topic", "stance"],
                        help="eras: the topic model's era cross-validation (4 fits of the topic model)")
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--quick", action="store_true", help="stance: only the baseline and the shipped configuration")
    parser.add_argument("--variants", action="store_true", help="stance: also the ideas tried and left out")
    parser.add_argument("--limit", type=int, default=None,
                        help="topic, eras: first N train and test articles (of each era; smoke runs)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    for task in args.tasks or ["topic", "stance"]:
        if task == "stance":
            results[task] = run_stance(args.data_dir, args.quick, args.variants)
        else:
            results[task] = (run_topic if task == "topic" else run_eras)(args.data_dir, args.limit)
        print()
    if args.out:
        atomic_write(args.out, json.dumps(to_jsonable(results), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
