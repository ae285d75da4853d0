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
* ``stance``: the stance model on text it has not seen (:mod:`stance.evaluation.held_out`), in one run:
  (a) whole articles (``stance/articles.jsonl``), 3 x 5-fold CV with each held-out article's passages kept out
  of training: accuracy and macro-F1 of the shipped article model, of the rule of stance < 0.3 on the same
  passage probabilities, and of the plain baseline (syllable 1–2-gram TF-IDF + balanced LR, C=3) on the whole
  text; (b) passages, leave-one-source-out on ``stance/train.jsonl``: F_avg (mean F1 of ``pro`` and ``anti``)
  and macro-F1 of the shipped passage configuration and of the plain baseline trained on ``train.jsonl`` only.

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
from stance.estimators.pipeline import fit_with_groups
from stance.evaluation.held_out import article_cv, passage_loso, read_stance_data
from stance.evaluation.metrics import metrics
from stance.evaluation.stats import paired_bootstrap
from stance.files import atomic_write, to_jsonable
from stance.text.segment import TOKEN_PATTERN
from stance.training.configs import DEFAULT_TASKS, topic_model
from stance.training.eras import era_sample_weight, read_eras
from stance.training.data import read_labelled

DATA = Path("../shared/data")


def topic_baseline():
    """Plain baseline of the topic task: syllable 1–2-gram TF-IDF + LinearSVC, default parameters."""
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), token_pattern=TOKEN_PATTERN), LinearSVC())


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


def run_stance(data_dir: Path, quick: bool) -> dict[str, Any]:
    data = read_stance_data(data_dir)
    n_repeats = 1 if quick else 3
    t0 = time.perf_counter()
    arts = article_cv(data, n_repeats=n_repeats, n_splits=5)
    print(f"(a) Articles: {n_repeats} x 5-fold CV on stance/articles.jsonl ({arts['n_articles']} articles); every "
          "model trained without the held-out articles' passages")
    print(f"{'method':48s} {'accuracy':>9s} {'macro-F1':>9s} {'F_avg':>7s}   Δ accuracy [95% CI]     Δ macro-F1 [95% CI]")
    for name, m in arts["methods"].items():
        d = arts["differences"].get(name)
        delta = "" if d is None else "   ".join(
            f"{d[k]['difference']:+.3f} [{d[k]['ci'][0]:+.3f}, {d[k]['ci'][1]:+.3f}]" for k in ("accuracy", "macro_f1"))
        print(f"{name:48s} {m['accuracy']:9.3f} {m['macro_f1']:9.3f} {m['f_avg']:7.3f}   {delta}")
    print(f"(Δ: against the plain baseline; {time.perf_counter() - t0:.0f} s)")
    print()
    t0 = time.perf_counter()
    loso = passage_loso(data)
    sources = list(loso["sources"])
    print("(b) Passages: leave-one-source-out on stance/train.jsonl (train on two sources, test on the third); "
          "F_avg / macro-F1")
    print(f"{'configuration':48s} " + " ".join(f"{s:>15s}" for s in sources) + f" {'mean':>15s}")
    for name in loso["methods"]:
        cells = [f"{loso['sources'][s][name]['f_avg']:.3f} / {loso['sources'][s][name]['macro_f1']:.3f}" for s in sources]
        mean = loso["mean"][name]
        print(f"{name:48s} " + " ".join(f"{c:>15s}" for c in cells) + f" {mean['f_avg']:.3f} / {mean['macro_f1']:.3f}")
    for k, d in loso["difference"].items():
        print(f"shipped - baseline, mean {k}: {d['difference']:+.3f}, 95% CI [{d['ci'][0]:+.3f}, {d['ci'][1]:+.3f}] "
              f"(articles resampled within each source), higher in {d['sources_up']} of {len(sources)} sources")
    sizes = ", ".join(f"{s} {loso['sources'][s][loso['methods'][0]]['n']}" for s in sources)
    print(f"(passages per held-out source: {sizes}; {time.perf_counter() - t0:.0f} s)")
    return {"articles": arts, "passages": loso}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("tasks", nargs="*", choices=("topic", "eras", "stance"), default=["topic", "stance"],
                        help="eras: the topic model's era cross-validation (4 fits of the topic model)")
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--quick", action="store_true", help="stance: one repetition of the article CV instead of three")
    parser.add_argument("--limit", type=int, default=None,
                        help="topic, eras: first N train and test articles (of each era; smoke runs)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    for task in args.tasks or ["topic", "stance"]:
        if task == "stance":
            results[task] = run_stance(args.data_dir, args.quick)
        else:
            results[task] = (run_topic if task == "topic" else run_eras)(args.data_dir, args.limit)
        print()
    if args.out:
        atomic_write(args.out, json.dumps(to_jsonable(results), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
