"""What the verbs share: the model options, and loading a model file checked for the job it is given.

:func:`load_model` loads a model file and checks, before any input is read, that it can do what the
option asks: a ``--stance-model`` must have stance labels (``unrelated`` among them), a ``--topic-model``
must not, and ``explain`` needs one of the package's linear classifiers. A wrong file is an
:class:`~stance.persist.ArtefactError` naming the option and the file (exit 2).

Examples
--------
>>> model_role(["anti", "neutral", "pro", "unrelated"]), model_role(["Kinh doanh", "The thao"])
('stance', 'topic')
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Sequence

from ..display import SNIPPET

__all__ = ["SNIPPET", "add_model_options", "add_trusted_option", "load_model", "load_models", "model_role"]

_TRUSTED_HELP = ("allow model files that can run code when loaded (pickles: .joblib models of stance < 0.2, or "
                 "types outside stance's list); models saved by `stance train` never need it")


def add_model_options(p: argparse.ArgumentParser) -> None:
    """``--topic-model``, ``--stance-model`` and ``--trusted``."""
    p.add_argument("--topic-model", type=Path, help="a topic model file instead of the shipped one")
    p.add_argument("--stance-model", type=Path, help="a stance model file instead of the shipped one")
    add_trusted_option(p)


def add_trusted_option(p: argparse.ArgumentParser) -> None:
    """``--trusted``."""
    p.add_argument("--trusted", action="store_true", help=_TRUSTED_HELP)


def model_role(labels: Sequence[str]) -> str:
    """``"stance"`` for stance labels (a subset of :data:`stance.labels.STANCE_LABELS` with ``unrelated``),
    else ``"topic"``."""
    from ..labels import STANCE_LABELS

    return "stance" if "unrelated" in labels and set(labels) <= set(STANCE_LABELS) else "topic"


def load_model(path: Path, *, option: str, role: str, trusted: bool, explainable: bool = False) -> Any:
    """Load ``path`` (:func:`stance.persist.load`) and check it can serve as ``role`` (``"topic"``,
    ``"stance"`` or ``"any"``), and has feature weights if ``explainable``; errors name ``option`` and the file."""
    from ..persist import ArtefactError, load

    try:
        model = load(path, trusted=trusted)
    except ArtefactError as e:
        raise type(e)(f"{option} {e}") from None
    labels = [str(c) for c in model.classes_]
    if role != "any" and model_role(labels) != role:
        need = ("stance labels (some of pro, anti, neutral and unrelated, with unrelated)" if role == "stance"
                else "topic labels, not stance labels")
        other = "topic" if role == "stance" else "stance"
        raise ArtefactError(f"{option} {path}: its labels {labels} are not {need}; is it a {other} model?")
    if explainable:
        from ..estimators.article import ArticleStanceClassifier
        from ..estimators.passage_classifier import PassageClassifier
        from ..estimators.pipeline import final_estimator
        from ..estimators.stance_classifier import StanceClassifier
        from ..estimators.text_classifier import TextClassifier

        linear = (TextClassifier, StanceClassifier, PassageClassifier)
        final = final_estimator(model)
        if not isinstance(getattr(final, "passage_", final) if isinstance(final, ArticleStanceClassifier) else final,
                          linear):
            raise ArtefactError(f"{option} {path}: holds a {type(final).__name__}; explaining needs the weights of "
                                "a TextClassifier, PassageClassifier or StanceClassifier")
    return model


def load_models(args: argparse.Namespace, *, explainable: bool = False, shipped: bool = True) -> tuple[Any, Any]:
    """``(topic model, stance model)``: the files the options name, and for those not given the shipped models
    (or None with ``shipped=False``: the library then loads them where they are needed, once)."""
    from ..api import pretrained_model

    def one(role: str) -> Any:
        path = getattr(args, f"{role}_model")
        if path is None:
            return pretrained_model(role) if shipped else None
        return load_model(path, option=f"--{role}-model", role=role, trusted=args.trusted, explainable=explainable)

    return one("topic"), one("stance")
