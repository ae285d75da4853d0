"""Tests of stance.data: reading, validation messages, hashing."""

from __future__ import annotations

import hashlib
import lzma
import warnings
from pathlib import Path

import pytest

from stance.files import sha256_of
from stance.training.data import read_labelled
from stance.training.labelled import DataError, DataWarning, LabelledData
from stance.training.validation import validate

GOOD = ['{"text": "thầy dạy hay", "label": "pos"}', '{"text": "cô nhiệt tình", "label": "pos"}',
        '{"text": "phòng nóng", "label": "neg"}', '{"text": "wifi yếu", "label": "neg"}']


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_jsonl_with_meta_and_lines(tmp_path):
    lines = GOOD[:2] + ['{"text": "phòng nóng", "label": "neg", "doc_id": "d1"}', GOOD[3]]
    data = read_labelled(_write(tmp_path, "a.jsonl", lines))
    assert data.labels == ("pos", "pos", "neg", "neg")
    assert data.meta[2] == {"doc_id": "d1"}
    assert data.lines == (1, 2, 3, 4)


def test_a_json_file_is_an_array_of_records_not_json_lines(tmp_path):
    array = "[\n" + ",\n".join(GOOD[:3]) + ',\n{"text": "wifi yếu", "label": ""}\n]\n'
    path = tmp_path / "a.json"
    path.write_text(array, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_labelled(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:5: missing label", f"{path}: label 'neg' has 1 example (at least 2 needed): line 4"]
    path.write_text(array.replace('""', '"neg"'), encoding="utf-8")
    data = read_labelled(path)
    assert data.labels == ("pos", "pos", "neg", "neg") and data.lines == (2, 3, 4, 5)
    lines = _write(tmp_path, "lines.json", GOOD)  # one object per line is not a .json file
    with pytest.raises(DataError, match="lines.json:1: expected a JSON array of objects"):
        read_labelled(lines)


@pytest.mark.parametrize(
    "bad_line, line_no, needle",
    [
        ('{"text": "x", "label": ', 3, "bad JSON"),
        ('{"text": "   ", "label": "pos"}', 3, "empty text"),
        ('{"label": "pos"}', 3, "missing text"),
        ('{"text": "khác hẳn"}', 3, "missing label"),
        ('{"text": "khác hẳn", "label": ""}', 3, "missing label"),
        ('["not", "an", "object"]', 3, "expected a JSON object"),
        ('{"text": "THẦY  dạy hay", "label": "neg"}', 3, "duplicate text: same as line 1 (labels differ"),
    ],
)
def test_jsonl_problem_names_file_and_line(tmp_path, bad_line, line_no, needle):
    path = _write(tmp_path, "t.jsonl", GOOD[:2] + [bad_line] + GOOD[2:])
    with pytest.raises(DataError) as info:
        read_labelled(path)
    assert f"{path}:{line_no}: {needle}" in str(info.value)


def test_all_problems_collected_and_truncated(tmp_path):
    lines = GOOD + ['{"text": "", "label": "pos"}'] * 30
    with pytest.raises(DataError) as info:
        read_labelled(_write(tmp_path, "m.jsonl", lines))
    assert len(info.value.problems) == 30
    assert "... and 10 more" in str(info.value)
    assert str(info.value).startswith("30 problems")


def test_too_few_per_label_names_label_and_count(tmp_path):
    lines = GOOD + ['{"text": "bình thường", "label": "neutral"}']
    with pytest.raises(DataError, match=r"label 'neutral' has 1 example \(at least 2 needed\): line 5"):
        read_labelled(_write(tmp_path, "f.jsonl", lines))
    assert len(read_labelled(_write(tmp_path, "g.jsonl", lines), min_per_label=1)) == 5


def test_allow_duplicates_warns(tmp_path):
    path = _write(tmp_path, "d.jsonl", GOOD + [GOOD[0]])
    with pytest.warns(DataWarning, match="d.jsonl:5: duplicate text: same as line 1"):
        data = read_labelled(path, allow_duplicates=True)
    assert len(data) == 5


def test_overlap_with_test_names_both_lines(tmp_path):
    train = read_labelled(_write(tmp_path, "train.jsonl", GOOD))
    test = read_labelled(_write(tmp_path, "test.jsonl", [GOOD[2], '{"text": "mới", "label": "pos"}',
                                                          GOOD[0]]), min_per_label=1)
    with pytest.raises(DataError) as info:
        validate(train, test=test)
    msg = str(info.value)
    assert "test.jsonl:1: test text also in training data:" in msg and "train.jsonl line 3" in msg
    assert "test.jsonl:3:" in msg
    with pytest.warns(DataWarning):
        validate(train, test=test, allow_overlap=True)


def test_csv_physical_line_numbers(tmp_path):
    content = 'id,text,label\n1,"dòng một\ncòn tiếp",pos\n2,thầy hay,pos\n3,,neg\n4,phòng nóng,neg\n5,wifi,neg\n'
    path = tmp_path / "a.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=r"a\.csv:5: empty text"):
        read_labelled(path)


def test_csv_custom_columns(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("câu,nhãn,nguồn\nthầy hay,pos,x\ncô tốt,pos,y\nphòng nóng,neg,x\nwifi,neg,y\n", encoding="utf-8")
    data = read_labelled(path, text_field="câu", label_field="nhãn")
    assert data.meta[1] == {"nguồn": "y"} and data.lines == (2, 3, 4, 5)
    with pytest.raises(DataError, match="header has no column 'text'"):
        read_labelled(path)


def test_folder_per_label(tmp_path):
    for label, texts in {"pos": ["thầy hay", "cô tốt"], "neg": ["phòng nóng", "wifi yếu"]}.items():
        (tmp_path / label).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(text, encoding="utf-8")
    data = read_labelled(tmp_path)
    assert data.label_counts() == {"neg": 2, "pos": 2}
    assert data.meta[0] == {"file": "neg/0.txt"}
    (tmp_path / "pos" / "2.txt").write_text(" ", encoding="utf-8")
    with pytest.raises(DataError, match=r"pos/2\.txt: empty text"):
        read_labelled(tmp_path)


def test_jsonl_xz(tmp_path):
    path = tmp_path / "a.jsonl.xz"
    with lzma.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(GOOD) + "\n")
    assert len(read_labelled(path)) == 4


def test_sha256_streams_file_bytes(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00\x01" * 1_000_000)
    assert sha256_of(path) == hashlib.sha256(b"\x00\x01" * 1_000_000).hexdigest()


def test_labelled_data_length_mismatch():
    with pytest.raises(ValueError):
        LabelledData(("a",), ("x", "y"), ({},), "")


def test_real_data_read_with_documented_options(shared_data):
    assert len(read_labelled(shared_data("stance", "train.jsonl"))) == 7472
    uit = shared_data("uit_vsfc", "train.jsonl")
    with pytest.raises(DataError, match="train.jsonl:11418: duplicate text: same as line 11294 .labels differ"):
        read_labelled(uit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        assert len(read_labelled(uit, allow_duplicates=True)) == 11426
