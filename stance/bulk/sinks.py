"""Writing a bulk run's results: chunk by chunk into a work folder, then one atomic assembly; resuming a run.

Design (crash safety without a journal):

- The work folder ``<out>.parts/`` beside the output holds ``run.json`` (the run's fingerprint: inputs, options,
  models; written atomically when the run starts) and one part file per committed chunk,
  ``part-<index>-<rows>-<errors>.<ext>``. A part is written to a temporary file, fsync'd and renamed
  (:func:`stance.files.atomic_write`): a part file that exists is complete, and a chunk whose part is missing
  was not committed. Nothing else records progress, so nothing else can disagree with the parts.
- Chunks are numbered by their position in the input (chunk ``k`` holds rows ``k*size`` to ``(k+1)*size - 1``),
  so parts may be committed in any order (parallel workers finish out of order) and a resumed run knows which
  chunks to redo: exactly those without a part. A killed run (SIGKILL, Ctrl-C, power loss) loses at most the
  chunks in flight; none is duplicated, none is lost.
- When every chunk is committed the output is assembled from the parts in index order into a temporary file
  beside it, fsync'd and renamed onto ``out`` (:func:`stance.files.atomic_open`), and only then is the work
  folder removed. A crash during assembly leaves the parts; ``--resume`` assembles again.
- ``--resume`` refuses a run whose fingerprint differs (another input, a changed file, other options or models),
  and an input read from standard input (it cannot be read again).

Formats, from the output's suffix: ``.jsonl`` (parts are JSON Lines, assembled by concatenation), ``.parquet``
(parts are Parquet; the output's schema unifies theirs: a column that is null in one part and typed in another
takes the type; one with incompatible types becomes text), ``.csv`` (parts are JSON Lines; the header is the
union of their columns; nested values are JSON text; with passages a second file ``<stem>.passages.csv``).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..display import display_path
from ..files import atomic_open, atomic_write, fsync_folder, to_jsonable
from .table import column_order, text_column

__all__ = ["OUTPUT_FORMATS", "ResumeError", "RunFolder", "output_format"]

OUTPUT_FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
"""Output suffixes and their formats."""

_PART = re.compile(r"^part-(\d{8})-(\d+)-(\d+)\.(jsonl|parquet)$")
_ROW_GROUP = 8192  # rows per Parquet row group in the assembled output (parts are smaller)


class ResumeError(ValueError):
    """A run that cannot start or resume as asked (an interrupted run in the way, or a different one)."""


def output_format(path: str | os.PathLike) -> str:
    """``jsonl``, ``csv`` or ``parquet`` from an output path's suffix.

    Examples
    --------
    >>> output_format("r.parquet"), output_format("out/R.JSONL")
    ('parquet', 'jsonl')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise ValueError(f"{path}: the output's suffix must be one of {', '.join(OUTPUT_FORMATS)} (it says the format)")
    return OUTPUT_FORMATS[suffix]


def _difference(old: Any, new: Any, where: str = "") -> str | None:
    """The first place two fingerprints differ, as ``where: old -> new``; None if equal."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(dict.fromkeys([*old, *new])):
            found = _difference(old.get(key), new.get(key), f"{where}.{key}" if where else str(key))
            if found:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for k, (a, b) in enumerate(zip(old, new)):
            found = _difference(a, b, f"{where}[{k}]")
            if found:
                return found
        return None
    return None if old == new else f"{where}: {json.dumps(old, ensure_ascii=False)[:80]} -> " \
                                   f"{json.dumps(new, ensure_ascii=False)[:80]}"


class RunFolder:
    """The work folder of a run writing ``out``: its fingerprint, its committed parts, the final assembly."""

    def __init__(self, out: str | os.PathLike) -> None:
        self.out = Path(out)
        self.format = output_format(self.out)
        self.folder = self.out.with_name(self.out.name + ".parts")
        self.encoding = "parquet" if self.format == "parquet" else "jsonl"
        self._parts: dict[int, tuple[Path, int, int]] = {}

    # ----------------------------------------------------------------------------------- starting

    def start(self, fingerprint: dict[str, Any], *, resume: bool) -> None:
        """Begin a run (creating the folder and ``run.json``) or, with ``resume``, continue the one there."""
        if resume:
            self._resume(fingerprint)
            return
        if self.folder.exists():
            raise ResumeError(
                f"{display_path(self.folder)} holds an interrupted run writing {display_path(self.out)}: "
                "continue it with --resume "
                "(same inputs and options), or delete that folder to start again")
        self.folder.mkdir(parents=True)
        record = {"out": display_path(self.out.name),
                  "started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "fingerprint": fingerprint}
        atomic_write(self.folder / "run.json", json.dumps(to_jsonable(record), ensure_ascii=False, indent=1))

    def _resume(self, fingerprint: dict[str, Any]) -> None:
        if not (self.folder / "run.json").is_file():
            state = "is complete" if self.out.exists() else "was never started"
            raise ResumeError(f"nothing to resume: {display_path(self.folder)} does not exist "
                              f"({display_path(self.out)} {state})")
        recorded = json.loads((self.folder / "run.json").read_text(encoding="utf-8"))["fingerprint"]
        if not recorded.get("resumable", True) or not fingerprint.get("resumable", True):
            raise ResumeError("cannot --resume a run that reads standard input (it cannot be read again)")
        diff = _difference(recorded, to_jsonable(fingerprint))
        if diff:
            raise ResumeError(f"cannot --resume: this run differs from the interrupted one in {diff}; "
                              f"run it without --resume after deleting {display_path(self.folder)}, or resume with "
                              "the same inputs and options")
        for stale in self.folder.glob(".*.tmp"):  # an atomic write cut short by the kill
            stale.unlink(missing_ok=True)
        for path in self.folder.iterdir():
            match = _PART.match(path.name)
            if match:
                self._parts[int(match.group(1))] = (path, int(match.group(2)), int(match.group(3)))

    def discard_if_empty(self) -> None:
        """Remove the folder of a run that committed nothing (it failed to start): nothing to resume."""
        if self.folder.is_dir() and not self._parts and not any(self.folder.glob("part-*")):
            shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def committed(self) -> dict[int, tuple[Path, int, int]]:
        """Committed chunks: index -> (part file, rows, errors)."""
        return self._parts

    # ---------------------------------------------------------------------------------- committing

    def commit(self, index: int, data: bytes, rows: int, errors: int) -> None:
        """Write one chunk's part atomically: from now on it survives any crash and is never redone."""
        path = self.folder / f"part-{index:08d}-{rows}-{errors}.{self.encoding}"
        atomic_write(path, data)
        self._parts[index] = (path, rows, errors)

    # ---------------------------------------------------------------------------------- assembling

    def finish(self, chunks: int, labels: Sequence[str], *, passages: bool) -> tuple[int, int]:
        """Assemble the output from parts ``0 .. chunks-1`` and remove the folder; returns ``(rows, errors)``."""
        missing = [k for k in range(chunks) if k not in self._parts]
        if missing or any(k >= chunks for k in self._parts):
            raise RuntimeError(f"{display_path(self.folder)}: chunks {missing[:10]} are not committed, or parts "
                               "beyond chunk "
                               f"{chunks - 1} exist; the run cannot be assembled")
        parts = [self._parts[k][0] for k in range(chunks)]
        if self.format == "jsonl":
            with atomic_open(self.out) as out:
                for part in parts:
                    with open(part, "rb") as f:
                        shutil.copyfileobj(f, out, 1 << 20)
        elif self.format == "parquet":
            _assemble_parquet(parts, self.out, labels, passages=passages)
        else:
            _assemble_csv(parts, self.out, labels, passages=passages)
        shutil.rmtree(self.folder)
        fsync_folder(self.out.parent)
        return sum(v[1] for v in self._parts.values()), sum(v[2] for v in self._parts.values())


def _assemble_parquet(parts: list[Path], out: Path, labels: Sequence[str], *, passages: bool) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = [pq.read_schema(p) for p in parts]
    names = column_order((n for s in schemas for n in s.names), labels, passages=passages)
    fields = []
    for name in names:
        types = [s.field(name).type for s in schemas if name in s.names]
        try:
            type_ = pa.unify_schemas([pa.schema([(name, t)]) for t in types], promote_options="permissive")[0].type
        except (pa.ArrowException, TypeError):
            type_ = pa.string()  # incompatible types in different chunks: keep every value, as text
        fields.append(pa.field(name, type_))
    schema = pa.schema(fields)
    with atomic_open(out) as f:
        writer = pq.ParquetWriter(f, schema)
        buffered: list[Any] = []
        count = 0
        for part in parts:
            buffered.append(_conform(pq.read_table(part), schema))
            count += buffered[-1].num_rows
            if count >= _ROW_GROUP:
                writer.write_table(pa.concat_tables(buffered))
                buffered, count = [], 0
        if buffered:
            writer.write_table(pa.concat_tables(buffered))
        writer.close()


def _conform(table: Any, schema: Any) -> Any:
    """``table`` with ``schema``'s columns, in order, of its types (missing ones null)."""
    import pyarrow as pa

    columns = []
    for field in schema:
        if field.name not in table.column_names:
            columns.append(pa.nulls(table.num_rows, field.type))
            continue
        column = table.column(field.name)
        try:
            columns.append(column.cast(field.type))
        except (pa.ArrowException, TypeError, ValueError):  # the column became text: each value as text
            columns.append(text_column(column.to_pylist()))
    return pa.Table.from_arrays(columns, schema=schema)


def _json_rows(parts: list[Path]) -> Iterator[dict[str, Any]]:
    for part in parts:
        with open(part, "rb") as f:
            for line in f:
                yield json.loads(line)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _assemble_csv(parts: list[Path], out: Path, labels: Sequence[str], *, passages: bool) -> None:
    names = column_order((k for row in _json_rows(parts) for k in row), labels, passages=passages)
    main = [n for n in names if n != "passages"]
    scores = [f"stance_{k}" for k in labels]
    side = out.with_name(out.stem + ".passages.csv")
    with atomic_open(out) as f, (atomic_open(side) if passages else open(os.devnull, "wb")) as g:
        text = _TextSink(f)
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(main)
        side_text = _TextSink(g)
        side_writer = csv.writer(side_text, lineterminator="\n")
        if passages:
            side_writer.writerow(["id", "index", "text", "stance", *scores])
        for row in _json_rows(parts):
            writer.writerow([_cell(row.get(n)) for n in main])
            for p in row.get("passages") or []:
                side_writer.writerow([row["id"], p["index"], p["text"], p["stance"], *(_cell(p.get(s)) for s in scores)])
        text.flush()
        side_text.flush()


class _TextSink:
    """A text ``write`` over a binary file, encoding UTF-8 in blocks (csv writers want text)."""

    def __init__(self, binary: Any) -> None:
        self.binary, self.buffer, self.size = binary, [], 0

    def write(self, text: str) -> int:
        self.buffer.append(text)
        self.size += len(text)
        if self.size >= 1 << 20:
            self.flush()
        return len(text)

    def flush(self) -> None:
        self.binary.write("".join(self.buffer).encode("utf-8", "backslashreplace"))
        self.buffer, self.size = [], 0
