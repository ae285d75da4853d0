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


def load_models(args: argparse.Namespace, *, shipped: bool = True) -> tuple[Any, Any]:
    """``(topic model, stance model)``: the files the options name, and for those not given the shipped models
    (or None with ``shipped=False``: the library then loads them where they are needed, once)."""
    from ..api import pretrained_model
    from ..persist import load

    def model(path: Path | None, task: str) -> Any:
        if path:
            return load(path, trusted=args.trusted)
        return pretrained_model(task) if shipped else None

    return model(args.topic_model, "topic"), model(args.stance_model, "stance")
