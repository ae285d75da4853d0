"""Explanations: weights and contributions checked against weights set by hand, sums against the model's own
scores, and `explain` on texts whose reasons are plain to a reader (``stance explain`` is in tests/cli)."""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest

from stance.api import pretrained_model
from stance.estimators.text_classifier import TextClassifier
from stance.explain import decision_score, explain, feature_contributions, top_features, weight_rows
from stance.text.clean import clean
from tests.paths import SEEDS

ANTI_TEXT = (
    "Hàng nghìn người biểu tình đòi quân Mỹ rút khỏi Iraq.\n"
    "Họ gọi sự hiện diện của binh sĩ Mỹ là chiếm đóng và lên án các vụ không kích giết hại dân thường."
)
SPORT_TEXT = "Đội tuyển Việt Nam thắng Thái Lan 2-0 trong trận chung kết tối qua. Cầu thủ Quang Hải ghi bàn ở phút thứ 10."
TEXTS = ["quân Mỹ rút khỏi Iraq", "đội tuyển thắng trận", "binh sĩ Mỹ ở Iraq", "cầu thủ ghi bàn", "căn cứ quân sự Mỹ",
         "trận đấu kết thúc"] * 4
LABELS = ["world", "sport", "world", "sport", "world", "sport"] * 4


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    return TextClassifier(min_df=1, calibration_folds=2).fit(TEXTS, LABELS)


def _ngrams(text: str, up_to: int = 3) -> set[str]:
    """Every 1..up_to-gram of the text's syllables (runs of word characters), lower-cased."""
    syllables = re.findall(r"\w+", clean(text).lower())
    return {" ".join(syllables[i : i + n]) for n in range(1, up_to + 1) for i in range(len(syllables) - n + 1)}


def _with_weights(model: TextClassifier, weights: dict[str, float]) -> TextClassifier:
    """A copy of ``model`` whose SVM has exactly these weights (by n-gram) and no intercept."""
    rigged = copy.deepcopy(model)
    names = [str(n).removeprefix("tfidf__") for n in rigged.feature_names()]
    coef = np.zeros_like(rigged.calibrated_.coef_)
    for ngram, w in weights.items():
        coef[0, names.index(ngram)] = w
    rigged.calibrated_.coef_ = coef
    rigged.calibrated_.intercept_ = np.zeros_like(rigged.calibrated_.intercept_)
    return rigged


# ---------------------------------------------------------------------------------------------- weights


def test_top_features_are_the_largest_weights_set_by_hand(model):
    # Two labels, one weight vector (for "world"); "sport"'s weights are its negation.
    rigged = _with_weights(model, {"iraq": 3.0, "mỹ": 2.0, "quân": 0.5, "cầu thủ": -4.0, "trận": -1.0})
    tops = top_features(rigged, n=2)
    assert tops == {"world": [("iraq", 3.0), ("mỹ", 2.0)], "sport": [("cầu thủ", 4.0), ("trận", 1.0)]}
    assert top_features(rigged, n=10)["world"] == [("iraq", 3.0), ("mỹ", 2.0), ("quân", 0.5)]  # positive only


def test_weight_rows_of_the_shipped_stance_model_are_its_passage_models_by_label():
    model = pretrained_model("stance")
    rows = weight_rows(model)
    assert list(rows) == ["anti", "neutral", "pro", "unrelated"]
    np.testing.assert_array_equal(rows["anti"], model[-1].passage_.coef_[0])
    tops = top_features(pretrained_model("stance"), n=4)
    assert all(len(pairs) == 4 for pairs in tops.values())


def test_refuses_a_model_without_weights_and_bad_arguments(model):
    with pytest.raises(TypeError, match="features_"):
        top_features(object())
    with pytest.raises(ValueError, match="n must be"):
        top_features(model, n=-1)
    with pytest.raises(ValueError, match="not a weight row"):
        feature_contributions(pretrained_model("stance"), "Quân Mỹ", "stance:anti")


# ---------------------------------------------------------------------------------------------- contributions


def test_contributions_are_feature_value_times_the_weight_set_by_hand(model):
    rigged = _with_weights(model, {"iraq": 3.0, "mỹ": -2.0, "cầu thủ": 1.0})
    text = "Quân Mỹ ở Iraq"  # has "iraq" and "mỹ", not "cầu thủ"
    x = rigged.features_.transform([clean(text)]).toarray()[0]
    names = [str(n).removeprefix("tfidf__") for n in rigged.feature_names()]
    value = {n: x[names.index(n)] for n in ("iraq", "mỹ")}
    got = feature_contributions(rigged, text, "world", n=None)
    assert got == [("iraq", pytest.approx(3.0 * value["iraq"])), ("mỹ", pytest.approx(-2.0 * value["mỹ"]))]
    assert feature_contributions(rigged, text, "sport", n=1) == [("iraq", pytest.approx(-3.0 * value["iraq"]))]


@pytest.mark.parametrize("text", [TEXTS[0], "cầu thủ Mỹ", SPORT_TEXT])
def test_contributions_and_intercept_add_up_to_the_models_score(model, text):
    # decision_function is computed by the calibrated SVM, not by the explanation code.
    score = float(np.atleast_1d(model.decision_function([text]))[0])
    assert decision_score(model, text, "world") == pytest.approx(score, abs=1e-5)
    assert decision_score(model, text, "sport") == pytest.approx(-score, abs=1e-5)


# ---------------------------------------------------------------------------------------------- explain


def test_explain_an_anti_text():
    e = explain(ANTI_TEXT, n=6)
    r = e.result
    assert r.stance == "anti" and r.evidence and e.passage_index == r.evidence[0].index
    assert list(e.passage_features) == ["anti"]
    grams = _ngrams(r.passages[e.passage_index].text)
    for key, pairs in e.passage_features.items():
        assert 0 < len(pairs) <= 6
        assert all(name in grams for name, _ in pairs), "features of the passage are n-grams of it"
        assert [abs(c) for _, c in pairs] == sorted((abs(c) for _, c in pairs), reverse=True)
    # words a reader would point at: the occupation word and the protest push toward anti
    anti = dict(e.passage_features["anti"])
    assert anti.get("chiếm đóng", 0) > 0 or anti.get("biểu tình", 0) > 0


def test_explain_an_unrelated_sports_text():
    e = explain(SPORT_TEXT, n=4)
    assert e.result.stance == "unrelated" and e.result.topic == "The thao"
    assert list(e.passage_features) == ["unrelated"]
    assert "\nstance: unrelated " in e.to_text()
    positive = [name for name, c in e.topic_features if c > 0]
    assert positive and all(name in _ngrams(SPORT_TEXT) for name, _ in e.topic_features)


def test_topic_features_of_a_seed_are_its_own_n_grams_strongest_first():
    text = SEEDS[2].read_text(encoding="utf-8")
    e = explain(text, n=5)
    assert e.result.topic == "The gioi" and len(e.topic_features) == 5
    assert all(name in _ngrams(text) for name, _ in e.topic_features)
    magnitudes = [abs(c) for _, c in e.topic_features]
    assert magnitudes == sorted(magnitudes, reverse=True)


def test_a_text_classifier_as_stance_model_is_keyed_by_label(model):
    as_stance = TextClassifier(min_df=1, calibration_folds=2).fit(
        TEXTS, ["anti" if label == "world" else "unrelated" for label in LABELS])
    e = explain(ANTI_TEXT, stance_model=as_stance, n=3)
    assert e.result.stance in ("anti", "unrelated") and list(e.passage_features) == [e.result.stance]
    e = explain(ANTI_TEXT, topic_model=model, n=2)
    assert e.result.topic == "world" and len(e.topic_features) <= 2
    with pytest.raises(ValueError, match="must include 'unrelated'"):
        explain(ANTI_TEXT, stance_model=model)


def test_to_text_is_english_quotes_vietnamese_names_with_two_decimals():
    out = explain(ANTI_TEXT, n=3).to_text()
    assert out.startswith("topic: The gioi (Thế giới) ")
    assert "\nstance: anti " in out and "\n  anti:\n" in out
    assert "features of the topic 'The gioi' (Thế giới)" in out
    numbers = re.findall(r"\d+\.\d+", out)
    assert numbers and all(len(n.split(".")[1]) == 2 for n in numbers)


def test_explain_rejects_empty_text():
    with pytest.raises(ValueError):
        explain("   ")
