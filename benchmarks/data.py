"""Reading the benchmark corpora (JSON Lines in xz) with NFC normalisation.

Only :mod:`stance.files` is imported from stance (no numpy, no scikit-learn), so that a worker measuring one
system does not pay for another system's libraries in its memory figures.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from stance.files import iter_json_records


def data_root() -> Path:
    """Return the shared data folder.

    Returns
    -------
    Path
        ``$STANCE_DATA`` if set, else ``../shared/data`` relative to the
        current directory (the project root, by convention).
    """
    return Path(os.environ.get("STANCE_DATA", "../shared/data"))


@dataclass(frozen=True)
class Corpus:
    """Texts and labels read from one JSON Lines file.

    Attributes
    ----------
    ids : list of str
        Record identifiers.
    texts : list of str
        NFC-normalised texts.
    labels : list of str
        Labels; empty strings when the file has none.
    """

    ids: list[str]
    texts: list[str]
    labels: list[str]

    def __len__(self) -> int:
        return len(self.texts)


class DataFormatError(ValueError):
    """A record in a data file is malformed."""


def read_corpus(path: str | os.PathLike[str], limit: int | None = None) -> Corpus:
    """Read a corpus of JSON records (``.jsonl`` or ``.jsonl.xz``; see :func:`stance.files.iter_json_records`).

    Parameters
    ----------
    path : path-like
        File to read.
    limit : int, optional
        Keep only this many records, evenly spaced through the file
        (records ``i * n // limit``), so that a subset of a file sorted by
        label still covers every label.

    Returns
    -------
    Corpus
        Texts normalised to NFC, with ids and labels (``""`` if absent).

    Raises
    ------
    DataFormatError
        If a record is not a JSON object with a string ``text`` (the message is ``file:line: problem``).

    Examples
    --------
    >>> c = read_corpus(data_root() / "vntc" / "train.jsonl.xz", limit=2)  # doctest: +SKIP
    >>> len(c)  # doctest: +SKIP
    2
    """
    ids: list[str] = []
    texts: list[str] = []
    labels: list[str] = []
    for item in iter_json_records(path):
        if item.problem is not None or not isinstance((item.record or {}).get("text"), str):
            raise DataFormatError(str(item) if item.problem else f"{item.where}: expected a string 'text'")
        rec = item.record
        ids.append(str(rec.get("id", item.line)))
        texts.append(unicodedata.normalize("NFC", rec["text"]))
        labels.append(str(rec.get("label", "")))
    if limit is not None and limit < len(texts):
        keep = spread_indices(len(texts), limit)
        return Corpus(
            ids=[ids[i] for i in keep], texts=[texts[i] for i in keep], labels=[labels[i] for i in keep]
        )
    return Corpus(ids=ids, texts=texts, labels=labels)


def spread_indices(n: int, k: int) -> list[int]:
    """Indices of ``k`` items evenly spaced over ``range(n)``.

    Parameters
    ----------
    n : int
        Number of items.
    k : int
        Number wanted (capped at ``n``; negative counts as 0).

    Returns
    -------
    list of int
        ``[i * n // k for i in range(k)]``, strictly increasing.

    Examples
    --------
    >>> spread_indices(10, 4)
    [0, 2, 5, 7]
    """
    k = max(0, min(k, n))
    return [i * n // k for i in range(k)]
