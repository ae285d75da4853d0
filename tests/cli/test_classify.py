"""``stance classify`` end to end: the seeds, one row per input in order, folders, untrusted models."""

from __future__ import annotations

import json
from pathlib import Path

from stance.cli import main
from tests.paths import SEEDS


def test_classify_text_output_lists_topic_stance_and_evidence(capsys):
    assert main(["classify", *map(str, SEEDS)]) == 0
    out = capsys.readouterr().out
    assert out.count("  topic    ") == len(SEEDS)
    assert out.count("  stance   ") == len(SEEDS)
    assert "Thế giới" in out and "evidence" in out


def test_classify_jsonl_one_row_per_input_in_order_with_errors(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02" * 20)
    missing = tmp_path / "missing.txt"
    inputs = [SEEDS[0], empty, SEEDS[1], binary, missing, SEEDS[2]]
    assert main(["classify", "--format", "jsonl", "--batch-size", "2", *map(str, inputs)]) == 1
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["path"] for r in rows] == [str(p) for p in inputs]
    assert [r["error"] is None for r in rows] == [True, False, True, False, False, True]
    assert all(r["stance"] in ("pro", "anti", "neutral", "unrelated") for r in rows if r["error"] is None)
    assert "3 document(s) could not be classified" in captured.err


def test_classify_a_folder(tmp_path, capsys):
    for p in SEEDS[:2]:
        (tmp_path / p.name).write_bytes(p.read_bytes())
    assert main(["classify", "--format", "jsonl", str(tmp_path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [Path(r["path"]).name for r in rows] == [p.name for p in SEEDS[:2]]


def test_untrusted_model_file_is_refused(tmp_path, capsys):
    from stance.persist import PRETRAINED
    from tests.persist.helpers import hostile_pickle, small_model, write_legacy, write_legacy_bytes

    copy = tmp_path / "topic copy.stance"  # a model file in the safe format loads without --trusted, from anywhere
    copy.write_bytes((PRETRAINED / "topic.stance").read_bytes())
    assert main(["classify", "--topic-model", str(copy), "--format", "jsonl", str(SEEDS[0])]) == 0
    capsys.readouterr()
    legacy = write_legacy(tmp_path / "old.joblib", small_model())  # a pickle (stance < 0.2) needs --trusted
    assert main(["classify", "--topic-model", str(legacy), str(SEEDS[0])]) == 2
    err = capsys.readouterr().err
    assert "--topic-model" in err and "old.joblib" in err and "--trusted" in err
    assert main(["classify", "--trusted", "--topic-model", str(legacy), "--format", "jsonl", str(SEEDS[0])]) == 0
    evil = write_legacy_bytes(tmp_path / "evil.joblib", hostile_pickle(tmp_path / "pwned"))
    assert main(["classify", "--stance-model", str(evil), str(SEEDS[0])]) == 2
    assert not (tmp_path / "pwned").exists()


def test_an_empty_folder_or_table_is_an_error_and_skipped_files_are_named(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["classify", str(empty)]) == 2
    assert capsys.readouterr().err == f"stance classify: error: no .txt, .html or .htm file in {empty}: nothing to classify\n"
    table = tmp_path / "none.csv"
    table.write_text("id,text\n", encoding="utf-8")
    assert main(["classify", str(table), "--out", str(tmp_path / "r.jsonl"), "--quiet"]) == 2
    assert "the input holds no article" in capsys.readouterr().err
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "A.TXT").write_bytes(SEEDS[2].read_bytes())
    (folder / "page.Htm").write_text("<p>Quân đội Mỹ tiếp tục hiện diện ở Iraq.</p>", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    assert main(["classify", str(folder), "--format", "jsonl"]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["path"] for line in captured.out.splitlines()] == [str(folder / "A.TXT"), str(folder / "page.Htm")]
    assert captured.err == f"stance classify: skipped 1 file(s) that are not .txt, .html or .htm: {folder / 'scan.pdf'}\n"
