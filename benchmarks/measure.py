"""Metrics, percentiles, memory and machine description (standard library only).

Nothing here imports numpy or scikit-learn, so that a worker measuring one
system does not pay for another system's libraries in its memory figures.
"""

from __future__ import annotations

import importlib.metadata
import math
import os
import platform
import resource
import sys
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """Percentile with linear interpolation between closest ranks.

    Same definition as ``numpy.percentile(values, q)`` (method "linear").

    Parameters
    ----------
    values : sequence of float
        Observations (need not be sorted).
    q : float
        Percentile in [0, 100].

    Returns
    -------
    float
        The interpolated percentile.

    Raises
    ------
    ValueError
        If ``values`` is empty or ``q`` is outside [0, 100].

    Examples
    --------
    >>> percentile([1, 2, 3, 4], 50)    # even count: midpoint of the two middle values
    2.5
    >>> percentile([4, 1, 3, 2], 50), percentile([10, 20], 90), percentile([1, 2, 3, 4, 5], 25)
    (2.5, 19.0, 2.0)
    >>> percentile(range(1, 101), 99)   # rank 0.99 * 99 = 98.01 -> 99 + 0.01 * (100 - 99)
    99.01
    >>> percentile([], 50)
    Traceback (most recent call last):
    ...
    ValueError: percentile of an empty sequence
    """
    if not 0 <= q <= 100:
        raise ValueError(f"percentile q must be in [0, 100], got {q!r}")
    xs = sorted(float(v) for v in values)
    if not xs:
        raise ValueError("percentile of an empty sequence")
    pos = (len(xs) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    frac = pos - lo
    return xs[lo] + (xs[hi] - xs[lo]) * frac


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """Summarise per-document latencies.

    Parameters
    ----------
    seconds : sequence of float
        One wall-clock duration per document, in seconds.

    Returns
    -------
    dict
        ``n``, ``median_ms``, ``p99_ms``, ``mean_ms`` and ``max_ms``.

    Examples
    --------
    >>> latency_summary([0.001, 0.002, 0.003])["median_ms"]
    2.0

    99 documents at 1 ms and one at 100 ms: p99 interpolates at rank 98.01 between 1 ms and 100 ms.

    >>> s = latency_summary([0.001] * 99 + [0.1])
    >>> round(s["median_ms"], 6), round(s["p99_ms"], 6), round(s["max_ms"], 6)
    (1.0, 1.99, 100.0)
    """
    ms = [s * 1000.0 for s in seconds]
    return {
        "n": float(len(ms)),
        "median_ms": percentile(ms, 50),
        "p99_ms": percentile(ms, 99),
        "mean_ms": sum(ms) / len(ms),
        "max_ms": max(ms),
    }


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (10**6 bytes).

    Reads ``VmHWM`` from ``/proc/self/status`` on Linux: ``getrusage``'s
    ``ru_maxrss`` survives ``execve``, so a child started from a large parent
    would report the parent's peak. Elsewhere falls back to ``ru_maxrss``.

    Returns
    -------
    float
        Peak RSS of the current address space.
    """
    peak = _proc_status_mb("VmHWM")
    if peak is not None:
        return peak
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024
    return kib * scale / 1e6


def current_rss_mb() -> float | None:
    """Current resident set size of this process in MB (``VmRSS``), or ``None`` off Linux."""
    return _proc_status_mb("VmRSS")


def _proc_status_mb(key: str) -> float | None:
    """A ``kB`` field of ``/proc/self/status`` in MB, or ``None`` where there is no such file."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Reset this process's peak RSS (``VmHWM``) to its current RSS.

    Writes ``5`` to ``/proc/self/clear_refs`` (Linux 4.0+), so that a later
    :func:`peak_rss_mb` covers only what happens after the call.

    Returns
    -------
    bool
        Whether the reset was possible.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def file_size_mb(path: str | os.PathLike[str]) -> float:
    """Size of a file, or of all files under a folder, in MB (10**6 bytes)."""
    p = os.fspath(path)
    if os.path.isdir(p):
        total = 0
        for root, _dirs, files in os.walk(p):
            total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
        return total / 1e6
    return os.path.getsize(p) / 1e6


def usable_cores() -> int:
    """Number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_PACKAGES = (
    "numpy",
    "scipy",
    "scikit-learn",
    "joblib",
    "underthesea",
    "underthesea_core",
    "fasttext-numpy2",
    "fasttext",
    "psutil",
    "matplotlib",
    "vistance",
)


def machine_description() -> dict[str, Any]:
    """Describe the machine and software the benchmark runs on.

    Returns
    -------
    dict
        CPU model (from ``/proc/cpuinfo``), logical and usable cores, total
        RAM in GB, OS, Python version and installed versions of the relevant
        packages (``None`` when not installed).
    """
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_gb = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    ram_gb = round(int(line.split()[1]) * 1024 / 1e9, 1)
                    break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for pkg in _PACKAGES:
        try:
            versions[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            versions[pkg] = None
    return {
        "cpu": cpu,
        "logical_cores": os.cpu_count(),
        "usable_cores": usable_cores(),
        "ram_gb": ram_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": {k: v for k, v in versions.items() if v is not None},
        "git": git_state(),
    }


def git_state(root: str | os.PathLike[str] = ".") -> dict[str, Any]:
    """The checked-out commit and whether tracked files differ from it.

    Returns
    -------
    dict
        ``commit`` (hex, or ``None`` outside a git work tree) and ``dirty``
        (paths of modified tracked files, so a figure can be tied to code).
    """
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": []}
    if head.returncode:
        return {"commit": None, "dirty": []}
    return {"commit": head.stdout.strip(), "dirty": [line[3:] for line in status.stdout.splitlines()]}


def format_machine(info: dict[str, Any]) -> str:
    """One-paragraph text rendering of :func:`machine_description`."""
    pkgs = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    text = (
        f"CPU: {info['cpu']}, {info['usable_cores']} usable cores "
        f"({info['logical_cores']} logical), RAM {info['ram_gb']} GB, {info['os']}\n"
        f"Python {info['python']}; {pkgs}"
    )
    git = info.get("git") or {}
    if git.get("commit"):
        dirty = f" with local changes to {', '.join(git['dirty'])}" if git.get("dirty") else ""
        text += f"\ncode: commit {git['commit'][:12]}{dirty}"
    return text
