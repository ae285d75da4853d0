"""scikit-learn conventions for the project's estimators and transformers, on real passages."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, GroupKFold

from stance.features.cues import StanceCues
from stance.features.vectorizer import TextVectorizer
from stance.estimators.aggregate import aggregate_stance
from stance.estimators.stance_classifier import StanceClassifier
from stance.estimators.text_classifier import TextClassifier

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
STANCE_TRAIN = DATA / "stance" / "train.jsonl"

needs_data = pytest.mark.skipif(not STANCE_TRAIN.exists(), reason="../shared/data is not beside the project")


@pytest.fixture(scope="module")
def passages():
    """600 real stance passages, every label present, with their article ids."""
    rows = [json.loads(line) for line in STANCE_TRAIN.open(encoding="utf-8")]
    picked = []
    for label in ("pro", "anti", "neutral", "unrelated"):
        picked += [r for r in rows if r["label"] == label][:150]
    return [r["text"] for r in picked], [r["label"] for r in picked], [r["doc_id"] for r in picked]


ESTIMATORS = [
    TextVectorizer(ngram_range=(1, 1), min_df=1),
    StanceCues(),
    TextClassifier(min_df=1, calibration_folds=2),
    StanceClassifier(calibration_folds=2),
]


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_constructor_stores_params_and_clone_round_trips(est):
    params = est.get_params()
    twin = clone(est)
    assert twin.get_params() == params
    assert type(est)(**params).get_params() == params
    assert not [k for k in vars(est) if k.endswith("_")], "nothing learned before fit"


@needs_data
@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_fit_learns_underscore_attributes_and_pickles(est, passages):
    texts, labels, _ = passages
    fitted = clone(est).fit(texts, labels)
    learned = [k for k in vars(fitted) if k.endswith("_")]
    assert learned
    again = pickle.loads(pickle.dumps(fitted))
    if hasattr(fitted, "predict_proba"):
        np.testing.assert_allclose(again.predict_proba(texts[:20]), fitted.predict_proba(texts[:20]))
    else:
        assert (again.transform(texts[:20]) != fitted.transform(texts[:20])).nnz == 0


@needs_data
def test_probabilities_are_calibrated_rows_summing_to_one(passages):
    texts, labels, groups = passages
    model = StanceClassifier(calibration_folds=3).fit(texts, labels, groups=groups)
    P = model.predict_proba(texts)
    assert P.shape == (len(texts), 4)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert (P >= 0).all() and (P <= 1).all()
    assert model.classes_.tolist() == ["anti", "neutral", "pro", "unrelated"]


@needs_data
def test_grid_search_tunes_text_classifier(passages):
    texts, labels, groups = passages
    grid = GridSearchCV(
        TextClassifier(calibration_folds=2, min_df=1),
        {"C": [0.1, 1.0], "ngram_range": [(1, 1), (1, 2)]},
        cv=GroupKFold(n_splits=3),
        scoring="f1_macro",
    )
    grid.fit(texts, labels, groups=groups)
    assert set(grid.best_params_) == {"C", "ngram_range"}
    assert 0.3 < grid.best_score_ <= 1.0


def test_text_classifier_rejects_single_str_and_one_label():
    with pytest.raises(TypeError, match="single str"):
        TextClassifier().fit("quân Mỹ", ["a"])
    with pytest.raises(ValueError, match="two distinct labels"):
        TextClassifier().fit(["a", "b"], ["x", "x"])


def test_stance_classifier_rejects_unknown_labels():
    with pytest.raises(ValueError, match="unknown stance labels"):
        StanceClassifier().fit(["a", "b", "c", "d"], ["pro", "anti", "maybe", "neutral"])


def test_stance_cues_count_negated_cues():
    names = list(StanceCues().fit([""]).get_feature_names_out())
    X = StanceCues().fit_transform(["Iraq không ủng hộ quân Mỹ", "Iraq ủng hộ quân Mỹ"]).toarray()
    assert X[0, names.index("pro_negated")] > 0 and X[1, names.index("pro_negated")] == 0
    assert X[0, names.index("has_target")] == X[1, names.index("has_target")] == 1


@pytest.mark.parametrize(
    "rows,label,evidence",
    [
        # One clearly anti passage among unrelated ones: the article is about the target, and anti.
        ([[0.0, 0.0, 0.1, 0.9], [0.05, 0.8, 0.1, 0.05], [0.0, 0.0, 0.05, 0.95]], "anti", (1,)),
        # Nothing related anywhere: unrelated, evidence the least related passages.
        ([[0.0, 0.0, 0.1, 0.9], [0.0, 0.0, 0.05, 0.95]], "unrelated", (1, 0)),
        # Two neutral and one pro: the related mass is mostly neutral.
        ([[0.1, 0.0, 0.8, 0.1], [0.1, 0.0, 0.8, 0.1], [0.7, 0.0, 0.2, 0.1]], "neutral", (0, 1)),
    ],
)
def test_aggregate_stance(rows, label, evidence):
    a = aggregate_stance(np.array(rows))
    assert a.label == label
    assert a.evidence_indices == evidence
    assert sum(a.scores.values()) == pytest.approx(1.0)


@needs_data
@pytest.mark.parametrize("n_labels", [2, 4])
def test_calibrated_svm_equals_scikit_learns_calibrated_classifier(passages, n_labels):
    # scikit-learn's CalibratedClassifierCV (sigmoid, ensemble=False) on the same folds is the reference.
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    from stance.estimators.calibration import CalibratedLinearSVC
    from stance.estimators.splits import calibration_folds

    texts, labels, groups = passages
    keep = [i for i, label in enumerate(labels) if label in ("pro", "anti", "neutral", "unrelated")[:n_labels]]
    y, g = np.asarray([labels[i] for i in keep]), [groups[i] for i in keep]
    Z = TextVectorizer(ngram_range=(1, 2), min_df=1).fit_transform([texts[i] for i in keep])
    ours = CalibratedLinearSVC(C=0.3, class_weight="balanced", folds=3).fit(Z, y, groups=g)
    reference = CalibratedClassifierCV(
        LinearSVC(C=0.3, class_weight="balanced", random_state=0), method="sigmoid", ensemble=False,
        cv=calibration_folds(y, g, 3, 0),
    ).fit(Z, y)
    np.testing.assert_allclose(ours.predict_proba(Z), reference.predict_proba(Z), rtol=1e-5, atol=1e-6)
