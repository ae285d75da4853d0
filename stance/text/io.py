"""Reading user documents: one file (:func:`read_document`) or many, lazily (:func:`iter_documents`).

:func:`read_document` decodes one file with :func:`stance.text.decode.decode_document` (UTF-8, UTF-16,
UTF-32, Windows-1258; see there for the exact rules) and returns NFC-composed text, or refuses it with a
:class:`~stance.text.decode.DocumentError` that names the file and says why. The returned text is the file's
content, NFC-normalised, with line endings and everything else untouched.

:func:`iter_documents` walks files and directories lazily and yields one
:class:`DocumentRecord` per file, turning failures into records instead of
exceptions so that one bad file does not stop a batch.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .decode import DocumentError, decode_document

__all__ = ["DocumentRecord", "iter_documents", "read_document"]


@dataclass(frozen=True)
class DocumentRecord:
    """One file seen by :func:`iter_documents`.

    Exactly one of ``text`` and ``error`` is set.

    Parameters
    ----------
    path : str
        The file's path: as given, or joined to the directory it was found in.
    text : str or None
        The decoded NFC text, or ``None`` if the file was refused.
    error : str or None
        The refusal message (it names the file), or ``None`` on success.

    Examples
    --------
    >>> DocumentRecord("a.txt", "Hà Nội", None).ok
    True
    >>> DocumentRecord("b.txt", None, "b.txt: is empty (0 bytes)").ok
    False
    """

    path: str
    text: str | None
    error: str | None

    @property
    def ok(self) -> bool:
        """Whether the file was decoded (``error`` is ``None``)."""
        return self.error is None


def read_document(path: str | os.PathLike[str]) -> str:
    """Read a text file in any supported encoding and return NFC text.

    Supported: UTF-8 with or without BOM, UTF-16 LE/BE with BOM or (detected
    from the position of its NUL bytes) without, UTF-32 with BOM, and
    Windows-1258 when the text looks Vietnamese.  See the module docstring for
    the exact rules.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read.

    Returns
    -------
    str
        The whole content, decoded and NFC-normalised (line endings kept).

    Raises
    ------
    DocumentError
        If the path does not exist, is a directory or another non-regular
        file, cannot be read, is empty or whitespace only, holds binary data,
        or does not decode completely in a supported encoding.  The message
        names the file and the reason.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "utf16.txt").write_bytes("Hà Nội".encode("utf-16"))
    >>> read_document(folder / "utf16.txt")
    'Hà Nội'
    >>> _ = (folder / "cp1258.txt").write_bytes(b"Vi\\xea\\xf2t Nam")  # ê + dot below
    >>> read_document(folder / "cp1258.txt")
    'Việt Nam'
    >>> _ = (folder / "blank.txt").write_bytes(b"  \\n")
    >>> read_document(folder / "blank.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    stance.text.decode.DocumentError: .../blank.txt: contains only whitespace
    """
    name = _display(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DocumentError(name, "does not exist") from None
    except OSError as exc:
        raise DocumentError(name, f"cannot be read: {_strerror(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError(name, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(name, "is not a regular file")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise DocumentError(name, f"cannot be read: {_strerror(exc)}") from None
    return decode_document(data, name=name)


def iter_documents(
    paths: Iterable[str | os.PathLike[str]], *, pattern: str | tuple[str, ...] = "*.txt", case_sensitive: bool = True
) -> Iterator[DocumentRecord]:
    """Read many files lazily, one record per file, never raising per file.

    Files are yielded in the order given.  A directory is walked recursively
    and expanded in place: within each directory, entries are taken in sorted
    name order (sub-directories among the files), and files whose name
    matches ``pattern`` are yielded.  Symbolic links to directories are
    followed, but a link back to a directory being walked is reported as an
    error record instead of looping.  Only one directory listing and one text
    are held at a time.  A path given explicitly is read whatever its name;
    the same file given twice is read twice.

    Parameters
    ----------
    paths : iterable of str or os.PathLike
        Files and directories.
    pattern : str or tuple of str, default "*.txt"
        Shell-style pattern (or patterns: any of them) for file names inside
        directories.
    case_sensitive : bool, default True
        Match names case-sensitively (``False``: ``*.html`` also takes
        ``PAGE.HTML``).

    Yields
    ------
    DocumentRecord
        ``text`` set for a decoded file, ``error`` set (with the message of
        :class:`DocumentError`) for a path that does not exist, an unreadable
        directory, or a file :func:`read_document` refuses.

    Raises
    ------
    TypeError
        If ``paths`` is a single path rather than an iterable of paths.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "b.txt").write_text("Hải quân", encoding="utf-16")
    >>> _ = (folder / "a.txt").write_bytes(b"")
    >>> (folder / "sub").mkdir()
    >>> _ = (folder / "sub" / "c.txt").write_text("Mỹ", encoding="utf-8")
    >>> _ = (folder / "notes.md").write_text("skipped", encoding="utf-8")
    >>> for record in iter_documents([folder, folder / "missing.txt"]):
    ...     print(os.path.relpath(record.path, folder), record.text, record.error is None)
    a.txt None False
    b.txt Hải quân True
    sub/c.txt Mỹ True
    missing.txt None False
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise TypeError(
            f"paths must be an iterable of paths, got the single path {paths!r}; "
            "wrap it in a list"
        )
    for path in paths:
        name = _display(path)
        if os.path.isdir(name):
            patterns = (pattern,) if isinstance(pattern, str) else tuple(pattern)
            if not case_sensitive:
                patterns = tuple(p.lower() for p in patterns)
            yield from _walk(name, patterns, case_sensitive, set())
        else:
            yield _record(name)


def _walk(
    folder: str, patterns: tuple[str, ...], case_sensitive: bool, ancestors: set[tuple[int, int]]
) -> Iterator[DocumentRecord]:
    """Yield records for ``folder`` recursively; ``ancestors`` guards against link cycles."""
    try:
        info = os.stat(folder)
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            yield DocumentRecord(
                folder, None, str(DocumentError(folder, "symbolic link loop; directory skipped"))
            )
            return
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        message = str(DocumentError(folder, f"directory cannot be listed: {_strerror(exc)}"))
        yield DocumentRecord(folder, None, message)
        return
    ancestors = ancestors | {key}
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(entry.path, patterns, case_sensitive, ancestors)
        elif any(fnmatch.fnmatchcase(entry.name if case_sensitive else entry.name.lower(), p) for p in patterns):
            yield _record(entry.path)


def _record(path: str) -> DocumentRecord:
    try:
        return DocumentRecord(path, read_document(path), None)
    except DocumentError as exc:
        return DocumentRecord(path, None, str(exc))


def _display(path: str | os.PathLike[str]) -> str:
    name = os.fspath(path)
    return os.fsdecode(name) if isinstance(name, bytes) else name


def _strerror(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()
