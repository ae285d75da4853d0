"""Bulk classification at scale: the figures of docs/scale.md, each from real ``stance classify`` processes.

Run from the project root::

    python -m benchmarks.scale                      # everything (tens of minutes on a 2-core machine)
    python -m benchmarks.scale --only throughput    # 35,440 baomoi articles, --jobs 1 vs --jobs 2
    python -m benchmarks.scale --only memory        # peak memory for 10k and 100k articles
    python -m benchmarks.scale --only dask          # --scheduler local vs --jobs 2; a worker killed mid-run
    python -m benchmarks.scale --only resume        # SIGKILL at three points, then --resume
    python -m benchmarks.scale --limit 2000         # the same on the first 2,000 articles (a quick check)

Every run is ``python -m stance.cli classify <baomoi docs.jsonl.xz> --out <tmp>/X.parquet ...`` in a process of
its own; the command is printed before its figures. Throughput is documents over the wall-clock time of the
whole command (interpreter start, model loading and worker start-up included) and, from the command's summary,
over the time after start-up. The load average of the machine is printed with each figure: on a shared machine
compare ratios measured in one run, not absolute figures of different runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import lzma
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Sequence

from benchmarks.data import data_root
from benchmarks.measure import format_machine, machine_description

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("throughput", "memory", "dask", "resume")
_SUMMARY = re.compile(r"([\d,]+) rows \(([\d,]+) with errors.*?: ([\d,]+) documents/s \(([\d,]+) after ([\d.]+) s")


def load() -> str:
    """The 1-, 5- and 15-minute load averages."""
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def descendants(pid: int) -> list[int]:
    """``pid``'s children, their children, ... (from /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = [int(c) for t in Path(f"/proc/{p}/task").iterdir() for c in (t / "children").read_text().split()]
        except OSError:
            kids = []
        out += kids
        todo += kids
    return out


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def pss_mb(pid: int) -> float:
    """Proportional set size of one process (shared pages split between their users), MB."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024 / 1e6
    except (OSError, ValueError):
        pass
    return 0.0


class TreeMemory(threading.Thread):
    """Samples the memory of a process and its descendants every ``every`` seconds; ``peak`` is the highest sum
    of proportional set sizes seen (the memory the whole tree really holds)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.done = pid, every, 0.0, False

    def run(self) -> None:
        while not self.done:
            self.peak = max(self.peak, sum(pss_mb(p) for p in [self.pid, *descendants(self.pid)]))
            time.sleep(self.every)


def classify(source: Path, out: Path, *extra: str, kill_at_parts: int | None = None, memory: bool = False,
             on_start=None) -> dict:
    """Run ``stance classify SOURCE --out OUT EXTRA --quiet``; its figures (or, with ``kill_at_parts``, SIGKILL
    it once that many chunks are committed)."""
    args = [sys.executable, "-m", "stance.cli", "classify", str(source), "--out", str(out), "--quiet", *extra]
    print("  $ " + " ".join(["python", *args[1:]]).replace(str(out.parent) + "/", "<tmp>/"), flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, text=True)
    watcher = TreeMemory(proc.pid) if memory else None
    if watcher:
        watcher.start()
    if on_start:
        on_start(proc)
    if kill_at_parts is not None:
        parts = out.with_name(out.name + ".parts")
        while len(list(parts.glob("part-*"))) < kill_at_parts and proc.poll() is None:
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    if watcher:
        watcher.done = True
        watcher.join()
    if kill_at_parts is not None:
        return {"parts": len(list(out.with_name(out.name + ".parts").glob("part-*")))}
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"stance classify failed ({proc.returncode}): {stderr[-2000:]}")
    m = _SUMMARY.search(stdout)
    rows = int(m.group(1).replace(",", ""))
    return {"rows": rows, "errors": int(m.group(2).replace(",", "")), "wall": wall, "rate": rows / wall,
            "working_rate": float(m.group(4).replace(",", "")), "startup": float(m.group(5)),
            "peak_mb": watcher.peak if watcher else None, "summary": stdout.strip()}


def show(result: dict) -> None:
    print(f"    {result['rows']:,} rows, {result['errors']:,} errors, {result['wall']:.1f} s: {result['rate']:,.0f} "
          f"documents/s ({result['working_rate']:,.0f} after {result['startup']:.1f} s of start-up); {load()}",
          flush=True)


def same_table(a: Path, b: Path) -> bool:
    import pyarrow.parquet as pq

    return pq.read_table(a).equals(pq.read_table(b))


def input_ids(source: Path) -> list[str]:
    opener = lzma.open if source.suffix == ".xz" else open
    with opener(source, "rb") as f:
        return [str(json.loads(line)["id"]) for line in f if line.strip()]


def throughput(source: Path, tmp: Path) -> None:
    import pyarrow.parquet as pq

    print(f"\n## throughput: {source.name} -> r.parquet, --jobs 1 and --jobs 2 ({load()})")
    one = classify(source, tmp / "one.parquet", "--jobs", "1")
    show(one)
    two = classify(source, tmp / "two.parquet", "--jobs", "2")
    show(two)
    ids = pq.read_table(tmp / "two.parquet", columns=["id"]).column("id").to_pylist()
    print(f"  rows: {len(ids):,}, ids in input order: {ids == input_ids(source)}, "
          f"tables equal: {same_table(tmp / 'one.parquet', tmp / 'two.parquet')}")
    print(f"  scaling --jobs 2 / --jobs 1: {two['rate'] / one['rate']:.2f}x overall, "
          f"{two['working_rate'] / one['working_rate']:.2f}x after start-up")


def memory(source: Path, tmp: Path, sizes: Sequence[int]) -> None:
    print(f"\n## memory: peak of the whole process tree (sum of proportional set sizes), default --jobs ({load()})")
    peaks = []
    for n in sizes:
        path = tmp / f"articles-{n}.jsonl"
        with lzma.open(source, "rb") as f, open(path, "wb") as out:  # baomoi repeated, with distinct ids
            for k, line in enumerate(itertools.islice(itertools.chain.from_iterable(
                    _reread(source) for _ in range(n // 35_000 + 1)), n)):
                row = json.loads(line)
                row["id"] = f"{row['id']}-{k}"
                out.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
        result = classify(path, tmp / f"mem-{n}.parquet", memory=True)
        show(result)
        print(f"    peak memory {result['peak_mb']:,.0f} MB for {n:,} articles", flush=True)
        peaks.append(result["peak_mb"])
        path.unlink()
    print(f"  peak for {sizes[-1]:,} / peak for {sizes[0]:,}: {peaks[-1] / peaks[0]:.3f}")


def _reread(source: Path):
    with lzma.open(source, "rb") as f:
        yield from f


def dask(source: Path, tmp: Path, chunks: int) -> None:
    print(f"\n## dask: --scheduler local (2 workers) against --jobs 2 ({load()})")
    local = classify(source, tmp / "jobs2.parquet", "--jobs", "2")
    show(local)
    cluster = classify(source, tmp / "dask.parquet", "--scheduler", "local", "--jobs", "2")
    show(cluster)
    print(f"  same table as --jobs 2: {same_table(tmp / 'jobs2.parquet', tmp / 'dask.parquet')}; throughput "
          f"--scheduler local / --jobs 2: {cluster['rate'] / local['rate']:.2f}x overall, "
          f"{cluster['working_rate'] / local['working_rate']:.2f}x after start-up")
    killed: list[int] = []

    at = max(1, chunks // 4)  # a quarter of the way through: the run goes on with one worker fewer

    def kill_a_worker(proc: subprocess.Popen) -> None:
        def later() -> None:
            parts = tmp / "killed.parquet.parts"
            while len(list(parts.glob("part-*"))) < at and proc.poll() is None:
                time.sleep(0.05)
            # the nannies run inside the CLI's process; each starts its worker as a spawned child process
            workers = [w for w in descendants(proc.pid) if b"spawn_main" in _cmdline(w)][:1]
            for w in workers:
                os.kill(w, signal.SIGKILL)
                killed.append(w)
        threading.Thread(target=later, daemon=True).start()

    survived = classify(source, tmp / "killed.parquet", "--scheduler", "local", "--jobs", "2", on_start=kill_a_worker)
    show(survived)
    if not killed:
        print(f"  NO worker was killed (the run ended before {at} of {chunks} chunks were committed, or no worker "
              "process was found): this run shows nothing about a killed worker")
    print(f"  a worker process killed with {at} of {chunks} chunks committed (pid {killed}): same table as "
          f"--jobs 2: {same_table(tmp / 'jobs2.parquet', tmp / 'killed.parquet')}")


def resume(source: Path, tmp: Path, chunks: int) -> None:
    print(f"\n## resume: SIGKILL of the whole process group at three points, then --resume ({load()})")
    whole = classify(source, tmp / "whole.parquet", "--jobs", "2")
    show(whole)
    out = tmp / "killed.parquet"
    for k, point in enumerate([max(1, chunks // 10), chunks // 2, chunks * 9 // 10]):
        left = classify(source, out, "--jobs", "2", *(["--resume"] if k else []), kill_at_parts=point)
        print(f"    killed with {left['parts']} of {chunks} chunks committed", flush=True)
    final = classify(source, out, "--jobs", "2", "--resume")
    print(f"    {final['summary']}")
    print(f"  resumed table equals the uninterrupted run's: {same_table(tmp / 'whole.parquet', out)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts of {PARTS}")
    parser.add_argument("--limit", type=int, default=None, help="only the first N baomoi articles (a quick check)")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    if set(parts) - set(PARTS):
        parser.error(f"unknown part(s) {sorted(set(parts) - set(PARTS))}; choose from {PARTS}")
    baomoi = data_root() / "baomoi" / "docs.jsonl.xz"
    if not baomoi.exists():
        parser.error(f"{baomoi} not found (set STANCE_DATA)")
    print(format_machine(machine_description()))
    with tempfile.TemporaryDirectory(prefix="stance-scale-") as name:
        tmp = Path(name)
        source = baomoi
        if args.limit:
            source = tmp / f"baomoi-{args.limit}.jsonl"
            source.write_bytes(b"".join(itertools.islice(_reread(baomoi), args.limit)))
        n = len(input_ids(source))
        if "throughput" in parts:
            throughput(source, tmp)
        if "memory" in parts:
            memory(baomoi, tmp, (n // 10, n) if args.limit else (10_000, 100_000))
        if "dask" in parts:
            dask(source, tmp, -(-n // 256))
        if "resume" in parts:
            resume(source, tmp, -(-n // 256))
    return 0


if __name__ == "__main__":
    sys.exit(main())
