"""Passages with their character spans, in one compiled scan, when :func:`stance.text.segment.passages` is the
version the scan was checked against.

The spans let an article be tokenised once: a passage is a span of its cleaned article whose ends are at
white space, so its tokens are a run of the article's tokens (:mod:`stance._native.features`).

Examples
--------
>>> passages, ptr, starts, ends = passages_batch(["Tiêu đề\\nMột. Hai. Ba. Bốn.", "Hai câu. Thôi."])
>>> passages
['Tiêu đề', 'Một. Hai. Ba.', 'Bốn.', 'Hai câu. Thôi.']
>>> ptr.tolist(), starts.tolist()[:3], ends.tolist()[:3]
([0, 3, 4], [0, 8, 22], [7, 21, 26])
"""

from __future__ import annotations

import numpy as np

from ..text import segment
from . import KERNELS as K
from . import active
from .fingerprint import fingerprint

__all__ = ["CHECKED", "article_passages", "compiled_passages", "passages_batch"]

CHECKED = "83a9bfc5943076df"
"""Digest of the :func:`stance.text.segment.passages` the scan was checked against."""

_state: dict[str, bool] = {}


def compiled_passages() -> bool:
    """Whether :func:`passages_batch` runs the scan (``segment.passages`` unchanged since it was checked)."""
    ok = _state.get("ok")
    if ok is None:
        ok = _state["ok"] = fingerprint(segment.passages) == CHECKED
    return ok


def passages_batch(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """``(passages, ptr, starts, ends)``: ``passages[ptr[k]:ptr[k + 1]] == segment.passages(texts[k])``, and
    passage ``j`` spans ``texts[k][starts[j]:ends[j]]`` (equal to it up to white space). Empty spans
    (``starts == ends == -1``) when the scan is not in use (see :func:`stance._native.active`)."""
    if active() and compiled_passages():
        return K.passages_batch(texts, segment._ABBREVIATIONS, segment.MAX_PASSAGE_SENTENCES, segment._WORD_WINDOW)
    out: list[str] = []
    ptr = np.zeros(len(texts) + 1, dtype=np.int64)
    for k, text in enumerate(texts):
        out += segment.passages(text)
        ptr[k + 1] = len(out)
    none = np.full(len(out), -1, dtype=np.int64)
    return out, ptr, none, none.copy()


def article_passages(texts: list[str]) -> tuple[list[str], list[int], np.ndarray, np.ndarray]:
    """:func:`passages_batch` where an article without passages (:func:`stance.classify`'s rule) is one
    passage, its whole text; ``ptr`` as a list.

    Examples
    --------
    >>> article_passages(["Một. Hai.", ""])[:2]
    (['Một. Hai.', ''], [0, 1, 2])
    """
    flat, ptr, starts, ends = passages_batch(texts)
    empty = np.flatnonzero(ptr[1:] == ptr[:-1])
    if len(empty):
        known = active() and compiled_passages()  # as passages_batch: spans, else all -1
        for k in empty[::-1].tolist():
            j = int(ptr[k])
            flat.insert(j, texts[k])
            starts = np.insert(starts, j, 0 if known else -1)
            ends = np.insert(ends, j, len(texts[k]) if known else -1)
        counts = np.diff(ptr)
        counts[empty] = 1
        ptr = np.zeros_like(ptr)
        np.cumsum(counts, out=ptr[1:])
    return flat, ptr.tolist(), starts, ends
