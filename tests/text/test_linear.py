"""Every cleaning step costs time linear in its input: hostile families timed at two sizes, n and 4n.

A step that is linear takes about 4 times as long on 4n; a quadratic one about 16 times. The tests assert the
ratio (below 8, the best of three runs each, so that a busy machine does not decide), never a time. Each family
is a shape of text that once made a step super-linear, or a neighbour of one: chains of photo credits (one
removed per pass: 72 KB took 31 s), chains of datelines (960 KB took 7.7 s), floods of combining marks that
slipped past the pile-up cap (Tibetan vowel signs), and the shapes the other steps' patterns could backtrack on.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from benchmarks.hostile_text import FAMILIES, RATIO, linear_ratio  # one list of families, also in the battery
from stance.text import clean as C
from stance.text import segment as S


def _clean_and_cut(text: str) -> list[str]:
    return S.passages(C.clean(text))


@pytest.mark.parametrize("family", list(FAMILIES))
def test_cleaning_and_cutting_are_linear(family):
    make, n = FAMILIES[family]
    ratio, n = linear_ratio(_clean_and_cut, make, n)
    assert ratio < RATIO, f"{family}: {len(make(4 * n)):,} chars took {ratio:.1f} times {len(make(n)):,} chars"


def test_chains_are_removed_whole():
    assert C.clean("Quân Mỹ ở Iraq." + " Ảnh: AP." * 1000) == "Quân Mỹ ở Iraq."
    assert C.clean("Tin " + "(AB)- " * 1000 + "quân Mỹ rút") == "Tin quân Mỹ rút"
    assert C.clean("Quân Mỹ ka" + "\u0f73" * 1000 + " rút") == "Quân Mỹ ka rút"


_HOSTILE = st.sampled_from(
    ["Ảnh: AP.", " Ảnh: AP.", "(AB)- ", "(NLĐ) – ", "(IS)- ", "(", ")", "-", " ", "\n", "Quân Mỹ", ". ", "ka",
     "\u0f73", "\u0f75", "\u0f81", "\u0301", "\u034f", "\u2066", "\ufe0f", "\U000e0041", "<br", "&amp;", "\u3000"]
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.tuples(_HOSTILE, st.integers(1, 40)), max_size=12))
@example(pieces=[("(", 4), ("Quân Mỹ", 25), (". ", 25), ("(IS)- ", 11), ("(AB)- ", 2)])  # "(AB)-" at the 300th character
def test_clean_on_hostile_chains_never_raises_and_is_idempotent(pieces):
    text = "".join(piece * times for piece, times in pieces)
    out = C.clean(text)
    assert C.clean(out) == out
    assert all(S.passages(out)) or not out
