"""What the verbs of the ``stance`` command share: the model options and loading, and printing scores."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Mapping

__all__ = ["SNIPPET", "add_model_options", "models", "scores_line", "snippet"]

SNIPPET = 150
"""Characters of a passage shown in text output."""


def snippet(text: str, width: int = SNIPPET) -> str:
    """``text`` cut to ``width`` characters with "…"."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def scores_line(scores: Mapping[str, float]) -> str:
    """``label 0.12 · label 0.88`` in the order of ``scores``."""
    return " · ".join(f"{k} {v:.2f}" for k, v in scores.items())


def add_model_options(p: argparse.ArgumentParser) -> None:
    """``--topic-model``, ``--stance-model`` and ``--trusted``."""
    p.add_argument("--topic-model", type=Path, help="a topic model file instead of the shipped one")
    p.add_argument("--stance-model", type=Path, help="a stance model file instead of the shipped one")
    p.add_argument("--trusted", action="store_true", help="allow loading model files that are not stance's own")


def models(args: argparse.Namespace):
    """The models the options name, the shipped ones for those not given."""
    from ..api import Models, default_models
    from ..persist import load

    if not args.topic_model and not args.stance_model:
        return default_models()
    base = default_models()
    return Models(
        topic=load(args.topic_model, trusted=args.trusted) if args.topic_model else base.topic,
        stance=load(args.stance_model, trusted=args.trusted) if args.stance_model else base.stance,
    )
