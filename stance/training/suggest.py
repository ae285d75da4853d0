"""Which texts to label next: uncertainty sampling over a model's probabilities.

A model learns most from the examples it is least sure about. :func:`suggest` scores each unlabelled
text by how uncertain the model's calibrated probabilities are and returns the ``n`` most uncertain,
each with the label the model would give it (to be checked, not trusted). :func:`write_suggestions`
writes them as JSON Lines that ``stance train`` reads once a person has filled in each ``label``.

Uncertainty strategies, over the probabilities ``p`` of one text sorted in decreasing order
(``K`` labels); each is in [0, 1], higher is more uncertain:

- ``"least_confidence"``: ``1 - p[0]``;
- ``"margin"``: ``1 - (p[0] - p[1])``;
- ``"entropy"``: ``-sum(p * log p) / log K``.

Examples
--------
>>> import numpy as np
>>> class Stub:
...     classes_ = np.array(["a", "b"])
...     def predict_proba(self, texts):
...         return np.array([[0.9, 0.1] if "sure" in t else [0.55, 0.45] for t in texts])
>>> [(s.index, s.text, s.suggested_label) for s in suggest(["sure one", "hmm", "sure two"], Stub(), n=2)]
[(1, 'hmm', 'a'), (0, 'sure one', 'a')]
"""

from __future__ import annotations

import json
import lzma
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

from ..estimators.pipeline import final_estimator
from ..display import display_path, lossless
from ..files import atomic_write, iter_json_records, json_layout

__all__ = [
    "STRATEGIES",
    "Suggestion",
    "UnlabelledText",
    "suggest",
    "uncertainty",
    "read_unlabelled",
    "split_passages",
    "write_suggestions",
]

STRATEGIES = ("least_confidence", "margin", "entropy")
"""Names accepted by :func:`uncertainty` and :func:`suggest`."""


@dataclass(frozen=True)
class Suggestion:
    """A text worth labelling.

    Attributes
    ----------
    index : int
        Position of the text in the input (its first occurrence, when repeated).
    text : str
        The text, as given.
    suggested_label : str
        The label the model would give it (``argmax(P * decision_weights_)`` for a stance model).
    uncertainty : float
        How uncertain the model is, in [0, 1] (see the module docstring).
    scores : Mapping[str, float]
        The model's probability of each label.
    """

    index: int
    text: str
    suggested_label: str
    uncertainty: float
    scores: Mapping[str, float]


def uncertainty(proba: np.ndarray, strategy: str = "margin") -> np.ndarray:
    """Uncertainty of each row of probabilities, in [0, 1], higher is more uncertain.

    Parameters
    ----------
    proba : ndarray of shape (n, K)
        Probabilities; rows sum to 1, ``K >= 2``.
    strategy : {"least_confidence", "margin", "entropy"}, default="margin"
        See the module docstring.

    Returns
    -------
    ndarray of shape (n,)

    Examples
    --------
    >>> P = np.array([[0.5, 0.3, 0.2], [1.0, 0.0, 0.0]])
    >>> uncertainty(P, "least_confidence").round(2).tolist(), uncertainty(P, "margin").round(2).tolist()
    ([0.5, 0.0], [0.8, 0.0])
    >>> uncertainty(np.array([[0.5, 0.5]]), "entropy").tolist()
    [1.0]
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    P = np.asarray(proba, dtype=np.float64)
    if P.ndim != 2 or P.shape[1] < 2:
        raise ValueError(f"proba must have shape (n, K) with K >= 2, got {P.shape}")
    top = -np.sort(-P, axis=1)
    if strategy == "least_confidence":
        u = 1.0 - top[:, 0]
    elif strategy == "margin":
        u = 1.0 - (top[:, 0] - top[:, 1])
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(P > 0, P * np.log(np.where(P > 0, P, 1.0)), 0.0)
        u = -terms.sum(axis=1) / np.log(P.shape[1])
    return np.clip(u, 0.0, 1.0)


def _key(text: str) -> str:
    """Texts that differ only in Unicode form or white space count as identical."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def suggest(
    texts: Sequence[str], model: Any, *, n: int = 50, strategy: str = "margin"
) -> list[Suggestion]:
    """The ``n`` texts the model is least sure about, most uncertain first.

    Parameters
    ----------
    texts : sequence of str
        Unlabelled texts (for a stance model: passages, the unit it reads).
    model : estimator
        Anything with ``predict_proba`` and ``classes_`` (a ``decision_weights_`` attribute, as on
        :class:`stance.estimators.stance_classifier.StanceClassifier`, is used for the suggested label).
    n : int, default=50
        How many to return (fewer if there are fewer distinct texts).
    strategy : {"least_confidence", "margin", "entropy"}, default="margin"
        How uncertainty is measured (module docstring).

    Returns
    -------
    list of Suggestion
        Ties in uncertainty are broken by input order. A text repeated (same text up to Unicode form
        and white space) is scored once, at its first position.

    Raises
    ------
    TypeError
        ``texts`` is a single str, or holds something that is not a str.
    ValueError
        Unknown strategy, negative ``n``, or an empty text (its position is named).
    """
    if isinstance(texts, str):
        raise TypeError("suggest: expected a sequence of texts, got a single str; wrap it in a list")
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    seen: set[str] = set()
    keep: list[int] = []
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"suggest: text {i} is {type(t).__name__}, not str")
        if not t.strip():
            raise ValueError(f"suggest: text {i} is empty or only white space")
        k = _key(t)
        if k not in seen:
            seen.add(k)
            keep.append(i)
    if not keep or n == 0:
        return []
    P = np.asarray(model.predict_proba([texts[i] for i in keep]), dtype=np.float64)
    classes = [str(c) for c in model.classes_]
    weights = np.asarray(getattr(final_estimator(model), "decision_weights_", np.ones(len(classes))), dtype=np.float64)
    u = uncertainty(P, strategy)
    order = np.argsort(-u, kind="stable")[:n]  # stable: ties keep input order
    labels = np.argmax(P * weights, axis=1)
    return [
        Suggestion(
            index=keep[j],
            text=texts[keep[j]],
            suggested_label=classes[int(labels[j])],
            uncertainty=float(u[j]),
            scores={c: float(p) for c, p in zip(classes, P[j])},
        )
        for j in order
    ]


# ---------------------------------------------------------------------------------------------------- files


@dataclass(frozen=True)
class UnlabelledText:
    """One unlabelled text read by :func:`read_unlabelled`: its ``text``, and its other ``fields``, kept in the
    output (``id``, ``doc_id``...; ``id`` is the file path for .txt input)."""

    text: str
    fields: Mapping[str, Any] = field(default_factory=dict)


def _read_json_records(path: Path, text_field: str) -> Iterator[UnlabelledText]:
    for item in iter_json_records(path):
        record = item.checked()
        text = record.get(text_field)
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{item.where}: field {text_field!r} is missing, empty or not a string")
        yield UnlabelledText(text, {k: v for k, v in record.items() if k != text_field})


def read_unlabelled(
    paths: Iterable[str | os.PathLike], *, text_field: str = "text", errors: list[str] | None = None
) -> list[UnlabelledText]:
    """Read unlabelled texts from JSON Lines (``.jsonl``, ``.jsonl.xz``) or JSON array (``.json``) files and
    .txt files or folders.

    Parameters
    ----------
    paths : iterable of path-like
        JSON Lines files (one object per line with a ``text`` field; other fields are kept), JSON files
        (an array of such objects), .txt files,
        or folders (every ``*.txt``, recursively; read by :func:`stance.text.io.iter_documents`, the
        path becomes the ``id``).
    text_field : str, default="text"
        The text field of JSON Lines records.
    errors : list of str, optional
        If given, .txt files that cannot be read are appended here (their message) and skipped;
        otherwise the first one raises ValueError.

    Returns
    -------
    list of UnlabelledText

    Raises
    ------
    FileNotFoundError
        A path that does not exist.
    ValueError
        A bad JSON Lines record (file and line named) or an unreadable .txt file (see ``errors``).
    """
    from ..text.io import iter_documents

    out: list[UnlabelledText] = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise FileNotFoundError(f"unlabelled texts not found: '{display_path(path)}'")
        if path.is_file() and json_layout(path) is not None:
            out.extend(_read_json_records(path, text_field))
            continue
        for record in iter_documents([path]):
            if record.error is not None or not (record.text or "").strip():
                message = lossless(record.error or f"{display_path(record.path)}: no text")
                if errors is None:
                    raise ValueError(message)
                errors.append(message)
                continue
            out.append(UnlabelledText(record.text, {"id": display_path(record.path)}))
    return out


def split_passages(items: Sequence[UnlabelledText]) -> list[UnlabelledText]:
    """Cut each text into the passages a stance model reads (:func:`stance.text.segment.passages`).

    A passage keeps its text's fields; its ``id`` becomes ``ID#pK`` (K the 0-based passage number) and
    ``doc_id`` is set to the text's ``id`` unless already present, so ``stance train --group-field
    doc_id`` keeps an article's passages together.

    Examples
    --------
    >>> [p.fields["id"] for p in split_passages([UnlabelledText("Một.\\nHai.", {"id": "a.txt"})])]
    ['a.txt#p0', 'a.txt#p1']
    """
    from ..text.clean import clean
    from ..text.segment import passages

    out = []
    for k, item in enumerate(items):
        base = str(item.fields.get("id", k))
        for j, passage in enumerate(passages(clean(item.text)) or [item.text]):
            fields = {**item.fields, "id": f"{base}#p{j}"}
            fields.setdefault("doc_id", base)
            out.append(UnlabelledText(passage, fields))
    return out


def _round(x: float) -> float:
    return round(float(x), 4)


def write_suggestions(
    suggestions: Sequence[Suggestion],
    out: str | os.PathLike,
    *,
    fields: Sequence[Mapping[str, Any]] | None = None,
) -> Path:
    """Write suggestions as JSON Lines for labelling, atomically; ``.xz`` names are compressed.

    Each line: ``text``, ``label`` (``null``: the person labelling fills it in), the text's other input
    fields (``id``, ``doc_id``...), ``suggested_label``, ``uncertainty`` and ``scores`` (rounded to 4
    decimals). Once every ``label`` is filled, ``stance train FILE --out MODEL`` and
    :func:`stance.training.data.read_labelled` read the file (the extra fields go to ``meta``).

    Parameters
    ----------
    suggestions : sequence of Suggestion
        From :func:`suggest`.
    out : path-like
        File to write (its folder is created).
    fields : sequence of mapping, optional
        Other fields of each input text, indexed by :attr:`Suggestion.index`.

    Returns
    -------
    Path
        ``out``.
    """
    out = Path(out)
    reserved = {"text", "label", "suggested_label", "uncertainty", "scores"}
    lines = []
    for s in suggestions:
        extra = {} if fields is None else {k: v for k, v in fields[s.index].items() if k not in reserved}
        row = {
            "text": s.text,
            "label": None,
            **extra,
            "suggested_label": s.suggested_label,
            "uncertainty": _round(s.uncertainty),
            "scores": {k: _round(v) for k, v in s.scores.items()},
        }
        lines.append(json.dumps(row, ensure_ascii=False))
    data = ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")
    if out.suffix.lower() == ".xz":
        data = lzma.compress(data)
    atomic_write(out, data)
    return out
