"""Replacing a model: a real ``stance train`` killed (SIGKILL) while it replaces an existing model leaves the old
model or the new one, loadable; temporary files of killed saves do not accumulate."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stance.files import _HOST, atomic_write
from stance.persist import load, save
from tests.paths import ROOT, SEEDS
from tests.persist.helpers import small_model

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork: POSIX only")


def _labelled(folder: Path) -> Path:
    """80 long distinct texts made from the seed articles' words (two labels): a model of 100-200 kB, quick to
    fit, whose writing (write, fsync, rename) takes long enough to be caught in the middle."""
    words = " ".join(p.read_text(encoding="utf-8") for p in SEEDS).split()
    rng = random.Random(0)
    rows = []
    for k in range(40):
        base = " ".join(rng.choice(words) for _ in range(400))
        rows += [{"text": f"{base} số{k}a", "label": "ab"[k % 2]}, {"text": f"{base} số{k}b", "label": "ab"[k % 2]}]
    path = folder / "train.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def _train(data: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "stance.cli", "train", str(data), "--out", str(out), "--cv-folds", "2"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=out.parent)


def _temporaries(out: Path, pid: int | None = None) -> list[str]:
    """The temporary files of saves of ``out`` (of process ``pid`` only, if given)."""
    tag = "" if pid is None else f"-{pid}-"
    return [n for n in os.listdir(out.parent) if n.startswith(f".{out.name}.") and n.endswith(".tmp") and tag in n]


def _kill_when_the_temporary_appears(proc: subprocess.Popen, out: Path) -> bool:
    """Poll the folder; SIGKILL the moment the process's temporary model file exists. True if killed then."""
    while proc.poll() is None:
        if _temporaries(out, proc.pid):
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.0002)  # leave the CPU to the process being watched
    return False


def _replace_and_kill(tmp_path: Path, *, at_temporary: int, at_random: int) -> dict[str, int]:
    """Replace a model with ``stance train`` again and again, killing it the moment its temporary file appears
    (``at_temporary`` times) or after a random delay (``at_random`` times); load the model after each kill."""
    data = _labelled(tmp_path)
    out = tmp_path / "model.stance"
    save(small_model(), out, task="old")
    seen = {"old": 0, "new": 0, "killed writing": 0, "runs": 0}
    rng = random.Random(1)
    full = 0.0
    plans: list = ["temporary"] * at_temporary + ["random"] * at_random
    for plan in plans:
        for _attempt in range(4 if plan == "temporary" else 1):
            before = out.read_bytes()
            start = time.monotonic()
            proc = _train(data, out)
            if plan == "temporary":
                caught = _kill_when_the_temporary_appears(proc, out)
                full = max(full, time.monotonic() - start)
            else:
                time.sleep(rng.uniform(0.3, 1.1) * full)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                caught = bool(_temporaries(out, proc.pid))
            seen["runs"] += 1
            model = load(out)  # the old model or the new one, never neither: no checksum mismatch, no trust needed
            assert model.classes_.tolist() in (["s", "w"], ["a", "b"])
            seen["old" if out.read_bytes() == before else "new"] += 1
            if caught:
                seen["killed writing"] += 1
                assert _temporaries(out, proc.pid), "a save killed mid-write leaves its temporary (until the next save)"
                break
    # The next save removes the temporaries of the killed processes.
    save(small_model(), out, task="demo")
    assert _temporaries(out) == []
    return seen


def test_sigkill_while_replacing_a_model_leaves_a_loadable_model(tmp_path):
    seen = _replace_and_kill(tmp_path, at_temporary=1, at_random=1)
    assert seen["killed writing"] >= 1, f"never caught the save mid-write: the test proved nothing ({seen})"
    assert seen["old"] >= 1, seen  # killed mid-write: the old model was still there


@pytest.mark.slow
def test_sigkill_at_many_points(tmp_path):
    seen = _replace_and_kill(tmp_path, at_temporary=3, at_random=8)
    assert seen["killed writing"] >= 3 and seen["old"] >= 3, seen


def test_the_next_write_removes_temporaries_of_dead_processes_only(tmp_path):
    target = tmp_path / "m.stance"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    names = {
        "dead": f".m.stance.{_HOST}-{dead_pid}-0a1b2c3d.tmp",
        "alive": f".m.stance.{_HOST}-{os.getppid()}-0a1b2c3d.tmp",  # a running process: its save is under way
        "other host": f".m.stance.elsewhere-{dead_pid}-0a1b2c3d.tmp",  # cannot tell from here
        "other file": f".n.stance.{_HOST}-{dead_pid}-0a1b2c3d.tmp",
    }
    for name in names.values():
        (tmp_path / name).write_bytes(b"partial")
    atomic_write(target, b"new")
    left = {kind for kind, name in names.items() if (tmp_path / name).exists()}
    assert left == {"alive", "other host", "other file"}
    assert target.read_bytes() == b"new"
