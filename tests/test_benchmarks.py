"""Fast tests of the benchmark harness (``python -m benchmarks``) on real VNTC text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.cli import format_table, main, summarise
from benchmarks.data import data_root, read_corpus, spread_indices
from benchmarks.measure import latency_summary, percentile
from benchmarks.systems import SYSTEMS, System, get_system
from benchmarks.worker import chunk_bounds, run_vntc

VNTC = data_root() / "vntc"


# --- percentiles and metrics on known inputs ------------------------------------------


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([5.0], 50, 5.0),
        ([1, 2, 3, 4], 50, 2.5),  # even count: midpoint of the two middle values
        ([4, 1, 3, 2], 50, 2.5),  # order does not matter
        ([1, 2, 3, 4, 5], 0, 1.0),
        ([1, 2, 3, 4, 5], 100, 5.0),
        ([1, 2, 3, 4, 5], 25, 2.0),
        (list(range(1, 101)), 99, 99.01),  # rank 0.99 * 99 = 98.01 -> 99 + 0.01 * (100 - 99)
        ([10, 20], 90, 19.0),
    ],
)
def test_percentile_known_values(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == pytest.approx(expected)


def test_percentile_rejects_empty_and_out_of_range() -> None:
    with pytest.raises(ValueError, match="empty"):
        percentile([], 50)
    with pytest.raises(ValueError, match="101"):
        percentile([1.0], 101)


def test_latency_summary_p99_is_dominated_by_the_slow_tail() -> None:
    # 99 documents at 1 ms and one at 100 ms: median 1 ms; p99 interpolates at rank 98.01
    # between 1 ms (rank 98) and 100 ms (rank 99): 1 + 0.01 * 99 = 1.99 ms.
    s = latency_summary([0.001] * 99 + [0.1])
    assert s["median_ms"] == pytest.approx(1.0)
    assert s["p99_ms"] == pytest.approx(1.99)
    assert s["max_ms"] == pytest.approx(100.0)
    assert s["n"] == 100


def test_spread_and_chunks_cover_the_range() -> None:
    assert spread_indices(10, 4) == [0, 2, 5, 7]
    assert spread_indices(3, 10) == [0, 1, 2]
    assert chunk_bounds(10, 3) == [(0, 4), (4, 7), (7, 10)]
    assert chunk_bounds(2, 8) == [(0, 1), (1, 2)]


# --- data -------------------------------------------------------------------------------


def test_limited_subset_spans_labels_and_is_nfc(tiny_files: tuple[Path, Path]) -> None:
    import unicodedata

    train = read_corpus(tiny_files[0])
    assert len(train) == 300
    # The file is sorted by label; an evenly spaced subset must still hold all 10 topics.
    assert len(set(train.labels)) == 10
    assert all(unicodedata.is_normalized("NFC", t) for t in train.texts)
    assert len(read_corpus(tiny_files[1], limit=7)) == 7


# --- systems and the worker on a tiny real subset -----------------------------------------


@pytest.fixture(scope="module")
def tiny_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """300 train / 200 test real VNTC documents (evenly spaced), written once as plain JSONL."""
    if not (VNTC / "train.jsonl.xz").exists():
        pytest.skip("../shared/data not present")
    folder = tmp_path_factory.mktemp("vntc_tiny")
    paths = []
    for split, n in (("train", 300), ("test", 200)):
        c = read_corpus(VNTC / f"{split}.jsonl.xz", limit=n)
        path = folder / f"{split}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i, t, y in zip(c.ids, c.texts, c.labels):
                f.write(json.dumps({"id": i, "text": t, "label": y}, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths[0], paths[1]


@pytest.fixture(scope="module")
def tiny_split(tiny_files: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return {
        "train": str(tiny_files[0]),
        "test": str(tiny_files[1]),
        "limit_train": None,
        "limit_test": None,
        "repeat": 1,
        "n_latency": 20,
        "workdir": str(tmp_path_factory.mktemp("bench")),
        "all_cores": False,
    }


@pytest.mark.parametrize("name", ["underthesea_core", "sklearn"])
def test_run_vntc_measures_a_peer(name: str, tiny_split: dict[str, object]) -> None:
    system = get_system(name)
    if system.unavailable():
        pytest.skip(system.unavailable())
    res = run_vntc({**tiny_split, "system": name})
    assert res["available"] and res["n_train"] == 300 and res["n_test"] == 200
    # 300 training articles are enough for far better than chance (0.1) on 10 topics.
    assert 0.5 < res["accuracy"] <= 1.0
    assert 0.0 < res["macro_f1"] <= res["accuracy"] + 0.2
    assert res["train_s"] > 0 and res["artefact_mb"] > 0
    assert Path(res["artefact"]).exists()
    assert res["latency"]["n"] == 20 and res["latency"]["p99_ms"] >= res["latency"]["median_ms"] > 0
    row = summarise(res)
    assert row["docs_s_1core"] > 0 and "status" not in row


class _Broken(System):
    name = "broken"

    def unavailable(self) -> str | None:
        return "import nothing failed: ModuleNotFoundError"


def test_unavailable_system_is_reported_not_dropped(tiny_split: dict[str, object]) -> None:
    SYSTEMS["broken"] = _Broken()
    try:
        res = run_vntc({**tiny_split, "system": "broken"})
    finally:
        del SYSTEMS["broken"]
    assert res == {
        "system": "broken",
        "description": "",
        "available": False,
        "reason": "import nothing failed: ModuleNotFoundError",
    }
    table = format_table([summarise(res)])
    assert "| broken | not available: import nothing failed: ModuleNotFoundError |" in table


def test_stance_entry_is_registered_and_explains_itself() -> None:
    system = get_system("stance")
    reason = system.unavailable()
    assert reason is None or reason.startswith(("import ", "stance."))


def test_main_reports_unknown_and_unavailable_systems(
    tiny_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    files = ["--train", str(tiny_files[0]), "--test", str(tiny_files[1])]
    code = main(["--systems", "no_such_system,benchmarks.systems:nonexistent", "--out", str(out), *files])
    assert code == 0
    printed = capsys.readouterr().out
    assert "| no_such_system | not available: unknown system 'no_such_system'" in printed
    assert "| benchmarks.systems:nonexistent | not available: cannot import system" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["system"] for r in data["rows"]] == ["no_such_system", "benchmarks.systems:nonexistent"]
    assert data["machine"]["usable_cores"] >= 1 and "cpu" in data["machine"]


def test_main_end_to_end_subprocess_with_cold_start(
    tiny_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if get_system("underthesea_core").unavailable():
        pytest.skip("underthesea_core not installed")
    out = tmp_path / "r.json"
    png = tmp_path / "b.png"
    argv = ["--systems", "underthesea_core", "--train", str(tiny_files[0]), "--test", str(tiny_files[1]),
            "--limit-test", "150", "--n-latency", "20",
            "--cold-repeat", "1", "--no-all-cores", "--out", str(out), "--plot", str(png)]
    assert main(argv) == 0
    row = json.loads(out.read_text(encoding="utf-8"))["rows"][0]
    assert row["system"] == "underthesea_core"
    assert json.loads(out.read_text(encoding="utf-8"))["results"][0]["n_test"] == 150
    assert row["cold_s"] > 0 and row["serve_rss_mb"] > 0 and row["peak_rss_mb"] > row["serve_rss_mb"] * 0.5
    assert png.stat().st_size > 1000 and png.read_bytes()[:4] == b"\x89PNG"
    printed = capsys.readouterr().out
    assert "| underthesea_core | 0." in printed
    # --render reprints the same table from the saved file without running anything.
    assert main(["--render", str(out)]) == 0
    table = [line for line in printed.splitlines() if line.startswith("| underthesea_core |")]
    assert table and table[0] in capsys.readouterr().out


def test_bulk_mode_reports_throughput_and_unavailable_pipelines(
    tiny_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bulk.json"
    argv = ["--mode", "bulk", "--docs", str(tiny_files[1]), "--pipeline", "builtins:list,no_such_module:classify_batch",
            "--systems", "underthesea_core", "--train", str(tiny_files[0]), "--out", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "| no_such_module:classify_batch | not available: ModuleNotFoundError" in printed
    results = {r["system"]: r for r in json.loads(out.read_text(encoding="utf-8"))["results"]}
    ident = results["builtins:list"]
    assert ident["n_docs"] == 200 and ident["n_outputs"] == 200
    text = read_corpus(tiny_files[1]).texts
    assert ident["mb_utf8"] == pytest.approx(sum(len(t.encode("utf-8")) for t in text) / 1e6)
    if not get_system("underthesea_core").unavailable():
        assert results["underthesea_core"]["n_train"] == 300 and results["underthesea_core"]["n_outputs"] == 200
