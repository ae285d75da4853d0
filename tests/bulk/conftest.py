"""Fixtures of the bulk tests: slices of the baomoi corpus as tables, and the CLI run as a real process."""

from __future__ import annotations

import itertools
import lzma
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from tests.paths import ROOT


@pytest.fixture(scope="session")
def baomoi_jsonl(shared_data, tmp_path_factory) -> Callable[[int], Path]:
    """``baomoi_jsonl(n)``: a JSON Lines file of the first ``n`` baomoi articles (``id``, ``text``), as stored."""
    source = shared_data("baomoi", "docs.jsonl.xz")
    folder = tmp_path_factory.mktemp("baomoi")

    def make(n: int) -> Path:
        path = folder / f"baomoi-{n}.jsonl"
        if not path.exists():
            with lzma.open(source, "rb") as f:
                path.write_bytes(b"".join(itertools.islice(f, n)))
        return path

    return make


def cli(*args: str, **popen: object) -> subprocess.Popen:
    """``python -m stance.cli ARGS`` as a real process of its own session (so a test can kill it, or its group)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "stance.cli", *args], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, **popen)
