"""The screenshots in ``docs/``: ``python -m benchmarks.screens``.

Three steps, each skipped when its output is already there (``--force`` redoes them):

1. ``results``: the VNTC test articles (``../shared/data/vntc/test.jsonl.xz``) classified into a results table
   (the columns of ``docs/views.md``: ``id``, the passthrough fields ``label`` and ``site``, the model columns
   of :meth:`stance.api.Result.to_record`, ``error``), with :func:`stance.classify_batch` in chunks; written
   outside the repository (``--work``, default ``/tmp/stance-screens``) as ``vntc_test_results.jsonl``: the
   corpus text in the evidence never enters the repository.
2. ``pages``: ``stance view seeds/002_e9adfbff22676568.txt --out WORK/article.html`` and
   ``stance report WORK/vntc_test_results.jsonl --by site --by topic --out WORK/vntc_report``, run as
   subprocesses (the commands a user types).
3. ``shots``: full-page PNG screenshots of both pages taken with headless Chromium, with the same browser,
   driver and checks as the page tests (``tests/browser.py``: no console error, every image loaded, not
   blank), the article's folded removed text unfolded; written in 256 colours to ``docs/views_article.png``
   and ``docs/views_report.png``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from benchmarks.data import data_root
from stance.files import atomic_write, iter_json_records

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "002_e9adfbff22676568.txt"
CHUNK = 500


def classify_corpus(data: Path, out: Path) -> Path:
    """Classify every record of ``data`` (JSON Lines, ``text`` and ``id`` fields) into a results table."""
    from stance import classify_batch

    rows: list[dict] = []
    chunk: list[dict] = []
    start = time.perf_counter()

    def flush() -> None:
        good = [r for r in chunk if isinstance(r.get("text"), str) and r["text"].strip()]
        results = iter(classify_batch([r["text"] for r in good])) if good else iter(())
        for r in chunk:
            row = {"id": str(r.get("id", len(rows)))}
            row.update({k: v for k, v in r.items() if k not in ("id", "text")})
            if isinstance(r.get("text"), str) and r["text"].strip():
                row.update(next(results).to_record())
                row["error"] = None
            else:
                row["error"] = "empty text" if isinstance(r.get("text"), str) else "not a string"
            rows.append(row)
        chunk.clear()
        rate = len(rows) / (time.perf_counter() - start)
        print(f"\r{len(rows)} rows, {rate:.0f} documents/s", end="", file=sys.stderr, flush=True)

    for item in iter_json_records(data):
        chunk.append(item.checked())
        if len(chunk) == CHUNK:
            flush()
    if chunk:
        flush()
    print(file=sys.stderr)
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return atomic_write(out, lines)


def _stance(*argv: str) -> None:
    cmd = [sys.executable, "-m", "stance.cli", *argv]
    print("$ stance " + " ".join(argv), file=sys.stderr)
    subprocess.run(cmd, check=True, cwd=ROOT)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screens", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=data_root() / "vntc" / "test.jsonl.xz")
    parser.add_argument("--work", type=Path, default=Path("/tmp/stance-screens"))
    parser.add_argument("--step", choices=("results", "pages", "shots", "all"), default="all")
    parser.add_argument("--force", action="store_true", help="classify again even if the table exists")
    args = parser.parse_args(argv)
    results = args.work / "vntc_test_results.jsonl"
    if args.step in ("results", "all") and (args.force or not results.exists()):
        classify_corpus(args.data, results)
    if args.step in ("pages", "all"):
        _stance("view", str(SEED.relative_to(ROOT)), "--out", str(args.work / "article.html"))
        _stance("report", str(results), "--by", "site", "--by", "topic", "--out", str(args.work / "vntc_report"))
    if args.step in ("shots", "all"):
        from tests.browser import screenshot

        screenshot(args.work / "article.html", ROOT / "docs" / "views_article.png", open_details=True, palette=True)
        screenshot(args.work / "vntc_report" / "index.html", ROOT / "docs" / "views_report.png", palette=True)
        print("docs/views_article.png, docs/views_report.png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
