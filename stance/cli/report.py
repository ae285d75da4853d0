"""``stance report``: a corpus report (plots, tables, report.json) from a results table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..display import display_path

__all__ = ["HELP", "add_arguments", "run"]

HELP = "a corpus report (HTML with plots, and report.json) from a results table, grouped by fields"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ..views.summary import MIN_GROUP

    p.add_argument("results", type=Path, help="a results table: .jsonl, .json, .csv, .tsv or .parquet "
                                              "(what 'stance classify --out' writes)")
    p.add_argument("--by", action="append", default=[], metavar="FIELD",
                   help="group by this field (repeat for several; a field of ISO dates is grouped by month)")
    p.add_argument("--out", type=Path, required=True, help="the folder to write (index.html, report.json)")
    p.add_argument("--min-group", type=int, default=MIN_GROUP,
                   help=f"groups with fewer articles are marked too few to read (default {MIN_GROUP})")
    p.add_argument("--top", type=int, default=10, help="most pro and most anti articles listed (default 10)")
    p.add_argument("--title", help="the page's heading")


def run(args: argparse.Namespace) -> int:
    from ..views.corpus import corpus_report

    out = corpus_report(args.results, args.by, args.out, min_group=args.min_group, top=args.top, title=args.title)
    print(f"{display_path(out / 'index.html')}, {display_path(out / 'report.json')}", file=sys.stderr)
    return 0
