"""StanceCues: cue counts worked out by hand on short sentences."""

from __future__ import annotations

import numpy as np

from stance.features.cues import CUE_GROUPS, StanceCues

NAMES = list(StanceCues().fit([""]).get_feature_names_out())


def test_negated_cues_and_the_target():
    X = StanceCues().fit_transform(["Iraq không ủng hộ quân Mỹ", "Iraq ủng hộ quân Mỹ"]).toarray()
    assert X[0, NAMES.index("pro_negated")] > 0 and X[1, NAMES.index("pro_negated")] == 0
    assert X[0, NAMES.index("has_target")] == X[1, NAMES.index("has_target")] == 1


def test_counts_by_hand():
    # "phản đối" (anti), "quân Mỹ" (target: the longest phrase wins over "quân", a presence word), nothing else
    # but the length: 5 syllables.
    row = StanceCues().fit_transform(["Họ phản đối quân Mỹ"]).toarray()[0]
    values = dict(zip(NAMES, row))
    assert values["anti"] == np.float32(np.log1p(1)) and values["target"] == np.float32(np.log1p(1))
    assert values["presence"] == 0 and values["pro"] == 0
    assert values["anti_with_target"] == np.float32(np.log1p(1))
    assert values["log_length"] == np.float32(np.log1p(5) / 6)
    assert len(NAMES) == 16 and set(NAMES) >= set(CUE_GROUPS)


def test_unrelated_forces_count_only_without_the_target():
    X = StanceCues().fit_transform(["Quân Nga không kích Syria", "Quân Nga và quân Mỹ ở Syria"]).toarray()
    assert X[0, NAMES.index("other_without_target")] > 0 and X[1, NAMES.index("other_without_target")] == 0
