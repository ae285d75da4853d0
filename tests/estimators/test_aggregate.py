"""aggregate_stance: an article's stance from its passages, on hand-worked cases."""

from __future__ import annotations

import numpy as np
import pytest

from stance.estimators.aggregate import aggregate_stance, evidence_indices, is_caption

LABELS = ["pro", "anti", "neutral", "unrelated"]


@pytest.mark.parametrize(
    "rows,label,evidence",
    [
        # One clearly anti passage among unrelated ones: the article is about the target, and anti.
        ([[0.0, 0.0, 0.1, 0.9], [0.05, 0.8, 0.1, 0.05], [0.0, 0.0, 0.05, 0.95]], "anti", (1,)),
        # Nothing related anywhere: unrelated, and no evidence (no passage is about the target).
        ([[0.0, 0.0, 0.1, 0.9], [0.0, 0.0, 0.05, 0.95]], "unrelated", ()),
        # Two neutral and one pro: the related mass is mostly neutral; the headline (0) ranks first.
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


@pytest.mark.parametrize(
    "text,index,caption",
    [
        ("Ảnh: AP", 0, True),
        ("Ảnh: AP", 4, True),
        ("Binh sĩ Mỹ tại căn cứ. Ảnh: Reuters", 3, True),
        ("Lính Mỹ tuần tra ở Baghdad (Ảnh: AFP)", 2, True),
        ("Theo TTXVN", 5, True),
        ("Nguồn: Reuters", 1, True),
        ("Rút quân ngay!", 3, True),  # three syllables after the headline: a line, not a passage
        ("Rút quân ngay!", 0, False),  # the headline counts
        ("Quốc hội Iraq yêu cầu quân Mỹ rút khỏi nước này.", 1, False),
        # a long passage that ends with a credit is a paragraph, not a caption
        ("Hàng nghìn người biểu tình tại Baghdad hôm qua yêu cầu chính phủ buộc quân đội Mỹ rút khỏi Iraq ngay "
         "lập tức, gọi sự hiện diện của họ là chiếm đóng và vi phạm chủ quyền. Ảnh: Reuters", 2, False),
    ],
)
def test_captions_and_credit_lines(text, index, caption):
    assert is_caption(text, index) is caption


def test_evidence_is_passages_of_the_articles_label_never_a_caption():
    P = np.array([
        [0.1, 0.5, 0.3, 0.1],   # headline, anti 0.5
        [0.0, 0.95, 0.0, 0.05],  # a caption, anti 0.95: never evidence
        [0.0, 0.9, 0.05, 0.05],  # anti 0.9
        [0.5, 0.3, 0.1, 0.1],   # pro: not the article's label
        [0.0, 0.4, 0.35, 0.25],  # anti 0.4 < half of 0.9? no: 0.4 < 0.45, left out
    ])
    texts = ["Biểu tình đòi quân Mỹ rút", "Người biểu tình ở Baghdad. Ảnh: AP",
             "Hàng nghìn người xuống đường đòi quân đội Mỹ rời khỏi Iraq", "Mỹ cần giữ quân ở lại Iraq lâu dài",
             "Quân Mỹ hiện có mặt tại ba căn cứ ở Iraq theo thỏa thuận"]
    # headline 0.5 + 0.15 = 0.65 < passage 2's 0.9 + 0.05 = 0.95
    assert evidence_indices(P, texts, "anti", LABELS) == (2, 0)
    assert evidence_indices(P, texts, "pro", LABELS) == (3,)
    assert evidence_indices(P, texts, "neutral", LABELS) == ()
    assert evidence_indices(P, texts, "unrelated", LABELS) == ()
