"""Cleaning scraped Vietnamese news pages: the pipeline of small pure ``str -> str`` steps.

:data:`PIPELINE` chains the steps of :mod:`stance.text.normalize` (how the text is written) and of
:mod:`stance.text.furniture` (what the page added around the article); :func:`clean` runs them in order.
Training and prediction both go through it, so a model sees at prediction time exactly what it saw in
training.

Paragraphs survive cleaning as lines: the output holds one paragraph per line, separated by ``"\\n"``,
with no empty lines.

Examples
--------
>>> clean("Binh sĩ Mỹ ở Iraq.\\nẢnh: AP\\n\\nĐường dây nóng: 0943 113 999")
'Binh sĩ Mỹ ở Iraq.'
"""

from __future__ import annotations

from functools import reduce
from typing import Callable

from .furniture import (
    drop_datelines,
    drop_furniture_lines,
    drop_photo_credits,
    drop_repeated_lines,
    drop_trailing_blocks,
    drop_trailing_signatures,
)
from .normalize import (
    normalize_tone_marks,
    normalize_unicode,
    normalize_whitespace,
    remove_control_characters,
    strip_html,
)

__all__ = ["NORMALISING_STEPS", "PIPELINE", "clean", "normalise"]

NORMALISING_STEPS: tuple[Callable[[str], str], ...] = (
    normalize_unicode,  # first, so that NFC and NFD input are the same string for every later step
    strip_html,
    remove_control_characters,
    normalize_unicode,
    normalize_tone_marks,
    normalize_whitespace,
)
"""The steps that change how the text is written (Unicode, HTML, control characters, tone marks, white
space), never what it says: a text that the furniture steps would cut to nothing is still worth this much."""

PIPELINE: tuple[Callable[[str], str], ...] = (
    *NORMALISING_STEPS,
    drop_datelines,  # before the line rules: "(AP)- Ảnh: X" is a credit once its dateline is gone
    drop_photo_credits,
    drop_furniture_lines,
    drop_repeated_lines,
    drop_trailing_blocks,
    drop_trailing_signatures,
)
"""The steps of :func:`clean`, in order."""


def clean(text: str) -> str:
    """Clean a scraped page: every step of :data:`PIPELINE` in order.

    Parameters
    ----------
    text : str
        Raw page text, in any Unicode normalisation form, possibly with HTML, control characters and
        page furniture.

    Returns
    -------
    str
        NFC article text, one paragraph per line. Empty when nothing of the article is left.

    Examples
    --------
    >>> clean("Quân Mỹ ở Iraq\\nQuân Mỹ ở Iraq\\n\\nHoà đàm. Ảnh: AP\\n\\nBáo lỗi cho Soha")
    'Quân Mỹ ở Iraq\\nHòa đàm.'
    """
    return reduce(lambda acc, step: step(acc), PIPELINE, text)


def normalise(text: str) -> str:
    """Only the :data:`NORMALISING_STEPS` of cleaning: the text as written by a careful typist, nothing cut.

    Examples
    --------
    >>> normalise("Đường dây nóng:\\u00a0 0943 113 999")
    'Đường dây nóng: 0943 113 999'
    """
    return reduce(lambda acc, step: step(acc), NORMALISING_STEPS, text)
