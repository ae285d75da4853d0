"""PassageClassifier: TF-IDF + class-balanced logistic regression; its label is the argmax of its probabilities."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stance.estimators.passage_classifier import PassageClassifier
from stance.text.clean import Cleaner


@pytest.fixture(scope="module")
def fitted(shared_data):
    rows = [json.loads(line) for line in shared_data("stance", "train.jsonl").open(encoding="utf-8")]
    train, test = rows[::3], rows[1::6]
    cleaner = Cleaner()
    model = PassageClassifier().fit(cleaner.transform([r["text"] for r in train]), [r["label"] for r in train])
    return model, cleaner.transform([r["text"] for r in test]), [r["label"] for r in test]


def test_the_label_is_the_argmax_of_the_probabilities(fitted):
    model, X, _ = fitted
    P = model.predict_proba(X)
    assert model.classes_.tolist() == ["anti", "neutral", "pro", "unrelated"]
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-12)
    assert (model.predict(X) == model.classes_[P.argmax(axis=1)]).all()


def test_it_learns_something_on_passages_of_other_articles(fitted):
    model, X, y = fitted
    # a third of train.jsonl: the four labels are far above chance (0.25) on the held-out rows
    assert np.mean(model.predict(X) == np.asarray(y)) > 0.55


def test_weights_are_the_logistic_regressions_over_named_features(fitted):
    model, _, _ = fitted
    assert model.coef_.shape == (4, len(model.feature_names()))
    assert model.feature_names()[0].startswith("tfidf__")
    anti = model.coef_[0]
    assert "rút" in [n.removeprefix("tfidf__") for n in model.feature_names()[np.argsort(-anti)[:200]]]


def test_bad_inputs():
    with pytest.raises(ValueError, match="two distinct labels"):
        PassageClassifier(min_df=1).fit(["a b", "c d"], ["x", "x"])
    with pytest.raises(ValueError, match="3 labels"):
        PassageClassifier(min_df=1).fit(["a b", "c d"], ["x", "y", "x"])
    with pytest.raises(TypeError, match="single str"):
        PassageClassifier(min_df=1).fit(["a b", "c d"], ["x", "y"]).predict_proba("a b")
