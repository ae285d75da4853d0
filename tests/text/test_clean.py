"""The cleaning pipeline: every step tabled, clean() idempotent and well-shaped on any text, the seeds, and
the Cleaner transformer."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings

from stance.text import clean as C
from tests.paths import SEEDS

from .pages import page_text
from .test_furniture import CASES as FURNITURE_CASES
from .test_normalize import CASES as NORMALIZE_CASES


def test_every_step_has_a_table():
    assert set(C.PIPELINE) <= set(NORMALIZE_CASES) | set(FURNITURE_CASES)


@settings(max_examples=300, deadline=None)
@given(text=page_text)
@example("(A)-ẢNH:0")  # a credit hidden behind a dateline: datelines must go before the line rules
def test_clean_is_idempotent_and_outputs_nfc(text):
    out = C.clean(text)
    assert C.clean(out) == out
    assert unicodedata.is_normalized("NFC", out)


@settings(max_examples=200, deadline=None)
@given(text=page_text)
def test_clean_output_shape(text):
    out = C.clean(text)
    assert "\n\n" not in out and out == out.strip()
    assert all(line == line.strip() for line in out.split("\n"))


def test_clean_is_invariant_to_normalisation_form_and_tone_style():
    text = "Hoà bình cho Iraq. Thuỷ quân lục chiến Mỹ rút quân."
    variants = [text, unicodedata.normalize("NFD", text), text.replace("Hoà", "Hòa").replace("Thuỷ", "Thủy")]
    assert len({C.clean(v) for v in variants}) == 1


def test_seeds_clean_keeps_article_and_drops_furniture():
    raw = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS}
    out = {k: C.clean(v) for k, v in raw.items()}
    # 001 ends with a hotline, a site name, a "report an error" link and a form prompt.
    assert out["001"].endswith("người đã đến Baghdad vào ngày 3/1.")
    # 003 prints every caption twice and ends with a gallery of unrelated Tết stories.
    assert "Tết" not in out["003"] and "GALLERY" not in out["003"]
    assert len(out["003"].split("\n")) == len(set(out["003"].split("\n")))
    assert "Nguồn ảnh" not in out["003"] and "liên lụy" in out["003"]
    # 002's caption keeps its words but loses its credit.
    assert "Ảnh: AP" not in out["002"] and "Binh sĩ Mỹ đứng bên ngoài xe bọc thép" in out["002"]
    # 000 starts with a loader ("Chờ...") before the title.
    assert out["000"].startswith("Mỹ tìm kiếm trợ giúp từ NATO")
    for k in raw:
        body_lines = [line for line in out[k].split("\n") if len(line) > 80]
        assert body_lines, k


# --------------------------------------------------------------------------------------------------
# Cleaner: the pipeline as a scikit-learn transformer


def test_cleaner_is_the_pipeline_as_a_transformer():
    texts = ["Quân Mỹ ở Iraq\nQuân Mỹ ở Iraq\n\nHoà đàm. Ảnh: AP", "<p>Đường dây nóng: 0943 113 999</p>\nÔng nói."]
    assert C.Cleaner().fit_transform(texts) == [C.clean(t) for t in texts] == ["Quân Mỹ ở Iraq\nHòa đàm.", "Ông nói."]
    assert C.Cleaner().transform([]) == []


def test_cleaner_steps_are_swappable_and_checked():
    assert C.Cleaner(steps=C.NORMALISING_STEPS).transform(["Ảnh: AP\nHoà"]) == ["Ảnh: AP\nHòa"]
    assert C.Cleaner(steps=[]).transform(["  x "]) == ["  x "]
    with pytest.raises(TypeError, match="step 1 is int"):
        C.Cleaner(steps=[str.strip, 3]).fit(["x"])
    with pytest.raises(TypeError, match="single str"):
        C.Cleaner().transform("Quân Mỹ")


def test_normalise_runs_only_the_normalising_steps():
    assert C.PIPELINE[: len(C.NORMALISING_STEPS)] == C.NORMALISING_STEPS
    assert C.normalise("Đường dây nóng:\u00a0 0943 113 999\n\nHoà") == "Đường dây nóng: 0943 113 999\nHòa"
