"""A text classifier for any label set: :class:`TextClassifier`.

TF-IDF n-grams (plus optional stance cues) and a :class:`~stance.estimators.calibration.CalibratedLinearSVC`.
It takes texts already cleaned (a model puts a :class:`~stance.text.clean.Cleaner` in front of it, see
:mod:`stance.estimators.pipeline`), follows scikit-learn's conventions (keyword-only constructor storing its
arguments, validated in ``fit``; learned attributes ending in ``_``; ``clone``/``get_params``/pickle/
``GridSearchCV`` work) and returns calibrated probabilities that sum to 1.

Examples
--------
>>> texts = ["Quân Mỹ rút khỏi Iraq", "Đội tuyển thắng trận", "Binh sĩ Mỹ ở Iraq", "Cầu thủ ghi bàn"] * 5
>>> labels = ["world", "sport", "world", "sport"] * 5
>>> model = TextClassifier(min_df=1, calibration_folds=2).fit(texts, labels)
>>> model.predict(["Quân Mỹ ở Iraq"]).tolist(), model.classes_.tolist()
(['world'], ['sport', 'world'])
>>> round(float(model.predict_proba(["Cầu thủ"]).sum()), 6), model.coef_.shape[0]
(1.0, 1)
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ..features.combined import make_features, transform_features
from ..validation import Interval, StrOptions, check_texts, validate_params
from .calibration import CalibratedLinearSVC
from .decision import cross_validated_weights

__all__ = ["TextClassifier"]


class TextClassifier(ClassifierMixin, BaseEstimator):
    """TF-IDF n-grams (plus optional stance cues) and a calibrated linear SVM, for any label set.

    Parameters
    ----------
    tokens : {"syllables", "words"}, default="syllables"
        Tokens of the TF-IDF features (see :class:`stance.features.vectorizer.TextVectorizer`).
    ngram_range : tuple of int, default=(1, 2)
        n-gram range of the TF-IDF features.
    min_df : int or float, default=2
        Minimum document frequency of an n-gram (a float: share of the documents).
    max_features : int or None, default=None
        Keep at most this many n-grams, the most frequent (bounds the artefact size).
    sublinear_tf : bool, default=True
        ``1 + log(tf)`` term weighting.
    cues : bool, default=False
        Add :class:`stance.features.cues.StanceCues` to the features.
    C : float, default=0.5
        Inverse regularisation strength of the SVM.
    class_weight : {"balanced"} or dict or None, default=None
        Class weights of the SVM; ``"balanced"`` for imbalanced data.
    calibration : {"sigmoid", "isotonic"}, default="sigmoid"
        How decision scores become probabilities.
    calibration_folds : int, default=3
        Folds whose held-out scores fit the calibration.
    tune_decision : bool, default=False
        Learn per-label decision weights maximising macro-F1 on out-of-fold probabilities (see
        :mod:`stance.estimators.decision`); helps rare labels. Costs ``calibration_folds`` extra fits.
    n_jobs : int or None, default=None
        Processes for the calibration folds' SVM fits (-1: all cores). The fitted model is the same.
    random_state : int, RandomState instance or None, default=0
        Seed of the folds and the SVM.

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, sorted: the column order of :meth:`predict_proba`.
    features_ : sklearn.pipeline.FeatureUnion
        The fitted feature extractors.
    calibrated_ : CalibratedLinearSVC
        The SVM (fitted on all data) and its calibration.
    coef_ : ndarray of shape (n_classes, n_features), or (1, n_features) for two classes
        The SVM's weights over :meth:`feature_names` (for two classes, the weights of ``classes_[1]``).
    intercept_ : ndarray of shape (n_classes,) or (1,)
        The SVM's intercepts.
    decision_weights_ : ndarray of float
        :meth:`predict` returns ``argmax(predict_proba(X) * decision_weights_)``; all ones unless
        ``tune_decision=True``.
    """

    _parameter_constraints: dict = {
        "tokens": [StrOptions({"syllables", "words"})],
        "ngram_range": [tuple],
        "min_df": [Interval(Real, 0, 1, closed="both"), Interval(Integral, 1, None, closed="left")],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
        "sublinear_tf": ["boolean"],
        "cues": ["boolean"],
        "C": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "calibration": [StrOptions({"sigmoid", "isotonic"})],
        "calibration_folds": [Interval(Integral, 2, None, closed="left")],
        "tune_decision": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        tokens: str = "syllables",
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int | float = 2,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        cues: bool = False,
        C: float = 0.5,
        class_weight: str | dict | None = None,
        calibration: str = "sigmoid",
        calibration_folds: int = 3,
        tune_decision: bool = False,
        n_jobs: int | None = None,
        random_state: int | np.random.RandomState | None = 0,
    ) -> None:
        self.tokens = tokens
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.cues = cues
        self.C = C
        self.class_weight = class_weight
        self.calibration = calibration
        self.calibration_folds = calibration_folds
        self.tune_decision = tune_decision
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(
        self, X: Iterable[str], y: Sequence[str], groups: Sequence[object] | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> "TextClassifier":
        """Fit features, SVM and calibration (and decision weights, with ``tune_decision=True``).

        Parameters
        ----------
        X : list of str
            Cleaned texts.
        y : list of str
            Their labels (at least two distinct, each seen at least twice).
        groups : list, optional
            Group of each text (e.g. the article a passage comes from): calibration folds keep a group
            together, so the calibration is fitted on scores of texts unlike those the SVM saw.
        sample_weight : list of float, optional
            Weight of each text in the SVM's loss and in the calibration (e.g. era weights, so that a small
            recent corpus counts as much as a large old one; see :mod:`stance.training.eras`). The
            vocabulary and IDF are fitted unweighted.

        Returns
        -------
        self
        """
        validate_params(self)
        texts = check_texts(X)
        y_arr = np.asarray(y)
        if len(texts) != len(y_arr):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y_arr)} labels")
        if len(np.unique(y_arr)) < 2:
            raise ValueError(f"need at least two distinct labels, got {np.unique(y_arr).tolist()}")
        self.features_ = make_features(
            tokens=self.tokens, ngram_range=self.ngram_range, min_df=self.min_df,
            max_features=self.max_features, sublinear_tf=self.sublinear_tf, cues=self.cues,
        )
        Z = self.features_.fit_transform(texts)
        self.calibrated_ = CalibratedLinearSVC(
            C=self.C, class_weight=self.class_weight, method=self.calibration, folds=self.calibration_folds,
            n_jobs=self.n_jobs, random_state=self.random_state,
        ).fit(Z, y_arr, groups=groups, sample_weight=sample_weight)
        self.classes_ = self.calibrated_.classes_
        self.decision_weights_ = np.ones(len(self.classes_))
        if self.tune_decision:
            g = None if groups is None else np.asarray(groups)
            w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
            self.decision_weights_ = cross_validated_weights(self, texts, y_arr, g, self.classes_, sample_weight=w)
        return self

    @property
    def coef_(self) -> np.ndarray:
        """The SVM's weights (``calibrated_.coef_``; one array, pickled once)."""
        check_is_fitted(self, "calibrated_")
        return self.calibrated_.coef_

    @property
    def intercept_(self) -> np.ndarray:
        """The SVM's intercepts (``calibrated_.intercept_``)."""
        check_is_fitted(self, "calibrated_")
        return self.calibrated_.intercept_

    def transform_features(self, X: Iterable[str]) -> sp.csr_matrix:
        """The feature matrix the SVM sees (sparse, one row per text)."""
        check_is_fitted(self, "calibrated_")
        return transform_features(self.features_, check_texts(X))

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Uncalibrated SVM scores, shape ``(n_texts, n_classes)`` (``(n_texts,)`` for two classes)."""
        Z = self.transform_features(X)
        return self.calibrated_.decision_function(Z)

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Calibrated probabilities, shape ``(n_texts, n_classes)``, rows sum to 1."""
        Z = self.transform_features(X)
        return self.calibrated_.predict_proba(Z)

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Label of each text: ``argmax(predict_proba(X) * decision_weights_)``."""
        return self.classes_[np.argmax(self.predict_proba(X) * self.decision_weights_, axis=1)]

    def feature_names(self) -> np.ndarray:
        """Names of the feature columns (``tfidf__<n-gram>``, then ``cues__...``), the columns of :attr:`coef_`."""
        check_is_fitted(self, "calibrated_")
        return self.features_.get_feature_names_out()
