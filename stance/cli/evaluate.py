"""``stance evaluate``: score a model on labelled data, or cross-validate one; reports with figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Mapping

from ..display import display_path
from .common import add_trusted_option

__all__ = ["HELP", "add_arguments", "run"]

HELP = "score a model on labelled data, or cross-validate one; reports with figures"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", type=Path, help="labelled data: .jsonl(.xz), .csv/.tsv or a folder per label")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--model", type=Path, help="score this trained model on DATA")
    which.add_argument("--task", choices=("topic", "stance"), help="score the shipped topic or stance model on DATA")
    p.add_argument("--cv", type=int, default=0, metavar="K",
                   help="instead of scoring a trained model, cross-validate a fresh one on DATA with K folds "
                   "(the --task configuration, else what `stance train DATA` trains)")
    p.add_argument("--group-field", default=None, help="field grouping related texts (e.g. doc_id): grouped folds "
                   "and a bootstrap over groups")
    p.add_argument("--by", default=None, help="also break the scores down by this field (e.g. source)")
    p.add_argument("--learning-curve", action="store_true", help="with --cv: add a learning curve")
    p.add_argument("--report", type=Path, default=None, help="write report.json, report.md and PNG figures here")
    p.add_argument("--text-field", default="text")
    p.add_argument("--label-field", default="label")
    p.add_argument("--format", choices=("jsonl", "csv", "tsv", "folder"), default=None)
    p.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the 95%% intervals")
    add_trusted_option(p)
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def run(args: argparse.Namespace) -> int:
    from ..evaluation.metrics import evaluate
    from ..evaluation.protocols import cross_validate, learning_curve
    from ..training.data import read_labelled

    data = read_labelled(args.data, text_field=args.text_field, label_field=args.label_field, format=args.format,
                         allow_duplicates=True)
    texts, labels = list(data.texts), list(data.labels)
    groups = data.groups(args.group_field) if args.group_field else None
    meta = list(data.meta) if args.by else None
    stance_task = {"pro", "anti"} <= set(labels)
    progress = False if args.quiet else None
    if args.cv:
        from ..estimators.pipeline import final_estimator
        from ..training.configs import own_data_model, stance_model, topic_model

        model = {"topic": topic_model, "stance": stance_model, None: own_data_model}[args.task]()
        result = cross_validate(model, texts, labels, groups=groups, n_splits=args.cv, stance=stance_task,
                                   n_bootstrap=args.bootstrap, meta=meta, by=args.by, progress=progress)
        if args.learning_curve:
            result["learning_curve"] = learning_curve(model, texts, labels, groups=groups, n_splits=args.cv,
                                                      progress=progress)
        m = result["metrics"]
        what = (f"{args.cv}-fold {'grouped ' if groups else ''}CV of {type(final_estimator(model)).__name__} "
                f"on {display_path(args.data.name)}")
    else:
        if args.model is None and args.task is None:
            print("stance evaluate: give --model MODEL, --task topic|stance, or --cv K", file=sys.stderr)
            return 2
        if args.model is not None:
            from .common import load_model

            model = load_model(args.model, option="--model", role="any", trusted=args.trusted)
        else:
            from ..api import pretrained_model

            model = pretrained_model(args.task)
        result = evaluate(model, texts, labels, meta=meta, by=args.by, stance=stance_task,
                             n_bootstrap=args.bootstrap, bootstrap_groups=groups, progress=progress)
        m = result
        model_name = display_path(Path(args.model).name) if args.model else f"shipped {args.task} model"
        what = f"{model_name} on {display_path(args.data.name)}"
    _print_metrics(what, m, len(labels))
    if args.report:
        from ..evaluation.report import write_report

        out = write_report(result, args.report, title=what)
        print(f"report written to {display_path(out)}/ (report.md, report.json, figures)")
    return 0


def _print_metrics(what: str, m: Mapping, n: int) -> None:
    from ..display import format_metric

    def fmt(name: str) -> str:
        return format_metric(m, name)

    print(f"{what}: {n} examples")
    print(f"  accuracy  {fmt('accuracy')}")
    print(f"  macro-F1  {fmt('macro_f1')}")
    if m.get("weighted_f1") is not None:
        print(f"  weighted-F1 {m['weighted_f1']:.4f}")
    if m.get("f_avg") is not None:
        print(f"  F_avg     {fmt('f_avg')}   (mean F1 of pro and anti)")
    if m.get("calibration"):
        print(f"  ECE       {m['calibration']['ece']:.4f}")
    print("  per class  precision  recall  F1      support")
    for label, pc in m["per_class"].items():
        print(f"    {label:<16} {pc['precision']:.4f}  {pc['recall']:.4f}  {pc['f1']:.4f}  {pc['support']}")
    if m.get("by"):
        print(f"  by {m['by']['field']}")
        for value, g in m["by"]["groups"].items():
            f_avg = f", F_avg {g['f_avg']:.4f}" if g.get("f_avg") is not None else ""
            print(f"    {value:<16} accuracy {g['accuracy']:.4f}, macro-F1 {g['macro_f1']:.4f}{f_avg}, n={g['n']}")
