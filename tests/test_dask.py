"""stance on a real dask.distributed cluster (a LocalCluster of two worker processes on loopback): the same table
as a local run, a worker killed mid-run costs no rows, a model of one's own reaches the workers without a file,
and dask DataFrames with the right meta."""

from __future__ import annotations

import os
import shutil
import signal
import time

import pandas as pd
import pyarrow.parquet as pq
import pytest

from stance.bulk import classify_corpus, classify_frame
from tests.bulk.processes import cli
from tests.bulk.test_resume import parts

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local, distributed.Client(local) as client:
        yield local, client


@pytest.fixture(scope="module")
def local_table(baomoi_jsonl, tmp_path_factory):
    source = baomoi_jsonl(400)
    out = tmp_path_factory.mktemp("local") / "local.parquet"
    classify_corpus([source], out, batch_size=10, n_jobs=1)
    return source, pq.read_table(out)


def test_a_worker_killed_mid_run_costs_no_rows(cluster, local_table, tmp_path):
    local, client = cluster
    source, expected = local_table
    out = tmp_path / "r.parquet"
    proc = cli("classify", str(source), "--out", str(out), "--batch-size", "10", "--scheduler", local.scheduler_address,
               "--quiet")
    before = client.run(os.getpid)
    deadline = time.monotonic() + 600
    while len(parts(out)) < 4:
        assert proc.poll() is None, proc.communicate()[1].decode()[-800:]
        assert time.monotonic() < deadline
        time.sleep(0.01)
    victim = sorted(before.values())[0]
    os.kill(victim, signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=900)
    assert proc.returncode == 0, stderr.decode()[-2000:]
    assert len(parts(out)) == 0 and "400 rows (0 with errors)" in stdout.decode()
    assert pq.read_table(out).equals(expected)
    client.wait_for_workers(2, timeout=120)
    assert victim not in client.run(os.getpid).values()  # it really died, and the nanny started another


def test_a_model_of_ones_own_reaches_the_workers_without_its_file(cluster, local_table, tmp_path):
    from stance.api import pretrained_model
    from stance.persist import PRETRAINED, SUFFIX, load

    local, _ = cluster
    source, expected = local_table
    copy = tmp_path / f"stance{SUFFIX}"
    shutil.copy(PRETRAINED / f"stance{SUFFIX}", copy)
    mine = load(copy)
    assert mine is not pretrained_model("stance")
    copy.unlink()  # a worker that tried to read the file would fail
    out = tmp_path / "r.parquet"
    summary = classify_corpus([source], out, batch_size=10, scheduler=local.scheduler_address, stance_model=mine)
    assert summary.rows == 400 and summary.workers == 2
    assert pq.read_table(out).equals(expected)  # the same model as the shipped one, so the same table


def test_classify_dataframe_matches_classify_frame_with_its_meta(cluster, local_table, tmp_path):
    import dask.dataframe as dd

    from stance.dask import classify_dataframe

    _, client = cluster
    source, _ = local_table
    df = pd.read_json(source, lines=True, dtype={"id": str}).head(60).drop(columns="id")
    df["source"] = ["baomoi"] * len(df)
    df.to_parquet(tmp_path / "in.parquet", row_group_size=20)
    ddf = dd.read_parquet(tmp_path / "in.parquet", split_row_groups=True)
    assert ddf.npartitions == 3
    result = classify_dataframe(ddf, passages=True)
    got = client.compute(result).result()
    expected = classify_frame(df, passages=True, n_jobs=1)
    assert list(result._meta.columns) == list(got.columns) == list(expected.columns)
    assert result._meta.dtypes.tolist() == got.dtypes.tolist()  # meta says what compute gives
    model = [c for c in expected.columns if c != "source"]
    assert result._meta[model].dtypes.tolist() == expected[model].dtypes.tolist()
    assert got["id"].tolist() == [str(k) for k in range(60)]  # global row numbers across partitions
    assert got["source"].tolist() == ["baomoi"] * 60
    for column in model:
        assert got[column].tolist() == expected[column].tolist(), column


def test_classify_dataframe_writes_parquet_with_the_results_tables_types(cluster, local_table, tmp_path):
    """dask cannot infer a Parquet schema for object columns (ArrowInvalid on its placeholder values);
    parquet_schema gives the results table's, and pandas reads the files back."""
    import dask.dataframe as dd

    from stance.dask import classify_dataframe, parquet_schema

    _, client = cluster
    source, expected = local_table
    df = pd.read_json(source, lines=True, dtype={"id": str}).head(40)
    df.loc[7, "text"] = ""  # a row with an error: nulls in the typed model columns
    result = classify_dataframe(dd.from_pandas(df, npartitions=4))
    result.to_parquet(tmp_path / "out", schema=parquet_schema(result), write_index=False,
                      compute_kwargs={"scheduler": client})
    got = pq.read_table(tmp_path / "out")
    cli_table = expected.slice(0, 40)
    assert got.column_names == cli_table.column_names
    for column in ["id", "topic", "stance", "stance_anti", "evidence", "error"]:
        assert got.schema.field(column).type == cli_table.schema.field(column).type, column
    assert got.column("id").to_pylist() == cli_table.column("id").to_pylist()
    assert got.column("error").to_pylist()[7].endswith("empty text") and got.column("stance").to_pylist()[7] is None
    rest = [k for k in range(40) if k != 7]
    for column in ["topic", "stance", "evidence"]:
        assert [got.column(column).to_pylist()[k] for k in rest] == [cli_table.column(column).to_pylist()[k]
                                                                     for k in rest], column
    back = pd.read_parquet(tmp_path / "out")  # pandas reads it back
    def texts(evidence) -> list[str]:  # the passages of one row's evidence (none for unrelated or failed rows)
        return [e["text"] for e in evidence] if evidence is not None else []

    assert len(back) == 40
    assert [texts(e) for e in back["evidence"]] == [texts(e) for e in cli_table.column("evidence").to_pylist()]


@pytest.mark.slow
def test_scheduler_local_gives_the_local_table(local_table, tmp_path):
    source, expected = local_table
    out = tmp_path / "r.parquet"
    proc = cli("classify", str(source), "--out", str(out), "--batch-size", "10", "--scheduler", "local", "--jobs", "2")
    stdout, stderr = proc.communicate(timeout=900)
    assert proc.returncode == 0, stderr.decode()[-2000:]
    assert "on 2 processes" in stdout.decode()
    assert pq.read_table(out).equals(expected)
