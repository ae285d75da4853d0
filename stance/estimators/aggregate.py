"""An article's stance from the stance probabilities of its passages: :func:`aggregate_stance`.

There are no article-level labels in the training data, so this is a rule, not a fitted model (see
``docs/models.md``).

Examples
--------
>>> p = np.array([[0.0, 0.1, 0.2, 0.7], [0.0, 0.9, 0.0, 0.1], [0.1, 0.1, 0.7, 0.1]])
>>> aggregate_stance(p, ["pro", "anti", "neutral", "unrelated"]).label
'anti'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from ..labels import STANCE_LABELS

__all__ = ["ArticleStance", "aggregate_stance"]


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
    >>> a.label, a.evidence_indices
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
