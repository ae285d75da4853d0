"""TF-IDF of syllable n-grams in compiled code, with one tokenisation shared by every vectoriser of a batch.

:class:`~stance.features.vectorizer.TextVectorizer` hands its transform here (:func:`transform`). For a
vectoriser this module recognises exactly (:func:`syllable_index`, while the compiled path is :func:`~stance._native.active`: the package's syllable TF-IDF, lower-cased
``\\w+`` tokens, sublinear tf, idf, l2 norm, float32, and the reference transform it was checked against),
the matrix is computed by the kernels: bit for bit the matrix of
:meth:`stance.features.ngram_index.NgramIndex.transform` (the tests check it, and the full VNTC test set).
Any other vectoriser, or with the kernels disabled, runs its own transform.

:func:`shared_tokens` is the "tokenise once" of :func:`stance.classify_batch`: the syllable tables of every
recognised vectoriser of the topic and stance models are merged (:class:`SharedIndex`), each cleaned article
is tokenised once, and a passage's tokens are the run of its article's tokens inside its span. While the
context is open, a vectoriser asked for the matrix of exactly the batch's articles or passages gets it from
those tokens; asked for anything else, it computes it as usual.

Examples
--------
>>> from stance.features.vectorizer import TextVectorizer
>>> vec = TextVectorizer(min_df=1).fit(["Quân Mỹ ở Iraq", "quân Nga ở Syria"])
>>> bool(abs(transform(vec, ["Quân Mỹ rút"]) - vec.index_.transform(["Quân Mỹ rút"])).max() == 0)
True
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from typing import Any, Iterator, Sequence

import numpy as np
import scipy.sparse as sp

from . import KERNELS as K
from . import active
from .fingerprint import fingerprint

__all__ = ["BUILD_FROM", "CHECKED", "SharedIndex", "shared_tokens", "syllable_index", "transform", "vectorizers_of"]

CHECKED = {
    "stance.features.vectorizer._lower": "9c040469564b0b91",
    "stance.features.ngram_index.NgramIndex.transform": "14a1409e5b75e281",
}
"""Digests of the reference code the kernels' matrices were checked against."""

_TFIDF = {"analyzer": "word", "binary": False, "input": "content", "norm": "l2", "stop_words": None,
          "strip_accents": None, "sublinear_tf": True, "tokenizer": None, "use_idf": True}


def _reference_unchanged() -> bool:
    ok = _state.get("reference")
    if ok is None:
        from ..features import ngram_index, vectorizer

        ok = _state["reference"] = (
            fingerprint(vectorizer._lower) == CHECKED["stance.features.vectorizer._lower"]
            and fingerprint(ngram_index.NgramIndex.transform) == CHECKED["stance.features.ngram_index.NgramIndex.transform"]
        )
    return ok


_state: dict[str, bool] = {}
_recognised: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def syllable_index(vec: Any) -> Any:
    """The fitted ``NgramIndex`` of ``vec`` if the kernels compute exactly its transform, else None."""
    try:
        return _recognised[vec]
    except (KeyError, TypeError):
        pass
    index = _recognise(vec)
    with contextlib.suppress(TypeError):
        _recognised[vec] = index
    return index


def _recognise(vec: Any) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from ..features import vectorizer as V
    from ..features.ngram_index import NgramIndex
    from ..text.segment import TOKEN_PATTERN

    if type(vec) is not V.TextVectorizer or vec.tokens != "syllables" or not _reference_unchanged():
        return None
    tfidf, index = getattr(vec, "vectorizer_", None), getattr(vec, "index_", None)
    if type(tfidf) is not TfidfVectorizer or type(index) is not NgramIndex or not hasattr(tfidf, "idf_"):
        return None
    params = tfidf.get_params()
    if any(params.get(k, object()) != v for k, v in _TFIDF.items()) or params["preprocessor"] is not V._lower:
        return None
    if params["token_pattern"] != TOKEN_PATTERN or np.dtype(params["dtype"]) != np.float32:
        return None
    min_n, max_n = index.ngram_range
    if not (1 <= min_n <= max_n) or index.pattern != TOKEN_PATTERN or not index.sublinear_tf \
            or index.norm != "l2" or index.idf is None or np.dtype(index.dtype) != np.float32 \
            or index.token_ids is None or index.n_features != len(index.idf):
        return None
    return index


def vectorizers_of(model: Any, depth: int = 8) -> list[Any]:
    """Every fitted :class:`~stance.features.vectorizer.TextVectorizer` inside ``model`` (its steps, feature
    unions and fitted attributes), each once, in the order found."""
    from sklearn.base import BaseEstimator

    from ..features.vectorizer import TextVectorizer

    found: list[Any] = []
    seen: set[int] = set()

    def visit(obj: Any, level: int) -> None:
        if level > depth or id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, TextVectorizer):
            found.append(obj)
        elif isinstance(obj, BaseEstimator):
            for value in vars(obj).values():
                visit(value, level + 1)
        elif isinstance(obj, (list, tuple)):
            for value in obj:
                visit(value, level + 1)
        elif isinstance(obj, dict):
            for value in obj.values():
                visit(value, level + 1)

    visit(model, 0)
    return found


# --------------------------------------------------------------------------------------------------
# the merged index

_LOGTF = np.zeros(1)


def _logtf(n: int) -> np.ndarray:
    """``t[c] = 1 + np.log(c)`` for c < n (NumPy's log, as NgramIndex computes it)."""
    global _LOGTF
    if len(_LOGTF) < n:
        t = np.arange(max(n, 2 * len(_LOGTF), 4096), dtype=np.float64)
        t[0] = 1.0
        np.log(t, out=t)
        t += 1.0
        _LOGTF = t
    return _LOGTF


def _prepared(text: str) -> str:
    """``text`` for the tokeniser, which lower-cases character by character: the two characters whose
    ``str.lower`` depends on context or changes the length ("İ", "Σ") are lower-cased by Python first."""
    return text.lower() if ("İ" in text or "Σ" in text) else text


class SharedIndex:
    """The vocabularies of several fitted ``NgramIndex`` over one syllable table, so a text is tokenised and
    its syllables looked up once for all of them.

    Parameters
    ----------
    indexes : sequence of NgramIndex
        Indexes :func:`syllable_index` returned.
    """

    def __init__(self, indexes: Sequence[Any]) -> None:
        syllables: dict[str, int] = {}
        local_to_global = []
        for ix in indexes:
            tokens = sorted(ix.token_ids, key=ix.token_ids.__getitem__)
            if [ix.token_ids[t] for t in tokens] != list(range(len(tokens))):
                raise ValueError("token ids are not dense")
            local_to_global.append(np.fromiter((syllables.setdefault(t, len(syllables)) for t in tokens),
                                               dtype=np.int64, count=len(tokens)))
        self.vocab = K.Vocab(list(syllables))
        self.specs = [self._spec(ix, l2g, len(syllables)) for ix, l2g in zip(indexes, local_to_global)]
        self.n_features = [ix.n_features for ix in indexes]

    @staticmethod
    def _spec(ix: Any, l2g: np.ndarray, n_global: int) -> Any:
        base = n_global + 1
        min_n, max_n = ix.ngram_range
        if base ** max_n * 8 >= 2**63:
            raise ValueError("vocabulary too large for 64-bit n-gram keys")
        uni = np.full(n_global, -1, dtype=np.int32)
        keys, values = [], []
        for n in range(min_n, max_n + 1):
            codes = np.asarray(ix.codes[n - min_n], dtype=np.int64)
            cols = np.asarray(ix.columns[n - min_n], dtype=np.int64)
            digits, rest = [], codes.copy()  # local digits, most significant first -> global code
            for _ in range(n):
                digits.append(rest % ix.base)
                rest //= ix.base
            g = np.zeros(len(codes), dtype=np.int64)
            for d in reversed(digits):
                g = g * base + l2g[d]
            if n == 1:
                uni[g] = cols
            else:
                keys.append(g * 8 + n)
                values.append(cols)
        keys_a = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
        vals_a = np.concatenate(values) if values else np.zeros(0, dtype=np.int64)
        # prefixes of every n-gram that are no features themselves: value -2, so counting stops extending
        # an n-gram as soon as its prefix is unknown (longest n-grams first)
        level = {n: keys_a[(keys_a & 7) == n] >> 3 for n in range(2, max_n + 1)}
        extra = []
        for n in range(max_n, 1, -1):
            prefix = np.sort(level[n] // base)  # distinct values, by sorting (np.unique hashes: slower here)
            prefix = prefix[np.r_[True, prefix[1:] != prefix[:-1]]] if len(prefix) else prefix
            if n - 1 == 1:
                uni[prefix[uni[prefix] == -1]] = -2
            else:
                new = np.setdiff1d(prefix, level[n - 1], assume_unique=True)
                extra.append(new * 8 + (n - 1))
                level[n - 1] = np.union1d(level[n - 1], new)
        if extra and sum(map(len, extra)):
            extra_a = np.concatenate(extra)
            keys_a = np.concatenate([keys_a, extra_a])
            vals_a = np.concatenate([vals_a, np.full(len(extra_a), -2, dtype=np.int64)])
        return K.TfidfSpec(uni, keys_a, vals_a, base, ix.idf, min_n, max_n)

    def tokenize(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(ids, starts, ends, ptr)``: the syllable ids of every text, their character spans, and where
        each text's tokens begin."""
        return K.tokenize_ids([_prepared(t) for t in texts], self.vocab, True)

    def matrix(self, which: int, ids: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> sp.csr_matrix:
        """TF-IDF rows of the token runs ``ids[lo[k]:hi[k]]`` for index ``which``."""
        lo = np.ascontiguousarray(lo, dtype=np.int64)
        hi = np.ascontiguousarray(hi, dtype=np.int64)
        longest = int((hi - lo).max()) if len(lo) else 0
        data, indices, indptr = K.tfidf_csr(self.specs[which], ids, lo, hi, _logtf(longest + 2))
        return sp.csr_matrix((data, indices, indptr), shape=(len(lo), self.n_features[which]))

    def transform(self, which: int, texts: list[str]) -> sp.csr_matrix:
        """TF-IDF matrix of ``texts`` for index ``which``."""
        ids, _, _, ptr = self.tokenize(texts)
        return self.matrix(which, ids, ptr[:-1], ptr[1:])


_single: "weakref.WeakKeyDictionary[Any, SharedIndex]" = weakref.WeakKeyDictionary()
BUILD_FROM = 64
"""Compiled indexes take a tenth of a second to build for 200,000 n-grams: a vectoriser's own is built at
its first call with this many texts, the merged one of a batch's models once they have been asked for this
many articles; calls before that (a loaded model's check sentence, a first single article) run the
reference transform, which costs less for so few texts."""


def transform(vec: Any, texts: list[str]) -> sp.csr_matrix:
    """``vec.index_.transform(texts)``, from the batch's shared tokens or by the kernels where they apply."""
    if not active():
        return vec.index_.transform(texts)
    tokens = getattr(_local, "tokens", None)
    if tokens is not None:
        X = tokens.matrix(vec, texts)
        if X is not None:
            return X
    index = syllable_index(vec)
    shared = _single.get(vec)
    if index is None or (shared is None and len(texts) < BUILD_FROM):
        return vec.index_.transform(texts)
    if shared is None:
        with _lock:
            shared = _single.get(vec) or SharedIndex([index])
            _single[vec] = shared
    return shared.transform(0, texts)


# --------------------------------------------------------------------------------------------------
# one tokenisation per batch

_local = threading.local()
_merged: dict[tuple[int, ...], tuple[list[Any], SharedIndex]] = {}


_seen: dict[tuple[int, ...], int] = {}


def _merged_index(vectorizers: list[Any], n_texts: int) -> tuple[list[Any], SharedIndex] | None:
    """The merged index of the recognised ``vectorizers``: built once the models have been asked for
    :data:`BUILD_FROM` articles (a first single classify stays as quick as without it)."""
    usable = [v for v in vectorizers if syllable_index(v) is not None]
    if not usable:
        return None
    key = tuple(id(v) for v in usable)
    entry = _merged.get(key)
    if entry is None or any(a is not b for a, b in zip(entry[0], usable)):
        _seen[key] = _seen.get(key, 0) + n_texts
        if _seen[key] < BUILD_FROM:
            return None
        with _lock:
            entry = (usable, SharedIndex([syllable_index(v) for v in usable]))
            if len(_merged) > 8:
                _merged.clear()
            _merged[key] = entry
    return entry


class _Tokens:
    """The tokens of one batch: articles, their passages (runs of the articles' tokens), other texts."""

    def __init__(self, vectorizers: list[Any], index: SharedIndex, groups: list[list[str]],
                 ptr: Sequence[int], starts: np.ndarray, ends: np.ndarray) -> None:
        self.which = {id(v): k for k, v in enumerate(vectorizers)}
        self.vectorizers = vectorizers
        self.index = index
        self.groups = groups  # articles, passages, then others
        self.ptr = np.asarray(ptr, dtype=np.int64)
        self.starts, self.ends = starts, ends
        self.runs: list[tuple[np.ndarray, np.ndarray]] | None = None
        self.ids: np.ndarray | None = None

    def _group(self, texts: list[str]) -> int | None:
        for g, group in enumerate(self.groups):
            if texts is group or (len(texts) == len(group) and texts == group):
                return g
        return None

    def _tokenise(self) -> None:
        articles, passages, *others = self.groups
        ptr, starts, ends = self.ptr, self.starts, self.ends
        spans = not len(starts) or bool(starts[0] >= 0)
        to_tok: list[str] = []
        entry = np.empty(len(articles), dtype=np.int64)
        alone: dict[int, int] = {}  # article -> where its passages, tokenised on their own, begin
        for k, text in enumerate(articles):
            entry[k] = len(to_tok)
            prepared = _prepared(text)
            to_tok.append(prepared)
            if not spans or len(prepared) != len(text):  # no spans, or offsets moved by lower-casing
                alone[k] = len(to_tok)
                to_tok.extend(passages[ptr[k]:ptr[k + 1]])
        other_at = len(to_tok)
        for group in others:
            to_tok.extend(group)
        ids, st, en, tptr = self.index.tokenize(to_tok)
        a_lo, a_hi = tptr[entry], tptr[entry + 1]
        doc_lo = a_lo.copy()
        doc_lo[list(alone)] = -1
        if spans:
            p_lo, p_hi = K.span_token_ranges_batch(st, en, doc_lo, a_hi, ptr, starts, ends)
        else:
            p_lo = np.zeros(len(passages), dtype=np.int64)
            p_hi = np.zeros(len(passages), dtype=np.int64)
        for k, first in alone.items():
            j0, j1 = ptr[k], ptr[k + 1]
            p_lo[j0:j1] = tptr[first:first + (j1 - j0)]
            p_hi[j0:j1] = tptr[first + 1:first + (j1 - j0) + 1]
        self.runs = [(a_lo, a_hi), (p_lo, p_hi)]
        at = other_at
        for group in others:
            self.runs.append((tptr[at:at + len(group)], tptr[at + 1:at + len(group) + 1]))
            at += len(group)
        self.ids = ids

    def matrix(self, vec: Any, texts: list[str]) -> sp.csr_matrix | None:
        which = self.which.get(id(vec))
        if which is None or self.vectorizers[which] is not vec:
            return None
        g = self._group(texts)
        if g is None:
            return None
        if self.runs is None:
            self._tokenise()
        lo, hi = self.runs[g]
        return self.index.matrix(which, self.ids, lo, hi)


@contextlib.contextmanager
def shared_tokens(models: Sequence[Any], articles: list[str], passages: list[str], ptr: Sequence[int],
                  starts: np.ndarray, ends: np.ndarray, others: Sequence[list[str]] = ()) -> Iterator[None]:
    """While open (in this thread), the vectorisers of ``models`` get the matrices of ``articles``,
    ``passages`` (``passages[ptr[k]:ptr[k + 1]]`` are article ``k``'s, spanning ``starts``/``ends`` in it, or
    -1 when unknown) and each of ``others`` from one tokenisation."""
    if not active():
        yield
        return
    found: list[Any] = []
    for model in models:
        found += [v for v in vectorizers_of(model) if all(v is not f for f in found)]
    merged = _merged_index(found, len(articles))
    if merged is None:
        yield
        return
    previous = getattr(_local, "tokens", None)
    _local.tokens = _Tokens(merged[0], merged[1], [articles, passages, *others], ptr, starts, ends)
    try:
        yield
    finally:
        _local.tokens = previous
