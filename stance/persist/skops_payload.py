"""Payloads in the skops format: written with skops, read without trust by a strict reader of that format.

:func:`dumps` writes a model with :func:`skops.io.dumps` (a zip: ``schema.json``, the object tree, and one
``.npy`` file per array). Two readers:

- :func:`loads_allowed`, the default: a small reader of skops' format (protocol 2) that rebuilds only the
  node kinds a stance model needs (objects, dicts, lists, tuples, JSON scalars, numpy arrays of non-object
  dtypes, types and functions by name) and only the types of :data:`stance.persist.allowed.ALLOWED_TYPES`.
  It first walks the whole tree without importing or building anything (:func:`disallowed`); a file that
  names anything else, or a node kind it does not know, raises :class:`UntrustedArtefactError` listing
  them. No pickle is read (arrays are read with ``allow_pickle=False``, after checking that their header
  matches their bytes), no function is called but the listed classes' ``__new__`` and ``__setstate__``, and
  the sizes it unpacks are bounded. It imports no more than the listed classes need, which keeps a cold
  start fast (``import skops.io`` alone imports all of scikit-learn: about a second).
- :func:`loads_trusted`: :func:`skops.io.loads` trusting every type the file names (``trusted=True``).

Examples
--------
>>> from stance.estimators.text_classifier import TextClassifier
>>> m = TextClassifier(min_df=1, calibration_folds=2).fit(["a b", "c d", "a e", "c f"], ["x", "y", "x", "y"])
>>> data = dumps(m)
>>> disallowed(data, "m")
[]
>>> loads_allowed(data, "m").predict(["a"]).tolist()
['x']
"""

from __future__ import annotations

import importlib
import math
import io
import json
import types
import zipfile
from typing import Any

import numpy as np

from .allowed import CLASSES, FUNCTIONS, VALUES
from .errors import ArtefactError, UntrustedArtefactError

__all__ = ["MAX_DEPTH", "MAX_UNPACKED_BYTES", "PROTOCOL", "disallowed", "dumps", "loads_allowed", "loads_trusted"]

PROTOCOL = 2
"""The skops protocol :func:`loads_allowed` reads."""
MAX_UNPACKED_BYTES = 1 << 30
"""Most bytes the entries of a payload may unpack to (1 GiB; the shipped topic model unpacks to 19 MB)."""
MAX_DEPTH = 64
"""Deepest nesting of the object tree (the shipped models: 14 nodes deep)."""

_SCALARS = {f"builtins.{t.__name__}": t for t in (str, int, float, bool, dict, list, tuple)}
_SCALARS["builtins.NoneType"] = type(None)
_CONTAINERS = {"DictNode": "builtins.dict", "ListNode": "builtins.list", "TupleNode": "builtins.tuple"}


def dumps(model: Any) -> bytes:
    """``model`` in skops' format (deflate-compressed zip); ValueError if skops cannot write it."""
    import skops.io

    try:
        data = skops.io.dumps(model, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    except Exception as e:  # noqa: BLE001 - skops raises several kinds for objects it cannot write
        raise ValueError(
            f"this model cannot be written in the safe format ({type(e).__name__}: {e}); "
            "save(..., payload='joblib') writes a pickle, which loads only with trusted=True"
        ) from e
    opened = _Payload(data, "model to save")
    inline = sorted(name for name in opened.disallowed() if "<" in name)
    if inline:
        raise ValueError(f"this model refers to functions that cannot be loaded back by name ({', '.join(inline)}): "
                         "use functions defined at the top level of a module")
    protocol = opened.protocol
    if protocol != PROTOCOL:
        raise ValueError(f"skops {skops.__version__} writes protocol {protocol}; this stance reads protocol "
                         f"{PROTOCOL} without trust: install a skops that writes it")
    return data


def loads_trusted(payload: bytes, where: str) -> Any:
    """Deserialise with :func:`skops.io.loads`, trusting every type the file names."""
    import skops.io

    try:
        return skops.io.loads(payload, trusted=skops.io.get_untrusted_types(data=payload))
    except Exception as e:  # noqa: BLE001 - any failure means an unusable payload
        raise ArtefactError(f"{where}: cannot load the model ({type(e).__name__}: {e})") from None


class _Payload:
    """An opened payload: its zip entries (bounded), its schema, and the walk over its nodes."""

    def __init__(self, payload: bytes, where: str) -> None:
        self.where = where
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(payload))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            raise self.error(f"payload is not a skops file ({e})") from None
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise self.error("payload has repeated entry names")
        if any(i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for i in infos):
            raise self.error("payload uses a compression other than deflate")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED_BYTES:
            raise self.error(f"payload would unpack to {total} bytes, more than {MAX_UNPACKED_BYTES}")
        self.names = set(names)
        if "schema.json" not in self.names:
            raise self.error("payload has no schema.json")
        try:
            schema = json.loads(self.read("schema.json"))
        except RecursionError:
            raise self.error("payload schema is nested too deeply") from None
        except ValueError as e:
            raise self.error(f"payload schema is not valid JSON ({e})") from None
        if not isinstance(schema, dict):
            raise self.error("payload schema is not a JSON object")
        protocol = schema.get("protocol")
        self.protocol = protocol if type(protocol) is int else None
        self.schema = schema
        self.memo: dict[int, Any] = {}

    def error(self, problem: str) -> ArtefactError:
        return ArtefactError(f"{self.where}: {problem}")

    def read(self, name: str) -> bytes:
        try:
            return self.zip.read(name)
        except Exception as e:  # noqa: BLE001 - bad CRC, truncated stream, encrypted entry...
            raise self.error(f"payload entry {name!r} cannot be read ({type(e).__name__}: {e})") from None

    # -- the walk: no import, nothing built ------------------------------------------------------------

    def disallowed(self) -> set[str]:
        """What the tree names that is not allowed (as ``module.name``, or the node kind)."""
        found: set[str] = set() if self.protocol == PROTOCOL else {f"skops protocol {self.protocol!r} (reads {PROTOCOL})"}
        stack: list[tuple[Any, int]] = [(self.schema, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise self.error(f"payload object tree is deeper than {MAX_DEPTH} levels")
            stack.extend((child, depth + 1) for child in self._children(node, found))
        return found

    def _children(self, node: Any, found: set[str]) -> list[Any]:
        if not isinstance(node, dict) or not all(isinstance(node.get(k), str) for k in
                                                  ("__loader__", "__module__", "__class__")):
            raise self.error("payload schema has a node without __loader__, __module__ and __class__")
        loader, name = node["__loader__"], f"{node['__module__']}.{node['__class__']}"
        if "__id__" in node and type(node["__id__"]) is not int:
            raise self.error("payload schema has a node whose __id__ is not a number")
        if loader == "ObjectNode":
            if name not in CLASSES:
                found.add(name)
            return [node["content"]] if node.get("content") is not None else []
        if loader in ("FunctionNode", "TypeNode"):
            if name not in (FUNCTIONS if loader == "FunctionNode" else VALUES):
                found.add(name)
            return []
        if loader == "JsonNode":
            if name not in VALUES or not isinstance(node.get("content"), str):
                raise self.error(f"payload schema has a malformed JSON value ({name})")
            return []
        if loader == "CachedNode":
            if type(node.get("__id__")) is not int:
                raise self.error("payload schema has a reference without an __id__")
            return []
        if loader == "NdArrayNode":
            if node.get("type") != "numpy":
                found.add(f"arrays of Python objects ({name})")
                return []
            if name not in VALUES or not name.startswith("numpy."):
                found.add(name)
            if node.get("file") not in self.names:
                raise self.error(f"payload array names a missing entry {node.get('file')!r}")
            return []
        if loader in _CONTAINERS:
            if name != _CONTAINERS[loader]:
                found.add(name)
            content = node.get("content")
            if loader == "DictNode":
                if not isinstance(content, dict) or "key_types" not in node:
                    raise self.error("payload schema has a malformed dict")
                return [node["key_types"], *content.values()]
            if not isinstance(content, list):
                raise self.error(f"payload schema has a malformed {_CONTAINERS[loader][9:]}")
            return content
        found.add(f"{loader} ({name})")
        return []

    # -- building, once the walk found nothing disallowed --------------------------------------------

    def build(self, node: dict) -> Any:
        key = node.get("__id__")
        if node["__loader__"] == "CachedNode" or key in self.memo:
            if key not in self.memo or self.memo[key] is _BUILDING:
                raise self.error("payload refers to an object before it is complete (a cycle or a dangling id)")
            return self.memo[key]
        if key is not None:
            self.memo[key] = _BUILDING
        value = getattr(self, "_" + node["__loader__"])(node)
        if key is not None:
            self.memo[key] = value
        return value

    def _resolve(self, name: str) -> Any:
        if name in _SCALARS:
            return _SCALARS[name]
        module, _, attr = name.rpartition(".")
        return getattr(importlib.import_module(module), attr)

    def _ObjectNode(self, node: dict) -> Any:
        cls = self._resolve(f"{node['__module__']}.{node['__class__']}")
        instance = cls.__new__(cls)
        attrs = self.build(node["content"]) if node.get("content") is not None else None
        if attrs is None:
            return instance
        if hasattr(instance, "__setstate__"):
            instance.__setstate__(attrs)
        elif isinstance(attrs, dict):
            instance.__dict__.update(attrs)
        else:
            raise self.error(f"payload gives {node['__class__']} attributes that are not a dict")
        return instance

    def _FunctionNode(self, node: dict) -> Any:
        func = self._resolve(f"{node['__module__']}.{node['__class__']}")
        if not isinstance(func, types.FunctionType):
            raise self.error(f"payload function {node['__class__']} is not a function")
        return func

    def _TypeNode(self, node: dict) -> Any:
        return self._resolve(f"{node['__module__']}.{node['__class__']}")

    def _JsonNode(self, node: dict) -> Any:
        value = json.loads(node["content"])
        if value is not None and type(value) not in (str, int, float, bool):
            raise self.error("payload has a JSON value that is not a scalar")
        return value

    def _DictNode(self, node: dict) -> dict:
        key_types = self.build(node["key_types"])
        content = node["content"]
        if not isinstance(key_types, list) or len(key_types) != len(content) or \
                not all(t in (str, int, float) for t in key_types):
            raise self.error("payload has a dict whose key types do not match its keys")
        return {t(k): self.build(v) for t, (k, v) in zip(key_types, content.items())}

    def _ListNode(self, node: dict) -> list:
        return [self.build(v) for v in node["content"]]

    def _TupleNode(self, node: dict) -> tuple:
        return tuple(self.build(v) for v in node["content"])

    def _NdArrayNode(self, node: dict) -> Any:
        raw = self.read(node["file"])
        buffer = io.BytesIO(raw)
        try:
            version = np.lib.format.read_magic(buffer)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
                np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(buffer)
        except Exception as e:  # noqa: BLE001 - numpy raises ValueError, SyntaxError...
            raise self.error(f"payload array {node['file']!r} has a bad header ({e})") from None
        count = math.prod(shape)
        if dtype.hasobject or min(shape, default=0) < 0 or count * dtype.itemsize != len(raw) - buffer.tell():
            raise self.error(f"payload array {node['file']!r}: its header does not match its bytes")
        array = np.frombuffer(raw, dtype=dtype, count=count, offset=buffer.tell()).reshape(
            shape, order="F" if fortran else "C").copy(order="K")
        if node["__class__"] != "ndarray":
            return getattr(np, node["__class__"])(array)
        return array


_BUILDING = object()


def disallowed(payload: bytes, where: str) -> list[str]:
    """What a skops payload names outside :data:`stance.persist.allowed.ALLOWED_TYPES` (sorted; empty when
    it loads without trust); :class:`ArtefactError` if it is not a well-formed payload."""
    return sorted(_Payload(payload, where).disallowed())


def loads_allowed(payload: bytes, where: str) -> Any:
    """Rebuild the model of a skops payload that names only allowed types (see the module docstring).

    Raises
    ------
    UntrustedArtefactError
        The payload names types outside the list, or node kinds this reader does not rebuild.
    ArtefactError
        The payload is malformed, or rebuilding it failed.
    """
    opened = _Payload(payload, where)
    found = opened.disallowed()
    if found:
        raise UntrustedArtefactError(
            f"{where}: the model holds types that are not on stance's list of safe types ({', '.join(sorted(found))}); "
            "loading it would run their code: pass trusted=True (CLI --trusted) only if you trust where the file "
            "comes from"
        )
    try:
        return opened.build(opened.schema)
    except ArtefactError:
        raise
    except Exception as e:  # noqa: BLE001 - a crafted tree can make a listed class's __setstate__ fail
        raise ArtefactError(f"{where}: cannot rebuild the model ({type(e).__name__}: {e})") from None
