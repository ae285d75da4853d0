"""StanceClassifier: labels checked, classes sorted, the two steps composed as documented."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stance.estimators.stance_classifier import StanceClassifier
from stance.labels import STANCE_LABELS
from stance.text.clean import Cleaner


@pytest.fixture(scope="module")
def model_and_passages(shared_data):
    rows = [json.loads(line) for line in shared_data("stance", "train.jsonl").open(encoding="utf-8")]
    picked = [r for label in STANCE_LABELS for r in [r for r in rows if r["label"] == label][:120]]
    texts = Cleaner().transform([r["text"] for r in picked])
    model = StanceClassifier(calibration_folds=3).fit(texts, [r["label"] for r in picked],
                                                     groups=[r["doc_id"] for r in picked])
    held_out = Cleaner().transform([r["text"] for r in rows[-200:]])
    return model, held_out


def test_rejects_unknown_labels():
    with pytest.raises(ValueError, match="unknown stance labels"):
        StanceClassifier().fit(["a", "b", "c", "d"], ["pro", "anti", "maybe", "neutral"])


def test_classes_are_sorted_and_the_weights_follow_them(model_and_passages):
    model, _ = model_and_passages
    assert model.classes_.tolist() == sorted(STANCE_LABELS) == ["anti", "neutral", "pro", "unrelated"]
    # Tuned visiting the labels in the guideline's order, pro's weight fixed at 1.
    assert model.decision_weights_[model.classes_.tolist().index("pro")] == 1.0
    assert len(set(model.decision_weights_.tolist())) > 1, "tuning moved some weight"


def test_probabilities_compose_the_two_steps(model_and_passages):
    # P(unrelated) = P(unrelated) of the relevance step; P(label) = P(related) * P(label | related).
    model, texts = model_and_passages
    P = model.predict_proba(texts)
    Z = model.features_.transform(texts)
    rel = model.relevance_.predict_proba(Z)[:, model.relevance_.classes_.tolist().index("related")]
    sub = model.stance_.predict_proba(Z)
    for label in ("pro", "anti", "neutral"):
        k = model.stance_.classes_.tolist().index(label)
        np.testing.assert_allclose(P[:, model.classes_.tolist().index(label)], rel * sub[:, k])
    np.testing.assert_allclose(P[:, model.classes_.tolist().index("unrelated")], 1 - rel)
    labels = model.predict(texts)
    np.testing.assert_array_equal(labels, model.classes_[np.argmax(P * model.decision_weights_, axis=1)])


def test_one_step_model_has_no_relevance_step(model_and_passages):
    _, texts = model_and_passages
    four = StanceClassifier(two_step=False, tune_decision=False, calibration_folds=2, min_df=1).fit(
        ["Quân Mỹ phải rút", "Mỹ nên giữ quân", "Quân Mỹ vẫn ở đó", "Đội tuyển thắng"] * 4,
        ["anti", "pro", "neutral", "unrelated"] * 4)
    assert four.relevance_ is None and four.stance_.classes_.tolist() == four.classes_.tolist()
    np.testing.assert_allclose(four.predict_proba(texts[:5]).sum(axis=1), 1.0)
