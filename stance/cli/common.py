"""What the verbs of the ``stance`` command share: the model options and loading them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..display import SNIPPET

__all__ = ["SNIPPET", "add_model_options", "load_models"]


def add_model_options(p: argparse.ArgumentParser) -> None:
    """``--topic-model``, ``--stance-model`` and ``--trusted``."""
    p.add_argument("--topic-model", type=Path, help="a topic model file instead of the shipped one")
    p.add_argument("--stance-model", type=Path, help="a stance model file instead of the shipped one")
    p.add_argument("--trusted", action="store_true", help="allow loading model files that are not stance's own")


def load_models(args: argparse.Namespace) -> tuple[Any, Any]:
    """``(topic model, stance model)``: the files the options name, the shipped models for those not given."""
    from ..api import pretrained_model
    from ..persist import load

    topic = load(args.topic_model, trusted=args.trusted) if args.topic_model else pretrained_model("topic")
    stance = load(args.stance_model, trusted=args.trusted) if args.stance_model else pretrained_model("stance")
    return topic, stance
