"""The figures of a corpus report, drawn from its numbers (:func:`stance.views.summary.summarise`).

Each function takes (part of) the summary and returns a PNG as a ``data:`` URI, so the page that shows it is
one file. Figures are drawn on :class:`matplotlib.figure.Figure` with the Agg canvas: pyplot and the global
backend are never touched. Text that comes from the table (group values, topic names) is drawn with
mathtext off, so a ``$`` in a site name is a dollar sign, not a formula.

Colours: the stance colours of :data:`stance.views.html.STANCE_COLOURS` (Okabe–Ito); topics in Paul Tol's
"muted" scheme, also safe for colour-blind readers. Groups below the report's ``min_group`` are drawn hollow
and grey and marked ``(few)``.

Examples
--------
>>> counts_png({"kind": "value", "groups": [{"value": "VNE", "n": 3, "counts": {"pro": 1, "anti": 2},
...             "too_few": True}]}, ["pro", "anti"], "site").startswith("data:image/png;base64,")
True
"""

from __future__ import annotations

import base64
import io
from typing import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..display import shorten
from .html import OTHER_COLOUR, STANCE_COLOURS

__all__ = ["MAX_GROUPS", "confidence_png", "counts_png", "shares_png", "topic_mix_png", "topics_png"]

MAX_GROUPS = 30
"""Groups drawn in one figure: the biggest (by month: the latest); report.json and the tables have them all."""

TOPIC_COLOURS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
                 "#AA4499", "#DDDDDD")
"""Paul Tol's "muted" qualitative scheme (and pale grey), for up to ten topics; more topics repeat it."""

_FEW = "#B0B0B0"


def _colour(label: str) -> str:
    return STANCE_COLOURS.get(label, OTHER_COLOUR)[0]


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> str:
    for text in fig.findobj(lambda artist: hasattr(artist, "set_parse_math")):
        text.set_parse_math(False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _name(group: dict, names: dict | None = None) -> str:
    value = group["value"]
    if value is None:
        return "(missing)"
    text = shorten(str((names or {}).get(value, value)), 32)
    return text + " (few)" if group.get("too_few") else text


def _shown(field: dict) -> list[dict]:
    groups = field["groups"]
    return groups[-MAX_GROUPS:] if field["kind"] == "month" else groups[:MAX_GROUPS]


def _title(field: str, field_summary: dict, what: str) -> str:
    shown, total = len(_shown(field_summary)), len(field_summary["groups"])
    by = f"{field} (by month)" if field_summary["kind"] == "month" else field
    more = f"; {shown} of {total} groups shown" if shown < total else ""
    return f"{what} by {by}{more}"


def counts_png(field_summary: dict, labels: Sequence[str], field: str, names: dict | None = None) -> str:
    """Articles per group, stacked by stance (bar length = count; ``n`` written at the end of each bar)."""
    groups = _shown(field_summary)
    vertical = field_summary["kind"] == "month"
    fig = _figure(10, 3.8 if vertical else 1.2 + 0.32 * len(groups))
    ax = fig.add_subplot()
    pos = np.arange(len(groups))
    left = np.zeros(len(groups))
    for label in labels:
        values = np.array([g["counts"].get(label, 0) for g in groups], dtype=float)
        if vertical:
            ax.bar(pos, values, 0.7, bottom=left, label=label, color=_colour(label))
        else:
            ax.barh(pos, values, 0.7, left=left, label=label, color=_colour(label))
        left += values
    ticks = [_name(g, names) for g in groups]
    if vertical:
        ax.set_xticks(pos, ticks, rotation=90, fontsize=8)
        ax.set_ylabel("articles")
    else:
        ax.set_yticks(pos, ticks, fontsize=9)
        ax.invert_yaxis()
        ax.set_xlabel("articles")
        for k, g in enumerate(groups):
            ax.text(left[k], k, f" {g['n']:,}", va="center", fontsize=8)
        ax.set_xlim(0, max(left.max(initial=1), 1) * 1.12)
    ax.set_title(_title(field, field_summary, "Articles and their stance"), fontsize=11)
    ax.legend(ncols=len(labels), fontsize=8, loc="lower right" if not vertical else "upper left", frameon=False)
    return _png(fig)


def shares_png(field_summary: dict, labels: Sequence[str], field: str, names: dict | None = None) -> str:
    """One panel per stance: its share in each group with the 95% interval (hollow grey: too few articles)."""
    groups = _shown(field_summary)
    vertical = field_summary["kind"] == "month"
    n = len(groups)
    fig = _figure(10, 3.2 * len(labels) if vertical else 1.4 + 0.3 * n)
    axes = fig.subplots(len(labels), 1, sharex=True) if vertical else fig.subplots(1, len(labels), sharey=True)
    pos = np.arange(n)
    for ax, label in zip(np.atleast_1d(axes), labels):
        share = np.array([g["shares"].get(label) or 0.0 for g in groups]) * 100
        ci = np.array([g["ci"].get(label) or [0.0, 0.0] for g in groups]).reshape(n, 2) * 100
        err = np.vstack([share - ci[:, 0], ci[:, 1] - share]).clip(min=0)
        few = np.array([bool(g.get("too_few")) for g in groups], dtype=bool)
        for mask, face, colour in ((~few, _colour(label), _colour(label)), (few, "white", _FEW)):
            if not mask.any():
                continue
            x, y = (pos[mask], share[mask]) if vertical else (share[mask], pos[mask])
            kw = {"yerr": err[:, mask]} if vertical else {"xerr": err[:, mask]}
            ax.errorbar(x, y, fmt="o", color=colour, mfc=face, ms=5, capsize=2, lw=1, **kw)
        ax.set_title(f"{label} (% of articles)", fontsize=10, color=_colour(label))
        ax.grid(alpha=0.3)
        if vertical:
            ax.set_ylim(bottom=0)
        else:
            ax.set_xlim(left=0)
    ticks = [_name(g, names) for g in groups]
    last = np.atleast_1d(axes)[-1 if vertical else 0]
    if vertical:
        last.set_xticks(pos, ticks, rotation=90, fontsize=8)
    else:
        last.set_yticks(pos, ticks, fontsize=9)
        last.invert_yaxis()
    fig.suptitle(_title(field, field_summary, "Stance shares with 95% Wilson intervals"), fontsize=11)
    return _png(fig)


def topic_mix_png(field_summary: dict, topics: Sequence[str], names: dict, field: str) -> str:
    """The share of each topic in each group, as 100% stacked bars."""
    groups = _shown(field_summary)
    fig = _figure(10, 1.6 + 0.32 * len(groups))
    ax = fig.add_subplot()
    pos = np.arange(len(groups))
    left = np.zeros(len(groups))
    for k, topic in enumerate(topics):
        values = np.array([g["topics"].get(topic, 0) / g["n"] * 100 if g["n"] else 0 for g in groups])
        ax.barh(pos, values, 0.7, left, label=names.get(topic, topic), color=TOPIC_COLOURS[k % len(TOPIC_COLOURS)])
        left += values
    ax.set_yticks(pos, [_name(g) for g in groups], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of the group's articles")
    ax.set_title(_title(field, field_summary, "Topic mix"), fontsize=11)
    ax.legend(ncols=5, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(groups) < 6 else -0.08),
              frameon=False)
    return _png(fig)


def topics_png(overall: dict, topics: Sequence[str], names: dict) -> str:
    """Articles per topic over the whole table."""
    fig = _figure(10, 1.2 + 0.3 * len(topics))
    ax = fig.add_subplot()
    counts = [overall["topics"].get(t, 0) for t in topics]
    pos = np.arange(len(topics))
    ax.barh(pos, counts, 0.7, color=[TOPIC_COLOURS[k % len(TOPIC_COLOURS)] for k in range(len(topics))])
    ax.set_yticks(pos, [shorten(names.get(t, t), 32) for t in topics], fontsize=9)
    ax.invert_yaxis()
    n = max(overall["n"], 1)
    for k, c in enumerate(counts):
        ax.text(c, k, f" {c:,} ({c / n:.1%})", va="center", fontsize=8)
    ax.set_xlim(0, max(max(counts, default=1), 1) * 1.2)
    ax.set_xlabel("articles")
    ax.set_title("Topic mix (the topic model's label)", fontsize=11)
    return _png(fig)


def confidence_png(confidence: dict, labels: Sequence[str]) -> str:
    """Histograms of the probability of the article's stance (stacked by stance) and of its topic."""
    edges = np.array(confidence["bins"])
    mids, width = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
    fig = _figure(10, 3.2)
    left, right = fig.subplots(1, 2)
    bottom = np.zeros(len(mids))
    for label in labels:
        values = np.array(confidence["stance"].get(label, [0] * len(mids)), dtype=float)
        left.bar(mids, values, width * 0.95, bottom, label=label, color=_colour(label))
        bottom += values
    left.set_title("Probability of the article's stance", fontsize=10)
    left.legend(fontsize=8, frameon=False)
    right.bar(mids, confidence["topic"], width * 0.95, color="#555555")
    right.set_title("Probability of the article's topic", fontsize=10)
    for ax in (left, right):
        ax.set_xlim(0, 1)
        ax.set_xlabel("probability")
        ax.set_ylabel("articles")
    return _png(fig)
