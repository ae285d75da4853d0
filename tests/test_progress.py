"""Progress bars: shown on a terminal (a real pseudo-terminal here) for classify, evaluate and cross-validation;
silent when standard error is not a terminal and with --quiet."""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import pty
import struct
import subprocess
import sys
import termios

from stance.progress import progress_bar, wanted
from tests.paths import ROOT


def test_a_silent_bar_counts_and_a_shown_one_writes_to_stderr(capsys):
    with progress_bar(3, desc="folds", unit="fold", enabled=False) as bar:
        bar.update(2)
        bar.note("ignored")
    assert bar.count == 2 and capsys.readouterr().err == ""
    with progress_bar(3, desc="folds", unit="fold", enabled=True) as bar:
        bar.update(3)
    err = capsys.readouterr().err
    assert "folds" in err and "3/3" in err and "fold/s" in err
    assert wanted(None) is False  # pytest's stderr is not a terminal


def run_on_a_terminal(*args: str) -> tuple[int, str, str]:
    """Run ``python -m stance.cli ARGS`` with standard error on a pseudo-terminal; (status, stdout, stderr)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a 120-column terminal
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "stance.cli", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode()
    proc.wait(timeout=600)
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode("utf-8", "replace")


def test_classify_shows_documents_per_second_on_a_terminal_only(baomoi_jsonl, tmp_path):
    source = str(baomoi_jsonl(60))
    status, out, err = run_on_a_terminal("classify", source, "--out", str(tmp_path / "r.jsonl"), "--jobs", "1",
                                         "--batch-size", "20")
    assert status == 0 and "wrote" in out and "60 rows" in out
    assert "classify" in err and "60/60" in err and "doc/s" in err
    status, _, err = run_on_a_terminal("classify", source, "--out", str(tmp_path / "q.jsonl"), "--jobs", "1", "--quiet")
    assert status == 0 and "doc/s" not in err
    piped = subprocess.run([sys.executable, "-m", "stance.cli", "classify", source, "--out", str(tmp_path / "p.jsonl"),
                            "--jobs", "1"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                           capture_output=True, timeout=600)
    assert piped.returncode == 0 and piped.stderr.decode() == ""


def test_cross_validation_and_evaluation_show_their_progress(shared_data, tmp_path):
    with open(shared_data("uit_vsfc", "train.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in itertools.islice(f, 300)]
    data = tmp_path / "small.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    status, out, err = run_on_a_terminal("evaluate", str(data), "--cv", "3", "--bootstrap", "0")
    assert status == 0 and "macro-F1" in out
    assert "cross-validation" in err and "3/3" in err
    status, out, err = run_on_a_terminal("evaluate", str(data), "--task", "topic", "--bootstrap", "0")
    assert status == 0 and "predict" in err and "300/300" in err
