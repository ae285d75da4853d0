"""The ``stance`` command: a thin layer of argparse sub-commands over the library.

``main(argv) -> int`` is the console script's entry point; every sub-command is a pair of functions,
one adding its arguments and one running it, registered in :data:`COMMANDS`.

Examples
--------
>>> main(["classify", "--format", "jsonl", "seeds/000_4dc289d512b6f0d6.txt"])  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, Mapping, Sequence, TextIO

__all__ = ["main", "COMMANDS"]

_SNIPPET = 150


def _snippet(text: str, width: int = _SNIPPET) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _scores_line(scores: Mapping[str, float]) -> str:
    return " · ".join(f"{k} {v:.2f}" for k, v in scores.items())


def _print_result(path: str, result, out: TextIO, *, show_passages: bool) -> None:
    ranked = sorted(result.topic_scores.items(), key=lambda kv: -kv[1])
    from .labels import topic_display_name

    runner_up = f"   (next: {topic_display_name(ranked[1][0])} {ranked[1][1]:.2f})" if len(ranked) > 1 else ""
    print(path, file=out)
    print(f"  topic    {result.topic_name} [{result.topic}] {ranked[0][1]:.2f}{runner_up}", file=out)
    print(f"  stance   {result.stance:<9}  {_scores_line(result.stance_scores)}", file=out)
    counts: dict[str, int] = {}
    for p in result.passages:
        counts[p.stance] = counts.get(p.stance, 0) + 1
    print(
        f"  passages {len(result.passages)}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())),
        file=out,
    )
    if result.evidence:
        print("  evidence", file=out)
        for p in result.evidence:
            print(f"    [{p.index}] {p.stance} {p.stance_scores[p.stance]:.2f}  {_snippet(p.text)}", file=out)
    if show_passages:
        print("  all passages", file=out)
        for p in result.passages:
            print(f"    [{p.index}] {p.stance:<9} {_scores_line(p.stance_scores)}", file=out)
            print(f"        {_snippet(p.text)}", file=out)
    print(file=out)


# --------------------------------------------------------------------------------------------------
# classify


def _add_classify(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="text files or folders (folders: every *.txt, recursively)")
    p.add_argument("--format", choices=("text", "jsonl"), default="text", help="output format (default text)")
    p.add_argument("--passages", action="store_true", help="text format: also list every passage")
    p.add_argument("--topic-model", type=Path, help="a topic model file instead of the shipped one")
    p.add_argument("--stance-model", type=Path, help="a stance model file instead of the shipped one")
    p.add_argument("--trusted", action="store_true", help="allow loading model files that are not stance's own")
    p.add_argument("--batch-size", type=int, default=256, help="documents classified together (default 256)")


def _models(args: argparse.Namespace):
    from .api import Models, default_models
    from .artefacts import load

    if not args.topic_model and not args.stance_model:
        return default_models()
    base = default_models()
    return Models(
        topic=load(args.topic_model, trusted=args.trusted) if args.topic_model else base.topic,
        stance=load(args.stance_model, trusted=args.trusted) if args.stance_model else base.stance,
    )


def _run_classify(args: argparse.Namespace) -> int:
    from .api import classify_batch
    from .textio import iter_documents

    models = _models(args)
    failures = 0
    batch: list = []

    def flush() -> None:
        nonlocal failures
        good = [r for r in batch if r.error is None]
        results = {}
        if good:
            try:
                for r, res in zip(good, classify_batch([r.text for r in good], models=models)):
                    results[r.path] = res
            except (TypeError, ValueError):
                for r in good:  # find the culprit one by one; the rest still get results
                    try:
                        results[r.path] = classify_batch([r.text], models=models)[0]
                    except (TypeError, ValueError) as e:
                        results[r.path] = e
        for r in batch:
            res = results.get(r.path) if r.error is None else None
            error = r.error if r.error is not None else (str(res) if isinstance(res, Exception) else None)
            if error is not None:
                failures += 1
            if args.format == "jsonl":
                row = {"path": r.path, "error": error}
                if error is None:
                    row.update(res.to_dict())
                print(json.dumps(row, ensure_ascii=False), flush=False)
            elif error is not None:
                print(f"{r.path}\n  error    {error}\n", file=sys.stdout)
            else:
                _print_result(r.path, res, sys.stdout, show_passages=args.passages)
        batch.clear()

    for record in iter_documents(args.paths):
        batch.append(record)
        if len(batch) >= max(1, args.batch_size):
            flush()
    flush()
    sys.stdout.flush()
    if failures:
        print(f"stance classify: {failures} document(s) could not be classified (see 'error')", file=sys.stderr)
    return 1 if failures else 0


# --------------------------------------------------------------------------------------------------
# train


def _add_train(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", nargs="?", type=Path, help="your labelled data: .jsonl, .csv/.tsv or a folder per label")
    p.add_argument("--out", type=Path, help="model file to write (*.joblib); a manifest and a model card go beside it")
    p.add_argument(
        "--task",
        default=None,
        help="'topic' or 'stance' without DATA: rebuild a default model from --data-dir; "
        "with DATA: any name for your task",
    )
    p.add_argument("--data-dir", type=Path, default=None, help="shared data folder (default ../shared/data)")
    p.add_argument("--text-field", default="text")
    p.add_argument("--label-field", default="label")
    p.add_argument("--format", choices=("jsonl", "csv", "tsv", "folder"), default=None)
    p.add_argument("--group-field", default=None, help="field grouping related texts (e.g. doc_id) for CV")
    p.add_argument("--cv-folds", type=int, default=5)
    p.add_argument("--allow-duplicates", action="store_true", help="warn about repeated texts instead of failing")


def _run_train(args: argparse.Namespace) -> int:
    from .train import DEFAULT_DATA_DIR, train, train_default

    if args.data is None:
        if args.task not in ("topic", "stance"):
            print("stance train: give DATA, or --task topic|stance to rebuild a default model", file=sys.stderr)
            return 2
        manifest = train_default(args.task, data_dir=args.data_dir or DEFAULT_DATA_DIR, out=args.out)
        out = args.out or Path("stance/models") / f"{args.task}.joblib"
    else:
        if args.out is None:
            print("stance train: --out MODEL is required with DATA", file=sys.stderr)
            return 2
        manifest = train(
            args.data,
            args.out,
            task=args.task or "custom",
            text_field=args.text_field,
            label_field=args.label_field,
            format=args.format,
            group_field=args.group_field,
            cv_folds=args.cv_folds,
            allow_duplicates=args.allow_duplicates,
        )
        out = args.out
    m = manifest["metrics"]
    f_avg = f", F_avg {m['f_avg']:.4f}" if m.get("f_avg") is not None else ""
    print(
        f"wrote {out} ({manifest['payload']['bytes'] / 1e6:.1f} MB): {len(manifest['labels'])} labels, "
        f"{manifest['n_examples']} examples; cross-validated accuracy {m['accuracy']:.4f}, "
        f"macro-F1 {m['macro_f1']:.4f}{f_avg}"
    )
    return 0


# --------------------------------------------------------------------------------------------------
# explain


def _add_explain(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", nargs="?", help="the article text (or use --file)")
    p.add_argument("--file", type=Path, help="read the article from this file (any encoding stance reads)")
    p.add_argument("--n", type=int, default=None, help="features listed per label (default 10; 20 with --top-features)")
    p.add_argument("--top-features", action="store_true", help="list the largest weights of each label of a model")
    p.add_argument("--task", choices=("topic", "stance"), default="stance", help="--top-features: which default model")
    p.add_argument("--model", type=Path, help="--top-features: a model file instead of the default one")
    p.add_argument("--topic-model", type=Path, help="a topic model file instead of the shipped one")
    p.add_argument("--stance-model", type=Path, help="a stance model file instead of the shipped one")
    p.add_argument("--trusted", action="store_true", help="allow loading model files that are not stance's own")


def _run_explain(args: argparse.Namespace) -> int:
    from .explain import explain, render_top_features, top_features

    if args.top_features:
        if args.text is not None or args.file is not None:
            print("stance explain: --top-features takes no TEXT or --file", file=sys.stderr)
            return 2
        if args.model is not None:
            from .artefacts import load

            model = load(args.model, trusted=args.trusted)
        else:
            models = _models(args)
            model = models.topic if args.task == "topic" else models.stance
        print(render_top_features(top_features(model, n=20 if args.n is None else args.n)), end="")
        return 0
    if (args.text is None) == (args.file is None):
        print("stance explain: give the TEXT or --file PATH (one of them), or --top-features", file=sys.stderr)
        return 2
    if args.file is not None:
        from .textio import read_document

        text = read_document(args.file)
    else:
        text = args.text
    print(explain(text, models=_models(args), n=10 if args.n is None else args.n).to_text(), end="")
    return 0


# --------------------------------------------------------------------------------------------------
# suggest


def _add_suggest(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "unlabelled", nargs="+", type=Path,
        help="unlabelled texts: JSON Lines (.jsonl, .jsonl.xz; field 'text', other fields kept), "
        ".txt files or folders of them",
    )
    p.add_argument("--out", type=Path, required=True, help="JSON Lines file to write the picked texts to")
    p.add_argument("--n", type=int, default=50, help="how many texts to pick (default 50)")
    p.add_argument("--task", choices=("topic", "stance"), default=None, help="use a default model")
    p.add_argument("--model", type=Path, help="use this model file (from `stance train`)")
    p.add_argument("--trusted", action="store_true", help="allow loading model files that are not stance's own")
    p.add_argument(
        "--strategy", choices=("least_confidence", "margin", "entropy"), default="margin",
        help="how uncertainty is measured (default margin)",
    )
    p.add_argument("--text-field", default="text", help="text field of JSON Lines records (default text)")
    p.add_argument(
        "--passages", action="store_true",
        help="cut each text into passages first (for a stance model on whole articles)",
    )


def _run_suggest(args: argparse.Namespace) -> int:
    from collections import Counter

    from .suggest import read_unlabelled, split_passages, suggest, write_suggestions

    if (args.task is None) == (args.model is None):
        print("stance suggest: give one of --task topic|stance or --model MODEL", file=sys.stderr)
        return 2
    if args.n < 0:
        print(f"stance suggest: --n must be >= 0, got {args.n}", file=sys.stderr)
        return 2
    if args.model is not None:
        from .artefacts import load

        model = load(args.model, trusted=args.trusted)
    else:
        from .api import default_models

        model = getattr(default_models(), args.task)
    errors: list[str] = []
    items = read_unlabelled(args.unlabelled, text_field=args.text_field, errors=errors)
    for e in errors:
        print(f"stance suggest: skipped {e}", file=sys.stderr)
    if args.passages:
        items = split_passages(items)
    if not items:
        print("stance suggest: no texts to choose from", file=sys.stderr)
        return 2
    picked = suggest([it.text for it in items], model, n=args.n, strategy=args.strategy)
    write_suggestions(picked, args.out, fields=[it.fields for it in items])
    counts = Counter(s.suggested_label for s in picked)
    mean = sum(s.uncertainty for s in picked) / len(picked) if picked else 0.0
    print(
        f"wrote {args.out}: {len(picked)} of {len(items)} texts to label ({args.strategy}, mean uncertainty "
        f"{mean:.2f}); suggested labels: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none")
    )
    print("fill in each 'label' (now null), then: stance train FILE --out MODEL.joblib")
    return 1 if errors else 0


# --------------------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------------------
# evaluate


def _add_evaluate(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", type=Path, help="labelled data: .jsonl(.xz), .csv/.tsv or a folder per label")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--model", type=Path, help="score this trained model on DATA (needs --trusted unless shipped)")
    which.add_argument("--task", choices=("topic", "stance"), help="score the shipped topic or stance model on DATA")
    p.add_argument("--cv", type=int, default=0, metavar="K",
                   help="instead of scoring a trained model, cross-validate a fresh one on DATA with K folds "
                   "(the --task configuration, else a TextClassifier)")
    p.add_argument("--group-field", default=None, help="field grouping related texts (e.g. doc_id): grouped folds "
                   "and a bootstrap over groups")
    p.add_argument("--by", default=None, help="also break the scores down by this field (e.g. source)")
    p.add_argument("--learning-curve", action="store_true", help="with --cv: add a learning curve")
    p.add_argument("--report", type=Path, default=None, help="write report.json, report.md and PNG figures here")
    p.add_argument("--text-field", default="text")
    p.add_argument("--label-field", default="label")
    p.add_argument("--format", choices=("jsonl", "csv", "tsv", "folder"), default=None)
    p.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the 95%% intervals")
    p.add_argument("--trusted", action="store_true", help="allow loading a model file that is not stance's own")


def _run_evaluate(args: argparse.Namespace) -> int:
    from . import evaluate as ev
    from .data import read_labelled

    data = read_labelled(args.data, text_field=args.text_field, label_field=args.label_field, format=args.format,
                         allow_duplicates=True)
    texts, labels = list(data.texts), list(data.labels)
    groups = list(data.meta_field(args.group_field)) if args.group_field else None
    meta = list(data.meta) if args.by else None
    stance_task = {"pro", "anti"} <= set(labels)
    if args.cv:
        from .models import TextClassifier
        from .train import stance_model, topic_model

        model = {"topic": topic_model, "stance": stance_model}[args.task]() if args.task else TextClassifier(
            class_weight="balanced")
        result = ev.cross_validate(model, texts, labels, groups=groups, n_splits=args.cv, stance=stance_task,
                                   n_bootstrap=args.bootstrap, meta=meta, by=args.by)
        if args.learning_curve:
            result["learning_curve"] = ev.learning_curve(model, texts, labels, groups=groups, n_splits=args.cv)
        m = result["metrics"]
        what = f"{args.cv}-fold {'grouped ' if groups else ''}CV of {type(model).__name__} on {args.data.name}"
    else:
        if args.model is None and args.task is None:
            print("stance evaluate: give --model MODEL, --task topic|stance, or --cv K", file=sys.stderr)
            return 2
        if args.model is not None:
            from .artefacts import load

            model = load(args.model, trusted=args.trusted)
        else:
            from .api import default_models

            model = getattr(default_models(), args.task)
        result = ev.evaluate(model, texts, labels, meta=meta, by=args.by, stance=stance_task,
                             n_bootstrap=args.bootstrap, bootstrap_groups=groups)
        m = result
        what = f"{Path(args.model).name if args.model else 'shipped ' + args.task + ' model'} on {args.data.name}"
    _print_metrics(what, m, len(labels))
    if args.report:
        from .report import write_report

        out = write_report(result, args.report, title=what)
        print(f"report written to {out}/ (report.md, report.json, figures)")
    return 0


def _print_metrics(what: str, m: Mapping, n: int) -> None:
    ci = m.get("ci") or {}

    def fmt(name: str) -> str:
        value, interval = m.get(name), ci.get(name)
        if value is None:
            return "–"
        return f"{value:.4f} [{interval[0]:.4f}, {interval[1]:.4f}]" if interval and interval[0] is not None else f"{value:.4f}"

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


Command = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]

COMMANDS: dict[str, Command] = {
    "classify": ("topic and stance of articles, with evidence passages", _add_classify, _run_classify),
    "train": ("train a model on labelled data, or rebuild a default one", _add_train, _run_train),
    "evaluate": ("score a model on labelled data, or cross-validate one; reports with figures", _add_evaluate,
                 _run_evaluate),
    "explain": ("why an article got its topic and stance; or a model's top features", _add_explain, _run_explain),
    "suggest": ("pick the unlabelled texts a model is least sure about, for labelling", _add_suggest, _run_suggest),
}


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="stance",
        description="Topic and stance toward US military presence abroad in Vietnamese news.",
    )
    parser.add_argument("--version", action="version", version=f"stance {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, add, run) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add(p)
        p.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``stance`` command with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Exit status: 0 success, 1 some input could not be processed (the output says which), 2 bad usage
    or an error that stopped the command (the message says what).
    """
    from .artefacts import ArtefactError
    from .data import DataError

    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (ArtefactError, DataError, FileNotFoundError, ValueError) as e:
        print(f"stance {args.command}: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
