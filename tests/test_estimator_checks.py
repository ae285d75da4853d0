"""Project-level estimator checks, run over every estimator and transformer of the package.

scikit-learn's own ``check_estimator`` feeds numeric arrays; these estimators read lists of Vietnamese texts,
so the same promises are checked here on real passages: clone and ``get_params``/``set_params`` round trips,
parameters validated in ``fit`` (``_parameter_constraints``), ``NotFittedError`` before ``fit``, pickling
(same predictions after a round trip), refitting (the same data gives the same model, whatever was fitted
before) and invariance to the order of the training rows.

Order invariance, measured (and asserted) per estimator:

- the transformers (``Cleaner``, ``TextVectorizer``, ``StanceCues``) give identical output: the vocabulary
  is sorted, nothing else depends on row order;
- the classifiers calibrate on folds. With groups (as the stance model is trained, by article) the folds are
  the same whatever the row order (``StratifiedGroupKFold`` assigns whole groups, found by sorting them), and
  only the SVM solver's visiting order changes: probabilities agree to 1e-4 (measured: 6e-5 at most).
  Without groups, ``StratifiedKFold`` shuffles row positions, so other rows land in each calibration fold
  and the Platt sigmoids move: probabilities differ by 0.03 on average and 0.15 at most, labels agree on
  at least 90% of texts (measured over three shuffles: 0.009-0.019 on average, 0.09 at most, 96-100%).
"""

from __future__ import annotations

import importlib
import inspect
import json
import pickle
import pkgutil

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError

import stance
from stance.estimators.article import ArticleStanceClassifier
from stance.estimators.calibration import CalibratedLinearSVC
from stance.estimators.passage_classifier import PassageClassifier
from stance.estimators.stance_classifier import StanceClassifier
from stance.estimators.text_classifier import TextClassifier
from stance.features.cues import StanceCues
from stance.features.vectorizer import TextVectorizer
from stance.text.clean import Cleaner

CASES = {
    "stance.text.clean.Cleaner": Cleaner(),
    "stance.features.vectorizer.TextVectorizer": TextVectorizer(ngram_range=(1, 2), min_df=2),
    "stance.features.cues.StanceCues": StanceCues(),
    "stance.estimators.calibration.CalibratedLinearSVC": CalibratedLinearSVC(C=0.3, folds=3),
    "stance.estimators.text_classifier.TextClassifier": TextClassifier(min_df=1, calibration_folds=3, tune_decision=True),
    "stance.estimators.stance_classifier.StanceClassifier": StanceClassifier(calibration_folds=3),
    "stance.estimators.passage_classifier.PassageClassifier": PassageClassifier(),
    # fitted on passages alone here (its fit with articles: tests/estimators/test_article.py)
    "stance.estimators.article.ArticleStanceClassifier": ArticleStanceClassifier(passage_model=PassageClassifier()),
}
CLASSIFIERS = [name for name, est in CASES.items() if hasattr(est, "predict_proba")]


def _package_estimators() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(stance.__path__, "stance."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator) and obj.__module__ == module.__name__:
                found.add(f"{obj.__module__}.{obj.__qualname__}")
    return found


@pytest.fixture(scope="module")
def data(shared_data):
    """Train and test passages, cleaned, every label present, with their articles; and their TF-IDF."""
    rows = [json.loads(line) for line in shared_data("stance", "train.jsonl").open(encoding="utf-8")]
    train, test = [], []
    for label in ("pro", "anti", "neutral", "unrelated"):
        of_label = [r for r in rows if r["label"] == label]
        train += of_label[:75]
        test += of_label[75:100]
    texts = Cleaner().transform([r["text"] for r in train])
    test_texts = Cleaner().transform([r["text"] for r in test])
    vectorizer = TextVectorizer(ngram_range=(1, 2), min_df=2).fit(texts)
    return {
        "texts": texts, "y": np.asarray([r["label"] for r in train]), "groups": np.asarray([r["doc_id"] for r in train]),
        "test": test_texts, "Z": vectorizer.transform(texts), "Z_test": vectorizer.transform(test_texts),
    }


def _inputs(name: str, data: dict, rows: np.ndarray | None = None) -> tuple:
    """(X, y, groups) for fitting ``name`` on the given rows, and X to predict."""
    rows = np.arange(len(data["y"])) if rows is None else rows
    if name.endswith("CalibratedLinearSVC"):
        return data["Z"][rows], data["y"][rows], data["groups"][rows], data["Z_test"]
    return [data["texts"][i] for i in rows], data["y"][rows], data["groups"][rows], data["test"]


def _fit(est, X, y, groups, *, grouped: bool = True):
    if "groups" in inspect.signature(est.fit).parameters and grouped:
        return est.fit(X, y, groups=groups)
    return est.fit(X, y)


def _output(est, X) -> np.ndarray:
    out = est.predict_proba(X) if hasattr(est, "predict_proba") else est.transform(X)
    return out.toarray() if sp.issparse(out) else np.asarray(out)


def _same_value(a, b) -> bool:
    if isinstance(a, BaseEstimator) and isinstance(b, BaseEstimator):  # a nested estimator: same type and params
        return type(a) is type(b) and _same_params(a.get_params(deep=False), b.get_params(deep=False))
    return a is b or a == b


def _same_params(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(_same_value(a[k], b[k]) for k in a)


def test_every_estimator_and_transformer_of_the_package_is_checked():
    assert _package_estimators() == set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_clone_and_params_round_trip(name):
    est = CASES[name]
    params = est.get_params(deep=False)
    assert _same_params(clone(est).get_params(deep=False), params)
    assert _same_params(type(est)(**params).get_params(deep=False), params)
    assert _same_params(type(est)().set_params(**params).get_params(deep=False), params)
    assert not [k for k in vars(est) if k.endswith("_") and not k.startswith("_")], "nothing learned before fit"
    assert set(type(est)._parameter_constraints) == set(params), "every parameter has a constraint"


@pytest.mark.parametrize("name", CASES)
def test_bad_parameter_values_are_refused_in_fit_naming_the_parameter(name, data):
    X, y, groups, _ = _inputs(name, data)
    for param in CASES[name].get_params(deep=False):
        est = clone(CASES[name]).set_params(**{param: object()})
        with pytest.raises((TypeError, ValueError), match=param):
            _fit(est, X, y, groups)


@pytest.mark.parametrize("name", CASES)
def test_not_fitted_error_before_fit(name, data):
    est = clone(CASES[name])
    X, y, groups, X_test = _inputs(name, data)
    if not est.__sklearn_tags__().requires_fit:  # stateless: the same output fitted or not
        np.testing.assert_array_equal(_output(est, X_test), _output(clone(est).fit(X, y), X_test))
        return
    with pytest.raises(NotFittedError):
        _output(est, X_test)


@pytest.mark.parametrize("name", CASES)
def test_pickle_round_trip_gives_the_same_predictions(name, data):
    X, y, groups, X_test = _inputs(name, data)
    fitted = _fit(clone(CASES[name]), X, y, groups)
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(_output(again, X_test), _output(fitted, X_test))


@pytest.mark.parametrize("name", CASES)
def test_refitting_gives_the_same_model(name, data):
    X, y, groups, X_test = _inputs(name, data)
    est = _fit(clone(CASES[name]), X, y, groups)
    first = _output(est, X_test)
    half = np.arange(0, len(data["y"]), 2)
    _fit(est, *_inputs(name, data, half)[:3])  # fitted on other data in between
    _fit(est, X, y, groups)
    np.testing.assert_array_equal(_output(est, X_test), first)
    np.testing.assert_array_equal(_output(_fit(clone(CASES[name]), X, y, groups), X_test), first)


@pytest.mark.parametrize("name", CASES)
def test_the_order_of_training_rows_does_not_matter_with_groups(name, data):
    X, y, groups, X_test = _inputs(name, data)
    perm = np.random.default_rng(0).permutation(len(data["y"]))
    ordered = _output(_fit(clone(CASES[name]), X, y, groups), X_test)
    shuffled = _output(_fit(clone(CASES[name]), *_inputs(name, data, perm)[:3]), X_test)
    if name not in CLASSIFIERS:
        np.testing.assert_array_equal(shuffled, ordered)
    else:
        np.testing.assert_allclose(shuffled, ordered, rtol=0, atol=1e-4)


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_the_order_of_training_rows_moves_ungrouped_calibration_a_little(name, data):
    X, y, groups, X_test = _inputs(name, data)
    perm = np.random.default_rng(0).permutation(len(data["y"]))
    ordered = _output(_fit(clone(CASES[name]), X, y, groups, grouped=False), X_test)
    shuffled = _output(_fit(clone(CASES[name]), *_inputs(name, data, perm)[:3], grouped=False), X_test)
    assert np.abs(shuffled - ordered).mean() <= 0.03 and np.abs(shuffled - ordered).max() <= 0.15
    assert np.mean(shuffled.argmax(axis=1) == ordered.argmax(axis=1)) >= 0.9


@pytest.mark.parametrize("name", [n for n in CLASSIFIERS if "random_state" in CASES[n].get_params()])
def test_random_state_none_and_generators_work(name, data):
    X, y, groups, X_test = _inputs(name, data)
    for seed in (None, np.random.RandomState(3)):
        P = _output(_fit(clone(CASES[name]).set_params(random_state=seed), X, y, groups), X_test)
        np.testing.assert_allclose(P.sum(axis=1), 1.0)
