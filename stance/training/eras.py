"""Training data from several eras, weighed so that neither swamps the other.

The default topic model learns from VNTC (news of 2005–2007, 33,759 articles) and from two small recent sets
(Dân trí 2020–21, VnExpress 2022; 6,040 articles). Counted one article one vote, the old era carries 85% of
the training weight; :func:`era_sample_weight` gives the recent articles together a chosen share of it instead
(``docs/models.md`` says how the share was chosen). :func:`read_eras` reads the files of a task, drops the
(file, label) pairs whose labels do not mean what the task's label means (Dân trí's travel section, filed
under "Doi song", is not VNTC's Đời sống), and says which era each text belongs to.

Examples
--------
Three old texts and one recent one; the recent one is to carry half the weight. Weights have mean 1, so the
SVM's ``C`` keeps its meaning:

>>> era_sample_weight([False, False, False, True], recent_share=0.5).tolist()
[0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 2.0]
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from ..files import sha256_of
from .data import read_labelled
from .labelled import LabelledData

__all__ = ["EraData", "era_sample_weight", "read_eras"]


def era_sample_weight(is_recent: Sequence[bool], recent_share: float) -> np.ndarray:
    """Per-text weights: the recent texts together carry ``recent_share`` of the total weight; mean weight 1.

    Every text of an era gets the same weight. With no recent text, or only recent texts, all weights are 1.

    Parameters
    ----------
    is_recent : sequence of bool
        Whether each text belongs to the recent era.
    recent_share : float
        Share of the total weight the recent texts carry together, strictly between 0 and 1.

    Returns
    -------
    ndarray of float, shape (n,)

    Examples
    --------
    >>> w = era_sample_weight([True] + [False] * 9, recent_share=0.2)
    >>> round(float(w[0]), 6), round(float(w[1]), 6), round(float(w[:1].sum() / w.sum()), 6)
    (2.0, 0.888889, 0.2)
    >>> era_sample_weight([False, False], recent_share=0.5).tolist()
    [1.0, 1.0]
    """
    if not 0.0 < recent_share < 1.0:
        raise ValueError(f"recent_share must be strictly between 0 and 1, got {recent_share!r}")
    recent = np.asarray(is_recent, dtype=bool)
    if recent.all() or not recent.any():
        return np.ones(len(recent))
    w = np.where(recent, recent_share / recent.sum(), (1.0 - recent_share) / (~recent).sum())
    return w * len(w) / w.sum()


@dataclass(frozen=True)
class EraData:
    """Texts of several files, merged, with the era of each and what was read.

    Attributes
    ----------
    data : LabelledData
        All kept records, file after file (``meta["data_file"]`` names each record's file; ``path`` and
        ``lines`` locate records when there is one file).
    is_recent : ndarray of bool
        Whether each record comes from a recent file.
    sha256 : dict
        ``{file (relative to the data folder): sha256 of its bytes}``, for every file read.
    excluded : dict
        ``{file: {"labels": [...], "n": records left out}}`` for files with excluded labels.
    """

    data: LabelledData
    is_recent: np.ndarray
    sha256: dict
    excluded: dict


def read_eras(
    data_dir: str | os.PathLike,
    files: Mapping[str, str],
    *,
    exclude: Mapping[str, Sequence[str]] | None = None,
) -> EraData:
    """Read and merge the labelled ``files`` (paths relative to ``data_dir``), each of era ``"old"`` or ``"recent"``.

    Parameters
    ----------
    data_dir : path-like
        The data folder.
    files : mapping
        ``{relative path: "old" or "recent"}``, read in this order (:func:`~stance.training.data.read_labelled`,
        repeated texts allowed).
    exclude : mapping, optional
        ``{relative path: labels}``: records of that file with one of these labels are left out.

    Returns
    -------
    EraData

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name, rows in {"old.jsonl": [("bóng đá", "sport"), ("chứng khoán", "business")] * 2,
    ...                    "new.jsonl": [("điện thoại", "tech"), ("du lịch", "sport")] * 2}.items():
    ...     _ = (d / name).write_text("\\n".join(json.dumps({"text": f"{t} {i}", "label": l})
    ...                                          for i, (t, l) in enumerate(rows)))
    >>> eras = read_eras(d, {"old.jsonl": "old", "new.jsonl": "recent"}, exclude={"new.jsonl": ["sport"]})
    >>> eras.data.labels, eras.is_recent.tolist(), eras.excluded
    (('sport', 'business', 'sport', 'business', 'tech', 'tech'), [False, False, False, False, True, True], {'new.jsonl': {'labels': ['sport'], 'n': 2}})
    """
    exclude = dict(exclude or {})
    unknown = sorted(set(exclude) - set(files))
    if unknown:
        raise ValueError(f"exclude names files that are not read: {unknown}")
    texts: list[str] = []
    labels: list[str] = []
    meta: list[dict] = []
    recent: list[bool] = []
    lines: list[int] = []
    sha: dict[str, str] = {}
    excluded: dict[str, dict] = {}
    for rel, era in files.items():
        if era not in ("old", "recent"):
            raise ValueError(f"{rel}: era must be 'old' or 'recent', got {era!r}")
        path = Path(data_dir) / rel
        sha[rel] = sha256_of(path)
        part = read_labelled(path, allow_duplicates=True)
        drop = set(exclude.get(rel, ()))
        keep = [i for i, label in enumerate(part.labels) if label not in drop]
        if drop:
            excluded[rel] = {"labels": sorted(drop), "n": len(part) - len(keep)}
        texts += [part.texts[i] for i in keep]
        labels += [part.labels[i] for i in keep]
        meta += [{**part.meta[i], "data_file": rel} for i in keep]
        recent += [era == "recent"] * len(keep)
        lines += [part.lines[i] for i in keep] if part.lines else []
    single = len(files) == 1 and len(lines) == len(texts)  # one file: messages name its lines
    data = LabelledData(texts=tuple(texts), labels=tuple(labels), meta=tuple(meta),
                        path=str(Path(data_dir) / next(iter(files))) if single else str(data_dir),
                        lines=tuple(lines) if single else ())
    return EraData(data=data, is_recent=np.asarray(recent, dtype=bool), sha256=sha, excluded=excluded)
