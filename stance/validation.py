"""Checks shared by the estimators and transformers: a list of texts, and parameter constraints.

:func:`check_texts` is how every estimator of the package takes its ``X``. The parameter constraint types
(:class:`Interval`, :class:`StrOptions`) are scikit-learn's own, which is what ``_parameter_constraints``
and ``BaseEstimator._validate_params`` understand; scikit-learn keeps them in a private module
(``sklearn.utils._param_validation``), so they are imported here and only here: if a scikit-learn release
moves them, this is the one line to change.

Examples
--------
>>> check_texts(("Quân Mỹ", "ở Iraq"))
['Quân Mỹ', 'ở Iraq']
>>> check_texts("Quân Mỹ")
Traceback (most recent call last):
...
TypeError: expected a list of texts, got a single str; wrap it in a list
"""

from __future__ import annotations

from typing import Iterable

from sklearn.utils._param_validation import Interval, StrOptions

__all__ = ["Interval", "StrOptions", "check_texts"]


def check_texts(X: Iterable[str]) -> list[str]:
    """``X`` as a list of texts; TypeError for a single str (a common slip: it would be read as characters)."""
    if isinstance(X, str):
        raise TypeError("expected a list of texts, got a single str; wrap it in a list")
    return list(X)
