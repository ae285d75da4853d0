"""What a Python function computes, as a short digest: how the accelerators know the code they stand for.

A compiled accelerator is exact only for the code it was written and tested against. :func:`fingerprint`
digests a function's source (its tokens, without comments: the same on every Python version) and default
arguments together with every module-level value it reads (regular expressions by pattern and flags, character sets and tables by content, the package's helper functions
recursively, other libraries' functions by name), so any edit of the step, of a helper or of a pattern it uses gives another digest; the
accelerator compares it with the digest it was checked against and, when they differ, the Python step runs
instead.

Examples
--------
>>> from stance.text.normalize import normalize_whitespace
>>> fingerprint(normalize_whitespace) == fingerprint(normalize_whitespace)
True
>>> len(fingerprint(normalize_whitespace))
16
"""

from __future__ import annotations

import hashlib
import inspect
import io
import re
import tokenize
import types
from typing import Any, Callable

__all__ = ["fingerprint"]

_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE, tokenize.ENDMARKER}


def _source(func: Callable) -> str:
    """The function's tokens without comments and layout; its byte code if the source is unavailable
    (the digest then matches nothing, and the Python step runs)."""
    try:
        source = inspect.getsource(func)
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        return " ".join(t.string for t in tokens if t.type not in _SKIP)
    except (OSError, TypeError, tokenize.TokenError, SyntaxError):
        return repr(func.__code__.co_code)


def _names(code: types.CodeType) -> list[str]:
    names = list(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names += _names(const)
    return names


def _value(value: Any, out: list[bytes], seen: set[int]) -> None:
    if isinstance(value, re.Pattern):
        out.append(f"re:{value.pattern!r}:{value.flags}".encode())
    elif isinstance(value, (frozenset, set)):
        out.append(repr(sorted(map(repr, value))).encode())
    elif isinstance(value, dict):
        for k in sorted(value, key=repr):
            out.append(repr(k).encode())
            _value(value[k], out, seen)
    elif isinstance(value, (tuple, list)):
        out.append(b"(")
        for item in value:
            _value(item, out, seen)
        out.append(b")")
    elif isinstance(value, types.FunctionType) or hasattr(value, "__wrapped__"):
        _function(value, out, seen)
    elif isinstance(value, types.ModuleType):
        out.append(f"module:{value.__name__}".encode())
    elif isinstance(value, (str, bytes, int, float, bool, type(None))):
        out.append(repr(value).encode())
    else:  # builtins, classes: by name
        out.append(f"{type(value).__name__}:{getattr(value, '__qualname__', '')}".encode())


def _function(func: Callable, out: list[bytes], seen: set[int]) -> None:
    func = getattr(func, "__wrapped__", func)  # functools.lru_cache and friends
    module = getattr(func, "__module__", None) or ""
    if module != "stance" and not module.startswith("stance."):  # other libraries' code: by name only
        out.append(f"external:{module}.{getattr(func, '__qualname__', '')}".encode())
        return
    if id(func) in seen:
        out.append(f"again:{getattr(func, '__qualname__', '')}".encode())
        return
    seen.add(id(func))
    code = getattr(func, "__code__", None)
    if code is None:  # a builtin
        out.append(f"builtin:{getattr(func, '__qualname__', repr(func))}".encode())
        return
    out.append(f"def:{func.__module__}.{func.__qualname__}".encode())
    out.append(_source(func).encode())
    _value(func.__defaults__, out, seen)
    _value(func.__kwdefaults__, out, seen)
    glob = func.__globals__
    for name in sorted(set(_names(code))):
        if name in glob:
            out.append(f"global:{name}=".encode())
            _value(glob[name], out, seen)


def fingerprint(func: Callable) -> str:
    """A 16-hex-digit digest of ``func``'s code and of every module-level value it reads, recursively."""
    out: list[bytes] = []
    _function(func, out, set())
    return hashlib.sha256(b"\0".join(out)).hexdigest()[:16]
