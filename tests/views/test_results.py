"""Reading results tables: the three formats agree with the rows written, and broken tables are refused naming
the file, the line (or row) and the field."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from stance.views.results import read_results

from tests.views.tables import ERROR_ROWS


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_every_format_reads_back_the_rows_written(fmt, dantri_tables, dantri_rows):
    table = read_results(dantri_tables[fmt])
    frame = table.frame
    assert len(frame) == len(dantri_rows)
    assert frame["id"].tolist() == [r["id"] for r in dantri_rows]
    assert frame["error"].tolist() == [r["error"] for r in dantri_rows]
    assert table.labels == ["pro", "anti", "neutral", "unrelated"]
    ok = [k for k, r in enumerate(dantri_rows) if r["error"] is None]
    assert frame["stance"][ok].tolist() == [dantri_rows[k]["stance"] for k in ok]
    assert frame["stance_anti"][ok].tolist() == pytest.approx([dantri_rows[k]["stance_anti"] for k in ok], rel=1e-12)
    assert frame["evidence"][ok].tolist() == [dantri_rows[k]["evidence"] for k in ok]
    assert [[x["text"] for x in e] for e in frame["evidence"][ok]] == [
        [x["text"] for x in dantri_rows[k]["evidence"]] for k in ok]
    assert frame["section"].tolist() == [r["section"] for r in dantri_rows]
    first_error = min(ERROR_ROWS)
    assert table.where(first_error) == (f"{dantri_tables[fmt]}:{first_error + 1}" if fmt == "jsonl"
                                        else f"{dantri_tables[fmt]}: row {first_error}")


def _row(**change) -> dict:
    row = {"id": "a", "site": "VNE", "topic": "The gioi", "topic_name": "Thế giới", "topic_score": 0.9,
           "stance": "anti", "stance_pro": 0.1, "stance_anti": 0.6, "stance_neutral": 0.2, "stance_unrelated": 0.1,
           "evidence": [{"index": 0, "text": "Quân Mỹ phải rút.", "stance": "anti", "score": 0.6}], "error": None}
    row.update(change)
    return row


def _jsonl(tmp_path, rows) -> str:
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("rows,message", [
    ([_row(), _row(stance_anti=1.5)], r"r.jsonl:2: field 'stance_anti' must be a probability in \[0, 1\], got 1.5"),
    ([_row(topic_score=None)], r"r.jsonl:1: field 'topic_score' must be a probability"),
    ([_row(stance_pro="0.1")], r"r.jsonl:1: field 'stance_pro' must be a probability .* got '0.1'"),
    ([_row(stance=None)], r"r.jsonl:1: a row without 'error' needs a label in 'stance'"),
    ([_row(stance="maybe")], r"r.jsonl:1: stance 'maybe' has no 'stance_<label>' column"),
    ([_row(evidence="[1, 2]")], r"r.jsonl:1: field 'evidence' is not JSON|must be a list of objects"),
    ([{k: v for k, v in _row().items() if k != "stance_unrelated"}], "missing column.*stance_unrelated"),
    ([{k: v for k, v in _row().items() if k != "topic"}], "missing column.*topic"),
])
def test_broken_tables_are_refused_naming_where(tmp_path, rows, message):
    with pytest.raises(ValueError, match=message):
        read_results(_jsonl(tmp_path, rows))


def test_error_rows_need_no_model_values_and_a_missing_error_column_means_none(tmp_path):
    rows = [_row(), {"id": "b", "site": "TT", "topic": None, "stance": None, "topic_score": None,
                     "stance_pro": None, "stance_anti": None, "stance_neutral": None, "stance_unrelated": None,
                     "evidence": None, "error": "empty text"}]
    table = read_results(_jsonl(tmp_path, rows))
    assert table.frame["error"].tolist() == [None, "empty text"]
    assert table.frame["evidence"][1] == []
    table = read_results(_jsonl(tmp_path, [{k: v for k, v in _row().items() if k != "error"}]))
    assert table.frame["error"].tolist() == [None]


def test_csv_evidence_that_is_not_json_names_the_line(tmp_path):
    path = tmp_path / "r.csv"
    pd.DataFrame([_row(evidence="[]"), _row(evidence="[{")]).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"r.csv: row 1: field 'evidence' is not JSON"):
        read_results(path)


def test_unknown_formats_empty_tables_and_missing_files(tmp_path):
    (tmp_path / "r.xlsx").write_bytes(b"PK")
    with pytest.raises(ValueError, match="not a results table"):
        read_results(tmp_path / "r.xlsx")
    (tmp_path / "e.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="no rows"):
        read_results(tmp_path / "e.jsonl")
    with pytest.raises(FileNotFoundError, match="nothing.jsonl"):
        read_results(tmp_path / "nothing.jsonl")
    (tmp_path / "bad.jsonl").write_text('{"id": 1}\n[1]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2: expected a JSON object"):
        read_results(tmp_path / "bad.jsonl")
