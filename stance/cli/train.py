"""``stance train``: train a model on labelled data, or rebuild a default one.

``--task topic|stance`` without DATA rebuilds a default model from the shared data folder: ``--data-dir``,
else ``$STANCE_DATA``, else ``../shared/data`` from the current directory; when its file is missing the
error names all three. Without ``--out`` the model replaces the package's own default (the file
``stance classify`` loads); the output says where it wrote and how the model is used.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import Mapping

__all__ = ["HELP", "add_arguments", "run"]

HELP = "train a model on labelled data, or rebuild a default one"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", nargs="?", type=Path, help="your labelled data: .jsonl, .csv/.tsv or a folder per label")
    p.add_argument(
        "--out", type=Path,
        help="model file to write (one file, any name; MODEL.stance by convention), a model card (.md) beside it; "
        "it may replace a stance model file, never a folder, an input or another file",
    )
    p.add_argument(
        "--task",
        default=None,
        help="'topic' or 'stance' without DATA: rebuild a default model from --data-dir; "
        "with DATA: any name for your task",
    )
    p.add_argument("--data-dir", type=Path, default=None,
                   help="--task topic|stance: the shared data folder (default $STANCE_DATA, else ../shared/data)")
    p.add_argument("--text-field", default="text")
    p.add_argument("--label-field", default="label")
    p.add_argument("--format", choices=("jsonl", "csv", "tsv", "folder"), default=None)
    p.add_argument("--group-field", default=None, help="field grouping related texts (e.g. doc_id) for CV")
    p.add_argument("--cv-folds", type=int, default=5)
    p.add_argument("--allow-duplicates", action="store_true", help="keep repeated texts (with a warning) instead of failing")
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def _shell_word(path: Path) -> str:
    """``path`` quoted for a POSIX shell; a name that is not UTF-8 as ``$'...'`` with its bytes escaped."""
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "$'" + "".join(chr(b) if 32 <= b < 127 and b not in b"'\\" else f"\\x{b:02x}"
                              for b in os.fsencode(name)) + "'"
    return shlex.quote(name)


def _usage(out: Path, manifest: Mapping) -> list[str]:
    """How to use the model just written: commands to copy, with the path quoted for the shell."""
    from ..display import display_path
    from ..persist import card_path
    from .common import model_role

    q = _shell_word(out)
    role = model_role(manifest["labels"])
    return [
        f"model card: {display_path(card_path(out))}",
        "use it (it loads without --trusted: a model file stance writes cannot run code):",
        f"  stance classify --{role}-model {q} FILES...",
        f"  stance evaluate TEST_DATA --model {q}",
        f"  stance explain --top-features --model {q}",
        f"  python: stance.load({str(out)!r})",
    ]


def _default_data(task: str, given: Path | None) -> Path | None:
    """The data folder of a default task when every data file of the task is in it, else None after saying (on
    standard error) which file is missing and where it was looked for."""
    from ..training.configs import DATA_ENV, DEFAULT_TASKS, data_dir

    folder = data_dir(given)
    files = list(DEFAULT_TASKS[task]["data"])
    missing = [name for name in files if not (folder / name).is_file()]
    if not missing:
        return folder
    source = ("--data-dir" if given is not None else f"${DATA_ENV}" if os.environ.get(DATA_ENV)
              else f"the default, relative to {Path.cwd()}")
    print(f"stance train: error: the {task} training data is not at {folder / missing[0]} ({source}).\n"
          f"  Pass --data-dir DIR, or set {DATA_ENV}=DIR, where DIR holds {', '.join(files)} "
          "(the project's shared data folder; see its README).", file=sys.stderr)
    return None


def _say(out: Path, manifest: Mapping, *, default: bool) -> None:
    from ..display import display_path

    m = manifest["metrics"]
    f_avg = f", F_avg {m['f_avg']:.4f}" if m.get("f_avg") is not None else ""
    print(
        f"wrote {display_path(out)} ({manifest['payload']['bytes'] / 1e6:.1f} MB): {len(manifest['labels'])} labels, "
        f"{manifest['n_examples']} examples; cross-validated accuracy {m['accuracy']:.4f}, "
        f"macro-F1 {m['macro_f1']:.4f}{f_avg}"
    )
    if default:
        from ..persist import card_path

        print(f"model card: {display_path(card_path(out))}")
        print(f"this is now the default {manifest['task']} model of this installation: stance classify, explain "
              "and stance.classify() use it without options")
    else:
        print("\n".join(_usage(out, manifest)))


def run(args: argparse.Namespace) -> int:
    from ..persist import PRETRAINED, SUFFIX
    from ..training.labelled import DataError
    from ..training.train import train, train_default

    if args.data is None:
        if args.task not in ("topic", "stance"):
            print("stance train: give DATA, or --task topic|stance to rebuild a default model", file=sys.stderr)
            return 2
        folder = _default_data(args.task, args.data_dir)
        if folder is None:
            return 2
        out = args.out or PRETRAINED / f"{args.task}{SUFFIX}"
        if args.out is None and not os.access(PRETRAINED, os.W_OK):
            print(f"stance train: error: cannot write the installed default models in {PRETRAINED}; "
                  f"pass --out MODEL{SUFFIX}", file=sys.stderr)
            return 2
        manifest = train_default(args.task, data_dir=folder, out=out,
                                 progress=False if args.quiet else None)
        _say(out, manifest, default=args.out is None)
        return 0
    if args.out is None:
        print(f"stance train: --out MODEL{SUFFIX} is required with DATA", file=sys.stderr)
        return 2
    try:
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
            progress=False if args.quiet else None,
        )
    except DataError as e:
        hints = []
        if any(p.message.startswith("duplicate text") for p in e.problems):
            hints.append("pass --allow-duplicates to keep repeated texts, with a warning")
        if any("needed):" in p.message for p in e.problems):
            hints.append(f"{args.cv_folds}-fold cross-validation needs {args.cv_folds} examples of every label: "
                         "add examples, or pass a smaller --cv-folds")
        if not hints:
            raise
        print(f"stance train: error: {e}" + "".join(f"\n  ({h})" for h in hints), file=sys.stderr)
        return 2
    _say(args.out, manifest, default=False)
    return 0
