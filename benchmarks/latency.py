"""Single-document latency of the full ``stance.classify`` on 400-word articles: ``python -m benchmarks.latency``.

Picks VNTC test articles of 380-420 syllables, classifies each once after a warm-up call (models loaded,
caches warm) and prints the median and 99th percentile wall time; ``--profile`` adds a pyinstrument profile
of the same calls.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from stance import classify
from stance.files import iter_json_records
from stance.text.segment import syllables


def articles(path: Path, n: int, low: int = 380, high: int = 420) -> list[str]:
    """The first ``n`` articles of ``path`` whose syllable count is in ``[low, high]``."""
    out = []
    for item in iter_json_records(path):
        text = item.checked()["text"]
        if low <= len(syllables(text)) <= high:
            out.append(text)
            if len(out) == n:
                break
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/vntc/test.jsonl.xz"))
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--compare", action="store_true",
                        help="also time each article on the Python path (stance._native.disabled()), interleaved")
    args = parser.parse_args(argv)
    docs = articles(args.data, args.n)
    classify(docs[0])
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0001)
        profiler.start()
    times, python_times = [], []
    for doc in docs:
        t0 = time.perf_counter()
        classify(doc)
        times.append(time.perf_counter() - t0)
        if args.compare:
            from stance._native import disabled

            with disabled():
                t0 = time.perf_counter()
                classify(doc)
                python_times.append(time.perf_counter() - t0)
    if profiler is not None:
        profiler.stop()
    ms = np.asarray(times) * 1000
    print(
        f"classify() on {len(docs)} VNTC test articles of 380-420 syllables: median {np.median(ms):.2f} ms, "
        f"p99 {np.percentile(ms, 99):.2f} ms, mean {ms.mean():.2f} ms"
    )
    if python_times:
        py = np.asarray(python_times) * 1000
        print(f"the same calls on the Python path (interleaved): median {np.median(py):.2f} ms, "
              f"p99 {np.percentile(py, 99):.2f} ms, mean {py.mean():.2f} ms")
    if profiler is not None:
        print(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
