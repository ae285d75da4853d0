"""Tests of stance.report: files exist, PNGs are valid, nothing half-written, foreign folders untouched."""

from __future__ import annotations

import json
import struct

import pytest

from stance.evaluation.metrics import metrics
from stance.evaluation.report import write_report

PNG = b"\x89PNG\r\n\x1a\n"


def _result() -> dict:
    y = ["pro", "anti", "neutral", "pro", "anti", "neutral"]
    pred = ["pro", "neutral", "neutral", "pro", "anti", "pro"]
    proba = [[0.1, 0.2, 0.7], [0.3, 0.6, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1], [0.2, 0.3, 0.5]]
    m = metrics(y, pred, proba, ["anti", "neutral", "pro"], n_bootstrap=100,
                groups_meta=[{"source": s} for s in "abcabc"], by="source")
    return {"metrics": m, "folds": [], "protocol": {"kind": "stratified_kfold", "n_splits": 2, "random_state": 0,
                                                    "n": 6, "grouped": False},
            "fold_summary": {}, "predictions": {"y_pred": pred},
            "learning_curve": [{"fraction": 0.5, "n_train": 3.0, "accuracy": 0.5, "macro_f1": 0.4, "f_avg": 0.3,
                                "macro_f1_std": 0.1, "folds": []},
                               {"fraction": 1.0, "n_train": 6.0, "accuracy": 0.6, "macro_f1": 0.5, "f_avg": 0.4,
                                "macro_f1_std": 0.1, "folds": []}]}


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_writes_all_files(tmp_path):
    out = write_report(_result(), tmp_path / "rep", title="Thử nghiệm")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["confusion_matrix.png", "learning_curve.png", "reliability.png", "report.json", "report.md"]
    for name in names:
        if name.endswith(".png"):
            w, h = _png_size(out / name)
            assert w > 100 and h > 100
    payload = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert payload["title"] == "Thử nghiệm" and "predictions" not in payload["result"]
    md = (out / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Thử nghiệm") and "![reliability diagram](reliability.png)" in md
    assert "### By source" in md and "## Learning curve" in md
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_replaces_previous_report_but_not_foreign_folder(tmp_path):
    out = write_report(_result(), tmp_path / "rep", title="one")
    write_report(_result(), out, title="two")
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# two")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="notes.txt"):
        write_report(_result(), out, title="three")
    assert (out / "notes.txt").exists()


def test_bad_input_leaves_nothing(tmp_path):
    with pytest.raises(ValueError, match="not an evaluation result"):
        write_report({"foo": 1}, tmp_path / "rep", title="x")
    assert list(tmp_path.iterdir()) == []


def test_failure_midway_leaves_nothing(tmp_path):
    broken = _result()
    broken["metrics"]["confusion_matrix"] = {"labels": ["a"], "matrix": "oops"}
    with pytest.raises(Exception):
        write_report(broken, tmp_path / "rep", title="x")
    assert list(tmp_path.iterdir()) == []
