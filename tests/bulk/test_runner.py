"""Bulk runs end to end on real articles: one row per input in order, the same table from every format, every
number of processes and classify_frame, and rows that match classify() of the same text."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stance import classify, classify_frame
from stance.bulk import classify_corpus
from stance.bulk.sinks import ResumeError

MODEL_COLUMNS = ["topic", "topic_name", "topic_score", "stance", "stance_pro", "stance_anti", "stance_neutral",
                 "stance_unrelated", "evidence"]


@pytest.fixture(scope="module")
def table_with_bad_rows(baomoi_jsonl, tmp_path_factory):
    """200 baomoi articles with a source field, and four bad rows among them; and the ids in input order."""
    lines = baomoi_jsonl(200).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) | {"source": "baomoi"} for line in lines]
    bad = {13: {"id": "empty", "text": " \n", "source": "x"}, 77: {"id": "number", "text": 7, "source": "x"},
           78: {"id": "none", "source": "x"}, 150: {"id": "null", "text": None, "source": "x"}}
    for k, row in sorted(bad.items()):
        rows.insert(k, row)
    path = tmp_path_factory.mktemp("table") / "articles.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path, [str(r["id"]) for r in rows], set(bad)


def test_parquet_table_has_a_row_per_input_in_order_and_rows_match_classify(table_with_bad_rows, tmp_path):
    path, ids, bad = table_with_bad_rows
    summary = classify_corpus([path], tmp_path / "r.parquet", batch_size=37, n_jobs=1)
    table = pq.read_table(tmp_path / "r.parquet")
    assert table.column_names == ["id", "source", *MODEL_COLUMNS, "error"]
    assert table.column("id").to_pylist() == ids
    assert (summary.rows, summary.errors) == (len(ids), len(bad))
    errors = table.column("error").to_pylist()
    assert [k for k, e in enumerate(errors) if e is not None] == sorted(bad)
    rows = table.to_pylist()
    assert all(rows[k]["stance"] is None and rows[k]["evidence"] is None for k in bad)
    texts = {str(r["id"]): r.get("text") for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    for k in (0, 36, 37, 120, len(ids) - 1):  # chunk edges included
        expected = classify(texts[ids[k]]).to_record()
        assert {c: rows[k][c] for c in MODEL_COLUMNS} == expected
    assert not (tmp_path / "r.parquet.parts").exists()


def test_every_format_and_two_processes_give_the_same_rows(table_with_bad_rows, tmp_path):
    path, ids, _ = table_with_bad_rows
    classify_corpus([path], tmp_path / "one.parquet", batch_size=25, n_jobs=1)
    classify_corpus([path], tmp_path / "two.parquet", batch_size=25, n_jobs=2)
    classify_corpus([path], tmp_path / "r.jsonl", batch_size=25, n_jobs=2)
    classify_corpus([path], tmp_path / "r.csv", batch_size=25, n_jobs=2)
    one = pq.read_table(tmp_path / "one.parquet")
    assert pq.read_table(tmp_path / "two.parquet").equals(one)
    from_jsonl = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [{k: v for k, v in r.items()} for r in from_jsonl] == [
        {k: v for k, v in r.items() if k != "source" or v is not None} for r in one.to_pylist()]
    with open(tmp_path / "r.csv", newline="", encoding="utf-8") as f:
        from_csv = list(csv.DictReader(f))
    assert [r["id"] for r in from_csv] == ids
    assert [r["stance"] or None for r in from_csv] == one.column("stance").to_pylist()
    assert [json.loads(r["evidence"]) if r["evidence"] else None for r in from_csv] == one.column("evidence").to_pylist()
    assert [float(r["stance_pro"]) if r["stance_pro"] else None for r in from_csv] == one.column("stance_pro").to_pylist()


def test_passages_nested_in_parquet_and_a_second_csv_file(baomoi_jsonl, tmp_path):
    path = baomoi_jsonl(40)
    classify_corpus([path], tmp_path / "r.parquet", passages=True, n_jobs=1)
    classify_corpus([path], tmp_path / "r.csv", passages=True, n_jobs=1)
    table = pq.read_table(tmp_path / "r.parquet")
    assert table.column_names[-2:] == ["passages", "error"]
    nested = [(row["id"], p["index"], p["text"], p["stance"]) for row in table.to_pylist() for p in row["passages"]]
    with open(tmp_path / "r.passages.csv", newline="", encoding="utf-8") as f:
        side = list(csv.DictReader(f))
    assert [(r["id"], int(r["index"]), r["text"], r["stance"]) for r in side] == nested
    assert list(side[0]) == ["id", "index", "text", "stance", "stance_pro", "stance_anti", "stance_neutral",
                             "stance_unrelated"]
    with open(tmp_path / "r.csv", newline="", encoding="utf-8") as f:
        assert "passages" not in next(csv.reader(f))


def test_parquet_types_pass_through_and_a_column_of_mixed_types_becomes_text(tmp_path):
    texts = ["Quân Mỹ rút khỏi Iraq.", "Đội tuyển Việt Nam thắng Thái Lan 2-0.", "Giá vàng tăng mạnh."]
    pq.write_table(pa.table({"text": texts, "day": [dt.date(2020, 1, k + 1) for k in range(3)],
                             "rank": pa.array([3, 1, 2], pa.int16())}), tmp_path / "in.parquet")
    classify_corpus([tmp_path / "in.parquet"], tmp_path / "out.parquet", batch_size=2, n_jobs=1)
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.schema.field("day").type == pa.date32() and out.schema.field("rank").type == pa.int16()
    assert out.column("id").to_pylist() == ["0", "1", "2"]
    mixed = [{"text": t, "extra": v} for t, v in zip(texts, [5, "five", {"n": 5}])]
    (tmp_path / "mixed.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in mixed), "utf-8")
    classify_corpus([tmp_path / "mixed.jsonl"], tmp_path / "mixed.parquet", batch_size=1, n_jobs=1)
    assert pq.read_table(tmp_path / "mixed.parquet").column("extra").to_pylist() == ["5", "five", '{"n": 5}']


def test_classify_frame_has_the_columns_and_values_of_the_table(table_with_bad_rows, tmp_path):
    path, ids, bad = table_with_bad_rows
    classify_corpus([path], tmp_path / "r.parquet", n_jobs=1)
    expected = pq.read_table(tmp_path / "r.parquet")
    df = pd.read_json(path, lines=True, dtype={"id": str})
    got = classify_frame(df, n_jobs=1)
    assert list(got.columns) == expected.column_names
    assert got["id"].tolist() == ids

    def plain(value):
        return None if isinstance(value, float) and value != value else value

    rows = [{k: plain(v) for k, v in row.items()} for row in got.to_dict("records")]
    assert [{c: r[c] for c in MODEL_COLUMNS} for r in rows] == [
        {c: r[c] for c in MODEL_COLUMNS} for r in expected.to_pylist()]
    assert got["error"].notna().sum() == len(bad)


def test_existing_work_folder_or_unknown_suffix_is_refused(baomoi_jsonl, tmp_path):
    (tmp_path / "r.parquet.parts").mkdir()
    with pytest.raises(ResumeError, match="holds an interrupted run.*--resume"):
        classify_corpus([baomoi_jsonl(3)], tmp_path / "r.parquet", n_jobs=1)
    with pytest.raises(ValueError, match="suffix must be one of .jsonl, .csv, .parquet"):
        classify_corpus([baomoi_jsonl(3)], tmp_path / "r.xlsx", n_jobs=1)
