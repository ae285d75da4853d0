"""A fast path for :meth:`sklearn.feature_extraction.text.TfidfVectorizer.transform` on syllable n-grams.

scikit-learn builds every n-gram of every document as a Python string and looks it up in the
vocabulary one at a time; that loop is most of the time ``stance.classify`` spends. Here each
syllable is looked up once, an n-gram becomes an integer code computed with NumPy from the ids of its
syllables, and the codes are matched against the sorted codes of the vocabulary with
:func:`numpy.searchsorted`, for the whole batch at once. The result is the same matrix (same columns,
same counts, same sublinear TF, IDF and L2 normalisation); ``tests/test_fastvec.py`` checks it against
scikit-learn as the reference, with hypothesis.

Examples
--------
>>> from sklearn.feature_extraction.text import TfidfVectorizer
>>> docs = ["quân mỹ ở iraq", "quân nga ở syria", "mỹ rút quân khỏi iraq"]
>>> vec = TfidfVectorizer(token_pattern=r"(?u)\\b\\w+\\b", ngram_range=(1, 2)).fit(docs)
>>> fast = NgramIndex.from_vectorizer(vec)
>>> bool(abs(fast.transform(docs) - vec.transform(docs)).max() < 1e-6)
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

__all__ = ["NgramIndex", "ngram_codes"]


def ngram_codes(flat: np.ndarray, n: int, base: int) -> tuple[np.ndarray, np.ndarray]:
    """The code of the n-gram starting at each position of ``flat`` (syllable ids, -1 between documents and
    for unknown syllables), base-``base`` digits, and whether it is valid (no -1 inside).

    Examples
    --------
    >>> code, valid = ngram_codes(np.array([1, 2, -1, 3]), 2, 10)
    >>> code.tolist(), valid.tolist()
    ([12, 19, -7], [True, False, False])
    """
    m = len(flat) - n + 1
    code = flat[:m].copy()
    valid = code >= 0
    for k in range(1, n):
        nxt = flat[k : k + m]
        valid &= nxt >= 0
        code = code * base + nxt
    return code, valid


@dataclass
class NgramIndex:
    """Vocabulary of a fitted syllable-n-gram ``TfidfVectorizer``, arranged for vectorised lookup.

    Attributes
    ----------
    token_ids : dict
        Syllable -> id, for every syllable that occurs in some vocabulary n-gram.
    codes : list of ndarray
        ``codes[n - min_n]``: sorted integer codes of the vocabulary's n-grams of length ``n``.
    columns : list of ndarray
        The matching column of each code.
    base : int
        Radix of the codes (number of syllable ids plus one).
    ngram_range : tuple of int
    pattern : str
        The vectorizer's ``token_pattern`` (applied to lower-cased text).
    lowercase : bool
    idf : ndarray or None
        IDF weight per column (None when the vectorizer does not use IDF).
    sublinear_tf : bool
    norm : str or None
    dtype : numpy dtype
    """

    token_ids: dict
    codes: list
    columns: list
    base: int
    ngram_range: tuple
    pattern: str
    lowercase: bool
    idf: np.ndarray | None
    sublinear_tf: bool
    norm: str | None
    dtype: type
    n_features: int
    unigram_columns: np.ndarray | None = None

    @classmethod
    def from_vectorizer(cls, vec: TfidfVectorizer) -> "NgramIndex":
        """Index a fitted word-analyzer ``TfidfVectorizer`` with a ``token_pattern``, no stop words."""
        if vec.analyzer != "word" or vec.tokenizer is not None or vec.stop_words is not None:
            raise ValueError("NgramIndex supports word analyzers with a token_pattern and no stop words")
        min_n, max_n = vec.ngram_range
        token_ids: dict[str, int] = {}
        by_len: dict[int, list[tuple[list[int], int]]] = {n: [] for n in range(min_n, max_n + 1)}
        for term, column in vec.vocabulary_.items():
            parts = term.split(" ")
            ids = [token_ids.setdefault(p, len(token_ids)) for p in parts]
            by_len[len(parts)].append((ids, column))
        base = len(token_ids) + 1
        if base ** max_n >= 2**62:
            raise ValueError(f"vocabulary too large to encode {max_n}-grams in 64 bits")
        codes, columns = [], []
        for n in range(min_n, max_n + 1):
            entries = by_len[n]
            code = np.zeros(len(entries), dtype=np.int64)
            for k in range(n):
                code = code * base + np.fromiter((ids[k] for ids, _ in entries), dtype=np.int64, count=len(entries))
            col = np.fromiter((c for _, c in entries), dtype=np.int64, count=len(entries))
            order = np.argsort(code, kind="stable")
            codes.append(code[order])
            columns.append(col[order])
        unigram_columns = None
        if min_n == 1:
            unigram_columns = np.full(base, -1, dtype=np.int64)
            unigram_columns[codes[0]] = columns[0]
        return cls(
            unigram_columns=unigram_columns,
            token_ids=token_ids,
            codes=codes,
            columns=columns,
            base=base,
            ngram_range=(min_n, max_n),
            pattern=vec.token_pattern,
            lowercase=vec.lowercase,
            idf=np.asarray(vec.idf_, dtype=np.float64) if vec.use_idf else None,
            sublinear_tf=vec.sublinear_tf,
            norm=vec.norm,
            dtype=vec.dtype,
            n_features=len(vec.vocabulary_),
        )

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF matrix of ``docs`` (already preprocessed as the vectorizer's preprocessor would)."""
        # r"(?u)\b\w+\b" finds exactly the maximal runs of \w, which r"\w+" finds faster.
        find = re.compile(r"\w+" if self.pattern == r"(?u)\b\w+\b" else self.pattern).findall
        get = self.token_ids.get
        # One list for the batch, each document followed by a -1 so no n-gram straddles two documents;
        # map() keeps the per-syllable lookup in C.
        ids: list[int] = []
        lengths = np.empty(len(docs), dtype=np.int64)
        for k, d in enumerate(docs):
            tokens = find(d.lower() if self.lowercase else d)
            ids.extend(map(get, tokens, repeat(-1, len(tokens))))
            ids.append(-1)
            lengths[k] = len(tokens) + 1
        flat = np.array(ids, dtype=np.int64)
        doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        rows, cols = [], []
        min_n, max_n = self.ngram_range
        for n in range(min_n, max_n + 1):
            m = len(flat) - n + 1
            if m <= 0:
                continue
            if n == 1 and self.unigram_columns is not None:  # direct lookup, no search
                col = self.unigram_columns[flat]
                keep = (flat >= 0) & (col >= 0)
                rows.append(doc_of[keep])
                cols.append(col[keep])
                continue
            code, valid = ngram_codes(flat, n, self.base)
            known = self.codes[n - min_n]
            if not len(known):
                continue
            code = code[valid]
            pos = np.searchsorted(known, code)
            pos[pos == len(known)] = 0
            hit = known[pos] == code
            rows.append(doc_of[:m][valid][hit])
            cols.append(self.columns[n - min_n][pos[hit]])
        r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        # Counts per (document, column), sorted by document then column: CSR built directly.
        keys, counts = np.unique(r * self.n_features + c, return_counts=True)
        row = keys // self.n_features
        indices = keys - row * self.n_features
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=len(docs)), out=indptr[1:])
        data = counts.astype(np.float64)
        if self.sublinear_tf:
            np.log(data, out=data)
            data += 1.0
        if self.idf is not None:
            data *= self.idf[indices]
        if self.norm == "l2":
            norms = np.sqrt(np.bincount(row, weights=data * data, minlength=len(docs)))
            data /= norms[row]
        elif self.norm is not None:
            X = sp.csr_matrix((data, indices, indptr), shape=(len(docs), self.n_features))
            return normalize(X, norm=self.norm, copy=False).astype(self.dtype)
        return sp.csr_matrix(
            (data.astype(self.dtype), indices.astype(np.int32), indptr.astype(np.int32)),
            shape=(len(docs), self.n_features),
        )
