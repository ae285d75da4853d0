"""Decision weights, worked by hand."""

from __future__ import annotations

import numpy as np

from stance.estimators.decision import inner_seed, tune_decision_weights


def test_weights_recover_a_rare_label_that_argmax_misses():
    # argmax(P) predicts "a" everywhere (macro-F1 1/3 on this data); b is right in rows 1 and 3 once its
    # weight passes 0.55/0.45 = 1.22 (and stays below 0.6/0.4 = 1.5 so that row 0 stays "a").
    P = np.array([[0.6, 0.4], [0.55, 0.45], [0.9, 0.1], [0.52, 0.48]])
    y = ["a", "b", "a", "b"]
    assert np.argmax(P, axis=1).tolist() == [0, 0, 0, 0]
    w = tune_decision_weights(P, y, ["a", "b"])
    assert w[0] == 1.0 and 0.55 / 0.45 < w[1] < 0.6 / 0.4
    assert np.argmax(P * w, axis=1).tolist() == [0, 1, 0, 1]


def test_inner_seed():
    rng = np.random.RandomState(0)
    assert inner_seed(0) == 1 and inner_seed(np.int64(7)) == 8 and inner_seed(None) is None and inner_seed(rng) is rng
