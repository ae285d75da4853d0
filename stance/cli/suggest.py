"""``stance suggest``: pick the unlabelled texts a model is least sure about, for labelling."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..display import display_path
from .common import add_trusted_option

__all__ = ["HELP", "add_arguments", "run"]

HELP = "pick the unlabelled texts a model is least sure about, for labelling"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "unlabelled", nargs="+", type=Path,
        help="unlabelled texts: JSON Lines (.jsonl, .jsonl.xz; field 'text', other fields kept), "
        ".txt files or folders of them",
    )
    p.add_argument("--out", type=Path, required=True, help="JSON Lines file to write the picked texts to")
    p.add_argument("--n", type=int, default=50, help="how many texts to pick (default 50)")
    p.add_argument("--task", choices=("topic", "stance"), default=None, help="use a default model")
    p.add_argument("--model", type=Path, help="use this model file (from `stance train`)")
    add_trusted_option(p)
    p.add_argument(
        "--strategy", choices=("least_confidence", "margin", "entropy"), default="margin",
        help="how uncertainty is measured (default margin)",
    )
    p.add_argument("--text-field", default="text", help="text field of JSON Lines records (default text)")
    p.add_argument(
        "--passages", action="store_true",
        help="cut each text into passages first (for a stance model on whole articles)",
    )


def run(args: argparse.Namespace) -> int:
    from collections import Counter

    from ..training.suggest import read_unlabelled, split_passages, suggest, write_suggestions

    if (args.task is None) == (args.model is None):
        print("stance suggest: give one of --task topic|stance or --model MODEL", file=sys.stderr)
        return 2
    if args.n < 0:
        print(f"stance suggest: --n must be >= 0, got {args.n}", file=sys.stderr)
        return 2
    if args.model is not None:
        from .common import load_model

        model = load_model(args.model, option="--model", role="any", trusted=args.trusted)
    else:
        from ..api import pretrained_model

        model = pretrained_model(args.task)
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
        f"wrote {display_path(args.out)}: {len(picked)} of {len(items)} texts to label ({args.strategy}, mean uncertainty "
        f"{mean:.2f}); suggested labels: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none")
    )
    print("fill in each 'label' (now null), then: stance train FILE --out MODEL.stance")
    return 1 if errors else 0
