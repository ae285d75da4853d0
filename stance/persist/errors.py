"""The errors of saving and loading models.

Examples
--------
>>> issubclass(UntrustedArtefactError, ArtefactError), issubclass(ArtefactError, ValueError)
(True, True)
>>> issubclass(UnsafeOutputError, ValueError)
True
"""

from __future__ import annotations

__all__ = ["ArtefactError", "UnsafeOutputError", "UntrustedArtefactError"]


class ArtefactError(ValueError):
    """A model file that cannot be used: missing, not a regular file, too large, truncated, corrupted, of an
    unsupported format or schema version, or holding something that is not a fitted classifier with the
    labels its manifest declares. The message starts with the file."""


class UntrustedArtefactError(ArtefactError):
    """Loading the file would need code or types that only a trusted file may bring: a pickle (``.joblib``
    payload, or a model saved by stance < 0.2), or a skops payload with types outside
    :data:`stance.persist.allowed.ALLOWED_TYPES`. ``trusted=True`` (CLI ``--trusted``) loads it."""


class UnsafeOutputError(ValueError):
    """Writing a model (or its card) there could destroy data: the path is a folder, an input file, inside
    an input folder, or an existing file that stance did not write. Nothing was written."""
