"""Stance of a passage and of a whole article in one model: :class:`ArticleStanceClassifier`.

The article decision is learned from labelled articles, not a rule. Per article, the passage model's
probabilities of its passages (rows in reading order) become 14 fixed-length features
(:func:`article_features`): the headline's four probabilities, the lead's (the next two passages), and the
largest and mean of the three largest probabilities of ``pro``, ``anti`` and relatedness (1 - P(unrelated))
over all passages, as log-odds. Paragraphs added after the lead that are weaker than the article's strongest
ones move none of them, so an article does not drift to ``neutral`` as it grows. A multinomial logistic
regression on these standardised features gives the article's probabilities; its label is their argmax.

Short texts: a text that is one passage gets that passage's probabilities; a text of at most ``short[0]``
syllables gets the passage model's probabilities for the whole text (the article model never saw texts that
short), blended linearly into the article model's up to ``short[1]`` syllables.

Training (:meth:`ArticleStanceClassifier.fit`) needs, for every labelled article, passage probabilities from a
passage model that never saw that article's passages: the articles are split into ``folds``, and for each fold
a passage model is fitted on the labelled passages of the other articles (cross-fitting). The passage model
kept is then fitted on all labelled passages.

Examples
--------
>>> P = np.array([[0.1, 0.2, 0.1, 0.6], [0.7, 0.2, 0.05, 0.05]])  # columns anti, neutral, pro, unrelated
>>> article_features(P, ["anti", "neutral", "pro", "unrelated"]).shape
(14,)
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from ..labels import STANCE_LABELS
from ..text.segment import passages as cut_passages
from ..text.segment import syllables
from ..validation import Interval, check_texts, validate_params
from .passage_classifier import PassageClassifier
from .splits import stratified_folds

__all__ = ["ArticleStanceClassifier", "article_features", "passages_of"]

_EPS = 1e-3


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


def passages_of(text: str) -> list[str]:
    """The passages of a cleaned text as the stance model reads them (:func:`stance.text.segment.passages`; the
    text itself when it has none).

    Examples
    --------
    >>> passages_of("Tiêu đề\\nMột. Hai.")
    ['Tiêu đề', 'Một. Hai.']
    """
    return cut_passages(text) or [text]


def article_features(P: np.ndarray, classes: Sequence[str], *, lead: int = 2, top_k: int = 3) -> np.ndarray:
    """The 14 features of one article's passage probabilities ``P`` (n x 4, columns ``classes``).

    Headline (the first passage): its four probabilities. Lead: the mean of the next ``lead`` passages (the
    headline's when there is only one passage). Then the maximum and the mean of the ``top_k`` largest, over
    all passages, of P(pro), P(anti) and relatedness 1 - P(unrelated). All as log-odds (clipped at 0.001).

    Examples
    --------
    >>> P = np.array([[0.0, 0.5, 0.0, 0.5]])
    >>> article_features(P, ["anti", "neutral", "pro", "unrelated"]).round(2).tolist()[:4]
    [-6.91, 0.0, -6.91, 0.0]
    """
    classes = list(classes)
    P = np.asarray(P, dtype=float)
    if P.ndim != 2 or P.shape[1] != len(classes) or len(P) == 0:
        raise ValueError(f"P must have shape (n >= 1, {len(classes)}), got {P.shape}")
    pro, anti, unr = classes.index("pro"), classes.index("anti"), classes.index("unrelated")
    R = P[:, [pro, anti, unr]].copy()
    R[:, 2] = 1.0 - R[:, 2]  # relatedness
    head = P[0]
    lead_p = P[1 : 1 + lead].mean(axis=0) if len(P) > 1 else P[0]
    top = np.sort(R, axis=0)[::-1][:top_k].mean(axis=0)
    return _logit(np.concatenate([head, lead_p, R.max(axis=0), top]))


class ArticleStanceClassifier(ClassifierMixin, BaseEstimator):
    """Stance of passages and of whole texts: a passage model and an article model learned from labelled articles.

    :meth:`fit` takes labelled passages (and, with ``articles=``, labelled whole articles); :meth:`predict_proba`
    and :meth:`predict` take whole cleaned texts and give each text's stance (a text of one passage: that
    passage's); :meth:`passage_proba` gives the passage model's probabilities; :meth:`predict_articles` gives
    both for texts already cut into passages (what :func:`stance.classify_batch` calls).

    Parameters
    ----------
    passage_model : estimator or None, default=None
        The passage model (a classifier of cleaned texts with ``predict_proba``, labels
        :data:`stance.labels.STANCE_LABELS`); None: ``PassageClassifier()``.
    C : float, default=0.3
        Inverse regularisation of the article model's logistic regression.
    lead : int, default=2
        Passages after the headline that make the lead.
    top_k : int, default=3
        The k of the top-k means.
    short : tuple of two int, default=(150, 250)
        Texts of at most ``short[0]`` syllables get the passage model's probabilities for the whole text, texts
        of at least ``short[1]`` the article model's; linearly blended between.
    folds : int, default=5
        Folds of articles for cross-fitting the passage probabilities the article model is trained on.
    random_state : int, RandomState instance or None, default=0
        Seed of those folds.

    Attributes
    ----------
    classes_ : ndarray of str
        The four stance labels, sorted: the column order of every probability matrix.
    passage_ : estimator
        The passage model fitted on all labelled passages.
    scaler_ : StandardScaler or None
        Standardises the article features (None when fitted without articles).
    logistic_ : LogisticRegression or None
        The article model (None when fitted without articles: every text is then read as one passage).
    """

    _parameter_constraints: dict = {
        "passage_model": "no_validation",  # checked in fit: None or a classifier with predict_proba
        "C": [Interval(Real, 0, None, closed="neither")],
        "lead": [Interval(Integral, 1, None, closed="left")],
        "top_k": [Interval(Integral, 1, None, closed="left")],
        "short": [tuple],
        "folds": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, *, passage_model: Any = None, C: float = 0.3, lead: int = 2, top_k: int = 3,
                 short: tuple[int, int] = (150, 250), folds: int = 5,
                 random_state: int | np.random.RandomState | None = 0) -> None:
        self.passage_model = passage_model
        self.C = C
        self.lead = lead
        self.top_k = top_k
        self.short = short
        self.folds = folds
        self.random_state = random_state

    def _check_params(self) -> None:
        validate_params(self)
        if self.passage_model is not None and not hasattr(self.passage_model, "predict_proba"):
            raise TypeError(f"passage_model must have predict_proba, got {type(self.passage_model).__name__}")
        if len(self.short) != 2 or not 0 <= self.short[0] < self.short[1]:
            raise ValueError(f"short must be (lo, hi) with 0 <= lo < hi, got {self.short!r}")

    def _new_passage_model(self) -> Any:
        return clone(self.passage_model) if self.passage_model is not None else PassageClassifier()

    def _aligned(self, model: Any, texts: list[str]) -> np.ndarray:
        """``model.predict_proba(texts)`` with columns in :attr:`classes_` order."""
        out = np.zeros((len(texts), len(self.classes_)))
        if texts:
            P = np.asarray(model.predict_proba(texts))
            for j, c in enumerate(model.classes_):
                out[:, list(self.classes_).index(str(c))] = P[:, j]
        return out

    def fit(self, X: Iterable[str], y: Sequence[str], groups: Sequence[object] | None = None, *,
            articles: Sequence[str] | None = None, article_labels: Sequence[str] | None = None,
            article_groups: Sequence[object] | None = None) -> "ArticleStanceClassifier":
        """Fit the passage model on cleaned passages ``X`` labelled ``y`` and, given labelled articles, the
        article model.

        Parameters
        ----------
        X, y : list of str
            Cleaned passages and their stance labels.
        groups : list, optional
            The article (``doc_id``) of each passage: when cross-fitting, the passages of a held-out article
            never train the passage model that scores it.
        articles, article_labels : list of str, optional
            Cleaned whole articles and their article-level stance labels.
        article_groups : list, optional
            The id of each article, in the same id space as ``groups``.
        """
        self._check_params()
        texts = check_texts(X)
        y_arr = np.asarray([str(v) for v in y])
        if len(texts) != len(y_arr):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y_arr)} labels")
        unknown = sorted(set(y_arr.tolist()) - set(STANCE_LABELS))
        if unknown:
            raise ValueError(f"unknown stance labels {unknown}; expected {list(STANCE_LABELS)}")
        self.classes_ = np.asarray(sorted(STANCE_LABELS))
        self.scaler_ = self.logistic_ = None
        if articles is not None:
            self._fit_articles(texts, y_arr, groups, check_texts(articles), article_labels, article_groups)
        self.passage_ = self._new_passage_model().fit(texts, y_arr)
        return self

    def _fit_articles(self, texts: list[str], y: np.ndarray, groups: Sequence[object] | None, articles: list[str],
                      labels: Sequence[str] | None, ids: Sequence[object] | None) -> None:
        if labels is None or len(labels) != len(articles):
            raise ValueError(f"articles: {len(articles)} articles need as many article_labels, got "
                             f"{None if labels is None else len(labels)}")
        a_y = np.asarray([str(v) for v in labels])
        unknown = sorted(set(a_y.tolist()) - set(STANCE_LABELS))
        if unknown:
            raise ValueError(f"unknown article stance labels {unknown}; expected {list(STANCE_LABELS)}")
        if ids is not None and groups is None:
            raise ValueError("article_groups need groups (the article of each passage) to keep them apart")
        a_ids = None if ids is None else np.asarray([str(v) for v in ids])
        p_groups = None if groups is None else np.asarray([str(v) for v in groups])
        docs = [passages_of(a) for a in articles]
        features = np.zeros((len(articles), 14))
        for _, held in stratified_folds(a_y, n_splits=self.folds, random_state=self.random_state):
            keep = np.ones(len(texts), dtype=bool) if a_ids is None else ~np.isin(p_groups, a_ids[held])
            model = self._new_passage_model().fit([t for t, k in zip(texts, keep) if k], y[keep])
            flat = [p for i in held for p in docs[i]]
            P = self._aligned(model, flat)
            start = 0
            for i in held:
                features[i] = article_features(P[start : start + len(docs[i])], self.classes_, lead=self.lead,
                                               top_k=self.top_k)
                start += len(docs[i])
        self.scaler_ = StandardScaler().fit(features)
        self.logistic_ = LogisticRegression(C=self.C, max_iter=5000).fit(self.scaler_.transform(features), a_y)

    def passage_proba(self, passages: Iterable[str]) -> np.ndarray:
        """The passage model's probabilities of cleaned passages, columns :attr:`classes_`."""
        check_is_fitted(self, "passage_")
        return self._aligned(self.passage_, check_texts(passages))

    def predict_articles(self, docs: Sequence[Sequence[str]], texts: Sequence[str]) -> tuple[list[np.ndarray], np.ndarray]:
        """Passage and article probabilities of texts already cut into passages.

        Parameters
        ----------
        docs : list of list of str
            The passages of each text (:func:`passages_of`), at least one each.
        texts : list of str
            The whole cleaned texts.

        Returns
        -------
        (list of ndarray, ndarray)
            One (n_passages x 4) matrix per text, and the texts' probabilities (n_texts x 4); columns
            :attr:`classes_`. A text's label is the argmax of its row.
        """
        check_is_fitted(self, "passage_")
        texts = check_texts(texts)
        if len(docs) != len(texts) or any(len(d) == 0 for d in docs):
            raise ValueError("docs must hold at least one passage for each of the texts")
        lengths = np.asarray([len(syllables(t)) for t in texts], dtype=float)
        lo, hi = self.short
        needs_whole = [k for k in range(len(texts)) if lengths[k] < hi or self.logistic_ is None]
        flat = [p for d in docs for p in d]
        Q = self.passage_proba(flat + [texts[k] for k in needs_whole])
        per_doc, start = [], 0
        for d in docs:
            per_doc.append(Q[start : start + len(d)])
            start += len(d)
        whole = np.zeros((len(texts), len(self.classes_)))
        whole[needs_whole] = Q[len(flat):]
        out = whole.copy()
        if self.logistic_ is not None:
            F = np.vstack([article_features(P, self.classes_, lead=self.lead, top_k=self.top_k) for P in per_doc])
            A = self._aligned_article(self._article_proba(F))
            w = np.clip((lengths - lo) / (hi - lo), 0.0, 1.0)[:, None]
            out = np.where(w >= 1.0, A, w * A + (1 - w) * whole)
        for k, P in enumerate(per_doc):
            if len(P) == 1:
                out[k] = P[0]
        return per_doc, out

    def _article_proba(self, F: np.ndarray) -> np.ndarray:
        """The logistic regression's probabilities of feature rows ``F``, row by row: the same numbers for an
        article whatever else is in the batch (a matrix product through BLAS can differ in the last bit)."""
        coef, intercept = self.logistic_.coef_, self.logistic_.intercept_
        if coef.shape[0] == 1:  # two labels among the articles: scikit-learn's own binary form
            return self.logistic_.predict_proba(self.scaler_.transform(F))
        Z = self.scaler_.transform(F)
        S = (Z[:, None, :] * coef[None, :, :]).sum(axis=2) + intercept
        E = np.exp(S - S.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)

    def _aligned_article(self, A: np.ndarray) -> np.ndarray:
        out = np.zeros((len(A), len(self.classes_)))
        for j, c in enumerate(self.logistic_.classes_):
            out[:, list(self.classes_).index(str(c))] = A[:, j]
        return out

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Stance probabilities of each cleaned text, shape ``(n_texts, 4)``, columns :attr:`classes_`."""
        texts = check_texts(X)
        check_is_fitted(self, "passage_")
        if not texts:
            return np.zeros((0, len(self.classes_)))
        return self.predict_articles([passages_of(t) for t in texts], texts)[1]

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Stance of each text: the argmax of :meth:`predict_proba`."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
