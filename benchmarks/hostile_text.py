"""The ``text`` part of ``python -m benchmarks.hostile``: hostile text, file names and data lines.

Four kinds of case, each a class of defect once found (issue 8, items 6-9) and its neighbours:

``linear``
    Families of text that made a cleaning step super-linear (chains of photo credits and datelines, floods of
    combining marks that slipped past the pile-up cap, and the shapes the other steps' patterns could backtrack
    on), each cleaned and cut into passages at n and 4n characters: handled if 4n takes less than
    :data:`RATIO` times as long as n (4 for linear, 16 for quadratic; best of three runs each). The issue's own
    sizes are also run once each (72 KB of credits, 960 KB of datelines, 100 KB of Tibetan vowel signs):
    handled under :data:`SECONDS`.
``invisible``
    A seed article with an invisible character of one kind inside every word: handled if it cleans to the
    same text and gets the same topic, stance and scores as the plain article.
``names``
    ``stance classify`` over files named with bytes that are not UTF-8, as a real subprocess under a strict
    UTF-8 standard output, in JSON Lines, CSV and text: every row present (rows lost otherwise), output valid
    UTF-8, ids with ``\\xNN`` escapes.
``lines``
    ``stance train`` and ``stance evaluate`` on JSON Lines and JSON files holding one unreadable line
    (100k-deep nesting, NaN, Infinity, 1e400, a 5,000-digit number, invalid UTF-8, extra data): handled if
    the command exits 2 with ``file:line: problem``; an exception escaping is a crash.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from benchmarks.hostile import ROOT, SEEDS, Outcome, _short

RATIO = 8.0
"""Largest accepted time(4n) / time(n)."""
SECONDS = 10.0
"""Longest the issue's own sizes may take to clean."""
MIN_SECONDS = 0.03
"""The smaller size is doubled until it takes this long (shorter times are mostly noise)."""

FAMILIES: dict[str, tuple[Callable[[int], str], int]] = {
    "photo-credit chain": (lambda n: "Quân Mỹ ở Iraq." + " Ảnh: AP." * n, 2_000),
    "bracketed credit chain": (lambda n: "Quân Mỹ ở Iraq." + " (Ảnh: Reuters)" * n, 2_000),
    "credit chain, wide spaces": (lambda n: "Quân Mỹ ở Iraq." + ".\u3000\u3000Nguồn ảnh\u2003: AP" * n, 2_000),
    "dateline chain": (lambda n: "Tin " + "(AB)- " * n + "quân Mỹ rút", 10_000),
    "dateline chain after an opening": (lambda n: "(Tin a) - (x " + "(AB) – " * n + "quân Mỹ", 10_000),
    "dateline chain of exceptions": (lambda n: "Tin " + "(IS)- (NATO)- " * n + "quân Mỹ", 10_000),
    "openings chain": (lambda n: "(Kiến Thức) - " * n + "Quân Mỹ rút.", 10_000),
    "Tibetan vowel signs": (lambda n: "Quân Mỹ ở Iraq ka" + "\u0f73\u0f75\u0f81" * n, 3_000),
    "combining marks": (lambda n: "Quân Mỹ ở Iraq a" + "\u0301\u0323" * n, 5_000),
    "marks split by joiners": (lambda n: "Quân Mỹ a" + ("\u0301" * 15 + "\u034f") * n, 1_000),
    "invisible characters": (lambda n: "Quân Mỹ" + "\u2066\u034f\ufe0f\U000e0041" * n, 10_000),
    "tone-mark word": (lambda n: "ườ" * n, 20_000),
    "unclosed tags": (lambda n: "<br" * n + " Quân Mỹ", 20_000),
    "unclosed comments and scripts": (lambda n: "<!--<script>" * n + " Quân Mỹ", 10_000),
    "nested entities": (lambda n: "&amp;lt;" * n, 10_000),
    "hotline of digits": (lambda n: "Đường dây nóng: " + "1 " * n + "x" * 30, 20_000),
    "tag list of spaces": (lambda n: "Từ khóa" + " " * n + ":", 20_000),
    "form prompt of stars": (lambda n: "*" * n + "vui lòng", 20_000),
    "byline bars": (lambda n: "a |" * n, 20_000),
    "repeated lines": (lambda n: "Quân Mỹ rút.\n" * n, 20_000),
    "signature lines": (lambda n: "Quân Mỹ rút khỏi Iraq.\n" + "Thanh Hà\n" * n, 20_000),
    "headers after the first line": (lambda n: "Quân Mỹ.\n" + "Tin tức hôm nay\n" * n + "Tin liên quan", 20_000),
    "abbreviations": (lambda n: "Ông " + "TP. " * n + "Hà Nội.", 20_000),
    "sentences": (lambda n: "Quân Mỹ rút. " * n, 20_000),
    "closing brackets after a period": (lambda n: "Ông nói." + ")" * n + " Bà", 20_000),
}

ISSUE_SIZES: dict[str, str] = {
    "72 KB of photo credits": "Quân Mỹ ở Iraq." + " Ảnh: AP." * 8_000,
    "960 KB of datelines": "Tin " + "(AB)- " * 160_000 + "quân Mỹ",
    "100 KB of Tibetan vowel signs": "ka" + "\u0f73\u0f75\u0f81" * 33_000,
}

INVISIBLES: dict[str, str] = {
    "bidi isolates U+2066-2069": "\u2066\u2067\u2068\u2069", "Arabic letter mark U+061C": "\u061c",
    "Mongolian vowel separator U+180E": "\u180e", "combining grapheme joiner U+034F": "\u034f",
    "variation selectors FE00-FE0F": "\ufe00\ufe0f", "variation selectors E0100-E01EF": "\U000e0100\U000e01ef",
    "tag characters E0000-E007F": "\U000e0001\U000e0041\U000e007f", "zero-width joiners U+200C/D": "\u200c\u200d",
    "bidi embeddings and overrides": "\u202a\u202e\u202c", "word joiner and invisible operators": "\u2060\u2062",
    "Hangul fillers": "\u3164\uffa0", "soft hyphen and BOM": "\u00ad\ufeff",
    "interlinear annotation U+FFF9-FFFB": "\ufff9\ufffb", "Khmer inherent vowels U+17B4/5": "\u17b4\u17b5",
}

BAD_LINES: dict[str, bytes] = {
    "100k-deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "100k-deep object": b'{"text": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001,
    "NaN": b'{"text": NaN, "label": "pro"}',
    "-Infinity": b'{"text": "x", "label": "pro", "w": -Infinity}',
    "1e400": b'{"text": "x", "label": "pro", "w": 1e400}',
    "5,000-digit number": b'{"text": "x", "label": "pro", "w": ' + b"7" * 5000 + b"}",
    "invalid UTF-8": b'{"text": "Qu\xe2n M\xff", "label": "pro"}',
    "extra data": b'{"text": "x", "label": "pro"} {"text": "y"}',
}


def _clean_and_cut(text: str) -> object:
    from stance.text.clean import clean
    from stance.text.segment import passages

    return passages(clean(text))


def best_of_three(run: Callable[[str], object], text: str) -> float:
    """The shortest of three timed runs of ``run(text)``, in seconds."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run(text)
        best = min(best, time.perf_counter() - start)
    return best


def linear_ratio(run: Callable[[str], object], make: Callable[[int], str], n: int) -> tuple[float, int]:
    """``(time of make(4n) / time of make(n), n)``, ``n`` doubled first (up to 4 times) until ``run`` takes
    :data:`MIN_SECONDS` on ``make(n)``; the best of three runs each."""
    run(make(n))  # warm caches (tone-mark syllables, compiled patterns)
    small = best_of_three(run, make(n))
    for _ in range(4):
        if small >= MIN_SECONDS:
            break
        n *= 2
        small = best_of_three(run, make(n))
    return best_of_three(run, make(4 * n)) / small, n


def run_linear() -> list[Outcome]:
    """Every family at n and 4n (the ratio), and the issue's sizes once (the time)."""
    from stance.text.clean import clean

    outcomes = []
    for name, (make, n) in FAMILIES.items():
        start = time.perf_counter()
        try:
            ratio, n = linear_ratio(_clean_and_cut, make, n)
        except Exception as e:  # noqa: BLE001 - what must not escape
            outcomes.append(Outcome("text", f"linear: {name}", False, f"CRASH {type(e).__name__}: {_short(str(e))}",
                                    time.perf_counter() - start, crashed=True))
            continue
        detail = f"{len(make(4 * n)):,} chars took {ratio:.1f} x the time of {len(make(n)):,}"
        outcomes.append(Outcome("text", f"linear: {name}", ratio < RATIO, detail, time.perf_counter() - start))
    for name, text in ISSUE_SIZES.items():
        start = time.perf_counter()
        out = clean(text)
        seconds = time.perf_counter() - start
        outcomes.append(Outcome("text", f"size: {name}", seconds < SECONDS,
                                f"cleaned to {len(out):,} chars in {seconds:.2f} s (limit {SECONDS:.0f} s)", seconds))
    return outcomes


def run_invisible() -> list[Outcome]:
    """A seed with one kind of invisible character inside every word, against the plain seed."""
    import re

    from stance.api import classify
    from stance.text.clean import clean

    text = SEEDS[0].read_text(encoding="utf-8")
    plain = classify(text)
    outcomes = []
    for name, chars in INVISIBLES.items():
        start = time.perf_counter()
        split = re.sub(r"\w{2,}", lambda m: m.group()[0] + chars + m.group()[1:], text)
        try:
            got = classify(split)
            problem = None
            if clean(split) != clean(text):
                problem = "cleans to another text"
            elif (got.topic, got.stance, got.topic_scores, got.stance_scores) != (
                    plain.topic, plain.stance, plain.topic_scores, plain.stance_scores):
                problem = f"classified {got.topic} / {got.stance}, plain {plain.topic} / {plain.stance}"
        except Exception as e:  # noqa: BLE001
            outcomes.append(Outcome("text", f"invisible: {name}", False, f"CRASH {type(e).__name__}: {e}",
                                    time.perf_counter() - start, crashed=True))
            continue
        outcomes.append(Outcome("text", f"invisible: {name}", problem is None,
                                problem or f"same text, {got.topic} / {got.stance}", time.perf_counter() - start))
    return outcomes


def _stance(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run([sys.executable, "-m", "stance.cli", *args], cwd=cwd, env=env, capture_output=True,
                          timeout=900)


def run_names(base: Path) -> tuple[list[Outcome], int]:
    """``stance classify`` over odd names under a strict UTF-8 stdout: JSON Lines, CSV, text; rows lost."""
    folder = base / "names"
    folder.mkdir(parents=True)
    seed = SEEDS[1].read_bytes()
    names = [b"a.txt", b"b\xe1o.txt", b"c\xff\xfe.txt", b"d\xc3(.txt", b"e\xed\xa0\x80.txt", b"f\\xe1.txt"]
    for name in names:
        with open(os.fsencode(folder) + b"/" + name, "wb") as f:
            f.write(seed)
    with open(os.fsencode(folder) + b"/g\xe9-empty.txt", "wb"):
        pass
    want = ["names/a.txt", "names/b\\xe1o.txt", "names/c\\xff\\xfe.txt", "names/d\\xc3(.txt",
            "names/e\\xed\\xa0\\x80.txt", "names/f\\xe1.txt", "names/g\\xe9-empty.txt"]
    outcomes, lost = [], 0
    for fmt in ("jsonl", "csv", "text"):
        start = time.perf_counter()
        args = {"jsonl": ["classify", "names", "--format", "jsonl"], "csv": ["classify", "names", "--out", "names.csv",
                "--quiet"], "text": ["classify", "names"]}[fmt]
        proc = _stance(args, base)
        problem = None
        try:
            if fmt == "jsonl":
                ids = [json.loads(line)["path"] for line in proc.stdout.decode("utf-8").splitlines()]
            elif fmt == "csv":
                table = (base / "names.csv").read_bytes().decode("utf-8")
                ids = [row["id"] for row in csv.DictReader(io.StringIO(table, newline=""))]
            else:
                shown = proc.stdout.decode("utf-8")
                ids = [w for w in want if w in shown]
        except (UnicodeDecodeError, ValueError, OSError) as e:
            ids, problem = [], f"output not readable UTF-8: {_short(str(e))}"
        if problem is None and ids != want:
            problem = f"ids {ids}"
        if problem is None and (proc.returncode != 1 or b"Traceback" in proc.stderr):
            problem = f"exit {proc.returncode}: {_short(proc.stderr.decode('utf-8', 'replace'))}"
        lost += len(set(want) - set(ids))
        outcomes.append(Outcome("text", f"names: {len(names) + 1} odd names, {fmt}", problem is None,
                                problem or f"{len(ids)} rows, ids escaped ({ids[2]})", time.perf_counter() - start))
    return outcomes, lost


def run_lines(base: Path) -> list[Outcome]:
    """``stance train`` / ``stance evaluate`` (in this process) on data with one unreadable line each."""
    from stance.cli import main

    folder = base / "lines"
    folder.mkdir(parents=True)
    good = [json.dumps({"text": f"Quân Mỹ ở Iraq, câu số {i}.", "label": "anti" if i % 2 else "pro"},
                       ensure_ascii=False).encode("utf-8") for i in range(12)]
    outcomes = []
    for k, (name, bad) in enumerate(BAD_LINES.items()):
        for layout in ("jsonl", "json"):
            if layout == "json" and name in ("invalid UTF-8", "extra data"):
                continue  # a whole-file matter for a JSON array, tried as JSON Lines
            path = folder / f"d{k}.{layout}"
            if layout == "jsonl":
                path.write_bytes(b"\n".join([*good[:4], bad, *good[4:]]) + b"\n")
                where = f"{path}:5: "
            else:
                path.write_bytes(b"[" + b",\n".join([*good[:4], bad, *good[4:]]) + b"]")
                where = f"{path}:5: "
            for verb in (["train", str(path), "--out", str(folder / "m.stance")], ["evaluate", str(path), "--task", "stance"]):
                if verb[0] == "evaluate" and layout == "json":
                    continue
                start = time.perf_counter()
                err = io.StringIO()
                try:
                    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                        status = main(verb)
                except BaseException as e:  # noqa: BLE001 - RecursionError, SystemExit...: all crashes here
                    outcomes.append(Outcome("text", f"lines: {verb[0]} {layout} {name}", False,
                                            f"CRASH {type(e).__name__}: {_short(str(e))}", time.perf_counter() - start,
                                            crashed=True))
                    continue
                said = next((line.strip() for line in err.getvalue().splitlines() if where in line), "")
                ok = status == 2 and bool(said) and not (folder / "m.stance").exists()
                outcomes.append(Outcome("text", f"lines: {verb[0]} {layout} {name}", ok,
                                        _short(said.replace(str(folder) + "/", ""), 80) if ok else
                                        f"exit {status}: {_short(err.getvalue())}", time.perf_counter() - start))
    return outcomes


def run_text(base: Path) -> tuple[list[Outcome], int]:
    """All four kinds; the outcomes and the rows lost."""
    outcomes = run_linear() + run_invisible()
    names, lost = run_names(base)
    return outcomes + names + run_lines(base), lost
