"""Saving and loading trained models: one self-describing file per model, loaded without running its code.

A model file (``model.stance`` by convention; the name does not matter, the header does) holds a header,
the manifest (JSON: schema version, task, labels, parameters, library versions, sha256 of the training data
and of the payload, cross-validated metrics) and the payload (the fitted pipeline, written with skops).
Layout: :mod:`stance.persist.container`. Replacing a model is one ``os.replace``: at every instant the old
file or the new one is there, whole.

Loading (:func:`load`) reads the file once and decides on those bytes. By default it rebuilds only the
types of :data:`ALLOWED_TYPES` (the package's own estimators and the exact scikit-learn and numpy types
they hold), so a model file cannot run code; anything else (a pickle, a model saved by stance < 0.2, other
types) needs ``trusted=True`` and raises :class:`UntrustedArtefactError` without it. What is loaded is
checked: a fitted classifier with the labels its manifest declares. ``docs/reliability.md`` states what
is and is not a security boundary.

Modules: :mod:`~stance.persist.artefact` (save, load), :mod:`~stance.persist.container` (the file
layout, bounded reads), :mod:`~stance.persist.manifest` (building and checking manifests),
:mod:`~stance.persist.skops_payload` (the payload and its strict reader), :mod:`~stance.persist.allowed`
(the list), :mod:`~stance.persist.targets` (where a model may be written), :mod:`~stance.persist.legacy`
(``.joblib`` + ``.json`` models), :mod:`~stance.persist.errors`.

Examples
--------
>>> import pathlib, tempfile
>>> from stance.estimators.pipeline import with_cleaner
>>> from stance.estimators.text_classifier import TextClassifier
>>> texts = ["Quân Mỹ ở Iraq", "Đội tuyển thắng", "Binh sĩ Mỹ rút", "Cầu thủ ghi bàn"]
>>> model = with_cleaner(TextClassifier(min_df=1, calibration_folds=2)).fit(texts, ["world", "sport"] * 2)
>>> out = pathlib.Path(tempfile.mkdtemp()) / "my-model.stance"
>>> _ = save(model, out, task="demo")
>>> read_manifest(out)["payload"]["format"], load(out).predict(["quân Mỹ"]).tolist()
('skops', ['world'])
"""

from __future__ import annotations

from pathlib import Path

from .allowed import ALLOWED_TYPES
from .artefact import SUFFIX, audit, check_classifier, convert_legacy, load, read_manifest, save
from .container import FORMAT_VERSION, MAX_ARTEFACT_BYTES, MAX_MANIFEST_BYTES
from .errors import ArtefactError, UnsafeOutputError, UntrustedArtefactError
from .manifest import SCHEMA_VERSION, library_versions
from .targets import card_marker, card_path, check_outputs

__all__ = [
    "ALLOWED_TYPES",
    "FORMAT_VERSION",
    "MAX_ARTEFACT_BYTES",
    "MAX_MANIFEST_BYTES",
    "PRETRAINED",
    "SCHEMA_VERSION",
    "SUFFIX",
    "ArtefactError",
    "UnsafeOutputError",
    "UntrustedArtefactError",
    "audit",
    "card_marker",
    "card_path",
    "check_classifier",
    "check_outputs",
    "convert_legacy",
    "library_versions",
    "load",
    "read_manifest",
    "save",
]

PRETRAINED = Path(__file__).resolve().parent.parent / "pretrained"
"""The folder of the shipped models (``topic.stance``, ``stance.stance`` and their cards)."""
