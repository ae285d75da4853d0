"""``python -m benchmarks`` (``--mode peer``): ``stance.classify_batch`` against the Rust peer, in one run.

The peer is underthesea_core's ``TextClassifier`` (Rust TF-IDF + linear SVM), trained on VNTC train as
:class:`benchmarks.systems.UndertheseaCore` trains it (20k 1–2-gram features, NFC + lower-case). Both
classify the same VNTC test articles (``--limit-test``, default 6,000, evenly spaced through the file),
each using every core: the peer's ``predict_batch`` runs its own threads, ``classify_batch(n_jobs=-1)`` its
worker processes. The passes are interleaved and repeated (median), so both see the same machine load.
``classify_batch`` does more than the peer: cleaning, passages, topic and the stance of every passage.

Also printed: ``classify_batch`` on one core with the compiled path and with the Python path alone
(:func:`stance._native.disabled`), whether every pass gave the same results, cold start (a fresh
interpreter: import, load the shipped models, classify one article; median) and the installed size of the
package.

Examples
--------
>>> ratio_text(2000.0, 1000.0)
'2.00x'
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from benchmarks.data import data_root, read_corpus
from benchmarks.measure import file_size_mb, format_machine, machine_description, usable_cores
from benchmarks.systems import UndertheseaCore

_COLD = "import stance, sys; stance.classify(sys.stdin.read())"


def _cpu() -> float:
    """CPU seconds of this process and its finished children (worker processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    c0, t0 = _cpu(), time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, _cpu() - c0, out


def ratio_text(a: float, b: float) -> str:
    """``a / b`` as ``"1.23x"``."""
    return f"{a / b:.2f}x"


def installed_size_mb() -> tuple[float, str]:
    """Size of the installed ``stance`` package (its files as installed; in a source tree, without build
    leftovers: ``*.cpp``, ``*.pyx``, ``__pycache__``) and where it is."""
    import stance

    root = Path(stance.__file__).resolve().parent
    total = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in files
                     if not f.endswith((".cpp", ".pyx")))
    return total / 1e6, str(root)


def cold_start_s(text: str, repeat: int) -> list[float]:
    """Wall seconds of fresh interpreters that import stance and classify ``text`` with the shipped models."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _COLD], input=text, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise RuntimeError(f"cold start failed: {proc.stderr[-2000:]}")
    return times


def build_parser() -> argparse.ArgumentParser:
    root = data_root()
    p = argparse.ArgumentParser(prog="python -m benchmarks.peer", description=__doc__.split("\n\n")[0])
    p.add_argument("--train", type=Path, default=root / "vntc" / "train.jsonl.xz")
    p.add_argument("--test", type=Path, default=root / "vntc" / "test.jsonl.xz")
    p.add_argument("--limit-train", type=int, default=None, metavar="N")
    p.add_argument("--limit-test", type=int, default=6000, metavar="N")
    p.add_argument("--repeat", type=int, default=3, help="interleaved timed passes of each pipeline (median)")
    p.add_argument("--cold-repeat", type=int, default=5)
    p.add_argument("--no-python", action="store_true", help="skip the pass of the Python path (slowest)")
    return p


def run(args: argparse.Namespace) -> int:
    import stance
    from stance import _native

    print(format_machine(machine_description()))
    print(f"load average at start: {os.getloadavg()}; usable cores: {usable_cores()}; "
          f"compiled path: {'yes' if _native.active() else 'NO (pure Python)'}")
    train = read_corpus(args.train, limit=args.limit_train)
    test = read_corpus(args.test, limit=args.limit_test).texts
    peer_system = UndertheseaCore()
    t0 = time.perf_counter()
    peer = peer_system.train(train.texts, train.labels)
    print(f"peer trained on {len(train):,} VNTC train articles in {time.perf_counter() - t0:.1f} s; "
          f"{len(test):,} test articles, {sum(map(len, test)) / 1e6:.1f} M characters")
    stance.classify_batch(test[:50], n_jobs=1)  # models loaded, kernels warm
    peer.predict_batch(test[:50])

    def classify_python() -> Any:
        with _native.disabled():
            return stance.classify_batch(test, n_jobs=1)

    passes: dict[str, Callable[[], Any]] = {
        "peer `predict_batch` (its threads, all cores)": lambda: peer.predict_batch(test),
        "`stance.classify_batch`, n_jobs=-1 (worker processes, all cores)": lambda: stance.classify_batch(test, n_jobs=-1),
        "`stance.classify_batch`, n_jobs=1 (one process)": lambda: stance.classify_batch(test, n_jobs=1),
    }
    walls: dict[str, list[float]] = {k: [] for k in passes}
    cpus: dict[str, list[float]] = {k: [] for k in passes}
    outputs: dict[str, Any] = {}
    for _ in range(max(1, args.repeat)):
        for name, fn in passes.items():
            wall, cpu, outputs[name] = _timed(fn)
            walls[name].append(wall)
            cpus[name].append(cpu)
    if not args.no_python:
        name = "`stance.classify_batch`, n_jobs=1, Python path (`stance._native.disabled()`)"
        wall, cpu, outputs[name] = _timed(classify_python)
        walls[name], cpus[name] = [wall], [cpu]
    n = len(test)
    print(f"\n| pipeline ({n:,} VNTC test articles) | docs/s (median of {args.repeat}) | CPU µs/doc |")
    print("|---|---:|---:|")
    rate = {}
    for name in walls:
        rate[name] = n / statistics.median(walls[name])
        print(f"| {name} | {rate[name]:,.0f} | {statistics.median(cpus[name]) / n * 1e6:,.0f} |")
    names = list(walls)
    print(f"\nclassify_batch all cores / peer all cores: **{ratio_text(rate[names[1]], rate[names[0]])}**")
    print(f"classify_batch one core, compiled / Python path: "
          + (ratio_text(rate[names[2]], rate[names[3]]) if len(names) > 3 else "not run"))
    same = [outputs[k] == outputs[names[2]] for k in names[1:]]
    print(f"stance passes give identical results: {all(same)} ({same})")
    cold = cold_start_s(test[0], args.cold_repeat)
    size, where = installed_size_mb()
    print(f"cold start (fresh interpreter: import stance, load the shipped models, classify one article): "
          f"median {statistics.median(cold):.2f} s of {len(cold)} ({', '.join(f'{c:.2f}' for c in cold)})")
    print(f"installed size of stance: {size:.1f} MB ({where})")
    print(f"load average at end: {os.getloadavg()}")
    return 0 if all(same) else 1


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print it."""
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
