"""The stance classifier: :class:`StanceClassifier`, relevance then stance, for passages.

Examples
--------
>>> texts = ["Quân Mỹ phải rút khỏi Iraq", "Mỹ nên giữ quân ở Iraq", "Quân Mỹ vẫn ở Iraq", "Đội tuyển thắng"] * 6
>>> labels = ["anti", "pro", "neutral", "unrelated"] * 6
>>> model = StanceClassifier(min_df=1, calibration_folds=2, tune_decision=False).fit(texts, labels)
>>> model.predict(["Đội tuyển thắng"]).tolist()
['unrelated']
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ..features.combined import make_features, transform_features
from ..labels import STANCE_LABELS
from ..validation import Interval, StrOptions, check_texts, validate_params
from .calibration import CalibratedLinearSVC
from .decision import cross_validated_weights

__all__ = ["StanceClassifier"]


class StanceClassifier(ClassifierMixin, BaseEstimator):
    """Stance of a passage toward US military presence abroad, in two steps.

    A relevance step decides whether the passage is about the target at all (``unrelated`` or not);
    a stance step, trained on the related passages only, decides between ``pro``, ``anti`` and
    ``neutral``. The probabilities combine as ``P(pro) = P(related) * P(pro | related)`` and so on, so
    they sum to 1 over :data:`stance.labels.STANCE_LABELS`. Both steps share one syllable n-gram
    TF-IDF and use class-balanced weights, since ``pro`` is the rarest class (9%).

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 3)
        n-gram range of both steps.
    min_df : int, default=2
        Minimum document frequency of an n-gram.
    tokens : {"syllables", "words"}, default="syllables"
        Tokens of the n-grams.
    cues : bool, default=False
        Add the stance cue features (measured: they lower grouped-CV F_avg by about 0.02; see
        ``docs/models.md``).
    C_relevance, C_stance : float, default=0.3
        SVM regularisation of each step.
    two_step : bool, default=True
        False fits one four-class model instead (kept to measure what the relevance step buys).
    calibration_folds : int, default=5
        Folds for the calibration of each step (grouped by article when groups are given).
    tune_decision : bool, default=True
        Learn per-label decision weights on out-of-fold probabilities (see :attr:`decision_weights_`).
    random_state : int, RandomState instance or None, default=0
        Seed of the folds and the SVMs.

    Attributes
    ----------
    classes_ : ndarray of str
        The four stance labels, sorted (``anti``, ``neutral``, ``pro``, ``unrelated``): the column order of
        :meth:`predict_proba`. Results show them in the guideline's order (:func:`stance.labels.display_order`).
    decision_weights_ : ndarray of float
        :meth:`predict` returns ``argmax(P * decision_weights_)`` rather than ``argmax(P)``: a
        cost-sensitive decision on the calibrated probabilities ``P``, with weights chosen by
        cross-validation on the training data to maximise macro-F1 (the rare ``pro`` and ``anti``
        get more weight). All ones when ``tune_decision=False``. The probabilities themselves stay
        calibrated. In the order of ``classes_``; tuned visiting the labels in the guideline's order with
        ``pro``'s weight fixed at 1 (only ratios matter).
    features_ : sklearn.pipeline.FeatureUnion
        Syllable n-gram TF-IDF (and cue features) shared by both steps.
    relevance_ : CalibratedLinearSVC or None
        ``related`` vs ``unrelated`` (None when ``two_step=False``).
    stance_ : CalibratedLinearSVC
        ``pro`` / ``anti`` / ``neutral`` (all four labels when ``two_step=False``).

    The model is two linear models, not one, so it has no single ``coef_``: each step has its own
    (``relevance_.coef_``, ``stance_.coef_``; :func:`stance.explain.weight_rows` lists them by label).
    """

    _parameter_constraints: dict = {
        "ngram_range": [tuple],
        "min_df": [Interval(Real, 0, 1, closed="both"), Interval(Integral, 1, None, closed="left")],
        "tokens": [StrOptions({"syllables", "words"})],
        "cues": ["boolean"],
        "C_relevance": [Interval(Real, 0, None, closed="neither")],
        "C_stance": [Interval(Real, 0, None, closed="neither")],
        "two_step": ["boolean"],
        "calibration_folds": [Interval(Integral, 2, None, closed="left")],
        "tune_decision": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(self, *, ngram_range: tuple[int, int] = (1, 3), min_df: int = 2, tokens: str = "syllables",
                 cues: bool = False, C_relevance: float = 0.3, C_stance: float = 0.3, two_step: bool = True,
                 calibration_folds: int = 5, tune_decision: bool = True,
                 random_state: int | np.random.RandomState | None = 0) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.tokens = tokens
        self.cues = cues
        self.C_relevance = C_relevance
        self.C_stance = C_stance
        self.two_step = two_step
        self.calibration_folds = calibration_folds
        self.tune_decision = tune_decision
        self.random_state = random_state

    def _calibrated(self, Z, y: np.ndarray, C: float, groups: np.ndarray | None) -> CalibratedLinearSVC:
        return CalibratedLinearSVC(
            C=C, class_weight="balanced", folds=self.calibration_folds, random_state=self.random_state
        ).fit(Z, y, groups=groups)

    def fit(self, X: Iterable[str], y: Sequence[str], groups: Sequence[object] | None = None) -> "StanceClassifier":
        """Fit both steps (and the decision weights) on cleaned passages ``X`` labelled ``y`` with
        :data:`stance.labels.STANCE_LABELS`; ``groups``, the article of each passage (``doc_id``), keeps the
        calibration and tuning folds from splitting an article."""
        validate_params(self)
        texts = check_texts(X)
        y_arr = np.asarray(y)
        if len(texts) != len(y_arr):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y_arr)} labels")
        unknown = sorted(set(y_arr.tolist()) - set(STANCE_LABELS))
        if unknown:
            raise ValueError(f"unknown stance labels {unknown}; expected {list(STANCE_LABELS)}")
        g = None if groups is None else np.asarray(groups)
        self.classes_ = np.asarray(sorted(STANCE_LABELS))
        self.decision_weights_ = np.ones(len(self.classes_))
        if self.tune_decision:
            by_guideline = cross_validated_weights(self, texts, y_arr, g, STANCE_LABELS)
            self.decision_weights_ = by_guideline[[STANCE_LABELS.index(c) for c in self.classes_]]
        self._fit_steps(texts, y_arr, g)
        return self

    def _fit_steps(self, texts: list[str], y: np.ndarray, g: np.ndarray | None) -> None:
        self.features_ = make_features(
            tokens=self.tokens, ngram_range=self.ngram_range, min_df=self.min_df, max_features=None,
            sublinear_tf=True, cues=self.cues,
        )
        Z = self.features_.fit_transform(texts)
        if not self.two_step:
            self.relevance_ = None
            self.stance_ = self._calibrated(Z, y, self.C_stance, g)
            return
        related = y != "unrelated"
        self.relevance_ = self._calibrated(Z, np.where(related, "related", "unrelated"), self.C_relevance, g)
        self.stance_ = self._calibrated(Z[related], y[related], self.C_stance, None if g is None else g[related])

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probabilities over :attr:`classes_`, shape ``(n_texts, 4)``, rows sum to 1."""
        check_is_fitted(self, "stance_")
        texts = check_texts(X)
        out = np.zeros((len(texts), len(self.classes_)))
        if not texts:
            return out
        col = {label: k for k, label in enumerate(self.classes_)}
        Z = transform_features(self.features_, texts)
        stance = self.stance_.predict_proba(Z)
        if self.relevance_ is None:
            for j, label in enumerate(self.stance_.classes_):
                out[:, col[label]] = stance[:, j]
            return out
        rel = self.relevance_.predict_proba(Z)
        p_related = rel[:, list(self.relevance_.classes_).index("related")]
        for j, label in enumerate(self.stance_.classes_):
            out[:, col[label]] = p_related * stance[:, j]
        out[:, col["unrelated"]] = 1.0 - p_related
        return out

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Stance of each passage: ``argmax(predict_proba(X) * decision_weights_)``."""
        return self.classes_[np.argmax(self.predict_proba(X) * self.decision_weights_, axis=1)]
