"""TF-IDF features of syllable or word n-grams: :class:`TextVectorizer`, a scikit-learn transformer.

Syllable n-grams (the default) are looked up by :class:`stance.features.ngram_index.NgramIndex`, a
vectorised path that gives scikit-learn's matrix 2-3 times faster; word n-grams use underthesea's
``word_tokenize``. The constructor only stores its keyword arguments, ``fit`` learns attributes ending in
``_``; it clones, pickles and round-trips ``get_params``.

Examples
--------
>>> vec = TextVectorizer(ngram_range=(1, 1), min_df=1).fit(["Quân Mỹ ở Iraq", "Quân Nga ở Syria"])
>>> sorted(vec.vocabulary_)[:4]
['iraq', 'mỹ', 'nga', 'quân']
"""

from __future__ import annotations

import copy
from numbers import Integral, Real
from typing import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .._native import features as native
from ..text.segment import TOKEN_PATTERN, words
from ..validation import Interval, StrOptions, check_texts, validate_params
from .ngram_index import NgramIndex

__all__ = ["TextVectorizer"]

def _lower(text: str) -> str:
    return text.lower()


class TextVectorizer(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):  # sparse output: no set_output
    """TF-IDF features of syllable or word n-grams.

    Parameters
    ----------
    tokens : {"syllables", "words"}, default="syllables"
        ``"syllables"``: runs of word characters (fast, the default). ``"words"``: underthesea's
        ``word_tokenize`` (about 100 times slower; see ``docs/models.md``).
    ngram_range : tuple of int, default=(1, 2)
        Smallest and largest n-gram.
    min_df : int or float, default=2
        Ignore n-grams in fewer documents than this.
    max_df : float, default=1.0
        Ignore n-grams in a larger share of documents than this.
    max_features : int or None, default=None
        Keep only the most frequent n-grams (bounds the model size).
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)``.

    Attributes
    ----------
    vectorizer_ : sklearn.feature_extraction.text.TfidfVectorizer
        The fitted vectorizer.
    vocabulary_ : dict
        n-gram to column index.
    index_ : stance.features.ngram_index.NgramIndex or None
        The vocabulary arranged for the fast transform of syllable n-grams (None for words).

    Examples
    --------
    >>> vec = TextVectorizer(ngram_range=(1, 2), min_df=1)
    >>> vec.fit_transform(["Ở Iraq", "ở Syria"]).shape
    (2, 5)
    """

    _parameter_constraints: dict = {
        "tokens": [StrOptions({"syllables", "words"})],
        "ngram_range": [tuple],
        "min_df": [Interval(Real, 0, 1, closed="both"), Interval(Integral, 1, None, closed="left")],
        "max_df": [Interval(Real, 0, 1, closed="both"), Interval(Integral, 1, None, closed="left")],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
        "sublinear_tf": ["boolean"],
    }

    def __init__(self, *, tokens: str = "syllables", ngram_range: tuple[int, int] = (1, 2), min_df: int | float = 2,
                 max_df: float = 1.0, max_features: int | None = None, sublinear_tf: bool = True) -> None:
        self.tokens = tokens
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    def _make(self) -> TfidfVectorizer:
        common = dict(
            ngram_range=tuple(self.ngram_range),
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
            sublinear_tf=self.sublinear_tf,
            dtype=np.float32,
        )
        if self.tokens == "words":
            # word_tokenize needs the original case to find proper names; it lower-cases its output.
            return TfidfVectorizer(
                tokenizer=words,
                token_pattern=None,
                lowercase=False,
                **common,
            )
        return TfidfVectorizer(
            preprocessor=_lower,
            token_pattern=TOKEN_PATTERN,
            **common,
        )

    def fit(self, X: Iterable[str], y: object = None) -> "TextVectorizer":
        """Learn the vocabulary and IDF weights from texts."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Iterable[str], y: object = None) -> sp.csr_matrix:
        """Fit, then return the TF-IDF matrix of the same texts (one pass over them)."""
        validate_params(self)
        self.vectorizer_ = self._make()
        out = self.vectorizer_.fit_transform(check_texts(X))
        self.vocabulary_ = self.vectorizer_.vocabulary_
        # Syllable n-grams get the vectorised lookup of stance.features.ngram_index (same matrix, 2-3x faster).
        self.index_ = NgramIndex.from_vectorizer(self.vectorizer_) if self.tokens == "syllables" else None
        return out

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """TF-IDF matrix of texts, one row per text."""
        check_is_fitted(self, "vectorizer_")
        texts = check_texts(X)
        if self.index_ is None:
            return self.vectorizer_.transform(texts)
        # the compiled kernels where they compute exactly index_.transform (stance._native.features)
        return native.transform(self, texts)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The n-grams, in column order."""
        check_is_fitted(self, "vectorizer_")
        return self.vectorizer_.get_feature_names_out()

    # joblib unpickles with a pure-Python unpickler, so a 200,000-entry dict takes most of a second to
    # load. The vocabulary and the index's syllable table are pickled as one joined string each (terms
    # in column order) and rebuilt as dicts on load, which takes a few hundredths of a second.
    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # object.__getstate__ returns the live __dict__
        vec = state.get("vectorizer_")
        if vec is None or "vocabulary_" not in vec.__dict__:
            return state
        vec = copy.copy(vec)
        vocab = vec.__dict__.pop("vocabulary_")
        terms = sorted(vocab, key=vocab.__getitem__)
        if any(_SEP in t for t in terms) or [vocab[t] for t in terms[:1]] not in ([], [0]):
            return dict(super().__getstate__())
        state["vectorizer_"] = vec
        state.pop("vocabulary_", None)
        state["_packed_terms"] = _SEP.join(terms)
        index = state.get("index_")
        if index is not None:
            index = copy.copy(index)
            tokens = sorted(index.token_ids, key=index.token_ids.__getitem__)
            index.token_ids = None
            state["index_"] = index
            state["_packed_tokens"] = _SEP.join(tokens)
        return state

    def __setstate__(self, state: dict) -> None:
        terms = state.pop("_packed_terms", None)
        tokens = state.pop("_packed_tokens", None)
        super().__setstate__(state)
        if terms is not None:
            vocab = {t: i for i, t in enumerate(terms.split(_SEP))} if terms else {}
            self.vectorizer_.vocabulary_ = vocab
            self.vocabulary_ = vocab
        if tokens is not None:
            self.index_.token_ids = {t: i for i, t in enumerate(tokens.split(_SEP))} if tokens else {}


_SEP = "\x00"  # never inside a term: tokens are runs of word characters
