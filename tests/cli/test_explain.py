"""``stance explain``: an article's reasons, a model's top features, usage errors."""

from __future__ import annotations

from stance.cli import main
from stance.estimators.text_classifier import TextClassifier
from stance.persist import save
from tests.paths import SEEDS

ANTI_TEXT = "Hàng nghìn người biểu tình đòi quân Mỹ rút khỏi Iraq.\nHọ gọi sự hiện diện của binh sĩ Mỹ là chiếm đóng."


def test_explain_a_text_and_a_file(capsys):
    assert main(["explain", "--n", "3", ANTI_TEXT]) == 0
    out = capsys.readouterr().out
    assert "\nstance: anti " in out and "features of the topic 'The gioi' (Thế giới)" in out
    assert main(["explain", "--file", str(SEEDS[2])]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"file: {SEEDS[2]} (") and "\ntopic: The gioi (Thế giới) " in out


def test_a_path_as_the_argument_is_read_as_the_article_never_as_words(tmp_path, capsys):
    text = SEEDS[2].read_text(encoding="utf-8")
    assert main(["explain", str(SEEDS[2])]) == 0
    out = capsys.readouterr().out
    # the article (15 passages about US strikes in Iraq), not its file name (one passage of ASCII)
    assert out.startswith(f"file: {SEEDS[2]} ({len(text):,} characters read)")
    assert "\ntopic: The gioi " in out and "\npassages: 1\n" not in out
    missing = tmp_path / "002_missing.txt"
    assert main(["explain", str(missing)]) == 2
    err = capsys.readouterr()
    assert err.out == "" and f"{missing}: no such file" in err.err and "--text" in err.err
    assert main(["explain", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["explain", "--text", "ghi-chu.txt"]) == 0  # deliberately words: explained as text
    assert "\npassages: 1\n" in capsys.readouterr().out
    assert main(["explain", str(SEEDS[2]), "--text", "x y"]) == 2


def test_top_features_of_the_shipped_and_of_a_trusted_model(tmp_path, capsys):
    assert main(["explain", "--top-features", "--task", "stance", "--n", "3"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "anti"  # the passage model's weights, by label
    assert out.count("\n  +") == 4 * 3
    assert main(["explain", "--top-features", "--task", "topic", "--n", "2"]) == 0
    assert "The gioi (Thế giới)" in capsys.readouterr().out
    texts = ["quân Mỹ chiếm đóng Iraq", "đội tuyển thắng trận", "binh sĩ Mỹ chiếm đóng", "cầu thủ ghi bàn"] * 3
    path = tmp_path / "m.stance"
    save(TextClassifier(min_df=1, calibration_folds=2).fit(texts, ["anti", "unrelated"] * 6), path, task="demo")
    assert main(["explain", "--top-features", "--model", str(path), "--n", "30"]) == 0  # own model: no --trusted
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "anti" and "chiếm đóng" in out


def test_a_model_file_that_cannot_be_explained_is_refused_at_load(tmp_path, capsys):
    from sklearn.dummy import DummyClassifier
    from sklearn.pipeline import make_pipeline
    from tests.persist.helpers import write_legacy

    dummy = make_pipeline(DummyClassifier()).fit([[0], [1]], ["anti", "unrelated"])  # no text, no weights
    a_dict = write_legacy(tmp_path / "dict.joblib", {"classes_": ["a"]})
    for path in (write_legacy(tmp_path / "dummy.joblib", dummy), a_dict):
        assert main(["explain", "--top-features", "--trusted", "--model", str(path)]) == 2
        err = capsys.readouterr().err
        assert f"--model {path}" in err and "Traceback" not in err
    assert main(["explain", "--trusted", "--stance-model", str(a_dict), "Quân Mỹ ở Iraq."]) == 2
    assert "--stance-model" in capsys.readouterr().err


def test_usage_errors(capsys):
    assert main(["explain"]) == 2
    assert main(["explain", "x", "--file", str(SEEDS[0])]) == 2
    assert main(["explain", "--top-features", "x"]) == 2
    assert main(["explain", "--file", "/nonexistent/a.txt"]) == 2
    assert capsys.readouterr().err.count("stance explain") == 4
