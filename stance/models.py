"""The estimators: :class:`TextClassifier` for any label set, :class:`StanceClassifier` for stance, and
:func:`aggregate_stance` to decide an article's stance from its passages.

Both estimators take raw texts and clean them once (``clean=True``; ``predict_proba_cleaned`` skips
that for text already passed through :func:`stance.clean.clean`, as :func:`stance.classify` does), follow
scikit-learn's conventions (keyword-only constructor storing its arguments, learned attributes ending
in ``_``, ``clone``/``get_params``/pickle/``GridSearchCV`` work) and return calibrated probabilities
that sum to 1: a linear SVM's scores are mapped to probabilities by Platt scaling fitted on
cross-validated scores (:class:`sklearn.calibration.CalibratedClassifierCV`).

Examples
--------
>>> texts = ["Quân Mỹ rút khỏi Iraq", "Đội tuyển thắng trận", "Binh sĩ Mỹ ở Iraq", "Cầu thủ ghi bàn"] * 5
>>> labels = ["world", "sport", "world", "sport"] * 5
>>> model = TextClassifier(min_df=1, calibration_folds=2).fit(texts, labels)
>>> model.predict(["Quân Mỹ ở Iraq"]).tolist()
['world']
>>> round(float(model.predict_proba(["Cầu thủ"]).sum()), 6)
1.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.metrics import f1_score
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC
from scipy.special import expit
from sklearn.utils.validation import check_is_fitted

from .clean import clean as clean_text
from .features import StanceCues, TextVectorizer
from .labels import STANCE_LABELS

__all__ = ["TextClassifier", "StanceClassifier", "ArticleStance", "aggregate_stance", "tune_decision_weights"]


def _texts(X: Iterable[str]) -> list[str]:
    if isinstance(X, str):
        raise TypeError("expected a list of texts, got a single str; wrap it in a list")
    return list(X)


def _cleaned(texts: list[str], do_clean: bool) -> list[str]:
    return [clean_text(t) for t in texts] if do_clean else texts


def _tuned_weights(
    model: BaseEstimator, texts: list[str], y: np.ndarray, groups: np.ndarray | None, classes: np.ndarray
) -> np.ndarray:
    """Decision weights maximising macro-F1 of out-of-fold predictions of ``model`` (untuned clones)."""
    inner = clone(model).set_params(tune_decision=False)
    oof = np.zeros((len(texts), len(classes)))
    for train, test in _splits(y, groups, model.calibration_folds, model.random_state + 1):
        fold = clone(inner).fit([texts[i] for i in train], y[train], groups=None if groups is None else groups[train])
        P = fold.predict_proba([texts[i] for i in test])
        cols = [list(fold.classes_).index(c) for c in classes]
        oof[test] = P[:, cols]
    return tune_decision_weights(oof, y, classes)


def _splits(
    y: np.ndarray, groups: Sequence[object] | None, n_splits: int, random_state: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds, grouped when groups are given, so related texts never straddle folds."""
    _, counts = np.unique(y, return_counts=True)
    n = int(min(n_splits, counts.min()))
    if n < 2:
        raise ValueError(
            f"every label needs at least 2 examples for calibration; the rarest has {counts.min()}"
        )
    dummy = np.zeros(len(y))
    if groups is not None:
        cv = StratifiedGroupKFold(n_splits=n, shuffle=True, random_state=random_state)
        return list(cv.split(dummy, y, groups))
    return list(StratifiedKFold(n_splits=n, shuffle=True, random_state=random_state).split(dummy, y))


def _make_features(
    *, tokens: str, ngram_range: tuple[int, int], min_df: int | float, max_features: int | None,
    sublinear_tf: bool, cues: bool,
) -> FeatureUnion:
    """TF-IDF (and cue) features of already-cleaned text: the estimators clean once, before them."""
    parts: list[tuple[str, object]] = [
        (
            "tfidf",
            TextVectorizer(
                tokens=tokens, ngram_range=ngram_range, min_df=min_df, max_features=max_features,
                sublinear_tf=sublinear_tf, clean=False,
            ),
        )
    ]
    if cues:
        parts.append(("cues", StanceCues(clean=False)))
    return FeatureUnion(parts)


def _fit_calibrated_svm(
    Z, y: np.ndarray, *, C: float, class_weight: str | dict | None, calibration: str, folds: int,
    groups: Sequence[object] | None, random_state: int, n_jobs: int | None = None,
) -> CalibratedClassifierCV:
    """A linear SVM fitted on all of ``Z`` plus calibrators fitted on its out-of-fold scores."""
    svm = LinearSVC(C=C, class_weight=class_weight, random_state=random_state)
    cv = _splits(y, groups, folds, random_state)
    calibrated = CalibratedClassifierCV(svm, method=calibration, cv=cv, ensemble=False, n_jobs=n_jobs).fit(Z, y)
    fitted = calibrated.calibrated_classifiers_[0].estimator
    # float32 weights halve the artefact; scores change by < 1e-6.
    fitted.coef_ = fitted.coef_.astype(np.float32)
    return calibrated


def _calibrated_proba(calibrated: CalibratedClassifierCV, Z) -> np.ndarray:
    """``calibrated.predict_proba(Z)`` computed directly for a sigmoid-calibrated linear model.

    Same arithmetic as scikit-learn's ``_CalibratedClassifier.predict_proba`` (scores, one sigmoid per
    class, normalisation), without its per-call validation, which costs milliseconds per document;
    ``tests/test_estimators.py`` checks the two agree. Anything else goes through scikit-learn.
    """
    cal = calibrated.calibrated_classifiers_
    if len(cal) != 1 or cal[0].method != "sigmoid" or not hasattr(cal[0].estimator, "coef_"):
        return calibrated.predict_proba(Z)
    est = cal[0].estimator
    scores = np.asarray(Z @ est.coef_.T, dtype=np.float64) + est.intercept_
    a = np.array([c.a_ for c in cal[0].calibrators])
    b = np.array([c.b_ for c in cal[0].calibrators])
    p = expit(-(scores * a + b))
    n_classes = len(calibrated.classes_)
    if n_classes == 2:
        proba = np.column_stack([1.0 - p[:, 0], p[:, 0]])
    else:
        total = p.sum(axis=1, keepdims=True)
        proba = np.divide(p, total, out=np.full_like(p, 1.0 / n_classes), where=total != 0)
    proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
    return proba


def _transform(features: FeatureUnion, texts: list[str]):
    """``features.transform(texts)``, calling a lone transformer directly (FeatureUnion's per-call
    machinery costs more than the transform itself for one document)."""
    parts = features.transformer_list
    if len(parts) == 1:
        return parts[0][1].transform(texts)
    return features.transform(texts)


class TextClassifier(ClassifierMixin, BaseEstimator):
    """TF-IDF n-grams (plus optional stance cues) and a calibrated linear SVM, for any label set.

    Parameters
    ----------
    tokens : {"syllables", "words"}, default="syllables"
        Tokens of the TF-IDF features (see :class:`stance.features.TextVectorizer`).
    ngram_range : tuple of int, default=(1, 2)
        n-gram range of the TF-IDF features.
    min_df : int or float, default=2
        Minimum document frequency of an n-gram.
    max_features : int or None, default=None
        Keep at most this many n-grams, the most frequent (bounds the artefact size).
    sublinear_tf : bool, default=True
        ``1 + log(tf)`` term weighting.
    cues : bool, default=False
        Add :class:`stance.features.StanceCues` to the features.
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
        :attr:`StanceClassifier.decision_weights_`); helps rare labels. Costs ``calibration_folds``
        extra fits.
    clean : bool, default=True
        Clean raw text first (:func:`stance.clean.clean`).
    n_jobs : int or None, default=None
        Processes for the calibration folds' SVM fits (-1: all cores). The fitted model is the same.
    random_state : int, default=0
        Seed for the folds and the SVM.

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, in the column order of :meth:`predict_proba`.
    features_ : sklearn.pipeline.FeatureUnion
        The fitted feature extractors.
    calibrated_ : sklearn.calibration.CalibratedClassifierCV
        The SVM (fitted on all data) and its calibrators.
    decision_weights_ : ndarray of float
        :meth:`predict` returns ``argmax(predict_proba(X) * decision_weights_)``; all ones unless
        ``tune_decision=True``.
    """

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
        clean: bool = True,
        n_jobs: int | None = None,
        random_state: int = 0,
    ) -> None:
        self.tune_decision = tune_decision
        self.n_jobs = n_jobs
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
        self.clean = clean
        self.random_state = random_state

    def fit(
        self, X: Iterable[str], y: Sequence[str], groups: Sequence[object] | None = None
    ) -> "TextClassifier":
        """Fit features, SVM and calibration.

        Parameters
        ----------
        X : list of str
            Texts.
        y : list of str
            Their labels (at least two distinct, each seen at least twice).
        groups : list, optional
            Group of each text (e.g. the article a passage comes from): calibration folds keep a group
            together, so the calibration is fitted on scores of texts unlike those the SVM saw.

        Returns
        -------
        self
        """
        texts = _texts(X)
        y_arr = np.asarray(y)
        if len(texts) != len(y_arr):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y_arr)} labels")
        if len(np.unique(y_arr)) < 2:
            raise ValueError(f"need at least two distinct labels, got {np.unique(y_arr).tolist()}")
        self.features_ = _make_features(
            tokens=self.tokens, ngram_range=self.ngram_range, min_df=self.min_df,
            max_features=self.max_features, sublinear_tf=self.sublinear_tf, cues=self.cues,
        )
        Z = self.features_.fit_transform(_cleaned(texts, self.clean))
        self.calibrated_ = _fit_calibrated_svm(
            Z, y_arr, C=self.C, class_weight=self.class_weight, calibration=self.calibration,
            folds=self.calibration_folds, groups=groups, random_state=self.random_state, n_jobs=self.n_jobs,
        )
        self.classes_ = self.calibrated_.classes_
        self.decision_weights_ = np.ones(len(self.classes_))
        if self.tune_decision:
            g = None if groups is None else np.asarray(groups)
            self.decision_weights_ = _tuned_weights(self, texts, y_arr, g, self.classes_)
        return self

    def transform_features(self, X: Iterable[str]):
        """The feature matrix the SVM sees (sparse, one row per text)."""
        check_is_fitted(self, "calibrated_")
        return _transform(self.features_, _cleaned(_texts(X), self.clean))

    def predict_proba_cleaned(self, X: Iterable[str]) -> np.ndarray:
        """As :meth:`predict_proba`, for texts already cleaned by :func:`stance.clean.clean`."""
        check_is_fitted(self, "calibrated_")
        return _calibrated_proba(self.calibrated_, _transform(self.features_, _texts(X)))

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Uncalibrated SVM scores, shape ``(n_texts, n_classes)`` (``(n_texts,)`` for two classes)."""
        return self.calibrated_.calibrated_classifiers_[0].estimator.decision_function(
            self.transform_features(X)
        )

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Calibrated probabilities, shape ``(n_texts, n_classes)``, rows sum to 1."""
        return _calibrated_proba(self.calibrated_, self.transform_features(X))

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Label of each text: ``argmax(predict_proba(X) * decision_weights_)``."""
        weights = getattr(self, "decision_weights_", None)
        P = self.predict_proba(X)
        return self.classes_[np.argmax(P if weights is None else P * weights, axis=1)]

    def feature_names(self) -> np.ndarray:
        """Names of the feature columns (n-grams, then ``cues__...``)."""
        check_is_fitted(self, "calibrated_")
        return self.features_.get_feature_names_out()

    def coefficients(self) -> np.ndarray:
        """SVM weights, shape ``(n_classes, n_features)`` (one row, for the second class, when binary)."""
        check_is_fitted(self, "calibrated_")
        return self.calibrated_.calibrated_classifiers_[0].estimator.coef_


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
    clean : bool, default=True
        Clean raw text first.
    random_state : int, default=0
        Seed.

    Attributes
    ----------
    classes_ : ndarray of str
        :data:`stance.labels.STANCE_LABELS`.
    decision_weights_ : ndarray of float
        :meth:`predict` returns ``argmax(P * decision_weights_)`` rather than ``argmax(P)``: a
        cost-sensitive decision on the calibrated probabilities ``P``, with weights chosen by
        cross-validation on the training data to maximise macro-F1 (the rare ``pro`` and ``anti``
        get more weight). All ones when ``tune_decision=False``. The probabilities themselves stay
        calibrated.
    features_ : sklearn.pipeline.FeatureUnion
        Syllable n-gram TF-IDF (and cue features) shared by both steps.
    relevance_ : sklearn.calibration.CalibratedClassifierCV or None
        ``related`` vs ``unrelated`` (None when ``two_step=False``).
    stance_ : sklearn.calibration.CalibratedClassifierCV
        ``pro`` / ``anti`` / ``neutral`` (all four labels when ``two_step=False``).
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 3),
        min_df: int = 2,
        tokens: str = "syllables",
        cues: bool = False,
        C_relevance: float = 0.3,
        C_stance: float = 0.3,
        two_step: bool = True,
        calibration_folds: int = 5,
        tune_decision: bool = True,
        clean: bool = True,
        random_state: int = 0,
    ) -> None:
        self.tune_decision = tune_decision
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.tokens = tokens
        self.cues = cues
        self.C_relevance = C_relevance
        self.C_stance = C_stance
        self.two_step = two_step
        self.calibration_folds = calibration_folds
        self.clean = clean
        self.random_state = random_state

    def _calibrated(self, Z, y: np.ndarray, C: float, groups: np.ndarray | None) -> CalibratedClassifierCV:
        return _fit_calibrated_svm(
            Z, y, C=C, class_weight="balanced", calibration="sigmoid", folds=self.calibration_folds,
            groups=groups, random_state=self.random_state,
        )

    def fit(
        self, X: Iterable[str], y: Sequence[str], groups: Sequence[object] | None = None
    ) -> "StanceClassifier":
        """Fit both steps on passages labelled with :data:`stance.labels.STANCE_LABELS`.

        Parameters
        ----------
        X : list of str
            Passages.
        y : list of str
            Their stance labels.
        groups : list, optional
            The article of each passage (``doc_id``), for grouped calibration folds.
        """
        texts = _texts(X)
        y_arr = np.asarray(y)
        unknown = sorted(set(y_arr.tolist()) - set(STANCE_LABELS))
        if unknown:
            raise ValueError(f"unknown stance labels {unknown}; expected {list(STANCE_LABELS)}")
        g = None if groups is None else np.asarray(groups)
        self.classes_ = np.asarray(STANCE_LABELS)
        self.decision_weights_ = np.ones(len(self.classes_))
        if self.tune_decision:
            self.decision_weights_ = _tuned_weights(self, texts, y_arr, g, self.classes_)
        self._fit_steps(texts, y_arr, g)
        return self


    def _fit_steps(self, texts: list[str], y: np.ndarray, g: np.ndarray | None) -> None:
        self.features_ = _make_features(
            tokens=self.tokens, ngram_range=self.ngram_range, min_df=self.min_df, max_features=None,
            sublinear_tf=True, cues=self.cues,
        )
        Z = self.features_.fit_transform(_cleaned(texts, self.clean))
        if not self.two_step:
            self.relevance_ = None
            self.stance_ = self._calibrated(Z, y, self.C_stance, g)
            return
        related = y != "unrelated"
        self.relevance_ = self._calibrated(Z, np.where(related, "related", "unrelated"), self.C_relevance, g)
        self.stance_ = self._calibrated(Z[related], y[related], self.C_stance, None if g is None else g[related])

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probabilities over :attr:`classes_`, shape ``(n_texts, 4)``, rows sum to 1."""
        return self.predict_proba_cleaned(_cleaned(_texts(X), self.clean))

    def predict_proba_cleaned(self, X: Iterable[str]) -> np.ndarray:
        """As :meth:`predict_proba`, for texts already cleaned by :func:`stance.clean.clean`."""
        check_is_fitted(self, "stance_")
        texts = _texts(X)
        out = np.zeros((len(texts), len(self.classes_)))
        if not texts:
            return out
        col = {label: k for k, label in enumerate(self.classes_)}
        Z = _transform(self.features_, texts)
        stance = _calibrated_proba(self.stance_, Z)
        if self.relevance_ is None:
            for j, label in enumerate(self.stance_.classes_):
                out[:, col[label]] = stance[:, j]
            return out
        rel = _calibrated_proba(self.relevance_, Z)
        p_related = rel[:, list(self.relevance_.classes_).index("related")]
        for j, label in enumerate(self.stance_.classes_):
            out[:, col[label]] = p_related * stance[:, j]
        out[:, col["unrelated"]] = 1.0 - p_related
        return out

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Stance of each passage: ``argmax(predict_proba(X) * decision_weights_)``."""
        return self.classes_[np.argmax(self.predict_proba(X) * self.decision_weights_, axis=1)]


def tune_decision_weights(
    proba: np.ndarray, y: Sequence[str], classes: Sequence[str], *, grid: Sequence[float] | None = None
) -> np.ndarray:
    """Per-label weights ``w`` such that ``argmax(proba * w)`` maximises macro-F1 on ``y``.

    Coordinate ascent over a grid of log-weights (two sweeps), starting from all ones; the first
    label's weight stays 1 (only ratios matter).

    Examples
    --------
    >>> P = np.array([[0.6, 0.4], [0.55, 0.45], [0.9, 0.1], [0.2, 0.8]])
    >>> w = tune_decision_weights(P, ["a", "b", "a", "b"], ["a", "b"])
    >>> np.argmax(P * w, axis=1).tolist()
    [0, 1, 0, 1]
    """
    classes = np.asarray(classes)
    y = np.asarray(y)
    grid = np.exp(np.linspace(-1.5, 1.5, 31)) if grid is None else np.asarray(grid)
    w = np.ones(len(classes))

    def score(weights: np.ndarray) -> float:
        pred = classes[np.argmax(proba * weights, axis=1)]
        return float(f1_score(y, pred, labels=classes, average="macro", zero_division=0.0))

    best = score(w)
    for _ in range(2):
        for k in range(1, len(classes)):
            for value in grid:
                trial = w.copy()
                trial[k] = value
                s = score(trial)
                if s > best + 1e-12:
                    best, w = s, trial
    return w


@dataclass(frozen=True)
class ArticleStance:
    """An article's stance decided from its passages.

    Attributes
    ----------
    label : str
        The stance of the article.
    scores : Mapping[str, float]
        Probability of each label; sums to 1.
    evidence : tuple of int
        Indices of the passages that carry the decision, strongest first.
    """

    label: str
    scores: Mapping[str, float]
    evidence: tuple[int, ...]


def aggregate_stance(
    passage_proba: np.ndarray,
    classes: Sequence[str] = STANCE_LABELS,
    *,
    weights: Sequence[float] | None = None,
    max_evidence: int = 3,
) -> ArticleStance:
    """Decide an article's stance from the stance probabilities of its passages.

    The article is about the target as much as its most related passage is:
    ``P(unrelated) = min_i P_i(unrelated)``. Among pro / anti / neutral, each passage counts in
    proportion to how related it is, so the related mass is shared as
    ``sum_i P_i(label) / sum_i (1 - P_i(unrelated))``. The scores sum to 1. Evidence: the passages
    with the highest probability of the chosen label (for ``unrelated``, the least related ones),
    at most ``max_evidence``, and only those at least half as probable as the strongest one.

    Parameters
    ----------
    passage_proba : ndarray of shape (n_passages, n_labels)
        Rows from :meth:`StanceClassifier.predict_proba`.
    classes : sequence of str
        Column labels; must contain ``"unrelated"``.
    weights : sequence of float, optional
        Decision weights (:attr:`StanceClassifier.decision_weights_`): the label is
        ``argmax(scores * weights)``, as for passages. Default all ones.
    max_evidence : int, default=3
        Most evidence passages returned.

    Returns
    -------
    ArticleStance

    Examples
    --------
    >>> p = np.array([[0.0, 0.1, 0.2, 0.7], [0.0, 0.9, 0.0, 0.1], [0.1, 0.1, 0.7, 0.1]])
    >>> a = aggregate_stance(p)
    >>> a.label, a.evidence
    ('anti', (1,))
    >>> round(sum(a.scores.values()), 6)
    1.0
    """
    classes = list(classes)
    P = np.asarray(passage_proba, dtype=float)
    if P.ndim != 2 or P.shape[1] != len(classes):
        raise ValueError(f"passage_proba must have shape (n, {len(classes)}), got {P.shape}")
    u = classes.index("unrelated")
    if len(P) == 0:
        scores = {c: float(c == "unrelated") for c in classes}
        return ArticleStance("unrelated", scores, ())
    p_unrelated = float(P[:, u].min())
    related_mass = P.sum(axis=0)
    related_mass[u] = 0.0
    total = related_mass.sum()
    share = related_mass / total if total > 0 else np.full(len(classes), 0.0)
    if total <= 0:
        p_unrelated = 1.0
    scores_arr = (1.0 - p_unrelated) * share
    scores_arr[u] = p_unrelated
    scores_arr = scores_arr / scores_arr.sum()
    w = np.ones(len(classes)) if weights is None else np.asarray(weights, dtype=float)
    label_idx = int(np.argmax(scores_arr * w))
    strength = P[:, label_idx]
    order = np.argsort(-strength, kind="stable")
    top = strength[order[0]]
    evidence = tuple(int(i) for i in order[:max_evidence] if strength[i] >= 0.5 * top and strength[i] > 0)
    return ArticleStance(
        classes[label_idx], {c: float(s) for c, s in zip(classes, scores_arr)}, evidence
    )
