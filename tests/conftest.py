"""Shared test helpers: where the research data lives, and what to do when it does not."""

from __future__ import annotations

import itertools
import lzma
import os
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("STANCE_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Callable[..., Path]:
    """``shared_data("stance", "train.jsonl")``: the path of a file of ``../shared/data`` (or ``$STANCE_DATA``).

    A missing file skips the test on a developer's machine, and fails it when ``CI=true``: in CI the data
    must be there, and a test that silently skips there proves nothing.
    """

    def path(*parts: str) -> Path:
        p = DATA.joinpath(*parts)
        if not p.exists():
            if os.environ.get("CI") == "true":
                pytest.fail(f"{p} is missing and CI=true: the tests that need ../shared/data must run in CI")
            pytest.skip(f"{p} is missing (../shared/data is not beside the project)")
        return p

    return path


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
