"""Models saved by stance < 0.2: a joblib payload (a pickle) with its manifest beside it.

``model.joblib`` held the estimator and ``model.json`` (same stem) its manifest, schema version 1. They
still load, with ``trusted=True`` only: unpickling runs whatever code the file names.
:func:`stance.persist.convert_legacy` rewrites one in the one-file format.

Examples
--------
>>> manifest_path("models/m.joblib").as_posix()
'models/m.json'
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import Any

from .container import MAX_MANIFEST_BYTES, read_file
from .errors import ArtefactError
from .manifest import parse

__all__ = ["is_legacy", "manifest_path", "read_manifest", "remove_manifest", "unpickle"]


def manifest_path(path: str | os.PathLike) -> Path:
    """The manifest of a legacy payload: same folder and stem, ``.json`` suffix."""
    return Path(path).with_suffix(".json")


def read_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """The checked manifest beside a legacy payload (or the manifest itself); :class:`ArtefactError` if it
    is missing, not a regular file, larger than 1 MiB, not JSON or not a valid schema-1 manifest."""
    mpath = manifest_path(path)
    if not os.path.lexists(mpath):
        raise ArtefactError(
            f"{path}: not a stance model file: it does not start with the stance header, and has no manifest "
            f"{mpath.name} beside it as models saved by stance < 0.2 have"
        )
    return parse(read_file(mpath, limit=MAX_MANIFEST_BYTES, what="manifest"), str(mpath), legacy=True)


def is_legacy(path: Path) -> bool:
    """Whether ``path`` has a valid legacy manifest beside it that names it (so stance wrote it)."""
    mpath = manifest_path(path)
    if mpath == path:
        return False
    try:
        file = read_manifest(path)["payload"].get("file")
    except ArtefactError:
        return False
    return file in (None, path.name)


def remove_manifest(path: Path) -> None:
    """Remove the legacy manifest of ``path`` once a one-file model has replaced the legacy payload."""
    if is_legacy(path):
        try:
            manifest_path(path).unlink()
        except OSError:
            pass


def unpickle(data: bytes, where: str) -> Any:
    """The object pickled (by joblib) in ``data``: runs the code the pickle names. Callers check trust."""
    import joblib

    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*Trying to unpickle estimator.*")
            return joblib.load(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - any unpickling failure means an unusable artefact
        raise ArtefactError(f"{where}: cannot load the model ({type(e).__name__}: {e})") from None
