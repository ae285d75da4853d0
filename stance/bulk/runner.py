"""A bulk run: inputs cut into chunks, chunks classified by an executor, rows committed, the output assembled.

:func:`classify_corpus` writes a results table (``--out``) and can resume; :func:`classify_stream` writes
encoded rows to a binary stream in input order (``stance classify`` without ``--out``). Both read the inputs
lazily, keep at most a few chunks per worker in flight, and show a progress bar (:mod:`stance.progress`).
"""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterable, Iterator, Sequence

from ..display import display_path
from ..progress import progress_bar, wanted
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
from .sinks import RunFolder
from .sources import Item, Source, open_inputs

__all__ = ["Summary", "classify_corpus", "classify_stream"]

WINDOW_PER_WORKER = 2
"""Chunks submitted and not yet returned, per worker: enough to keep every worker busy, few enough for memory."""


@dataclass(frozen=True)
class Summary:
    """What a bulk run did.

    Attributes
    ----------
    out : str or None
        The file written (None for a stream).
    rows, errors : int
        Rows in the output, and how many of them carry ``error``.
    classified : int
        Rows classified by this run (a resumed run's earlier rows excluded).
    seconds : float
        Wall-clock time of this run.
    startup : float
        Of which: reading the models and starting the workers (or connecting to the cluster).
    workers : int
        Processes that classified (1: this one).
    resumed : bool
        Whether this run continued an interrupted one.
    """

    out: str | None
    rows: int
    errors: int
    classified: int
    seconds: float
    startup: float
    workers: int
    resumed: bool = False

    @property
    def docs_per_second(self) -> float:
        """Rows classified by this run per second of it, start-up included."""
        return self.classified / self.seconds if self.seconds > 0 else 0.0

    @property
    def working_docs_per_second(self) -> float:
        """Rows classified by this run per second once the workers were ready."""
        working = self.seconds - self.startup
        return self.classified / working if working > 0 else 0.0

    def __str__(self) -> str:
        where = f"wrote {display_path(self.out)}: " if self.out else ""
        earlier = f", {self.rows - self.classified:,} of them from the interrupted run" if self.resumed else ""
        workers = f"{self.workers} process{'es' if self.workers > 1 else ''}"
        return (f"{where}{self.rows:,} rows ({self.errors:,} with errors{earlier}) in {self.seconds:.1f} s on "
                f"{workers}: {self.docs_per_second:,.0f} documents/s ({self.working_docs_per_second:,.0f} after "
                f"{self.startup:.1f} s of start-up)")


def _chunks(sources: Sequence[Source], size: int) -> Iterator[tuple[Item, ...]]:
    items = itertools.chain.from_iterable(sources)
    while True:
        chunk = tuple(itertools.islice(items, size))
        if not chunk:
            return
        yield chunk


def _types(sources: Sequence[Source]) -> dict[str, Any]:
    types: dict[str, Any] = {}
    for source in sources:
        for name, type_ in source.types().items():
            types.setdefault(name, type_)
    return types


def _total(sources: Sequence[Source]) -> int | None:
    counts = [s.count() for s in sources]
    return None if any(c is None for c in counts) else sum(counts)  # type: ignore[misc]


def _model_fingerprint(model: Any) -> str:
    if model is None:
        from .. import __version__

        return f"shipped with stance {__version__}"
    import joblib

    return joblib.hash(model)


class _RunState:
    """What a run learns as it goes: how many chunks the input made (known once it is read) and how many
    processes classified them."""

    def __init__(self) -> None:
        self.chunks = 0
        self.workers = 1
        self.ready = time.perf_counter()


def _tasks(chunks: Iterable[tuple[Item, ...]], state: _RunState, skip: Iterable[int], **fields: Any) -> Iterator[ChunkTask]:
    done = set(skip)
    for index, items in enumerate(chunks):
        state.chunks = index + 1
        if index not in done:
            yield ChunkTask(index, items, **fields)


def _executor(scheduler: str | None, jobs: int, token: str, models: tuple[Any, Any], *, single_chunk: bool) -> Any:
    if scheduler:
        from ..dask import DaskExecutor

        return DaskExecutor(scheduler, n_workers=jobs, token=token, models=models)
    if jobs == 1 or single_chunk or not can_fork_workers():
        return SerialExecutor()
    return ProcessPool(jobs, token)


def _run(
    sources: Sequence[Source], *, batch_size: int, encoding: str, passages: bool, skip: Iterable[int],
    n_jobs: int | None, scheduler: str | None, topic_model: Any, stance_model: Any, token: str,
    progress: bool | None, initial: int, ordered: bool, state: _RunState,
) -> Iterator[Any]:
    """The chunk results of a run (the executor chosen, started and closed here), with the progress bar."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    chunks = _chunks(sources, batch_size)
    head = list(itertools.islice(chunks, 2))
    tasks = _tasks(itertools.chain(head, chunks), state, skip, encoding=encoding, passages=passages,
                   types=_types(sources) or None, models=token)
    jobs = resolve_jobs(n_jobs)
    executor = _executor(scheduler, jobs, token, (topic_model, stance_model), single_chunk=len(head) < 2)
    state.workers, state.ready = executor.jobs, time.perf_counter()
    show = wanted(progress)
    bar = progress_bar(_total(sources) if show else None, desc="classify", unit="doc", enabled=show, initial=initial)
    errors = 0
    try:
        for result in run_tasks(executor, tasks, window=WINDOW_PER_WORKER * executor.jobs, ordered=ordered):
            yield result
            errors += result.errors
            bar.update(result.rows)
            if errors:
                bar.note(f"{errors:,} errors")
    finally:
        bar.close()
        executor.close()


def classify_corpus(
    inputs: Sequence[str | os.PathLike],
    out: str | os.PathLike,
    *,
    text_field: str = "text",
    id_field: str = "id",
    input_format: str | None = None,
    passages: bool = False,
    batch_size: int = 256,
    n_jobs: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool | None = None,
    topic_model: Any = None,
    stance_model: Any = None,
) -> Summary:
    """Classify files, folders and tables into one results table at ``out`` (``.jsonl``, ``.csv``, ``.parquet``).

    Rows are committed chunk by chunk in ``<out>.parts/`` and the output appears, whole, when all are done
    (:mod:`stance.bulk.sinks`); a run that was killed continues with ``resume=True``.

    Parameters
    ----------
    inputs : sequence of path-like
        Files, folders, tables (:mod:`stance.bulk.sources`), ``-`` for standard input.
    out : path-like
        The results table; its suffix says the format.
    text_field, id_field : str
        Table columns holding the text and the id.
    input_format : str, optional
        Read every input as this format instead of guessing from its name.
    passages : bool, default=False
        Add every passage with its label and probabilities.
    batch_size : int, default=256
        Articles per chunk: classified together, committed together.
    n_jobs : int, optional
        Worker processes (None or -1: every core; 1: this process); with ``scheduler``, the workers of the
        local cluster.
    scheduler : str, optional
        A dask.distributed scheduler address (``tcp://host:8786``), or ``"local"`` for a cluster started here.
    resume : bool, default=False
        Continue the interrupted run writing ``out`` (refused if inputs, options or models differ).
    progress : bool, optional
        Show a progress bar; by default when standard error is a terminal.
    topic_model, stance_model : estimator, optional
        Models instead of the shipped ones (loaded with :func:`stance.load`).

    Returns
    -------
    Summary

    Examples
    --------
    >>> import pathlib, tempfile, pyarrow.parquet as pq
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.jsonl").write_text('{"id": "x", "text": "Quân Mỹ rút khỏi Iraq.", "date": "2020-01-05"}\\n'
    ...                               '{"id": "y", "text": ""}\\n', encoding="utf-8")
    >>> summary = classify_corpus([d / "a.jsonl"], d / "r.parquet", n_jobs=1)
    >>> summary.rows, summary.errors, pq.read_table(d / "r.parquet").column_names[:4]
    (2, 1, ['id', 'date', 'topic', 'topic_name'])
    """
    start = time.perf_counter()
    sources = open_inputs(inputs, text_field=text_field, id_field=id_field, input_format=input_format)
    folder = RunFolder(out)
    fingerprint = {
        "resumable": all(s.resumable for s in sources),
        "inputs": [s.fingerprint() for s in sources],
        "options": {"text_field": text_field, "id_field": id_field, "input_format": input_format,
                    "passages": passages, "batch_size": batch_size, "format": folder.format},
        "models": {"topic": _model_fingerprint(topic_model), "stance": _model_fingerprint(stance_model)},
    }
    folder.start(fingerprint, resume=resume)
    try:
        with registered(topic_model, stance_model) as token:
            labels = stance_labels(models_for(token)[1])
            earlier = sum(rows for _, rows, _ in folder.committed.values())
            classified, state = 0, _RunState()
            for result in _run(sources, batch_size=batch_size, encoding=folder.encoding, passages=passages,
                               skip=list(folder.committed), n_jobs=n_jobs, scheduler=scheduler,
                               topic_model=topic_model, stance_model=stance_model, token=token, progress=progress,
                               initial=earlier, ordered=False, state=state):
                folder.commit(result.index, result.data, result.rows, result.errors)
                classified += result.rows
            rows, errors = folder.finish(state.chunks, labels, passages=passages)
    except BaseException:
        if not resume:
            folder.discard_if_empty()  # a run that failed before committing anything leaves nothing behind
        raise
    return Summary(str(out), rows, errors, classified, time.perf_counter() - start, state.ready - start, state.workers,
                   resumed=resume)


def classify_stream(
    inputs: Sequence[str | os.PathLike],
    stream: BinaryIO,
    *,
    encoding: str = "text",
    text_field: str = "text",
    id_field: str = "id",
    input_format: str | None = None,
    passages: bool = False,
    batch_size: int = 256,
    n_jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    topic_model: Any = None,
    stance_model: Any = None,
) -> Summary:
    """Classify inputs and write each chunk's rows to ``stream`` as soon as it is its turn (input order).

    ``encoding`` is one of :data:`stance.bulk.table.ENCODINGS`; the other parameters as
    :func:`classify_corpus`. Nothing is committed: an interrupted stream cannot be resumed.
    """
    start = time.perf_counter()
    sources = open_inputs(inputs, text_field=text_field, id_field=id_field, input_format=input_format)
    rows = errors = 0
    state = _RunState()
    with registered(topic_model, stance_model) as token:
        models_for(token)
        for result in _run(sources, batch_size=batch_size, encoding=encoding, passages=passages, skip=(),
                           n_jobs=n_jobs, scheduler=scheduler, topic_model=topic_model, stance_model=stance_model,
                           token=token, progress=progress, initial=0, ordered=True, state=state):
            stream.write(result.data)
            rows, errors = rows + result.rows, errors + result.errors
    stream.flush()
    return Summary(None, rows, errors, rows, time.perf_counter() - start, state.ready - start, state.workers)
