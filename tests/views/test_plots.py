"""The report's figures: real PNGs of the expected width, not blank, safe with odd group names, bounded in size
with many groups."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from matplotlib.image import imread

from stance.views import plots


def _image(uri: str) -> np.ndarray:
    assert uri.startswith("data:image/png;base64,")
    return imread(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])), format="png")


def _groups(values, kind="value"):
    groups = []
    for k, value in enumerate(values):
        counts = {"pro": k % 3, "anti": 5 + k % 7, "neutral": 10, "unrelated": 30 + k}
        n = sum(counts.values())
        groups.append({"value": value, "n": n, "counts": counts, "shares": {l: c / n for l, c in counts.items()},
                       "ci": {l: [max(0, c / n - 0.05), min(1, c / n + 0.05)] for l, c in counts.items()},
                       "too_few": k % 2 == 0, "topics": {"The gioi": n - 3, "The thao": 3}})
    return {"kind": kind, "groups": groups}


LABELS = ["pro", "anti", "neutral", "unrelated"]
ODD = ["$x^{2$ and $\\frac{$", "\\frac{", "<script>", "a" * 200, None, "Đời sống"]


@pytest.mark.parametrize("draw", [
    lambda f: plots.counts_png(f, LABELS, "site"),
    lambda f: plots.shares_png(f, LABELS, "site"),
    lambda f: plots.topic_mix_png(f, ["The gioi", "The thao"], {"The gioi": "Thế giới"}, "site"),
], ids=["counts", "shares", "topic_mix"])
@pytest.mark.parametrize("kind", ["value", "month"])
def test_figures_are_pngs_that_show_something(draw, kind):
    pixels = _image(draw(_groups(ODD if kind == "value" else ["2021-03", "2021-04", None], kind)))
    assert pixels.shape[1] == 1000  # 10 inches at 100 dpi
    assert pixels[..., :3].std() > 0.05


def test_many_groups_draw_only_the_biggest_and_stay_small():
    field = _groups([f"site {k}" for k in range(500)])
    for uri in (plots.counts_png(field, LABELS, "site"), plots.shares_png(field, LABELS, "site")):
        assert _image(uri).shape[0] < 100 * (2 + 0.4 * plots.MAX_GROUPS)


def test_topics_and_confidence_figures():
    overall = {"n": 10, "topics": {"The gioi": 7, "The thao": 3}}
    assert _image(plots.topics_png(overall, ["The gioi", "The thao"], {"The gioi": "Thế giới"})).shape[1] == 1000
    confidence = {"bins": np.linspace(0, 1, 11).tolist(), "topic": [0] * 9 + [10],
                  "stance": {label: [0, 0, 0, 1, 2, 3, 2, 1, 0, 0] for label in LABELS}}
    assert _image(plots.confidence_png(confidence, LABELS))[..., :3].std() > 0.05
