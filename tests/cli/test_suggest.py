"""``stance suggest``: the texts a model is least sure about, written for labelling."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

from stance.cli import main
from tests.paths import SEEDS


def test_cli_suggest_on_real_unlabelled_passages(tmp_path, capsys, shared_data):
    sample = tmp_path / "unlabelled.jsonl"
    with lzma.open(shared_data("stance", "unlabelled.jsonl.xz"), "rt", encoding="utf-8") as f:
        sample.write_text("".join(line for _, line in zip(range(80), f)), encoding="utf-8")
    out = tmp_path / "s.jsonl"
    assert main(["suggest", str(sample), "--task", "stance", "--n", "5", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"wrote {out}: 5 of 80 texts to label (margin")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5 and all(r["label"] is None and r["id"] and r["doc_id"] for r in rows)
    assert all(r["suggested_label"] in ("pro", "anti", "neutral", "unrelated") for r in rows)
    assert [r["uncertainty"] for r in rows] == sorted((r["uncertainty"] for r in rows), reverse=True)


def test_cli_suggest_topic_on_a_folder_and_stance_passages(tmp_path, capsys):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for p in SEEDS:
        (folder / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "topic.jsonl"
    assert main(["suggest", str(folder), "--task", "topic", "--n", "2", "--strategy", "entropy", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2 and {Path(r["id"]).name for r in rows} <= {p.name for p in SEEDS}
    out = tmp_path / "passages.jsonl"
    assert main(["suggest", str(folder), "--task", "stance", "--passages", "--n", "3", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3 and all("#p" in r["id"] and r["doc_id"] in r["id"] for r in rows)
    capsys.readouterr()


def test_cli_suggest_usage_errors(tmp_path, capsys):
    src = tmp_path / "u.jsonl"
    src.write_text('{"text": "Quân Mỹ ở Iraq."}\n', encoding="utf-8")
    out = str(tmp_path / "o.jsonl")
    assert main(["suggest", str(src), "--out", out]) == 2
    assert main(["suggest", str(src), "--task", "stance", "--model", "m.joblib", "--out", out]) == 2
    assert main(["suggest", str(src), "--task", "stance", "--n", "-1", "--out", out]) == 2
    assert main(["suggest", str(tmp_path / "missing.jsonl"), "--task", "stance", "--out", out]) == 2
    assert capsys.readouterr().err.count("stance suggest") == 4
    assert not (tmp_path / "o.jsonl").exists()
