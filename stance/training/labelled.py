"""Labelled data in memory: :class:`LabelledData`, and the problems found in it (:class:`Problem`,
:class:`DataError`, :class:`DataWarning`).

Examples
--------
>>> d = LabelledData(texts=("a b", "c d"), labels=("x", "y"), meta=({}, {}), path="")
>>> len(d), d.label_counts()
(2, {'x': 1, 'y': 1})
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from ..estimators.splits import check_groups

__all__ = ["MAX_PROBLEMS_SHOWN", "DataError", "DataWarning", "LabelledData", "Problem"]

#: How many problems a :class:`DataError` message lists before "... and N more".
MAX_PROBLEMS_SHOWN = 20



@dataclass(frozen=True)
class Problem:
    """One problem found in labelled data.

    Parameters
    ----------
    path : str
        The file (or, for the folder layout, the text file) the problem is in.
    line : int or None
        1-based line number, or None when the problem concerns the whole file or a whole label.
    message : str
        What is wrong.

    Examples
    --------
    >>> str(Problem("train.jsonl", 3, "empty text"))
    'train.jsonl:3: empty text'
    """

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class DataError(ValueError):
    """Labelled data that cannot be used; ``problems`` lists every problem found.

    The message lists the first :data:`MAX_PROBLEMS_SHOWN` problems, one per line, then "... and N more".

    Examples
    --------
    >>> err = DataError([Problem("a.jsonl", 2, "missing label")])
    >>> print(err)
    1 problem in labelled data:
      a.jsonl:2: missing label
    >>> err.problems[0].line
    2
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(_format_problems(self.problems))


class DataWarning(UserWarning):
    """A problem in labelled data that was allowed by an option (for example ``allow_duplicates=True``)."""


def _format_problems(problems: Sequence[Problem]) -> str:
    n = len(problems)
    head = f"{n} problem{'s' if n != 1 else ''} in labelled data:"
    lines = [f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if n > MAX_PROBLEMS_SHOWN:
        lines.append(f"  ... and {n - MAX_PROBLEMS_SHOWN} more")
    return "\n".join([head, *lines])


@dataclass(frozen=True)
class LabelledData:
    """Texts with their labels, other per-record fields and where each record came from.

    Parameters
    ----------
    texts : tuple of str
        The texts, as read (not cleaned or normalised).
    labels : tuple of str
        One label per text.
    meta : tuple of dict
        Other fields of each record (for example ``id``, ``doc_id``, ``source``). For the folder layout:
        ``{"file": relative path}``.
    path : str
        The file or folder read ("" when built in memory).
    lines : tuple of int
        1-based line of each record in ``path`` (empty when unknown, for example for the folder layout or
        data built in memory); used to name lines in error messages.

    Examples
    --------
    >>> d = LabelledData(texts=("a b", "c d"), labels=("x", "y"), meta=({}, {}), path="")
    >>> len(d), d.label_counts()
    (2, {'x': 1, 'y': 1})
    """

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    meta: tuple[dict, ...]
    path: str
    lines: tuple[int, ...] = field(default=())

    def __post_init__(self) -> None:
        n = len(self.texts)
        if len(self.labels) != n or len(self.meta) != n:
            raise ValueError(
                f"texts, labels and meta must have the same length; got {n}, {len(self.labels)}, "
                f"{len(self.meta)}"
            )
        if self.lines and len(self.lines) != n:
            raise ValueError(f"lines must be empty or have one entry per text; got {len(self.lines)} for {n}")

    def __len__(self) -> int:
        return len(self.texts)

    def label_counts(self) -> dict[str, int]:
        """Number of records per label, labels sorted.

        Examples
        --------
        >>> LabelledData(("a", "b", "c"), ("y", "x", "y"), ({}, {}, {}), "").label_counts()
        {'x': 1, 'y': 2}
        """
        counts = Counter(self.labels)
        return {label: counts[label] for label in sorted(counts)}

    def meta_field(self, name: str) -> tuple:
        """The value of meta field ``name`` for every record (None where absent), e.g. ``doc_id`` for groups.

        Examples
        --------
        >>> LabelledData(("a", "b"), ("x", "y"), ({"doc_id": 1}, {}), "").meta_field("doc_id")
        (1, None)
        """
        return tuple(m.get(name) for m in self.meta)

    def where(self, i: int) -> Problem:
        """An empty :class:`Problem` locating record ``i`` (file and line), for messages.

        Examples
        --------
        >>> LabelledData(("a",), ("x",), ({},), "t.jsonl", (7,)).where(0)
        Problem(path='t.jsonl', line=7, message='')
        """
        if "file" in self.meta[i] and not self.lines:
            return Problem(os.path.join(self.path, str(self.meta[i]["file"])), None, "")
        line = self.lines[i] if self.lines else i + 1
        return Problem(self.path or "<memory>", line, "")

    def groups(self, name: str) -> list[str]:
        """Meta field ``name`` of every record as its group (e.g. ``doc_id``: the article of each passage).

        Raises
        ------
        ValueError
            A record without a value (absent, None, empty, NaN), named by file and line.

        Examples
        --------
        >>> LabelledData(("a", "b"), ("x", "y"), ({"doc_id": 1}, {}), "t.jsonl", (3, 4)).groups("doc_id")
        Traceback (most recent call last):
        ...
        ValueError: group of t.jsonl:4 is missing (None); every record needs a group
        """
        names = [str(self.where(i)).removesuffix(": ") for i in range(len(self))]
        return check_groups(self.meta_field(name), len(self), names=names).tolist()


def problem_order(p: Problem) -> tuple[str, float, str]:
    """Sort key of problems: by file, then line (whole-file problems last), then message."""
    return (p.path, p.line if p.line is not None else float("inf"), p.message)
