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


@pytest.fixture(scope="session")
def dantri_rows(shared_data) -> list[dict]:
    """A real results table (``tests/views/tables.py``): 2,653 Dân trí articles classified, and 3 failed rows."""
    from tests.views.tables import results_rows

    return results_rows(shared_data("topic_recent", "dantri_2020_2021.jsonl.xz"))


@pytest.fixture(scope="session")
def dantri_tables(dantri_rows, tmp_path_factory) -> dict:
    """``dantri_rows`` written as ``.jsonl``, ``.csv`` and ``.parquet``: format -> path."""
    from tests.views.tables import write_tables

    return write_tables(dantri_rows, tmp_path_factory.mktemp("results"))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (``tests/browser.py``); skipped where it is missing, except in CI,
    where a missing browser fails the test (CI installs it)."""
    from tests import browser as chromium

    why = chromium.available()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"headless Chromium is needed in CI: {why}")
        pytest.skip(why)
    with chromium.Browser() as b:
        yield b
