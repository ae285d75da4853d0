"""The numbers of a corpus report: stance counts and shares with intervals, by group, topic mix, confidence.

:func:`summarise` turns a :class:`~stance.views.results.ResultsTable` into the dict that is ``report.json``
and that the page and the plots are drawn from (one source of numbers). Rows with an ``error`` are counted and
listed, and left out of every count, share and histogram.

Honest about uncertainty:

- every share comes with its count and its 95% Wilson score interval
  (:func:`stance.evaluation.stats.wilson_interval`);
- a group with fewer than ``min_group`` classified articles (default :data:`MIN_GROUP` = 30) is flagged
  ``too_few``: its 95% interval is then about ±17 percentage points or wider at a share of one half, too
  wide to compare it with anything. Such groups are still listed, greyed and marked, never hidden.

Grouping fields: a field whose values are all ISO dates (``2021-04-30``, ``2021-04-30T10:00:00+07:00``,
``2021-04``) or date objects is grouped by month (``YYYY-MM``, as written: no time zone conversion); any other
field by its value (numbers and nested values as text). Missing values form the group ``null``.

Examples
--------
>>> import pandas as pd
>>> from stance.views.results import ResultsTable
>>> rows = [{"id": str(k), "site": "A" if k < 40 else "B", "topic": "The gioi", "topic_name": "Thế giới",
...          "topic_score": 0.9, "stance": "anti" if k % 4 == 0 else "unrelated", "stance_pro": 0.0,
...          "stance_anti": 0.6 if k % 4 == 0 else 0.1, "stance_neutral": 0.1,
...          "stance_unrelated": 0.3 if k % 4 == 0 else 0.8, "evidence": [], "error": None} for k in range(45)]
>>> table = ResultsTable(pd.DataFrame(rows), ["pro", "anti", "neutral", "unrelated"], "r.jsonl", None)
>>> s = summarise(table, ["site"])
>>> [(g["value"], g["n"], g["counts"]["anti"], g["too_few"]) for g in s["by"]["site"]["groups"]]
[('A', 40, 10, False), ('B', 5, 2, True)]
>>> [round(x, 3) for x in s["by"]["site"]["groups"][0]["ci"]["anti"]]
[0.142, 0.402]
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections import Counter
from typing import Sequence

import numpy as np
import pandas as pd

from ..evaluation.stats import wilson_interval
from ..files import to_jsonable
from ..labels import TOPIC_LABELS
from .results import ResultsTable

__all__ = ["MIN_GROUP", "CONFIDENCE_BINS", "group_keys", "summarise"]

MIN_GROUP = 30
"""Groups with fewer classified articles than this are flagged ``too_few`` (see the module docstring)."""

CONFIDENCE_BINS = 10
"""Histogram bins of [0, 1] for the confidence of the article stance and of the topic."""

_ISO_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])([T ].*)?)?$")


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _as_key(value: object) -> str | None:
    if _is_missing(value):
        return None
    if isinstance(value, str):
        return value
    if hasattr(value, "tolist") or isinstance(value, (list, dict, tuple)):
        return json.dumps(to_jsonable(value), ensure_ascii=False)
    return str(value)


def group_keys(column: pd.Series) -> tuple[str, list[str | None]]:
    """How a field is grouped (``"month"`` or ``"value"``) and each row's group (None for a missing value).

    Examples
    --------
    >>> group_keys(pd.Series(["2021-04-30", None, "2020-12-01T08:00:00+07:00"]))
    ('month', ['2021-04', None, '2020-12'])
    >>> group_keys(pd.Series(["VNE", 7, None]))
    ('value', ['VNE', '7', None])
    """
    values = [v for v in column.tolist() if not _is_missing(v)]
    if values and all(isinstance(v, (_dt.date, pd.Timestamp)) for v in values):
        return "month", [None if _is_missing(v) else f"{v.year:04d}-{v.month:02d}" for v in column.tolist()]
    if values and all(isinstance(v, str) and _ISO_DATE.match(v) for v in values):
        return "month", [None if _is_missing(v) else v[:7] for v in column.tolist()]
    return "value", [_as_key(v) for v in column.tolist()]


def _group(value: str | None, stances: Counter, topics: Counter, labels: Sequence[str], min_group: int) -> dict:
    n = sum(stances.values())
    out = {"value": value, "n": n, "counts": {}, "shares": {}, "ci": {}, "too_few": n < min_group}
    for label in labels:
        k = stances.get(label, 0)
        out["counts"][label] = k
        out["shares"][label] = k / n if n else None
        out["ci"][label] = wilson_interval(k, n)
    out["topics"] = dict(topics.most_common())
    return out


def _tally(keys: Sequence[str | None], stances: Sequence[str], topics: Sequence[str]) -> dict:
    """Group -> (stance counts, topic counts), in one pass."""
    out: dict[str | None, tuple[Counter, Counter]] = {}
    for key, stance, topic in zip(keys, stances, topics):
        if key not in out:
            out[key] = (Counter(), Counter())
        out[key][0][stance] += 1
        out[key][1][topic] += 1
    return out


def _order(kind: str, tally: dict) -> list[str | None]:
    present = [k for k in tally if k is not None]
    if kind == "month":
        ordered = sorted(present)
    else:
        ordered = sorted(present, key=lambda k: (-sum(tally[k][0].values()), k))
    return ordered + ([None] if None in tally else [])


def _histogram(values: np.ndarray) -> list[int]:
    counts, _ = np.histogram(values, bins=CONFIDENCE_BINS, range=(0.0, 1.0))
    return [int(c) for c in counts]


def _most(frame: pd.DataFrame, label: str, by: Sequence[str], top: int) -> list[dict]:
    column = f"stance_{label}"
    ranked = frame.sort_values(column, ascending=False, kind="stable").head(top)
    return [
        {
            "id": row["id"], "stance": row["stance"], "score": float(row[column]),
            "topic": row["topic"], "fields": {f: to_jsonable(row[f]) for f in by if f in frame.columns},
            "evidence": to_jsonable(row["evidence"]),
        }
        for _, row in ranked.iterrows()
    ]


def summarise(table: ResultsTable, by: Sequence[str], *, min_group: int = MIN_GROUP, top: int = 10) -> dict:
    """The numbers of a corpus report (``report.json``).

    Parameters
    ----------
    table : ResultsTable
        From :func:`stance.views.results.read_results`.
    by : sequence of str
        Fields to group by (columns of the table: passthrough fields such as ``site`` or ``date``, or model
        columns such as ``topic``).
    min_group : int, default=MIN_GROUP
        Groups with fewer classified articles are flagged ``too_few``.
    top : int, default=10
        Articles listed as most pro and most anti.

    Returns
    -------
    dict
        JSON-ready: ``rows``, ``classified``, ``errors``; ``labels`` and ``topics``; ``overall`` (one group:
        ``n``, ``counts``, ``shares``, ``ci``, ``too_few``, ``topics``); ``by`` (per field, ``kind`` and its
        ``groups``, biggest first or by month); ``confidence`` (histograms over ``bins``); ``most`` (the
        ``top`` most pro and most anti articles with their evidence); ``error_rows`` (``id``, ``where``,
        ``error``).

    Raises
    ------
    ValueError
        A field of ``by`` is not a column, or ``min_group`` / ``top`` is below 1.
    """
    frame = table.frame
    unknown = [f for f in by if f not in frame.columns]
    if unknown:
        raise ValueError(f"{table.path}: no field {', '.join(map(repr, unknown))} to group by; the table has "
                         f"{', '.join(map(str, frame.columns))}")
    if min_group < 1 or top < 1:
        raise ValueError(f"min_group and top must be at least 1, got {min_group} and {top}")
    failed = frame["error"].notna()
    ok = frame[~failed]
    seen = [str(t) for t in ok["topic"].value_counts().index]
    topics = [t for t in TOPIC_LABELS if t in seen] + sorted(t for t in seen if t not in TOPIC_LABELS)
    names = dict(zip(ok["topic"].astype(str), ok["topic_name"].astype(str))) if "topic_name" in ok else {}
    stances, topic_column = ok["stance"].tolist(), ok["topic"].astype(str).tolist()
    grouped = {}
    for field in by:
        kind, keys = group_keys(ok[field])
        tally = _tally(keys, stances, topic_column)
        groups = [_group(value, *tally[value], table.labels, min_group) for value in _order(kind, tally)]
        grouped[field] = {"kind": kind, "groups": groups}
    scores = ok[[f"stance_{label}" for label in table.labels]].to_numpy(float)
    chosen = np.array([table.labels.index(s) for s in stances], dtype=int)
    confidence = scores[np.arange(len(ok)), chosen] if len(ok) else np.zeros(0)
    return to_jsonable({
        "source": table.path,
        "rows": len(frame),
        "classified": len(ok),
        "errors": int(failed.sum()),
        "labels": list(table.labels),
        "topics": topics,
        "topic_names": {t: names.get(t, t) for t in topics},
        "min_group": min_group,
        "interval": {"method": "wilson", "level": 0.95},
        "overall": _group(None, Counter(stances), Counter(topic_column), table.labels, min_group),
        "by": grouped,
        "confidence": {
            "bins": np.linspace(0, 1, CONFIDENCE_BINS + 1).round(10).tolist(),
            "stance": {label: _histogram(confidence[(ok["stance"] == label).to_numpy()]) for label in table.labels},
            "topic": _histogram(ok["topic_score"].to_numpy(float)),
        },
        "most": {label: _most(ok, label, by, top) for label in ("pro", "anti") if label in table.labels},
        "error_rows": [{"id": frame["id"][k], "where": table.where(k), "error": frame["error"][k]}
                       for k in np.flatnonzero(failed.to_numpy())],
    })
