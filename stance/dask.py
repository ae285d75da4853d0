"""Beyond one machine: classification on a dask.distributed cluster.

Two ways in:

- ``stance classify ... --out r.parquet --scheduler tcp://host:8786`` (or :func:`stance.bulk.classify_corpus`
  with ``scheduler=``): the run reads its inputs here and the cluster classifies the chunks.
  :class:`DaskExecutor` is just another executor of :mod:`stance.bulk.parallel`'s chunk tasks, so ordering,
  commits, ``--resume`` and the output are those of a local run. ``--scheduler local`` starts a
  :class:`~distributed.LocalCluster` here (``--jobs`` worker processes, one thread each).
- :func:`classify_dataframe` for a dask DataFrame (read from Parquet or CSV partitions by the workers
  themselves): ``map_partitions`` of :func:`stance.classify_frame`, with the right ``meta``. Write it with
  ``result.to_parquet(path, schema=parquet_schema(result), write_index=False)``: dask cannot infer a Parquet
  schema for ``object`` columns (the labels, ``evidence``), :func:`parquet_schema` gives the results table's.

Models. The shipped models are loaded by each worker process once, on its first task (a per-process cache,
:func:`stance.api.pretrained_model`). A model of your own is loaded and checked here, on the client, with
:func:`stance.persist.load` (``--stance-model``/``--topic-model``); what reaches the workers is that object,
serialised by Dask as the result of one task (:meth:`distributed.Client.submit` of the object), which each
worker fetches once and keeps. No worker ever reads or unpickles a model file. If a worker dies, Dask
recomputes that task (its data lives in the scheduler's task graph) and reruns the chunks it was running, so
no rows are lost.

Examples
--------
>>> import dask.dataframe as dd, pandas as pd
>>> df = pd.DataFrame({"text": ["Quân Mỹ rút khỏi Iraq.", "Đội tuyển Việt Nam thắng Thái Lan 2-0."]})
>>> out = classify_dataframe(dd.from_pandas(df, npartitions=2)).compute(scheduler="sync")
>>> out[["id", "topic"]].values.tolist()
[['0', 'The gioi'], ['1', 'The thao']]
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from .bulk.frame import frame_rows
from .bulk.parallel import SHIPPED, ChunkResult, ChunkTask, models_for, register_models, run_chunk
from .bulk.table import model_types

__all__ = ["CONNECT_SECONDS", "ClusterError", "DaskExecutor", "classify_dataframe", "parquet_schema"]

CONNECT_SECONDS = 30
"""How long to wait for a scheduler to answer."""


class ClusterError(ValueError):
    """A Dask cluster that cannot be used (no scheduler at the address given)."""


def _models(topic_model: Any, stance_model: Any) -> tuple[Any, Any]:
    return topic_model, stance_model


def _warm() -> int:
    models_for(SHIPPED)
    return os.getpid()


def _run_chunk_here(task: ChunkTask, models: tuple[Any, Any] | None) -> ChunkResult:
    """On a worker: make the run's models known in this process (the same object for every task here, so
    once), then classify the chunk."""
    if models is not None:
        register_models(*models, token=task.models)
    return run_chunk(task)


class DaskExecutor:
    """Chunk tasks on a dask.distributed cluster: ``scheduler`` is an address, or ``"local"`` to start a
    LocalCluster of ``n_workers`` processes (one thread each) on this machine."""

    def __init__(self, scheduler: str, *, n_workers: int, token: str = SHIPPED,
                 models: tuple[Any, Any] = (None, None)) -> None:
        from distributed import Client, LocalCluster

        self._cluster = None
        if scheduler == "local":
            # dashboard on a free port: None still takes 8787 and warns on stderr when another cluster has it
            self._cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                         host="127.0.0.1", dashboard_address=":0")
            self.client = Client(self._cluster)
        else:
            try:
                self.client = Client(scheduler, timeout=f"{CONNECT_SECONDS}s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} within {CONNECT_SECONDS} s "
                                   f"({type(exc).__name__}: {exc}); is `dask scheduler` running there?") from None
        self.client.wait_for_workers(n_workers if self._cluster is not None else 1, timeout=120)
        if token == SHIPPED:
            self.client.run(_warm)  # each worker loads the shipped models now, once
        self.jobs = max(1, sum(self.client.nthreads().values()))
        self.run = uuid.uuid4().hex[:12]
        self.token = token
        self._models = None
        if token != SHIPPED:
            self._models = self.client.submit(_models, *models, pure=False, key=f"stance-models-{self.run}")

    def submit(self, task: ChunkTask) -> Any:
        return self.client.submit(_run_chunk_here, task, self._models, pure=False,
                                  key=f"stance-chunk-{self.run}-{task.index}")

    def wait_first(self, futures: list[Any]) -> list[Any]:
        from distributed import wait

        return list(wait(futures, return_when="FIRST_COMPLETED").done)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def _partition(df: Any, text: str, id: str | None, passages: bool, models: tuple[Any, Any] | None,
               offsets: list[int] | None, partition_info: dict | None = None) -> Any:
    number = (partition_info or {}).get("number", 0)
    topic_model, stance_model = models if models is not None else (None, None)
    return frame_rows(df, text=text, id=id, passages=passages, n_jobs=1, topic_model=topic_model,
                      stance_model=stance_model, first_row=offsets[number] if offsets else 0)


def classify_dataframe(
    ddf: Any,
    text: str = "text",
    id: str | None = None,
    passages: bool = False,
    *,
    topic_model: Any = None,
    stance_model: Any = None,
) -> Any:
    """Classify a dask DataFrame, one article per row: a lazy dask DataFrame of the results table.

    Each partition is classified by :func:`stance.classify_frame` on whichever worker holds it; the result's
    ``meta`` (columns and dtypes) is known without computing anything.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
    text, id, passages
        As :func:`stance.classify_frame`. Without an id column the id is the global row number, which costs
        one pass over the partitions to count their rows.
    topic_model, stance_model : estimator, optional
        Models loaded here (:func:`stance.load`); they travel to the workers as one Dask task's result.

    Returns
    -------
    dask.dataframe.DataFrame
    """
    import dask
    import pandas as pd

    columns = [str(c) for c in ddf.columns]
    meta = frame_rows(ddf._meta, text=text, id=id, passages=passages, n_jobs=1, topic_model=topic_model,
                      stance_model=stance_model, first_row=0)
    offsets = None
    if id is None and "id" not in columns:
        lengths = ddf.map_partitions(len, meta=pd.Series(dtype="int64")).compute().tolist()
        offsets = [sum(lengths[:k]) for k in range(len(lengths))]
    models = None
    if topic_model is not None or stance_model is not None:
        models = dask.delayed(_models, pure=True)(topic_model, stance_model)
    return ddf.map_partitions(_partition, text, id, passages, models, offsets, meta=meta,
                              align_dataframes=False)


def parquet_schema(result: Any) -> Any:
    """The Parquet schema of a :func:`classify_dataframe` result: the results table's types for ``id`` and the
    model columns, the input's for the passthrough columns (text where the input's are ``object``).

    Pass it to ``to_parquet``: dask infers a schema from placeholder values, and cannot for ``object`` columns
    (it fails with ``ArrowInvalid: Could not convert <object object ...>``).

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd
    >>> df = pd.DataFrame({"text": ["Quân Mỹ rút khỏi Iraq.", ""], "views": [3, 4]})
    >>> schema = parquet_schema(classify_dataframe(dd.from_pandas(df, npartitions=1)))
    >>> [str(schema.field(n).type) for n in ("id", "views", "stance_anti", "error")]
    ['string', 'int64', 'double', 'string']
    """
    import pyarrow as pa

    meta = result._meta
    columns = [str(c) for c in meta.columns]
    labels = [c[len("stance_"):] for c in columns if c.startswith("stance_")]
    fixed = model_types(labels, passages="passages" in columns)
    fields = []
    for name in columns:
        type_ = fixed.get(name)
        if type_ is None:
            inferred = pa.Schema.from_pandas(meta[[name]], preserve_index=False).field(name).type
            type_ = pa.string() if pa.types.is_null(inferred) else inferred
        fields.append(pa.field(name, type_))
    return pa.schema(fields)
