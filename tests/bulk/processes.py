"""The CLI run as a real process of its own session, for tests that kill it (the baomoi slices they read are
in tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.paths import ROOT


def cli(*args: str, **popen: object) -> subprocess.Popen:
    """``python -m stance.cli ARGS`` as a real process of its own session (so a test can kill it, or its group)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "stance.cli", *args], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, **popen)
