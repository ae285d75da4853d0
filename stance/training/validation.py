"""Checking labelled data: :func:`validate` (and the checks :func:`stance.training.data.read_labelled` runs).

Every problem found is collected and reported together in one :class:`~stance.training.labelled.DataError`.
"""

from __future__ import annotations

import unicodedata
import warnings
from typing import Sequence

from .labelled import MAX_PROBLEMS_SHOWN, DataError, DataWarning, LabelledData, Problem, problem_order

__all__ = ["check", "validate"]


def _key(text: str) -> str:
    """Comparison key for duplicates: NFC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _loc(data: LabelledData, i: int) -> str:
    p = data.where(i)
    return f"line {p.line}" if p.line is not None else p.path


def _check_records(data: LabelledData) -> list[Problem]:
    problems = []
    for i, (text, label) in enumerate(zip(data.texts, data.labels)):
        where = data.where(i)
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(where.path, where.line, "missing or empty text"))
        if not isinstance(label, str) or not label.strip():
            problems.append(Problem(where.path, where.line, "missing label"))
    return problems


def _check_counts(data: LabelledData, min_per_label: int) -> list[Problem]:
    where = data.path or "<memory>"
    if len(data) == 0:
        return [Problem(where, None, "no records")]
    counts = data.label_counts()
    problems = []
    for label, count in counts.items():
        if count < min_per_label:
            at = ", ".join(_loc(data, i) for i, lab in enumerate(data.labels) if lab == label)
            problems.append(
                Problem(where, None, f"label {label!r} has {count} example{'s' if count != 1 else ''} "
                                     f"(at least {min_per_label} needed): {at}")
            )
    if len(counts) < 2:
        problems.append(Problem(where, None, f"only one label ({next(iter(counts))!r}); need at least two"))
    return problems


def _check_duplicates(data: LabelledData) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for i, text in enumerate(data.texts):
        if not isinstance(text, str):
            continue
        k = _key(text)
        if k in first:
            j = first[k]
            here = data.where(i)
            clash = (
                f" (labels differ: {data.labels[j]!r} vs {data.labels[i]!r})"
                if data.labels[i] != data.labels[j] else ""
            )
            problems.append(Problem(here.path, here.line, f"duplicate text: same as {_loc(data, j)}{clash}"))
        else:
            first[k] = i
    return problems


def _check_overlap(train: LabelledData, test: LabelledData) -> list[Problem]:
    """Test records whose text (compared by :func:`_key`) also occurs in the training data."""
    seen: dict[str, int] = {}
    for i, text in enumerate(train.texts):
        if isinstance(text, str):
            seen.setdefault(_key(text), i)
    problems = []
    for i, text in enumerate(test.texts):
        if isinstance(text, str) and _key(text) in seen:
            j = seen[_key(text)]
            here = test.where(i)
            problems.append(
                Problem(here.path, here.line,
                        f"test text also in training data: {train.path or '<memory>'} {_loc(train, j)}")
            )
    return problems


def _warn(summary: str, problems: Sequence[Problem]) -> None:
    shown = [f"  {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown.append(f"  ... and {len(problems) - MAX_PROBLEMS_SHOWN} more")
    warnings.warn("\n".join([summary + ":", *shown]), DataWarning, stacklevel=4)


def check(data: LabelledData, *, min_per_label: int, allow_duplicates: bool) -> list[Problem]:
    problems = _check_records(data) + _check_counts(data, min_per_label)
    duplicates = _check_duplicates(data)
    if allow_duplicates:
        if duplicates:
            _warn(f"{len(duplicates)} duplicate text(s) kept (allow_duplicates=True)", duplicates)
        return problems
    return problems + duplicates


def validate(
    data: LabelledData,
    *,
    min_per_label: int = 2,
    test: LabelledData | None = None,
    allow_duplicates: bool = False,
    allow_overlap: bool = False,
) -> None:
    """Check labelled data; raise one :class:`DataError` listing every problem.

    Checks: every text is a non-empty string and every label a non-empty string; at least one record and two
    labels; each label has at least ``min_per_label`` records (the message names the label, its count and
    where its records are); no text repeats (compared after NFC normalisation, case folding and collapsing
    white space; the message names both lines and whether their labels differ); and, when ``test`` is given,
    no test text appears in ``data`` (a leak: the message names the test line and the training line). The
    test data gets the record checks too, but not the per-label minimum.

    Parameters
    ----------
    data : LabelledData
        Training data.
    min_per_label : int
        Fewest records a label may have; stratified cross-validation with k folds needs k.
    test : LabelledData or None
        Held-out data to check for overlap with ``data``.
    allow_duplicates : bool
        If True, repeated texts within a file give a :class:`DataWarning` instead of an error (overlap between
        ``data`` and ``test`` is governed by ``allow_overlap``).
    allow_overlap : bool
        If True, test texts that also occur in ``data`` give a :class:`DataWarning` instead of an error.

    Raises
    ------
    DataError

    Examples
    --------
    >>> train = LabelledData(("a", "b", "c", "d"), ("x", "x", "y", "y"), ({},) * 4, "train.jsonl")
    >>> test = LabelledData(("e", "B"), ("x", "y"), ({},) * 2, "test.jsonl")
    >>> try:
    ...     validate(train, test=test)
    ... except DataError as err:
    ...     print(err.problems[0])
    test.jsonl:2: test text also in training data: train.jsonl line 2
    """
    problems = check(data, min_per_label=min_per_label, allow_duplicates=allow_duplicates)
    if test is not None:
        problems += _check_records(test)
        if len(test) == 0:
            problems.append(Problem(test.path or "<memory>", None, "no records"))
        overlap = _check_overlap(data, test)
        if allow_overlap and overlap:
            _warn(f"{len(overlap)} test text(s) also in the training data (allow_overlap=True)", overlap)
        else:
            problems += overlap
    if problems:
        raise DataError(sorted(problems, key=problem_order))
