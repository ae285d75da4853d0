"""Saving and loading trained models: a joblib payload plus a JSON manifest beside it.

``model.joblib`` holds the estimator; ``model.json`` (same stem) is its manifest: the schema version
of this format, the library versions it was made with, the task, the label set, the parameters, the
sha256 of the training data and of the payload, and cross-validated metrics.

joblib files are pickles, and unpickling a file can run code. :func:`load` therefore refuses a file
that is not one of the package's own shipped models unless the caller says ``trusted=True``; it
checks the manifest (schema version, payload sha256) before unpickling anything and warns when the
library versions differ from those the model was saved with.

Examples
--------
>>> import tempfile, pathlib
>>> from stance.estimators.text_classifier import TextClassifier
>>> m = TextClassifier(min_df=1, calibration_folds=2).fit(["a b", "c d", "a e", "c f"], ["x", "y", "x", "y"])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "m.joblib"
>>> manifest = save(m, path, task="demo")
>>> manifest["labels"]
['x', 'y']
>>> load(path, trusted=True).predict(["a"]).tolist()
['x']
"""

from __future__ import annotations

import io
import json
import os
import platform
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

import joblib

from .files import atomic_write, sha256_file, to_jsonable

__all__ = [
    "SCHEMA_VERSION",
    "ArtefactError",
    "UntrustedArtefactError",
    "save",
    "load",
    "read_manifest",
    "manifest_path",
    "library_versions",
]

SCHEMA_VERSION = 1
"""Version of the artefact format written by :func:`save`. Loading accepts versions 1..SCHEMA_VERSION."""

PRETRAINED = Path(__file__).resolve().parent / "pretrained"
"""The folder of the shipped models (:func:`load` trusts the files in it)."""


class ArtefactError(ValueError):
    """A model file that cannot be loaded: missing, truncated, corrupted or incompatible."""


class UntrustedArtefactError(ArtefactError):
    """Loading would unpickle a file that is not one of the package's own without ``trusted=True``."""


def manifest_path(path: str | os.PathLike) -> Path:
    """The manifest that goes with a payload: same folder and stem, ``.json`` suffix."""
    return Path(path).with_suffix(".json")


def library_versions() -> dict[str, str]:
    """Versions of Python and of the libraries a pickled model depends on."""
    import numpy
    import scipy
    import sklearn

    from . import __version__

    return {
        "stance": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
    }


def _class_path(obj: Any) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def _describe(model: Any) -> dict[str, Any]:
    """``estimator`` (class path), ``params`` (of the final estimator, for a pipeline) and, for a pipeline,
    ``steps`` (name and class path of each step)."""
    steps = getattr(model, "steps", None)
    final = steps[-1][1] if isinstance(steps, list) and steps else model
    out: dict[str, Any] = {
        "estimator": _class_path(model),
        "params": to_jsonable(final.get_params(deep=False)) if hasattr(final, "get_params") else {},
    }
    if final is not model:
        out["steps"] = [[name, _class_path(step)] for name, step in steps]
    return out


def save(
    model: Any,
    path: str | os.PathLike,
    *,
    task: str,
    data: Mapping[str, str] | None = None,
    metrics: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
    compress: int = 3,
) -> dict[str, Any]:
    """Write ``model`` to ``path`` (joblib) and its manifest beside it, each atomically.

    Parameters
    ----------
    model : estimator
        A fitted estimator with ``classes_`` and ``get_params``.
    path : path-like
        Payload file, conventionally ``*.joblib``; the manifest goes to the same stem with ``.json``.
    task : str
        Task name (``"topic"``, ``"stance"``, or the user's own).
    data : mapping of str to str, optional
        Training data files (as given) to their sha256 (see :func:`sha256_file`).
    metrics : mapping, optional
        Cross-validated metrics to record.
    extra : mapping, optional
        More manifest fields (data description, notes).
    compress : int, default=3
        joblib compression level.

    Returns
    -------
    dict
        The manifest written.
    """
    path = Path(path)
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=compress)
    atomic_write(path, buffer.getvalue())
    manifest: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "task": task,
        **_describe(model),
        "labels": [str(c) for c in getattr(model, "classes_", [])],
        "versions": library_versions(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "payload": {"file": path.name, "sha256": sha256_file(path), "bytes": path.stat().st_size},
        "data": dict(data or {}),
        "metrics": to_jsonable(dict(metrics or {})),
        **to_jsonable(dict(extra or {})),
    }
    atomic_write(manifest_path(path), json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def read_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """Read and check the manifest of a payload (or the manifest file itself).

    Raises
    ------
    ArtefactError
        The manifest is missing, not JSON, or of a schema version this library cannot read.
    """
    mpath = manifest_path(path)
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArtefactError(f"{mpath}: manifest not found; a model file needs its manifest beside it") from None
    except OSError as e:
        raise ArtefactError(f"{mpath}: manifest cannot be read ({e.strerror or type(e).__name__})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ArtefactError(f"{mpath}: manifest is not valid JSON ({e})") from None
    if not isinstance(manifest, dict):
        raise ArtefactError(f"{mpath}: manifest must be a JSON object")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
        raise ArtefactError(
            f"{mpath}: schema version {version!r} is not supported by this stance "
            f"(reads 1..{SCHEMA_VERSION}); upgrade stance or retrain the model"
        )
    payload = manifest.get("payload")
    if not isinstance(payload, dict) or not isinstance(payload.get("sha256"), str):
        raise ArtefactError(f"{mpath}: manifest has no payload sha256")
    return manifest


def _is_package_model(path: Path) -> bool:
    try:
        return path.resolve().parent == PRETRAINED
    except OSError:
        return False


def load(path: str | os.PathLike, *, trusted: bool = False) -> Any:
    """Load a model saved by :func:`save`, after checking its manifest and checksum.

    Parameters
    ----------
    path : path-like
        The payload (``*.joblib``).
    trusted : bool, default=False
        Unpickling runs code chosen by whoever made the file. The package's own models load without
        it; any other file needs ``trusted=True``, which says you know where it comes from.

    Returns
    -------
    estimator

    Raises
    ------
    UntrustedArtefactError
        A file that is not one of the package's own, without ``trusted=True``.
    ArtefactError
        Missing, truncated or corrupted file, checksum mismatch, unsupported schema version, or a
        payload that cannot be unpickled with the installed libraries.
    """
    path = Path(path)
    if not path.is_file():
        raise ArtefactError(f"{path}: model file not found")
    manifest = read_manifest(path)
    if not trusted and not _is_package_model(path):
        raise UntrustedArtefactError(
            f"{path}: refusing to unpickle a model file that is not one of stance's own. joblib files "
            "can run code when loaded; pass trusted=True (CLI: --trusted) only for files you trust"
        )
    try:
        actual = sha256_file(path)
    except OSError as e:
        raise ArtefactError(f"{path}: model file cannot be read ({e.strerror or type(e).__name__})") from None
    if actual != manifest["payload"]["sha256"]:
        raise ArtefactError(
            f"{path}: checksum mismatch (manifest {manifest['payload']['sha256'][:12]}…, file "
            f"{actual[:12]}…): the file is truncated, corrupted or not the one the manifest describes"
        )
    saved = manifest.get("versions", {})
    current = library_versions()
    for lib in ("scikit-learn", "numpy"):
        if saved.get(lib) and saved[lib].split(".")[:2] != current[lib].split(".")[:2]:
            warnings.warn(
                f"{path}: saved with {lib} {saved[lib]}, running {current[lib]}; predictions may "
                "differ or loading may fail — retrain with `stance train` if they do",
                UserWarning,
                stacklevel=2,
            )
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*Trying to unpickle estimator.*")
            return joblib.load(path)
    except Exception as e:  # noqa: BLE001 - any unpickling failure means an unusable artefact
        raise ArtefactError(f"{path}: cannot load the model ({type(e).__name__}: {e})") from e
