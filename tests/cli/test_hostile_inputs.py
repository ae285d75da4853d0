"""Hostile inputs through real ``stance`` subprocesses: file names that are not UTF-8, and data lines that
cannot be read (100k-deep nesting, NaN, numbers out of range, invalid UTF-8).

Names are made at the bytes level (``os.fsencode``) in ``tmp_path``; the expected ids are written out by hand
in the documented form (each byte that is not UTF-8 as ``\\xNN``)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from benchmarks.hostile_text import BAD_LINES
from tests.paths import ROOT, SEEDS

ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8:strict"}


def _stance(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stance.cli", *args], capture_output=True, env=ENV, cwd=cwd,
                          timeout=600)


def _odd_folder(tmp_path):
    folder = tmp_path / "tin"
    folder.mkdir()
    seed = SEEDS[0].read_bytes()
    for name, data in [(b"a.txt", seed), (b"b\xe1o.txt", seed), (b"c\xff\xfe.txt", seed), (b"d\xe9.txt", b"")]:
        with open(os.fsencode(folder) + b"/" + name, "wb") as f:
            f.write(data)
    return folder


def test_odd_names_give_every_row_valid_utf8_and_escaped_ids_under_a_strict_stdout(tmp_path):
    folder = _odd_folder(tmp_path)
    missing = os.fsdecode(os.fsencode(tmp_path) + b"/gone\xff.txt")
    proc = _stance("classify", "--format", "jsonl", "tin", missing, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # the empty file and the missing one are errors, the run goes on
    assert b"Traceback" not in proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]  # strict: valid UTF-8
    assert [r["path"] for r in rows] == ["tin/a.txt", "tin/b\\xe1o.txt", "tin/c\\xff\\xfe.txt", "tin/d\\xe9.txt",
                                         f"{tmp_path}/gone\\xff.txt"]
    assert [r["error"] is None for r in rows] == [True, True, True, False, False]
    assert rows[0]["stance"] == rows[1]["stance"] == rows[2]["stance"]
    assert rows[3]["error"].startswith("tin/d\\xe9.txt: ") and rows[4]["error"].startswith(f"{tmp_path}/gone\\xff.txt: ")
    assert folder.is_dir()


def test_odd_names_in_a_csv_table_and_in_text_output(tmp_path):
    _odd_folder(tmp_path)
    proc = _stance("classify", "tin", "--out", "out.csv", "--quiet", cwd=tmp_path)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr
    table = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_bytes().decode("utf-8"), newline="")))
    assert [r["id"] for r in table] == ["tin/a.txt", "tin/b\\xe1o.txt", "tin/c\\xff\\xfe.txt", "tin/d\\xe9.txt"]
    proc = _stance("classify", "tin", cwd=tmp_path)
    text = proc.stdout.decode("utf-8")
    assert proc.returncode == 1 and all(f"tin/{n}" in text for n in ("a.txt", "b\\xe1o.txt", "c\\xff\\xfe.txt"))


GOOD = [{"text": f"Quân Mỹ ở Iraq, câu số {i}.", "label": "anti" if i % 2 else "pro"} for i in range(12)]
def _data_with(tmp_path, bad: list[bytes], name: str = "data.jsonl"):
    """Good lines with the ``bad`` ones at lines 2, 4, 6...; returns the path."""
    lines = [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in GOOD]
    for k, line in enumerate(bad):
        lines.insert(2 * k + 1, line)
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.mark.parametrize("verb", [["train", "data.jsonl", "--out", "m.stance"], ["evaluate", "data.jsonl", "--task", "stance"]],
                         ids=["train", "evaluate"])
def test_every_unreadable_line_is_named_by_file_and_line(tmp_path, verb):
    _data_with(tmp_path, list(BAD_LINES.values()))
    proc = _stance(*verb, cwd=tmp_path)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and "Traceback" not in err, err
    for k, case in enumerate(BAD_LINES):
        line = next(x for x in err.splitlines() if f"data.jsonl:{2 * k + 2}: " in x)
        assert "bad JSON: " in line or "not valid UTF-8" in line, (case, line)
    assert "nested too deeply" in err and "NaN is not a JSON value" in err and "1e400 is out of range" in err
    assert not (tmp_path / "m.stance").exists()


def test_a_deep_json_array_and_an_odd_data_name(tmp_path):
    rows = ",".join(json.dumps(r, ensure_ascii=False) for r in GOOD)
    (tmp_path / "data.json").write_text(f"[{rows},\n" + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "]",
                                        encoding="utf-8")
    proc = _stance("train", "data.json", "--out", "m.stance", cwd=tmp_path)
    assert proc.returncode == 2 and b"data.json:2: bad JSON: nested too deeply" in proc.stderr, proc.stderr
    odd = _data_with(tmp_path, [b"{bad"], name="tr\udce1in.jsonl")
    assert os.fsencode(odd).endswith(b"tr\xe1in.jsonl")
    proc = _stance("train", os.fsdecode(os.fsencode(odd)), "--out", "m.stance", cwd=tmp_path)
    assert proc.returncode == 2 and b"tr\\xe1in.jsonl:2: bad JSON: " in proc.stderr, proc.stderr
