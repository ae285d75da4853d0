"""Manifests: what a model file says about itself, written by :func:`build` and checked by :func:`parse`.

A manifest is untrusted input until checked: :func:`parse` takes bounded bytes (the container caps them
at 1 MiB), refuses what is not UTF-8 JSON, nested deeper than Python's JSON reader goes, or not an
object, and validates every field it knows (type, shape, value) with an :class:`ArtefactError` naming the
file and the field. Schema version 2 is the manifest of the one-file format; version 1 is the manifest
beside a model saved by stance < 0.2 (``model.json`` next to ``model.joblib``), read with fewer
required fields.

Examples
--------
>>> m = parse(b'{"schema_version": 1, "payload": {"sha256": "' + b"0" * 64 + b'"}}', "m.json", legacy=True)
>>> m["payload"]["sha256"][:4]
'0000'
>>> parse(b'{"schema_version": 2, "versions": "1.0"}', "m.stance")
Traceback (most recent call last):
...
stance.persist.errors.ArtefactError: m.stance: manifest field 'task' is missing
"""

from __future__ import annotations

import json
import platform
import re
import warnings
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from ..files import to_jsonable
from .errors import ArtefactError

__all__ = ["CORE_FIELDS", "LEGACY_SCHEMA_VERSION", "PAYLOAD_FORMATS", "SCHEMA_VERSION", "build", "library_versions", "parse",
           "to_bytes", "warn_on_versions"]

SCHEMA_VERSION = 2
"""Version of the manifest written by :func:`build`."""
LEGACY_SCHEMA_VERSION = 1
"""Version of the manifests of models saved by stance < 0.2 (a ``.json`` file beside a ``.joblib``)."""
PAYLOAD_FORMATS = ("skops", "joblib")
"""How a payload is serialised: skops (loads without trust if its types are allowed) or joblib (a pickle)."""

CORE_FIELDS = ("schema_version", "task", "estimator", "steps", "params", "labels", "versions", "created", "payload",
               "data", "metrics")
"""The fields :func:`build` sets itself (``extra`` may not replace them)."""

_SHA256 = re.compile(r"[0-9a-f]{64}")


def library_versions() -> dict[str, str]:
    """Versions of Python, stance and the libraries a model's classes come from."""
    import numpy
    import scipy
    import sklearn

    from .. import __version__

    return {
        "stance": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
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
        "params": to_jsonable(final.get_params(deep=True)) if hasattr(final, "get_params") else {},
    }
    if final is not model:
        out["steps"] = [[name, _class_path(step)] for name, step in steps]
    return out


def build(
    model: Any,
    *,
    task: str,
    labels: list[str],
    payload: Mapping[str, Any],
    versions: Mapping[str, str],
    data: Mapping[str, str] | None = None,
    metrics: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
    created: str | None = None,
) -> dict[str, Any]:
    """The manifest of ``model`` (schema :data:`SCHEMA_VERSION`); ``extra`` fields may not replace core ones.
    ``created`` (ISO 8601) defaults to now."""
    clash = sorted(set(extra or {}) & set(CORE_FIELDS))
    if clash:
        raise ValueError(f"extra manifest fields {clash} would replace fields the manifest sets itself")
    return {
        "schema_version": SCHEMA_VERSION,
        "task": task,
        **_describe(model),
        "labels": labels,
        "versions": dict(versions),
        "created": created or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "payload": dict(payload),
        "data": dict(data or {}),
        "metrics": to_jsonable(dict(metrics or {})),
        **to_jsonable(dict(extra or {})),
    }


def to_bytes(manifest: Mapping[str, Any]) -> bytes:
    """The manifest as indented UTF-8 JSON (NaN refused: :func:`stance.files.to_jsonable` makes it null)."""
    return (json.dumps(manifest, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


# ------------------------------------------------------------------------------------------- checking


def _fail(where: str, problem: str) -> ArtefactError:
    return ArtefactError(f"{where}: {problem}")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _field(m: Mapping[str, Any], name: str, where: str, check: Callable[[Any], bool], want: str,
           *, required: bool) -> Any:
    if name not in m:
        if required:
            raise _fail(where, f"manifest field {name!r} is missing")
        return None
    value = m[name]
    if not check(value):
        raise _fail(where, f"manifest field {name!r} must be {want}, got {_kind(value)}: {_short(value)}")
    return value


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _str_map(check_value: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, dict) and all(isinstance(k, str) and check_value(x) for k, x in v.items())


def _is_labels(v: Any) -> bool:
    return (isinstance(v, list) and bool(v) and all(isinstance(x, str) and x for x in v)
            and len(set(v)) == len(v))


def _is_sha(v: Any) -> bool:
    return isinstance(v, str) and _SHA256.fullmatch(v) is not None


def _is_steps(v: Any) -> bool:
    return isinstance(v, list) and all(
        isinstance(s, list) and len(s) == 2 and all(isinstance(x, str) for x in s) for s in v
    )


def _validate_payload(p: Mapping[str, Any], where: str, *, legacy: bool) -> None:
    _field(p, "sha256", where, _is_sha, "64 lower-case hexadecimal digits", required=True)
    _field(p, "bytes", where, lambda v: _is_int(v) and v >= 0, "a whole number >= 0", required=not legacy)
    if legacy:
        _field(p, "file", where, lambda v: isinstance(v, str), "a file name", required=False)
    else:
        _field(p, "format", where, lambda v: v in PAYLOAD_FORMATS, f"one of {list(PAYLOAD_FORMATS)}", required=True)


def _validate(m: dict[str, Any], where: str, *, legacy: bool) -> dict[str, Any]:
    want = LEGACY_SCHEMA_VERSION if legacy else SCHEMA_VERSION
    version = m.get("schema_version")
    if not _is_int(version) or version != want:
        what = "a manifest beside a .joblib model (stance < 0.2)" if legacy else "a model file's manifest"
        raise _fail(where, f"schema version {version!r} is not supported by this stance for {what} (reads {want}); "
                           "upgrade stance or retrain the model")
    strict = not legacy
    _field(m, "task", where, lambda v: isinstance(v, str) and bool(v), "a non-empty string", required=strict)
    _field(m, "estimator", where, lambda v: isinstance(v, str), "a string", required=strict)
    _field(m, "steps", where, _is_steps, "a list of [name, class] pairs", required=False)
    _field(m, "params", where, lambda v: isinstance(v, dict), "an object", required=False)
    _field(m, "labels", where, _is_labels, "a non-empty list of distinct non-empty strings", required=strict)
    _field(m, "versions", where, _str_map(lambda x: isinstance(x, str)), "an object of name: version string",
           required=strict)
    _field(m, "created", where, lambda v: isinstance(v, str), "a string", required=False)
    payload = _field(m, "payload", where, lambda v: isinstance(v, dict), "an object", required=True)
    _validate_payload(payload, where, legacy=legacy)
    _field(m, "data", where, _str_map(_is_sha), "an object of file name: sha256", required=False)
    _field(m, "metrics", where, lambda v: isinstance(v, dict), "an object", required=False)
    _field(m, "n_examples", where, lambda v: _is_int(v) and v >= 0, "a whole number >= 0", required=False)
    _field(m, "label_counts", where, _str_map(lambda x: _is_int(x) and x >= 0), "an object of label: count",
           required=False)
    _field(m, "data_description", where, lambda v: isinstance(v, str), "a string", required=False)
    return m


def parse(data: bytes, where: str, *, legacy: bool = False) -> dict[str, Any]:
    """Decode and validate a manifest's bytes; :class:`ArtefactError` naming ``where`` and the problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _fail(where, f"manifest is not valid UTF-8 ({e.reason} at byte {e.start})") from None
    try:
        manifest = json.loads(text)
    except RecursionError:
        raise _fail(where, "manifest is nested too deeply to be a manifest") from None
    except ValueError as e:  # JSONDecodeError, and int() of a number with too many digits
        raise _fail(where, f"manifest is not valid JSON ({e})") from None
    if not isinstance(manifest, dict):
        raise _fail(where, f"manifest must be a JSON object, got {_kind(manifest)}")
    return _validate(manifest, where, legacy=legacy)


def warn_on_versions(manifest: Mapping[str, Any], where: str) -> None:
    """Warn when the model was saved with another scikit-learn or numpy (major.minor) than the running one."""
    saved = manifest.get("versions") or {}
    current = library_versions()
    for lib in ("scikit-learn", "numpy"):
        if saved.get(lib) and saved[lib].split(".")[:2] != current[lib].split(".")[:2]:
            warnings.warn(
                f"{where}: saved with {lib} {saved[lib]}, running {current[lib]}; predictions may differ or "
                "loading may fail; retrain with `stance train` if they do",
                UserWarning,
                stacklevel=3,
            )
