"""``stance explain``: why an article got its topic and stance; or a model's top features."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import add_model_options, load_model, load_models

__all__ = ["HELP", "add_arguments", "run"]

HELP = "why an article got its topic and stance; or a model's top features"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", nargs="?", help="the article text (or use --file)")
    p.add_argument("--file", type=Path, help="read the article from this file (any encoding stance reads)")
    p.add_argument("--n", type=int, default=None, help="features listed per label (default 10; 20 with --top-features)")
    p.add_argument("--top-features", action="store_true", help="list the largest weights of each label of a model")
    p.add_argument("--task", choices=("topic", "stance"), default="stance", help="--top-features: which default model")
    p.add_argument("--model", type=Path, help="--top-features: a model file instead of the default one")
    add_model_options(p)


def run(args: argparse.Namespace) -> int:
    from ..explain import explain, render_top_features, top_features

    if args.top_features:
        if args.text is not None or args.file is not None:
            print("stance explain: --top-features takes no TEXT or --file", file=sys.stderr)
            return 2
        if args.model is not None:
            model = load_model(args.model, option="--model", role="any", trusted=args.trusted, explainable=True)
        else:
            topic_model, stance_model = load_models(args, explainable=True)
            model = topic_model if args.task == "topic" else stance_model
        print(render_top_features(top_features(model, n=20 if args.n is None else args.n)), end="")
        return 0
    if (args.text is None) == (args.file is None):
        print("stance explain: give the TEXT or --file PATH (one of them), or --top-features", file=sys.stderr)
        return 2
    if args.file is not None:
        from ..text.io import read_document

        text = read_document(args.file)
    else:
        text = args.text
    topic_model, stance_model = load_models(args, explainable=True)
    explanation = explain(text, topic_model=topic_model, stance_model=stance_model, n=10 if args.n is None else args.n)
    print(explanation.to_text(), end="")
    return 0
