"""Corpus reports: ``index.html`` (plots and tables) and ``report.json`` (the same numbers) for a results table.

:func:`corpus_report` reads a results table (:func:`stance.views.results.read_results`), works out its numbers
(:func:`stance.views.summary.summarise`), draws them (:mod:`stance.views.plots`) and writes the folder
atomically (:func:`stance.files.atomic_folder`): a reader never sees half a report, and an existing folder is
replaced only if it holds nothing but a previous report.

The page shows, for the whole table and for each grouping field: counts next to shares, every share with its
95% Wilson interval, groups with too few articles greyed and marked; the topic mix; histograms of how sure the
model was; the most pro and most anti articles with their evidence; and the rows that had an error (counted
and listed, never plotted).

Examples
--------
>>> import json, pathlib, tempfile
>>> from stance import classify
>>> rows = [{"id": str(k), "site": s, **classify(t).to_record(), "error": None}
...         for k, (s, t) in enumerate([("A", "Quân Mỹ phải rút khỏi Iraq."), ("B", "Giá vàng tăng.")])]
>>> rows.append({"id": "2", "site": "B", "error": "empty text"})
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "r.jsonl").write_text("".join(json.dumps(r) + "\\n" for r in rows), encoding="utf-8")
>>> out = corpus_report(folder / "r.jsonl", ["site"], folder / "report")
>>> sorted(p.name for p in out.iterdir())
['index.html', 'report.json']
>>> report = json.loads((out / "report.json").read_text(encoding="utf-8"))
>>> report["rows"], report["errors"], [g["n"] for g in report["by"]["site"]["groups"]]
(3, 1, [1, 1])
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Sequence

from ..display import display_path, format_number, format_with_ci, shorten
from ..files import atomic_folder, atomic_write
from .html import badge, esc, page, table
from .plots import confidence_png, counts_png, shares_png, topic_mix_png, topics_png
from .results import read_results
from .summary import MIN_GROUP, summarise

__all__ = ["REPORT_FILES", "corpus_report", "report_page"]

REPORT_FILES = ("index.html", "report.json")
"""What a report folder holds; an existing folder with anything else in it is never replaced."""

MAX_TABLE_ROWS = 200
"""Groups (and error rows) listed in the page; report.json lists them all."""

EVIDENCE_CHARACTERS = 300
"""Characters of an evidence passage shown in the tables of most pro and most anti articles."""


def _share(count: int, share: float | None, ci: list | None) -> str:
    """``count · share%`` over its 95% interval in small print."""
    if share is None:
        return "–"
    digits = 2 if 0 < share < 0.01 else 1
    value = format_number(100 * share, digits)
    interval = format_with_ci(100 * share, [100 * x for x in ci], digits=digits, template="[{low}–{high}]") if ci else ""
    return f'{count:,} · {value}%<br><span class="ci">{interval}</span>'


def _value(value: str | None, field: str, names: dict) -> str:
    if value is None:
        return '<span class="muted">(missing)</span>'
    shown = names.get(value, value) if field == "topic" else value
    return f'<span title="{esc(value)}">{esc(shorten(shown, 40))}</span>'


def _groups_table(field: str, field_summary: dict, labels: Sequence[str], names: dict, min_group: int) -> str:
    groups = field_summary["groups"]
    rows = []
    for g in groups[:MAX_TABLE_ROWS]:
        few = f' <span class="badge s-other">few: n &lt; {min_group}</span>' if g["too_few"] else ""
        rows.append([_value(g["value"], field, names) + few, f"{g['n']:,}",
                     *(_share(g["counts"][k], g["shares"][k], g["ci"][k]) for k in labels)])
    html = table([field, "articles", *labels], rows,
                 numeric=range(1, 2 + len(labels)), row_classes=["few" if g["too_few"] else "" for g in groups])
    if len(groups) > MAX_TABLE_ROWS:
        html += f'<p class="meta">{MAX_TABLE_ROWS} of {len(groups):,} groups listed; report.json has them all.</p>'
    return html


def _field_section(field: str, field_summary: dict, summary: dict) -> str:
    labels, names, min_group = summary["labels"], summary["topic_names"], summary["min_group"]
    groups = field_summary["groups"]
    few = sum(1 for g in groups if g["too_few"])
    by = "month" if field_summary["kind"] == "month" else "value"
    if not groups:
        return f"<h2>By {esc(field)}</h2><p>No classified article to group.</p>"
    parts = [f"<h2>By {esc(field)}</h2>",
             f'<p class="meta">{len(groups):,} groups (by {by}); {few} with fewer than {min_group} articles.</p>']
    if few:
        parts.append(f'<p class="note">{few} group{"s" if few != 1 else ""} of {esc(field)} ha{"ve" if few != 1 else "s"}'
                     f" fewer than {min_group} articles: too few to read anything into their shares (their 95% "
                     "intervals are wide; greyed, hollow and marked <i>few</i> below).</p>")
    topic_names = names if field == "topic" else None
    parts.append(f'<img alt="articles by {esc(field)}, stacked by stance" '
                 f'src="{counts_png(field_summary, labels, field, topic_names)}">')
    parts.append(f'<img alt="stance shares by {esc(field)} with 95% intervals" '
                 f'src="{shares_png(field_summary, labels, field, topic_names)}">')
    if field not in ("topic", "topic_name"):
        parts.append(f'<img alt="topic mix by {esc(field)}" '
                     f'src="{topic_mix_png(field_summary, summary["topics"], names, field)}">')
    parts.append('<p class="meta">Each cell: articles of that stance · their share of the group, and the share\'s '
                 "95% Wilson interval.</p>" + _groups_table(field, field_summary, labels, names, min_group))
    return "".join(parts)


def _evidence_item(e: dict) -> str:
    score = e.get("score")
    score = f"{score:.2f}" if isinstance(score, (int, float)) else "–"
    text = shorten(str(e.get("text", "")), EVIDENCE_CHARACTERS)
    return (f"<li>{badge(str(e.get('stance', '')))} {score} <span class=muted>#{esc(e.get('index', ''))}</span> "
            f"{esc(text)}</li>")


def _most_section(label: str, articles: list[dict], summary: dict, by: Sequence[str]) -> str:
    names = summary["topic_names"]
    rows = []
    for k, a in enumerate(articles, start=1):
        evidence = "".join(_evidence_item(e) for e in a["evidence"])
        fields = "<br>".join(f"{esc(f)}: {esc(a['fields'].get(f))}" for f in by if f in a["fields"])
        rows.append([str(k), esc(a["id"]) + (f"<br><span class=meta>{fields}</span>" if fields else ""),
                     badge(a["stance"]), f"{a['score']:.3f}", esc(names.get(a["topic"], a["topic"])),
                     f'<ul class="evidence">{evidence}</ul>'])
    return (f"<h2>Most {esc(label)} articles</h2>"
            f'<p class="meta">The {len(articles)} articles with the highest probability of {esc(label)}, '
            "whatever their label, with the passages that carry their stance.</p>"
            + table(["#", "article", "stance", f"P({label})", "topic", "evidence"], rows, numeric=[0, 3]))


def _errors_section(summary: dict) -> str:
    rows = summary["error_rows"]
    if not rows:
        return "<h2>Errors</h2><p>No row has an error.</p>"
    listed = [[esc(r["id"]), esc(r["where"]), esc(r["error"])] for r in rows[:MAX_TABLE_ROWS]]
    more = (f'<p class="meta">{MAX_TABLE_ROWS} of {len(rows):,} listed; report.json has them all.</p>'
            if len(rows) > MAX_TABLE_ROWS else "")
    return (f"<h2>Errors</h2><p>{len(rows):,} row{'s' if len(rows) != 1 else ''} could not be classified; "
            "they are left out of every count, share and plot above.</p>"
            + table(["id", "where", "error"], listed) + more)


def report_page(summary: dict, *, title: str) -> str:
    """The HTML page of a corpus report, drawn from :func:`~stance.views.summary.summarise`'s numbers."""
    labels, overall, by = summary["labels"], summary["overall"], list(summary["by"])
    stance_rows = [[badge(k), _share(overall["counts"][k], overall["shares"][k], overall["ci"][k])] for k in labels]
    head = (
        f"<h1>{esc(title)}</h1>"
        f'<p class="meta">{esc(summary["source"])} · {summary["rows"]:,} rows: {summary["classified"]:,} '
        f'classified, {summary["errors"]:,} with an error · made {esc(summary["created_utc"])} by stance '
        f'{esc(summary["stance_version"])}</p>'
        '<p class="note">Labels are the models\' predictions, not ground truth (measured accuracy: docs/models.md). '
        "Every share comes with its count and a 95% Wilson interval; groups with fewer than "
        f"{summary['min_group']} articles are marked <i>few</i>: too few to read anything into.</p>"
    )
    overall_html = "<h2>The whole table</h2>" + table(["stance", "articles · share [95% interval]"], stance_rows,
                                                      numeric=[1])
    confidence = ""
    if summary["classified"]:
        overall_html += f'<img alt="topic mix" src="{topics_png(overall, summary["topics"], summary["topic_names"])}">'
        confidence = (
            "<h2>How sure the model was</h2>"
            f'<img alt="confidence histograms" src="{confidence_png(summary["confidence"], labels)}">'
            '<p class="meta">Left: the probability of each article\'s stance label, stacked by label. '
            "Right: the probability of its topic. Probabilities are calibrated on held-out data.</p>"
        )
    fields = "".join(_field_section(f, summary["by"][f], summary) for f in by)
    most = "".join(_most_section(k, summary["most"][k], summary, by) for k in summary["most"])
    body = f"<header>{head}</header><main>{overall_html}{fields}{confidence}{most}{_errors_section(summary)}</main>"
    return page(title, body)


def corpus_report(
    results: str | os.PathLike,
    by: Sequence[str],
    out_dir: str | os.PathLike,
    *,
    min_group: int = MIN_GROUP,
    top: int = 10,
    title: str | None = None,
) -> Path:
    """Write ``out_dir/index.html`` and ``out_dir/report.json`` for the results table ``results``.

    Parameters
    ----------
    results : path-like
        A results table (``.jsonl``, ``.json``, ``.csv``, ``.tsv``, ``.parquet``; see
        :mod:`stance.views.results`).
    by : sequence of str
        Fields to group by; a field of ISO dates is grouped by month.
    out_dir : path-like
        The folder to create, or to replace if it holds nothing but a report.
    min_group : int, default=MIN_GROUP
        Groups with fewer classified articles are marked as too few to read anything into.
    top : int, default=10
        How many most pro and most anti articles to list.
    title : str, optional
        The page's heading; by default "Corpus report: <file name>".

    Returns
    -------
    Path
        The report folder, holding :data:`REPORT_FILES`.

    Raises
    ------
    FileNotFoundError, ValueError
        The table cannot be read, a field of ``by`` is not in it, or ``out_dir`` holds other files.
    """
    table = read_results(results)
    summary = summarise(table, by, min_group=min_group, top=top)
    from .. import __version__

    summary["created_utc"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    summary["stance_version"] = __version__
    html = report_page(summary, title=title or f"Corpus report: {display_path(Path(results).name)}")
    with atomic_folder(out_dir, replaceable=lambda name: name in REPORT_FILES) as tmp:
        atomic_write(tmp / "report.json", json.dumps(summary, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
        atomic_write(tmp / "index.html", html)
    return Path(out_dir)
