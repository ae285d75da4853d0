"""Measure one system in this process (run by :mod:`benchmarks.cli` as a subprocess).

``python -m benchmarks.worker CONFIG.json RESULT.json`` reads the run
configuration, trains and measures one system, and writes its result. Keeping
each system in its own process keeps peak-memory figures apart.
"""

from __future__ import annotations

import gc
import json
import multiprocessing as mp
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sklearn.metrics import accuracy_score, f1_score

from benchmarks.data import read_corpus, spread_indices

from benchmarks.measure import (
    current_rss_mb,
    file_size_mb,
    latency_summary,
    peak_rss_mb,
    reset_peak_rss,
    usable_cores,
)
from benchmarks.systems import System, get_system
from stance.files import atomic_write


@contextmanager
def pinned_to_one_core() -> Iterator[int | None]:
    """Restrict this process (all its threads) to one CPU, then restore.

    Yields
    ------
    int or None
        The CPU used, or ``None`` where affinity cannot be set.
    """
    try:
        before = os.sched_getaffinity(0)
    except AttributeError:  # pragma: no cover - not Linux
        yield None
        return
    cpu = min(before)
    os.sched_setaffinity(0, {cpu})
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)


def time_calls(
    fn: Callable[[], Any], repeat: int, cpu_times: list[float] | None = None
) -> tuple[list[float], Any]:
    """Run ``fn`` ``repeat`` times; return wall times and the last result.

    If ``cpu_times`` is given, the CPU time of this process (all threads) for
    each call is appended to it.
    """
    times = []
    out = None
    for _ in range(max(1, repeat)):
        gc.collect()
        c0 = time.process_time()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        if cpu_times is not None:
            cpu_times.append(time.process_time() - c0)
    return times, out


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages, or ``None`` where unavailable."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover
        return None


def measure_latency(system: System, model: Any, texts: Sequence[str]) -> dict[str, float]:
    """Time :meth:`System.predict_one` on each text (after one warm-up call)."""
    system.predict_one(model, texts[0])
    durations = []
    for t in texts:
        t0 = time.perf_counter()
        system.predict_one(model, t)
        durations.append(time.perf_counter() - t0)
    return latency_summary(durations)


# --- all-cores: a spawn pool, each worker loads the saved model once -------------
_POOL_STATE: dict[str, Any] = {}


def _pool_init(system_name: str, model_path: str, texts: list[str]) -> None:
    system = get_system(system_name)
    _POOL_STATE["system"] = system
    _POOL_STATE["model"] = system.load(Path(model_path))
    _POOL_STATE["texts"] = texts


def _pool_ready(_: int) -> int:
    time.sleep(0.2)
    return os.getpid()


def _pool_predict(bounds: tuple[int, int]) -> list[str]:
    lo, hi = bounds
    return _POOL_STATE["system"].predict_batch(_POOL_STATE["model"], _POOL_STATE["texts"][lo:hi])


def chunk_bounds(n: int, n_chunks: int) -> list[tuple[int, int]]:
    """Split ``range(n)`` into ``n_chunks`` contiguous nearly equal parts.

    Examples
    --------
    >>> chunk_bounds(10, 3)
    [(0, 4), (4, 7), (7, 10)]
    """
    n_chunks = max(1, min(n_chunks, n))
    base, extra = divmod(n, n_chunks)
    out, lo = [], 0
    for i in range(n_chunks):
        hi = lo + base + (1 if i < extra else 0)
        out.append((lo, hi))
        lo = hi
    return out


def measure_pool(
    system: System, model_path: Path, texts: list[str], processes: int, repeat: int
) -> dict[str, Any]:
    """Throughput of a process pool over chunks of ``texts``.

    Workers are started and have loaded the model before the clock starts;
    the timed part is the map over ``4 * processes`` chunks (texts are sent to
    the workers once, at start-up).
    """
    ctx = mp.get_context("spawn")
    t0 = time.perf_counter()
    with ctx.Pool(processes, initializer=_pool_init, initargs=(system.name, str(model_path), texts)) as pool:
        pool.map(_pool_ready, range(processes * 2), chunksize=1)
        startup = time.perf_counter() - t0
        bounds = chunk_bounds(len(texts), processes * 4)
        times, parts = time_calls(lambda: pool.map(_pool_predict, bounds, chunksize=1), repeat)
    preds = [p for part in parts for p in part]
    return {"processes": processes, "startup_s": startup, "times_s": times, "predictions": preds}


def run_vntc(cfg: dict[str, Any]) -> dict[str, Any]:
    """Train, save, reload and measure one system on the VNTC split.

    Parameters
    ----------
    cfg : dict
        ``system``, ``train``, ``test``, ``limit_train``, ``limit_test``,
        ``repeat``, ``n_latency``, ``workdir``, ``all_cores``.

    Returns
    -------
    dict
        The measurements; ``available: False`` and ``reason`` if the system
        cannot run.
    """
    system = get_system(cfg["system"])
    res: dict[str, Any] = {"system": system.name, "description": system.description}
    reason = system.unavailable()
    if reason is not None:
        res.update(available=False, reason=reason)
        return res
    res["available"] = True
    res["loadavg_start"] = load_average()
    train = read_corpus(cfg["train"], cfg.get("limit_train"))
    test = read_corpus(cfg["test"], cfg.get("limit_test"))
    res.update(n_train=len(train), n_test=len(test))
    gc.collect()
    # Peak RSS from here on: the corpora held in memory plus the system's own use, without
    # the transient cost of parsing the full files.
    res["rss_data_mb"] = current_rss_mb()
    res["peak_rss_reset"] = reset_peak_rss()

    t0 = time.perf_counter()
    model = system.train(train.texts, train.labels)
    res["train_s"] = time.perf_counter() - t0
    del train
    folder = Path(cfg["workdir"]) / system.name.replace("/", "_").replace(":", "_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    artefact = system.save(model, folder)
    res["artefact"] = str(artefact)
    res["artefact_mb"] = file_size_mb(folder)  # everything the system wrote (payload + manifests)
    del model
    gc.collect()
    model = system.load(artefact)

    repeat = int(cfg.get("repeat", 1))
    warm = test.texts[: min(50, len(test))]
    with pinned_to_one_core() as cpu:
        res["pinned_cpu"] = cpu
        system.predict_batch(model, warm)
        cpu: list[float] = []
        times, preds = time_calls(lambda: system.predict_batch(model, test.texts), repeat, cpu)
        res["batch_1core_times_s"] = times
        res["batch_1core_cpu_s"] = cpu
        res["latency"] = measure_latency(
            system, model, [test.texts[i] for i in spread_indices(len(test), int(cfg.get("n_latency", 500)))]
        )
    if len(preds) != len(test):
        raise RuntimeError(f"{system.name}: predict_batch returned {len(preds)} labels for {len(test)} texts")
    res["accuracy"] = float(accuracy_score(test.labels, preds))
    res["macro_f1"] = float(f1_score(test.labels, preds, average="macro"))
    res["test_chars"] = sum(len(t) for t in test.texts)
    res["test_mb_utf8"] = sum(len(t.encode("utf-8")) for t in test.texts) / 1e6

    # Native batch path without the one-core restriction (e.g. Rust/OpenMP threads).
    times_native, _ = time_calls(lambda: system.predict_batch(model, test.texts), 1)
    res["batch_native_times_s"] = times_native
    res["peak_rss_mb"] = peak_rss_mb()

    cores = usable_cores()
    if cfg.get("all_cores", True) and system.parallel and cores > 1:
        pool = measure_pool(system, artefact, test.texts, cores, repeat)
        same = sum(a == b for a, b in zip(pool.pop("predictions"), preds)) / len(preds)
        pool["agreement_with_1core"] = same
        res["pool"] = pool
    res["loadavg_end"] = load_average()
    return res


def _resolve(spec: str) -> Callable[[list[str]], Any]:
    import importlib

    mod_name, _, attr = spec.partition(":")
    obj: Any = importlib.import_module(mod_name)
    for part in attr.split(".") if attr else []:
        obj = getattr(obj, part)
    if not callable(obj):
        raise TypeError(f"{spec!r} is {type(obj).__name__}, not callable")
    return obj


def run_bulk(cfg: dict[str, Any]) -> dict[str, Any]:
    """Throughput of a whole pipeline on unlabelled articles.

    Parameters
    ----------
    cfg : dict
        ``docs`` (JSON Lines path), ``limit_test``, ``repeat`` and either
        ``pipeline`` (``"module:attr"``, called once with the list of all
        texts) or ``system`` (a :class:`System`, first trained on ``train``
        with ``limit_train``, then timed through ``predict_batch``).

    Returns
    -------
    dict
        Wall times of the timed calls (one process, threads as the pipeline
        chooses), document count and UTF-8 megabytes (10**6 bytes), or
        ``available: False`` with the reason.
    """
    spec = cfg.get("pipeline") or cfg["system"]
    res: dict[str, Any] = {"system": spec, "available": True}
    t0 = time.perf_counter()
    if cfg.get("system"):
        system = get_system(cfg["system"])
        res["description"] = system.description
        reason = system.unavailable()
        if reason is not None:
            res.update(available=False, reason=reason)
            return res
        train = read_corpus(cfg["train"], cfg.get("limit_train"))
        t0 = time.perf_counter()
        model = system.train(train.texts, train.labels)
        res.update(n_train=len(train), train_s=time.perf_counter() - t0)
        del train

        def fn(texts: list[str]) -> list[str]:
            return system.predict_batch(model, texts)

    else:
        try:
            fn = _resolve(cfg["pipeline"])
        except Exception as exc:  # noqa: BLE001 - any failure is reported
            res.update(available=False, reason=f"{type(exc).__name__}: {exc}")
            return res
        res["import_s"] = time.perf_counter() - t0
    docs = read_corpus(cfg["docs"], cfg.get("limit_test"))
    n = len(docs)
    mb = sum(len(t.encode("utf-8")) for t in docs.texts) / 1e6
    res.update(n_docs=n, mb_utf8=mb, chars=sum(len(t) for t in docs.texts))
    gc.collect()
    res["rss_data_mb"] = current_rss_mb()
    res["peak_rss_reset"] = reset_peak_rss()
    res["loadavg_start"] = load_average()
    t0 = time.perf_counter()
    fn(docs.texts[:1])
    res["first_call_s"] = time.perf_counter() - t0
    cpu: list[float] = []
    times, out = time_calls(lambda: fn(docs.texts), int(cfg.get("repeat", 1)), cpu)
    try:
        n_out = len(out)
    except TypeError:
        n_out = None
    res.update(times_s=times, cpu_s=cpu, n_outputs=n_out, peak_rss_mb=peak_rss_mb(), loadavg_end=load_average())
    if n_out is not None and n_out != n:
        res["error"] = f"returned {n_out} results for {n} documents"
    return res


def main(argv: Sequence[str] | None = None) -> int:
    """Run one measurement described by a JSON config file.

    Parameters
    ----------
    argv : sequence of str, optional
        ``[config_path, result_path]``.

    Returns
    -------
    int
        0 on success (including "not available"), 1 on an error, which is
        also written to the result file.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    cfg = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    out = Path(argv[1])
    code = 0
    try:
        res = run_bulk(cfg) if cfg.get("mode") == "bulk" else run_vntc(cfg)
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        res = {
            "system": cfg.get("system") or cfg.get("pipeline"),
            "available": True,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
        }
        code = 1
    atomic_write(out, json.dumps(res, ensure_ascii=False, indent=1))
    return code


if __name__ == "__main__":
    sys.exit(main())
