"""An article's evidence (:func:`evidence_indices`), and the rule for models that only score passages
(:func:`aggregate_stance`).

The shipped stance model decides an article with a model learned from labelled articles
(:class:`stance.estimators.article.ArticleStanceClassifier`). A passage model of your own (any classifier of
passages with ``predict_proba``) has no article step; its articles are decided by :func:`aggregate_stance`, the
rule of stance < 0.3, which measured worse on labelled articles (``docs/models.md``).

Examples
--------
>>> p = np.array([[0.0, 0.1, 0.2, 0.7], [0.0, 0.9, 0.0, 0.1], [0.1, 0.1, 0.7, 0.1]])
>>> aggregate_stance(p, ["pro", "anti", "neutral", "unrelated"]).label
'anti'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from ..labels import STANCE_LABELS
from ..text.clean import normalise
from ..text.furniture import drop_photo_credits

__all__ = ["ArticleStance", "aggregate_stance", "captions_in", "evidence_indices", "is_caption"]


@dataclass(frozen=True)
class ArticleStance:
    """An article's stance decided from its passages.

    Attributes
    ----------
    label : str
        The stance of the article.
    scores : Mapping[str, float]
        Probability of each label; sums to 1.
    evidence_indices : tuple of int
        Positions of the passages that carry the decision (the article's evidence), strongest first.
    """

    label: str
    scores: Mapping[str, float]
    evidence_indices: tuple[int, ...]


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
    of :func:`evidence_indices` (passages labelled as the article, no captions; none for ``unrelated``).

    Parameters
    ----------
    passage_proba : ndarray of shape (n_passages, n_labels)
        Rows from :meth:`StanceClassifier.predict_proba`.
    classes : sequence of str
        Column labels; must contain ``"unrelated"``.
    weights : sequence of float, optional
        Decision weights: the label is ``argmax(scores * weights)``. Default all ones (the label is the
        argmax of the scores; :func:`stance.classify` never passes weights).
    max_evidence : int, default=3
        Most evidence passages returned.

    Returns
    -------
    ArticleStance

    Examples
    --------
    >>> p = np.array([[0.0, 0.1, 0.2, 0.7], [0.0, 0.9, 0.0, 0.1], [0.1, 0.1, 0.7, 0.1]])
    >>> a = aggregate_stance(p)
    >>> a.label, a.evidence_indices
    ('anti', (1,))
    >>> a.evidence_indices == evidence_indices(p, ["Tiêu đề", "Quân Mỹ phải rút khỏi Iraq ngay", "Họ nói"], "anti")
    True
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
    return ArticleStance(
        classes[label_idx], {c: float(s) for c, s in zip(classes, scores_arr)},
        evidence_indices(P, None, classes[label_idx], classes, max_evidence=max_evidence),
    )


_SYLLABLE = re.compile(r"(?u)\b\w+\b")
_CREDIT = re.compile(r"(^|[\s(\[.])(ảnh|nguồn|photo|video|clip|đồ họa|theo)\s*:", re.IGNORECASE)
_CREDIT_START = re.compile(r"^\W*(ảnh|nguồn|photo|video|clip|đồ họa|theo)\b", re.IGNORECASE)
_CAPTION_SYLLABLES = 25
"""A passage with a credit ("Ảnh: AP") and fewer syllables than this is a photo caption or a credit line."""
_CAPTION_MAX = 40
"""A line of fewer syllables than this that ended with a credit before cleaning is a photo caption."""
_SHORT_SYLLABLES = 6
"""A passage after the headline with at most this many syllables is a one-line credit or label, not evidence."""


def captions_in(raw: str, *, normalise: Callable[[str], str] = normalise) -> frozenset[str]:
    """The photo captions of a page, as its cleaned passages read them: its lines that end with a credit
    ("Binh sĩ Mỹ tại căn cứ. Ảnh: AP") and have fewer than 40 syllables, normalised, without the credit.
    Cleaning drops the credit itself (:func:`stance.text.furniture.drop_photo_credits`), so the caption is
    found here, in the text before cleaning. ``normalise`` is :func:`stance.text.clean.normalise` or any
    function giving the same text (:func:`stance.api.classify_batch` passes the compiled one).

    Examples
    --------
    >>> sorted(captions_in("Tiêu đề\\nBinh sĩ Mỹ tại căn cứ. Ảnh: AP\\nÔng nói quân Mỹ sẽ ở lại."))
    ['Binh sĩ Mỹ tại căn cứ.']
    """
    found = set()
    for line in normalise(raw).split("\n"):
        if ":" in line and len(_SYLLABLE.findall(line)) < _CAPTION_MAX:
            kept = drop_photo_credits(line).strip()
            if kept != line.strip() and kept:
                found.add(kept)
    return frozenset(found)


def is_caption(text: str, index: int, captions: frozenset[str] = frozenset()) -> bool:
    """Whether a passage is a photo caption or a one-line credit, which is never evidence on its own.

    A caption or credit: one of ``captions`` (:func:`captions_in`: lines that had a credit before cleaning);
    a short passage (fewer than 25 syllables) naming a photo, source or video credit ("Ảnh: AP",
    "Binh sĩ Mỹ tại căn cứ. Ảnh: Reuters", "Theo TTXVN"); or any passage after the headline of at most 6
    syllables.

    Examples
    --------
    >>> is_caption("Binh sĩ Mỹ tại căn cứ. Ảnh: Reuters", 3), is_caption("Ảnh: AP", 0)
    (True, True)
    >>> is_caption("Quân Mỹ rút khỏi Iraq", 0), is_caption("Quân Mỹ rút khỏi Iraq", 2)
    (False, True)
    """
    if text in captions:
        return True
    n = len(_SYLLABLE.findall(text))
    if n < _CAPTION_SYLLABLES and (_CREDIT.search(text) or _CREDIT_START.match(text)):
        return True
    return index > 0 and n <= _SHORT_SYLLABLES


def evidence_indices(
    passage_proba: np.ndarray,
    texts: Sequence[str] | None,
    label: str,
    classes: Sequence[str] = STANCE_LABELS,
    *,
    max_evidence: int = 3,
    head_bonus: float = 0.15,
    lead_bonus: float = 0.05,
    captions: frozenset[str] = frozenset(),
) -> tuple[int, ...]:
    """The passages that carry an article's ``label``, strongest first.

    A passage can be evidence when its own label (the argmax of its probabilities) is the article's and it
    is not a caption or credit (:func:`is_caption`, when ``texts`` are given; ``captions`` from
    :func:`captions_in`). They are ranked by their
    probability of the label, the headline (passage 0) counting 0.15 more and the lead (passages 1 and 2)
    0.05 more; at most ``max_evidence``, and only those at least half as probable as the strongest. For
    ``unrelated`` there is none: no passage is about the target.

    Examples
    --------
    >>> P = np.array([[0.1, 0.6, 0.2, 0.1], [0.8, 0.1, 0.05, 0.05], [0.9, 0.05, 0.0, 0.05]])
    >>> evidence_indices(P, ["Biểu tình đòi quân Mỹ rút", "Ảnh: AP", "Quân Mỹ gây thương vong cho dân thường Iraq"],
    ...                  "pro", ["pro", "anti", "neutral", "unrelated"])
    (2,)
    >>> evidence_indices(P, None, "unrelated", ["pro", "anti", "neutral", "unrelated"])
    ()
    """
    classes = list(classes)
    P = np.asarray(passage_proba, dtype=float)
    if label == "unrelated" or len(P) == 0:
        return ()
    j = classes.index(label)
    own = P.argmax(axis=1) == j
    if texts is not None:
        own &= np.asarray([not is_caption(t, i, captions) for i, t in enumerate(texts)], dtype=bool)
    bonus = np.asarray([head_bonus if i == 0 else lead_bonus if i <= 2 else 0.0 for i in range(len(P))])
    score = np.where(own, P[:, j] + bonus, -np.inf)
    order = [int(i) for i in np.argsort(-score, kind="stable") if own[i]]
    if not order:
        return ()
    top = P[order[0], j]
    return tuple(i for i in order[:max_evidence] if P[i, j] >= 0.5 * top)
