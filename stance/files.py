"""Files: the one atomic write, the one reader of JSON records, the one conversion to JSON values.

Everything in stance (and in ``benchmarks/``) that writes a file writes it with :func:`atomic_write` (or,
streaming, :func:`atomic_open`), reads JSON records with :func:`iter_json_records` /
:func:`read_json_records`, and turns results into JSON values with :func:`to_jsonable`. Nothing here imports numpy or scikit-learn, so a benchmark worker
can read its corpus without paying for them.

JSON records come in two layouts, told apart by the file name (``.xz`` compression is read for both):

- JSON Lines (``.jsonl``, ``.ndjson``): one JSON object per line; blank lines are skipped;
- a JSON array of objects (``.json``).

A problem is reported as ``file:line: problem`` (the line where the record starts).

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = atomic_write(folder / "a.jsonl", '{"text": "Quân Mỹ"}\\n\\n[1, 2]\\n')
>>> [str(r) for r in iter_json_records(folder / "a.jsonl")]  # doctest: +ELLIPSIS
['...a.jsonl:1', '...a.jsonl:3: expected a JSON object, got list']
>>> _ = atomic_write(folder / "b.json", '[{"text": "a"},\\n {"text": "b"}]')
>>> read_json_records(folder / "b.json")
[{'text': 'a'}, {'text': 'b'}]
>>> to_jsonable({"f1": float("nan"), "range": (1, 2)})
{'f1': None, 'range': [1, 2]}
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import lzma
import math
import os
import re
import shutil
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Collection, Iterator, Mapping

from .display import display_path

__all__ = [
    "JsonRecord",
    "JsonRecordError",
    "atomic_folder",
    "atomic_open",
    "atomic_write",
    "fsync_folder",
    "iter_json_records",
    "parse_json",
    "json_layout",
    "read_json_records",
    "sha256_file",
    "sha256_of",
    "to_jsonable",
]


# ------------------------------------------------------------------------------------------- writing


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """Write a file atomically as a stream: a temporary file in the same folder, then ``os.replace``.

    The ``with`` block writes to a binary file object; when it ends without an exception the data is
    flushed, fsync'd and renamed onto ``path``, and the folder is fsync'd so the rename survives a power
    loss. A reader sees the old file or the new one, never half of one; a failure (full disk, an
    interrupt, an exception in the block) leaves the old file as it was and no temporary file behind. A
    process killed outright (SIGKILL, power loss) can leave its temporary file, named
    ``.<name>.<host>-<pid>-<random>.tmp``: the next write of the same file removes those of processes of
    this host that no longer run.
    The folder is created if needed; the file gets mode 0644 (it is meant to be shared). Use it for
    output too large to hold in memory; :func:`atomic_write` writes bytes already in memory.

    Parameters
    ----------
    path : path-like
        The file to write.

    Yields
    ------
    binary file object

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "rows.jsonl"
    >>> with atomic_open(p) as f:
    ...     for k in range(3):
    ...         _ = f.write(b'{"row": %d}\\n' % k)
    >>> p.read_text().splitlines()[-1]
    '{"row": 2}'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path)
    tmp = path.parent / f".{path.name}.{_HOST}-{os.getpid()}-{os.urandom(4).hex()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: str | os.PathLike) -> None:
    """Make the entries of ``folder`` (files created, renamed or removed in it) durable; a no-op where
    folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: str | os.PathLike, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically (:func:`atomic_open`): the old file or the new one, never half.

    Parameters
    ----------
    path : path-like
        The file to write.
    data : bytes or str
        The content; a str is encoded with ``encoding``.
    encoding : str, default="utf-8"

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = atomic_write(pathlib.Path(tempfile.mkdtemp()) / "sub" / "x.txt", "Hà Nội")
    >>> p.read_text(encoding="utf-8"), sorted(q.name for q in p.parent.iterdir())
    ('Hà Nội', ['x.txt'])
    """
    payload = data.encode(encoding) if isinstance(data, str) else bytes(data)
    with atomic_open(path) as f:
        f.write(payload)
    return Path(path)


_HOST = re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname()) or "host"
"""This host's name as it appears in temporary file names (no ``-``, so the name parses)."""


def _remove_stale_temporaries(path: Path) -> None:
    """Delete the temporary files of earlier writes of ``path`` whose process (on this host) is gone."""
    if os.name != "posix":  # os.kill(pid, 0) only probes on POSIX
        return
    prefix = f".{path.name}."
    try:
        names = [e.name for e in os.scandir(path.parent) if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        parts = name[len(prefix) : -len(".tmp")].split("-")
        if len(parts) != 3 or parts[0] != _HOST or not parts[1].isdigit():
            continue
        pid = int(parts[1])
        if pid == os.getpid() or _running(pid):
            continue
        try:
            (path.parent / name).unlink()
        except OSError:
            pass


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it runs, as another user
        return True
    return True


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike, *, replaceable: Callable[[str], bool]) -> Iterator[Path]:
    """Yield a temporary folder beside ``path`` to fill; it is renamed to ``path`` when the ``with`` block ends.

    On an exception the temporary folder is removed and ``path`` left as it was: a reader sees the old folder or
    the new one (or, for the instant between two renames, none), never half of one. An existing ``path`` is
    replaced only if ``replaceable(name)`` holds for every name in it (what an earlier run wrote); otherwise
    ValueError names the other files, so a mistyped output folder never costs a user their files.

    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report"
    >>> with atomic_folder(out, replaceable=lambda name: name == "index.html") as tmp:
    ...     _ = atomic_write(tmp / "index.html", "<p>1</p>")
    >>> sorted(p.name for p in out.parent.iterdir()), (out / "index.html").read_text()
    (['report'], '<p>1</p>')
    """
    path = Path(path)
    if path.exists():
        foreign = sorted(p.name for p in path.iterdir() if not replaceable(p.name)) if path.is_dir() else None
        if foreign is None or foreign:
            raise ValueError(f"{str(path)!r} exists and is not a folder" if foreign is None else
                             f"{str(path)!r} holds files it would lose ({', '.join(foreign[:5])}); choose another")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
    old = tmp.with_name(tmp.name.replace(".tmp-", ".old-", 1))  # a free name for the folder being replaced
    try:
        yield tmp
        os.chmod(tmp, 0o755)  # mkdtemp creates 0700
        if path.exists():
            os.replace(path, old)
        os.replace(tmp, path)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        if old.exists() and not path.exists():
            os.replace(old, path)  # put the old folder back
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def sha256_file(path: str | os.PathLike) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB chunks.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> sha256_file(atomic_write(pathlib.Path(tempfile.mkdtemp()) / "x", b"abc"))[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_of(path: str | os.PathLike) -> str:
    """SHA-256 (hex) of a file's bytes, read in 1 MiB chunks; for a folder, of its file list and contents.

    For a folder the digest covers, for every file under it (hidden names skipped, sorted by relative POSIX
    path), a line ``<sha256 of the file>  <relative path>``; so renaming a file (moving a text to another label)
    changes it.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_of(p)[:16]
    'ba7816bf8f01cfea'
    """
    path = Path(path)
    if not path.is_dir():
        return sha256_file(path)
    digest = hashlib.sha256()
    files = sorted(
        (p.relative_to(path).as_posix(), p)
        for p in path.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )
    for rel, p in files:
        digest.update(f"{sha256_file(p)}  {rel}\n".encode("utf-8"))
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------- reading


_SPACE = re.compile(r"\s*")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")  # what json.loads skips around a value


class JsonRecordError(ValueError):
    """A JSON record that cannot be read; the message is ``file:line: problem``."""


@dataclass(frozen=True)
class JsonRecord:
    """One record of a JSON Lines or JSON array file, or (exactly one of the two) the problem in its place.

    Attributes
    ----------
    path : str
        The file.
    line : int or None
        1-based line where the record starts; None when the problem concerns the whole file.
    record : dict or None
        The JSON object.
    problem : str or None
        What is wrong (``"bad JSON: ..."``, ``"expected a JSON object, got list"``...).
    """

    path: str
    line: int | None
    record: dict | None
    problem: str | None = None

    @property
    def where(self) -> str:
        """``file:line`` (or ``file`` for a problem of the whole file)."""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def __str__(self) -> str:
        return self.where if self.problem is None else f"{self.where}: {self.problem}"

    def checked(self) -> dict:
        """The record; :class:`JsonRecordError` (``file:line: problem``) if there is a problem instead."""
        if self.problem is not None or self.record is None:
            raise JsonRecordError(str(self))
        return self.record


def json_layout(path: str | os.PathLike) -> str | None:
    """``"jsonl"`` or ``"json"`` from a file's name (``.xz`` looked through), None for other names.

    Examples
    --------
    >>> json_layout("train.jsonl.xz"), json_layout("a.JSON"), json_layout("notes.txt")
    ('jsonl', 'json', None)
    """
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".xz":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}.get(last)


def iter_json_records(path: str | os.PathLike, *, layout: str | None = None) -> Iterator[JsonRecord]:
    """The records of a JSON Lines or JSON array file, lazily, one :class:`JsonRecord` each.

    Problems (bad UTF-8, bad JSON, something other than an object, a damaged ``.xz``) come as records
    with ``problem`` set, in file order, so a caller can collect them all (:mod:`stance.training.data`)
    or stop at the first (:func:`read_json_records`).

    Parameters
    ----------
    path : path-like
        ``.jsonl`` / ``.ndjson`` / ``.json``, optionally ``.xz``-compressed.
    layout : {"jsonl", "json"}, optional
        How to read the file; by default from its name (:func:`json_layout`).

    Raises
    ------
    ValueError
        No ``layout`` given and the name says neither JSON Lines nor JSON.
    FileNotFoundError
        The file does not exist.
    """
    path = Path(path)
    layout = layout or json_layout(path)
    if layout not in ("jsonl", "json"):
        raise ValueError(f"{path}: not a JSON records file (expected .jsonl, .ndjson or .json, optionally .xz)")
    where = display_path(path)
    opener = lzma.open if path.suffix.lower() == ".xz" else open
    try:
        with opener(path, "rb") as f:
            if layout == "jsonl":
                for number, raw in enumerate(f, start=1):
                    item = _json_line(where, number, raw)
                    if item is not None:
                        yield item
            else:
                yield from _json_array(where, f.read())
    except (lzma.LZMAError, EOFError) as exc:
        yield JsonRecord(where, None, None, f"cannot decompress: {exc}")


def read_json_records(path: str | os.PathLike, *, layout: str | None = None) -> list[dict]:
    """Every record of a JSON Lines or JSON array file; :class:`JsonRecordError` at the first problem."""
    return [item.checked() for item in iter_json_records(path, layout=layout)]


def _as_record(where: str, line: int, value: object) -> JsonRecord:
    if not isinstance(value, dict):
        return JsonRecord(where, line, None, f"expected a JSON object, got {type(value).__name__}")
    return JsonRecord(where, line, value)


def _not_json_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {_clip(text)} is out of range")
    return value


def _bounded_int(text: str) -> int:
    limit = sys.get_int_max_str_digits()
    if limit and len(text.lstrip("-")) > limit:
        raise ValueError(f"number of {len(text.lstrip('-')):,} digits is longer than {limit:,}")
    return int(text)


def _clip(text: str, width: int = 20) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


_DECODER = json.JSONDecoder(parse_constant=_not_json_constant, parse_float=_finite_float, parse_int=_bounded_int)
"""Strict JSON: NaN, Infinity and numbers out of a float's range are errors, not values."""


def _decode(text: str, pos: int) -> tuple[object, int]:
    """The JSON value at ``pos`` and where it ends; ValueError (``JSONDecodeError`` with a position, or a
    plain one) for anything unreadable: bad syntax, NaN, numbers out of range or of more than 4,300 digits,
    nesting too deep for the parser."""
    try:
        return _DECODER.raw_decode(text, pos)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _json_problem(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"bad JSON: {exc.msg} (column {exc.colno})"
    return f"bad JSON: {_clip(str(exc), 120)}"


def parse_json(text: str) -> Any:
    """One JSON value, strictly: ValueError ``"bad JSON: ..."`` for anything :func:`json.loads` refuses and
    for what it would take or choke on (NaN, Infinity, numbers out of a float's range or longer than
    Python's digit limit, nesting too deep for the parser: a RecursionError otherwise).

    Examples
    --------
    >>> parse_json(' {"a": [1, 2.5]} ')
    {'a': [1, 2.5]}
    >>> parse_json("[" * 100_000)
    Traceback (most recent call last):
    ...
    ValueError: bad JSON: nested too deeply
    >>> parse_json('{"p": NaN}')
    Traceback (most recent call last):
    ...
    ValueError: bad JSON: NaN is not a JSON value
    """
    try:
        value, end = _decode(text, _JSON_SPACE.match(text).end())
        end = _JSON_SPACE.match(text, end).end()
        if end != len(text):  # as json.loads says it
            raise json.JSONDecodeError("Extra data", text, end)
    except ValueError as exc:
        raise ValueError(_json_problem(exc)) from None
    return value


def _json_line(where: str, number: int, raw: bytes) -> JsonRecord | None:
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        return JsonRecord(where, number, None, f"not valid UTF-8 (byte {exc.start})")
    if not line.strip():
        return None
    try:
        value = parse_json(line)
    except ValueError as exc:
        return JsonRecord(where, number, None, str(exc))
    return _as_record(where, number, value)


def _json_array(where: str, raw: bytes) -> Iterator[JsonRecord]:
    """The objects of a JSON array, each with the line it starts on."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield JsonRecord(where, raw[: exc.start].count(b"\n") + 1, None, f"not valid UTF-8 (byte {exc.start})")
        return
    pos = _SPACE.match(text).end()
    if text[pos : pos + 1] != "[":
        yield JsonRecord(where, text.count("\n", 0, pos) + 1, None,
                         "expected a JSON array of objects (one object per line is JSON Lines: name it .jsonl)")
        return
    pos = _SPACE.match(text, pos + 1).end()
    line, counted = 1, 0  # line of position `counted`, advanced as the parse goes on

    def line_at(p: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, p)
        counted = p
        return line

    closed = text[pos : pos + 1] == "]"
    while not closed:
        try:
            value, end = _decode(text, pos)
        except json.JSONDecodeError as exc:
            yield JsonRecord(where, exc.lineno, None, _json_problem(exc))
            return
        except ValueError as exc:
            yield JsonRecord(where, line_at(pos), None, _json_problem(exc))
            return
        yield _as_record(where, line_at(pos), value)
        pos = _SPACE.match(text, end).end()
        if text[pos : pos + 1] == ",":
            pos = _SPACE.match(text, pos + 1).end()
        elif text[pos : pos + 1] == "]":
            closed = True
        else:
            yield JsonRecord(where, line_at(pos), None, "bad JSON: expected ',' or ']' after an array item")
            return
    if _SPACE.match(text, pos + 1).end() != len(text):
        yield JsonRecord(where, line_at(pos), None, "bad JSON: text after the closing ']'")


# -------------------------------------------------------------------------------------------- values


def to_jsonable(value: Any, *, drop_keys: Collection[str] = ()) -> Any:
    """A copy of ``value`` made of JSON values only: dict, list, str, int, float, bool, None.

    Mappings get str keys (entries under ``drop_keys`` left out, at any depth), tuples and arrays become
    lists, numpy scalars Python numbers, NaN and infinities None (JSON has no such numbers), paths str,
    and anything else its ``str``.

    Examples
    --------
    >>> import numpy as np
    >>> to_jsonable({"n": np.int64(3), "p": np.array([0.5, np.inf]), "ok": np.bool_(True)})
    {'n': 3, 'p': [0.5, None], 'ok': True}
    >>> to_jsonable({"metrics": 1, "predictions": [1, 2]}, drop_keys={"predictions"})
    {'metrics': 1}
    """
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v, drop_keys=drop_keys) for k, v in value.items() if k not in drop_keys}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v, drop_keys=drop_keys) for v in value]
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if hasattr(value, "tolist"):  # numpy arrays and scalars, without importing numpy
        return to_jsonable(value.tolist(), drop_keys=drop_keys)
    return str(value)
