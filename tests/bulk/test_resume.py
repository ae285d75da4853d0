"""Crash safety with real processes: ``stance classify --out`` killed (SIGKILL of the process, of its whole group,
Ctrl-C) at several points, then ``--resume``: the final table equals an uninterrupted run's, row for row; parts
on disk are always whole; worker processes do not outlive their parent; a changed run is refused."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from stance.bulk import classify_corpus
from tests.bulk.processes import cli

PART = re.compile(r"^part-(\d{8})-(\d+)-(\d+)\.parquet$")


def parts(out: Path) -> list[Path]:
    folder = out.with_name(out.name + ".parts")
    return sorted(p for p in folder.glob("part-*")) if folder.exists() else []


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for_parts(proc, out: Path, n: int, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while len(parts(out)) < n:
        assert proc.poll() is None, f"the run ended before {n} parts: {proc.communicate()[1].decode()[-500:]}"
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.005)


def check_parts_are_whole(out: Path) -> None:
    """Every part file is a readable Parquet file with the row count its name records."""
    for path in parts(out):
        match = PART.match(path.name)
        assert match, path.name
        assert pq.read_table(path).num_rows == int(match.group(2))


def finish(args: list[str]) -> str:
    proc = cli(*args, "--resume")
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err.decode()
    return out.decode()


def test_killed_once_then_resumed_equals_an_uninterrupted_run(baomoi_jsonl, tmp_path):
    source = baomoi_jsonl(300)
    expected = tmp_path / "expected.parquet"
    classify_corpus([source], expected, batch_size=10, n_jobs=1)
    out = tmp_path / "r.parquet"
    args = ["classify", str(source), "--out", str(out), "--batch-size", "10", "--jobs", "2"]
    proc = cli(*args)
    wait_for_parts(proc, out, 3)
    os.killpg(proc.pid, signal.SIGKILL)  # power loss: the parent and its workers at once
    proc.wait()
    assert not out.exists() and 3 <= len(parts(out)) < 30
    check_parts_are_whole(out)
    summary = finish(args)
    assert "300 rows" in summary and "of them from the interrupted run" in summary
    assert pq.read_table(out).equals(pq.read_table(expected))
    assert not out.with_name(out.name + ".parts").exists()


@pytest.mark.slow
def test_sigkill_at_three_points_then_resume_equals_an_uninterrupted_run(baomoi_jsonl, tmp_path):
    source = baomoi_jsonl(2000)
    expected = tmp_path / "expected.parquet"
    classify_corpus([source], expected, batch_size=20, n_jobs=1)
    out = tmp_path / "r.parquet"
    args = ["classify", str(source), "--out", str(out), "--batch-size", "20", "--jobs", "2", "--quiet"]
    seen = []
    for k, (point, whole_group) in enumerate([(2, False), (45, True), (90, False)]):
        proc = cli(*args, *(["--resume"] if k else []))
        wait_for_parts(proc, out, point)
        workers = children(proc.pid)
        if whole_group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            os.kill(proc.pid, signal.SIGKILL)  # the parent alone: its workers must notice and exit
        proc.wait()
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(w) for w in workers), "worker processes outlived their killed parent"
        check_parts_are_whole(out)
        seen.append(len(parts(out)))
    assert seen == sorted(seen) and seen[-1] < 100 and not out.exists()
    finish(args)
    assert pq.read_table(out).equals(pq.read_table(expected))


def test_ctrl_c_keeps_the_chunks_done_and_says_how_to_resume(baomoi_jsonl, tmp_path):
    source = baomoi_jsonl(300)
    out = tmp_path / "r.parquet"
    args = ["classify", str(source), "--out", str(out), "--batch-size", "10", "--jobs", "2"]
    proc = cli(*args)
    wait_for_parts(proc, out, 2)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert "run the same command with --resume" in err.decode() and "Traceback" not in err.decode()
    check_parts_are_whole(out)
    finish(args)
    assert pq.read_table(out).column("id").to_pylist() == [
        line.split('"')[3] for line in source.read_text(encoding="utf-8").splitlines()]


def test_resume_refuses_a_changed_input_other_options_or_standard_input(baomoi_jsonl, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(baomoi_jsonl(100).read_bytes())
    out = tmp_path / "r.parquet"
    args = ["classify", str(source), "--out", str(out), "--batch-size", "5", "--jobs", "1"]
    proc = cli(*args)
    wait_for_parts(proc, out, 1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()

    def refused(*extra: str) -> str:
        proc = cli(*args, *extra)
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 2
        return err.decode()

    assert "holds an interrupted run" in refused()
    assert "options.passages: false -> true" in refused("--resume", "--passages")
    with open(source, "ab") as f:
        f.write(b'{"id": "new", "text": "Qu\\u00e2n M\\u1ef9"}\n')
    err = refused("--resume")
    assert "cannot --resume" in err and "inputs[0].size" in err
    assert "nothing to resume" in refused("--resume", "--out", str(tmp_path / "other.parquet"))

    piped = cli("classify", "-", "--input-format", "jsonl", "--out", str(tmp_path / "s.jsonl"), "--batch-size", "2",
                "--jobs", "1", stdin=__import__("subprocess").PIPE)
    piped.stdin.write(b"".join(baomoi_jsonl(6).read_bytes().splitlines(keepends=True)[:5]))
    piped.stdin.flush()  # stdin stays open: the run waits for more after committing two chunks
    wait_for_parts(piped, tmp_path / "s.jsonl", 2)
    os.killpg(piped.pid, signal.SIGKILL)
    piped.wait()
    again = cli("classify", "-", "--input-format", "jsonl", "--out", str(tmp_path / "s.jsonl"), "--batch-size", "2",
                "--jobs", "1", "--resume")
    _, err = again.communicate(input=b"", timeout=300)
    assert again.returncode == 2 and "standard input" in err.decode()
