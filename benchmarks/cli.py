"""``python -m benchmarks``: train and measure systems side by side.

Three modes:

``--mode peer`` (default)
    ``stance.classify_batch`` against underthesea_core's ``predict_batch`` on the same 6,000 VNTC test
    articles, both on every core, in one run: the ratio, cold start and installed size
    (:mod:`benchmarks.peer`).
``--mode vntc``
    Each system in ``--systems`` is trained on VNTC ``train`` and scored on
    ``test`` in its own subprocess (:mod:`benchmarks.worker`); cold start is
    then timed from outside in fresh processes. Prints one table.
``--mode bulk``
    Throughput of whole-pipeline callables (``--pipeline module:attr``, e.g.
    ``stance:classify_batch``) on the unlabelled baomoi articles.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.data import data_root, read_corpus
from benchmarks.measure import format_machine, machine_description
from benchmarks.systems import DEFAULT_SYSTEMS, SYSTEMS, UnknownSystemError, get_system
from stance.files import atomic_write

_COLD_WRAPPER = """\
import sys
MODEL_PATH, TEXT = sys.argv[1], sys.stdin.read()
{code}
from benchmarks.measure import peak_rss_mb
print(repr(str(label)), peak_rss_mb(), sep="\t")
"""
ROOT = Path(__file__).resolve().parent.parent


def build_parser() -> argparse.ArgumentParser:
    """Command-line parser for :func:`main`."""
    root = data_root()
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Train and measure Vietnamese topic classifiers side by side.",
    )
    p.add_argument("--mode", choices=("peer", "vntc", "bulk"), default="peer",
                   help="peer: classify_batch vs the Rust peer (ratio, cold start, size); vntc: accuracy + speed "
                   "table; bulk: pipeline throughput on baomoi")
    p.add_argument(
        "--systems",
        default=None,
        help=f"comma-separated names (built in: {', '.join(SYSTEMS)}) or module:attribute "
        f"(default in vntc mode: {','.join(DEFAULT_SYSTEMS)}; in bulk mode: none, only --pipeline)",
    )
    p.add_argument("--train", type=Path, default=root / "vntc" / "train.jsonl.xz")
    p.add_argument("--test", type=Path, default=root / "vntc" / "test.jsonl.xz")
    p.add_argument("--docs", type=Path, default=root / "baomoi" / "docs.jsonl.xz", help="bulk mode input")
    p.add_argument(
        "--pipeline",
        default="stance:classify_batch",
        help="bulk mode: comma-separated module:callable taking a list of texts (default: %(default)s); "
        "'' for none",
    )
    p.add_argument("--limit-train", type=int, default=None, metavar="N", help="use the first N training documents")
    p.add_argument("--limit-test", type=int, default=None, metavar="N", help="use the first N test (or bulk) documents")
    p.add_argument("--repeat", type=int, default=None,
                   help="timed repetitions of each batch pass (median reported; default 3 in peer mode, else 1)")
    p.add_argument("--cold-repeat", type=int, default=5, help="fresh processes for cold start (median reported)")
    p.add_argument("--n-latency", type=int, default=500, help="documents for single-document latency")
    p.add_argument("--no-all-cores", action="store_true", help="skip the process-pool throughput")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds allowed per system")
    p.add_argument("--workdir", type=Path, default=None, help="keep saved models here (default: a temporary folder)")
    p.add_argument("--out", type=Path, default=None, help="write machine-readable results (JSON)")
    p.add_argument("--plot", type=Path, default=None, help="write an accuracy-vs-throughput figure (PNG)")
    p.add_argument(
        "--render",
        type=Path,
        default=None,
        metavar="RESULTS_JSON",
        help="do not run anything: print the table (and --plot) from a previous --out file",
    )
    return p


def run_worker(cfg: dict[str, Any], workdir: Path, timeout: float) -> dict[str, Any]:
    """Run :mod:`benchmarks.worker` on ``cfg`` in a new process and return its result.

    A crash, timeout or missing result is returned as an ``error`` entry,
    never dropped.
    """
    tag = str(cfg.get("system") or cfg.get("pipeline")).replace("/", "_").replace(":", "_")
    cfg_path = workdir / f"{tag}.config.json"
    out_path = workdir / f"{tag}.result.json"
    atomic_write(cfg_path, json.dumps(cfg, default=str))
    out_path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.worker", str(cfg_path), str(out_path)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"system": tag, "available": True, "error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - t0
    if not out_path.exists():
        tail = (proc.stderr or "").strip().splitlines()[-5:]
        return {"system": tag, "available": True, "error": f"worker exited {proc.returncode}: {' | '.join(tail)}"}
    res = json.loads(out_path.read_text(encoding="utf-8"))
    res["worker_wall_s"] = wall
    if proc.returncode and "error" not in res:
        res["error"] = f"worker exited {proc.returncode}"
    return res


def cold_start(system_name: str, model_path: str, text: str, repeat: int) -> dict[str, Any]:
    """Time import + load + first prediction in fresh Python processes.

    Parameters
    ----------
    system_name : str
        System whose ``cold_start_code`` is run.
    model_path : str
        Artefact written by the system's ``save``.
    text : str
        Document passed on standard input.
    repeat : int
        Number of fresh processes.

    Returns
    -------
    dict
        ``times_s`` (wall time measured by the parent, from spawn to exit),
        ``median_s``, ``label`` and ``rss_mb`` (peak RSS of the process,
        ``VmHWM`` read after the prediction).
    """
    code = _COLD_WRAPPER.format(code=get_system(system_name).cold_start_code)
    times, out = [], {}
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", code, model_path], input=text, capture_output=True, text=True, timeout=600,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
        )
        times.append(time.perf_counter() - t0)
        if proc.returncode:
            return {"error": (proc.stderr or "").strip().splitlines()[-1:]}
        label, rss = proc.stdout.rstrip("\n").splitlines()[-1].rsplit("\t", 1)
        out = {"label": ast.literal_eval(label), "peak_rss_mb": float(rss)}
    return {
        "times_s": times,
        "median_s": statistics.median(times),
        "label": out.get("label"),
        "rss_mb": out.get("peak_rss_mb"),
    }


def summarise(res: dict[str, Any]) -> dict[str, Any]:
    """Flatten one worker result into the table's columns.

    Returns
    -------
    dict
        Keys ``system`` and, when measured, ``accuracy``, ``macro_f1``,
        ``train_s``, ``docs_s_1core``, ``docs_cpu_s``, ``docs_s_native``, ``docs_s_all``,
        ``cores``, ``lat_p50_ms``, ``lat_p99_ms``, ``peak_rss_mb``,
        ``serve_rss_mb``, ``artefact_mb``, ``cold_s``; or ``status``.
    """
    row: dict[str, Any] = {"system": res.get("system")}
    if not res.get("available", True):
        row["status"] = f"not available: {res.get('reason')}"
        return row
    if "error" in res:
        row["status"] = f"error: {res['error']}"
        return row
    n = res["n_test"]
    row.update(
        accuracy=res["accuracy"],
        macro_f1=res["macro_f1"],
        train_s=res["train_s"],
        docs_s_1core=n / statistics.median(res["batch_1core_times_s"]),
        docs_cpu_s=n / statistics.median(res["batch_1core_cpu_s"]),
        docs_s_native=n / statistics.median(res["batch_native_times_s"]),
        lat_p50_ms=res["latency"]["median_ms"],
        lat_p99_ms=res["latency"]["p99_ms"],
        peak_rss_mb=res["peak_rss_mb"],
        data_rss_mb=res.get("rss_data_mb"),
        artefact_mb=res["artefact_mb"],
    )
    if "pool" in res:
        row["docs_s_all"] = n / statistics.median(res["pool"]["times_s"])
        row["cores"] = res["pool"]["processes"]
    cold = res.get("cold_start", {})
    if "median_s" in cold:
        row["cold_s"] = cold["median_s"]
        row["serve_rss_mb"] = cold["rss_mb"]
    elif "error" in cold:
        row["cold_s"] = f"error: {cold['error']}"
    return row


_COLUMNS = (
    ("system", "system", "{}"),
    ("accuracy", "accuracy", "{:.4f}"),
    ("macro_f1", "macro-F1", "{:.4f}"),
    ("train_s", "train s", "{:.1f}"),
    ("docs_s_1core", "docs/s 1 core", "{:,.0f}"),
    ("docs_cpu_s", "docs per CPU-s", "{:,.0f}"),
    ("docs_s_native", "docs/s 1 proc (native threads)", "{:,.0f}"),
    ("docs_s_all", "docs/s all cores", "{:,.0f}"),
    ("lat_p50_ms", "latency p50 ms", "{:.2f}"),
    ("lat_p99_ms", "latency p99 ms", "{:.2f}"),
    ("data_rss_mb", "RSS MB with corpora loaded", "{:,.0f}"),
    ("peak_rss_mb", "peak RSS MB (train+test)", "{:,.0f}"),
    ("serve_rss_mb", "RSS MB (load+1 doc)", "{:,.0f}"),
    ("artefact_mb", "model MB", "{:.1f}"),
    ("cold_s", "cold start s", "{:.2f}"),
)


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """Markdown table of :func:`summarise` rows; unavailable systems get one wide cell.

    Examples
    --------
    >>> print(format_table([{"system": "x", "status": "not available: no module"}]).splitlines()[-1])
    | x | not available: no module |
    """
    head = "| " + " | ".join(h for _, h, _ in _COLUMNS) + " |"
    sep = "|" + "|".join("---" if k == "system" else "---:" for k, _, _ in _COLUMNS) + "|"
    lines = [head, sep]
    for row in rows:
        if "status" in row:
            lines.append(f"| {row['system']} | {row['status']} |")
            continue
        cells = []
        for key, _, fmt in _COLUMNS:
            v = row.get(key)
            cells.append("—" if v is None else (fmt.format(v) if not isinstance(v, str) or key == "system" else v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot(rows: Sequence[dict[str, Any]], path: Path, title: str) -> None:
    """Accuracy and macro-F1 against one-core throughput (log scale), saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [r for r in rows if "status" not in r]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.8))
    for r in ok:
        ax1.scatter(r["docs_s_1core"], r["accuracy"], marker="o", s=60)
        ax1.scatter(r["docs_s_1core"], r["macro_f1"], marker="x", s=60, color="grey")
        ax1.annotate(r["system"], (r["docs_s_1core"], r["accuracy"]), textcoords="offset points", xytext=(6, 4),
                     fontsize=8)
    ax1.set_xscale("log")
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax1.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax1.xaxis.set_minor_formatter(NullFormatter())
    xs = [r["docs_s_1core"] for r in ok] or [1.0]
    ax1.set_xlim(min(xs) / 1.6, max(xs) * 2.5)
    ax1.set_xlabel("documents/s, one core (log scale)")
    ax1.set_ylabel("score on VNTC test (o accuracy, x macro-F1)")
    ax1.grid(True, alpha=0.3)
    names = [r["system"] for r in ok]
    x = range(len(ok))
    w = 0.4
    ax2.bar([i - w / 2 for i in x], [r["docs_s_1core"] for r in ok], w, label="1 core")
    ax2.bar([i + w / 2 for i in x], [r.get("docs_s_all", 0) for r in ok], w, label="all cores (process pool)")
    ax2.set_xticks(list(x), names, rotation=20, ha="right")
    ax2.set_ylabel("documents/s")
    ax2.legend()
    ax2.grid(True, axis="y", alpha=0.3)
    missing = [r["system"] for r in rows if "status" in r]
    if missing:
        fig.text(0.01, 0.01, "not shown: " + "; ".join(f"{r['system']} ({r['status']})" for r in rows if "status" in r), fontsize=7)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=110)
    plt.close(fig)
    atomic_write(path, png.getvalue())


def run_vntc_mode(args: argparse.Namespace, workdir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Measure each system; return raw results and table rows."""
    names = [s.strip() for s in (args.systems or ",".join(DEFAULT_SYSTEMS)).split(",") if s.strip()]
    first_test = read_corpus(args.test, 1).texts[0]
    results, rows = [], []
    for name in names:
        try:
            system = get_system(name)
        except UnknownSystemError as exc:
            res = {"system": name, "available": False, "reason": str(exc)}
        else:
            print(f"[benchmarks] {system.name} ...", file=sys.stderr, flush=True)
            cfg = {
                "mode": "vntc",
                "system": name,
                "train": str(args.train),
                "test": str(args.test),
                "limit_train": args.limit_train,
                "limit_test": args.limit_test,
                "repeat": args.repeat,
                "n_latency": args.n_latency,
                "workdir": str(workdir),
                "all_cores": not args.no_all_cores,
            }
            res = run_worker(cfg, workdir, args.timeout)
            if res.get("available", True) and "error" not in res:
                res["cold_start"] = cold_start(name, res["artefact"], first_test, args.cold_repeat)
        row = summarise(res)
        print(f"[benchmarks] {row}", file=sys.stderr, flush=True)
        results.append(res)
        rows.append(row)
    return results, rows


def bulk_row(res: dict[str, Any]) -> str:
    """One Markdown table row for a bulk-mode result."""
    spec = res["system"]
    if not res.get("available", True):
        return f"| {spec} | not available: {res.get('reason')} |"
    if "error" in res:
        return f"| {spec} | error: {res['error']} |"
    t = statistics.median(res["times_s"])
    c = statistics.median(res["cpu_s"])
    return (
        f"| {spec} | {res['n_docs']:,} | {res['mb_utf8']:.1f} | {res['n_docs'] / t:,.0f} | {res['mb_utf8'] / t:.2f} | "
        f"{res['n_docs'] / c:,.0f} | {res['first_call_s']:.2f} | {res['peak_rss_mb']:,.0f} |"
    )


def run_bulk_mode(args: argparse.Namespace, workdir: Path) -> tuple[list[dict[str, Any]], str]:
    """Measure pipelines (and trained systems) on the bulk documents; return results and a table."""
    jobs: list[dict[str, Any]] = []
    for name in [s.strip() for s in (args.systems or "").split(",") if s.strip()]:
        jobs.append({"system": name, "train": str(args.train), "limit_train": args.limit_train})
    for spec in [s.strip() for s in args.pipeline.split(",") if s.strip()]:
        jobs.append({"pipeline": spec})
    results = []
    lines = [
        "| pipeline | docs | MB (UTF-8) | docs/s | MB/s | docs per CPU-s | first call s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for job in jobs:
        spec = job.get("system") or job["pipeline"]
        print(f"[benchmarks] bulk {spec} ...", file=sys.stderr, flush=True)
        if "system" in job:
            try:
                get_system(spec)
            except UnknownSystemError as exc:
                res = {"system": spec, "available": False, "reason": str(exc)}
                results.append(res)
                lines.append(bulk_row(res))
                continue
        cfg = {"mode": "bulk", "docs": str(args.docs), "limit_test": args.limit_test, "repeat": args.repeat, **job}
        res = run_worker(cfg, workdir, args.timeout)
        res["system"] = spec
        results.append(res)
        lines.append(bulk_row(res))
    return results, "\n".join(lines)


def print_report(saved: dict[str, Any], table: str) -> None:
    """Print the command, machine, settings, table, load averages and system descriptions."""
    args = saved.get("settings", {})
    results = saved["results"]
    print(f"$ {saved['command']}")
    print(format_machine(saved["machine"]))
    if saved["mode"] == "vntc":
        n_tr = next((r.get("n_train") for r in results if "n_train" in r), None)
        n_te = next((r.get("n_test") for r in results if "n_test" in r), None)
        print(f"VNTC: {n_tr} training / {n_te} test documents; batch passes: median of {args.get('repeat')}; "
              f"latency over {args.get('n_latency')} documents; cold start: median of {args.get('cold_repeat')} "
              f"processes; all cores = process pool of {saved['machine']['usable_cores']}")
    else:
        print(f"Bulk: {args.get('docs')}; one process, threads as each pipeline chooses; median of "
              f"{args.get('repeat')} calls over all documents; systems are first trained on the VNTC training split")
    print(table)
    loads = [(r["system"], r.get("loadavg_start"), r.get("loadavg_end")) for r in results if r.get("loadavg_start")]
    if loads:
        print("load average (1/5/15 min) at start -> end of each system: "
              + "; ".join(f"{n} {a} -> {b}" for n, a, b in loads))
    for r in results:
        if r.get("description"):
            print(f"- {r['system']}: {r['description']}")


def render(path: Path, plot_path: Path | None) -> int:
    """Print the report of a saved ``--out`` file (and optionally plot it) without running anything.

    Returns
    -------
    int
        0.
    """
    saved = json.loads(path.read_text(encoding="utf-8"))
    if "settings" not in saved:  # files from before settings were stored: re-parse the command
        ns = build_parser().parse_args(shlex.split(saved["command"])[3:])
        saved["settings"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(ns).items()}
    if saved["mode"] == "bulk":
        head = (
            "| pipeline | docs | MB (UTF-8) | docs/s | MB/s | docs per CPU-s | first call s | peak RSS MB |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|"
        )
        table = "\n".join([head] + [bulk_row(r) for r in saved["results"]])
        rows: list[dict[str, Any]] = []
    else:
        rows = [summarise(r) for r in saved["results"]]
        table = format_table(rows)
    print_report(saved, table)
    if plot_path and rows:
        m = saved["machine"]
        plot(rows, plot_path, f"VNTC topic classification, {m['cpu']}, {m['usable_cores']} cores")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 if every requested system ran or was reported unavailable, 1 if any
        failed with an error.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.render is not None:
        return render(args.render, args.plot)
    if args.mode == "peer":
        from benchmarks.peer import run as run_peer

        return run_peer(argparse.Namespace(
            train=args.train, test=args.test, limit_train=args.limit_train, limit_test=args.limit_test or 6000,
            repeat=args.repeat or 3, cold_repeat=args.cold_repeat, no_python=False))
    args.repeat = args.repeat or 1
    command = "python -m benchmarks" + ("" if not argv else " " + shlex.join(argv))
    machine = machine_description()
    with tempfile.TemporaryDirectory(prefix="benchmarks-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        workdir = workdir.resolve()
        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if args.mode == "bulk":
            results, table = run_bulk_mode(args, workdir)
            rows: list[dict[str, Any]] = []
        else:
            results, rows = run_vntc_mode(args, workdir)
            table = format_table(rows)
    settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    saved = {"command": command, "started_utc": started, "machine": machine, "mode": args.mode,
             "settings": settings, "rows": rows, "results": results}
    print_report(saved, table)
    if args.out:
        atomic_write(args.out, json.dumps(saved, ensure_ascii=False, indent=1))
    if args.plot and rows:
        plot(rows, args.plot, f"VNTC topic classification, {machine['cpu']}, {machine['usable_cores']} cores")
    return 1 if any("error" in r for r in results) else 0
