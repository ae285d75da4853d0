"""The results table: one row per input article, its columns, and the encodings chunks of rows are written in.

A row (``docs/scale.md``, "The results table") is ``id``, the passthrough fields of the input row, the model
columns of :meth:`stance.api.Result.to_record` (``topic`` ... ``evidence``, and ``passages`` when asked) and
``error``. A row that could not be classified has ``error`` set and every model column null. A passthrough
field named like an output column (``id`` when the id comes from another field, ``topic``, ``stance_pro``,
``error``...) is renamed ``input_<name>`` so that nothing is overwritten.

Encodings (:func:`encode`), each one chunk of rows as bytes, made in the worker that classified them:

- ``jsonl``: JSON Lines, values kept as JSON values (dates as ISO strings);
- ``parquet``: a Parquet file; model columns with fixed Arrow types, passthrough columns with the input's types
  (Parquet input) or inferred ones; a column whose values have mixed types within a chunk holds their JSON text;
- ``text`` / ``text+passages``: the human-readable blocks of ``stance classify`` on a terminal;
- ``path-jsonl``: ``stance classify --format jsonl`` on standard output (``path``, ``error`` and
  :meth:`~stance.api.Result.to_dict`), kept as it was before tables existed.

Examples
--------
>>> from stance.bulk.sources import Item
>>> from stance import classify
>>> items = [Item("a1", "Quân Mỹ rút khỏi Iraq.", {"date": "2020-01-05"}), Item("a2", None, {}, "t.jsonl:2: empty text")]
>>> rows = records(items, [classify(items[0].text), None], labels=("pro", "anti", "neutral", "unrelated"))
>>> list(rows[0])[:3], rows[0]["error"], rows[1]["stance"], rows[1]["error"]
(['id', 'date', 'topic'], None, None, 't.jsonl:2: empty text')
"""

from __future__ import annotations

import io
import json
from typing import Any, Iterable, Sequence

from ..display import result_text
from ..files import to_jsonable
from .sources import Item, lossless

__all__ = ["ENCODINGS", "arrow_column", "arrow_table", "text_column", "column_order", "encode", "model_columns", "output_name", "records"]

ENCODINGS = ("jsonl", "parquet", "text", "text+passages", "path-jsonl")

_OWN = frozenset({"id", "topic", "topic_name", "topic_score", "stance", "evidence", "passages", "error"})


def output_name(field: str) -> str:
    """The column a passthrough field gets: its own name, or ``input_<name>`` if the table uses the name.

    Examples
    --------
    >>> output_name("date"), output_name("id"), output_name("stance_pro")
    ('date', 'input_id', 'input_stance_pro')
    """
    return f"input_{field}" if field in _OWN or field.startswith(("stance_", "input_")) else field


def model_columns(labels: Sequence[str], *, passages: bool = False) -> list[str]:
    """The model columns, in order, for a stance model with ``labels`` (in display order).

    Examples
    --------
    >>> model_columns(["pro", "anti", "neutral", "unrelated"])[3:]
    ['stance', 'stance_pro', 'stance_anti', 'stance_neutral', 'stance_unrelated', 'evidence']
    """
    return ["topic", "topic_name", "topic_score", "stance", *(f"stance_{k}" for k in labels), "evidence",
            *(["passages"] if passages else [])]


def column_order(names: Iterable[str], labels: Sequence[str], *, passages: bool = False) -> list[str]:
    """The columns of a table whose rows hold ``names`` (any order): ``id``, passthrough, model, ``error``.

    Examples
    --------
    >>> column_order(["id", "topic", "error", "date", "evidence", "source"], ["pro"])
    ['id', 'date', 'source', 'topic', 'topic_name', 'topic_score', 'stance', 'stance_pro', 'evidence', 'error']
    """
    model = model_columns(labels, passages=passages)
    fixed = {"id", "error", *model}
    passthrough = [n for n in dict.fromkeys(names) if n not in fixed]
    return ["id", *passthrough, *model, "error"]


def records(
    items: Sequence[Item], results: Sequence[Any], *, labels: Sequence[str], passages: bool = False
) -> list[dict[str, Any]]:
    """The rows of the results table for ``items`` and their results (None, or an error message, for a row
    that was not classified; the message then replaces a missing ``item.error``)."""
    empty = dict.fromkeys(model_columns(labels, passages=passages))
    rows = []
    for item, result in zip(items, results):
        row: dict[str, Any] = {"id": item.id}
        for name, value in item.fields.items():
            row[output_name(name)] = value
        if result is None or isinstance(result, str):
            row.update(empty)
            row["error"] = item.error or result or "not classified"
        else:
            row.update(result.to_record(passages=passages))
            row["error"] = None
        rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------- encodings


def _json_line(value: Any) -> bytes:
    # A lone surrogate (a JSON input may hold one) becomes its \\udXXX escape: still valid JSON, same value.
    return (json.dumps(to_jsonable(value), ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")


def encode(
    encoding: str,
    items: Sequence[Item],
    results: Sequence[Any],
    *,
    labels: Sequence[str],
    passages: bool = False,
    types: dict[str, Any] | None = None,
) -> bytes:
    """One chunk of classified items in ``encoding`` (one of :data:`ENCODINGS`).

    ``results`` holds, per item, its :class:`~stance.api.Result`, or None / an error message when the item was
    not classified. ``types`` are Arrow types of passthrough fields (input names) for ``parquet``.
    """
    if encoding == "jsonl":
        return b"".join(_json_line(r) for r in records(items, results, labels=labels, passages=passages))
    if encoding == "parquet":
        import pyarrow.parquet as pq

        table = arrow_table(records(items, results, labels=labels, passages=passages), labels,
                            passages=passages, types=types)
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        return buffer.getvalue()
    if encoding in ("text", "text+passages"):
        blocks = []
        for item, result in zip(items, results):
            if result is None or isinstance(result, str):
                blocks.append(f"{item.id}\n  error    {item.error or result}\n\n")
            else:
                blocks.append(result_text(item.id, result, show_passages=encoding == "text+passages") + "\n")
        return "".join(blocks).encode("utf-8", "backslashreplace")
    if encoding == "path-jsonl":
        lines = []
        for item, result in zip(items, results):
            row: dict[str, Any] = {"path": item.id, "error": item.error or (result if isinstance(result, str) else None)}
            if row["error"] is None and result is not None:
                row.update(result.to_dict())
            lines.append(_json_line(row))
        return b"".join(lines)
    raise ValueError(f"encoding must be one of {ENCODINGS}, got {encoding!r}")


# ------------------------------------------------------------------------------------------------ arrow


def model_types(labels: Sequence[str], *, passages: bool = False) -> dict[str, Any]:
    """Arrow types of ``id``, the model columns and ``error``: the same in every chunk, whatever it holds."""
    import pyarrow as pa

    f, s, i = pa.float64(), pa.string(), pa.int64()
    scores = [(f"stance_{k}", f) for k in labels]
    types = {"id": s, "topic": s, "topic_name": s, "topic_score": f, "stance": s, **dict(scores),
             "evidence": pa.list_(pa.struct([("index", i), ("text", s), ("stance", s), ("score", f)]))}
    if passages:
        types["passages"] = pa.list_(pa.struct([("index", i), ("text", s), ("stance", s), *scores]))
    types["error"] = s
    return types


def arrow_column(values: list[Any], type_: Any = None) -> Any:
    """An Arrow array of ``values``: of ``type_`` when given and possible, else inferred, else (mixed types in
    one column) the values' JSON text."""
    import pyarrow as pa

    errors = (pa.ArrowException, TypeError, ValueError, OverflowError)
    if type_ is not None:
        try:
            return pa.array(values, type=type_)
        except errors:
            pass
    try:
        return pa.array(values)
    except errors:
        pass
    return text_column(values)


def text_column(values: list[Any]) -> Any:
    """An Arrow string array of ``values``: strings as they are, other values as their JSON text."""
    import pyarrow as pa

    texts = [None if v is None else lossless(v if isinstance(v, str) else json.dumps(to_jsonable(v), ensure_ascii=False))
             for v in values]
    return pa.array(texts, type=pa.string())


def arrow_table(
    rows: Sequence[dict[str, Any]], labels: Sequence[str], *, passages: bool = False, types: dict[str, Any] | None = None
) -> Any:
    """A :class:`pyarrow.Table` of rows of the results table (columns in :func:`column_order`)."""
    import pyarrow as pa

    fixed = model_types(labels, passages=passages)
    passthrough = {output_name(k): v for k, v in (types or {}).items()}
    names = column_order((k for row in rows for k in row), labels, passages=passages)
    arrays = [arrow_column([row.get(name) for row in rows], fixed.get(name, passthrough.get(name))) for name in names]
    return pa.Table.from_arrays(arrays, names=names)
