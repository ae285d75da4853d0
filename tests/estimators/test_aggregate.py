"""aggregate_stance: an article's stance from its passages, on hand-worked cases."""

from __future__ import annotations

import numpy as np
import pytest

from stance.estimators.aggregate import aggregate_stance

LABELS = ["pro", "anti", "neutral", "unrelated"]


@pytest.mark.parametrize(
    "rows,label,evidence",
    [
        # One clearly anti passage among unrelated ones: the article is about the target, and anti.
        ([[0.0, 0.0, 0.1, 0.9], [0.05, 0.8, 0.1, 0.05], [0.0, 0.0, 0.05, 0.95]], "anti", (1,)),
        # Nothing related anywhere: unrelated, evidence the least related passages.
        ([[0.0, 0.0, 0.1, 0.9], [0.0, 0.0, 0.05, 0.95]], "unrelated", (1, 0)),
        # Two neutral and one pro: the related mass is mostly neutral.
        ([[0.1, 0.0, 0.8, 0.1], [0.1, 0.0, 0.8, 0.1], [0.7, 0.0, 0.2, 0.1]], "neutral", (0, 1)),
    ],
)
def test_article_label_and_evidence(rows, label, evidence):
    a = aggregate_stance(np.array(rows), LABELS)
    assert a.label == label
    assert a.evidence_indices == evidence
    assert sum(a.scores.values()) == pytest.approx(1.0)


def test_scores_by_hand():
    # P(unrelated) = min over passages = 0.1; related mass pro 0.1+0.7, anti 0, neutral 0.8+0.2 -> shares
    # 0.8/1.8 and 1.0/1.8 of the remaining 0.9.
    a = aggregate_stance(np.array([[0.1, 0.0, 0.8, 0.1], [0.7, 0.0, 0.2, 0.1]]), LABELS)
    assert a.scores == pytest.approx({"pro": 0.4, "anti": 0.0, "neutral": 0.5, "unrelated": 0.1})


def test_column_order_does_not_matter():
    rows = np.array([[0.05, 0.8, 0.1, 0.05], [0.0, 0.0, 0.1, 0.9]])
    sorted_columns = [1, 2, 0, 3]  # anti, neutral, pro, unrelated: a model's sorted classes_
    a = aggregate_stance(rows, LABELS)
    b = aggregate_stance(rows[:, sorted_columns], [LABELS[k] for k in sorted_columns])
    assert (a.label, a.evidence_indices) == (b.label, b.evidence_indices) and a.scores == pytest.approx(b.scores)


def test_empty_article_and_bad_shapes():
    assert aggregate_stance(np.zeros((0, 4)), LABELS).label == "unrelated"
    with pytest.raises(ValueError, match="shape"):
        aggregate_stance(np.zeros((2, 3)), LABELS)
