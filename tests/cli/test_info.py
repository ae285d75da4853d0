"""``stance info``: a model file's manifest without loading it; converting a stance < 0.2 model."""

from __future__ import annotations

import json

from stance.cli import main
from stance.persist import PRETRAINED, load
from tests.persist.helpers import small_model, write_legacy


def test_info_on_the_shipped_model(capsys):
    assert main(["info", str(PRETRAINED / "stance.stance")]) == 0
    out = capsys.readouterr().out
    assert "  labels     anti, neutral, pro, unrelated" in out
    assert "  loading    safe: loads without --trusted" in out and "payload    skops" in out
    assert main(["info", "--json", str(PRETRAINED / "topic.stance")]) == 0
    assert json.loads(capsys.readouterr().out)["task"] == "topic"


def test_info_on_a_legacy_model_and_its_conversion(tmp_path, capsys):
    old = write_legacy(tmp_path / "old.joblib", small_model(), labels=["s", "w"], metrics={"accuracy": 0.5})
    assert main(["info", str(old)]) == 0
    assert "needs --trusted: a pickle (model saved by stance < 0.2)" in capsys.readouterr().out
    new = tmp_path / "new.stance"
    assert main(["info", str(old), "--convert", str(new)]) == 2
    assert "trusted=True" in capsys.readouterr().err and not new.exists()
    assert main(["info", str(old), "--trusted", "--convert", str(new)]) == 0
    assert "it loads without --trusted" in capsys.readouterr().out
    assert load(new).classes_.tolist() == ["s", "w"]


def test_info_on_broken_files_exits_2_without_traceback(tmp_path, capsys):
    (tmp_path / "deep.stance").write_bytes(b"[" * 100_000)
    for path in (tmp_path / "missing.stance", tmp_path, tmp_path / "deep.stance"):
        assert main(["info", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("stance info: error: ") and "Traceback" not in err
