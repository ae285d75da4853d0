"""Chunks of articles classified on every core: the chunk task, the models each process holds, the executors.

A bulk run cuts its input into chunks (:class:`ChunkTask`: an index, the items, how to encode the rows) and
hands them to an executor; :func:`run_chunk` classifies one chunk wherever it runs and returns the encoded rows
(:class:`ChunkResult`). Three executors share one interface (``submit(task)`` returning a future,
``wait_first(futures)``, ``close()``), so the runner's ordering, commit and resume logic is the same for each:

- :class:`SerialExecutor`: in this process (``n_jobs=1``, and small batches: no start-up cost);
- :class:`ProcessPool`: worker processes on this machine. On POSIX they are forked after the models are loaded,
  so each worker starts with them in memory (no reloading, pages shared until written); elsewhere a pool
  initializer hands them over. Workers ignore Ctrl-C (the parent stops them) and exit if the parent dies;
- :class:`stance.dask.DaskExecutor`: a dask.distributed cluster.

Models reach a process once, by token (:func:`register_models`): ``"shipped"`` stands for the models in the
package, which every process loads for itself on first use (:func:`stance.api.pretrained_model`); a model of
the caller's is registered in this process and inherited by forked workers, given to spawned ones by the pool
initializer, and to Dask workers as the result of one Dask task (:mod:`stance.dask`), always as the object the
caller loaded and checked with :func:`stance.persist.load`, never by loading a file on a worker.

Examples
--------
>>> from stance.bulk.sources import Item
>>> task = ChunkTask(0, (Item("a", "Quân Mỹ rút khỏi Iraq."), Item("b", None, {}, "empty text")), "jsonl")
>>> result = SerialExecutor().submit(task).result()
>>> result.rows, result.errors, result.data.count(b"\\n")
(2, 1, 2)
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
import time
import uuid
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from .sources import Item
from .table import encode

__all__ = [
    "SHIPPED",
    "ChunkResult",
    "ChunkTask",
    "ProcessPool",
    "SerialExecutor",
    "can_fork_workers",
    "classify_items",
    "classify_parallel",
    "models_for",
    "register_models",
    "registered",
    "resolve_jobs",
    "run_chunk",
    "run_tasks",
    "stance_labels",
]

SHIPPED = "shipped"
"""The token of the models shipped in the package."""

_MODELS: dict[str, tuple[Any, Any]] = {}


def register_models(topic_model: Any = None, stance_model: Any = None, *, token: str | None = None) -> str:
    """Make models known to this process (and to the workers it forks) under a token; returns the token.

    None for both gives :data:`SHIPPED`; None for one of them means the shipped model for that task.
    """
    if topic_model is None and stance_model is None:
        return SHIPPED
    token = token or uuid.uuid4().hex
    _MODELS[token] = (topic_model, stance_model)
    return token


@contextlib.contextmanager
def registered(topic_model: Any = None, stance_model: Any = None) -> Iterator[str]:
    """``with registered(topic, stance) as token:`` the models are known under ``token`` inside the block."""
    token = register_models(topic_model, stance_model)
    try:
        yield token
    finally:
        _MODELS.pop(token, None)


def models_for(token: str) -> tuple[Any, Any]:
    """``(topic model, stance model)`` of a token in this process (the shipped ones load on first use)."""
    from ..api import pretrained_model

    if token == SHIPPED:
        return pretrained_model("topic"), pretrained_model("stance")
    try:
        topic, stance = _MODELS[token]
    except KeyError:
        raise RuntimeError(f"models {token!r} were not handed to process {os.getpid()}") from None
    return (topic if topic is not None else pretrained_model("topic"),
            stance if stance is not None else pretrained_model("stance"))


def stance_labels(stance_model: Any) -> list[str]:
    """The stance model's labels in display order (the order of the ``stance_<label>`` columns)."""
    from ..estimators.pipeline import split_cleaner
    from ..labels import display_order

    _, rest = split_cleaner(stance_model)
    classes = [str(c) for c in rest.classes_]
    return [classes[k] for k in display_order(classes)]


def resolve_jobs(n_jobs: int | None) -> int:
    """Worker processes for ``n_jobs``: None or -1 all usable cores, -2 all but one..., else ``n_jobs``.

    Examples
    --------
    >>> resolve_jobs(1), resolve_jobs(3), resolve_jobs(None) >= 1, resolve_jobs(-1) == resolve_jobs(None)
    (1, 3, True, True)
    """
    if n_jobs is not None and (isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0):
        raise ValueError(f"n_jobs must be a non-zero int or None, got {n_jobs!r}")
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    if n_jobs is None:
        return cores
    return n_jobs if n_jobs > 0 else max(1, cores + 1 + n_jobs)


# ------------------------------------------------------------------------------------------------ chunks


@dataclass(frozen=True)
class ChunkTask:
    """One chunk of a run: ``items`` to classify, encoded as ``encoding`` (see :mod:`stance.bulk.table`), or
    ``"results"`` for the :class:`~stance.api.Result` values themselves, ``"scores"`` for checked texts
    classified up to their probabilities (``stance.api._Probabilities``)."""

    index: int
    items: tuple[Item, ...]
    encoding: str
    passages: bool = False
    types: dict[str, Any] | None = None
    models: str = SHIPPED


@dataclass(frozen=True)
class ChunkResult:
    """A classified chunk: its encoded rows (``data``), or its results (``values``) for ``"results"``."""

    index: int
    rows: int
    errors: int
    data: bytes = b""
    values: list[Any] | None = None


def classify_items(items: Sequence[Item], topic_model: Any, stance_model: Any) -> list[Any]:
    """Per item its :class:`~stance.api.Result`, or its error message (the item's own, or why classifying it
    failed: one bad text does not cost the rest of its chunk)."""
    from ..api import classify_batch

    out: list[Any] = [item.error or "no text" for item in items]
    good = [k for k, item in enumerate(items) if item.error is None and item.text is not None]
    texts = [items[k].text for k in good]
    try:
        results: list[Any] = classify_batch(texts, topic_model=topic_model, stance_model=stance_model, n_jobs=1)
    except (TypeError, ValueError):
        results = []
        for text in texts:
            try:
                results.append(classify_batch([text], topic_model=topic_model, stance_model=stance_model, n_jobs=1)[0])
            except (TypeError, ValueError) as exc:
                results.append(str(exc))
    for k, result in zip(good, results):
        out[k] = result
    return out


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Classify one chunk with the models of ``task.models`` in this process, and encode it (``"scores"``:
    checked texts classified up to their probabilities, for :func:`classify_parallel`)."""
    topic_model, stance_model = models_for(task.models)
    if task.encoding == "scores":
        from ..api import _probabilities

        texts = [item.text or "" for item in task.items]
        return ChunkResult(task.index, len(texts), 0, values=[_probabilities(texts, topic_model, stance_model)])
    results = classify_items(task.items, topic_model, stance_model)
    errors = sum(isinstance(r, str) for r in results)
    if task.encoding == "results":
        return ChunkResult(task.index, len(results), errors, values=results)
    data = encode(task.encoding, task.items, results, labels=stance_labels(stance_model), passages=task.passages,
                  types=task.types)
    return ChunkResult(task.index, len(results), errors, data=data)


def run_tasks(executor: Any, tasks: Iterable[ChunkTask], *, window: int, ordered: bool) -> Iterator[ChunkResult]:
    """Results of ``tasks`` run on ``executor`` with at most ``window`` of them submitted and not yet
    returned (memory stays bounded whatever the input's size): in task order if ``ordered``, else as they
    complete. Pending tasks are cancelled if the caller stops early or a task fails."""
    pending: deque = deque()
    source = iter(tasks)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < window:
                task = next(source, None)
                if task is None:
                    exhausted = True
                else:
                    pending.append(executor.submit(task))
            if not pending:
                return
            if ordered:
                yield pending.popleft().result()
                continue
            for future in executor.wait_first(list(pending)):
                pending.remove(future)
                yield future.result()
    finally:
        for future in pending:
            future.cancel()


# --------------------------------------------------------------------------------------------- executors


class SerialExecutor:
    """Runs each chunk in this process when submitted."""

    jobs = 1

    def submit(self, task: ChunkTask) -> Future:
        future: Future = Future()
        try:
            future.set_result(run_chunk(task))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on the future
            future.set_exception(exc)
        return future

    def wait_first(self, futures: list[Future]) -> list[Future]:
        return futures

    def close(self) -> None:
        pass


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)  # the parent is gone (killed): nobody will read our results


def _init_worker(parent: int, token: str, models: tuple[Any, Any] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="stance-watch-parent").start()
    if models is not None:
        register_models(*models, token=token)
    models_for(token)  # loaded now, once per worker (already in memory when forked)


def _ready(_: int) -> int:
    return os.getpid()


def can_fork_workers() -> bool:
    """Whether this process may start worker processes (a daemonic process, such as a Dask worker's, may not)."""
    return not multiprocessing.current_process().daemon


class ProcessPool:
    """``jobs`` worker processes holding the models of ``token``, started (and checked) when made."""

    def __init__(self, jobs: int, token: str = SHIPPED) -> None:
        self.jobs = jobs
        models_for(token)  # load before forking, so the workers inherit them
        fork = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if fork else "spawn")
        handover = None if fork or token == SHIPPED else _MODELS[token]
        if fork:  # the workers' collectors leave the inherited objects alone: their pages stay shared longer
            gc.freeze()
        try:
            self._pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                                             initargs=(os.getpid(), token, handover))
            list(self._pool.map(_ready, range(jobs)))  # forks every worker now, before any other thread starts
        finally:
            if fork:
                gc.unfreeze()  # this process collects as before

    def submit(self, task: ChunkTask) -> Future:
        return self._pool.submit(run_chunk, task)

    def wait_first(self, futures: list[Future]) -> list[Future]:
        return list(wait(futures, return_when=FIRST_COMPLETED).done)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def classify_parallel(texts: list[str], *, topic_model: Any, stance_model: Any, n_jobs: int) -> list[Any]:
    """:func:`stance.classify_batch` of checked ``texts`` on ``n_jobs`` worker processes (same results, in order).

    The first texts are classified here first: they load the models (and build the compiled path's merged
    index, :mod:`stance._native.features`) before the workers are forked, which inherit them; and a model that
    cannot classify fails here, with its own message, instead of once per text in the workers.
    """
    from .._native.features import BUILD_FROM
    from ..api import _classify_checked, _results

    first = _classify_checked(texts[:BUILD_FROM], topic_model, stance_model)
    size = max(64, min(1024, -(-len(texts) // (4 * n_jobs))))
    out: list[Any] = list(first)
    with registered(topic_model, stance_model) as token:
        pool = ProcessPool(n_jobs, token)
        try:
            tasks = (ChunkTask(k, tuple(Item(str(i), texts[i]) for i in range(start, min(start + size, len(texts)))),
                               "scores", models=token)
                     for k, start in enumerate(range(len(first), len(texts), size)))
            # the workers send probabilities back (unpickling whole results costs about as much as
            # classifying); the results are built here while they classify the next chunks
            for result in run_tasks(pool, tasks, window=2 * n_jobs, ordered=True):
                for probabilities in result.values or []:
                    out.extend(_results(probabilities))
        finally:
            pool.close()
    return out
