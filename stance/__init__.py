"""stance: topic and stance toward US military presence abroad in Vietnamese news.

The public names below are loaded on first use, so ``import stance`` (or ``import stance.files`` in a
benchmark worker) does not pay for scikit-learn and the models until something needs them.

>>> from stance import classify
>>> result = classify("Quốc hội Iraq bỏ phiếu yêu cầu quân Mỹ rút khỏi nước này.")
>>> result.stance in ("pro", "anti", "neutral", "unrelated")
True
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "classify": ".api",
    "classify_batch": ".api",
    "classify_frame": ".bulk",
    "classify_corpus": ".bulk",
    "pretrained_model": ".api",
    "Passage": ".api",
    "Result": ".api",
    "load": ".persist",
    "save": ".persist",
    "ArtefactError": ".persist",
    "UntrustedArtefactError": ".persist",
    "DataError": ".training.labelled",
    "DocumentError": ".text.decode",
    "STANCE_LABELS": ".labels",
    "TOPIC_LABELS": ".labels",
    "TOPIC_DISPLAY_NAMES": ".labels",
    "TextClassifier": ".estimators.text_classifier",
    "StanceClassifier": ".estimators.stance_classifier",
    "PassageClassifier": ".estimators.passage_classifier",
    "ArticleStanceClassifier": ".estimators.article",
    "Cleaner": ".text.clean",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'stance' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
