"""The list of safe types is complete (every estimator, transformer and cleaning step of the package, every type
the default configurations hold once fitted) and exact (every name on it is what it says)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types

import numpy as np
import pytest
from sklearn.base import BaseEstimator

import stance
from stance.estimators.pipeline import with_cleaner
from stance.estimators.stance_classifier import StanceClassifier
from stance.estimators.text_classifier import TextClassifier
from stance.persist import skops_payload as sp
from stance.persist.allowed import ALLOWED_TYPES, CLASSES, FUNCTIONS, VALUES
from stance.text.clean import NORMALISING_STEPS, PIPELINE
from stance.training.configs import own_data_model, stance_model, topic_model


def _package_modules() -> list:
    return [importlib.import_module(m.name) for m in pkgutil.walk_packages(stance.__path__, "stance.")
            if ".cli" not in m.name]


def test_every_estimator_and_transformer_of_the_package_is_listed():
    found = {
        f"{obj.__module__}.{obj.__qualname__}"
        for module in _package_modules()
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, BaseEstimator) and obj.__module__.startswith("stance.")
    }
    assert found, "the walk found no estimator"
    assert found - CLASSES == set(), "add these to stance/persist/allowed.py CLASSES (and test them below)"


def test_every_cleaning_step_is_listed():
    steps = {f"{f.__module__}.{f.__name__}" for f in (*PIPELINE, *NORMALISING_STEPS)}
    assert steps - FUNCTIONS == set()


def _resolve(name: str):
    module, _, attr = name.rpartition(".")
    if name == "builtins.NoneType":
        return type(None)
    return getattr(importlib.import_module(module), attr)


@pytest.mark.parametrize("name", sorted(ALLOWED_TYPES - {"numpy.bool_"}))
def test_every_listed_name_is_what_its_list_says(name):
    obj = _resolve(name)
    if name in FUNCTIONS:
        assert isinstance(obj, types.FunctionType) and f"{obj.__module__}.{obj.__name__}" == name
    else:
        assert isinstance(obj, type)
        if name in CLASSES:  # the dotted path skops writes: the defining module
            assert f"{obj.__module__}.{obj.__qualname__}" == name
    assert not (name in CLASSES and name in VALUES)


TEXTS = ["quân Mỹ ở Iraq phản đối", "binh sĩ Mỹ rút về nước", "đội tuyển thắng trận", "cầu thủ ghi bàn đẹp",
         "ủng hộ quân Mỹ ở lại", "hiện diện quân Mỹ tại căn cứ"] * 6
LABELS = ["anti", "neutral", "unrelated", "unrelated", "pro", "neutral"] * 6
CONFIGS = {
    "topic_model()": lambda: topic_model().set_params(classify__min_df=1, classify__n_jobs=1),
    "stance_model()": lambda: stance_model().set_params(classify__passage_model__min_df=1),
    "StanceClassifier": lambda: with_cleaner(StanceClassifier(min_df=1, calibration_folds=2)),
    "own_data_model()": lambda: own_data_model(min_df=1),
    "cues+words+isotonic": lambda: with_cleaner(TextClassifier(min_df=1, calibration_folds=2, cues=True,
                                                               tokens="words", calibration="isotonic")),
    "StanceClassifier one step": lambda: with_cleaner(StanceClassifier(min_df=1, calibration_folds=2, two_step=False,
                                                                       cues=True)),
}


def test_the_stance_model_fitted_with_articles_loads_with_the_list_alone():
    model = stance_model().set_params(classify__passage_model__min_df=1, classify__folds=2)
    articles = ["\n".join(TEXTS[k : k + 2]) for k in range(0, len(TEXTS), 2)]
    model.fit(TEXTS, LABELS, classify__articles=articles, classify__article_labels=LABELS[: len(articles)])
    assert model[-1].logistic_ is not None
    data = sp.dumps(model)
    assert sp.disallowed(data, "stance") == []
    again = sp.loads_allowed(data, "stance")
    assert np.array_equal(again.predict_proba(articles), model.predict_proba(articles))


@pytest.mark.parametrize("name", CONFIGS)
def test_every_default_configuration_fitted_loads_with_the_list_alone(name):
    model = CONFIGS[name]().fit(TEXTS, LABELS)
    data = sp.dumps(model)
    assert sp.disallowed(data, name) == []
    again = sp.loads_allowed(data, name)
    assert np.array_equal(again.predict_proba(TEXTS), model.predict_proba(TEXTS))
