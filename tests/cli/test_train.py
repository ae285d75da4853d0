"""``stance train``: bad data is reported by file and line and nothing is written."""

from __future__ import annotations

import json

from stance.cli import main


def test_train_reports_bad_line_and_writes_nothing(tmp_path, capsys):
    data = tmp_path / "bad.jsonl"
    lines = [json.dumps({"text": f"câu số {i} về quân Mỹ", "label": "a" if i % 2 else "b"}, ensure_ascii=False) for i in range(10)]
    lines[6] = '{"text": "thiếu dấu ngoặc", "label": "a"'
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "model.joblib"
    assert main(["train", str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bad.jsonl:7" in err and "JSON" in err
    assert not out.exists() and not out.with_suffix(".json").exists()


def test_train_refuses_a_record_without_its_group(tmp_path, capsys):
    rows = [{"text": f"câu số {i} về quân Mỹ", "label": "a" if i % 2 else "b", "doc_id": f"d{i // 2}"} for i in range(12)]
    del rows[4]["doc_id"]
    data = tmp_path / "grouped.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "model.joblib"
    assert main(["train", str(data), "--out", str(out), "--group-field", "doc_id", "--cv-folds", "2"]) == 2
    assert f"group of {data}:5 is missing (None)" in capsys.readouterr().err
    assert not out.exists()
