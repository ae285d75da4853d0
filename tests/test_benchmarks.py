"""The benchmark commands (``python -m benchmarks ...``) on real VNTC text, run as the commands they are.

No test imports ``benchmarks``: it is not part of the installed package. The harness is run as a user
runs it, and its own docstring examples (percentiles, spreads, chunks, the table) through ``python -m
doctest``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stance.files import iter_json_records
from tests.paths import ROOT


def run(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("module", ["benchmarks", "benchmarks.quality", "benchmarks.latency", "benchmarks.hostile",
                                    "benchmarks.peer", "benchmarks.equivalence"])
def test_every_benchmark_command_answers_help(module):
    proc = run(module, "--help")
    assert proc.returncode == 0 and proc.stdout.startswith(f"usage: python -m {module}"), proc.stderr


@pytest.mark.parametrize("module", ["measure", "data", "cli", "systems", "worker", "peer"])
def test_docstring_examples_of_the_harness(module):
    proc = run("doctest", "-o", "ELLIPSIS", f"benchmarks/{module}.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def tiny_files(shared_data, tmp_path_factory) -> tuple[Path, Path]:
    """300 train / 200 test real VNTC documents, evenly spaced through the (label-sorted) files."""
    folder = tmp_path_factory.mktemp("vntc_tiny")
    paths = []
    for split, n in (("train", 300), ("test", 200)):
        records = [item.checked() for item in iter_json_records(shared_data("vntc", f"{split}.jsonl.xz"))]
        picked = [records[i * len(records) // n] for i in range(n)]
        path = folder / f"{split}.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in picked) + "\n", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def test_peers_and_this_project_measured_side_by_side(tiny_files, tmp_path):
    out, png = tmp_path / "r.json", tmp_path / "b.png"
    proc = run("benchmarks", "--mode", "vntc", "--systems", "sklearn,stance,no_such_system,benchmarks.systems:nonexistent",
               "--train", str(tiny_files[0]), "--test", str(tiny_files[1]), "--limit-test", "150", "--n-latency", "20",
               "--cold-repeat", "1", "--no-all-cores", "--out", str(out), "--plot", str(png))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    saved = json.loads(out.read_text(encoding="utf-8"))
    rows = {r["system"]: r for r in saved["rows"]}
    for name in ("sklearn", "stance"):
        # 300 training articles are enough for far better than chance (0.1) on 10 topics.
        assert 0.5 < rows[name]["accuracy"] <= 1.0 and rows[name]["macro_f1"] > 0.3, rows[name]
        assert rows[name]["lat_p99_ms"] >= rows[name]["lat_p50_ms"] > 0 and rows[name]["cold_s"] > 0
        assert rows[name]["serve_rss_mb"] > 0 and rows[name]["artefact_mb"] > 0
    results = {r["system"]: r for r in saved["results"]}
    assert results["stance"]["n_train"] == 300 and results["stance"]["n_test"] == 150
    assert "| no_such_system | not available: unknown system 'no_such_system'" in proc.stdout
    assert "| benchmarks.systems:nonexistent | not available: cannot import system" in proc.stdout
    assert png.read_bytes()[:4] == b"\x89PNG" and saved["machine"]["usable_cores"] >= 1
    # --render reprints the same table from the saved file without running anything.
    again = run("benchmarks", "--render", str(out))
    table = [line for line in proc.stdout.splitlines() if line.startswith("| stance |")]
    assert again.returncode == 0 and table and table[0] in again.stdout


def test_bulk_mode_reports_throughput_and_unavailable_pipelines(tiny_files, tmp_path):
    out = tmp_path / "bulk.json"
    proc = run("benchmarks", "--mode", "bulk", "--docs", str(tiny_files[1]),
               "--pipeline", "builtins:list,no_such_module:classify_batch", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "| no_such_module:classify_batch | not available: ModuleNotFoundError" in proc.stdout
    results = {r["system"]: r for r in json.loads(out.read_text(encoding="utf-8"))["results"]}
    identity = results["builtins:list"]
    assert identity["n_docs"] == 200 and identity["n_outputs"] == 200
    texts = [item.checked()["text"] for item in iter_json_records(tiny_files[1])]
    assert identity["mb_utf8"] == pytest.approx(sum(len(t.encode("utf-8")) for t in texts) / 1e6)


@pytest.mark.slow
def test_quality_eras_prints_every_era_protocol(shared_data, tmp_path):
    # A smoke run on 150 articles per era: the six rows (VNTC-only model on VNTC test and on each recent set, the
    # shipped configuration on VNTC + one recent set -> the other, recent -> VNTC test), figures read back.
    data_dir = shared_data("vntc", "train.jsonl.xz").parent.parent
    proc = run("benchmarks.quality", "eras", "--data-dir", str(data_dir), "--limit", "150",
               "--out", str(tmp_path / "eras.json"), timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    saved = json.loads((tmp_path / "eras.json").read_text(encoding="utf-8"))["eras"]
    assert list(saved) == [
        "VNTC-only model | VNTC train -> VNTC test", "VNTC-only model | VNTC train -> Dân trí 2020-21",
        "VNTC-only model | VNTC train -> VnExpress 2022",
        "shipped configuration | VNTC train + Dân trí 2020-21 -> VnExpress 2022",
        "shipped configuration | VNTC train + VnExpress 2022 -> Dân trí 2020-21",
        "shipped configuration | Dân trí + VnExpress 2022 (recent only) -> VNTC test",
    ]
    # 150 articles per era are enough for far better than chance (0.1) on 10 topics.
    assert all(0.3 < row["accuracy"] <= 1.0 for row in saved.values()), saved
    assert sum(line.startswith(("VNTC-only", "shipped")) for line in proc.stdout.splitlines()) == 6
