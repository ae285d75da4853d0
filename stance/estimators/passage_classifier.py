"""Stance of a passage: :class:`PassageClassifier`, syllable n-gram TF-IDF and class-balanced logistic regression.

The shipped stance model's passage step (``docs/models.md``): one multinomial logistic regression over the four
stance labels, class-balanced (``pro`` is the rarest label), on the same TF-IDF features as the topic model
(:class:`~stance.features.vectorizer.TextVectorizer`). Its label is the argmax of its probabilities: there are
no decision weights, so the label shown beside the probabilities is always their most probable one.

Examples
--------
>>> texts = ["Quân Mỹ phải rút khỏi Iraq", "Mỹ nên giữ quân ở Iraq", "Quân Mỹ vẫn ở Iraq", "Đội tuyển thắng"] * 6
>>> labels = ["anti", "pro", "neutral", "unrelated"] * 6
>>> model = PassageClassifier(min_df=1).fit(texts, labels)
>>> model.predict(["Đội tuyển thắng"]).tolist(), model.classes_.tolist()
(['unrelated'], ['anti', 'neutral', 'pro', 'unrelated'])
>>> P = model.predict_proba(["Quân Mỹ phải rút khỏi Iraq"])
>>> bool(model.classes_[P.argmax()] == model.predict(["Quân Mỹ phải rút khỏi Iraq"])[0])
True
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from ..features.vectorizer import TextVectorizer
from ..validation import Interval, StrOptions, check_texts, validate_params

__all__ = ["PassageClassifier"]


class PassageClassifier(ClassifierMixin, BaseEstimator):
    """TF-IDF n-grams and a class-balanced logistic regression; label = argmax of the probabilities.

    Parameters
    ----------
    tokens : {"syllables", "words"}, default="syllables"
        Tokens of the TF-IDF features (:class:`~stance.features.vectorizer.TextVectorizer`).
    ngram_range : tuple of int, default=(1, 2)
        n-gram range.
    min_df : int or float, default=2
        Minimum document frequency of an n-gram.
    sublinear_tf : bool, default=True
        ``1 + log(tf)`` term weighting.
    C : float, default=3.0
        Inverse regularisation strength of the logistic regression.
    class_weight : {"balanced"} or dict or None, default="balanced"
        Class weights of the logistic regression.
    max_iter : int, default=2000
        Most iterations of the solver (lbfgs).

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, sorted: the column order of :meth:`predict_proba`.
    features_ : TextVectorizer
        The fitted TF-IDF features.
    logistic_ : sklearn.linear_model.LogisticRegression
        The fitted logistic regression.
    coef_ : ndarray of shape (n_classes, n_features)
        Its weights over :meth:`feature_names` (for two classes, the weights of ``classes_[1]``).
    """

    _parameter_constraints: dict = {
        "tokens": [StrOptions({"syllables", "words"})],
        "ngram_range": [tuple],
        "min_df": [Interval(Real, 0, 1, closed="both"), Interval(Integral, 1, None, closed="left")],
        "sublinear_tf": ["boolean"],
        "C": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, tokens: str = "syllables", ngram_range: tuple[int, int] = (1, 2), min_df: int | float = 2,
                 sublinear_tf: bool = True, C: float = 3.0, class_weight: str | dict | None = "balanced",
                 max_iter: int = 2000) -> None:
        self.tokens = tokens
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter

    def fit(self, X: Iterable[str], y: Sequence[str]) -> "PassageClassifier":
        """Fit the TF-IDF features and the logistic regression on cleaned texts ``X`` labelled ``y``."""
        validate_params(self)
        texts = check_texts(X)
        y_arr = np.asarray([str(v) for v in y])
        if len(texts) != len(y_arr):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y_arr)} labels")
        if len(np.unique(y_arr)) < 2:
            raise ValueError(f"need at least two distinct labels, got {np.unique(y_arr).tolist()}")
        self.features_ = TextVectorizer(tokens=self.tokens, ngram_range=self.ngram_range, min_df=self.min_df,
                                        sublinear_tf=self.sublinear_tf)
        Z = self.features_.fit_transform(texts).astype(np.float64)  # float64 solver: probabilities sum to 1
        self.logistic_ = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
        self.logistic_.fit(Z, y_arr)
        self.classes_ = self.logistic_.classes_
        return self

    @property
    def coef_(self) -> np.ndarray:
        """The logistic regression's weights (``logistic_.coef_``)."""
        check_is_fitted(self, "logistic_")
        return self.logistic_.coef_

    @property
    def intercept_(self) -> np.ndarray:
        """The logistic regression's intercepts."""
        check_is_fitted(self, "logistic_")
        return self.logistic_.intercept_

    def transform_features(self, X: Iterable[str]) -> sp.csr_matrix:
        """The feature matrix the logistic regression sees (sparse, one row per text)."""
        check_is_fitted(self, "logistic_")
        return self.features_.transform(check_texts(X)).astype(np.float64)

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Scores before the softmax, shape ``(n_texts, n_classes)``."""
        return self.logistic_.decision_function(self.transform_features(X))

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probabilities over :attr:`classes_`, shape ``(n_texts, n_classes)``, rows sum to 1."""
        texts = check_texts(X)
        check_is_fitted(self, "logistic_")
        if not texts:
            return np.zeros((0, len(self.classes_)))
        return self.logistic_.predict_proba(self.features_.transform(texts).astype(np.float64))

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Label of each text: the argmax of :meth:`predict_proba`."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def feature_names(self) -> np.ndarray:
        """Names of the feature columns (the n-grams), the columns of :attr:`coef_`."""
        check_is_fitted(self, "logistic_")
        return np.asarray([f"tfidf__{t}" for t in self.features_.get_feature_names_out()])
