"""The article view: one self-contained HTML page showing how stance read one article.

:func:`article_page` draws the headline, the topic with its probability, the article's stance with its
probabilities, and every passage in reading order on the colour of its stance (with the label in words and
its four probabilities); the evidence passages are outlined and numbered. What cleaning removed (credits,
hotlines, datelines, lists of other stories, ...) stays in its place, greyed and folded in a ``<details>``
element, naming the cleaning step that removed it.

What was removed comes from :func:`cleaning_trace`, which replays the cleaning steps of
:data:`stance.text.clean.PIPELINE` one at a time on the normalised page and follows each line through them.
It only reads the steps; the result of the replay is checked against :func:`stance.text.clean.clean`, and a
page whose passages do not come from that cleaning (a model with a cleaner of its own) is drawn without the
removed text, saying so.

Examples
--------
>>> from stance import classify
>>> raw = "Quân Mỹ ở lại Iraq\\nBinh sĩ Mỹ tại căn cứ. Ảnh: AP\\nĐường dây nóng: 0943 113 999"
>>> [(line.kept, line.steps) for line in cleaning_trace(raw)]
[('Quân Mỹ ở lại Iraq', ()), ('Binh sĩ Mỹ tại căn cứ.', ('drop_photo_credits',)), \
(None, ('drop_furniture_lines',))]
>>> html = article_page(raw, classify(raw))
>>> html.startswith("<!DOCTYPE html>"), "Đường dây nóng" in html, "<script" in html
(True, True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from ..api import Passage, Result
from ..display import format_number, shorten
from ..labels import STANCE_DESCRIPTIONS, topic_display_name
from ..text.clean import NORMALISING_STEPS, PIPELINE, clean, normalise
from ..text.segment import passages as cut_passages
from .html import badge, esc, page, prob_bars, stance_class

__all__ = ["Line", "article_page", "cleaning_trace"]

HEADLINE_CHARACTERS = 200
"""The default headline (the first passage) is cut to this many characters: some sources run title and body
together on one line."""


@dataclass(frozen=True)
class Line:
    """One line of the normalised page and what cleaning did to it.

    Attributes
    ----------
    text : str
        The line as normalised (:func:`stance.text.clean.normalise`).
    kept : str or None
        What cleaning kept of it; None when it was dropped whole.
    steps : tuple of str
        The names of the cleaning steps that dropped it or cut part of it, in pipeline order.
    """

    text: str
    kept: str | None
    steps: tuple[str, ...]


# ------------------------------------------------------------------------------------------ the trace


_WINDOW = 1000
"""How far ahead a line is looked for among the lines before a step (a bound on the work per line)."""


def _follow(state: list[tuple[int | None, str]], new_lines: list[str], name: str,
            touched: dict[int, list[str]]) -> list[tuple[int | None, str]]:
    """The lines after one step, each with the index of the normalised line it comes from.

    Steps only drop lines or cut pieces off them, in order: each new line is the first line at or after the
    previous match that contains it (a line a step rewrote is taken as the next line, changed).
    """
    out: list[tuple[int | None, str]] = []
    p = 0
    for new in new_lines:
        key = new.strip()
        end = min(len(state), p + _WINDOW)
        q = next((q for q in range(p, end) if key and key in state[q][1]), p if p < len(state) else None)
        if q is None:
            out.append((None, new))
            continue
        for origin, _ in state[p:q]:  # dropped whole
            if origin is not None:
                touched.setdefault(origin, []).append(name)
        origin, text = state[q]
        if text != new and origin is not None:
            touched.setdefault(origin, []).append(name)
        out.append((origin, new))
        p = q + 1
    for origin, _ in state[p:]:
        if origin is not None:
            touched.setdefault(origin, []).append(name)
    return out


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def cleaning_trace(raw: str) -> list[Line]:
    """Every non-empty line of the normalised page, with what cleaning kept of it and which steps cut it.

    The furniture steps of :data:`~stance.text.clean.PIPELINE` (those after its normalising steps) are
    replayed one at a time and each line followed through them. When the pipeline does not start with
    :data:`~stance.text.clean.NORMALISING_STEPS`, the steps cannot be told apart and a whole-cleaning
    difference is given instead (step name ``"clean"``).

    Parameters
    ----------
    raw : str
        The page as read.

    Returns
    -------
    list of Line
        In reading order. Joining the ``kept`` values that are not None with newlines gives ``clean(raw)``,
        except for lines a step rewrote rather than cut (not a thing the shipped steps do).

    Examples
    --------
    >>> [(l.text, l.kept) for l in cleaning_trace("(NLĐ)- Quân Mỹ rút.\\nQuân Mỹ rút.")]
    [('(NLĐ)- Quân Mỹ rút.', 'Quân Mỹ rút.'), ('Quân Mỹ rút.', None)]
    """
    normalised = normalise(raw)
    n = len(NORMALISING_STEPS)
    if tuple(PIPELINE[:n]) == tuple(NORMALISING_STEPS):
        steps: Sequence[Callable[[str], str]] = PIPELINE[n:]
        names = [getattr(step, "__name__", "step") for step in steps]
    else:
        steps, names = [lambda _: clean(raw)], ["clean"]
    state: list[tuple[int | None, str]] = list(enumerate(_lines(normalised)))
    touched: dict[int, list[str]] = {}
    text = normalised
    for step, name in zip(steps, names):
        text = step(text)
        state = _follow(state, _lines(text), name, touched)
    kept = {origin: t for origin, t in state if origin is not None}
    return [
        Line(line, kept.get(k), tuple(touched.get(k, ())))
        for k, line in enumerate(_lines(normalised))
        if line.strip()
    ]


def _step_notes() -> dict[str, str]:
    """Step name -> the first paragraph of its docstring (what it removes), for tooltips."""
    notes = {}
    for step in PIPELINE:
        doc = (getattr(step, "__doc__", None) or "").strip().split("\n\n")[0]
        notes[getattr(step, "__name__", "step")] = " ".join(doc.split())
    return notes


# ------------------------------------------------------------------------------------------ drawing


def _why(steps: Sequence[str], notes: dict[str, str]) -> str:
    return ", ".join(f'<span title="{esc(notes.get(s, ""))}">{esc(s)}</span>' for s in steps) or "cleaning"


def _removed_html(lines: Sequence[Line], notes: dict[str, str]) -> str:
    items = "".join(
        f'<div class="line"><span class="gone">{esc(line.text)}</span> <span class="why">— {_why(line.steps, notes)}</span></div>'
        for line in lines
    )
    count = f"{len(lines)} line{'s' if len(lines) != 1 else ''}"
    return f'<details class="removed"><summary>removed by cleaning: {count}</summary>{items}</details>'


def _cut_html(line: Line, notes: dict[str, str]) -> str:
    """What a step cut from a line it kept (a credit at its end, a dateline at its start)."""
    at = line.text.find(line.kept or "")
    if line.kept and at >= 0:
        parts = [line.text[:at].strip(), line.text[at + len(line.kept):].strip()]
        cut, what = " … ".join(p for p in parts if p), "cut from this line by cleaning"
    else:  # a step that rewrote the line: show it as it was
        cut, what = line.text, "this line before cleaning"
    return (f'<details class="removed"><summary>{what}</summary>'
            f'<div class="line"><span class="gone">{esc(cut)}</span> <span class="why">— {_why(line.steps, notes)}</span></div></details>')


def _passage_html(p: Passage, rank: dict[int, int], n_evidence: int) -> str:
    evidence = p.index in rank
    mark = f'<span class="ev">★ evidence {rank[p.index] + 1} of {n_evidence}</span>' if evidence else ""
    return (
        f'<section class="passage {stance_class(p.stance)}{" evidence" if evidence else ""}" id="p{p.index}">'
        f'<div class="head"><span class="muted">#{p.index}</span>{badge(p.stance)}{mark}'
        f"{prob_bars(p.stance_scores)}</div>"
        f'<div class="text">{esc(p.text)}</div></section>'
    )


def _body_with_trace(result: Result, trace: list[Line], rank: dict[int, int]) -> str | None:
    """Passages interleaved with what cleaning removed; None when the passages are not cut from the trace."""
    notes = _step_notes()
    parts: list[str] = []
    removed: list[Line] = []
    todo = result.passages
    at = 0  # the next passage to place
    for line in trace:
        if line.kept is None:
            removed.append(line)
            continue
        if removed:
            parts.append(_removed_html(removed, notes))
            removed = []
        pieces = cut_passages(line.kept)
        mine = todo[at : at + len(pieces)]
        if [p.text for p in mine] != pieces:
            return None
        parts.extend(_passage_html(p, rank, len(rank)) for p in mine)
        at += len(pieces)
        if line.steps:
            parts.append(_cut_html(line, notes))
    if removed:
        parts.append(_removed_html(removed, notes))
    return None if at < len(todo) else "".join(parts)


def _summary(result: Result, trace: list[Line] | None) -> str:
    ranked = sorted(result.topic_scores.items(), key=lambda kv: -kv[1])
    runners = ", ".join(f"{esc(topic_display_name(t))} {format_number(p, 2)}" for t, p in ranked[1:3])
    counts: dict[str, int] = {}
    for p in result.passages:
        counts[p.stance] = counts.get(p.stance, 0) + 1
    passages = ", ".join(f"{n} {badge(k)}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    removed = ""
    if trace is not None:
        n_removed = sum(1 for line in trace if line.kept is None)
        n_cut = sum(1 for line in trace if line.kept is not None and line.steps)
        removed = (f"<br>Cleaning removed {n_removed} line{'s' if n_removed != 1 else ''} and cut part of "
                   f"{n_cut} (greyed below, folded: click to show)." if n_removed or n_cut
                   else "<br>Cleaning removed nothing.")
    return (
        f'<p><b>Topic</b>: {esc(result.topic_name)} <span class="muted">[{esc(result.topic)}]</span> '
        f"{format_number(result.topic_scores[result.topic], 2)}"
        f'{f" <span class=muted>(next: {runners})</span>" if runners else ""}</p>'
        f"<p><b>Stance toward US military presence abroad</b>: {badge(result.stance)} "
        f"{prob_bars(result.stance_scores)}</p>"
        f"<p class=meta>{len(result.passages)} passages: {passages}; {len(result.evidence)} evidence passages "
        f"(outlined, ★).{removed}</p>"
    )


def _legend(labels: Sequence[str]) -> str:
    items = "".join(
        f'<span><span class="swatch {stance_class(k)}"></span><b>{esc(k)}</b>: '
        f'{esc(STANCE_DESCRIPTIONS.get(k, ""))}</span>'
        for k in labels
    )
    return f'<div class="legend">{items}</div>'


def article_page(text: str, result: Result, *, title: str | None = None, source: str | None = None) -> str:
    """One self-contained HTML page showing ``result``, the classification of the page ``text``.

    A pure function of its arguments (no model is run): bulk classification can write a page per article
    from results it already has.

    Parameters
    ----------
    text : str
        The page as read (before cleaning): what was removed is worked out from it.
    result : Result
        ``stance.classify(text)`` (or with models of your own).
    title : str, optional
        The headline; by default the article's first line after cleaning.
    source : str, optional
        Where the article comes from (a file name, a URL), shown above the headline.

    Returns
    -------
    str
        The HTML document (UTF-8 when written; no script, no external resource).

    Examples
    --------
    >>> from stance import classify
    >>> raw = "Quân Mỹ ở Iraq\\nBinh sĩ Mỹ tại căn cứ. Ảnh: AP\\nHọ nói: a &lt; b"
    >>> result = classify(raw)
    >>> html = article_page(raw, result, source="a.txt")
    >>> html.count('<section class="passage') == len(result.passages), "a &amp;lt; b" in html, "a &lt; b" in html
    (True, False, True)
    """
    trace = cleaning_trace(text)
    rank = {p.index: k for k, p in enumerate(result.evidence)}
    body = _body_with_trace(result, trace, rank)
    note = ""
    if body is None:
        trace = None
        body = "".join(_passage_html(p, rank, len(rank)) for p in result.passages)
        note = ('<p class="note">These passages were not cut from the text by stance\'s default cleaning '
                "(a model with a cleaner of its own, or a page that cleaning would empty, classified from its "
                "normalised text): what cleaning removed is not shown.</p>")
    first = next((p.text for p in result.passages if p.text.strip()), "")
    headline = title if title is not None else shorten(first, HEADLINE_CHARACTERS)
    labels = list(dict.fromkeys([*STANCE_DESCRIPTIONS, *result.stance_scores]))
    from .. import __version__

    head = (
        f'<p class="meta">{esc(source) if source else "article"} · stance {esc(__version__)}</p>'
        f"<h1>{esc(headline)}</h1>{_summary(result, trace)}{_legend(labels)}{note}"
    )
    foot = ('<p class="meta">Colours: Okabe–Ito, safe for colour-blind readers; every passage also names its '
            "stance. Probabilities are calibrated. Evidence: the passages that carry the article's stance, "
            "strongest first.</p>")
    return page(headline or "article", f"<header>{head}</header><main>{body}</main><footer>{foot}</footer>")
