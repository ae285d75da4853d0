"""``stance view``: one article as a self-contained HTML page, its passages coloured by stance."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..display import display_path
from .common import add_model_options, load_models

__all__ = ["HELP", "add_arguments", "run"]

HELP = "one article as a self-contained HTML page, its passages coloured by stance"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="the article (a text or HTML file, any encoding stance reads)")
    p.add_argument("--out", type=Path, required=True, help="the HTML page to write")
    p.add_argument("--title", help="the headline (default: the article's first line after cleaning)")
    add_model_options(p)


def run(args: argparse.Namespace) -> int:
    from ..api import classify
    from ..files import atomic_write
    from ..text.io import read_document
    from ..views.article import article_page

    text = read_document(args.file)
    topic_model, stance_model = load_models(args)
    result = classify(text, topic_model=topic_model, stance_model=stance_model)
    html = article_page(text, result, title=args.title, source=display_path(args.file))
    atomic_write(args.out, html)
    print(f"{display_path(args.out)}: {result.stance} ({result.stance_scores[result.stance]:.2f}), topic {result.topic_name} "
          f"({result.topic_scores[result.topic]:.2f}), {len(result.passages)} passages", file=sys.stderr)
    return 0
