"""stance.files: atomic writes, JSON records (lines and arrays, plain and .xz), JSON values."""

from __future__ import annotations

import hashlib
import json
import lzma
import os

import numpy as np
import pytest

from stance import files
from stance.files import JsonRecordError, atomic_write, iter_json_records, read_json_records, sha256_file, to_jsonable


def test_atomic_write_replaces_whole_files_and_leaves_no_temporary(tmp_path):
    path = atomic_write(tmp_path / "a" / "b.txt", "Quân Mỹ")
    assert path.read_bytes() == "Quân Mỹ".encode("utf-8")
    atomic_write(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert os.stat(path).st_mode & 0o777 == 0o644
    assert sorted(p.name for p in path.parent.iterdir()) == ["b.txt"]


def test_failed_atomic_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = atomic_write(tmp_path / "m.json", "old")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        atomic_write(path, "new")
    assert path.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]


def test_sha256_of_a_file_larger_than_a_chunk(tmp_path):
    data = bytes(range(256)) * 5000  # 1.28 MB: more than one 1 MiB chunk
    path = atomic_write(tmp_path / "x.bin", data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()
    # the digest of "abc" from FIPS 180-2, appendix B.1
    assert sha256_file(atomic_write(tmp_path / "abc", b"abc")) == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


LINES = '\ufeff{"text": "Một", "label": "a"}\n\n{"text": "Hai"\n[1]\n{"text": "Ba"}\n'


@pytest.mark.parametrize("name", ["d.jsonl", "d.ndjson", "d.jsonl.xz"])
def test_json_lines_records_and_problems_with_file_and_line(tmp_path, name):
    data = LINES.encode("utf-8")
    path = atomic_write(tmp_path / name, lzma.compress(data) if name.endswith(".xz") else data)
    items = list(iter_json_records(path))
    assert [(i.line, i.record) for i in items if i.problem is None] == [
        (1, {"text": "Một", "label": "a"}), (5, {"text": "Ba"})]
    assert [str(i) for i in items if i.problem] == [
        f"{path}:3: bad JSON: Expecting ',' delimiter (column 15)",
        f"{path}:4: expected a JSON object, got list",
    ]
    with pytest.raises(JsonRecordError, match=r"d\.\w+(\.xz)?:3: bad JSON"):
        read_json_records(path)


def test_bad_utf8_and_damaged_xz_are_named(tmp_path):
    path = atomic_write(tmp_path / "u.jsonl", b'{"text": "a"}\n{"text": "\xff"}\n')
    assert [str(i) for i in iter_json_records(path)][1] == f"{path}:2: not valid UTF-8 (byte 10)"
    broken = atomic_write(tmp_path / "b.jsonl.xz", lzma.compress(b'{"text": "a"}\n' * 100)[:-20])
    assert "cannot decompress" in str(list(iter_json_records(broken))[-1])


def test_a_json_file_is_an_array_of_objects_with_lines(tmp_path):
    rows = [{"text": "Một", "label": "a"}, {"text": "Hai\nba", "label": "b"}, {"text": "Bốn", "label": "a"}]
    path = atomic_write(tmp_path / "d.json", json.dumps(rows, ensure_ascii=False, indent=1))
    items = list(iter_json_records(path))
    # json.dumps(indent=1) puts "[" on line 1 and each object over 4 lines from line 2
    assert [i.line for i in items] == [2, 6, 10] and [i.record for i in items] == rows
    assert read_json_records(atomic_write(tmp_path / "e.json", "[ ]")) == []


@pytest.mark.parametrize(
    "content,message",
    [
        ('{"text": "a"}\n{"text": "b"}\n', "1: expected a JSON array of objects (one object per line is JSON Lines"),
        ('[{"text": "a"},\n 3]', "2: expected a JSON object, got int"),
        ('[{"text": "a"},\n {"text": }]', "2: bad JSON: Expecting value (column 11)"),
        ('[{"text": "a"}\n {"text": "b"}]', "2: bad JSON: expected ',' or ']' after an array item"),
        ('[{"text": "a"}] x', "1: bad JSON: text after the closing ']'"),
    ],
)
def test_a_bad_json_file_is_refused_with_its_line(tmp_path, content, message):
    path = atomic_write(tmp_path / "d.json", content)
    with pytest.raises(JsonRecordError) as err:
        read_json_records(path)
    assert str(err.value).startswith(f"{path}:{message}")


def test_other_names_need_a_layout(tmp_path):
    path = atomic_write(tmp_path / "d.txt", '{"text": "a"}\n')
    with pytest.raises(ValueError, match="not a JSON records file"):
        list(iter_json_records(path))
    assert read_json_records(path, layout="jsonl") == [{"text": "a"}]


def test_to_jsonable_gives_json_values_only():
    value = {1: (np.float32(0.5), np.array([[1, 2]])), "x": [np.nan, -np.inf, np.int8(-3)], "p": files.Path("a/b")}
    out = to_jsonable(value)
    assert out == {"1": [0.5, [[1, 2]]], "x": [None, None, -3], "p": "a/b"}
    assert json.loads(json.dumps(out, allow_nan=False)) == out
    assert to_jsonable(object).startswith("<class")


def test_atomic_folder_replaces_only_its_own_files_and_leaves_nothing_on_failure(tmp_path):
    from stance.files import atomic_folder, atomic_write

    out = tmp_path / "report"
    mine = lambda name: name in ("index.html", "report.json")  # noqa: E731
    with atomic_folder(out, replaceable=mine) as tmp:
        atomic_write(tmp / "index.html", "1")
    with pytest.raises(RuntimeError):
        with atomic_folder(out, replaceable=mine) as tmp:
            atomic_write(tmp / "index.html", "2")
            raise RuntimeError("stopped half-way")
    assert (out / "index.html").read_text() == "1" and sorted(p.name for p in tmp_path.iterdir()) == ["report"]
    with atomic_folder(out, replaceable=mine) as tmp:
        atomic_write(tmp / "report.json", "{}")
    assert sorted(p.name for p in out.iterdir()) == ["report.json"] and oct(out.stat().st_mode & 0o777) == "0o755"
    atomic_write(out / "notes.txt", "mine")
    with pytest.raises(ValueError, match="notes.txt"):
        with atomic_folder(out, replaceable=mine):
            pass
    atomic_write(tmp_path / "file", "x")
    with pytest.raises(ValueError, match="not a folder"):
        with atomic_folder(tmp_path / "file", replaceable=mine):
            pass


HOSTILE_JSON = [
    ("[" * 100_000 + "]" * 100_000, "bad JSON: nested too deeply"),
    ('{"a": ' * 50_000 + "1" + "}" * 50_000, "bad JSON: nested too deeply"),
    ('{"text": NaN}', "bad JSON: NaN is not a JSON value"),
    ('{"text": "x", "w": Infinity}', "bad JSON: Infinity is not a JSON value"),
    ('{"text": "x", "w": -Infinity}', "bad JSON: -Infinity is not a JSON value"),
    ('{"text": "x", "w": 1e400}', "bad JSON: number 1e400 is out of range"),
    ('{"text": "x", "w": -' + "9" * 5000 + "}", "bad JSON: number of 5,000 digits is longer than 4,300"),
    ('{"text": "x"} {"text": "y"}', "bad JSON: Extra data (column 15)"),
]


@pytest.mark.parametrize("line,problem", HOSTILE_JSON, ids=[p for _, p in HOSTILE_JSON])
def test_unreadable_json_lines_are_problems_with_file_and_line(tmp_path, line, problem):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "Quân Mỹ"}\n' + line + '\n{"text": "Iraq"}\n', encoding="utf-8")
    records = list(iter_json_records(path))
    assert [str(r) for r in records] == [f"{path}:1", f"{path}:2: {problem}", f"{path}:3"]
    with pytest.raises(ValueError, match="^" + problem.replace("(", r"\(").replace(")", r"\)") + "$"):
        files.parse_json(line)
    array = tmp_path / "d.json"  # the same value inside a JSON array, on its line
    array.write_text('[{"text": "a"},\n' + line.split("} {")[0] + ("}" if "} {" in line else "") + "]", encoding="utf-8")
    if "Extra data" not in problem:
        assert [str(r) for r in iter_json_records(array)] == [f"{array}:1", f"{array}:2: {problem}"]


def test_records_of_a_file_named_with_bytes_that_are_not_utf8(tmp_path):
    path = os.fsencode(tmp_path) + b"/d\xe1.jsonl"
    with open(path, "wb") as f:
        f.write(b'{"text": "a"}\n[1]\n')
    assert [str(r) for r in iter_json_records(os.fsdecode(path))] == [
        f"{tmp_path}/d\\xe1.jsonl:1", f"{tmp_path}/d\\xe1.jsonl:2: expected a JSON object, got list"]
