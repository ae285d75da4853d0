"""Reading inputs: every row becomes exactly one item, in order; bad rows are items with an error; a table that
cannot be read at all is refused up front."""

from __future__ import annotations

import json
import lzma
import os
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stance.bulk.sources import InputError, format_of, open_inputs
from tests.paths import ROOT, SEEDS

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS]


def items(paths, **options):
    return [item for source in open_inputs(paths, **options) for item in source]


def test_jsonl_rows_in_order_with_bad_rows_as_errors(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": SEED_TEXTS[0], "date": "2017-02-06", "n": 3}, ensure_ascii=False),
        "",  # blank: not a row
        "{not json",
        json.dumps({"id": 17, "text": 42}),
        json.dumps({"text": "   "}),
        json.dumps({"id": None, "title": "no text field"}),
        json.dumps([1, 2]),
        json.dumps({"id": "f", "text": SEED_TEXTS[1], "tags": ["x", "y"]}, ensure_ascii=False),
    ]
    path = tmp_path / "t.jsonl.xz"
    path.write_bytes(lzma.compress("\n".join(lines).encode("utf-8")))
    got = items([path])
    assert [i.id for i in got] == ["a", "1", "17", "3", "4", "5", "f"]
    assert [i.error is None for i in got] == [True, False, False, False, False, False, True]
    assert got[0].fields == {"date": "2017-02-06", "n": 3} and got[0].text == SEED_TEXTS[0]
    assert got[6].fields == {"tags": ["x", "y"]}
    assert "bad JSON" in got[1].error and f"{path}:3" in got[1].error
    assert "'text' is not a string (got int)" in got[2].error
    assert got[3].error.endswith("empty text")
    assert "no 'text' field" in got[4].error and got[4].fields == {"title": "no text field"}
    assert "expected a JSON object" in got[5].error


def test_csv_quoted_newlines_ragged_rows_undecodable_bytes_and_a_huge_field(tmp_path):
    huge = "Quân đội Mỹ ở Iraq. " * 20_000  # 400 kB in one field: above csv's 128 KiB default limit
    body = ('id,text,source\n'
            f'1,"{SEED_TEXTS[0].replace(chr(34), chr(34) * 2)}",vnexpress\n'
            '2,one field too many,x,y\n'
            '\n'
            f'3,{huge},dantri\n').encode("utf-8") + b'4,"Vi\xeat Nam",bad\n' + b'5,,empty\n'
    path = tmp_path / "t.csv"
    path.write_bytes(body)
    got = items([path])
    assert [i.id for i in got] == ["1", "2", "3", "4", "5"]
    assert got[0].text == SEED_TEXTS[0] and got[0].fields == {"source": "vnexpress"}
    ragged_line = 2 + SEED_TEXTS[0].count("\n") + 1  # the header, then row 1 spans the seed's lines
    assert got[1].error == f"{path}:{ragged_line}: 4 fields, the header has 3"
    assert got[2].text == huge and got[2].fields == {"source": "dantri"}
    assert "not valid UTF-8" in got[3].error
    assert got[4].error.endswith("empty text")
    assert sum(i.error is None for i in got) == 2


def test_tsv_and_an_id_field_of_another_name(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("doc\tbody\tid\nA\tQuân Mỹ rút khỏi Iraq.\tz\n", encoding="utf-8")
    [item] = items([path], text_field="body", id_field="doc")
    assert (item.id, item.text, item.fields) == ("A", "Quân Mỹ rút khỏi Iraq.", {"id": "z"})


def test_parquet_keeps_types_and_refuses_what_is_not_parquet(tmp_path):
    import datetime as dt

    table = pa.table({"id": [1, 2], "text": [SEED_TEXTS[0], None],
                      "when": pa.array([dt.date(2017, 2, 6), dt.date(2017, 2, 7)]), "score": pa.array([1, 2], pa.int16())})
    pq.write_table(table, tmp_path / "t.parquet", row_group_size=1)
    [source] = open_inputs([tmp_path / "t.parquet"])
    assert source.count() == 2 and source.types() == {"when": pa.date32(), "score": pa.int16()}
    got = list(source)
    assert [i.id for i in got] == ["1", "2"] and got[0].fields == {"when": dt.date(2017, 2, 6), "score": 1}
    assert "'text' is null" in got[1].error
    fake = tmp_path / "fake.parquet"
    fake.write_text("id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(InputError, match="fake.parquet: not a readable Parquet file"):
        open_inputs([fake])


@pytest.mark.parametrize("suffix,content", [
    (".csv", "id,body\n1,Quân Mỹ\n"),
    (".jsonl", '{"id": 1, "body": "Quân Mỹ"}\n'),
])
def test_a_table_without_the_text_column_is_refused_naming_its_columns(tmp_path, suffix, content):
    path = tmp_path / f"t{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=r"no 'text' column \(columns: 'id', 'body'\); name the text column"):
        open_inputs([path])
    assert items([path], text_field="body")[0].text == "Quân Mỹ"


def test_folders_take_txt_and_html_in_any_case_recursively(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.TXT").write_text(SEED_TEXTS[0], encoding="utf-8")
    (tmp_path / "b" / "page.Html").write_text(f"<html><body><p>{SEED_TEXTS[1]}</p></body></html>", encoding="utf-8")
    (tmp_path / "b" / "c.htm").write_text(SEED_TEXTS[2], encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    got = items([tmp_path])
    assert [os.path.relpath(i.id, tmp_path) for i in got] == ["a.TXT", "b/c.htm", "b/page.Html"]
    assert all(i.error is None for i in got)


def test_a_non_utf8_file_name_is_shown_with_escapes(tmp_path):
    name = os.fsencode(tmp_path) + b"/b\xe1o.txt"
    with open(name, "wb") as f:
        f.write(SEED_TEXTS[0].encode("utf-8"))
    [item] = items([tmp_path])
    assert item.id == f"{tmp_path}/b\\xe1o.txt" and item.error is None
    item.id.encode("utf-8")  # encodable: it can go into JSON, CSV and Parquet


def test_inputs_are_grouped_in_order_and_formats_come_from_names(tmp_path):
    (tmp_path / "t.jsonl").write_text('{"text": "Quân Mỹ"}\n', encoding="utf-8")
    sources = open_inputs([SEEDS[0], SEEDS[1], tmp_path / "t.jsonl", SEEDS[2]])
    assert [type(s).__name__ for s in sources] == ["Documents", "JsonTable", "Documents"]
    assert [format_of(p) for p in ("x.JSONL.xz", "x.ndjson", "x.tsv.xz", "x.pq", "x.htm", "x")] == [
        "jsonl", "jsonl", "tsv", "parquet", "text", "text"]


def test_stdin_as_a_document_and_as_a_table():
    code = ("import sys; from stance.bulk.sources import open_inputs; "
            "fmt = sys.argv[1] or None; "
            "print([(i.id, (i.text or '')[:8], i.error) for s in open_inputs(['-'], input_format=fmt) for i in s])")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(fmt: str, data: bytes) -> str:
        done = subprocess.run([sys.executable, "-c", code, fmt], input=data, capture_output=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode().strip()

    assert run("", SEED_TEXTS[0].encode("utf-16")) == f"[('<stdin>', {SEED_TEXTS[0][:8]!r}, None)]"
    assert run("jsonl", b'{"id": "q", "text": "Qu\\u00e2n M\\u1ef9"}\n{"text": ""}\n') == (
        "[('q', 'Quân Mỹ', None), ('1', '', '/dev/stdin:2: empty text')]")
