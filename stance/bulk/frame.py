"""Tables in Python: :func:`classify_frame` classifies a pandas DataFrame, one article per row.

The result has the columns of the results table (``docs/scale.md``): ``id``, the other columns of the input
(renamed ``input_<name>`` where they would collide, see :func:`stance.bulk.table.output_name`), the model
columns and ``error``; one row per input row, in order, with the input's index. Model columns have fixed
dtypes whatever the rows hold (labels, evidence and error ``object``, probabilities ``float64``, NaN on rows
with an error), so frames from different chunks or partitions concatenate cleanly.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"text": ["Quốc hội Iraq yêu cầu quân Mỹ rút khỏi nước này.", ""], "source": ["vnexpress", "x"]})
>>> out = classify_frame(df)
>>> out[["id", "source", "stance", "error"]].values.tolist()
[['0', 'vnexpress', 'anti', None], ['1', 'x', None, '<frame>: row 1: empty text']]
"""

from __future__ import annotations

from typing import Any

from .parallel import (
    ChunkTask,
    ProcessPool,
    SerialExecutor,
    can_fork_workers,
    models_for,
    registered,
    resolve_jobs,
    run_tasks,
    stance_labels,
)
from .sources import Item, row_item
from .table import model_columns, output_name, records

__all__ = ["classify_frame", "frame_columns"]

CHUNK = 256


def frame_columns(labels: list[str], *, passages: bool) -> dict[str, str]:
    """The dtype of each model column (and ``id``, ``error``) of a classified frame."""
    dtypes = {"id": "object"}
    for name in model_columns(labels, passages=passages):
        dtypes[name] = "float64" if name == "topic_score" or (name.startswith("stance_")) else "object"
    dtypes["error"] = "object"
    return dtypes


def classify_frame(
    df: Any,
    text: str = "text",
    id: str | None = None,
    passages: bool = False,
    n_jobs: int | None = None,
    *,
    topic_model: Any = None,
    stance_model: Any = None,
) -> Any:
    """Classify the articles of a pandas DataFrame, one per row; a DataFrame of the results table back.

    Parameters
    ----------
    df : pandas.DataFrame
        One article per row.
    text : str, default="text"
        The column holding the text.
    id : str, optional
        The column holding the id; by default ``"id"`` if there is one, else the row number.
    passages : bool, default=False
        Add a ``passages`` column: every passage with its label and probabilities.
    n_jobs : int, optional
        Worker processes for a large frame (None or -1: every core; 1: this process).
    topic_model, stance_model : estimator, optional
        Models instead of the shipped ones.

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``; a row whose text is missing, null, not a string or empty has ``error`` set.

    Raises
    ------
    TypeError
        ``df`` is not a pandas DataFrame.
    ValueError
        ``text`` (or ``id``, when given) is not a column of ``df``.
    """
    return frame_rows(df, text=text, id=id, passages=passages, n_jobs=n_jobs, topic_model=topic_model,
                      stance_model=stance_model, first_row=0)


def frame_rows(
    df: Any, *, text: str, id: str | None, passages: bool, n_jobs: int | None, topic_model: Any, stance_model: Any,
    first_row: int,
) -> Any:
    """:func:`classify_frame` of rows numbered from ``first_row`` (a partition of a larger frame)."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"classify_frame: expected a pandas DataFrame, got {type(df).__module__}.{type(df).__name__}"
                        + ("; for a dask DataFrame use stance.dask.classify_dataframe" if hasattr(df, "dask") else ""))
    columns = [str(c) for c in df.columns]
    if text not in columns:
        raise ValueError(f"classify_frame: no column {text!r} (columns: {columns[:20]}); name it with text=")
    if id is not None and id not in columns:
        raise ValueError(f"classify_frame: no column {id!r} (columns: {columns[:20]}); name it with id=")
    id_field = id if id is not None else ("id" if "id" in columns else None)
    wanted = [text] + ([id_field] if id_field else [])
    items = [
        row_item(f"<frame>: row {first_row + k}", first_row + k, dict(zip(wanted, values)),
                 text_field=text, id_field=id_field)
        for k, values in enumerate(zip(*(df[c].tolist() for c in wanted)))
    ] if len(df) else []
    with registered(topic_model, stance_model) as token:
        labels = stance_labels(models_for(token)[1])
        results = _classify(items, token, n_jobs)
    rows = records(items, results, labels=labels, passages=passages)
    dtypes = frame_columns(labels, passages=passages)
    out = pd.DataFrame({name: pd.Series([r[name] for r in rows], index=df.index, dtype=dtype)
                        for name, dtype in dtypes.items()}, index=df.index)
    position = 1
    for column in df.columns:
        if str(column) in (text, id_field):
            continue
        out.insert(position, output_name(str(column)), df[column].array)
        position += 1
    return out


def _classify(items: list[Item], token: str, n_jobs: int | None) -> list[Any]:
    from ..api import PARALLEL_MIN_TEXTS

    jobs = resolve_jobs(n_jobs)
    parallel = jobs > 1 and len(items) >= PARALLEL_MIN_TEXTS and can_fork_workers()
    executor = ProcessPool(jobs, token) if parallel else SerialExecutor()
    tasks = (ChunkTask(k, tuple(items[start:start + CHUNK]), "results", models=token)
             for k, start in enumerate(range(0, len(items), CHUNK)))
    out: list[Any] = []
    try:
        for result in run_tasks(executor, tasks, window=2 * executor.jobs, ordered=True):
            out.extend(result.values or [])
    finally:
        executor.close()
    return out
