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
>>> display_path(b"/tmp/b\\xe1o c\\xc3\\xa1o.txt")
'/tmp/b\\\\xe1o cáo.txt'
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Sequence

__all__ = ["MISSING", "SNIPPET", "display_path", "format_metric", "format_number", "format_with_ci", "lossless",
           "no_evidence_reason",
           "result_text", "scores_line", "shorten"]

MISSING = "–"
"""What stands for a value that does not exist (an F_avg without pro and anti, an empty bin)."""

SNIPPET = 150
"""Characters of a passage shown in text output."""


def lossless(name: str) -> str:
    """Text that survives UTF-8: bytes that are not UTF-8 (and lone surrogates) as backslash escapes.

    A file name that is not UTF-8 comes from :func:`os.fsdecode` with each such byte as a surrogate
    (U+DC80-U+DCFF); it is shown as ``\\xNN`` (the byte), other lone surrogates as ``\\udNNN``. Text that is
    valid UTF-8 is returned unchanged (so a name that holds such a backslash sequence literally looks the
    same as the name with that byte).

    Examples
    --------
    >>> lossless(os.fsdecode(b"b\\xe1o.txt"))
    'b\\\\xe1o.txt'
    >>> lossless("Quân\\ud800")
    'Quân\\\\ud800'
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:  # a name decoded by os.fsdecode: its surrogates stand for the original bytes
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # other lone surrogates (from JSON's \\ud800 escapes)
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def display_path(path: str | bytes | os.PathLike) -> str:
    """A path as shown everywhere it reaches output (results' ids, error messages, tables): valid UTF-8,
    the bytes of a name that are not UTF-8 as ``\\xNN`` escapes (:func:`lossless`).

    Examples
    --------
    >>> display_path(os.fsdecode(b"d/tin\\xff.txt")), display_path(b"d/tin\\xff.txt")
    ('d/tin\\\\xff.txt', 'd/tin\\\\xff.txt')
    """
    return lossless(os.fsdecode(path))


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


def no_evidence_reason(stance: str) -> str:
    """Why an article has no evidence passage: for ``unrelated``, that no passage is about the target.

    Examples
    --------
    >>> no_evidence_reason("unrelated")
    'no passage is about the target (US military presence abroad)'
    """
    if stance == "unrelated":
        return "no passage is about the target (US military presence abroad)"
    return f"no passage on its own is {stance}; the article's label comes from its passages taken together"


def result_text(name: str, result: Any, *, show_passages: bool = False) -> str:
    """An article's classification for reading (``stance classify``'s text output): topic with the runner-up,
    stance with its scores, passage counts, evidence and, with ``show_passages``, every passage.

    ``result`` is a :class:`stance.Result`; the block ends with a blank line.

    Examples
    --------
    >>> from stance import classify
    >>> print(result_text("a.txt", classify("Quốc hội Iraq yêu cầu quân Mỹ rút khỏi nước này.")))  # doctest: +ELLIPSIS
    a.txt
      topic    Thế giới [The gioi] ...
      stance   anti       pro ... · anti ... · neutral ... · unrelated ...
      passages 1: 1 anti
      evidence
        [0] anti ...  Quốc hội Iraq yêu cầu quân Mỹ rút khỏi nước này.
    <BLANKLINE>
    """
    from .labels import topic_display_name

    ranked = sorted(result.topic_scores.items(), key=lambda kv: -kv[1])
    runner_up = f"   (next: {topic_display_name(ranked[1][0])} {ranked[1][1]:.2f})" if len(ranked) > 1 else ""
    lines = [
        name,
        f"  topic    {result.topic_name} [{result.topic}] {ranked[0][1]:.2f}{runner_up}",
        f"  stance   {result.stance:<9}  {scores_line(result.stance_scores)}",
    ]
    counts: dict[str, int] = {}
    for p in result.passages:
        counts[p.stance] = counts.get(p.stance, 0) + 1
    lines.append(f"  passages {len(result.passages)}: "
                 + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    if result.evidence:
        lines.append("  evidence")
        for p in result.evidence:
            lines.append(f"    [{p.index}] {p.stance} {p.stance_scores[p.stance]:.2f}  {shorten(p.text, SNIPPET)}")
    else:
        lines.append(f"  evidence none: {no_evidence_reason(result.stance)}")
    if show_passages:
        lines.append("  all passages")
        for p in result.passages:
            lines.append(f"    [{p.index}] {p.stance:<9} {scores_line(p.stance_scores)}")
            lines.append(f"        {shorten(p.text, SNIPPET)}")
    return "\n".join(lines) + "\n"
