"""Where the articles of a bulk run come from: files and folders, standard input, and tables (one article a row).

:func:`open_inputs` turns the paths given to ``stance classify`` into :class:`Source` values, and each source
yields one :class:`Item` per article, lazily, in input order. Nothing is read whole: folders are walked one
listing at a time, JSON Lines and CSV/TSV are read line by line, Parquet one record batch (within one row group)
at a time. A row that cannot be classified (bad JSON, a missing, non-string or empty text, an undecodable file)
is an item with ``error`` set, never an exception and never a lost row; a table that cannot be read at all (not
Parquet, no text column) is refused up front with :class:`InputError`.

Formats, from the file name (``--input-format`` overrides it, and says what ``-``, standard input, holds):

- documents: ``.txt``, ``.html``, ``.htm`` in any case (folders: those, recursively); any other file named
  explicitly is read as a document too. ``-`` is one document read from standard input.
- tables: JSON Lines (``.jsonl``, ``.ndjson``, optionally ``.xz``), JSON arrays (``.json``, read whole), CSV and
  TSV (optionally ``.xz``; every value a string), Parquet (``.parquet``, ``.pq``; values keep their types).

Examples
--------
>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "t.csv").write_text("id,text,date\\n7,Quân Mỹ rút,2017-02-06\\n,,2017-02-07\\n", encoding="utf-8")
>>> [source] = open_inputs([d / "t.csv"])
>>> for item in source:
...     print(item.id, item.fields, item.error and item.error.split(": ", 1)[1])
7 {'date': '2017-02-06'} None
1 {'date': '2017-02-07'} empty text
"""

from __future__ import annotations

import csv
import hashlib
import io
import lzma
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..display import lossless
from ..files import iter_json_records, json_layout, sha256_file
from ..text.decode import DocumentError, decode_document
from ..text.io import iter_documents

__all__ = ["DOCUMENT_PATTERNS", "FORMATS", "InputError", "Item", "Source", "format_of", "open_inputs", "row_item"]

DOCUMENT_PATTERNS = ("*.txt", "*.html", "*.htm")
"""File names taken from folders (matched in any case)."""

FORMATS = ("text", "jsonl", "json", "csv", "tsv", "parquet")
"""Input formats: ``text`` is one document per file, the others are tables."""

STDIN = "-"


class InputError(ValueError):
    """An input that cannot be read at all (as opposed to one bad row, which becomes a row with ``error``)."""


@dataclass(frozen=True)
class Item:
    """One article of the input: its id, its text (or why there is none) and the fields that pass through.

    Attributes
    ----------
    id : str
        The id field's value as str; for documents the path; else (no id field, or a null or empty one)
        the 0-based row number in its table.
    text : str or None
        The text to classify; None when ``error`` is set.
    fields : dict
        Every other field of the row, with its own type (empty for documents).
    error : str or None
        Why the row cannot be classified (``file:line: ...``).
    """

    id: str
    text: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def format_of(path: str | os.PathLike) -> str:
    """The format of an input from its name (``.xz`` looked through): one of :data:`FORMATS`.

    Examples
    --------
    >>> [format_of(p) for p in ("a.jsonl.xz", "b.TSV", "c.parquet", "d.html", "-")]
    ['jsonl', 'tsv', 'parquet', 'text', 'text']
    """
    layout = json_layout(path)
    if layout is not None:
        return layout
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".xz":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    return {".csv": "csv", ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet"}.get(last, "text")


class Source:
    """An input: a file, a folder, standard input or a table, read lazily as :class:`Item` values."""

    name: str = ""
    resumable: bool = True

    def fingerprint(self) -> dict[str, Any]:
        """What identifies this input's content, recorded so ``--resume`` can refuse a changed input."""
        raise NotImplementedError

    def count(self) -> int | None:
        """How many items the source holds, when that is cheap to know (for the progress bar's ETA)."""
        return None

    def types(self) -> dict[str, Any]:
        """Arrow types of the passthrough fields, when the input declares them (Parquet)."""
        return {}

    def __iter__(self) -> Iterator[Item]:
        raise NotImplementedError


# ------------------------------------------------------------------------------------------ documents


def _listing(folder: str) -> Iterator[tuple[str, int, int]]:
    """``(relative path, size, mtime_ns)`` of every document under ``folder`` (what its fingerprint covers)."""
    patterns = tuple(p[1:] for p in DOCUMENT_PATTERNS)
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(patterns):
                path = os.path.join(root, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                yield lossless(os.path.relpath(path, folder)), info.st_size, info.st_mtime_ns


class Documents(Source):
    """Files and folders of documents, one item each (:func:`stance.text.io.iter_documents` reads them)."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = list(paths)
        self.name = lossless(self.paths[0]) if len(self.paths) == 1 else f"{len(self.paths)} paths"

    def fingerprint(self) -> dict[str, Any]:
        out = []
        for path in self.paths:
            if os.path.isdir(path):
                digest = hashlib.sha256()
                for rel, size, mtime in _listing(path):
                    digest.update(f"{rel}\0{size}\0{mtime}\n".encode("utf-8"))
                out.append({"folder": os.path.abspath(lossless(path)), "files": digest.hexdigest()})
            else:
                try:
                    info = os.stat(path)
                    out.append({"file": os.path.abspath(lossless(path)), "size": info.st_size,
                                "mtime_ns": info.st_mtime_ns})
                except OSError:
                    out.append({"file": os.path.abspath(lossless(path)), "missing": True})
        return {"documents": out}

    def count(self) -> int | None:
        return sum(sum(1 for _ in _listing(p)) if os.path.isdir(p) else 1 for p in self.paths)

    def __iter__(self) -> Iterator[Item]:
        for record in iter_documents(self.paths, pattern=DOCUMENT_PATTERNS, case_sensitive=False):
            error = None if record.error is None else lossless(record.error)
            yield Item(lossless(record.path), record.text, {}, error)


class StdinDocument(Source):
    """Standard input as one document (``-``)."""

    name = "<stdin>"
    resumable = False

    def fingerprint(self) -> dict[str, Any]:
        return {"stdin": True}

    def count(self) -> int | None:
        return 1

    def __iter__(self) -> Iterator[Item]:
        try:
            yield Item(self.name, decode_document(sys.stdin.buffer.read(), name=self.name), {})
        except DocumentError as exc:
            yield Item(self.name, None, {}, str(exc))


# --------------------------------------------------------------------------------------------- tables


def _missing(value: Any) -> bool:
    """None, NaN or pandas' NA: a missing value in a table."""
    return value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NAType"


def row_item(where: str, number: int, record: dict[str, Any], *, text_field: str, id_field: str | None) -> Item:
    """The item of one table row: its id (the row number when the id is missing, null or empty), its text or
    why it has none (no text field, not a string, empty), and the other fields.

    Examples
    --------
    >>> row_item("t.jsonl:3", 2, {"text": 7, "src": "a"}, text_field="text", id_field="id")
    Item(id='2', text=None, fields={'src': 'a'}, error="t.jsonl:3: 'text' is not a string (got int)")
    """
    raw_id = record.get(id_field) if id_field is not None else None
    ident = str(number) if _missing(raw_id) or raw_id == "" else lossless(str(raw_id))
    fields = {k: v for k, v in record.items() if k != text_field and k != id_field}
    text = record.get(text_field)
    error = None
    if text_field not in record:
        error = f"{where}: no {text_field!r} field"
    elif _missing(text):
        error = f"{where}: {text_field!r} is null"
    elif not isinstance(text, str):
        error = f"{where}: {text_field!r} is not a string (got {type(text).__name__})"
    elif not text.strip():
        error = f"{where}: empty text"
    return Item(ident, text if error is None else None, fields, error)


class Table(Source):
    """A table with one article per row: ``text_field`` holds the text, ``id_field`` the id."""

    def __init__(self, path: str, fmt: str, *, text_field: str, id_field: str) -> None:
        self.path, self.format = path, fmt
        self.text_field, self.id_field = text_field, id_field
        self.stdin = path == STDIN
        self.name = "<stdin>" if self.stdin else lossless(path)
        self.resumable = not self.stdin
        if not self.stdin and not os.path.isfile(path):
            raise InputError(f"{self.name}: {'is not a file' if os.path.exists(path) else 'does not exist'}")

    @property
    def _file(self) -> str:
        return "/dev/stdin" if self.stdin else self.path

    def fingerprint(self) -> dict[str, Any]:
        if self.stdin:
            return {"stdin": True}
        return {"table": os.path.abspath(self.name), "format": self.format,
                "size": os.path.getsize(self.path), "sha256": sha256_file(self.path)}

    def item(self, where: str, number: int, record: dict[str, Any]) -> Item:
        """The item of one row (``number`` 0-based, ``where`` is ``file:line`` for messages)."""
        return row_item(where, number, record, text_field=self.text_field, id_field=self.id_field)

    def missing_text(self, columns: Sequence[str]) -> InputError:
        shown = ", ".join(map(repr, list(columns)[:20])) + (", ..." if len(columns) > 20 else "")
        return InputError(f"{self.name}: no {self.text_field!r} column (columns: {shown}); "
                          "name the text column with --text-field")


def _open_binary(path: str) -> io.BufferedIOBase:
    return lzma.open(path, "rb") if path.lower().endswith(".xz") else open(path, "rb")


def _count_lines(path: str) -> int:
    with _open_binary(path) as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))


class JsonTable(Table):
    """JSON Lines (or a JSON array, read whole), through :func:`stance.files.iter_json_records`."""

    def __init__(self, path: str, fmt: str, *, text_field: str, id_field: str) -> None:
        super().__init__(path, fmt, text_field=text_field, id_field=id_field)
        if not self.stdin:
            first = next(iter(iter_json_records(self.path, layout=self.format)), None)
            if first is not None and first.record is not None and self.text_field not in first.record:
                raise self.missing_text(list(first.record))

    def count(self) -> int | None:
        return None if self.stdin or self.format != "jsonl" else _count_lines(self.path)

    def __iter__(self) -> Iterator[Item]:
        for number, record in enumerate(iter_json_records(self._file, layout=self.format)):
            if record.problem is not None:
                yield Item(str(number), None, {}, lossless(str(record)))
            else:
                yield self.item(record.where, number, record.record)


class CsvTable(Table):
    """CSV or TSV with a header row, streamed with :mod:`csv` (a ragged row is an error row, not a lost one)."""

    def __init__(self, path: str, fmt: str, *, text_field: str, id_field: str) -> None:
        super().__init__(path, fmt, text_field=text_field, id_field=id_field)
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # articles are longer than csv's 128 KiB default
        if not self.stdin:
            with self._reader() as (reader, _):
                self._header(reader)

    def _reader(self) -> "_CsvReader":
        return _CsvReader(self._file, "," if self.format == "csv" else "\t")

    def _header(self, reader: Any) -> list[str]:
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{self.name}: empty file (no header row)") from None
        except csv.Error as exc:
            raise InputError(f"{self.name}:1: bad CSV header: {exc}") from None
        if len(set(header)) != len(header):
            dup = sorted({h for h in header if header.count(h) > 1})
            raise InputError(f"{self.name}:1: duplicate column names {dup}")
        if self.text_field not in header:
            raise self.missing_text(header)
        return header

    def __iter__(self) -> Iterator[Item]:
        with self._reader() as (reader, name):
            header = self._header(reader)
            id_at = header.index(self.id_field) if self.id_field in header else None
            number, start = 0, reader.line_num + 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield Item(str(number), None, {}, f"{name}:{start}: bad CSV: {exc}")
                    number, start = number + 1, reader.line_num + 1
                    continue
                where, start = f"{name}:{start}", reader.line_num + 1
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # a blank line is not a row
                problem = None
                try:
                    "\0".join(row).encode("utf-8")
                except UnicodeEncodeError:
                    problem = "not valid UTF-8"
                if problem is None and len(row) != len(header):
                    problem = f"{len(row)} fields, the header has {len(header)}"
                if problem is None:
                    yield self.item(where, number, dict(zip(header, row)))
                else:  # still the row's own id, if it has one
                    ident = row[id_at] if id_at is not None and id_at < len(row) and row[id_at] else str(number)
                    yield Item(lossless(ident), None, {}, f"{where}: {problem}")
                number += 1


class _CsvReader:
    """``with _CsvReader(path, delimiter) as (reader, display name)``: a csv reader over UTF-8 text; bytes
    that are not UTF-8 come through as surrogates so the row holding them can be reported and skipped."""

    def __init__(self, path: str, delimiter: str) -> None:
        self.path, self.delimiter = path, delimiter

    def __enter__(self) -> tuple[Any, str]:
        self._binary = _open_binary(self.path)
        self._text = io.TextIOWrapper(self._binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
        return csv.reader(self._text, delimiter=self.delimiter), lossless(self.path)

    def __exit__(self, *exc: object) -> None:
        self._text.close()


class ParquetTable(Table):
    """A Parquet file, one record batch at a time; passthrough columns keep their Arrow types."""

    def __init__(self, path: str, fmt: str, *, text_field: str, id_field: str, batch_size: int = 1024) -> None:
        if path == STDIN:
            raise InputError("<stdin>: Parquet cannot be read from standard input (its index is at the end); "
                             "give the file")
        super().__init__(path, fmt, text_field=text_field, id_field=id_field)
        self.batch_size = batch_size
        self._file_handle = self._open()
        schema = self._file_handle.schema_arrow
        if self.text_field not in schema.names:
            raise self.missing_text(schema.names)

    def _open(self) -> Any:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(self.path)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"{self.name}: not a readable Parquet file ({exc})") from None

    def count(self) -> int | None:
        return self._file_handle.metadata.num_rows

    def types(self) -> dict[str, Any]:
        schema = self._file_handle.schema_arrow
        return {f.name: f.type for f in schema if f.name not in (self.text_field, self.id_field)}

    def __iter__(self) -> Iterator[Item]:
        import pyarrow as pa

        number = 0
        try:
            for batch in self._open().iter_batches(batch_size=self.batch_size):
                for record in batch.to_pylist():
                    yield self.item(f"{self.name}: row {number}", number, record)
                    number += 1
        except (pa.ArrowException, OSError) as exc:  # damaged after the footer was read
            yield Item(str(number), None, {}, f"{self.name}: row {number} and after cannot be read ({exc})")


# ---------------------------------------------------------------------------------------------- paths


def open_inputs(
    paths: Sequence[str | os.PathLike],
    *,
    text_field: str = "text",
    id_field: str = "id",
    input_format: str | None = None,
) -> list[Source]:
    """The sources of a run: tables one by one, runs of consecutive documents and folders together.

    Parameters
    ----------
    paths : sequence of path-like
        Files, folders, tables, and ``-`` for standard input.
    text_field, id_field : str
        Column names in tables.
    input_format : str, optional
        One of :data:`FORMATS` for every file (and for ``-``); by default from each name.

    Returns
    -------
    list of Source

    Raises
    ------
    InputError
        A table that does not exist, is not readable as its format, or has no ``text_field`` column.
    """
    if input_format is not None and input_format not in FORMATS:
        raise ValueError(f"input_format must be one of {FORMATS}, got {input_format!r}")
    kinds = {"jsonl": JsonTable, "json": JsonTable, "csv": CsvTable, "tsv": CsvTable, "parquet": ParquetTable}
    sources: list[Source] = []
    documents: list[str] = []
    for raw in paths:
        path = os.fsdecode(os.fspath(raw))
        fmt = input_format or ("text" if path == STDIN or os.path.isdir(path) else format_of(path))
        if fmt == "text" or os.path.isdir(path):
            if path == STDIN:
                sources += [Documents(documents)] if documents else []
                documents = []
                sources.append(StdinDocument())
            else:
                documents.append(path)
            continue
        sources += [Documents(documents)] if documents else []
        documents = []
        sources.append(kinds[fmt](path, fmt, text_field=text_field, id_field=id_field))
    if documents:
        sources.append(Documents(documents))
    return sources
