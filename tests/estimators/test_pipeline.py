"""Models as pipelines: a Cleaner in front, groups to the step that takes them."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from stance.estimators.pipeline import accepts_groups, final_estimator, fit_with_groups, split_cleaner, with_cleaner
from stance.text.clean import Cleaner


class Spy(ClassifierMixin, BaseEstimator):
    def fit(self, X, y, groups=None):
        self.X_, self.groups_ = list(X), groups
        self.classes_ = np.unique(y)
        return self


def test_groups_reach_the_step_whose_fit_takes_them():
    X, y, g = ["<b>Hoà</b>", "Quân Mỹ"], ["a", "b"], ["d1", "d2"]
    assert fit_with_groups(Spy(), X, y, g).groups_ == g
    model = fit_with_groups(with_cleaner(Spy()), X, y, g)
    assert model[-1].groups_ == g and model[-1].X_ == ["Hòa", "Quân Mỹ"]
    assert fit_with_groups(with_cleaner(Spy()), X, y, None)[-1].groups_ is None
    plain = fit_with_groups(make_pipeline(TfidfVectorizer(), LogisticRegression()), X, y, g)  # no groups to take
    assert plain.predict(["Quân Mỹ"]).tolist() == ["b"]
    assert accepts_groups(Spy()) and not accepts_groups(LogisticRegression())


def test_split_cleaner_and_final_estimator():
    spy = Spy()
    cleaner, rest = split_cleaner(with_cleaner(spy))
    assert isinstance(cleaner, Cleaner) and rest is spy and final_estimator(with_cleaner(spy)) is spy
    longer = make_pipeline(Cleaner(), TfidfVectorizer(), LogisticRegression())
    cleaner, rest = split_cleaner(longer)
    assert isinstance(cleaner, Cleaner) and [type(s).__name__ for _, s in rest.steps] == ["TfidfVectorizer", "LogisticRegression"]
    assert split_cleaner(spy) == (None, spy)
    assert final_estimator(make_pipeline(TfidfVectorizer(), make_pipeline(spy))) is spy


class WeightSpy(Spy):
    def fit(self, X, y, groups=None, sample_weight=None):
        self.sample_weight_ = None if sample_weight is None else list(sample_weight)
        return super().fit(X, y, groups)


def test_sample_weights_reach_the_final_step_or_are_refused():
    X, y, w = ["Quân Mỹ", "Bóng đá", "Iraq"], ["a", "b", "a"], [2.0, 1.0, 0.5]
    assert fit_with_groups(with_cleaner(WeightSpy()), X, y, None, w)[-1].sample_weight_ == w
    assert fit_with_groups(WeightSpy(), X, y, ["d1", "d2", "d3"], w).sample_weight_ == w
    assert fit_with_groups(with_cleaner(WeightSpy()), X, y, None)[-1].sample_weight_ is None
    # A model that cannot take weights is refused rather than trained unweighted.
    try:
        fit_with_groups(with_cleaner(Spy()), X, y, None, w)
    except ValueError as err:
        assert "Spy.fit takes no sample_weight" in str(err)
    else:
        raise AssertionError("a model without sample_weight was trained with weights ignored")
