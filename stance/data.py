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
import hashlib
import io
import lzma
import os
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from .files import iter_json_records, json_layout, sha256_file

__all__ = [
    "DataError",
    "DataWarning",
    "LabelledData",
    "Problem",
    "read_labelled",
    "validate",
    "sha256_of",
    "FORMATS",
    "MAX_PROBLEMS_SHOWN",
]

#: Formats understood by :func:`read_labelled`.
FORMATS = ("jsonl", "json", "csv", "tsv", "folder")

#: How many problems a :class:`DataError` message lists before "... and N more".
MAX_PROBLEMS_SHOWN = 20



@dataclass(frozen=True)
class Problem:
    """One problem found in labelled data.

    Parameters
    ----------
    path : str
        The file (or, for the folder layout, the text file) the problem is in.
    line : int or None
        1-based line number, or None when the problem concerns the whole file or a whole label.
    message : str
        What is wrong.

    Examples
    --------
    >>> str(Problem("train.jsonl", 3, "empty text"))
    'train.jsonl:3: empty text'
    """

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class DataError(ValueError):
    """Labelled data that cannot be used; ``problems`` lists every problem found.

    The message lists the first :data:`MAX_PROBLEMS_SHOWN` problems, one per line, then "... and N more".

    Examples
    --------
    >>> err = DataError([Problem("a.jsonl", 2, "missing label")])
    >>> print(err)
    1 problem in labelled data:
      a.jsonl:2: missing label
    >>> err.problems[0].line
    2
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(_format_problems(self.problems))


class DataWarning(UserWarning):
    """A problem in labelled data that was allowed by an option (for example ``allow_duplicates=True``)."""


def _format_problems(problems: Sequence[Problem]) -> str:
    n = len(problems)
    head = f"{n} problem{'s' if n != 1 else ''} in labelled data:"
    lines = [f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if n > MAX_PROBLEMS_SHOWN:
        lines.append(f"  ... and {n - MAX_PROBLEMS_SHOWN} more")
    return "\n".join([head, *lines])


@dataclass(frozen=True)
class LabelledData:
    """Texts with their labels, other per-record fields and where each record came from.

    Parameters
    ----------
    texts : tuple of str
        The texts, as read (not cleaned or normalised).
    labels : tuple of str
        One label per text.
    meta : tuple of dict
        Other fields of each record (for example ``id``, ``doc_id``, ``source``). For the folder layout:
        ``{"file": relative path}``.
    path : str
        The file or folder read ("" when built in memory).
    lines : tuple of int
        1-based line of each record in ``path`` (empty when unknown, for example for the folder layout or
        data built in memory); used to name lines in error messages.

    Examples
    --------
    >>> d = LabelledData(texts=("a b", "c d"), labels=("x", "y"), meta=({}, {}), path="")
    >>> len(d), d.label_counts()
    (2, {'x': 1, 'y': 1})
    """

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    meta: tuple[dict, ...]
    path: str
    lines: tuple[int, ...] = field(default=())

    def __post_init__(self) -> None:
        n = len(self.texts)
        if len(self.labels) != n or len(self.meta) != n:
            raise ValueError(
                f"texts, labels and meta must have the same length; got {n}, {len(self.labels)}, "
                f"{len(self.meta)}"
            )
        if self.lines and len(self.lines) != n:
            raise ValueError(f"lines must be empty or have one entry per text; got {len(self.lines)} for {n}")

    def __len__(self) -> int:
        return len(self.texts)

    def label_counts(self) -> dict[str, int]:
        """Number of records per label, labels sorted.

        Examples
        --------
        >>> LabelledData(("a", "b", "c"), ("y", "x", "y"), ({}, {}, {}), "").label_counts()
        {'x': 1, 'y': 2}
        """
        counts = Counter(self.labels)
        return {label: counts[label] for label in sorted(counts)}

    def meta_field(self, name: str) -> tuple:
        """The value of meta field ``name`` for every record (None where absent), e.g. ``doc_id`` for groups.

        Examples
        --------
        >>> LabelledData(("a", "b"), ("x", "y"), ({"doc_id": 1}, {}), "").meta_field("doc_id")
        (1, None)
        """
        return tuple(m.get(name) for m in self.meta)

    def where(self, i: int) -> Problem:
        """An empty :class:`Problem` locating record ``i`` (file and line), for messages.

        Examples
        --------
        >>> LabelledData(("a",), ("x",), ({},), "t.jsonl", (7,)).where(0)
        Problem(path='t.jsonl', line=7, message='')
        """
        if "file" in self.meta[i] and not self.lines:
            return Problem(os.path.join(self.path, str(self.meta[i]["file"])), None, "")
        line = self.lines[i] if self.lines else i + 1
        return Problem(self.path or "<memory>", line, "")


# ---------------------------------------------------------------------------------------------------- reading


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
            f"cannot tell the format of {str(path)!r} from its name; pass format= one of {FORMATS}"
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
    where = str(path)
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
    where = str(path)
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
    where = str(path)
    subdirs = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    for stray in sorted(path.glob("*.txt")):
        out.problems.append(Problem(str(stray), None, "text file outside a label folder"))
    if not subdirs:
        out.problems.append(Problem(where, None, "no label folders (expected one sub-folder per label)"))
    for sub in subdirs:
        files = sorted(p for p in sub.rglob("*.txt") if p.is_file())
        if not files:
            out.problems.append(Problem(str(sub), None, f"label folder {sub.name!r} has no .txt files"))
        for file in files:
            rel = file.relative_to(path).as_posix()
            try:
                text = file.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                out.problems.append(Problem(str(file), None, f"not valid UTF-8 (byte {exc.start})"))
                continue
            out.add(str(file), None, text, sub.name, {"file": rel})


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
        raise FileNotFoundError(f"labelled data not found: {str(path)!r}")
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
        path=str(path),
        lines=tuple(out.lines) if fmt != "folder" else (),
    )
    problems = out.problems + _check(data, min_per_label=min_per_label, allow_duplicates=allow_duplicates)
    if problems:
        raise DataError(sorted(problems, key=_problem_order))
    return data


def _problem_order(p: Problem) -> tuple[str, float, str]:
    return (p.path, p.line if p.line is not None else float("inf"), p.message)


# ------------------------------------------------------------------------------------------------- validation


def _key(text: str) -> str:
    """Comparison key for duplicates: NFC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _loc(data: LabelledData, i: int) -> str:
    p = data.where(i)
    return f"line {p.line}" if p.line is not None else p.path


def _check_records(data: LabelledData) -> list[Problem]:
    problems = []
    for i, (text, label) in enumerate(zip(data.texts, data.labels)):
        where = data.where(i)
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(where.path, where.line, "missing or empty text"))
        if not isinstance(label, str) or not label.strip():
            problems.append(Problem(where.path, where.line, "missing label"))
    return problems


def _check_counts(data: LabelledData, min_per_label: int) -> list[Problem]:
    where = data.path or "<memory>"
    if len(data) == 0:
        return [Problem(where, None, "no records")]
    counts = data.label_counts()
    problems = []
    for label, count in counts.items():
        if count < min_per_label:
            at = ", ".join(_loc(data, i) for i, lab in enumerate(data.labels) if lab == label)
            problems.append(
                Problem(where, None, f"label {label!r} has {count} example{'s' if count != 1 else ''} "
                                     f"(at least {min_per_label} needed): {at}")
            )
    if len(counts) < 2:
        problems.append(Problem(where, None, f"only one label ({next(iter(counts))!r}); need at least two"))
    return problems


def _check_duplicates(data: LabelledData) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for i, text in enumerate(data.texts):
        if not isinstance(text, str):
            continue
        k = _key(text)
        if k in first:
            j = first[k]
            here = data.where(i)
            clash = (
                f" (labels differ: {data.labels[j]!r} vs {data.labels[i]!r})"
                if data.labels[i] != data.labels[j] else ""
            )
            problems.append(Problem(here.path, here.line, f"duplicate text: same as {_loc(data, j)}{clash}"))
        else:
            first[k] = i
    return problems


def _check_overlap(train: LabelledData, test: LabelledData) -> list[Problem]:
    """Test records whose text (compared by :func:`_key`) also occurs in the training data."""
    seen: dict[str, int] = {}
    for i, text in enumerate(train.texts):
        if isinstance(text, str):
            seen.setdefault(_key(text), i)
    problems = []
    for i, text in enumerate(test.texts):
        if isinstance(text, str) and _key(text) in seen:
            j = seen[_key(text)]
            here = test.where(i)
            problems.append(
                Problem(here.path, here.line,
                        f"test text also in training data: {train.path or '<memory>'} {_loc(train, j)}")
            )
    return problems


def _warn(summary: str, problems: Sequence[Problem]) -> None:
    shown = [f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown.append(f"  ... and {len(problems) - MAX_PROBLEMS_SHOWN} more")
    warnings.warn("\n".join([summary + ":", *shown]), DataWarning, stacklevel=4)


def _check(data: LabelledData, *, min_per_label: int, allow_duplicates: bool) -> list[Problem]:
    problems = _check_records(data) + _check_counts(data, min_per_label)
    duplicates = _check_duplicates(data)
    if allow_duplicates:
        if duplicates:
            _warn(f"{len(duplicates)} duplicate text(s) kept (allow_duplicates=True)", duplicates)
        return problems
    return problems + duplicates


def validate(
    data: LabelledData,
    *,
    min_per_label: int = 2,
    test: LabelledData | None = None,
    allow_duplicates: bool = False,
    allow_overlap: bool = False,
) -> None:
    """Check labelled data; raise one :class:`DataError` listing every problem.

    Checks: every text is a non-empty string and every label a non-empty string; at least one record and two
    labels; each label has at least ``min_per_label`` records (the message names the label, its count and
    where its records are); no text repeats (compared after NFC normalisation, case folding and collapsing
    white space; the message names both lines and whether their labels differ); and, when ``test`` is given,
    no test text appears in ``data`` (a leak: the message names the test line and the training line). The
    test data gets the record checks too, but not the per-label minimum.

    Parameters
    ----------
    data : LabelledData
        Training data.
    min_per_label : int
        Fewest records a label may have; stratified cross-validation with k folds needs k.
    test : LabelledData or None
        Held-out data to check for overlap with ``data``.
    allow_duplicates : bool
        If True, repeated texts within a file give a :class:`DataWarning` instead of an error (overlap between
        ``data`` and ``test`` is governed by ``allow_overlap``).
    allow_overlap : bool
        If True, test texts that also occur in ``data`` give a :class:`DataWarning` instead of an error.

    Raises
    ------
    DataError

    Examples
    --------
    >>> train = LabelledData(("a", "b", "c", "d"), ("x", "x", "y", "y"), ({},) * 4, "train.jsonl")
    >>> test = LabelledData(("e", "B"), ("x", "y"), ({},) * 2, "test.jsonl")
    >>> try:
    ...     validate(train, test=test)
    ... except DataError as err:
    ...     print(err.problems[0])
    test.jsonl:2: test text also in training data: train.jsonl line 2
    """
    problems = _check(data, min_per_label=min_per_label, allow_duplicates=allow_duplicates)
    if test is not None:
        problems += _check_records(test)
        if len(test) == 0:
            problems.append(Problem(test.path or "<memory>", None, "no records"))
        overlap = _check_overlap(data, test)
        if allow_overlap and overlap:
            _warn(f"{len(overlap)} test text(s) also in the training data (allow_overlap=True)", overlap)
        else:
            problems += overlap
    if problems:
        raise DataError(sorted(problems, key=_problem_order))


# -------------------------------------------------------------------------------------------------- hashing


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

