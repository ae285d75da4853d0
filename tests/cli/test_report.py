"""``stance report``: a corpus report from a results table; bad tables and fields exit 2 naming them."""

from __future__ import annotations

import json

from stance.cli import main


def test_report_from_a_results_table(tmp_path, dantri_tables, capsys):
    out = tmp_path / "report"
    assert main(["report", str(dantri_tables["parquet"]), "--by", "section", "--by", "date", "--out", str(out),
                 "--min-group", "100", "--top", "3", "--title", "Dân trí"]) == 0
    assert "index.html" in capsys.readouterr().err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert list(report["by"]) == ["section", "date"] and report["min_group"] == 100
    assert len(report["most"]["pro"]) == 3
    assert all(g["too_few"] == (g["n"] < 100) for g in report["by"]["section"]["groups"])
    assert "<h1>Dân trí</h1>" in (out / "index.html").read_text(encoding="utf-8")


def test_report_errors(tmp_path, dantri_tables, capsys):
    assert main(["report", str(dantri_tables["csv"]), "--by", "site", "--out", str(tmp_path / "r")]) == 2
    assert "no field 'site'" in capsys.readouterr().err
    (tmp_path / "bad.jsonl").write_text('{"id": "a"}\n', encoding="utf-8")
    assert main(["report", str(tmp_path / "bad.jsonl"), "--out", str(tmp_path / "r")]) == 2
    assert "missing column" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "r")]) == 2
    assert not (tmp_path / "r").exists()
