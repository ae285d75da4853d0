"""``stance classify``: topic and stance of articles (files, folders, tables), with evidence passages.

Thin over :mod:`stance.bulk`: without ``--out`` the rows go to standard output as text blocks or JSON Lines;
with ``--out`` they go to a results table (``.jsonl``, ``.csv``, ``.parquet``), committed chunk by chunk so
that ``--resume`` continues a run that was killed, and standard output gets a one-line summary.

Folders are read for ``.txt``, ``.html`` and ``.htm`` files (any case, recursively); the other files in them
are named on standard error as skipped. Inputs that hold no article at all (an empty folder, a table without
rows) are an error (exit 2); rows that could not be classified make the exit status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import BinaryIO, Sequence, TextIO

from .common import add_model_options, load_models

__all__ = ["HELP", "add_arguments", "folder_contents", "run"]

HELP = "topic and stance of articles (files, folders, tables), with evidence passages"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ..bulk.sources import FORMATS

    p.add_argument("paths", nargs="+", help="documents (.txt, .html; folders: recursively), tables with one "
                   "article per row (.jsonl[.xz], .csv, .tsv, .parquet), or - for standard input")
    p.add_argument("--out", default=None, metavar="PATH",
                   help="write a results table here (.jsonl, .csv or .parquet, from the suffix); resumable")
    p.add_argument("--format", choices=("text", "jsonl"), default="text",
                   help="standard output's format when there is no --out (default text)")
    p.add_argument("--passages", action="store_true", help="also every passage with its label and probabilities")
    p.add_argument("--text-field", default="text", help="tables: the column holding the text (default text)")
    p.add_argument("--id-field", default="id", help="tables: the column holding the id (default id; the row "
                   "number where there is none)")
    p.add_argument("--input-format", choices=FORMATS, default=None,
                   help="read every input (and -) as this format instead of guessing from its name")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: every core; 1: this process only)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on a Dask cluster: its scheduler's address (tcp://host:8786), or 'local' to start "
                   "one here with --jobs workers")
    p.add_argument("--resume", action="store_true",
                   help="continue the interrupted run writing --out (same inputs and options)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_model_options(p)
    p.add_argument("--batch-size", type=int, default=256,
                   help="articles per chunk: classified together, committed together (default 256)")


class _Utf8Writer:
    """A binary ``write`` over a text stream that has no binary buffer (a replaced ``sys.stdout``)."""

    def __init__(self, text: TextIO) -> None:
        self.text = text

    def write(self, data: bytes) -> int:
        return self.text.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.text.flush()


def _binary_stdout() -> BinaryIO | _Utf8Writer:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    return buffer if buffer is not None else _Utf8Writer(sys.stdout)


def folder_contents(paths: Sequence[str]) -> tuple[int, list[str]]:
    """``(documents, skipped)`` over the folders among ``paths``: how many files a run reads from them, and
    the other files (paths), which it skips.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("a.TXT", "b.html", "c.pdf", "notes.docx"):
    ...     _ = (d / name).write_text("x", encoding="utf-8")
    >>> n, skipped = folder_contents([str(d)])
    >>> n, [pathlib.Path(p).name for p in skipped]
    (2, ['c.pdf', 'notes.docx'])
    """
    from ..bulk.sources import DOCUMENT_PATTERNS

    suffixes = tuple(p[1:] for p in DOCUMENT_PATTERNS)
    documents, skipped = 0, []
    for path in paths:
        if not os.path.isdir(path):
            continue
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if name.lower().endswith(suffixes):
                    documents += 1
                else:
                    skipped.append(os.path.join(root, name))
    return documents, skipped


def _names(paths: Sequence[str], shown: int = 5) -> str:
    more = f" and {len(paths) - shown:,} more" if len(paths) > shown else ""
    return ", ".join(paths[:shown]) + more


def run(args: argparse.Namespace) -> int:
    from ..bulk.runner import classify_corpus, classify_stream

    if args.resume and not args.out:
        print("stance classify: --resume needs --out (only a results table can be resumed)", file=sys.stderr)
        return 2
    folders = [p for p in args.paths if os.path.isdir(p)]
    if folders and args.input_format in (None, "text"):
        documents, skipped = folder_contents(folders)
        if skipped:
            print(f"stance classify: skipped {len(skipped):,} file(s) that are not .txt, .html or .htm: "
                  f"{_names(skipped)}", file=sys.stderr)
        if documents == 0 and len(folders) == len(args.paths):
            print(f"stance classify: error: no .txt, .html or .htm file in {_names(folders)}: nothing to classify",
                  file=sys.stderr)
            return 2
    topic_model, stance_model = load_models(args, shipped=False)
    common = dict(text_field=args.text_field, id_field=args.id_field, input_format=args.input_format,
                  passages=args.passages, batch_size=args.batch_size, n_jobs=args.jobs, scheduler=args.scheduler,
                  progress=False if args.quiet else None, topic_model=topic_model, stance_model=stance_model)
    try:
        if args.out:
            summary = classify_corpus(args.paths, args.out, resume=args.resume, **common)
            print(summary)
        else:
            encoding = "path-jsonl" if args.format == "jsonl" else ("text+passages" if args.passages else "text")
            summary = classify_stream(args.paths, _binary_stdout(), encoding=encoding, **common)
    except KeyboardInterrupt:
        if args.out:
            print(f"stance classify: interrupted; the chunks done are kept in {args.out}.parts: run the same "
                  "command with --resume to continue", file=sys.stderr)
        return 130
    if summary.rows == 0:
        wrote = f" ({args.out} holds no rows)" if args.out else ""
        print(f"stance classify: error: the input holds no article: nothing was classified{wrote}", file=sys.stderr)
        return 2
    if summary.errors:
        print(f"stance classify: {summary.errors} document(s) could not be classified (see 'error')", file=sys.stderr)
    return 1 if summary.errors else 0
