"""``stance evaluate``: scoring a model, cross-validating a configuration with groups, reports."""

from __future__ import annotations

import json

from stance.cli import main


def _write(tmp_path, rows, name="data.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


ROWS = [{"text": f"{w} số {i}", "label": label, "doc_id": f"{label}{i // 2}", "source": "x" if i % 2 else "y"}
        for label, w in (("a", "quân Mỹ ở Iraq"), ("b", "cầu thủ ghi bàn")) for i in range(12)]


def test_grouped_cross_validation_with_a_report(tmp_path, capsys):
    data = _write(tmp_path, ROWS)
    report = tmp_path / "report"
    assert main(["evaluate", str(data), "--cv", "3", "--group-field", "doc_id", "--by", "source", "--bootstrap", "50",
                 "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3-fold grouped CV of TextClassifier on data.jsonl: 24 examples")
    assert "  by source" in out and f"report written to {report}/" in out
    assert sorted(p.name for p in report.iterdir()) == ["confusion_matrix.png", "reliability.png", "report.json", "report.md"]
    saved = json.loads((report / "report.json").read_text(encoding="utf-8"))["result"]
    assert saved["protocol"]["grouped"] and saved["metrics"]["n"] == 24


def test_the_shipped_stance_model_on_labelled_passages(tmp_path, capsys):
    rows = [{"text": "Hàng nghìn người biểu tình đòi quân Mỹ rút khỏi Iraq.", "label": "anti"},
            {"text": "Đội tuyển Việt Nam thắng Thái Lan 2-0.", "label": "unrelated"},
            {"text": "Người dân phản đối căn cứ quân sự Mỹ ở Okinawa.", "label": "anti"},
            {"text": "Cầu thủ Quang Hải ghi bàn ở phút thứ 10.", "label": "unrelated"}]
    assert main(["evaluate", str(_write(tmp_path, rows)), "--task", "stance", "--bootstrap", "0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("shipped stance model on data.jsonl: 4 examples") and "F_avg" in out


def test_missing_group_and_usage_errors(tmp_path, capsys):
    rows = [dict(r) for r in ROWS]
    rows[3]["doc_id"] = ""
    data = _write(tmp_path, rows)
    assert main(["evaluate", str(data), "--cv", "3", "--group-field", "doc_id"]) == 2
    assert f"group of {data}:4 is missing ('')" in capsys.readouterr().err
    assert main(["evaluate", str(data)]) == 2
    assert "give --model MODEL, --task topic|stance, or --cv K" in capsys.readouterr().err
