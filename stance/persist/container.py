"""The model file format: one file, a fixed header, the manifest, its digest, then the payload.

Layout (all integers big-endian)::

    offset  size  field
    0       11    magic  b"\\x89STANCE\\r\\n\\x1a\\n"
    11      2     format version (1)
    13      4     manifest length M (at most MAX_MANIFEST_BYTES)
    17      M     manifest: a JSON object, UTF-8
    17+M    32    sha256 of the manifest bytes
    49+M    ...   payload, to the end of the file (its length and sha256 are in the manifest)

The file is recognised by its first bytes, never by its name. The magic starts with a byte that is not
ASCII and holds CR LF, LF and ^Z, so a file damaged by a text transfer (line endings, 7 bits) is told
apart from a truncated one. The manifest is readable without reading the payload
(:func:`read_head`); :func:`read_file` reads a whole file once, from one open file, so that every check
and the deserialisation work on the same bytes.

Examples
--------
>>> data = pack(b'{"a": 1}', b"payload")
>>> data[:6], unpack(data, "x")
(b'\\x89STANC', (b'{"a": 1}', b'payload'))
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
from pathlib import Path

from .errors import ArtefactError

__all__ = ["FORMAT_VERSION", "MAGIC", "MAX_ARTEFACT_BYTES", "MAX_MANIFEST_BYTES", "is_container", "pack",
           "read_file", "read_head", "unpack"]

MAGIC = b"\x89STANCE\r\n\x1a\n"
FORMAT_VERSION = 1
"""Version of the layout above; a reader refuses a later one with a message to upgrade stance."""
MAX_MANIFEST_BYTES = 1 << 20
"""Largest manifest read (1 MiB; a model's is a few kB)."""
MAX_ARTEFACT_BYTES = 1 << 30
"""Largest model file read (1 GiB; the shipped ones are 3 and 9 MB)."""

_HEADER = struct.Struct(">11sHI")
_DIGEST = 32


def pack(manifest: bytes, payload: bytes) -> bytes:
    """The bytes of a model file holding ``manifest`` (UTF-8 JSON) and ``payload``."""
    if len(manifest) > MAX_MANIFEST_BYTES:
        raise ValueError(f"manifest of {len(manifest)} bytes is larger than {MAX_MANIFEST_BYTES}")
    head = _HEADER.pack(MAGIC, FORMAT_VERSION, len(manifest))
    return b"".join((head, manifest, hashlib.sha256(manifest).digest(), payload))


def is_container(data: bytes) -> bool:
    """Whether ``data`` starts like a model file of this format (any version)."""
    return data[: len(MAGIC)] == MAGIC


def _manifest_span(head: bytes, where: str) -> int:
    """The manifest length from the fixed header, after checking magic and version."""
    if len(head) < _HEADER.size or not is_container(head):
        raise ArtefactError(f"{where}: not a stance model file (no stance header)")
    _, version, length = _HEADER.unpack_from(head)
    if version != FORMAT_VERSION:
        raise ArtefactError(
            f"{where}: model file format {version} is not supported by this stance (reads {FORMAT_VERSION}); "
            "upgrade stance or retrain the model"
        )
    if length > MAX_MANIFEST_BYTES:
        raise ArtefactError(f"{where}: manifest length {length} exceeds {MAX_MANIFEST_BYTES} bytes; file damaged")
    return length


def _checked_manifest(manifest: bytes, digest: bytes, where: str) -> bytes:
    if hashlib.sha256(manifest).digest() != digest:
        raise ArtefactError(f"{where}: manifest checksum mismatch: the file is truncated or corrupted")
    return manifest


def unpack(data: bytes, where: str) -> tuple[bytes, bytes]:
    """``(manifest bytes, payload bytes)`` of a model file's bytes; :class:`ArtefactError` naming ``where``
    if the header, the manifest length or the manifest checksum is wrong."""
    length = _manifest_span(data, where)
    end = _HEADER.size + length
    if len(data) < end + _DIGEST:
        raise ArtefactError(f"{where}: truncated model file ({len(data)} bytes, header says at least {end + _DIGEST})")
    manifest = _checked_manifest(data[_HEADER.size : end], data[end : end + _DIGEST], where)
    return manifest, data[end + _DIGEST :]


def _open_regular(path: Path, limit: int, what: str) -> tuple[int, int]:
    """``(fd, size)`` of ``path`` opened for reading, after checking it is a regular file of at most
    ``limit`` bytes. Opened without blocking (a FIFO must not hang) and checked on the open file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ArtefactError(f"{path}: {what} not found") from None
    except OSError as e:
        raise ArtefactError(f"{path}: {what} cannot be opened ({e.strerror or type(e).__name__})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device, FIFO or socket)"
            raise ArtefactError(f"{path}: {what} is {kind}")
        if st.st_size > limit:
            raise ArtefactError(f"{path}: {what} is {st.st_size} bytes, more than the {limit} this stance reads")
    except BaseException:
        os.close(fd)
        raise
    return fd, st.st_size


def _read_exactly(fd: int, n: int, path: Path, what: str) -> bytes:
    chunks = []
    left = n
    try:
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as e:
        raise ArtefactError(f"{path}: {what} cannot be read ({e.strerror or type(e).__name__})") from None
    return b"".join(chunks)


def read_file(path: str | os.PathLike, *, limit: int = MAX_ARTEFACT_BYTES, what: str = "model file") -> bytes:
    """All bytes of a regular file of at most ``limit`` bytes, read from one open file.

    Raises
    ------
    ArtefactError
        Missing, not a regular file (folder, FIFO, device: refused without reading), larger than
        ``limit``, unreadable, or changed size while being read.
    """
    path = Path(path)
    fd, size = _open_regular(path, limit, what)
    try:
        data = _read_exactly(fd, size + 1, path, what)
    finally:
        os.close(fd)
    if len(data) != size:
        raise ArtefactError(f"{path}: {what} changed while it was read ({size} bytes, then {len(data)})")
    return data


def read_head(path: str | os.PathLike) -> bytes | None:
    """The manifest bytes of a model file, reading the header and manifest only; None if the file does not
    start with the stance header (a file of another kind, e.g. a model saved by stance < 0.2)."""
    path = Path(path)
    fd, size = _open_regular(path, MAX_ARTEFACT_BYTES, "model file")
    try:
        head = _read_exactly(fd, _HEADER.size, path, "model file")
        if not is_container(head):
            return None
        length = _manifest_span(head, str(path))
        rest = _read_exactly(fd, length + _DIGEST, path, "model file")
    finally:
        os.close(fd)
    if len(rest) < length + _DIGEST:
        raise ArtefactError(f"{path}: truncated model file ({size} bytes, header says at least "
                            f"{_HEADER.size + length + _DIGEST})")
    return _checked_manifest(rest[:length], rest[length:], str(path))
