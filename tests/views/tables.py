"""A real results table for the view and report tests: the Dân trí 2020–21 articles classified by the shipped
models, their section and date passed through, and three rows that failed, written in the three formats."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from stance import classify_batch
from stance.files import iter_json_records

MODEL_COLUMNS = ("topic", "topic_name", "topic_score", "stance", "stance_pro", "stance_anti", "stance_neutral",
                 "stance_unrelated", "evidence")
ERROR_ROWS = {5: "empty text", 700: "not a string", 2000: "empty text"}  # where the failed rows are put


def results_rows(path: Path) -> list[dict]:
    """The rows of a results table of the articles in ``path`` plus the failed rows, in the order of the schema
    (id, passthrough, model columns, error)."""
    records = [item.checked() for item in iter_json_records(path)]
    results = iter(classify_batch([r["text"] for r in records]))
    rows = []
    for k, r in enumerate(records):
        passthrough = {key: v for key, v in r.items() if key not in ("id", "text")}
        if k in ERROR_ROWS:  # a failed row as bulk classification writes it: passthrough kept, model columns null
            rows.append({"id": f"failed-{k}", **passthrough, **dict.fromkeys(MODEL_COLUMNS), "error": ERROR_ROWS[k]})
        rows.append({"id": r["id"], **passthrough, **next(results).to_record(), "error": None})
    return rows


def write_tables(rows: list[dict], folder: Path) -> dict[str, Path]:
    """The table as ``.jsonl``, ``.csv`` (evidence as JSON text) and ``.parquet``: format -> path."""
    paths = {"jsonl": folder / "dantri.jsonl", "csv": folder / "dantri.csv", "parquet": folder / "dantri.parquet"}
    paths["jsonl"].write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    frame = pd.DataFrame(rows)
    frame.to_parquet(paths["parquet"])
    flat = frame.copy()
    flat["evidence"] = [None if e is None else json.dumps(e, ensure_ascii=False) for e in flat["evidence"]]
    flat.to_csv(paths["csv"], index=False)
    return paths
