"""``stance classify``: topic and stance of articles, with evidence passages."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from ..labels import topic_display_name
from ..display import scores_line, shorten
from .common import SNIPPET, add_model_options, load_models

__all__ = ["HELP", "add_arguments", "run"]

HELP = "topic and stance of articles, with evidence passages"


def _print_result(path: str, result, out: TextIO, *, show_passages: bool) -> None:
    ranked = sorted(result.topic_scores.items(), key=lambda kv: -kv[1])
    runner_up = f"   (next: {topic_display_name(ranked[1][0])} {ranked[1][1]:.2f})" if len(ranked) > 1 else ""
    print(path, file=out)
    print(f"  topic    {result.topic_name} [{result.topic}] {ranked[0][1]:.2f}{runner_up}", file=out)
    print(f"  stance   {result.stance:<9}  {scores_line(result.stance_scores)}", file=out)
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
            print(f"    [{p.index}] {p.stance} {p.stance_scores[p.stance]:.2f}  {shorten(p.text, SNIPPET)}", file=out)
    if show_passages:
        print("  all passages", file=out)
        for p in result.passages:
            print(f"    [{p.index}] {p.stance:<9} {scores_line(p.stance_scores)}", file=out)
            print(f"        {shorten(p.text, SNIPPET)}", file=out)
    print(file=out)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="text files or folders (folders: every *.txt, recursively)")
    p.add_argument("--format", choices=("text", "jsonl"), default="text", help="output format (default text)")
    p.add_argument("--passages", action="store_true", help="text format: also list every passage")
    add_model_options(p)
    p.add_argument("--batch-size", type=int, default=256, help="documents classified together (default 256)")


def run(args: argparse.Namespace) -> int:
    from ..api import classify_batch
    from ..text.io import iter_documents

    topic_model, stance_model = load_models(args)
    failures = 0
    batch: list = []

    def flush() -> None:
        nonlocal failures
        good = [r for r in batch if r.error is None]
        results = {}
        if good:
            try:
                for r, res in zip(good, classify_batch([r.text for r in good], topic_model=topic_model, stance_model=stance_model)):
                    results[r.path] = res
            except (TypeError, ValueError):
                for r in good:  # find the culprit one by one; the rest still get results
                    try:
                        results[r.path] = classify_batch([r.text], topic_model=topic_model, stance_model=stance_model)[0]
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
