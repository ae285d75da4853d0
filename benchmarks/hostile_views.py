"""The ``views`` part of the hostile battery (``python -m benchmarks.hostile --only views``): hostile results
tables for ``stance report`` and hostile pages for ``stance view``, run through the command line."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from benchmarks.hostile import API_SECONDS_LIMIT, Outcome, _short, run_cli_in_process

def _results_row(k: int, **change: Any) -> dict:
    row = {"id": str(k), "site": "VNE", "topic": "The gioi", "topic_name": "Thế giới", "topic_score": 0.9,
           "stance": "anti", "stance_pro": 0.1, "stance_anti": 0.6, "stance_neutral": 0.2, "stance_unrelated": 0.1,
           "evidence": [{"index": 0, "text": "Quân Mỹ phải rút khỏi Iraq.", "stance": "anti", "score": 0.6}],
           "error": None}
    row.update(change)
    return row


def _jsonl(rows: list) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows)


def view_table_cases() -> list[tuple[str, str, str | bytes, bool]]:
    """(name, file name, content, whether a report is expected) for ``stance report --by site``."""
    script = "<script>alert(1)</script>"
    failed = {"id": "x", "site": "TT", **dict.fromkeys(["topic", "stance", "topic_score", "evidence"]),
              **{f"stance_{k}": None for k in ("pro", "anti", "neutral", "unrelated")}, "error": "empty text"}
    return [
        ("bad JSON line", "t.jsonl", _jsonl([_results_row(0), '{"id": "1", "site":']), False),
        ("probability as a string", "t.jsonl", _jsonl([_results_row(0, stance_pro="0.1")]), False),
        ("probability NaN", "t.jsonl", _jsonl([_results_row(0)]).replace('"stance_pro": 0.1', '"stance_pro": NaN'), False),
        ("probability 1.5", "t.jsonl", _jsonl([_results_row(0, stance_anti=1.5)]), False),
        ("missing column", "t.jsonl", _jsonl([{k: v for k, v in _results_row(0).items() if k != "stance_neutral"}]), False),
        ("stance without a column", "t.jsonl", _jsonl([_results_row(0, stance="favour")]), False),
        ("junk named .parquet", "t.parquet", os.urandom(4096), False),
        ("CSV evidence not JSON", "t.csv", "id,site,topic,topic_name,topic_score,stance,stance_pro,stance_anti,"
         "stance_neutral,stance_unrelated,evidence,error\n0,VNE,The gioi,x,0.9,anti,0.1,0.6,0.2,0.1,\"[{\",\n", False),
        ("empty file", "t.jsonl", "", False),
        ("a JSON array of numbers", "t.json", "[1, 2, 3]", False),
        ("every row an error", "t.jsonl", _jsonl([failed, failed]), True),
        ("20,000 groups", "t.jsonl", _jsonl([_results_row(k, site=f"site {k}") for k in range(20_000)]), True),
        ("script and mathtext in values", "t.jsonl", _jsonl([
            _results_row(k, site=[script, "$x^{2$ and $\\frac{$", {"a": [script]}, None, 7][k % 5], id=script,
                         evidence=[{"index": 0, "text": script + "</td></table>", "stance": script, "score": "x"}])
            for k in range(50)]), True),
    ]


def view_page_cases() -> list[tuple[str, str]]:
    """(name, article text) for ``stance view``."""
    return [
        ("script as entities", "Quân Mỹ &lt;script&gt;alert(1)&lt;/script&gt; rút.\n<scr<script>ipt> a < b <script"),
        ("100,000 lines", "\n".join(f"Dòng {k}: quân Mỹ ở Iraq." for k in range(100_000))),
        ("1 MB in one line", "Quân Mỹ ở Iraq. " * 65_000),
        ("a page cleaning empties", "Đường dây nóng: 0943 113 999\nBáo lỗi cho Soha\nẢnh: AP"),
    ]


def _page_ok(html: str) -> str | None:
    if "<script" in html.lower():
        return "a <script> element in the page"
    if not html.startswith("<!DOCTYPE html>") or not html.rstrip().endswith("</html>"):
        return "not a whole HTML document"
    return None


def run_views(base: Path) -> list[Outcome]:
    """``stance report`` on every hostile table and ``stance view`` on every hostile page."""
    folder = base / "views"
    folder.mkdir()
    outcomes = []
    for k, (name, file_name, content, expect_report) in enumerate(view_table_cases()):
        table = folder / f"{k:02d}_{file_name}"
        table.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        out = folder / f"{k:02d}_report"
        start = time.perf_counter()
        status, err = run_cli_in_process(["report", str(table), "--by", "site", "--out", str(out)])
        seconds = time.perf_counter() - start
        if isinstance(status, str):
            outcomes.append(Outcome("views", f"report: {name}", False, status, seconds, crashed=True))
            continue
        if expect_report:
            problem = None if status == 0 else f"exit {status}: {_short(err, 70)}"
            if problem is None:
                problem = _page_ok((out / "index.html").read_text(encoding="utf-8"))
                json.loads((out / "report.json").read_text(encoding="utf-8"))
            detail = problem or f"report written ({(out / 'index.html').stat().st_size:,} bytes)"
        else:
            problem = None if status == 2 and table.name in err and not out.exists() else f"exit {status}: {err}"
            detail = problem or _short(err.replace(str(folder) + os.sep, ""), 70)
        outcomes.append(Outcome("views", f"report: {name}", problem is None, detail, seconds))
    for k, (name, text) in enumerate(view_page_cases()):
        page = folder / f"page{k}.txt"
        page.write_text(text, encoding="utf-8")
        out = folder / f"page{k}.html"
        start = time.perf_counter()
        status, err = run_cli_in_process(["view", str(page), "--out", str(out)])
        seconds = time.perf_counter() - start
        problem = (status if isinstance(status, str) else f"exit {status}: {err}") if status != 0 else None
        if problem is None:
            problem = _page_ok(out.read_text(encoding="utf-8"))
        if problem is None and seconds > API_SECONDS_LIMIT:
            problem = f"too slow ({seconds:.0f} s)"
        detail = problem or f"page written ({out.stat().st_size:,} bytes)"
        outcomes.append(Outcome("views", f"view: {name}", problem is None, detail, seconds,
                                crashed=isinstance(status, str)))
    return outcomes
