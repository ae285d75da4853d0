"""The numbers of a corpus report against the table, worked out here with pandas and scipy (not with the code
under test), on a real results table: the Dân trí 2020–21 articles classified by the shipped models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from stance.views.results import ResultsTable, read_results
from stance.views.summary import MIN_GROUP, group_keys, summarise

from tests.views.tables import ERROR_ROWS

LABELS = ["pro", "anti", "neutral", "unrelated"]


@pytest.fixture(scope="module")
def report(dantri_tables, dantri_rows) -> tuple[dict, pd.DataFrame]:
    table = read_results(dantri_tables["jsonl"])
    frame = pd.DataFrame(dantri_rows)  # the rows as classified, not as read back
    return summarise(table, ["section", "date", "topic"]), frame


def _expected_groups(frame: pd.DataFrame, keys: pd.Series) -> dict:
    ok = frame[frame["error"].isna()]
    counts = pd.crosstab(keys[ok.index], ok["stance"])
    return {str(value): {label: int(counts.loc[value].get(label, 0)) for label in LABELS} for value in counts.index}


def test_rows_and_errors_are_counted_and_kept_out(report):
    summary, frame = report
    assert summary["rows"] == len(frame) == 2653 + len(ERROR_ROWS)
    assert summary["errors"] == len(ERROR_ROWS) == int(frame["error"].notna().sum())
    assert summary["classified"] == 2653
    assert [(r["id"], r["error"]) for r in summary["error_rows"]] == [
        (f"failed-{k}", e) for k, e in sorted(ERROR_ROWS.items())]
    # the first failed row is the 6th record of the file: line 6
    assert summary["error_rows"][0]["where"].endswith("dantri.jsonl:6")
    assert summary["overall"]["n"] == 2653
    assert summary["overall"]["counts"] == {k: int((frame["stance"] == k).sum()) for k in LABELS}


def test_counts_shares_and_wilson_intervals_by_section(report):
    summary, frame = report
    expected = _expected_groups(frame, frame["section"])
    groups = summary["by"]["section"]["groups"]
    assert summary["by"]["section"]["kind"] == "value"
    assert {g["value"]: g["counts"] for g in groups} == expected
    sizes = [g["n"] for g in groups]
    assert sizes == sorted(sizes, reverse=True)  # biggest first
    for g in groups:
        n = sum(expected[g["value"]].values())
        assert g["n"] == n
        for label in LABELS:
            k = expected[g["value"]][label]
            assert g["shares"][label] == pytest.approx(k / n)
            ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
            assert g["ci"][label] == pytest.approx([ci.low, ci.high], abs=1e-9)


def test_a_date_field_is_grouped_by_month_in_order_and_small_months_are_flagged(report):
    summary, frame = report
    months = pd.to_datetime(frame["date"], format="%Y-%m-%d").dt.strftime("%Y-%m")
    expected = _expected_groups(frame, months)
    field = summary["by"]["date"]
    assert field["kind"] == "month"
    assert [g["value"] for g in field["groups"]] == sorted(expected)
    assert {g["value"]: g["counts"] for g in field["groups"]} == expected
    few = {g["value"] for g in field["groups"] if g["too_few"]}
    assert few == {m for m, c in expected.items() if sum(c.values()) < MIN_GROUP}
    assert "2019-09" in few and "2021-04" not in few  # 1 article, 2,141 articles


def test_topic_mix_and_grouping_by_the_model_topic(report):
    summary, frame = report
    ok = frame[frame["error"].isna()]
    assert summary["overall"]["topics"] == {str(k): int(v) for k, v in ok["topic"].value_counts().items()}
    by_topic = {g["value"]: g for g in summary["by"]["topic"]["groups"]}
    assert {t: g["n"] for t, g in by_topic.items()} == ok["topic"].value_counts().to_dict()
    section = {g["value"]: g["topics"] for g in summary["by"]["section"]["groups"]}
    assert section == {s: {str(t): int(c) for t, c in part["topic"].value_counts().items()}
                       for s, part in ok.groupby("section")}
    assert summary["topic_names"]["The gioi"] == "Thế giới"


def test_confidence_histograms(report):
    summary, frame = report
    ok = frame[frame["error"].isna()]
    chosen = ok.apply(lambda r: r["stance_" + r["stance"]], axis=1).to_numpy()
    bins = np.minimum((chosen * 10).astype(int), 9)
    for label in LABELS:
        mine = bins[(ok["stance"] == label).to_numpy()]
        assert summary["confidence"]["stance"][label] == np.bincount(mine, minlength=10).tolist()
    topic_bins = np.minimum((ok["topic_score"].to_numpy() * 10).astype(int), 9)
    assert summary["confidence"]["topic"] == np.bincount(topic_bins, minlength=10).tolist()
    assert summary["confidence"]["bins"][0] == 0 and summary["confidence"]["bins"][-1] == 1


def test_most_pro_and_most_anti_with_their_evidence(report):
    summary, frame = report
    ok = frame[frame["error"].isna()].reset_index(drop=True)
    for label in ("pro", "anti"):
        p = ok[f"stance_{label}"].tolist()
        order = sorted(range(len(p)), key=lambda i: (-p[i], i))[:10]
        listed = summary["most"][label]
        assert [a["id"] for a in listed] == [ok["id"][i] for i in order]
        assert [a["score"] for a in listed] == [p[i] for i in order]
        assert [a["evidence"] for a in listed] == [ok["evidence"][i] for i in order]
        assert set(listed[0]["fields"]) == {"section", "date", "topic"}


def test_the_three_formats_give_the_same_report(dantri_tables):
    reports = {fmt: summarise(read_results(path), ["section", "date"]) for fmt, path in dantri_tables.items()}
    for fmt in ("csv", "parquet"):
        for key in ("rows", "classified", "errors", "overall", "by", "confidence", "most"):
            assert reports[fmt][key] == reports["jsonl"][key], (fmt, key)


def test_threshold_unknown_fields_and_odd_values():
    rows = [{"id": str(k), "site": site, "topic": "The gioi", "topic_score": 0.9, "stance": "anti",
             "stance_pro": 0.1, "stance_anti": 0.7, "stance_neutral": 0.1, "stance_unrelated": 0.1,
             "evidence": [], "error": None}
            for k, site in enumerate(["A"] * 5 + [None, float("nan")] + [["x", 1]] + [7])]
    table = ResultsTable(pd.DataFrame(rows), LABELS, "t.jsonl", None)
    groups = summarise(table, ["site"], min_group=5)["by"]["site"]["groups"]
    assert [(g["value"], g["n"], g["too_few"]) for g in groups] == [
        ("A", 5, False), ("7", 1, True), ('["x", 1]', 1, True), (None, 2, True)]  # ties by text
    with pytest.raises(ValueError, match="no field 'place'.*site"):
        summarise(table, ["place"])
    with pytest.raises(ValueError, match="at least 1"):
        summarise(table, ["site"], min_group=0)


def test_group_keys_of_dates():
    assert group_keys(pd.Series(pd.to_datetime(["2021-04-30", None]))) == ("month", ["2021-04", None])
    assert group_keys(pd.Series(["2021-04-30", "yesterday"]))[0] == "value"  # not all dates: by value
    assert group_keys(pd.Series(["2021-13-01"]))[0] == "value"  # no month 13
