"""Cleaning scraped Vietnamese news pages: the pipeline of small pure ``str -> str`` steps.

:data:`PIPELINE` chains the steps of :mod:`stance.text.normalize` (how the text is written) and of
:mod:`stance.text.furniture` (what the page added around the article); :func:`clean` runs them in order.
:class:`Cleaner` is the same as a scikit-learn transformer, the first step of every model the package
makes (``Pipeline([("clean", Cleaner()), ("classify", estimator)])``): training and prediction both go
through it, so a model sees at prediction time exactly what it saw in training. To clean differently, give
a model another ``Cleaner(steps=...)``; to add a step, write a ``str -> str`` function and put it in
:data:`PIPELINE` (``docs/CONTRIBUTING.md``).

Paragraphs survive cleaning as lines: the output holds one paragraph per line, separated by ``"\\n"``,
with no empty lines.

Examples
--------
>>> clean("Binh sĩ Mỹ ở Iraq.\\nẢnh: AP\\n\\nĐường dây nóng: 0943 113 999")
'Binh sĩ Mỹ ở Iraq.'
"""

from __future__ import annotations

from functools import reduce
from typing import Callable, Iterable, Sequence

from sklearn.base import BaseEstimator, TransformerMixin

from ..validation import check_texts, validate_params

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

__all__ = ["NORMALISING_STEPS", "PIPELINE", "Cleaner", "clean", "normalise"]

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


def _check_steps(steps: object) -> tuple[Callable[[str], str], ...]:
    if isinstance(steps, str) or not isinstance(steps, (list, tuple)):
        raise TypeError(f"steps must be a list or tuple of str -> str functions, got {type(steps).__name__}")
    bad = [k for k, step in enumerate(steps) if not callable(step)]
    if bad:
        raise TypeError(f"steps must be str -> str functions; step {bad[0]} is {type(steps[bad[0]]).__name__}")
    return tuple(steps)


class Cleaner(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):  # lists of str: no set_output
    """Clean texts with a sequence of ``str -> str`` steps: a stateless scikit-learn transformer.

    Parameters
    ----------
    steps : list or tuple of callable, default=PIPELINE
        The steps, applied in order to each text.

    Examples
    --------
    >>> Cleaner().transform(["Quân Mỹ ở Iraq.\\nẢnh: AP", "<b>Hoà</b> bình"])
    ['Quân Mỹ ở Iraq.', 'Hòa bình']
    >>> Cleaner(steps=[str.strip, str.lower]).fit_transform(["  Quân Mỹ "])
    ['quân mỹ']
    >>> Cleaner(steps="lower").fit(["x"])
    Traceback (most recent call last):
    ...
    TypeError: steps must be a list or tuple of str -> str functions, got str
    """

    _parameter_constraints: dict = {"steps": [list, tuple]}

    def __init__(self, *, steps: Sequence[Callable[[str], str]] = PIPELINE) -> None:
        self.steps = steps

    def fit(self, X: Iterable[str], y: object = None) -> "Cleaner":
        """Check the steps and the texts; nothing is learned."""
        _check_steps(self.steps)
        validate_params(self)
        check_texts(X)
        return self

    def transform(self, X: Iterable[str]) -> list[str]:
        """Each text cleaned, in order."""
        steps = _check_steps(self.steps)
        return [reduce(lambda acc, step: step(acc), steps, text) for text in check_texts(X)]

    def __sklearn_tags__(self):  # noqa: D105 - scikit-learn's estimator tags
        tags = super().__sklearn_tags__()
        tags.requires_fit = False  # stateless: transform works unfitted
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags
