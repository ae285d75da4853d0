"""TextClassifier: input checks, decision weights, and groups reaching its fit through a grid search."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sklearn
from sklearn.model_selection import GridSearchCV, GroupKFold

from stance.estimators import calibration
from stance.estimators.text_classifier import TextClassifier
from stance.text.clean import Cleaner

TEXTS = ["Quân Mỹ rút khỏi Iraq", "Đội tuyển thắng trận", "Binh sĩ Mỹ ở Iraq", "Cầu thủ ghi bàn"] * 5
LABELS = ["world", "sport", "world", "sport"] * 5


def test_rejects_a_single_str_one_label_and_mismatched_lengths():
    with pytest.raises(TypeError, match="single str"):
        TextClassifier().fit("quân Mỹ", ["a"])
    with pytest.raises(ValueError, match="two distinct labels"):
        TextClassifier().fit(["a", "b"], ["x", "x"])
    with pytest.raises(ValueError, match="3 texts but y has 2 labels"):
        TextClassifier().fit(["a", "b", "c"], ["x", "y"])


def test_coef_is_the_linear_models_weights_over_the_named_features():
    model = TextClassifier(min_df=1, calibration_folds=2).fit(TEXTS, LABELS)
    names = [str(n) for n in model.feature_names()]
    assert model.coef_.shape == (1, len(names)) and model.classes_.tolist() == ["sport", "world"]
    w = dict(zip(names, model.coef_[0]))  # two classes: the weights of classes_[1], "world"
    assert w["tfidf__iraq"] > 0 and w["tfidf__mỹ"] > 0 and w["tfidf__cầu thủ"] < 0
    scores = model.decision_function(["Quân Mỹ ở Iraq", "Cầu thủ"])
    assert scores[0] > 0 > scores[1]


def test_decision_weights_are_ones_unless_tuned_and_predict_uses_them():
    plain = TextClassifier(min_df=1, calibration_folds=2).fit(TEXTS, LABELS)
    assert plain.decision_weights_.tolist() == [1.0, 1.0]
    model = TextClassifier(min_df=1, calibration_folds=2).fit(TEXTS, LABELS)
    model.decision_weights_ = np.array([1.0, 0.0])  # never "world"
    assert set(model.predict(TEXTS)) == {"sport"}


def test_grid_search_passes_groups_to_the_classifiers_own_calibration_folds(shared_data, monkeypatch):
    # Without metadata routing GridSearchCV gives groups to its splitter only; with it, a classifier that
    # asks for them gets them too, and its calibration folds keep articles whole.
    rows = [json.loads(line) for line in shared_data("stance", "train.jsonl").open(encoding="utf-8")][:400]
    texts = Cleaner().transform([r["text"] for r in rows])
    labels = ["unrelated" if r["label"] == "unrelated" else "related" for r in rows]
    groups = [r["doc_id"] for r in rows]
    seen = []
    folds = calibration.calibration_folds

    def spy(y, g, n_splits, random_state):
        seen.append(None if g is None else set(g))
        return folds(y, g, n_splits, random_state)

    monkeypatch.setattr(calibration, "calibration_folds", spy)
    with sklearn.config_context(enable_metadata_routing=True):
        grid = GridSearchCV(TextClassifier(calibration_folds=2).set_fit_request(groups=True), {"C": [0.1, 1.0]},
                            cv=GroupKFold(n_splits=2), scoring="f1_macro")
        grid.fit(texts, labels, groups=groups)
    assert set(grid.best_params_) == {"C"} and 0.5 < grid.best_score_ <= 1.0
    assert len(seen) == 5 and all(s is not None and s <= set(groups) for s in seen)
