"""What the tests of cleaning steps share: texts that look like scraped pages (for hypothesis: Vietnamese letters
in both tone styles, NFD pieces, HTML bits, furniture words, line breaks and odd spaces), and the two tests every
table of step cases gets."""

import unicodedata
from typing import Callable, Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

_PIECES = st.sampled_from(
    [
        "Quân Mỹ", "hoà bình", "thuỷ", "luỵ", "Ảnh: AP", "Đường dây nóng: 0943 113 999", "<p>", "</b>",
        "&amp;", "&nbsp;", "\n", "\n\n", "  ", "\u00a0", "\u200b", "Vie\u0302\u0323t", ". ", "GALLERY MỚI NHẤT",
        "Báo lỗi", "Tin liên quan", "|", "…", "“", "Iraq", "NATO", "rút quân", "\r\n", "\t", "ð",
        "(NLĐ)- ", "(Kiến Thức) - ", "(", ")", "–", "(IS)",
        # hostile pieces: chains of credits and datelines, invisible characters, Tibetan vowel signs
        ". Ảnh: AP." * 3, "(AB)- " * 4, "\u2066", "\u2069", "\u061c", "\u180e", "\u034f", "\ufe0f",
        "\U000e0041", "\u0f73\u0f75\u0f81" * 3, "\u0301" * 6,
    ]
)
page_text = st.one_of(st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=30).map("".join))


Step = Callable[[str], str]


def step_tests(cases: Mapping[Step, Sequence[tuple[str, str]]], *, makes_nfc: Sequence[Step] = ()) -> tuple:
    """``(test_step_table, test_step_properties)`` for a table of cases per step.

    The table: every ``(raw, expected)`` pair. The properties, on page-like text: a step never raises, returns a
    str, is idempotent, and keeps NFC text NFC (the steps in ``makes_nfc`` output NFC whatever they get).
    """

    @pytest.mark.parametrize(
        "step,raw,expected",
        [(step, raw, expected) for step, pairs in cases.items() for raw, expected in pairs],
        ids=lambda v: getattr(v, "__name__", None),
    )
    def test_step_table(step: Step, raw: str, expected: str) -> None:
        assert step(raw) == expected

    @pytest.mark.parametrize("step", list(cases), ids=lambda s: s.__name__)
    @settings(max_examples=300, deadline=None)
    @given(text=page_text)
    def test_step_properties(step: Step, text: str) -> None:
        out = step(text)  # never raises
        assert isinstance(out, str)
        assert step(out) == out, "idempotent"
        if step in makes_nfc:
            assert unicodedata.is_normalized("NFC", out), "outputs NFC"
        else:
            assert unicodedata.is_normalized("NFC", step(unicodedata.normalize("NFC", text))), "keeps NFC text NFC"

    return test_step_table, test_step_properties
