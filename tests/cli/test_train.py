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


def _data(folder, name="train.json"):
    words = {"a": ["quân Mỹ", "binh sĩ", "Iraq", "căn cứ"], "b": ["bóng đá", "cầu thủ", "trận đấu", "bàn thắng"]}
    rows = [{"text": f"{w} số {i}", "label": label} for label, ws in words.items() for i, w in enumerate(ws * 3)]
    path = folder / name
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def test_train_never_writes_over_its_data_or_what_it_did_not_write(tmp_path, capsys):
    import os

    data = _data(tmp_path)
    before = data.read_bytes()
    (tmp_path / "models").mkdir()
    os.symlink(data, tmp_path / "link.stance")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    for out, says in [(data, "input"), (tmp_path / "sub" / ".." / "train.json", "input"),
                      (tmp_path / "link.stance", "input"), (tmp_path / "models", "is a folder"),
                      (tmp_path / "notes.txt", "not a stance model")]:
        assert main(["train", str(data), "--out", str(out), "--cv-folds", "2"]) == 2
        err = capsys.readouterr().err
        assert says in err and "Traceback" not in err and err.startswith("stance train: error: ")
    assert data.read_bytes() == before and (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.stance", "models", "notes.txt", "sub", "train.json"]


def test_any_out_name_gives_a_model_that_loads_without_trusted_and_train_says_how(tmp_path, capsys):
    data = _data(tmp_path)
    # the case: --out train.joblib beside train.json (a manifest used to go to train.json)
    for name in ("train.joblib", "model.json"):
        out = tmp_path / name
        assert main(["train", str(data), "--out", str(out), "--cv-folds", "2", "--task", "demo"]) == 0
        printed = capsys.readouterr().out.splitlines()
        assert printed[0].startswith(f"wrote {out} (") and printed[1] == f"model card: {out.with_suffix('.md')}"
        assert printed[3] == f"  stance classify --topic-model {out} FILES..."
        assert printed[4] == f"  stance evaluate TEST_DATA --model {out}"
    assert json.loads(data.read_text(encoding="utf-8"))[0]["label"] == "a", "the data is intact"
    # the printed commands work as printed: no --trusted
    assert main(["evaluate", str(data), "--model", str(tmp_path / "model.json"), "--bootstrap", "10"]) == 0
    assert main(["explain", "--top-features", "--model", str(tmp_path / "train.joblib"), "--n", "2"]) == 0
    assert main(["train", str(data), "--out", str(tmp_path / "model.json"), "--cv-folds", "2"]) == 0  # replace it
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["model.json", "model.md", "train.joblib", "train.json", "train.md"]
