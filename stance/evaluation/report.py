"""Evaluation reports: ``report.json`` for machines, ``report.md`` for people, PNG figures.

:func:`write_report` accepts any result of :mod:`stance.evaluation`:

- a :func:`~stance.evaluation.metrics.metrics` / :func:`~stance.evaluation.metrics.evaluate` dict (it has ``accuracy``);
- a :func:`~stance.evaluation.protocols.cross_validate` dict (it has ``metrics`` and ``folds``);
- a :func:`~stance.evaluation.protocols.compare` dict (it has ``a``, ``b`` and ``paired_bootstrap``);

optionally with a ``learning_curve`` key holding a :func:`~stance.evaluation.protocols.learning_curve` list. Figures are
drawn on :class:`matplotlib.figure.Figure` objects with the Agg canvas, so pyplot and the global backend are
never touched. Everything is written into a temporary folder next to ``out_dir`` and moved into place at the
end, so a report folder is never half-written.

Examples
--------
>>> import tempfile, pathlib
>>> from stance.evaluation.metrics import metrics
>>> m = metrics(["pro", "anti", "neutral"], ["pro", "neutral", "neutral"], n_bootstrap=100)
>>> out = write_report(m, pathlib.Path(tempfile.mkdtemp()) / "rep", title="Tiny example")
>>> sorted(p.name for p in out.iterdir())
['confusion_matrix.png', 'report.json', 'report.md']
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..display import format_metric, format_number
from ..files import atomic_folder, atomic_write, to_jsonable

__all__ = ["write_report", "REPORT_FILES"]

#: File names a report folder may contain (besides ``*.png``); an existing ``out_dir`` holding anything else is
#: never replaced.
REPORT_FILES = ("report.json", "report.md")

_HEAVY_KEYS = ("predictions",)


# ------------------------------------------------------------------------------------------------- JSON


# ----------------------------------------------------------------------------------------------- sections


def _sections(result: dict) -> list[tuple[str, str, dict, dict | None]]:
    """(file suffix, heading, metrics dict, cross-validation dict or None) for each model in ``result``."""
    if "paired_bootstrap" in result and "a" in result and "b" in result:
        names = result.get("names", ["a", "b"])
        return [(f"_{_slug(names[i])}", str(names[i]), result[key]["metrics"], result[key])
                for i, key in enumerate(("a", "b"))]
    if "metrics" in result and isinstance(result["metrics"], dict):
        return [("", "Results", result["metrics"], result)]
    if "accuracy" in result:
        return [("", "Results", result, None)]
    raise ValueError(
        "result is not an evaluation result: expected a metrics, cross_validate or compare dict; "
        f"got keys {sorted(result)[:10]}"
    )


def _slug(name: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name.strip())
    return safe or "model"


# ----------------------------------------------------------------------------------------------- markdown


def _fmt(x: object, digits: int = 3) -> str:
    """A table cell: numbers by :func:`stance.display.format_number`, text with its pipes escaped."""
    return _cell(x) if isinstance(x, str) else format_number(x, digits)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _with_ci(m: dict, name: str) -> str:
    return format_metric(m, name, digits=3, template="{value} ({low}–{high})")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _summary_md(sections: list) -> list[str]:
    rows = []
    for _, heading, m, _ in sections:
        ece = (m.get("calibration") or {}).get("ece")
        rows.append([_cell(heading), str(m["n"]), _with_ci(m, "accuracy"), _with_ci(m, "macro_f1"),
                     _with_ci(m, "f_avg"), _fmt(ece)])
    ci = next((m["ci"] for _, _, m, _ in sections if m.get("ci")), None)
    note = (f"Intervals: {ci['level']:.0%} {ci['method']} bootstrap, {ci['n_bootstrap']} resamples of "
            f"{ci['unit']}s." if ci else "No confidence intervals (n_bootstrap = 0).")
    header = ["", "n", "accuracy (95% CI)", "macro-F1 (95% CI)", "F_avg (95% CI)", "ECE"]
    return ["## Summary", "", *_table(header, rows), "", note, ""]


def _protocol_md(cv: dict) -> list[str]:
    p = cv["protocol"]
    kind = "stratified group k-fold (no group in two folds)" if p["grouped"] else "stratified k-fold"
    lines = [f"Protocol: {p['n_splits']}-fold {kind}, random_state {p['random_state']}, n = {p['n']}; "
             "scores below pool the out-of-fold predictions.", ""]
    rows = [[str(f["fold"]), str(f["n_train"]), str(f["n_test"]), _fmt(f["accuracy"]), _fmt(f["macro_f1"]),
             _fmt(f["f_avg"]), _fmt(f["fit_seconds"], 1)] for f in cv["folds"]]
    lines += ["### Folds", "", *_table(["fold", "train", "test", "accuracy", "macro-F1", "F_avg", "fit s"], rows)]
    summary = cv.get("fold_summary") or {}
    means = [f"{name} {s['mean']:.3f} ± {s['std']:.3f}" for name, s in summary.items() if s]
    return lines + ["", "Mean ± sample std over folds: " + "; ".join(means) + ".", ""] if means else lines + [""]


def _metrics_md(m: dict, suffix: str, figures: dict[str, str]) -> list[str]:
    lines = ["### Per class", ""]
    rows = [[_cell(label), _fmt(c["precision"]), _fmt(c["recall"]), _fmt(c["f1"]), str(c["support"]),
             str(c["predicted"])] for label, c in m["per_class"].items()]
    lines += _table(["label", "precision", "recall", "F1", "support", "predicted"], rows) + [""]
    cm = m["confusion_matrix"]
    lines += ["### Confusion matrix (rows: true label, columns: predicted)", ""]
    lines += _table(["true \\ predicted", *map(_cell, cm["labels"])],
                    [[_cell(label), *map(str, row)] for label, row in zip(cm["labels"], cm["matrix"])]) + [""]
    if f"confusion_matrix{suffix}" in figures:
        lines += [f"![confusion matrix]({figures[f'confusion_matrix{suffix}']})", ""]
    if m.get("calibration"):
        lines += ["### Calibration", "",
                  f"Expected calibration error (top label, {m['calibration']['n_bins']} equal-width bins): "
                  f"{m['calibration']['ece']:.3f}; log loss: {_fmt(m.get('log_loss'))}.", ""]
        if f"reliability{suffix}" in figures:
            lines += [f"![reliability diagram]({figures[f'reliability{suffix}']})", ""]
    if m.get("by"):
        rows = [[_cell(value), str(g["n"]), _fmt(g["accuracy"]), _fmt(g["macro_f1"]), _fmt(g["f_avg"])]
                for value, g in m["by"]["groups"].items()]
        lines += [f"### By {_cell(m['by']['field'])}", "",
                  *_table([_cell(m["by"]["field"]), "n", "accuracy", "macro-F1", "F_avg"], rows), ""]
    return lines


def _comparison_md(result: dict) -> list[str]:
    names = result.get("names", ["a", "b"])
    pb, mc = result["paired_bootstrap"], result["mcnemar"]
    ci = pb["ci"]
    diffs = ", ".join(_fmt(d) for d in result.get("fold_differences", []))
    return [
        f"## Comparison: {_cell(names[0])} − {_cell(names[1])}", "",
        f"- Paired bootstrap ({pb['n_bootstrap']} resamples of {pb['unit']}s) on {pb['metric']}: "
        f"{_fmt(pb['a'])} vs {_fmt(pb['b'])}, difference {_fmt(pb['difference'])} "
        f"(95% CI {_fmt(ci[0])} to {_fmt(ci[1])}), p = {pb['p_value']:.4f}.",
        f"- McNemar ({mc['method']}): {_cell(names[0])} alone right {mc['a_only_correct']}, "
        f"{_cell(names[1])} alone right {mc['b_only_correct']}, statistic {mc['statistic']:.3f}, "
        f"p = {mc['p_value']:.4f}.",
        f"- Per-fold differences in {pb['metric']}: {diffs}.", "",
    ]


def _learning_md(curve: list[dict], figures: dict[str, str]) -> list[str]:
    rows = [[_fmt(p["fraction"], 2), _fmt(p["n_train"], 0), _fmt(p["accuracy"]),
             f"{_fmt(p['macro_f1'])} ± {_fmt(p.get('macro_f1_std'))}", _fmt(p["f_avg"])] for p in curve]
    lines = ["## Learning curve", "", *_table(["fraction", "mean n_train", "accuracy", "macro-F1 ± std", "F_avg"],
                                              rows), ""]
    if "learning_curve" in figures:
        lines += [f"![learning curve]({figures['learning_curve']})", ""]
    return lines


def _markdown(result: dict, title: str, figures: dict[str, str]) -> str:
    sections = _sections(result)
    lines = [f"# {title}", "", *_summary_md(sections)]
    if "paired_bootstrap" in result:
        lines += _comparison_md(result)
    for suffix, heading, m, cv in sections:
        lines += [f"## {_cell(heading)}", ""]
        if cv is not None:
            lines += _protocol_md(cv)
        lines += _metrics_md(m, suffix, figures)
    if result.get("learning_curve"):
        lines += _learning_md(result["learning_curve"], figures)
    return "\n".join(lines).rstrip() + "\n"


# ------------------------------------------------------------------------------------------------ figures


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _confusion_figure(cm: dict, title: str) -> Figure:
    labels, matrix = cm["labels"], np.asarray(cm["matrix"], dtype=float)
    rows = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, rows, out=np.zeros_like(matrix), where=rows > 0)
    size = max(4.0, 0.7 * len(labels) + 2.5)
    fig = _new_figure(size, size)
    ax = fig.add_subplot()
    image = ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
    fig.colorbar(image, ax=ax, shrink=0.8, label="share of true label")
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, f"{int(matrix[i, j])}", ha="center", va="center", fontsize=8,
                    color="white" if share[i, j] > 0.5 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    return fig


def _reliability_figure(calibration: dict, title: str) -> Figure:
    bins = calibration["bins"]
    full = [b for b in bins if b["count"]]
    width = bins[0]["upper"] - bins[0]["lower"]
    fig = _new_figure(5.0, 6.0)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    top.bar([b["lower"] for b in full], [b["accuracy"] for b in full], width=width, align="edge",
            edgecolor="black", alpha=0.7, label="accuracy per bin")
    top.plot([b["confidence"] for b in full], [b["accuracy"] for b in full], marker="o", color="C1",
             label="accuracy at mean bin confidence")
    top.set_ylim(0, 1)
    top.set_ylabel("accuracy")
    top.set_title(f"{title} (ECE {calibration['ece']:.3f})")
    top.legend(loc="upper left", fontsize=8)
    bottom.bar([b["lower"] for b in bins], [b["count"] for b in bins], width=width, align="edge",
               edgecolor="black", color="grey")
    bottom.set_xlim(0, 1)
    bottom.set_xlabel("confidence (top-label probability)")
    bottom.set_ylabel("count")
    return fig


def _learning_figure(curve: list[dict], title: str) -> Figure:
    fig = _new_figure(5.5, 4.0)
    ax = fig.add_subplot()
    x = [p["n_train"] for p in curve]
    for name, label in (("macro_f1", "macro-F1"), ("accuracy", "accuracy"), ("f_avg", "F_avg")):
        y = [p[name] for p in curve]
        if any(v is None for v in y):
            continue
        err = [p.get("macro_f1_std") or 0.0 for p in curve] if name == "macro_f1" else None
        ax.errorbar(x, y, yerr=err, marker="o", capsize=3, label=label)
    ax.set_xlabel("training examples (mean over folds)")
    ax.set_ylabel("score")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def _draw(result: dict, title: str, folder: Path) -> dict[str, str]:
    """Write every figure into ``folder``; return figure key -> file name."""
    figures: dict[str, Figure] = {}
    for suffix, heading, m, _ in _sections(result):
        name = title if not suffix else f"{title} – {heading}"
        figures[f"confusion_matrix{suffix}"] = _confusion_figure(m["confusion_matrix"], name)
        if m.get("calibration"):
            figures[f"reliability{suffix}"] = _reliability_figure(m["calibration"], name)
    if result.get("learning_curve"):
        figures["learning_curve"] = _learning_figure(result["learning_curve"], title)
    written = {}
    for key, fig in figures.items():
        fig.savefig(folder / f"{key}.png", format="png", dpi=100)
        written[key] = f"{key}.png"
    return written


# -------------------------------------------------------------------------------------------------- write


def write_report(
    result: dict,
    out_dir: str | os.PathLike,
    *,
    title: str,
    include_predictions: bool = False,
) -> Path:
    """Write ``report.json``, ``report.md`` and PNG figures for an evaluation result into ``out_dir``.

    Figures: ``confusion_matrix.png`` (cells coloured by share of the true label, annotated with counts),
    ``reliability.png`` (when probabilities were scored) and ``learning_curve.png`` (when ``result`` has a
    ``learning_curve``); for a comparison, one confusion matrix and reliability diagram per model, suffixed with
    the model's name. The folder is built next to ``out_dir`` under a temporary name and renamed into place; an
    existing ``out_dir`` is replaced only if it holds nothing but report files.

    Parameters
    ----------
    result : dict
        A result of :mod:`stance.evaluation` (metrics, cross-validation or comparison), optionally with a
        ``learning_curve`` key.
    out_dir : str or path-like
        Folder to create (or replace).
    title : str
        Heading of the Markdown report and of the figures.
    include_predictions : bool
        Keep the per-record ``predictions`` of cross-validation in ``report.json`` (large); dropped by default.

    Returns
    -------
    Path
        ``out_dir``.

    Raises
    ------
    ValueError
        If ``result`` is not an evaluation result, or ``out_dir`` exists and holds other files.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> from stance.evaluation.metrics import metrics
    >>> m = metrics(["a", "b", "b"], ["a", "b", "a"], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], ["a", "b"],
    ...             n_bootstrap=50)
    >>> out = write_report(m, pathlib.Path(tempfile.mkdtemp()) / "r", title="Example")
    >>> json.loads((out / "report.json").read_text(encoding="utf-8"))["result"]["accuracy"]
    0.6666666666666666
    >>> (out / "reliability.png").read_bytes()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    out_dir = Path(out_dir)
    sections = _sections(result)  # fail early on a wrong input
    with atomic_folder(out_dir, replaceable=lambda name: name in REPORT_FILES or name.endswith(".png")) as tmp:
        figures = _draw(result, title, tmp)
        payload = {
            "title": title,
            "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "figures": sorted(figures.values()),
            "models": [heading for _, heading, _, _ in sections],
            "result": to_jsonable(result, drop_keys=() if include_predictions else _HEAVY_KEYS),
        }
        atomic_write(tmp / "report.json", json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False) + "\n")
        atomic_write(tmp / "report.md", _markdown(result, title, figures))
    return out_dir
