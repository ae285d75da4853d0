"""Model quality against plain baselines, measured in one run: ``python -m benchmarks.quality``.

* ``topic``: the shipped topic model and a plain ``TfidfVectorizer`` (syllable 1–2-grams) +
  ``LinearSVC`` baseline trained in this run on ``vntc/train``, both scored once on ``vntc/test``:
  accuracy and macro-F1 with 95% bootstrap intervals, and a paired bootstrap test of the difference.
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

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from stance.display import format_metric
from stance.evaluation.held_out import article_cv, passage_loso, read_stance_data
from stance.evaluation.metrics import metrics
from stance.evaluation.stats import paired_bootstrap
from stance.files import atomic_write, to_jsonable
from stance.text.segment import TOKEN_PATTERN
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
    print(f"Topic on vntc/test ({len(te_y)} articles); models trained on vntc/train ({len(tr_y)} articles)")
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
    parser.add_argument("tasks", nargs="*", choices=("topic", "stance"), default=["topic", "stance"])
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--quick", action="store_true", help="stance: one repetition of the article CV instead of three")
    parser.add_argument("--limit", type=int, default=None, help="topic: first N train and test articles (smoke runs)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    for task in args.tasks or ["topic", "stance"]:
        results[task] = run_topic(args.data_dir, args.limit) if task == "topic" else run_stance(args.data_dir, args.quick)
        print()
    if args.out:
        atomic_write(args.out, json.dumps(to_jsonable(results), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
