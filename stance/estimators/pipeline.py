"""Models as pipelines: a :class:`~stance.text.clean.Cleaner` in front of an estimator, and how data reaches
their steps.

Every model the package makes is ``Pipeline([("clean", Cleaner()), ("classify", estimator)])``
(:func:`with_cleaner`): cleaning is a step of the model, visible and swappable, not a flag of the estimator.
:func:`split_cleaner` takes such a model apart again (:func:`stance.classify` runs the cleaner itself, once
per article, and cuts passages from its output); :func:`final_estimator` finds the estimator whose learned
attributes (``decision_weights_``, ``coef_``...) explain a prediction; :func:`fit_with_groups` passes the
groups of the training texts (the article of each passage) to whatever step's ``fit`` takes them.

Examples
--------
>>> from stance.estimators.text_classifier import TextClassifier
>>> model = with_cleaner(TextClassifier(min_df=1, calibration_folds=2))
>>> [name for name, _ in model.steps]
['clean', 'classify']
>>> cleaner, rest = split_cleaner(model)
>>> type(cleaner).__name__, type(rest).__name__, final_estimator(model) is rest
('Cleaner', 'TextClassifier', True)
"""

from __future__ import annotations

import inspect
from typing import Any, Hashable, Mapping, Sequence

from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline

from ..text.clean import Cleaner

__all__ = ["accepts_groups", "final_estimator", "fit_with_groups", "split_cleaner", "with_cleaner"]


def with_cleaner(estimator: BaseEstimator, cleaner: Cleaner | None = None) -> Pipeline:
    """``Pipeline([("clean", cleaner or Cleaner()), ("classify", estimator)])``."""
    return Pipeline([("clean", cleaner if cleaner is not None else Cleaner()), ("classify", estimator)])


def split_cleaner(model: Any) -> tuple[Cleaner | None, Any]:
    """``(its leading Cleaner, the rest of the model)`` for a pipeline that starts with a :class:`Cleaner`;
    ``(None, model)`` for any other model.

    The rest is the final estimator itself for a two-step pipeline (no per-call pipeline machinery), and the
    pipeline without its first step otherwise.
    """
    if isinstance(model, Pipeline) and model.steps and isinstance(model.steps[0][1], Cleaner):
        rest = model.steps[1][1] if len(model.steps) == 2 else model[1:]
        return model.steps[0][1], rest
    return None, model


def final_estimator(model: Any) -> Any:
    """The last step of a pipeline (of nested pipelines), or the model itself."""
    while isinstance(model, Pipeline):
        model = model.steps[-1][1]
    return model


def accepts_groups(estimator: Any) -> bool:
    """Whether ``estimator.fit`` has a ``groups`` parameter."""
    return _accepts(estimator, "groups")


def fit_with_groups(
    model: Any, X: Sequence[str], y: Sequence[Hashable], groups: Sequence[Hashable] | None,
    sample_weight: Sequence[float] | None = None,
    fit_params: Mapping[str, Any] | None = None,
) -> Any:
    """``model.fit(X, y)``, passing ``groups`` (and ``sample_weight``, ``fit_params``) to the step that takes them.

    A model whose ``fit`` has a ``groups`` parameter gets them as ``groups=``; a pipeline whose final step's
    ``fit`` has one gets them as ``<step>__groups=`` (scikit-learn's way of addressing a step's fit
    parameters); any other model is fitted without them (a plain scikit-learn pipeline still works, and the
    folds around it are still grouped). ``sample_weight`` goes the same way, to the model or its final step;
    a model that cannot take it is refused (a ``ValueError``: silently unweighted training would be a
    different model). ``fit_params`` (e.g. the labelled articles of an article model) go to the model or its
    final step by name. Returns what ``fit`` returns (the fitted model).
    """
    params: dict[str, Any] = {}
    last = model.steps[-1] if isinstance(model, Pipeline) and model.steps else None
    prefix = f"{last[0]}__" if last is not None else ""
    target = last[1] if last is not None else model
    if groups is not None:
        if accepts_groups(model):
            params["groups"] = groups
        elif last is not None and accepts_groups(target):
            params[prefix + "groups"] = groups
    if sample_weight is not None:
        if not _accepts(target, "sample_weight"):
            raise ValueError(f"{type(target).__name__}.fit takes no sample_weight; cannot train it with weights")
        params[prefix + "sample_weight"] = sample_weight
    params.update({prefix + name: value for name, value in (fit_params or {}).items()})
    return model.fit(X, y, **params)


def _accepts(estimator: Any, name: str) -> bool:
    fit = getattr(estimator, "fit", None)
    return fit is not None and name in inspect.signature(fit).parameters
