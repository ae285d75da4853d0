"""Reading a results table (what bulk ``stance classify --out`` writes) for a corpus report.

Formats, from the file name: JSON Lines (``.jsonl``, ``.ndjson``, optionally ``.xz``) and JSON arrays
(``.json``) through :func:`stance.files.iter_json_records`; CSV/TSV (``.csv``, ``.tsv``: ``evidence`` is a JSON
string there); Parquet (``.parquet``, read with pyarrow). The columns are those of
:meth:`stance.api.Result.to_record` plus ``id``, the passthrough fields and ``error``. A row with an ``error``
has no model values; every other row must have a stance and probabilities in [0, 1]: a table that breaks that
is refused with the file, the line (or row) and the field.

Examples
--------
>>> import pathlib, tempfile, json
>>> from stance import classify
>>> row = {"id": "a", "site": "VNE", **classify("Quân Mỹ rút khỏi Iraq.").to_record(), "error": None}
>>> bad = {"id": "b", "site": "TT", "error": "empty text"}
>>> path = pathlib.Path(tempfile.mkdtemp()) / "r.jsonl"
>>> _ = path.write_text(json.dumps(row) + "\\n" + json.dumps(bad) + "\\n", encoding="utf-8")
>>> table = read_results(path)
>>> table.frame["error"].tolist(), table.labels, table.where(1)
([None, 'empty text'], ['pro', 'anti', 'neutral', 'unrelated'], '...r.jsonl:2')
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..display import display_path
from ..files import iter_json_records, json_layout, parse_json
from ..labels import STANCE_LABELS

__all__ = ["REQUIRED", "ResultsTable", "read_results"]

REQUIRED = ("id", "topic", "topic_score", "stance", "evidence")
"""Columns a results table must have (besides one ``stance_<label>`` column per stance label)."""


@dataclass(frozen=True)
class ResultsTable:
    """A checked results table.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per input document; ``error`` is None for classified rows; ``evidence`` is a list of dicts.
    labels : list of str
        The stance labels (pro, anti, neutral, unrelated first, then any other label of the model).
    path : str
        The file read.
    lines : list of int or None
        The line each row starts on (JSON), None for CSV and Parquet (rows are then named by their 0-based
        number, as the ``id`` of a table row without one).
    """

    frame: pd.DataFrame
    labels: list[str]
    path: str
    lines: list[int] | None

    def where(self, row: int) -> str:
        """``file:line`` of a row (``file: row N`` for CSV and Parquet)."""
        return f"{self.path}:{self.lines[row]}" if self.lines is not None else f"{self.path}: row {row}"


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT


def _plain(value: object) -> object:
    """A numpy scalar as the Python value it holds (for messages)."""
    return value.item() if hasattr(value, "item") else value


def _read_frame(path: Path) -> tuple[pd.DataFrame, list[int] | None]:
    suffixes = [s.lower() for s in path.suffixes]
    if json_layout(path):
        records, lines = [], []
        for item in iter_json_records(path):
            records.append(item.checked())
            lines.append(item.line)
        return pd.DataFrame.from_records(records), lines
    kind = suffixes[-1] if suffixes else ""
    try:
        if kind in (".csv", ".tsv"):
            frame = pd.read_csv(path, sep="\t" if kind == ".tsv" else ",", keep_default_na=False,
                                na_values=[""], dtype={"id": str, "error": str}, encoding="utf-8")
            return frame, None  # rows, not lines: a quoted field may hold line breaks
        if kind == ".parquet":
            return pd.read_parquet(path), None
    except (ValueError, OSError) as exc:  # pandas' and pyarrow's parse errors are ValueErrors
        raise ValueError(f"{path}: cannot be read as {kind[1:].upper()}: {exc}") from None
    raise ValueError(f"{path}: not a results table (expected .jsonl, .ndjson, .json, .csv, .tsv or .parquet)")


def _evidence(value: object, where: str) -> list[dict]:
    if _missing(value):
        return []
    if isinstance(value, str):
        try:
            value = parse_json(value)
        except ValueError as exc:
            raise ValueError(f"{where}: field 'evidence' is not JSON ({str(exc).removeprefix('bad JSON: ')})") from None
    if hasattr(value, "tolist") and not isinstance(value, (list, dict)):
        value = value.tolist()  # Parquet gives numpy arrays of dicts
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise ValueError(f"{where}: field 'evidence' must be a list of objects, got {type(value).__name__}")
    return value


def _check_probabilities(frame: pd.DataFrame, fields: list[str], ok_rows: pd.Series, where) -> None:
    """Refuse the first classified row whose value of a field is not a probability, naming it."""
    for field in fields:
        column = frame[field]
        numbers = pd.to_numeric(column.where(~column.map(lambda v: isinstance(v, (bool, str)))), errors="coerce")
        bad = ok_rows & ~(numbers.between(0, 1))  # NaN and infinities are not between 0 and 1
        if bad.any():
            k = int(bad.to_numpy().nonzero()[0][0])
            raise ValueError(f"{where(k)}: field {field!r} must be a probability in [0, 1], got {_plain(column[k])!r}")


def read_results(path: str | os.PathLike) -> ResultsTable:
    """Read and check a results table.

    Parameters
    ----------
    path : path-like
        ``.jsonl`` / ``.ndjson`` / ``.json`` (optionally ``.xz``), ``.csv`` / ``.tsv`` or ``.parquet``.

    Returns
    -------
    ResultsTable

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ValueError
        Unknown format, a missing column, or a row that is neither an error nor a classified document (the
        message names the file, the line or row, and the field).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    frame, lines = _read_frame(path)
    table_where = ResultsTable(frame, [], display_path(path), lines).where
    if frame.empty:
        raise ValueError(f"{path}: the table has no rows")
    missing = [c for c in REQUIRED if c not in frame.columns]
    columns = list(frame.columns)
    after = columns[columns.index("stance") + 1:] if "stance" in columns else []
    found = [c[len("stance_"):] for c in after if c.startswith("stance_")]
    missing += [f"stance_{k}" for k in STANCE_LABELS if k not in found]
    if missing:
        raise ValueError(f"{path}: not a results table: missing column(s) {', '.join(missing)} "
                         f"(it has {', '.join(map(str, columns[:12]))})")
    labels = [k for k in STANCE_LABELS if k in found] + [k for k in found if k not in STANCE_LABELS]
    frame = frame.reset_index(drop=True)
    if "error" not in frame.columns:
        frame["error"] = None
    frame["error"] = pd.Series([None if _missing(e) or e == "" else str(e) for e in frame["error"]], dtype=object)
    frame["id"] = [str(i) if not _missing(i) else str(k) for k, i in enumerate(frame["id"])]
    ok_rows = frame["error"].isna()
    for field in ("stance", "topic"):
        bad = ok_rows & ~frame[field].map(lambda v: isinstance(v, str) and v != "")
        if bad.any():
            k = int(bad.to_numpy().nonzero()[0][0])
            raise ValueError(f"{table_where(k)}: a row without 'error' needs a label in {field!r}, "
                             f"got {frame[field][k]!r}")
    bad = ok_rows & ~frame["stance"].isin(labels)
    if bad.any():
        k = int(bad.to_numpy().nonzero()[0][0])
        raise ValueError(f"{table_where(k)}: stance {frame['stance'][k]!r} has no 'stance_<label>' column "
                         f"(labels: {', '.join(labels)})")
    _check_probabilities(frame, ["topic_score", *(f"stance_{k}" for k in labels)], ok_rows, table_where)
    evidence = [[] if error is not None else _evidence(value, table_where(k))
                for k, (error, value) in enumerate(zip(frame["error"].tolist(), frame["evidence"].tolist()))]
    frame["evidence"] = evidence
    return ResultsTable(frame, labels, display_path(path), lines)
