"""Pure-Python twins of every function and class of the compiled ``stance._native._kernels``.

Same names, same signatures, same results: this module is the fallback when the extension is missing
and the oracle the tests compare the compiled kernels with. Each one is written from the code it stands
for (:mod:`stance.text.normalize`, :mod:`stance.text.segment`, :mod:`stance.features.ngram_index`),
reusing its regular expressions, so the reference semantics are the package's.

Examples
--------
>>> ids, starts, ends, ptr = tokenize_ids(["Quân Mỹ ở Iraq"], Vocab(["mỹ", "iraq"]), True)
>>> ids.tolist(), ptr.tolist()
([-1, 0, -1, 1], [0, 4])
"""

from __future__ import annotations

import re

import numpy as np

from ..features.ngram_index import ngram_codes
from ..text import normalize as _N
from ..text import segment as _S

__all__ = [
    "init_marks", "has_marks", "init_controls", "has_controls", "normalize_whitespace", "init_tones", "normalize_tone_marks",
    "LiteralSet", "has_empty_line", "passage_spans", "Vocab", "tokenize_ids", "span_token_ranges",
    "TfidfSpec", "tfidf_csr", "lower_simple", "passages_batch", "span_token_ranges_batch",
]

_marks: frozenset = frozenset()


def init_marks(marks: str) -> None:
    global _marks
    _marks = frozenset(marks)


def has_marks(text: str) -> bool:
    return not _marks.isdisjoint(text)


def init_controls(ranges) -> None:
    pass


def has_controls(text: str) -> bool:
    return _N._CONTROL.search(text) is not None


def normalize_whitespace(text: str) -> str:
    return _N.normalize_whitespace(text)


def init_tones(vowel_tone: dict, vowels: str, marked_vowels: str) -> None:
    pass


def normalize_tone_marks(text: str, syllable_fallback=None) -> str:
    return _N.normalize_tone_marks(text)


class LiteralSet:
    """Lines where one of ``patterns`` = ``(literal, max_start, mode)`` occurs as allowed (see the compiled
    twin), with ``re.IGNORECASE``."""

    def __init__(self, patterns, fixes=None, tolower=None, iscased=None):
        self._tests = []
        for lit, max_start, mode in patterns:
            body = "".join(r"\s+" if ch == " " else r"\s*" if ch == "~" else re.escape(ch) for ch in lit)
            if mode == 1:
                self._tests.append(re.compile(r"[*\s]*" + body, re.I).match)
            elif max_start < 0:
                self._tests.append(re.compile(body, re.I).search)
            else:
                self._tests.append(re.compile(".{0,%d}?" % max_start + body, re.I).match)

    def hit_lines(self, text: str) -> list[int]:
        return [k for k, line in enumerate(text.split("\n")) if any(t(line) for t in self._tests)]


def has_empty_line(text: str) -> bool:
    return "" in text.split("\n")


def passage_spans(text: str, abbreviations: frozenset = _S._ABBREVIATIONS, max_sentences: int = 3,
                  word_window: int = 40) -> list[tuple[str, int, int]]:
    """``stance.text.segment.passages`` with spans: its paragraphs and sentences, each found in the text
    (they are stripped pieces of it, in order). ``abbreviations`` and ``word_window`` must be segment's own
    (the compiled twin takes them as arguments)."""
    if max_sentences < 1:
        raise ValueError(f"max_sentences must be at least 1, got {max_sentences!r}")
    if abbreviations != _S._ABBREVIATIONS or word_window != _S._WORD_WINDOW:
        raise ValueError("the reference splits sentences with stance.text.segment's own rules")
    out = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        para = line.strip()
        if not para:
            continue
        ps = line_start + (len(line) - len(line.lstrip()))
        sents: list[tuple[int, int]] = []
        at = 0
        for sentence in _S.sentences(para):
            a = para.index(sentence, at)
            at = a + len(sentence)
            sents.append((a, at))
        if len(sents) <= max_sentences:
            out.append((para, ps, ps + len(para)))
            continue
        for k in range(0, len(sents), max_sentences):
            group = sents[k: k + max_sentences]
            out.append((" ".join(para[a:b] for a, b in group), ps + group[0][0], ps + group[-1][1]))
    return out


def passages_batch(docs: list[str], abbreviations: frozenset = _S._ABBREVIATIONS, max_sentences: int = 3,
                   word_window: int = 40):
    texts, starts, ends = [], [], []
    ptr = np.zeros(len(docs) + 1, dtype=np.int64)
    for k, d in enumerate(docs):
        for t, a, b in passage_spans(d, abbreviations, max_sentences, word_window):
            texts.append(t)
            starts.append(a)
            ends.append(b)
        ptr[k + 1] = len(texts)
    return texts, ptr, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)


class Vocab:
    def __init__(self, terms: list[str]):
        self._ids = {}
        for i, t in enumerate(terms):
            if t in self._ids:
                raise ValueError(f"duplicate term {t!r}")
            self._ids[t] = i
        self.n = len(terms)

    def get(self, term: str) -> int:
        return self._ids.get(term, -1)

    def __len__(self) -> int:
        return self.n


_WORD = re.compile(r"\w+")


def lower_simple(text: str) -> str:
    """Each character lower-cased on its own (the simple mapping; "İ" -> "i")."""
    return "".join(ch.lower()[:1] if ch != "Σ" else "σ" for ch in text)


def tokenize_ids(texts: list[str], vocab: Vocab, lower: bool = False):
    ids, st, en = [], [], []
    ptr = np.zeros(len(texts) + 1, dtype=np.int64)
    get = vocab._ids.get
    for k, t in enumerate(texts):
        if lower:
            t = t.lower() if ("İ" not in t and "Σ" not in t) else lower_simple(t)
        for m in _WORD.finditer(t):
            ids.append(get(m.group(), -1))
            st.append(m.start())
            en.append(m.end())
        ptr[k + 1] = len(ids)
    return (np.asarray(ids, dtype=np.int32), np.asarray(st, dtype=np.int64), np.asarray(en, dtype=np.int64), ptr)


def span_token_ranges(starts, ends, lo, hi, span_start, span_end):
    s = np.asarray(starts[lo:hi])
    e = np.asarray(ends[lo:hi])
    a = lo + np.searchsorted(s, np.asarray(span_start), side="left")
    b = lo + np.searchsorted(e, np.asarray(span_end), side="right")
    return a.astype(np.int64), np.maximum(a, b).astype(np.int64)


def span_token_ranges_batch(starts, ends, doc_lo, doc_hi, span_ptr, span_start, span_end):
    a_out = np.zeros(len(span_start), dtype=np.int64)
    b_out = np.zeros(len(span_start), dtype=np.int64)
    for k in range(len(doc_lo)):
        if doc_lo[k] < 0:
            continue
        j0, j1 = span_ptr[k], span_ptr[k + 1]
        a, b = span_token_ranges(starts, ends, int(doc_lo[k]), int(doc_hi[k]), span_start[j0:j1], span_end[j0:j1])
        a_out[j0:j1] = a
        b_out[j0:j1] = b
    return a_out, b_out


class TfidfSpec:
    def __init__(self, unigram_columns, keys, values, base, idf, min_n, max_n):
        self.uni = np.asarray(unigram_columns, dtype=np.int64)
        order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
        self.keys = np.asarray(keys, dtype=np.int64)[order]
        self.values = np.asarray(values, dtype=np.int64)[order]
        self.base = int(base)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.min_n, self.max_n = int(min_n), int(max_n)
        self.n_features = len(self.idf)


def tfidf_csr(spec: TfidfSpec, ids, seg_lo, seg_hi, logtf=None):
    """The arithmetic of ``stance.features.ngram_index.NgramIndex.transform`` over token segments."""
    ids = np.asarray(ids, dtype=np.int64)
    seg_lo = np.asarray(seg_lo, dtype=np.int64)
    seg_hi = np.asarray(seg_hi, dtype=np.int64)
    nseg = len(seg_lo)
    # flat ids of every segment, each followed by -1
    parts, lengths = [], np.empty(nseg, dtype=np.int64)
    for k in range(nseg):
        parts.append(ids[seg_lo[k]:seg_hi[k]])
        parts.append(np.array([-1], dtype=np.int64))
        lengths[k] = seg_hi[k] - seg_lo[k] + 1
    flat = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    doc_of = np.repeat(np.arange(nseg, dtype=np.int64), lengths)
    rows, cols = [], []
    for n in range(spec.min_n, spec.max_n + 1):
        m = len(flat) - n + 1
        if m <= 0:
            continue
        if n == 1:
            col = spec.uni[np.maximum(flat, 0)]
            keep = (flat >= 0) & (col >= 0)
            rows.append(doc_of[keep])
            cols.append(col[keep])
            continue
        code, valid = ngram_codes(flat, n, spec.base)
        key = code[valid] * 8 + n
        if not len(spec.keys):
            continue
        pos = np.searchsorted(spec.keys, key)
        pos[pos == len(spec.keys)] = 0
        hit = (spec.keys[pos] == key) & (spec.values[pos] >= 0)
        rows.append(doc_of[:m][valid][hit])
        cols.append(spec.values[pos[hit]])
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    nf = spec.n_features
    keys, counts = np.unique(r * nf + c, return_counts=True)
    row = keys // nf
    indices = keys - row * nf
    indptr = np.zeros(nseg + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=nseg), out=indptr[1:])
    data = counts.astype(np.float64)
    np.log(data, out=data)
    data += 1.0
    data *= spec.idf[indices]
    norms = np.sqrt(np.bincount(row, weights=data * data, minlength=nseg))
    data /= norms[row]
    return data.astype(np.float32), indices.astype(np.int32), indptr.astype(np.int32)
