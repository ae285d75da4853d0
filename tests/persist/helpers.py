"""Model files the persistence tests share: a small real model, legacy (stance < 0.2) pairs, hostile pickles,
and crafted one-file artefacts (any manifest, any payload bytes)."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
from pathlib import Path
from typing import Any

import joblib

from stance.estimators.pipeline import with_cleaner
from stance.estimators.text_classifier import TextClassifier
from stance.persist import container

TEXTS = ["quân Mỹ ở Iraq", "binh sĩ Mỹ rút", "đội tuyển thắng", "cầu thủ ghi bàn"] * 3
LABELS = ["w", "w", "s", "s"] * 3


def small_model() -> Any:
    """A fitted pipeline (Cleaner + TextClassifier) with labels ``s`` and ``w``."""
    return with_cleaner(TextClassifier(min_df=1, calibration_folds=2)).fit(TEXTS, LABELS)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Marker:
    """Unpickling this creates the file ``path``: it stands for any code a hostile file could run."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def hostile_pickle(marker: Path) -> bytes:
    return pickle.dumps(Marker(marker))


def write_legacy(path: Path, obj: Any, **manifest: Any) -> Path:
    """``path`` (joblib pickle of ``obj``) and the schema-1 manifest beside it, as stance < 0.2 wrote them."""
    buffer = io.BytesIO()
    joblib.dump(obj, buffer)
    return write_legacy_bytes(path, buffer.getvalue(), **manifest)


def write_legacy_bytes(path: Path, payload: bytes, **manifest: Any) -> Path:
    path.write_bytes(payload)
    fields = {"schema_version": 1, "task": "demo", "payload": {"file": path.name, "sha256": sha256(payload)}}
    fields.update(manifest)
    path.with_suffix(".json").write_text(json.dumps(fields), encoding="utf-8")
    return path


def manifest_for(payload: bytes, *, fmt: str = "skops", labels: list[str] | None = None, **changes: Any) -> dict:
    """A valid schema-2 manifest for ``payload`` (forged: anyone can write one), with ``changes`` applied."""
    manifest = {
        "schema_version": 2, "task": "demo", "estimator": "x", "labels": labels or ["s", "w"],
        "versions": {"stance": "0.1.0"}, "payload": {"format": fmt, "sha256": sha256(payload), "bytes": len(payload)},
    }
    manifest.update(changes)
    return manifest


def write_container(path: Path, manifest: Any, payload: bytes = b"", *, raw_manifest: bytes | None = None) -> Path:
    """A one-file artefact with this manifest (any JSON value, or raw bytes) and payload."""
    raw = raw_manifest if raw_manifest is not None else json.dumps(manifest).encode("utf-8")
    path.write_bytes(container.pack(raw, payload))
    return path
