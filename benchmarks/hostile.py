"""A battery of hostile inputs and artefacts: everything must be handled, nothing lost, no code run.

Run from the project root::

    python -m benchmarks.hostile            # api, native, cli, artefacts, bulk, views and text
    python -m benchmarks.hostile --only cli,artefacts
    python -m benchmarks.hostile --only api --case empty --case "100k newlines"
    python -m benchmarks.hostile --only big  # 10 MB in one call (a minute or two)

The parts:

``api``
    Odd values and pathological texts for :func:`stance.classify`. Each must either return a valid
    :class:`stance.Result` (labels from the model's label sets, scores that sum to 1, passages and
    evidence consistent, JSON- and UTF-8-serialisable) or raise ``TypeError``/``ValueError`` with a
    message, and finish within :data:`API_SECONDS_LIMIT`.
``native``
    The same pathological texts through the compiled path and the Python path: the same result (or the
    same refusal) from both (:mod:`benchmarks.hostile_native`).
``cli``
    ``stance classify --format jsonl`` over a folder of good and bad files (empty, binary, UTF-16,
    Windows-1258, undecodable, a directory named ``*.txt``, symbolic link loops, a FIFO, an unreadable
    file). Exactly one row per input file, in order; the bad ones carry ``error``.
``artefacts``
    Damaged and hostile model files for :func:`stance.load` (truncated, bit-flipped, wrong checksums, future
    formats and schemas, manifests that are not JSON, 100,000 levels deep or of the wrong types, a FIFO,
    ``/dev/zero``, skops trees naming ``os.system``, pickles that would create a marker file, a dict where a
    model should be, labels that are not the model's) and ``stance train --out`` aimed at its own data, a
    folder or a foreign file. Each must raise :class:`stance.ArtefactError` (or its subclass) naming the file,
    or exit 2 leaving every input intact, and the marker file must never appear. The cases are in
    :mod:`benchmarks.hostile_artefacts`.
``bulk``
    ``stance classify ... --out x.parquet`` over hostile tables: 5 MB rows, wrong types in every column, bad
    JSON lines and bytes, ragged CSV rows, tables without the text field, files that only pretend to be Parquet,
    an unreachable Dask scheduler, a killed run resumed with a changed input. Every row in, one row out (with
    ``error`` where it cannot be classified), or a refusal that says why and leaves nothing behind.
``views``
    Hostile results tables for ``stance report`` (bad JSON, probabilities that are strings, NaN or 1.5, missing
    columns, a stance label without a column, junk named ``.parquet``, evidence that is not JSON, every row an
    error, 20,000 groups, ``<script>`` and mathtext in group names and evidence) and hostile pages for
    ``stance view`` (script as entities, 100,000 lines, a 1 MB line, a page cleaning empties). Each must give a
    report or page with no script in it (valid ``report.json``), or exit 2 with a message naming the file.
    The cases are in :mod:`benchmarks.hostile_views`.
``text``
    Cleaning timed at n and 4n on every family of text that once made a step super-linear (and neighbours),
    invisible characters of every kind inside the words of a seed (same text, same result), file names that are
    not UTF-8 through a real ``stance classify`` under a strict UTF-8 stdout, and unreadable data lines (100k-deep
    nesting, NaN, 1e400, invalid UTF-8...) through ``stance train`` and ``stance evaluate``. The cases are in
    :mod:`benchmarks.hostile_text`.
``training``
    Damaged data folders for ``stance train --task topic`` (a missing, non-xz, empty or badly formed file, a
    label outside the task): refused with a message naming the file, no model written. The cases are in
    :mod:`benchmarks.hostile_training`.
``big``
    10 MB of article text (the seed paragraphs repeated, each copy numbered) in one :func:`stance.classify`
    call: it must return a valid result within :data:`BIG_SECONDS_LIMIT` and a peak RSS under
    :data:`BIG_RSS_LIMIT_MB`.

Prints a table (category, tried, handled) and a final line
``N tried, N handled, 0 crashed, 0 rows lost, 0 injected code ran``; exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import math
import os
import stat
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PARTS = ("api", "native", "cli", "artefacts", "bulk", "views", "text", "training", "big")
DEFAULT_PARTS = ("api", "native", "cli", "artefacts", "bulk", "views", "text", "training")
API_SECONDS_LIMIT = 120.0
"""An API input that takes longer than this counts as not handled (a denial of service)."""
BIG_SECONDS_LIMIT = 120.0
"""Longest a 10 MB text may take."""
BIG_RSS_LIMIT_MB = 2048.0
"""Highest peak resident memory (MB) while classifying a 10 MB text, models included."""


@dataclass
class Outcome:
    """What happened to one hostile input."""

    category: str
    name: str
    handled: bool
    detail: str
    seconds: float = 0.0
    crashed: bool = False  # an exception other than the documented ones escaped


@dataclass
class Report:
    """All outcomes plus the two counters that must stay at zero."""

    outcomes: list[Outcome] = field(default_factory=list)
    rows_lost: int = 0
    injected_ran: int = 0

    @property
    def ok(self) -> bool:
        return all(o.handled for o in self.outcomes) and not self.rows_lost and not self.injected_ran


# --------------------------------------------------------------------------------------------------
# Texts


def seed_text() -> str:
    """All seed articles, concatenated (a real scraped page's worth of text, and more)."""
    return "\n".join(p.read_text(encoding="utf-8") for p in SEEDS)


def big_text(n_bytes: int = 10_000_000) -> str:
    """At least ``n_bytes`` of UTF-8 article text built from the cleaned seed paragraphs.

    Each repetition of a paragraph gets a distinct ``[k]`` prefix so that cleaning (which drops lines
    repeated verbatim and cuts trailing blocks) keeps all of it and the models really read it all.
    """
    from stance.text.clean import clean

    lines = [line for p in SEEDS for line in clean(p.read_text(encoding="utf-8")).split("\n")]
    out: list[str] = []
    size = 0
    k = 0
    while size < n_bytes:
        for line in lines:
            piece = f"[{k}] {line}\n"
            out.append(piece)
            size += len(piece.encode("utf-8"))
        k += 1
    return "".join(out)


def api_cases() -> list[tuple[str, Callable[[], Any]]]:
    """(name, factory of the input) pairs; factories so that big inputs are built one at a time."""
    para = "Quân Mỹ vẫn đóng ở Iraq. Nhiều người phản đối sự hiện diện này."
    return [
        ("None", lambda: None),
        ("bytes", lambda: para.encode("utf-8")),
        ("int", lambda: 42),
        ("float nan", lambda: math.nan),
        ("list of str", lambda: [para]),
        ("dict", lambda: {"text": para}),
        ("empty", lambda: ""),
        ("whitespace only", lambda: " \t\r\n\u3000\u00a0 "),
        ("NUL only", lambda: "\x00"),
        ("control characters only", lambda: "\x01\x02\x7f\x9f\u200b\ufeff"),
        ("NUL bytes inside text", lambda: para.replace(" ", "\x00 ")),
        ("lone surrogates", lambda: "\ud800" + para + "\udfff\udc80"),
        ("RTL/bidi overrides", lambda: "\u202e" + para + "\u202c\u2066\u2067\u2068\u2069\u200f"),
        ("zalgo combining marks (1 MB)", lambda: "".join(c + "\u0301\u0300\u0323\u0309\u0303" * 40 for c in para * 250)),
        ("emoji and flags", lambda: "🇻🇳🇺🇸 " + para + " 😀👍🏽👨‍👩‍👧"),
        ("HTML page", lambda: "<html><head><style>p{}</style><script>alert(1)</script></head><body><p>"
         + para + "</p><!-- c --></body></html>"),
        ("deeply nested HTML (100k levels)", lambda: "<div>" * 100_000 + para + "</div>" * 100_000),
        ("unclosed <script> x100k", lambda: "<script>" * 100_000 + para),
        ("unclosed <!-- x100k", lambda: "<!--" * 100_000 + para),
        ("'<br' without '>' x100k", lambda: "<br" * 100_000 + " " + para),
        ("'<a' + 1 MB of letters", lambda: "<a" + "b" * 1_000_000 + " " + para),
        ("entities only", lambda: "&amp;&lt;&gt;&nbsp;&#0;&#x110000;&#99999999;&bogus;" * 1000),
        ("one 1 MB word", lambda: "a" * 1_000_000),
        ("one 1 MB Vietnamese word", lambda: "ườ" * 500_000),
        ("100k newlines", lambda: para + "\n" * 100_000 + para),
        ("100k CRs", lambda: para + "\r" * 100_000 + para),
        ("100k one-word lines", lambda: "\n".join(f"x{k}" for k in range(100_000))),
        ("100k sentences in one paragraph", lambda: " ".join(f"Câu số {k} về quân Mỹ." for k in range(100_000))),
        ("1 MB paragraph, lowercase after every period", lambda: "x. y. " * 170_000),
        ("furniture only", lambda: "Đường dây nóng: 0943 113 999\nBáo lỗi cho Soha\nẢnh: AP"),
        ("NFD seeds", lambda: __import__("unicodedata").normalize("NFD", seed_text())),
        ("private use and noncharacters", lambda: "\ue000\uf8ff\ufdd0\uffff\U0010ffff " + para),
        ("10 MB text", lambda: big_text(10_000_000)),
    ]


def check_result(result: Any, topic_model: Any, stance_model: Any) -> str | None:
    """None if ``result`` is a well-formed Result for the two models, else what is wrong."""
    from stance.api import Result

    if not isinstance(result, Result):
        return f"returned {type(result).__name__}, not Result"
    from stance.labels import display_order

    topic_labels = [str(c) for c in topic_model.classes_]
    stance_labels = [str(c) for c in stance_model.classes_]
    topic_labels = [topic_labels[k] for k in display_order(topic_labels)]
    stance_labels = [stance_labels[k] for k in display_order(stance_labels)]
    if result.topic not in topic_labels or list(result.topic_scores) != topic_labels:
        return f"topic {result.topic!r} / scores {list(result.topic_scores)} not over {topic_labels}"
    if result.stance not in stance_labels or list(result.stance_scores) != stance_labels:
        return f"stance {result.stance!r} / scores {list(result.stance_scores)} not over {stance_labels}"
    score_sets = [result.topic_scores, result.stance_scores, *(p.stance_scores for p in result.passages)]
    for scores in score_sets:
        values = list(scores.values())
        if not all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values) or abs(sum(values) - 1.0) > 1e-9:
            return f"scores not a probability distribution: {scores}"
    if not result.passages or [p.index for p in result.passages] != list(range(len(result.passages))):
        return "passages missing or misnumbered"
    if not all(e in result.passages for e in result.evidence):
        return "evidence is not a subset of the passages"
    for label, scores in [(result.stance, result.stance_scores), *((p.stance, p.stance_scores) for p in result.passages)]:
        if scores[label] < max(scores.values()):
            return f"label {label!r} is not the argmax of the probabilities beside it: {scores}"
    if any(e.stance != result.stance for e in result.evidence) or (result.stance == "unrelated" and result.evidence):
        return f"evidence {[e.stance for e in result.evidence]} does not carry the article's label {result.stance!r}"
    try:
        json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError) as e:
        return f"result is not JSON/UTF-8 serialisable: {e}"
    return None


def run_api(*, names: Sequence[str] | None = None) -> list[Outcome]:
    """Feed every API case to :func:`stance.classify` (optionally only those in ``names``)."""
    from stance.api import classify, pretrained_model

    topic_model, stance_model = pretrained_model("topic"), pretrained_model("stance")
    outcomes = []
    for name, make in api_cases():
        if names is not None and name not in names:
            continue
        value = make()
        start = time.perf_counter()
        try:
            result = classify(value, topic_model=topic_model, stance_model=stance_model)
        except (TypeError, ValueError) as e:
            seconds = time.perf_counter() - start
            handled = bool(str(e)) and seconds <= API_SECONDS_LIMIT
            detail = f"{type(e).__name__}: {_short(str(e))}"
            outcomes.append(Outcome("api", name, handled, detail, seconds))
        except Exception as e:  # noqa: BLE001 - the point is to catch what should not escape
            seconds = time.perf_counter() - start
            detail = f"CRASH {type(e).__name__}: {_short(str(e))}"
            outcomes.append(Outcome("api", name, False, detail, seconds, crashed=True))
        else:
            seconds = time.perf_counter() - start
            problem = check_result(result, topic_model, stance_model)
            if problem is None and seconds > API_SECONDS_LIMIT:
                problem = f"too slow ({seconds:.0f} s > {API_SECONDS_LIMIT:.0f} s)"
            detail = problem or f"Result: {result.topic} / {result.stance}, {len(result.passages)} passage(s)"
            outcomes.append(Outcome("api", name, problem is None, detail, seconds))
        del value
    return outcomes


# --------------------------------------------------------------------------------------------------
# CLI batch


def build_cli_folder(base: Path) -> tuple[list[str], list[tuple[str, bool]]]:
    """Make a folder of good and bad files under ``base``.

    Returns the command-line paths to give and the expected rows: (path, is_good) in output order.
    """
    good = [p.read_bytes() for p in SEEDS]
    folder = base / "batch"
    folder.mkdir()
    expected: list[tuple[str, bool]] = []

    def put(name: str, data: bytes, ok: bool) -> None:
        (folder / name).write_bytes(data)
        expected.append((str(folder / name), ok))

    vi = "Quân đội Mỹ vẫn hiện diện ở Iraq, nhiều người dân phản đối."
    # Files are listed in name order by the walk, so the numeric prefixes give the expected order.
    put("00_good.txt", good[0], True)
    put("01_empty.txt", b"", False)
    put("02_binary.txt", b"%PDF-1.4\x00\x01\x02\xff\xfe" * 50, False)
    put("03_utf16.txt", good[1].decode("utf-8").encode("utf-16"), True)
    put("04_utf16le_nobom.txt", vi.encode("utf-16-le"), True)
    put("05_cp1258.txt", vi.encode("cp1258", errors="strict") if _cp1258_ok(vi) else b"Vi\xea\xf2t Nam", True)
    put("06_undecodable.txt", b"Qu\xe2n \x81\x8d\x8f\x90 \xc3\x28 " * 20, False)
    put("07_whitespace.txt", b" \r\n\t \n", False)
    put("08_bom_only.txt", b"\xef\xbb\xbf", False)
    put("09_furniture_only.txt", "Đường dây nóng: 0943 113 999\nBáo lỗi".encode("utf-8"), True)
    put("10_html.txt", b"<html><body><p>" + good[2] + b"</p><script>x()</script></body></html>", True)
    put("11_zero_width_only.txt", "\u200b\u200b".encode("utf-8"), True)
    put("12_nul_in_utf8.txt", (vi * 4 + "\x00" + vi).encode("utf-8"), False)
    # A directory whose name looks like a text file: walked, its content listed in place.
    (folder / "13_dir.txt").mkdir()
    (folder / "13_dir.txt" / "inner.txt").write_bytes(good[3])
    expected.append((str(folder / "13_dir.txt" / "inner.txt"), True))
    # A symbolic link back to the folder itself (a loop) and a link to itself.
    os.symlink(folder, folder / "14_loop")
    expected.append((str(folder / "14_loop"), False))
    os.symlink(folder / "15_self.txt", folder / "15_self.txt")
    expected.append((str(folder / "15_self.txt"), False))
    os.symlink(folder / "does_not_exist", folder / "16_dangling.txt")
    expected.append((str(folder / "16_dangling.txt"), False))
    # A FIFO: reading it would block forever; it must be refused, not read.
    os.mkfifo(folder / "17_fifo.txt")
    expected.append((str(folder / "17_fifo.txt"), False))
    # An unreadable file (root can still read it, so then it is a good row).
    unreadable = folder / "18_unreadable.txt"
    unreadable.write_bytes(good[4])
    unreadable.chmod(0)
    expected.append((str(unreadable), os.access(unreadable, os.R_OK)))
    put("19_good.txt", good[4], True)
    (folder / "20_ignored.md").write_bytes(good[0])  # not *.txt: not listed
    # Explicit paths after the folder: a missing file, a good file twice, a bad one given by name.
    paths = [str(folder), str(base / "missing.txt"), str(folder / "00_good.txt"), str(folder / "00_good.txt"),
             str(folder / "02_binary.txt")]
    expected += [(str(base / "missing.txt"), False), (str(folder / "00_good.txt"), True),
                 (str(folder / "00_good.txt"), True), (str(folder / "02_binary.txt"), False)]
    return paths, expected


def _cp1258_ok(text: str) -> bool:
    try:
        text.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True


def run_cli(base: Path, *, batch_size: int = 3) -> tuple[list[Outcome], int]:
    """Run ``stance classify --format jsonl`` over the hostile folder; outcomes and rows lost."""
    from stance.cli import main

    paths, expected = build_cli_folder(base)
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["classify", "--format", "jsonl", "--batch-size", str(batch_size), *paths])
    except Exception as e:  # noqa: BLE001
        detail = f"CRASH {type(e).__name__}: {_short(str(e))}"
        return [Outcome("cli", p, False, detail, crashed=True) for p, _ in expected], len(expected)
    seconds = time.perf_counter() - start
    rows = []
    for line in out.getvalue().splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            rows.append({"path": None, "error": f"unparseable output line {line[:60]!r}"})
    outcomes = []
    for k, (path, ok) in enumerate(expected):
        row = rows[k] if k < len(rows) else None
        rel = os.path.relpath(path, base)
        if row is None:
            outcomes.append(Outcome("cli", rel, False, "no row", seconds))
        elif row.get("path") != path:
            outcomes.append(Outcome("cli", rel, False, f"row {k} is for {row.get('path')!r}", seconds))
        elif ok and row.get("error") is not None:
            outcomes.append(Outcome("cli", rel, False, f"good file got error {row['error']!r}", seconds))
        elif not ok and not row.get("error"):
            outcomes.append(Outcome("cli", rel, False, "bad file got no error", seconds))
        elif ok and row.get("stance") is None:
            outcomes.append(Outcome("cli", rel, False, "good row without a stance", seconds))
        else:
            what = f"{row['topic']} / {row['stance']}" if ok else _short(os.path.basename(str(row["error"])), 70)
            outcomes.append(Outcome("cli", rel, True, what, seconds))
    lost = max(0, len(expected) - len(rows)) + sum(
        1 for k, (path, _) in enumerate(expected) if k < len(rows) and rows[k].get("path") != path
    )
    extra = len(rows) - len(expected)
    if extra > 0:
        outcomes.append(Outcome("cli", "extra rows", False, f"{extra} unexpected row(s)", seconds))
    want_status = 1 if any(not ok for _, ok in expected) else 0
    outcomes.append(
        Outcome("cli", "exit status", status == want_status, f"exit {status} (expected {want_status})", seconds)
    )
    return outcomes, lost


# --------------------------------------------------------------------------------------------------
# Bulk: tables in, results tables out (stance classify --out)


@dataclass
class BulkCase:
    """One hostile bulk run: ``stance classify FILES --out`` and what must come of it."""

    name: str
    files: list[Path]
    status: int
    rows: int | None  # rows of the output; None: the run is refused and writes nothing
    errors: int = 0
    says: str = ""  # what the refusal must say
    extra: list[str] = field(default_factory=list)


def _jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def bulk_cases(base: Path) -> list[BulkCase]:
    """Hostile tables: huge rows, wrong types per column, no text field, files that only pretend to be tables."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    base.mkdir(parents=True, exist_ok=True)
    para = "Quân Mỹ vẫn đóng ở Iraq. Nhiều người phản đối sự hiện diện này."
    huge = big_text(5_000_000)
    good = pq.write_table(pa.table({"text": [para] * 50}), base / "good.parquet") or base / "good.parquet"
    truncated = base / "truncated.parquet"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    (base / "csv.parquet").write_text(f"id,text\n1,{para}\n", encoding="utf-8")
    (base / "random.parquet").write_bytes(os.urandom(4096))
    with open(base / "huge.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["id", "text"], [1, para], [2, huge], [3, para]])
    (base / "ragged.csv").write_bytes(b"id,text,src\n1,ok text,a\n2,x,y,z\n3,\"Vi\xeat\",b\n4\n\x00\x00,\x00,\x00\n")
    (base / "dup.csv").write_text("id,text,text\n1,a,b\n", encoding="utf-8")
    (base / "empty.csv").write_bytes(b"")
    pq.write_table(pa.table({"id": [1], "body": [para]}), base / "body.parquet")
    (base / "empty_folder").mkdir(exist_ok=True)
    (base / "no_documents").mkdir(exist_ok=True)
    for name, data in (("scan.pdf", b"%PDF-1.4"), ("notes.docx", b"PK\x03\x04"), ("README", b"hi")):
        (base / "no_documents" / name).write_bytes(data)
    (base / "header_only.csv").write_text("id,text\n", encoding="utf-8")
    return [
        BulkCase("an empty folder", [base / "empty_folder"], 2, None, says="nothing to classify"),
        BulkCase("a folder of PDFs and other non-documents", [base / "no_documents"], 2, None,
                 says="skipped 3 file(s) that are not .txt, .html or .htm"),
        BulkCase("a CSV with a header and no rows", [base / "header_only.csv"], 2, 0, says="holds no article"),
        BulkCase("huge rows (5 MB text in JSONL and CSV)", [_jsonl(base / "huge.jsonl", [{"text": para}, {"text": huge},
                 {"text": para}]), base / "huge.csv"], 0, 6),
        BulkCase("wrong types per column", [_jsonl(base / "types.jsonl", [
            {"text": 5, "x": 1}, {"text": ["a"], "x": "s"}, {"text": {"a": 1}, "x": [1]}, {"text": None, "x": {"k": 2}},
            {"text": True, "x": None}, {"text": para, "x": 2.5}, {"id": {"nested": 1}, "text": para}, [1, 2], "str"])],
            1, 9, 7),
        BulkCase("bad JSON lines and undecodable bytes", [base / "bad.jsonl"], 1, 4, 2),
        BulkCase("ragged CSV rows, NUL bytes, bad UTF-8", [base / "ragged.csv"], 1, 5, 3),
        BulkCase("JSONL without the text field", [_jsonl(base / "notext.jsonl", [{"body": para}])], 2, None,
                 says="no 'text' column (columns: 'body')"),
        BulkCase("Parquet without the text column", [base / "body.parquet"], 2, None, says="no 'text' column"),
        BulkCase("CSV with duplicate column names", [base / "dup.csv"], 2, None, says="duplicate column names"),
        BulkCase("empty CSV", [base / "empty.csv"], 2, None, says="empty file"),
        BulkCase("a CSV named .parquet", [base / "csv.parquet"], 2, None, says="not a readable Parquet file"),
        BulkCase("random bytes named .parquet", [base / "random.parquet"], 2, None, says="not a readable Parquet"),
        BulkCase("truncated Parquet", [truncated], 2, None, says="not a readable Parquet file"),
        BulkCase("an unreachable scheduler", [good], 2, None, says="cannot reach the Dask scheduler",
                 extra=["--scheduler", "tcp://127.0.0.1:9"]),
    ]


def _cli(args: list[str]) -> tuple[int, str]:
    from stance.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, err.getvalue()


def _check_bulk(case: BulkCase, out: Path, status: int, err: str) -> tuple[str | None, int]:
    """(problem or None, rows lost) of one finished bulk case."""
    import pyarrow.parquet as pq

    parts = out.with_name(out.name + ".parts")
    if status != case.status:
        return f"exit {status}, expected {case.status}: {_short(err)}", case.rows or 0
    if case.rows is None:
        if out.exists() or parts.exists():
            return "a refused run left files behind", 0
        return (None if case.says in err else f"message does not say {case.says!r}: {_short(err)}"), 0
    table = pq.read_table(out)
    errors = sum(e is not None for e in table.column("error").to_pylist())
    if table.num_rows != case.rows or errors != case.errors or parts.exists():
        return f"{table.num_rows} rows, {errors} errors (expected {case.rows}, {case.errors})", max(0, case.rows - table.num_rows)
    if case.says not in err:
        return f"message does not say {case.says!r}: {_short(err)}", 0
    return None, 0


def _paths_given_as_text(base: Path) -> list[Outcome]:
    """Paths where the CLI expects text or a data folder: ``stance explain ARG`` reads a file as the article and
    refuses a missing file name or a folder; ``stance train --task`` refuses a data folder that is a file, is
    missing or lacks the data, naming --data-dir and STANCE_DATA."""
    seed = sorted((ROOT / "seeds").glob("*.txt"))[2]
    (base / "no_data").mkdir(parents=True, exist_ok=True)
    explain, train = ["explain", "--n", "1"], ["train", "--task", "stance", "--data-dir"]
    cases = [("explain: an existing file as the argument", [*explain, str(seed)], 0, f"file: {seed} ("),
             ("explain: a file name that does not exist", [*explain, str(base / "missing.txt")], 2, "no such file"),
             ("explain: a folder as the argument", [*explain, str(base)], 2, "is a folder"),
             ("train --task: --data-dir is a file", [*train, str(seed)], 2, "STANCE_DATA"),
             ("train --task: --data-dir does not exist", [*train, str(base / "nowhere")], 2, "STANCE_DATA"),
             ("train --task: --data-dir without the data", [*train, str(base / "no_data")], 2, "STANCE_DATA")]
    outcomes = []
    for name, argv, want, says in cases:
        out, err = io.StringIO(), io.StringIO()
        start = time.perf_counter()
        from stance.cli import main

        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
        said = out.getvalue() + err.getvalue()
        ok = status == want and says in said
        outcomes.append(Outcome("cli", name, ok, f"exit {status}: {_short(said.splitlines()[0] if said else '')}"
                                if ok else f"exit {status} (expected {want}): {_short(said)}", time.perf_counter() - start))
    return outcomes


def _resume_with_another_input(base: Path) -> Outcome:
    """A run killed after its first chunk, resumed with a changed input (refused), then with the original."""
    import signal
    import subprocess

    import pyarrow.parquet as pq

    lines = [line for line in seed_text().splitlines() * 4 if line.strip()][:200]
    source = _jsonl(base / "resume.jsonl", [{"id": k, "text": f"[{k}] {line}"} for k, line in enumerate(lines)])
    out = base / "resume.parquet"
    args = [sys.executable, "-m", "stance.cli", "classify", str(source), "--out", str(out), "--batch-size", "5",
            "--jobs", "1", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = out.with_name(out.name + ".parts")
    while not any(parts.glob("part-*")) and proc.poll() is None:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    original = source.read_bytes()
    source.write_bytes(original + b'{"id": "late", "text": "Qu\\u00e2n M\\u1ef9"}\n')
    changed = subprocess.run([*args, "--resume"], env=env, capture_output=True, timeout=600)
    source.write_bytes(original)
    again = subprocess.run([*args, "--resume"], env=env, capture_output=True, timeout=600)
    seconds = time.perf_counter() - start
    ids = pq.read_table(out).column("id").to_pylist() if out.exists() else []
    problem = None
    if changed.returncode != 2 or b"cannot --resume" not in changed.stderr:
        problem = f"changed input: exit {changed.returncode} {_short(changed.stderr.decode())}"
    elif again.returncode != 0 or ids != [str(k) for k in range(len(lines))]:
        problem = f"resume of the original: exit {again.returncode}, {len(ids)} rows"
    return Outcome("bulk", "killed run resumed with another input", problem is None,
                   problem or f"refused (inputs[0] differs), then resumed: {len(ids)} rows in order", seconds)


def run_bulk(base: Path) -> tuple[list[Outcome], int]:
    """Every bulk case through ``stance classify --out x.parquet`` (in this process); outcomes and rows lost."""
    bad = base / "bulk" / "bad.jsonl"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b'{"text": "Qu\xc3\xa2n M\xe1\xbb\xb9"}\n{"text": "x"\n\xff\xfe{"text": 1}\n\n{"text": "\\ud800"}\n')
    outcomes, lost = _paths_given_as_text(base / "bulk"), 0
    for k, case in enumerate(bulk_cases(base / "bulk")):
        out = base / "bulk" / f"out{k}.parquet"
        start = time.perf_counter()
        try:
            status, err = _cli(["classify", *map(str, case.files), "--out", str(out), "--jobs", "1", "--quiet",
                                *case.extra])
        except Exception as e:  # noqa: BLE001
            outcomes.append(Outcome("bulk", case.name, False, f"CRASH {type(e).__name__}: {_short(str(e))}",
                                    time.perf_counter() - start, crashed=True))
            lost += case.rows or 0
            continue
        problem, missing = _check_bulk(case, out, status, err)
        lost += missing
        detail = problem or (f"{case.rows} rows, {case.errors} with error" if case.rows is not None else
                             f"refused: {_short(err.strip().splitlines()[-1].replace(str(base / 'bulk'), ''), 70)}")
        outcomes.append(Outcome("bulk", case.name, problem is None, detail, time.perf_counter() - start))
    outcomes.append(_resume_with_another_input(base / "bulk"))
    return outcomes, lost


def run_cli_in_process(argv: list[str]) -> tuple[Any, str]:
    """Exit status (or ``"CRASH ..."`` when it raised) and standard error (stripped) of ``stance ARGV``, run in
    this process with standard output discarded."""
    from stance.cli import main

    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except Exception as e:  # noqa: BLE001
            status = f"CRASH {type(e).__name__}: {_short(str(e))}"
    return status, err.getvalue().strip()


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def run_big(n_bytes: int = 10_000_000) -> list[Outcome]:
    """Classify :func:`big_text` once; handled if the result is valid and time and peak memory stay in bounds."""
    from stance.api import classify, pretrained_model

    from benchmarks.measure import peak_rss_mb, reset_peak_rss

    topic_model, stance_model = pretrained_model("topic"), pretrained_model("stance")
    text = big_text(n_bytes)
    size = len(text.encode("utf-8"))
    reset_peak_rss()
    start = time.perf_counter()
    result = classify(text, topic_model=topic_model, stance_model=stance_model)
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    problem = check_result(result, topic_model, stance_model)
    if problem is None and seconds > BIG_SECONDS_LIMIT:
        problem = f"too slow ({seconds:.0f} s > {BIG_SECONDS_LIMIT:.0f} s)"
    if problem is None and peak > BIG_RSS_LIMIT_MB:
        problem = f"peak RSS {peak:.0f} MB > {BIG_RSS_LIMIT_MB:.0f} MB"
    detail = problem or f"{size:,} bytes, {len(result.passages):,} passages, peak RSS {peak:.0f} MB"
    return [Outcome("big", f"{size / 1e6:.0f} MB in one call", problem is None, detail, seconds)]


def run(parts: Sequence[str] = DEFAULT_PARTS, *, base: Path | None = None, cases: Sequence[str] | None = None) -> Report:
    """Run the chosen parts of the battery in a temporary folder (or ``base``); ``cases`` limits the api part."""
    report = Report()
    with tempfile.TemporaryDirectory(prefix="stance-hostile-") as tmp:
        work = Path(base or tmp)
        try:
            if "api" in parts:
                report.outcomes += run_api(names=cases)
            if "native" in parts:
                from benchmarks.hostile_native import run_native

                report.outcomes += run_native()
            if "cli" in parts:
                outcomes, lost = run_cli(work)
                report.outcomes += outcomes
                report.rows_lost += lost
            if "artefacts" in parts:
                from benchmarks.hostile_artefacts import run_artefacts

                outcomes, injected = run_artefacts(work)
                report.outcomes += outcomes
                report.injected_ran += injected
            if "bulk" in parts:
                outcomes, lost = run_bulk(work)
                report.outcomes += outcomes
                report.rows_lost += lost
            if "views" in parts:
                from benchmarks.hostile_views import run_views

                report.outcomes += run_views(work)
            if "text" in parts:
                from benchmarks.hostile_text import run_text

                outcomes, lost = run_text(work)
                report.outcomes += outcomes
                report.rows_lost += lost
            if "training" in parts:
                from benchmarks.hostile_training import run_training

                report.outcomes += run_training(work)
            if "big" in parts:
                report.outcomes += run_big()
        finally:
            unreadable = work / "batch" / "18_unreadable.txt"
            if unreadable.exists():
                unreadable.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return report


def print_report(report: Report, *, verbose: bool = True, out=None) -> None:
    """The per-input lines (if ``verbose``), the summary table and the final line."""
    out = out or sys.stdout
    if verbose:
        for o in report.outcomes:
            flag = "ok  " if o.handled else "FAIL"
            print(f"{flag} {o.category:<9} {o.name[:44]:<44} {o.seconds:7.2f}s  {o.detail}", file=out)
        print(file=out)
    cats = list(dict.fromkeys(o.category for o in report.outcomes))
    print(f"{'category':<10} {'tried':>6} {'handled':>8}", file=out)
    for c in cats:
        mine = [o for o in report.outcomes if o.category == c]
        print(f"{c:<10} {len(mine):>6} {sum(o.handled for o in mine):>8}", file=out)
    tried = len(report.outcomes)
    handled = sum(o.handled for o in report.outcomes)
    crashed = sum(o.crashed for o in report.outcomes)
    print(
        f"{tried} tried, {handled} handled, {crashed} crashed, {report.rows_lost} rows lost, "
        f"{report.injected_ran} injected code ran",
        file=out,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the battery; 0 if every input was handled, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(DEFAULT_PARTS), help=f"comma-separated parts of {PARTS}")
    parser.add_argument("--case", action="append", dest="cases", help="api part: only this case (repeat for more)")
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s) {unknown}; choose from {PARTS}")
    known = {name for name, _ in api_cases()}
    if args.cases is not None and set(args.cases) - known:
        parser.error(f"unknown case(s) {sorted(set(args.cases) - known)}")
    try:
        report = run(parts, cases=args.cases)
    except Exception:  # noqa: BLE001 - the battery itself must say what broke
        traceback.print_exc()
        return 1
    print_report(report, verbose=not args.quiet)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
