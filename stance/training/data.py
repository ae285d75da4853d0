"""Reading and validating labelled data.

Four layouts are read into one :class:`LabelledData` value:

- JSON Lines (``.jsonl``, optionally compressed as ``.jsonl.xz``): one JSON object per line, with a text field
  and a label field (names are options); every other field goes to ``meta``.
- JSON (``.json``, optionally ``.xz``): an array of such objects (read by :func:`stance.files.iter_json_records`,
  like JSON Lines, so a problem names the line where its object starts).
- CSV (``.csv``, ``.tsv``, optionally ``.xz``): a header row names the columns; the text and label columns are
  options, the other columns go to ``meta``.
- A folder with one sub-folder per label, each holding ``.txt`` files (UTF-8), one text per file.

Every problem found is collected and reported together in one :class:`DataError`, whose message names the
file and the 1-based line of each problem (for CSV the physical line where the record starts, for the folder
layout the file itself).

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "train.jsonl").write_text(
...     '{"text": "Mỹ rút quân", "label": "anti"}\\n'
...     '{"text": "Mỹ tăng quân", "label": "pro"}\\n'
...     '{"text": "Mỹ giữ quân", "label": "pro"}\\n'
...     '{"text": "Quân Mỹ rời đi", "label": "anti"}\\n', encoding="utf-8")
>>> data = read_labelled(folder / "train.jsonl")
>>> len(data), data.label_counts()
(4, {'anti': 2, 'pro': 2})
"""

from __future__ import annotations

import csv
import io
import lzma
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..display import display_path
from ..files import iter_json_records, json_layout
from .labelled import DataError, LabelledData, Problem, problem_order
from .validation import check

__all__ = ["FORMATS", "read_labelled"]

#: Formats understood by :func:`read_labelled`.
FORMATS = ("jsonl", "json", "csv", "tsv", "folder")


def _infer_format(path: Path) -> str:
    if path.is_dir():
        return "folder"
    if json_layout(path) is not None:
        return json_layout(path)
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".xz":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    by_suffix = {".csv": "csv", ".tsv": "tsv"}
    if last not in by_suffix:
        raise ValueError(
            f"cannot tell the format of '{display_path(path)}' from its name; pass format= one of {FORMATS}"
        )
    return by_suffix[last]


def _open_bytes(path: Path) -> io.BufferedIOBase:
    if path.suffix.lower() == ".xz":
        return lzma.open(path, "rb")
    return open(path, "rb")


def _as_label(value: object) -> str | None:
    """A label as str: strings stripped, integers converted; None for missing/empty/other types."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


@dataclass
class _Collector:
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    meta: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, where: str, line: int | None, text: object, label: object, meta: dict) -> None:
        """Check one record; keep it if usable, otherwise record the problems."""
        ok = True
        if text is None:
            self.problems.append(Problem(where, line, "missing text"))
            ok = False
        elif not isinstance(text, str):
            self.problems.append(Problem(where, line, f"text is not a string (got {type(text).__name__})"))
            ok = False
        elif not text.strip():
            self.problems.append(Problem(where, line, "empty text"))
            ok = False
        lab = _as_label(label)
        if lab is None:
            what = "missing label" if label is None or label == "" else f"bad label {label!r}"
            self.problems.append(Problem(where, line, what))
            ok = False
        if ok:
            self.texts.append(text)  # type: ignore[arg-type]
            self.labels.append(lab)  # type: ignore[arg-type]
            self.meta.append(meta)
            self.lines.append(line if line is not None else 0)


def _read_json_records(path: Path, layout: str, text_field: str, label_field: str, out: _Collector) -> None:
    for item in iter_json_records(path, layout=layout):
        if item.problem is not None or item.record is None:
            out.problems.append(Problem(item.path, item.line, item.problem or "no record"))
            continue
        meta = {k: v for k, v in item.record.items() if k not in (text_field, label_field)}
        out.add(item.path, item.line, item.record.get(text_field), item.record.get(label_field), meta)


def _decode_whole(path: Path, out: _Collector) -> str | None:
    where = display_path(path)
    try:
        with _open_bytes(path) as f:
            raw = f.read()
    except (lzma.LZMAError, EOFError) as exc:
        out.problems.append(Problem(where, None, f"cannot decompress: {exc}"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        out.problems.append(Problem(where, line, f"not valid UTF-8 (byte {exc.start})"))
        return None


def _read_csv(path: Path, text_field: str, label_field: str, delimiter: str, out: _Collector) -> None:
    where = display_path(path)
    content = _decode_whole(path, out)
    if content is None:
        return
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        out.problems.append(Problem(where, None, "empty file (no header row)"))
        return
    except csv.Error as exc:
        out.problems.append(Problem(where, 1, f"bad CSV: {exc}"))
        return
    missing = [name for name in (text_field, label_field) if name not in header]
    if missing:
        out.problems.append(
            Problem(where, 1, f"header has no column {', '.join(map(repr, missing))} (columns: {header})")
        )
        return
    _read_csv_rows(where, reader, header, text_field, label_field, out)


def _read_csv_rows(
    where: str, reader: Iterator[list[str]], header: list[str], text_field: str, label_field: str,
    out: _Collector,
) -> None:
    start = reader.line_num + 1  # type: ignore[attr-defined]
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            out.problems.append(Problem(where, start, f"bad CSV: {exc}"))
            return
        line, start = start, reader.line_num + 1  # type: ignore[attr-defined]
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            out.problems.append(Problem(where, line, f"{len(row)} fields, the header has {len(header)}"))
            continue
        record = dict(zip(header, row))
        meta = {k: v for k, v in record.items() if k not in (text_field, label_field)}
        out.add(where, line, record[text_field], record[label_field] or None, meta)


def _read_folder(path: Path, out: _Collector) -> None:
    where = display_path(path)
    subdirs = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    for stray in sorted(path.glob("*.txt")):
        out.problems.append(Problem(display_path(stray), None, "text file outside a label folder"))
    if not subdirs:
        out.problems.append(Problem(where, None, "no label folders (expected one sub-folder per label)"))
    for sub in subdirs:
        files = sorted(p for p in sub.rglob("*.txt") if p.is_file())
        if not files:
            out.problems.append(Problem(display_path(sub), None,
                                        f"label folder '{display_path(sub.name)}' has no .txt files"))
        for file in files:
            rel = file.relative_to(path).as_posix()
            try:
                text = file.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                out.problems.append(Problem(display_path(file), None, f"not valid UTF-8 (byte {exc.start})"))
                continue
            out.add(display_path(file), None, text, display_path(sub.name), {"file": display_path(rel)})


def read_labelled(
    path: str | os.PathLike,
    *,
    text_field: str = "text",
    label_field: str = "label",
    format: str | None = None,
    min_per_label: int = 2,
    allow_duplicates: bool = False,
) -> LabelledData:
    """Read labelled texts from JSON Lines, CSV or a folder per label, and validate them.

    Parameters
    ----------
    path : str or path-like
        A ``.jsonl`` / ``.jsonl.xz`` file, a ``.json`` array of objects, a ``.csv`` / ``.tsv`` file (optionally ``.xz``), or a folder with one
        sub-folder per label holding ``.txt`` files.
    text_field, label_field : str
        Name of the text and label fields (JSON keys or CSV columns). Ignored for the folder layout.
    format : {"jsonl", "json", "csv", "tsv", "folder"} or None
        Layout; inferred from the path when None.
    min_per_label : int
        Fewest records a label may have (see :func:`validate`).
    allow_duplicates : bool
        If True, repeated texts give a :class:`DataWarning` instead of an error (see :func:`validate`).

    Returns
    -------
    LabelledData
        Texts as read (not normalised), labels as strings (integers are converted, surrounding spaces
        stripped), other fields in ``meta``, 1-based line numbers in ``lines``.

    Raises
    ------
    DataError
        Listing every problem: unreadable line (bad UTF-8, bad JSON, wrong number of CSV fields), missing or
        empty text, missing label, too few records for a label, duplicate texts.
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bad.jsonl"
    >>> _ = p.write_text('{"text": "a", "label": "x"}\\n{"text": "b", "label": \\n', encoding="utf-8")
    >>> try:
    ...     read_labelled(p, min_per_label=1)
    ... except DataError as err:
    ...     print(err)  # doctest: +ELLIPSIS
    2 problems in labelled data:
      ...bad.jsonl:2: bad JSON: Expecting value (column 24)
      ...bad.jsonl: only one label ('x'); need at least two
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"labelled data not found: '{display_path(path)}'")
    fmt = format if format is not None else _infer_format(path)
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    out = _Collector()
    if fmt in ("jsonl", "json"):
        _read_json_records(path, fmt, text_field, label_field, out)
    elif fmt in ("csv", "tsv"):
        _read_csv(path, text_field, label_field, "," if fmt == "csv" else "\t", out)
    else:
        _read_folder(path, out)
    data = LabelledData(
        texts=tuple(out.texts),
        labels=tuple(out.labels),
        meta=tuple(out.meta),
        path=display_path(path),
        lines=tuple(out.lines) if fmt != "folder" else (),
    )
    problems = out.problems + check(data, min_per_label=min_per_label, allow_duplicates=allow_duplicates)
    if problems:
        raise DataError(sorted(problems, key=problem_order))
    return data
