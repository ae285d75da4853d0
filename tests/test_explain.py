"""Explanations: top features of real models, per-text contributions, `explain` and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from stance.api import pretrained_model
from stance.text.clean import clean
from stance.cli import main
from stance.explain import (
    decision_score,
    explain,
    feature_contributions,
    top_features,
    weight_rows,
)
from stance.estimators.text_classifier import TextClassifier

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "stance" / "train.jsonl"
SEED = ROOT / "seeds" / "002_e9adfbff22676568.txt"
ANTI_TEXT = (
    "Hàng nghìn người biểu tình đòi quân Mỹ rút khỏi Iraq.\n"
    "Họ gọi sự hiện diện của binh sĩ Mỹ là chiếm đóng và lên án các vụ không kích giết hại dân thường."
)

needs_data = pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data/stance/train.jsonl")


def _rows(n: int) -> list[dict]:
    with open(DATA, encoding="utf-8") as f:
        return [json.loads(line) for _, line in zip(range(n), f)]


@pytest.fixture(scope="module")
def passages_model() -> TextClassifier:
    """A four-label TextClassifier (n-grams and cues) on the first 400 real stance passages."""
    rows = _rows(400)
    return TextClassifier(cues=True).fit([r["text"] for r in rows], [r["label"] for r in rows])


@pytest.fixture(scope="module")
def binary_model() -> TextClassifier:
    rows = _rows(400)
    y = ["unrelated" if r["label"] == "unrelated" else "related" for r in rows]
    return TextClassifier().fit([r["text"] for r in rows], y)


# ---------------------------------------------------------------------------------------------- top_features


@needs_data
def test_top_features_of_a_text_classifier_are_readable_positive_and_sorted(passages_model):
    tops = top_features(passages_model, n=30)
    assert list(tops) == ["anti", "neutral", "pro", "unrelated"]
    names = set(passages_model.features_.get_feature_names_out())
    for label, pairs in tops.items():
        assert 0 < len(pairs) <= 30
        weights = [w for _, w in pairs]
        assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
        for feature, _ in pairs:
            assert not feature.startswith("tfidf__")
            assert (f"tfidf__{feature}" in names) or (feature.startswith("cues__") and feature in names)
    # Worked out on these 400 passages: the occupation word is among the anti weights.
    anti = [f for f, _ in tops["anti"]]
    assert any(cue in f for f in anti for cue in ("phản đối", "rút", "chiếm đóng")), anti
    rows = weight_rows(passages_model)
    col = list(passages_model.features_.get_feature_names_out()).index("tfidf__chiếm đóng")
    assert rows["anti"][col] == max(rows[k][col] for k in rows)


@needs_data
def test_top_features_weights_are_the_svm_coefficients(passages_model):
    coef = passages_model.coef_
    names = [str(n).removeprefix("tfidf__") for n in passages_model.feature_names()]
    tops = top_features(passages_model, n=5)
    for k, label in enumerate(passages_model.classes_):
        best = np.argsort(-coef[k], kind="stable")[:5]
        assert tops[label] == [(names[i], pytest.approx(float(coef[k, i]))) for i in best]


@needs_data
def test_binary_model_gives_both_labels_with_opposite_weights(binary_model):
    coef = binary_model.coef_
    assert coef.shape[0] == 1
    rows = weight_rows(binary_model)
    assert list(rows) == ["related", "unrelated"]
    np.testing.assert_allclose(rows["unrelated"], coef[0])
    np.testing.assert_allclose(rows["related"], -coef[0])
    tops = top_features(binary_model, n=3)
    most_negative = int(np.argmin(coef[0]))
    assert tops["related"][0][0] == str(binary_model.feature_names()[most_negative]).removeprefix("tfidf__")
    assert tops["related"][0][1] == pytest.approx(-float(coef[0, most_negative]))


def test_top_features_of_the_stance_model_are_keyed_by_step():
    tops = top_features(pretrained_model("stance"), n=4)
    assert list(tops) == ["relevance:related", "relevance:unrelated", "stance:anti", "stance:neutral", "stance:pro"]
    assert all(len(pairs) == 4 for pairs in tops.values())
    # related and unrelated share one weight vector: nothing is a top feature of both
    assert not {f for f, _ in tops["relevance:related"]} & {f for f, _ in tops["relevance:unrelated"]}


def test_top_features_refuses_a_model_without_weights():
    with pytest.raises(TypeError, match="features_"):
        top_features(object())
    with pytest.raises(ValueError, match="n must be"):
        top_features(pretrained_model("stance"), n=-1)


# ---------------------------------------------------------------------------------------------- contributions


@needs_data
def test_contributions_add_up_to_the_decision_score(passages_model):
    text = _rows(401)[400]["text"]
    scores = passages_model.decision_function([text])[0]
    for k, label in enumerate(passages_model.classes_):
        assert decision_score(passages_model, text, label) == pytest.approx(float(scores[k]), abs=1e-4)


@needs_data
def test_listed_contributions_are_the_largest_in_magnitude(passages_model):
    text = _rows(402)[401]["text"]
    x = passages_model.transform_features([text]).toarray()[0]
    names = [str(n).removeprefix("tfidf__") for n in passages_model.feature_names()]
    for k, label in enumerate(passages_model.classes_):
        full = x * passages_model.coef_[k].astype(np.float64)
        listed = feature_contributions(passages_model, text, label, n=8)
        assert len(listed) == 8
        magnitudes = [abs(c) for _, c in listed]
        assert magnitudes == sorted(magnitudes, reverse=True)
        unlisted = [abs(full[i]) for i in np.flatnonzero(full) if names[i] not in {f for f, _ in listed}]
        assert max(unlisted) <= min(magnitudes) + 1e-9
        for feature, c in listed:
            assert c == pytest.approx(full[names.index(feature)], rel=1e-5)


def test_contributions_refuse_an_unknown_key():
    with pytest.raises(ValueError, match="not a weight row"):
        feature_contributions(pretrained_model("stance"), "Quân Mỹ", "anti")


# ---------------------------------------------------------------------------------------------- explain


def test_explain_an_anti_text_shows_evidence_and_features():
    e = explain(ANTI_TEXT, n=6)
    r = e.result
    assert r.stance == "anti"
    assert r.evidence and e.passage_index == r.evidence[0].index
    assert list(e.passage_features) == ["relevance:related", "stance:anti"]
    model = pretrained_model("stance")
    top_text = r.passages[e.passage_index].text
    for key, pairs in e.passage_features.items():
        assert 0 < len(pairs) <= 6
        assert list(pairs) == feature_contributions(model, top_text, key, n=6)
    # the occupation word pushes the passage toward anti
    assert dict(e.passage_features["stance:anti"]).get("chiếm đóng", 0) > 0


def test_explain_an_unrelated_text_uses_the_relevance_step_only():
    e = explain("Đội tuyển Việt Nam thắng Thái Lan 2-0 trong trận chung kết tối qua. "
                "Cầu thủ Quang Hải ghi bàn ở phút thứ 10.", n=4)
    assert e.result.stance == "unrelated" and e.result.topic == "The thao"
    assert list(e.passage_features) == ["relevance:unrelated"]
    assert "Lập trường: không liên quan [unrelated]" in e.to_text()


@needs_data
def test_a_text_classifier_as_stance_model_is_keyed_by_label(passages_model):
    e = explain(ANTI_TEXT, stance_model=passages_model, n=3)
    assert list(e.passage_features) == [e.result.stance]


def test_topic_features_are_the_largest_contributions_to_the_topic():
    text = SEED.read_text(encoding="utf-8")
    e = explain(text, n=5)
    topic = pretrained_model("topic")[-1]
    k = list(topic.classes_).index(e.result.topic)
    x = topic.transform_features([clean(text)]).toarray()[0]
    full = x * topic.coef_[k].astype(np.float64)
    best = np.argsort(-np.abs(full), kind="stable")[:5]
    assert [round(c, 6) for _, c in e.topic_features] == [round(float(full[i]), 6) for i in best]


def test_to_text_is_vietnamese_with_two_decimals():
    e = explain(ANTI_TEXT, n=3)
    out = e.to_text()
    assert out.startswith("Chủ đề: Thế giới [The gioi]")
    assert "Lập trường: phản đối [anti]" in out
    assert "bước lập trường → phản đối [anti]:" in out
    numbers = re.findall(r"\d+\.\d+", out)
    assert numbers and all(len(n.split(".")[1]) == 2 for n in numbers)


def test_explain_uses_the_models_given(passages_model):
    e = explain(ANTI_TEXT, topic_model=passages_model, n=2)
    assert e.result.topic in passages_model.classes_
    assert len(e.topic_features) <= 2


def test_explain_rejects_empty_text():
    with pytest.raises(ValueError):
        explain("   ")


# ---------------------------------------------------------------------------------------------- CLI


def test_cli_explain_text_and_file(capsys):
    assert main(["explain", "--n", "3", ANTI_TEXT]) == 0
    out = capsys.readouterr().out
    assert "Lập trường: phản đối [anti]" in out and "Đặc trưng của chủ đề" in out
    assert main(["explain", "--file", str(SEED)]) == 0
    assert "Chủ đề: Thế giới" in capsys.readouterr().out


def test_cli_explain_top_features(tmp_path, capsys, passages_model):
    assert main(["explain", "--top-features", "--task", "stance", "--n", "3"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "relevance:related"
    assert out.count("\n  +") == 5 * 3
    assert main(["explain", "--top-features", "--task", "topic", "--n", "2"]) == 0
    assert "The gioi (Thế giới)" in capsys.readouterr().out
    from stance.persist import save

    path = tmp_path / "m.joblib"
    save(passages_model, path, task="demo")
    assert main(["explain", "--top-features", "--model", str(path)]) == 2
    assert "trusted" in capsys.readouterr().err
    assert main(["explain", "--top-features", "--model", str(path), "--trusted", "--n", "30"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "anti" and "chiếm đóng" in out


def test_cli_explain_usage_errors(capsys):
    assert main(["explain"]) == 2
    assert main(["explain", "x", "--file", str(SEED)]) == 2
    assert main(["explain", "--top-features", "x"]) == 2
    assert main(["explain", "--file", "/nonexistent/a.txt"]) == 2
    assert capsys.readouterr().err.count("stance explain") == 4
