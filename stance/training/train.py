"""Training: the default topic and stance models from ``../shared/data``, and models on your own data.

:func:`train_default` rebuilds a shipped model (``stance train --task topic`` / ``--task stance``);
:func:`train` fits a :class:`~stance.estimators.text_classifier.TextClassifier` on any labelled file that
:func:`stance.training.data.read_labelled` reads. Both cross-validate on the training data only, write the
model file (:func:`stance.persist.save`: one file, manifest inside) and a model card beside it. Before any
work they check that neither would overwrite an input or a file stance did not write
(:func:`stance.persist.check_outputs`).

Examples
--------
>>> import pathlib, tempfile, json
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> rows = [{"text": f"{t} {i}", "label": l} for i in range(6) for t, l in [("quân Mỹ ở Iraq", "a"), ("bóng đá", "b")]]
>>> _ = (d / "train.jsonl").write_text("\\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
>>> manifest = train(d / "train.jsonl", d / "model.stance", task="demo", cv_folds=2, min_df=1)
>>> manifest["labels"], sorted(p.name for p in d.iterdir())
(['a', 'b'], ['model.md', 'model.stance', 'train.jsonl'])
>>> train(d / "train.jsonl", d / "train.jsonl", task="demo")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
stance.persist.errors.UnsafeOutputError: ...train.jsonl: refusing to write the model over (or into) the input ...
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Mapping

from ..evaluation.protocols import cross_validate
from ..persist import PRETRAINED, SUFFIX, check_outputs, save
from .card import write_model_card
from ..estimators.pipeline import fit_with_groups
from ..display import display_path
from ..files import sha256_of
from ..progress import progress_bar
from .configs import DEFAULT_TASKS, own_data_model
from .configs import data_dir as resolve_data_dir
from .data import read_labelled
from .eras import era_sample_weight, read_eras
from .labelled import LabelledData

__all__ = ["train", "train_default"]


def _fit_and_save(
    model: Any,
    data: LabelledData,
    out: Path,
    *,
    task: str,
    groups_field: str | None,
    cv_folds: int,
    data_files: Mapping[str, str],
    description: str,
    progress: bool | None = None,
    sample_weight: Any = None,
    extra: Mapping[str, Any] | None = None,
    fit_params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    texts, labels = list(data.texts), list(data.labels)
    groups = data.groups(groups_field) if groups_field else None
    t0 = time.perf_counter()
    cv = cross_validate(
        model, texts, labels, groups=groups, n_splits=cv_folds, stance=task == "stance", n_bootstrap=200,
        progress=progress, sample_weight=sample_weight,
    )
    cv_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    with progress_bar(1, desc=f"fit on all {len(texts):,} examples", unit="fit", enabled=progress) as bar:
        fit_with_groups(model, texts, labels, groups, sample_weight, fit_params=fit_params)
        bar.update()
    fit_seconds = time.perf_counter() - t0
    m = cv["metrics"]
    metrics = {
        "protocol": cv["protocol"],
        "accuracy": m["accuracy"],
        "macro_f1": m["macro_f1"],
        "f_avg": m.get("f_avg"),
        "per_class": m["per_class"],
        "ci95": m.get("ci"),
        "ece": (m.get("calibration") or {}).get("ece"),
        "fit_seconds": round(fit_seconds, 1),
        "cv_seconds": round(cv_seconds, 1),
    }
    manifest = save(
        model,
        out,
        task=task,
        data=data_files,
        metrics=metrics,
        extra={"data_description": description, "n_examples": len(texts), "label_counts": data.label_counts(),
               **dict(extra or {})},
    )
    write_model_card(out, manifest)
    return manifest


def train_default(
    task: str, *, data_dir: str | os.PathLike | None = None, out: str | os.PathLike | None = None,
    progress: bool | None = None,
) -> dict[str, Any]:
    """Rebuild a default model from ``data_dir`` and write it (with manifest and card) to ``out``.

    Parameters
    ----------
    task : {"topic", "stance"}
        Which default model.
    data_dir : path-like, optional
        The shared data folder; default ``$STANCE_DATA``, else ``../shared/data`` (see
        :func:`stance.training.configs.data_dir`).
    out : path-like, optional
        Where to write; default the package's own ``pretrained/<task>.stance`` (the file
        :func:`stance.classify` loads: the default model is replaced).
    progress : bool, optional
        Progress bars (cross-validation folds, the final fit); by default when standard error is a terminal.

    Returns
    -------
    dict
        The manifest written.
    """
    if task not in DEFAULT_TASKS:
        raise ValueError(f"task must be one of {sorted(DEFAULT_TASKS)}, got {task!r}")
    spec = DEFAULT_TASKS[task]
    folder = resolve_data_dir(data_dir)
    out_path = Path(out) if out is not None else PRETRAINED / f"{task}{SUFFIX}"
    check_outputs(out_path, inputs=[folder / rel for rel in [*spec["data"], *([spec["articles"]] if spec.get("articles") else [])]])
    eras = read_eras(folder, spec["data"], exclude=spec.get("exclude"))
    unknown = sorted(set(eras.data.labels) - set(spec["labels"]))
    if unknown:
        where = sorted({m["data_file"] for m, label in zip(eras.data.meta, eras.data.labels) if label in unknown})
        raise ValueError(f"{', '.join(str(folder / w) for w in where)}: labels {unknown} are not labels "
                         f"of the {task} task ({sorted(spec['labels'])})")
    weights, extra = None, {}
    if eras.is_recent.any():
        weights = era_sample_weight(eras.is_recent, spec["recent_share"])
        extra["eras"] = {
            "recent_share": spec["recent_share"],
            "files": dict(spec["data"]),
            "excluded": eras.excluded,
            "n_recent": int(eras.is_recent.sum()),
            "weights": {"old": float(weights[~eras.is_recent][0]), "recent": float(weights[eras.is_recent][0])},
        }
    model = spec["make"]()
    data_files, fit_params = dict(eras.sha256), None
    if spec.get("articles"):  # whole articles labelled for article stance: the article model learns from them
        articles = folder / spec["articles"]
        fit_params = _article_params(model, read_labelled(articles, allow_duplicates=True))
        data_files[spec["articles"]] = sha256_of(articles)
    return _fit_and_save(
        model,
        eras.data,
        out_path,
        task=task,
        groups_field=spec["groups"],
        cv_folds=spec["cv_folds"],
        data_files=data_files,
        description=spec["description"],
        progress=progress,
        sample_weight=weights,
        extra=extra,
        fit_params=fit_params,
    )


def _article_params(model: Any, articles: LabelledData) -> dict[str, Any]:
    """The fit parameters of an article model: the articles cleaned by the model's own cleaner (an article that
    cleaning cuts to nothing is kept normalised, as :func:`stance.classify` reads it), labels and ids."""
    from ..api import _cleaned

    cleaned = _cleaned(model.steps[0][1], list(articles.texts))
    return {"articles": cleaned, "article_labels": list(articles.labels), "article_groups": articles.groups("id")}


def train(
    data: str | os.PathLike,
    out: str | os.PathLike,
    *,
    task: str = "custom",
    text_field: str = "text",
    label_field: str = "label",
    format: str | None = None,
    group_field: str | None = None,
    cv_folds: int = 5,
    allow_duplicates: bool = False,
    ngram_range: tuple[int, int] = (1, 2),
    min_df: int = 2,
    C: float = 0.5,
    class_weight: str | None = "balanced",
    progress: bool | None = None,
) -> dict[str, Any]:
    """Train a :class:`~stance.estimators.text_classifier.TextClassifier`, behind a
    :class:`~stance.text.clean.Cleaner`, on your own labelled data.

    The data is read and validated first (:func:`stance.training.data.read_labelled`: errors name the file,
    the line and the problem, and nothing is written when it fails); then the model is
    cross-validated, fitted on all the data and written to ``out`` with its manifest and a model
    card (``.md``) beside it.

    Parameters
    ----------
    data : path-like
        JSON Lines, CSV/TSV, or a folder with one sub-folder of ``.txt`` files per label.
    out : path-like
        The model file to write (any name; ``*.stance`` by convention). It may be new or a stance model file;
        a folder, an input, or a file stance did not write is refused before any work
        (:func:`stance.persist.check_outputs`).
    task : str, default="custom"
        A name for the task, recorded in the manifest.
    text_field, label_field : str
        Field (or column) names.
    format : {"jsonl", "csv", "tsv", "folder"}, optional
        Inferred from the path when omitted.
    group_field : str, optional
        A field grouping related texts (e.g. ``doc_id``): folds keep each group together.
    cv_folds : int, default=5
        Cross-validation folds for the recorded metrics.
    allow_duplicates : bool, default=False
        Accept repeated texts (with a warning) instead of failing.
    ngram_range, min_df, C, class_weight
        Passed to :class:`~stance.estimators.text_classifier.TextClassifier`, which also tunes its decision weights for
        macro-F1 (``tune_decision=True``).
    progress : bool, optional
        Progress bars (cross-validation folds, the final fit); by default when standard error is a terminal.

    Returns
    -------
    dict
        The manifest written.
    """
    path = Path(data)
    check_outputs(out, inputs=[path])
    labelled = read_labelled(  # k-fold cross-validation needs k examples of every label
        path, text_field=text_field, label_field=label_field, format=format, allow_duplicates=allow_duplicates,
        min_per_label=max(2, cv_folds),
    )
    model = own_data_model(ngram_range=ngram_range, min_df=min_df, C=C, class_weight=class_weight)
    files = {display_path(path.name): sha256_of(path)}
    return _fit_and_save(
        model,
        labelled,
        Path(out),
        task=task,
        groups_field=group_field,
        cv_folds=cv_folds,
        data_files=files,
        description=f"user data from {display_path(path.name)}",
        progress=progress,
    )
