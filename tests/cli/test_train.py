"""``stance train``: bad data is reported by file and line and nothing is written."""

from __future__ import annotations

import json

import pytest

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


def test_train_task_from_another_directory_says_where_it_looked_and_what_to_pass(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STANCE_DATA", raising=False)
    assert main(["train", "--task", "topic"]) == 2
    err = capsys.readouterr().err
    assert "../shared/data/vntc/train.jsonl.xz" in err and str(tmp_path) in err
    assert "--data-dir" in err and "STANCE_DATA" in err
    monkeypatch.setenv("STANCE_DATA", str(tmp_path / "nowhere"))
    assert main(["train", "--task", "stance"]) == 2
    assert f"{tmp_path / 'nowhere' / 'stance' / 'train.jsonl'} ($STANCE_DATA)" in capsys.readouterr().err
    assert main(["train", "--task", "stance", "--data-dir", str(tmp_path)]) == 2
    assert "(--data-dir)" in capsys.readouterr().err
    assert sorted(tmp_path.iterdir()) == [], "nothing written"


@pytest.mark.slow  # the stance model's cross-validation on 200 passages: ~35 s
def test_train_task_reads_stance_data_and_replaces_the_installed_default(shared_data, tmp_path, monkeypatch, capsys):
    # 200 passages of the real stance data, found through $STANCE_DATA from another directory; the package's
    # model folder is a temporary one here (the shipped models stay as they are)
    data = tmp_path / "data" / "stance"
    data.mkdir(parents=True)
    lines = shared_data("stance", "train.jsonl").read_text(encoding="utf-8").splitlines()[:200]
    (data / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    more = shared_data("stance", "train_more.jsonl").read_text(encoding="utf-8").splitlines()[:100]
    (data / "train_more.jsonl").write_text("\n".join(more) + "\n", encoding="utf-8")
    articles = shared_data("stance", "articles.jsonl").read_text(encoding="utf-8").splitlines()[:120]
    (data / "articles.jsonl").write_text("\n".join(articles) + "\n", encoding="utf-8")
    n = 200 + sum(json.loads(line)["label"] != "unrelated" for line in more)  # train_more less its unrelated
    installed = tmp_path / "site-packages" / "stance" / "pretrained"
    installed.mkdir(parents=True)
    monkeypatch.setattr("stance.persist.PRETRAINED", installed)
    monkeypatch.setenv("STANCE_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(installed.parent)
    assert main(["train", "--task", "stance", "--quiet"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"wrote {installed / 'stance.stance'} (") and f"{n} examples" in out[0]
    assert "default stance model of this installation" in out[2]
    from stance.persist import load

    assert load(installed / "stance.stance").classes_.tolist() == ["anti", "neutral", "pro", "unrelated"]


def test_duplicate_texts_are_refused_with_the_option_and_allowed_with_one_warning_line(tmp_path, capsys):
    rows = json.loads(_data(tmp_path).read_text(encoding="utf-8"))
    data = tmp_path / "dup.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows + [rows[0]]), encoding="utf-8")
    out = tmp_path / "m.stance"
    assert main(["train", str(data), "--out", str(out), "--cv-folds", "2"]) == 2
    err = capsys.readouterr().err
    assert f"{data}:25: duplicate text" in err and "--allow-duplicates" in err and not out.exists()
    assert main(["train", str(data), "--out", str(out), "--cv-folds", "2", "--allow-duplicates", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err.splitlines() == [f"stance train: warning: 1 duplicate text(s) kept (--allow-duplicates): "
                                f"{data}:25: duplicate text: same as line 1"]


def test_too_few_examples_for_the_folds_is_a_data_error_with_a_hint(tmp_path, capsys):
    data = _data(tmp_path)  # 12 examples of each label
    out = tmp_path / "m.stance"
    assert main(["train", str(data), "--out", str(out), "--cv-folds", "13"]) == 2
    err = capsys.readouterr().err
    assert "label 'a' has 12 examples (at least 13 needed)" in err and "pass a smaller --cv-folds" in err
    assert "n_splits" not in err and not out.exists()
