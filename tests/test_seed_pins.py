"""What the shipped models say about the five seed articles, pinned.

``tests/data/seed_pins.json`` holds, for every seed, the topic and article stance with their scores and the
label of each passage, as the shipped models gave them when the pins were recorded. A refactoring must
leave all of it unchanged (scores to 1e-6); a change that moves a number on purpose (a retrained model, a
fix) updates the file in the same commit and says which numbers moved and why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance import classify_batch

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PINS = json.loads((Path(__file__).resolve().parent / "data" / "seed_pins.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results():
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    return dict(zip((p.name for p in SEEDS), classify_batch(texts)))


def test_every_seed_is_pinned():
    assert sorted(PINS) == [p.name for p in SEEDS] and len(SEEDS) == 5


@pytest.mark.parametrize("name", sorted(PINS))
def test_seed_labels_scores_and_passages_are_unchanged(results, name):
    pinned, r = PINS[name], results[name]
    assert (r.topic, r.stance) == (pinned["topic"], pinned["stance"])
    assert [p.stance for p in r.passages] == pinned["passages"]
    for got, want in ((r.topic_scores, pinned["topic_scores"]), (r.stance_scores, pinned["stance_scores"])):
        assert set(got) == set(want)
        assert {k: got[k] for k in want} == {k: pytest.approx(v, abs=1e-6) for k, v in want.items()}
