"""The views part of the hostile battery (``python -m benchmarks.hostile --only views``), run as the command it
is: every hostile results table and page gives a report or a page without script, or exit 2 naming the file."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.paths import ROOT


@pytest.mark.slow
def test_hostile_battery_views():
    proc = subprocess.run([sys.executable, "-m", "benchmarks.hostile", "--only", "views"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    summary = re.search(r"^(\d+) tried, \1 handled, 0 crashed, 0 rows lost, 0 injected code ran$", proc.stdout, re.M)
    assert summary and int(summary.group(1)) >= 15, proc.stdout
    lines = [line for line in proc.stdout.splitlines() if line.startswith("ok   views")]
    assert sum("exit" not in line and "error:" in line for line in lines) >= 10  # refused, naming the file
    assert sum("written" in line for line in lines) >= 7
