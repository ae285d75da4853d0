"""The compiled cleaning twins against the steps of stance.text: the same text for any str, each step alone
and along the pipeline; the pre-filters let through every line the steps' regular expressions match."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.hostile_text import FAMILIES, RATIO, linear_ratio
from stance._native import COMPILED, KERNELS, cleaning, reference
from stance._native import passages as P
from stance._native.fingerprint import fingerprint
from stance.text import clean as C
from stance.text import furniture as F
from stance.text import normalize as N

from .strategies import CHAINS, INVISIBLE, MARKS, PROPERTY, any_text, furniture_line

FAST = cleaning.fast_steps(C.PIPELINE)


def test_the_extension_is_built_and_every_twin_is_in_use():
    """Fails when a step changed since its twin was checked: review the twin against the new step, run
    these tests and ``python -m benchmarks.equivalence``, then enter the step's new digest in CHECKED."""
    assert COMPILED, "stance._native._kernels is not built: pip install . (or python setup.py build_ext --inplace)"
    changed = {key: fingerprint(step) for step in C.PIPELINE
               if (key := f"{step.__module__}.{step.__qualname__}") in cleaning.CHECKED
               and fingerprint(step) != cleaning.CHECKED[key]}
    assert changed == {}, "steps changed since their compiled twins were checked (they run in Python now)"
    assert sum(f is not s for f, s in zip(FAST, C.PIPELINE)) == len(set(cleaning.CHECKED)) + 1  # unicode twice


def test_an_edited_step_runs_as_it_is():
    def normalize_whitespace(text: str) -> str:  # same name, other code
        return text.upper()

    normalize_whitespace.__module__ = N.normalize_whitespace.__module__
    assert cleaning.accelerated(normalize_whitespace) is normalize_whitespace
    assert cleaning.accelerated(str.strip) is str.strip
    assert cleaning.accelerated(N.strip_html) is N.strip_html  # no twin


@PROPERTY
@given(any_text)
def test_each_step_equals_its_twin_on_any_text(text):
    for ref, fast in zip(C.PIPELINE, FAST):
        assert fast(text) == ref(text), ref.__name__


@PROPERTY
@given(any_text)
def test_each_step_equals_its_twin_along_the_pipeline(text):
    for ref, fast in zip(C.PIPELINE, FAST):
        expected = ref(text)
        assert fast(text) == expected, ref.__name__
        text = expected


@PROPERTY
@given(st.lists(furniture_line(), min_size=1, max_size=6).map("\n".join))
def test_furniture_and_credit_lines(text):
    assert cleaning.run_steps(FAST, text) == C.clean(text)
    for ref, fast in zip(C.PIPELINE, FAST):
        assert fast(text) == ref(text), ref.__name__


@PROPERTY
@given(st.one_of(any_text, st.lists(furniture_line(), min_size=1, max_size=6).map("\n".join)))
def test_prefilters_are_sound(text):
    """Every line the full regex matches is a line the compiled pre-filter lets through."""
    literals = KERNELS.LiteralSet(cleaning.FURNITURE_LITERALS, *cleaning._sre_case())
    hits = set(literals.hit_lines(text))
    for k, line in enumerate(text.split("\n")):
        if F._FURNITURE.match(line):
            assert k in hits, line
        if F._CREDIT_SUFFIX.search(line):
            assert cleaning._CREDIT_END.search(line[: line.rindex(":")].rstrip()[-5:]), line
        if F._DATELINE_CODE.search(line, 0, 300):
            assert cleaning._DATELINE_CORE.search(line, 0, 300), line
    assert reference.LiteralSet(cleaning.FURNITURE_LITERALS).hit_lines(text) == sorted(hits)


@pytest.mark.slow
def test_literal_set_case_folding_matches_re_exhaustively():
    """For every code point and every literal character, the pre-filter's folding says "matches" exactly
    when re.IGNORECASE does."""
    letters = sorted({ch for lit, _, _ in cleaning.FURNITURE_LITERALS for ch in lit if ch != " "})
    probe = KERNELS.LiteralSet([(ch, -1, 0) for ch in letters], *cleaning._sre_case())
    pattern = re.compile("|".join(map(re.escape, letters)), re.I)
    cps = [c for c in range(0x110000) if not 0xD800 <= c < 0xE000 and c != 0x0A]
    for start in range(0, len(cps), 4096):
        block = cps[start:start + 4096]
        hit = set(probe.hit_lines("\n".join(chr(c) for c in block)))
        for k, c in enumerate(block):
            assert (k in hit) == bool(pattern.fullmatch(chr(c))), hex(c)


@PROPERTY
@given(any_text)
def test_small_kernels_equal_their_reference(text):
    KERNELS.init_marks("".join(sorted(N._MARKS)))  # the twins set these too; the test does not rely on it
    KERNELS.init_controls(N._INVISIBLE_RANGES)
    assert KERNELS.has_marks(text) == (not N._MARKS.isdisjoint(text))
    assert KERNELS.has_controls(text) == (N._CONTROL.search(text) is not None)
    assert KERNELS.has_empty_line(text) == ("" in text.split("\n"))
    assert KERNELS.normalize_whitespace(text) == N.normalize_whitespace(text)
    nfc = unicodedata.normalize("NFC", text)
    assert KERNELS.normalize_tone_marks(nfc, N._normalize_syllable) == N.normalize_tone_marks(nfc)


@pytest.mark.parametrize("text, expected", [
    ("Binh sĩ Mỹ ở Iraq.\nẢnh: AP\n\nĐường dây nóng: 0943 113 999", "Binh sĩ Mỹ ở Iraq."),
    ("(NLĐ)- Thuỷ quân lục chiến Mỹ hoà giải.\u200b\r\nBáo lỗi cho Soha", "Thủy quân lục chiến Mỹ hòa giải."),
    ("Vie\u0302\u0323t Nam  và   Mỹ\nVie\u0302\u0323t Nam  và   Mỹ", "Việt Nam và Mỹ"),
])
def test_real_cases(text, expected):
    assert cleaning.run_steps(FAST, text) == expected == C.clean(text)


def test_the_control_table_is_the_steps_for_every_code_point():
    """has_controls says yes exactly for the characters remove_control_characters deletes (all 0x110000:
    the Cf characters and default-ignorable code points the step reads from unicodedata and its table)."""
    KERNELS.init_controls(N._INVISIBLE_RANGES)
    cps = [chr(c) for c in range(0x110000)]
    assert [c for c in cps if KERNELS.has_controls(c)] == N._CONTROL.findall("".join(cps))
    assert KERNELS.has_controls("Mỹ" * 1000 + "\U000e0041") and not KERNELS.has_controls("Mỹ \U000e1000")


@pytest.mark.parametrize("text", [
    *(f"M{ch}ỹ rút quân" for ch in INVISIBLE),
    "hoà\u0301 thuỷ\u0f73 luỵ\u0323 hoà", "Hoà\u0f75", "baì\u0300 baì",          # a word followed by a mark
    "ka" + "\u0f73" * 17, "ka" + "\u0f73" * 5 + "\u0f81" * 3, "a" + "\u0f71\u0f72" * 9,  # Tibetan and the cap
    *(f"Quân Mỹ ở Iraq.{link * 7} tin" for link in CHAINS),                         # chains, mid-line
    *(f"Quân Mỹ ở Iraq.{link * 7}" for link in CHAINS),                             # chains, ending the line
    "(IS)- (AB)- quân Mỹ", "Tin (IS)- (AB)- quân", "Tin (AB)-\t(AB)- x", " (AB)- x", "x" * 297 + " (AB)- y",
])
def test_new_classes_and_chains(text):
    for ref, fast in zip(C.PIPELINE, FAST):
        assert fast(text) == ref(text), ref.__name__
    assert cleaning.run_steps(FAST, text) == C.clean(text)


def _clean_and_cut(text: str) -> object:
    return P.passages_batch([cleaning.run_steps(FAST, text)])


@pytest.mark.parametrize("family", [name for name in FAMILIES if any(
    word in name for word in ("credit", "dateline", "openings", "Tibetan", "marks", "invisible", "tone"))])
def test_the_compiled_path_is_linear(family):
    """The twins and the passage scan on the hostile families of tests/text/test_linear.py: 4n takes less
    than RATIO times n (4 if linear, 16 if quadratic), the best of three runs each."""
    assert COMPILED and P.compiled_passages()
    make, n = FAMILIES[family]
    ratio, n = linear_ratio(_clean_and_cut, make, n)
    assert ratio < RATIO, f"{family}: 4 x {len(make(n)):,} chars took {ratio:.1f} times as long"
