"""Corpus reports on a real results table: the folder holds the page and the numbers, report.json is what
summarise says, the page escapes what the table holds, and the folder is written atomically."""

from __future__ import annotations

import json
import re

import pytest

from stance.views import corpus
from stance.views.corpus import corpus_report
from stance.views.results import read_results
from stance.views.summary import summarise


@pytest.fixture(scope="module")
def report_dir(dantri_tables, tmp_path_factory):
    return corpus_report(dantri_tables["jsonl"], ["section", "date", "topic"], tmp_path_factory.mktemp("r") / "report")


def test_the_folder_holds_the_page_and_the_numbers(report_dir, dantri_tables):
    assert sorted(p.name for p in report_dir.iterdir()) == ["index.html", "report.json"]
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    expected = summarise(read_results(dantri_tables["jsonl"]), ["section", "date", "topic"])
    assert {k: v for k, v in report.items() if k not in ("created_utc", "stance_version")} == expected
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    # images: whole table's topic mix; per field counts, shares (and topic mix unless the field is topic); confidence
    assert html.count('<img alt="') == 1 + 3 + 3 + 2 + 1 == len(re.findall(r'src="data:image/png;base64,', html))
    assert "<script" not in html and "http" not in html.split("<main>")[0].replace("http-equiv", "")
    assert "Most pro articles" in html and "Most anti articles" in html
    assert "3 rows could not be classified" in html and "failed-700" in html
    few = sum(g["too_few"] for g in report["by"]["date"]["groups"])
    assert f"{few} groups of date have fewer than 30 articles" in html
    assert html.count('<tr class="few">') == sum(g["too_few"] for f in report["by"].values() for g in f["groups"])


def test_values_from_the_table_are_escaped(tmp_path, dantri_rows):
    rows = [dict(r, section="<script>alert(1)</script>" if k % 2 else "$x^{2$ & $y$") for k, r in enumerate(dantri_rows[:60])]
    rows[1]["evidence"] = [{"index": 0, "text": "</td></table><script>alert(2)</script>", "stance": "<b>", "score": 0.9}]
    rows[1]["stance_pro"], rows[1]["stance_anti"] = 0.99, 0.0
    rows[1]["stance_neutral"] = rows[1]["stance_unrelated"] = 0.005
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    html = (corpus_report(path, ["section"], tmp_path / "out", top=3) / "index.html").read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;/td&gt;&lt;/table&gt;&lt;script&gt;alert(2)" in html and "$x^{2$ &amp; $y$" in html


def test_an_existing_report_is_replaced_and_other_folders_are_refused(tmp_path, dantri_tables):
    out = corpus_report(dantri_tables["jsonl"], ["section"], tmp_path / "r")
    first = (out / "report.json").read_text(encoding="utf-8")
    corpus_report(dantri_tables["jsonl"], ["date"], out)
    assert "date" in json.loads((out / "report.json").read_text(encoding="utf-8"))["by"] and first
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="notes.txt"):
        corpus_report(dantri_tables["jsonl"], ["section"], out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_failure_while_writing_leaves_the_old_report_and_no_temporary_folder(tmp_path, dantri_tables, monkeypatch):
    out = corpus_report(dantri_tables["jsonl"], ["section"], tmp_path / "r")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = corpus.atomic_write

    def failing(path, data):
        if path.name == "index.html":
            raise OSError("disk full")
        return real(path, data)

    monkeypatch.setattr(corpus, "atomic_write", failing)
    with pytest.raises(OSError, match="disk full"):
        corpus_report(dantri_tables["jsonl"], ["date"], out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_a_field_that_is_not_in_the_table_writes_nothing(tmp_path, dantri_tables):
    with pytest.raises(ValueError, match="no field 'site'.*section"):
        corpus_report(dantri_tables["jsonl"], ["site"], tmp_path / "r")
    assert list(tmp_path.iterdir()) == []
