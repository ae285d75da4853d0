"""stance: topic and stance toward US military presence abroad in Vietnamese news.

>>> from stance import classify
>>> result = classify("Quốc hội Iraq bỏ phiếu yêu cầu quân Mỹ rút khỏi nước này.")
>>> result.stance in ("pro", "anti", "neutral", "unrelated")
True
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import Models, Passage, Result, classify, classify_batch, default_models
from .artefacts import ArtefactError, UntrustedArtefactError, load, save
from .labels import STANCE_LABELS, TOPIC_DISPLAY_NAMES, TOPIC_LABELS
from .models import StanceClassifier, TextClassifier

__all__ = [
    "__version__",
    "classify",
    "classify_batch",
    "default_models",
    "Models",
    "Passage",
    "Result",
    "load",
    "save",
    "ArtefactError",
    "UntrustedArtefactError",
    "STANCE_LABELS",
    "TOPIC_LABELS",
    "TOPIC_DISPLAY_NAMES",
    "TextClassifier",
    "StanceClassifier",
]
