"""Showing values to a person: numbers with fixed decimals, intervals, label scores, passages cut short.

The one place numbers and texts are formatted for reading, used by the command line, explanations, model
cards, reports and ``benchmarks/``.

Examples
--------
>>> format_number(0.93449), format_number(None), format_number(12)
('0.9345', '–', '12')
>>> format_with_ci(0.888, [0.878, 0.9], digits=3)
'0.888 [0.878, 0.900]'
>>> scores_line({"pro": 0.125, "anti": 0.875})
'pro 0.12 · anti 0.88'
>>> shorten("Quân Mỹ rút khỏi Iraq", 10)
'Quân Mỹ r…'
"""

from __future__ import annotations

from typing import Mapping, Sequence

__all__ = ["MISSING", "format_metric", "format_number", "format_with_ci", "scores_line", "shorten"]

MISSING = "–"
"""What stands for a value that does not exist (an F_avg without pro and anti, an empty bin)."""


def format_number(value: object, digits: int = 4) -> str:
    """A float with ``digits`` decimals, :data:`MISSING` for None, anything else as ``str``."""
    if value is None:
        return MISSING
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def format_with_ci(
    value: float | None,
    interval: Sequence[float | None] | None,
    *,
    digits: int = 4,
    template: str = "{value} [{low}, {high}]",
) -> str:
    """A value with its confidence interval (``template``), or the value alone when there is no interval.

    Examples
    --------
    >>> format_with_ci(0.5, None), format_with_ci(0.5, [0.4, 0.6], digits=2, template="{value} ({low}–{high})")
    ('0.5000', '0.50 (0.40–0.60)')
    """
    if value is None:
        return MISSING
    if not interval or interval[0] is None or interval[1] is None:
        return format_number(float(value), digits)
    low, high = (format_number(float(x), digits) for x in interval)
    return template.format(value=format_number(float(value), digits), low=low, high=high)


def format_metric(
    metrics: Mapping, name: str, *, digits: int = 4, template: str = "{value} [{low}, {high}]"
) -> str:
    """``metrics[name]`` with its interval ``metrics["ci"][name]``, as evaluation results hold them.

    Examples
    --------
    >>> format_metric({"accuracy": 0.9, "ci": {"accuracy": [0.85, 0.95]}, "f_avg": None}, "accuracy", digits=2)
    '0.90 [0.85, 0.95]'
    >>> format_metric({"accuracy": 0.9, "ci": None, "f_avg": None}, "f_avg")
    '–'
    """
    return format_with_ci(metrics.get(name), (metrics.get("ci") or {}).get(name), digits=digits, template=template)


def scores_line(scores: Mapping[str, float], digits: int = 2) -> str:
    """``label score · label score`` in the order of ``scores``."""
    return " · ".join(f"{label} {score:.{digits}f}" for label, score in scores.items())


def shorten(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, ending with "…" when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
