"""Saving and loading one model file: :func:`save`, :func:`load`, :func:`read_manifest`, :func:`audit`,
:func:`convert_legacy`, and the check of what was loaded (:func:`check_classifier`).

Examples
--------
>>> import tempfile, pathlib
>>> from stance.estimators.text_classifier import TextClassifier
>>> m = TextClassifier(min_df=1, calibration_folds=2).fit(["a b", "c d", "a e", "c f"], ["x", "y", "x", "y"])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "m.stance"
>>> save(m, path, task="demo")["labels"]
['x', 'y']
>>> load(path).predict(["a"]).tolist(), audit(path)
(['x'], [])
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any, Mapping

from ..files import atomic_write
from . import legacy
from .container import is_container, pack, read_file, read_head, unpack
from .errors import ArtefactError, UntrustedArtefactError
from .manifest import CORE_FIELDS, build, library_versions, parse, to_bytes, warn_on_versions
from .skops_payload import disallowed, dumps, loads_allowed, loads_trusted
from .targets import check_target

__all__ = ["SUFFIX", "audit", "check_classifier", "convert_legacy", "load", "read_manifest", "save"]

SUFFIX = ".stance"
"""The suffix of model files in the docs and defaults; any name works (the file is recognised by its header)."""

_PROBE = "Quân đội Mỹ vẫn hiện diện ở Iraq."
"""A sentence every loaded model must classify (a probability per label, summing to 1)."""

_PICKLE = ("it is a pickle, and loading a pickle runs whatever code the file names: pass trusted=True "
           "(CLI --trusted) only if you trust where the file comes from")


def check_classifier(model: Any, labels: list[str] | None, where: str) -> list[str]:
    """The labels of ``model`` after checking it is a fitted text classifier with ``predict_proba`` whose
    labels are ``labels`` (when given) and that classifies a test sentence; :class:`ArtefactError` naming
    ``where`` otherwise."""
    if not callable(getattr(model, "predict_proba", None)):
        raise ArtefactError(f"{where}: holds a {type(model).__name__}, not a classifier with predict_proba")
    try:
        got = [str(c) for c in model.classes_]
    except Exception as e:  # noqa: BLE001 - an unfitted or damaged estimator raises various errors
        raise ArtefactError(f"{where}: holds a {type(model).__name__} that is not fitted (no classes_: {e})") from None
    if not got or (labels is not None and got != list(labels)):
        raise ArtefactError(f"{where}: the model's labels {got} are not those its manifest declares {labels}")
    try:
        p = model.predict_proba([_PROBE])
        ok = getattr(p, "shape", None) == (1, len(got)) and abs(float(p.sum()) - 1.0) < 1e-6
    except Exception as e:  # noqa: BLE001 - whatever breaks, the model is unusable
        raise ArtefactError(f"{where}: the model fails on a test sentence ({type(e).__name__}: {e})") from None
    if not ok:
        raise ArtefactError(f"{where}: the model does not give one probability per label for a test sentence")
    return got


def _pickle(model: Any) -> bytes:
    import joblib

    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    return buffer.getvalue()


def save(
    model: Any,
    path: str | os.PathLike,
    *,
    task: str,
    data: Mapping[str, str] | None = None,
    metrics: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
    payload: str = "skops",
) -> dict[str, Any]:
    """Write ``model`` and its manifest to the one file ``path``, atomically.

    A reader (another process, or this one after a crash or SIGKILL at any instant) finds the previous
    file or the new one, whole. ``path`` may be new, or a stance model file (or a legacy ``.joblib``,
    whose manifest beside it is then removed); anything else is refused (see
    :mod:`stance.persist.targets`).

    Parameters
    ----------
    model : estimator
        A fitted classifier with ``classes_`` and ``predict_proba`` on texts.
    path : path-like
        The file to write; any name (``.stance`` by convention).
    task : str
        Task name (``"topic"``, ``"stance"``, or the user's own).
    data : mapping of str to str, optional
        Training data files (as given) to their sha256 (see :func:`stance.files.sha256_of`).
    metrics : mapping, optional
        Cross-validated metrics to record.
    extra : mapping, optional
        More manifest fields (data description, counts, notes); they may not replace the core fields.
    payload : {"skops", "joblib"}, default="skops"
        ``"skops"`` loads without trust when the model holds only allowed types; ``"joblib"`` (a pickle,
        for models skops cannot write) loads only with ``trusted=True``.

    Returns
    -------
    dict
        The manifest written.
    """
    return _save(model, Path(path), task=task, data=data, metrics=metrics, extra=extra, payload=payload, created=None)


def _save(model: Any, path: Path, *, task: str, data: Mapping[str, str] | None, metrics: Mapping[str, Any] | None,
          extra: Mapping[str, Any] | None, payload: str, created: str | None) -> dict[str, Any]:
    previous = check_target(path)
    labels = check_classifier(model, None, "model to save")
    if payload not in ("skops", "joblib"):
        raise ValueError(f"payload must be 'skops' or 'joblib', got {payload!r}")
    body = dumps(model) if payload == "skops" else _pickle(model)
    versions = library_versions()
    if payload == "skops":
        import skops

        versions["skops"] = skops.__version__
    manifest = build(
        model, task=task, labels=labels, versions=versions, data=data, metrics=metrics, extra=extra,
        created=created, payload={"format": payload, "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)},
    )
    raw = to_bytes(manifest)
    parse(raw, str(path))  # never write a manifest this stance would refuse
    atomic_write(path, pack(raw, body))
    if previous == "legacy":
        legacy.remove_manifest(path)
    return manifest


def _checked_payload(payload: bytes, manifest: Mapping[str, Any], where: str) -> bytes:
    declared = manifest["payload"]
    actual = hashlib.sha256(payload).hexdigest()
    if actual != declared["sha256"] or declared.get("bytes", len(payload)) != len(payload):
        raise ArtefactError(
            f"{where}: checksum mismatch (manifest {declared['sha256'][:12]}…, {declared.get('bytes')} bytes; "
            f"payload {actual[:12]}…, {len(payload)} bytes): the file is truncated, corrupted or not the one "
            "the manifest describes"
        )
    return payload


def load(path: str | os.PathLike, *, trusted: bool = False) -> Any:
    """Load a model saved by :func:`save` (or by stance < 0.2), after checking it, from one read of the file.

    The file is opened once (a regular file of at most 1 GiB; a FIFO or device is refused without
    reading) and read whole; every decision below is made on those bytes, which are the bytes then
    deserialised (replacing the file, or a symbolic link to it, meanwhile changes nothing).

    - One-file format: the manifest is checked (schema, every field), then the payload's sha256; a skops
      payload is rebuilt by a strict reader that refuses every type outside
      :data:`stance.persist.allowed.ALLOWED_TYPES` unless ``trusted=True``; a joblib payload needs
      ``trusted=True``.
    - A legacy ``.joblib`` with its ``.json`` manifest needs ``trusted=True`` (a pickle).

    Last, the object is checked: a fitted classifier with ``predict_proba`` whose labels are the
    manifest's, and that classifies a test sentence.

    Parameters
    ----------
    path : path-like
        The model file.
    trusted : bool, default=False
        Allow what can run code: pickles, and skops types outside the list. The checksum still has to match.

    Returns
    -------
    estimator

    Raises
    ------
    UntrustedArtefactError
        The file needs ``trusted=True``; nothing of it was deserialised.
    ArtefactError
        Missing, not a regular file, too large, truncated, corrupted, of an unsupported format or schema,
        a manifest field of the wrong type, a checksum mismatch, or an object that is not a fitted
        classifier with the declared labels.
    """
    path = Path(path)
    where = str(path)
    data = read_file(path)
    if is_container(data):
        raw, payload = unpack(data, where)
        manifest = parse(raw, where)
        _checked_payload(payload, manifest, where)
        warn_on_versions(manifest, where)
        if manifest["payload"]["format"] == "skops":
            model = loads_trusted(payload, where) if trusted else loads_allowed(payload, where)
        elif trusted:
            model = legacy.unpickle(payload, where)
        else:
            raise UntrustedArtefactError(f"{where}: refusing to load its payload: {_PICKLE}")
    else:
        manifest = legacy.read_manifest(path)
        if not trusted:
            raise UntrustedArtefactError(
                f"{where}: refusing to load a model saved by stance < 0.2 (joblib): {_PICKLE}; then convert it "
                f"once to the safe format: stance info {path.name} --trusted --convert NEW{SUFFIX}"
            )
        warn_on_versions(manifest, where)
        model = legacy.unpickle(_checked_payload(data, manifest, where), where)
    check_classifier(model, manifest.get("labels"), where)
    return model


def read_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """The checked manifest of a model file, read without reading or deserialising the payload (for a
    legacy ``.joblib``, the ``.json`` beside it; the legacy manifest's path works too).

    Raises
    ------
    ArtefactError
        As :func:`load` for the header and manifest.
    """
    head = read_head(path)
    if head is not None:
        return parse(head, str(path))
    return legacy.read_manifest(path)


def audit(path: str | os.PathLike) -> list[str]:
    """What loading ``path`` without trust would refuse: empty for a file that loads without ``trusted=True``,
    else the reasons (types outside the list, or a pickle). Reads the file once, deserialises nothing."""
    path = Path(path)
    data = read_file(path)
    if not is_container(data):
        legacy.read_manifest(path)
        return ["a pickle (model saved by stance < 0.2)"]
    raw, payload = unpack(data, str(path))
    manifest = parse(raw, str(path))
    _checked_payload(payload, manifest, str(path))
    if manifest["payload"]["format"] != "skops":
        return ["a pickle (joblib payload)"]
    return disallowed(payload, str(path))


def convert_legacy(path: str | os.PathLike, out: str | os.PathLike, *, trusted: bool = False) -> dict[str, Any]:
    """Rewrite a model saved by stance < 0.2 (``.joblib`` + ``.json``) as one file in the safe format,
    keeping its manifest's task, data hashes, metrics and other fields (the old file is left as it is).

    ``trusted=True`` is required: the old file is a pickle. Returns the new manifest.
    """
    if not trusted:
        raise UntrustedArtefactError(f"{path}: converting means loading it first, and {_PICKLE}")
    old = legacy.read_manifest(path)
    model = load(path, trusted=True)
    extra = {k: v for k, v in old.items() if k not in CORE_FIELDS}
    extra["converted_from"] = {"file": Path(path).name, "sha256": old["payload"]["sha256"],
                               "created": old.get("created"), "versions": old.get("versions")}
    created = old.get("created") if isinstance(old.get("created"), str) else None
    return _save(model, Path(out), task=old.get("task") or "custom", data=old.get("data"), metrics=old.get("metrics"),
                 extra=extra, payload="skops", created=created)
