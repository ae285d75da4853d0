"""Every cleaning step costs time linear in its input: hostile families timed at two sizes, n and 4n.

A step that is linear takes about 4 times as long on 4n; a quadratic one about 16 times. The tests assert the
ratio (below 8, the best of three runs each, so that a busy machine does not decide), never a time. Each family
is a shape of text that once made a step super-linear, or a neighbour of one: chains of photo credits (one
removed per pass: 72 KB took 31 s), chains of datelines (960 KB took 7.7 s), floods of combining marks that
slipped past the pile-up cap (Tibetan vowel signs), and the shapes the other steps' patterns could backtrack on.
"""

from __future__ import annotations

import time
from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.text import clean as C
from stance.text import segment as S

RATIO = 8.0
"""Largest accepted time(4n) / time(n): 4 for linear, 16 for quadratic."""

FAMILIES: dict[str, tuple[Callable[[int], str], int]] = {
    # name: (text of size ~n, n)
    "photo-credit chain": (lambda n: "Quân Mỹ ở Iraq." + " Ảnh: AP." * n, 2_000),
    "bracketed credit chain": (lambda n: "Quân Mỹ ở Iraq." + " (Ảnh: Reuters)" * n, 2_000),
    "credit chain with wide spaces": (lambda n: "Quân Mỹ ở Iraq." + ".\u3000\u3000Nguồn ảnh\u2003: AP" * n, 2_000),
    "dateline chain": (lambda n: "Tin " + "(AB)- " * n + "quân Mỹ rút", 10_000),
    "dateline chain after an opening": (lambda n: "(Tin a) - (x " + "(AB) – " * n + "quân Mỹ", 10_000),
    "dateline chain of exceptions": (lambda n: "Tin " + "(IS)- (NATO)- " * n + "quân Mỹ", 10_000),
    "openings chain": (lambda n: "(Kiến Thức) - " * n + "Quân Mỹ rút.", 10_000),
    "Tibetan vowel signs": (lambda n: "Quân Mỹ ở Iraq ka" + "\u0f73\u0f75\u0f81" * n, 3_000),
    "combining marks": (lambda n: "Quân Mỹ ở Iraq a" + "\u0301\u0323" * n, 5_000),
    "marks split by joiners": (lambda n: "Quân Mỹ a" + ("\u0301" * 15 + "\u034f") * n, 1_000),
    "invisible characters": (lambda n: "Quân Mỹ" + "\u2066\u034f\ufe0f\U000e0041" * n, 10_000),
    "tone-mark word": (lambda n: "ườ" * n, 20_000),
    "unclosed tags": (lambda n: "<br" * n + " Quân Mỹ", 20_000),
    "unclosed comments and scripts": (lambda n: "<!--<script>" * n + " Quân Mỹ", 10_000),
    "entities": (lambda n: "&amp;lt;" * n, 10_000),
    "hotline of digits": (lambda n: "Đường dây nóng: " + "1 " * n + "x" * 30, 20_000),
    "tag list of spaces": (lambda n: "Từ khóa" + " " * n + ":", 20_000),
    "form prompt of stars": (lambda n: "*" * n + "vui lòng", 20_000),
    "byline bars": (lambda n: "a |" * n, 20_000),
    "repeated lines": (lambda n: "Quân Mỹ rút.\n" * n, 20_000),
    "signature lines": (lambda n: "Quân Mỹ rút khỏi Iraq.\n" + "Thanh Hà\n" * n, 20_000),
    "headers after the first line": (lambda n: "Quân Mỹ.\n" + "Tin tức hôm nay\n" * n + "Tin liên quan", 20_000),
    "abbreviations": (lambda n: "Ông " + "TP. " * n + "Hà Nội.", 20_000),
    "sentences": (lambda n: "Quân Mỹ rút. " * n, 20_000),
    "closing brackets after a period": (lambda n: "Ông nói." + ")" * n + " Bà", 20_000),
    "periods": (lambda n: "x. y. " * n, 20_000),
}


def _best_of_three(step: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        step(text)
        best = min(best, time.perf_counter() - start)
    return best


def _clean_and_cut(text: str) -> list[str]:
    return S.passages(C.clean(text))


MIN_SECONDS = 0.03
"""The smaller size is doubled until it takes at least this long: shorter times are mostly noise."""


@pytest.mark.parametrize("family", list(FAMILIES))
def test_cleaning_and_cutting_are_linear(family):
    make, n = FAMILIES[family]
    _clean_and_cut(make(n))  # warm caches (tone-mark syllables, compiled patterns)
    t_small = _best_of_three(_clean_and_cut, make(n))
    for _ in range(4):
        if t_small >= MIN_SECONDS:
            break
        n *= 2
        t_small = _best_of_three(_clean_and_cut, make(n))
    small, large = make(n), make(4 * n)
    t_large = _best_of_three(_clean_and_cut, large)
    ratio = t_large / t_small
    assert ratio < RATIO, f"{family}: {len(large):,} chars took {ratio:.1f} times {len(small):,} chars"


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
def test_clean_on_hostile_chains_never_raises_and_is_idempotent(pieces):
    text = "".join(piece * times for piece, times in pieces)
    out = C.clean(text)
    assert C.clean(out) == out
    assert all(S.passages(out)) or not out
