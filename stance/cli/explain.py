"""``stance explain``: why an article got its topic and stance; or a model's top features.

The article is ``--file PATH``, ``--text TEXT``, or one argument: an existing file is read as the article
(and the output says which file was read); a folder, or something that looks like a file name but does not
exist, is refused with a hint (exit 2), never explained as if it were the article's words.

Examples
--------
>>> looks_like_path("seeds/002.txt"), looks_like_path("bai-bao.HTML"), looks_like_path("Quân Mỹ rút khỏi Iraq.")
(True, True, False)
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .common import add_model_options, load_model, load_models

__all__ = ["HELP", "add_arguments", "looks_like_path", "run"]

HELP = "why an article got its topic and stance; or a model's top features"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("article", nargs="?", metavar="FILE_OR_TEXT",
                   help="an article file (.txt, .html), or the article's text in quotes")
    p.add_argument("--file", type=Path, help="read the article from this file (any encoding stance reads)")
    p.add_argument("--text", default=None, help="the article's text, taken as text even if it names a file")
    p.add_argument("--n", type=int, default=None, help="features listed per label (default 10; 20 with --top-features)")
    p.add_argument("--top-features", action="store_true", help="list the largest weights of each label of a model")
    p.add_argument("--task", choices=("topic", "stance"), default="stance", help="--top-features: which default model")
    p.add_argument("--model", type=Path, help="--top-features: a model file instead of the default one")
    add_model_options(p)


def run(args: argparse.Namespace) -> int:
    from ..explain import explain, render_top_features, top_features

    if args.top_features:
        if args.article is not None or args.file is not None or args.text is not None:
            print("stance explain: --top-features takes no article (FILE, --file or --text)", file=sys.stderr)
            return 2
        if args.model is not None:
            model = load_model(args.model, option="--model", role="any", trusted=args.trusted, explainable=True)
        else:
            topic_model, stance_model = load_models(args, explainable=True)
            model = topic_model if args.task == "topic" else stance_model
        print(render_top_features(top_features(model, n=20 if args.n is None else args.n)), end="")
        return 0
    given = [x for x in (args.article, args.file, args.text) if x is not None]
    if len(given) != 1:
        print("stance explain: give one article: FILE, --file PATH or --text TEXT (or use --top-features)",
              file=sys.stderr)
        return 2
    path = args.file
    if args.article is not None:
        if os.path.isdir(args.article):
            print(f"stance explain: error: {args.article} is a folder; explain reads one article: give one file "
                  "(stance classify reads folders)", file=sys.stderr)
            return 2
        if os.path.isfile(args.article):
            path = Path(args.article)
        elif looks_like_path(args.article):
            print(f"stance explain: error: {args.article}: no such file; to explain these words as the article's text, "
                  "pass --text", file=sys.stderr)
            return 2
    if path is not None:
        from ..text.io import read_document

        text = read_document(path)
        print(f"file: {path} ({len(text):,} characters read)")
    else:
        text = args.article if args.text is None else args.text
    topic_model, stance_model = load_models(args, explainable=True)
    explanation = explain(text, topic_model=topic_model, stance_model=stance_model, n=10 if args.n is None else args.n)
    print(explanation.to_text(), end="")
    return 0


def looks_like_path(arg: str) -> bool:
    """True for one word with a folder separator or a file suffix (``a/b``, ``x.txt``): a file name, not an
    article's text (which has spaces)."""
    return not re.search(r"\s", arg) and bool(re.search(r"[/\\]|\.[A-Za-z][A-Za-z0-9]{0,4}$", arg))
