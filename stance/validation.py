"""Checks shared by the estimators and transformers: a list of texts, and parameter constraints.

:func:`check_texts` is how every estimator of the package takes its ``X``; :func:`validate_params` is how
every ``fit`` starts. The parameter constraints are scikit-learn's own machinery: an estimator declares
``_parameter_constraints`` with scikit-learn's constraint types (:class:`Interval`, :class:`StrOptions`), and
``BaseEstimator._validate_params`` checks them. scikit-learn keeps that machinery in a private module
(``sklearn.utils._param_validation``) and a private method, so both are reached from here and only here: if a
scikit-learn release moves them, this module is the one place to change.

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

from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions

__all__ = ["Interval", "StrOptions", "check_texts", "validate_params"]


def check_texts(X: Iterable[str]) -> list[str]:
    """``X`` as a list of texts; TypeError for a single str (a common slip: it would be read as characters)."""
    if isinstance(X, str):
        raise TypeError("expected a list of texts, got a single str; wrap it in a list")
    return list(X)


def validate_params(estimator: BaseEstimator) -> None:
    """Check ``estimator``'s parameters against its ``_parameter_constraints``; scikit-learn's
    ``InvalidParameterError`` (a ``ValueError`` and ``TypeError``) names the parameter, what it must be and
    what it got."""
    estimator._validate_params()
