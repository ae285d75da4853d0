"""What the view tests share: a real results table (the Dân trí 2020–21 articles classified by the shipped
models, with their section and date passed through, and three rows that failed) in the three formats, and one
headless Chromium for the page tests."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from stance import classify_batch
from stance.files import iter_json_records

from tests import browser as chromium

MODEL_COLUMNS = ("topic", "topic_name", "topic_score", "stance", "stance_pro", "stance_anti", "stance_neutral",
                 "stance_unrelated", "evidence")
ERROR_ROWS = {5: "empty text", 700: "not a string", 2000: "empty text"}  # where the failed rows are put


@pytest.fixture(scope="session")
def dantri_rows(shared_data) -> list[dict]:
    """The rows of a results table of 2,653 + 3 rows, in the order of the schema (id, passthrough, model, error)."""
    records = [item.checked() for item in iter_json_records(shared_data("topic_recent", "dantri_2020_2021.jsonl.xz"))]
    results = iter(classify_batch([r["text"] for r in records]))
    rows = []
    for k, r in enumerate(records):
        if k in ERROR_ROWS:  # a failed row as bulk classification writes it: passthrough kept, model columns null
            rows.append({"id": f"failed-{k}", "label": r["label"], "section": r["section"], "date": r["date"],
                         "url": r["url"], "source": r["source"], **dict.fromkeys(MODEL_COLUMNS), "error": ERROR_ROWS[k]})
        passthrough = {key: v for key, v in r.items() if key not in ("id", "text")}
        rows.append({"id": r["id"], **passthrough, **next(results).to_record(), "error": None})
    return rows


@pytest.fixture(scope="session")
def dantri_tables(dantri_rows, tmp_path_factory) -> dict:
    """The same table as ``.jsonl``, ``.csv`` (evidence as JSON text) and ``.parquet``: suffix -> path."""
    folder = tmp_path_factory.mktemp("results")
    paths = {"jsonl": folder / "dantri.jsonl", "csv": folder / "dantri.csv", "parquet": folder / "dantri.parquet"}
    paths["jsonl"].write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in dantri_rows), encoding="utf-8")
    frame = pd.DataFrame(dantri_rows)
    frame.to_parquet(paths["parquet"])
    flat = frame.copy()
    flat["evidence"] = [None if e is None else json.dumps(e, ensure_ascii=False) for e in flat["evidence"]]
    flat.to_csv(paths["csv"], index=False)
    return paths


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (skipped where it is missing; in CI, a missing browser fails)."""
    why = chromium.available()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"headless Chromium is needed in CI: {why}")
        pytest.skip(why)
    with chromium.Browser() as b:
        yield b
