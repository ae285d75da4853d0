"""Passages with spans from the compiled scan against stance.text.segment.passages."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from stance._native import reference
from stance._native.passages import compiled_passages, passages_batch
from stance.text import clean as C
from stance.text import segment as S

from .strategies import PROPERTY, any_text, page


def test_the_scan_is_in_use():
    assert compiled_passages(), "stance.text.segment.passages changed since the scan was checked"


@PROPERTY
@given(st.one_of(any_text, page()))
def test_passages_and_spans(raw):
    for text in (raw, C.clean(raw)):
        passages, ptr, starts, ends = passages_batch([text, "", text])
        expected = S.passages(text)
        n = len(expected)
        assert passages == expected * 2
        assert ptr.tolist() == [0, n, n, 2 * n]
        assert list(zip(passages[:n], starts[:n].tolist(), ends[:n].tolist())) == reference.passage_spans(text)
        last = 0
        for p, a, b in zip(passages[:n], starts.tolist(), ends.tolist()):
            assert last <= a <= b <= len(text)
            # the span is the passage up to the white space between the sentences it joins
            assert text[a:b].split() == p.split()
            assert re.findall(r"\w+", text[a:b]) == re.findall(r"\w+", p)
            last = b


def test_a_real_article():
    text = "Tiêu đề\nÔng nói. Bà nói thêm. TP. HCM mưa. Ông George W. Bush tới Iraq. Hết."
    passages, ptr, starts, ends = passages_batch([text])
    assert passages == ["Tiêu đề", "Ông nói. Bà nói thêm. TP. HCM mưa.", "Ông George W. Bush tới Iraq. Hết."]
    assert [text[a:b] for a, b in zip(starts, ends)] == passages
