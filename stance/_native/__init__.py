"""The compiled hot path of classification, and its pure-Python reference.

``stance._native._kernels`` (Cython, compiled by ``pip install .``) holds the loops over characters and
tokens: cleaning accelerators, passages with spans, one tokenisation shared by several TF-IDF vocabularies,
and the TF-IDF matrix. :mod:`stance._native.reference` has a pure-Python twin of each (same names, same
results); :data:`KERNELS` is the compiled module when it imports, else the reference. ``STANCE_PURE=1`` in
the environment forces the reference (tests, comparisons).

Nothing here decides what classification computes: the Python code of :mod:`stance.text` and
:mod:`stance.features` is the reference. The accelerated steps (:mod:`stance._native.cleaning`,
:mod:`stance._native.passages`, :mod:`stance._native.features`) are used only for code they recognise
exactly, and fall back to that code otherwise.

Examples
--------
>>> COMPILED in (True, False)
True
>>> KERNELS.has_empty_line("a\\n\\nb")
True
"""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["COMPILED", "KERNELS"]


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
