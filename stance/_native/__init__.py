"""The compiled hot path of classification, and its pure-Python reference.

``stance._native._kernels`` (Cython, compiled by ``pip install .``) holds the loops over characters and
tokens: cleaning accelerators, passages with spans, one tokenisation shared by several TF-IDF vocabularies,
and the TF-IDF matrix. :mod:`stance._native.reference` has a pure-Python twin of each (same names, same
results); :data:`KERNELS` is the compiled module when it imports, else the reference.

Nothing here decides what classification computes: the Python code of :mod:`stance.text` and
:mod:`stance.features` is the reference. The accelerated steps (:mod:`stance._native.cleaning`,
:mod:`stance._native.passages`, :mod:`stance._native.features`) are used only for code they recognise
exactly, and fall back to that code otherwise. Without the compiled module, with ``STANCE_PURE=1`` in the
environment, or inside :func:`disabled`, classification runs the Python code alone (:func:`active`).

Examples
--------
>>> COMPILED in (True, False)
True
>>> KERNELS.has_empty_line("a\\n\\nb")
True
>>> with disabled():
...     active()
False
"""

from __future__ import annotations

import contextlib
import os
from types import ModuleType
from typing import Iterator

__all__ = ["COMPILED", "KERNELS", "active", "disabled"]


def _load() -> tuple[ModuleType, bool]:
    if os.environ.get("STANCE_PURE"):
        from . import reference

        return reference, False
    try:
        from . import _kernels
    except ImportError:  # not built (no compiler at install time): the reference, same results
        from . import reference

        return reference, False
    return _kernels, True


KERNELS, COMPILED = _load()

_switch = {"on": COMPILED}


def active() -> bool:
    """Whether classification uses the compiled path (built, not forced off, not :func:`disabled`)."""
    return _switch["on"]


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Classify with the Python code alone while open (every thread: for comparisons and tests)."""
    before = _switch["on"]
    _switch["on"] = False
    try:
        yield
    finally:
        _switch["on"] = before
