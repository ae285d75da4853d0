"""The pieces every page is made of: escaping, the stance palette, badges, probability bars, tables, the page.

Pages are one self-contained HTML file each: inline CSS, images as ``data:`` URIs, no script, no font or
style sheet from anywhere. Every page carries a Content-Security-Policy that forbids scripts and every
network request (``default-src 'none'``), so even text that escaped escaping could not run or phone home.
All text that comes from an article or a table goes through :func:`esc`.

The stance colours are from the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), which
readers with any of the common colour-vision deficiencies can tell apart: blue for pro, vermillion for anti,
bluish green for neutral, grey for unrelated. Colour is never the only cue: every coloured block also says
its label in words.

Examples
--------
>>> esc('<script>alert("x")</script>')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
>>> badge("anti")
'<span class="badge s-anti">anti</span>'
>>> "Content-Security-Policy" in page("T", "<p>body</p>")
True
"""

from __future__ import annotations

import html
from typing import Mapping, Sequence

from ..display import format_number

__all__ = ["STANCE_COLOURS", "badge", "esc", "page", "prob_bars", "stance_class", "table"]

STANCE_COLOURS: Mapping[str, tuple[str, str]] = {
    "pro": ("#0072B2", "#DCEBF5"),  # Okabe–Ito blue, and a light tint of it for backgrounds
    "anti": ("#D55E00", "#F9E3D4"),  # vermillion
    "neutral": ("#009E73", "#D6EFE7"),  # bluish green
    "unrelated": ("#8C8C8C", "#F0F0F0"),  # grey
}
"""Stance label -> (colour, background tint). Labels of other models are drawn in :data:`OTHER_COLOUR`."""

OTHER_COLOUR = ("#CC79A7", "#F5E4EE")  # Okabe–Ito reddish purple

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
"""No script, no request: only inline styles and ``data:`` images."""


def esc(value: object) -> str:
    """``str(value)`` with ``& < > " '`` escaped: safe as element text and as a quoted attribute value."""
    return html.escape(str(value), quote=True)


def stance_class(label: str) -> str:
    """The CSS class of a stance label: ``s-pro`` ... for the four labels, ``s-other`` for any other label."""
    return f"s-{label}" if label in STANCE_COLOURS else "s-other"


def badge(label: str) -> str:
    """The label in words on its colour: ``<span class="badge s-LABEL">LABEL</span>``."""
    return f'<span class="badge {stance_class(label)}">{esc(label)}</span>'


def prob_bars(scores: Mapping[str, float], *, digits: int = 2) -> str:
    """One small bar per label, as wide as its probability, with the label and the number beside it.

    Examples
    --------
    >>> prob_bars({"pro": 0.25}).count('style="width:25.0%"')
    1
    """
    rows = []
    for label, p in scores.items():
        width = max(0.0, min(1.0, float(p))) * 100
        rows.append(
            f'<span class="pb"><span class="pl">{esc(label)}</span><span class="pt">'
            f'<span class="pf {stance_class(label)}" style="width:{width:.1f}%"></span></span>'
            f'<span class="pn">{esc(format_number(float(p), digits))}</span></span>'
        )
    return f'<span class="probs">{"".join(rows)}</span>'


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[int] = (),
    row_classes: Sequence[str] = (),
) -> str:
    """An HTML table; ``header`` is escaped, ``rows`` are cells of HTML already escaped by the caller.

    ``numeric`` columns are right-aligned (figures line up); ``row_classes[k]`` is the CSS class of row k.

    Examples
    --------
    >>> table(["n"], [["1"], ["2"]], numeric=[0], row_classes=["", "few"])
    '<table><thead><tr><th class=num>n</th></tr></thead><tbody><tr><td class=num>1</td></tr><tr class="few">\
<td class=num>2</td></tr></tbody></table>'
    """
    head = "".join(f"<th{' class=num' if k in numeric else ''}>{esc(h)}</th>" for k, h in enumerate(header))
    body = []
    for r, row in enumerate(rows):
        cls = row_classes[r] if r < len(row_classes) else ""
        cells = "".join(f"<td{' class=num' if k in numeric else ''}>{c}</td>" for k, c in enumerate(row))
        body.append(f'<tr class="{esc(cls)}">{cells}</tr>' if cls else f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _stance_css() -> str:
    rules = []
    for cls, (colour, tint) in [*((f"s-{k}", v) for k, v in STANCE_COLOURS.items()), ("s-other", OTHER_COLOUR)]:
        rules.append(
            f".badge.{cls}{{border-color:{colour};background:{tint}}}"
            f".pf.{cls}{{background:{colour}}}"
            f".passage.{cls}{{border-left-color:{colour};background:{tint}}}"
            f".swatch.{cls}{{background:{colour}}}"
        )
    return "".join(rules)


_CSS = """
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;
 color:#1a1a1a;background:#fff;margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:1.6em;line-height:1.25;margin:.2em 0 .4em}
h2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd;padding-bottom:.2em}
h3{font-size:1.05em;margin:1.2em 0 .4em}
.meta{color:#444;font-size:.92em}
.note{background:#FFF6D5;border-left:4px solid #E69F00;padding:.4em .8em;margin:.6em 0;font-size:.92em}
.muted{color:#666}
.badge{display:inline-block;border:2px solid;border-radius:4px;padding:0 .45em;font-weight:600;
 font-size:.85em;line-height:1.5;color:#1a1a1a}
.probs{display:inline-flex;flex-wrap:wrap;gap:.2em 1em;font-size:.85em;vertical-align:middle}
.pb{display:inline-flex;align-items:center;gap:.3em;white-space:nowrap}
.pt{display:inline-block;width:60px;height:.7em;background:#e6e6e6;border-radius:2px;overflow:hidden}
.pf{display:block;height:100%}
.pn{font-variant-numeric:tabular-nums}
.passage{border-left:8px solid;border-radius:3px;padding:.5em .8em;margin:.6em 0}
.passage .head{display:flex;flex-wrap:wrap;gap:.3em .8em;align-items:center;font-size:.85em;color:#333}
.passage .text{margin-top:.25em;white-space:pre-wrap;overflow-wrap:anywhere}
.passage.evidence{outline:3px double #1a1a1a;outline-offset:1px}
.ev{font-weight:700}
details.removed{margin:.3em 0 .3em 1.2em;color:#777;font-size:.9em}
details.removed summary{cursor:pointer}
details.removed .line{white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f7f7;padding:.1em .4em;
 margin:.15em 0}
details.removed .gone{text-decoration:line-through;text-decoration-color:#aaa}
details.removed .why{font-style:italic}
.legend{display:flex;flex-wrap:wrap;gap:.4em 1.2em;font-size:.88em;margin:.6em 0}
.swatch{display:inline-block;width:1em;height:1em;border-radius:2px;vertical-align:-.15em;margin-right:.3em}
table{border-collapse:collapse;margin:.5em 0;font-size:.88em;width:100%}
th,td{border-bottom:1px solid #e3e3e3;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f5f5f5}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.few td{color:#777}
.ci{font-size:.85em;color:#555}
td:first-child{min-width:8em}
img{max-width:100%;height:auto;display:block;margin:.5em 0}
ul.evidence{margin:.2em 0;padding-left:1.1em}
code{background:#f3f3f3;padding:0 .25em;border-radius:3px}
"""


def page(title: str, body: str, *, lang: str = "vi") -> str:
    """A whole HTML document: ``title`` (escaped) and ``body`` (HTML), with the shared style sheet inline."""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}{_stance_css()}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
