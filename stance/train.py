"""Training: the default topic and stance models from ``../shared/data``, and models on your own data.

:func:`train_default` rebuilds a shipped model (``stance train --task topic`` / ``--task stance``);
:func:`train` fits a :class:`~stance.models.TextClassifier` on any labelled file that
:func:`stance.data.read_labelled` reads. Both cross-validate on the training data only, write the
artefact with its manifest (:func:`stance.artefacts.save`) and a model card beside it.

Examples
--------
>>> import pathlib, tempfile, json
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> rows = [{"text": t, "label": l} for t, l in [("quân Mỹ ở Iraq", "a"), ("bóng đá", "b")] * 6]
>>> _ = (d / "train.jsonl").write_text("\\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
>>> manifest = train(d / "train.jsonl", d / "model.joblib", task="demo", cv_folds=2, min_df=1)
>>> manifest["labels"], sorted(p.name for p in d.iterdir())
(['a', 'b'], ['model.joblib', 'model.json', 'model.md', 'train.jsonl'])
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Mapping

from .artefacts import save
from .files import atomic_write
from .data import LabelledData, read_labelled, sha256_of
from .evaluate import cross_validate
from .labels import STANCE_LABELS, TOPIC_LABELS
from .models import StanceClassifier, TextClassifier

__all__ = [
    "DEFAULT_DATA_DIR",
    "DEFAULT_TASKS",
    "topic_model",
    "stance_model",
    "train",
    "train_default",
    "write_model_card",
]

DEFAULT_DATA_DIR = Path("../shared/data")
"""Where the training data of the default models lives, relative to the project root."""


def topic_model() -> TextClassifier:
    """The configuration of the default topic model (unfitted).

    Syllable 1–2-grams with sublinear TF, the 200,000 most frequent kept (the model stays small and
    3-fold cross-validation on VNTC train loses nothing against the full 785k vocabulary; see
    ``docs/models.md``), a linear SVM with Platt-calibrated probabilities fitted on 2-fold out-of-fold
    scores, the folds fitted in parallel (the whole training stays under a minute on 2 cores).
    """
    return TextClassifier(
        ngram_range=(1, 2), min_df=2, max_features=200_000, sublinear_tf=True, C=1.0,
        calibration_folds=2, n_jobs=-1,
    )


def stance_model() -> StanceClassifier:
    """The configuration of the default stance model (unfitted); see ``docs/models.md`` for why."""
    return StanceClassifier()


DEFAULT_TASKS: Mapping[str, Mapping[str, Any]] = {
    "topic": {
        "data": "vntc/train.jsonl.xz",
        "labels": TOPIC_LABELS,
        "make": topic_model,
        "groups": None,
        "cv_folds": 3,
        "description": "VNTC news topic corpus (Hoang et al., RIVF 2007), train split, 10 topics",
    },
    "stance": {
        "data": "stance/train.jsonl",
        "labels": STANCE_LABELS,
        "make": stance_model,
        "groups": "doc_id",
        "cv_folds": 5,
        "description": "Vietnamese news passages on foreign military presence, annotated for stance toward "
        "US military presence abroad (GUIDELINE.md); 5-fold CV grouped by doc_id",
    },
}


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
) -> dict[str, Any]:
    texts, labels = list(data.texts), list(data.labels)
    groups = list(data.meta_field(groups_field)) if groups_field else None
    t0 = time.perf_counter()
    cv = cross_validate(
        model, texts, labels, groups=groups, n_splits=cv_folds, stance=task == "stance", n_bootstrap=200
    )
    cv_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    if groups is not None:
        model.fit(texts, labels, groups=groups)
    else:
        model.fit(texts, labels)
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
        extra={"data_description": description, "n_examples": len(texts), "label_counts": data.label_counts()},
    )
    write_model_card(out, manifest)
    return manifest


def train_default(
    task: str, *, data_dir: str | os.PathLike = DEFAULT_DATA_DIR, out: str | os.PathLike | None = None
) -> dict[str, Any]:
    """Rebuild a default model from ``data_dir`` and write it (with manifest and card) to ``out``.

    Parameters
    ----------
    task : {"topic", "stance"}
        Which default model.
    data_dir : path-like
        The shared data folder (``../shared/data`` from the project root).
    out : path-like, optional
        Where to write; default ``stance/models/<task>.joblib`` under the current directory.

    Returns
    -------
    dict
        The manifest written.
    """
    if task not in DEFAULT_TASKS:
        raise ValueError(f"task must be one of {sorted(DEFAULT_TASKS)}, got {task!r}")
    spec = DEFAULT_TASKS[task]
    path = Path(data_dir) / spec["data"]
    data = read_labelled(path, allow_duplicates=True)
    unknown = sorted(set(data.labels) - set(spec["labels"]))
    if unknown:
        raise ValueError(f"{path}: labels {unknown} are not labels of the {task} task")
    out_path = Path(out) if out is not None else Path("stance") / "models" / f"{task}.joblib"
    return _fit_and_save(
        spec["make"](),
        data,
        out_path,
        task=task,
        groups_field=spec["groups"],
        cv_folds=spec["cv_folds"],
        data_files={spec["data"]: sha256_of(path)},
        description=spec["description"],
    )


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
) -> dict[str, Any]:
    """Train a :class:`~stance.models.TextClassifier` on your own labelled data.

    The data is read and validated first (:func:`stance.data.read_labelled`: errors name the file,
    the line and the problem, and nothing is written when it fails); then the model is
    cross-validated, fitted on all the data and written to ``out`` with its manifest and a model
    card (``.md``) beside it.

    Parameters
    ----------
    data : path-like
        JSON Lines, CSV/TSV, or a folder with one sub-folder of ``.txt`` files per label.
    out : path-like
        The model file to write (``*.joblib``).
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
        Passed to :class:`~stance.models.TextClassifier`, which also tunes its decision weights for
        macro-F1 (``tune_decision=True``).

    Returns
    -------
    dict
        The manifest written.
    """
    path = Path(data)
    labelled = read_labelled(
        path, text_field=text_field, label_field=label_field, format=format, allow_duplicates=allow_duplicates
    )
    model = TextClassifier(
        ngram_range=ngram_range, min_df=min_df, C=C, class_weight=class_weight, tune_decision=True
    )
    files = {path.name: sha256_of(path)}
    return _fit_and_save(
        model,
        labelled,
        Path(out),
        task=task,
        groups_field=group_field,
        cv_folds=cv_folds,
        data_files=files,
        description=f"user data from {path.name}",
    )


def _fmt(x: Any) -> str:
    return "–" if x is None else f"{x:.4f}" if isinstance(x, float) else str(x)


def write_model_card(model_path: str | os.PathLike, manifest: Mapping[str, Any]) -> Path:
    """Write a Markdown model card beside the model (same stem, ``.md``) from its manifest."""
    m = manifest.get("metrics", {})
    lines = [
        f"# Model card: {manifest['task']}",
        "",
        f"- Estimator: `{manifest['estimator']}`",
        f"- Created: {manifest['created']} with stance {manifest['versions']['stance']}, "
        f"scikit-learn {manifest['versions']['scikit-learn']}",
        f"- Data: {manifest.get('data_description', '')}",
        *[f"  - `{name}` sha256 `{sha}`" for name, sha in manifest.get("data", {}).items()],
        f"- Examples: {manifest.get('n_examples')}",
        "",
        "## Labels",
        "",
        "| label | examples | CV precision | CV recall | CV F1 |",
        "|---|---|---|---|---|",
    ]
    per_class = m.get("per_class", {})
    for label in manifest["labels"]:
        pc = per_class.get(label, {})
        lines.append(
            f"| {label} | {manifest.get('label_counts', {}).get(label, '')} | {_fmt(pc.get('precision'))} "
            f"| {_fmt(pc.get('recall'))} | {_fmt(pc.get('f1'))} |"
        )
    proto = m.get("protocol", {})
    lines += [
        "",
        "## Cross-validated metrics (training data only)",
        "",
        f"Protocol: {proto.get('kind', '')} {proto.get('n_splits', '')}-fold"
        f"{' grouped' if proto.get('grouped') else ''}, seed {proto.get('random_state', '')}.",
        "",
        f"- accuracy {_fmt(m.get('accuracy'))}",
        f"- macro-F1 {_fmt(m.get('macro_f1'))}",
        *([f"- F_avg (mean F1 of pro and anti) {_fmt(m.get('f_avg'))}"] if m.get("f_avg") is not None else []),
        *([f"- expected calibration error {_fmt(m.get('ece'))}"] if m.get("ece") is not None else []),
        f"- fit time {m.get('fit_seconds')} s",
        "",
        "## Parameters",
        "",
        "```",
        *[f"{k} = {v}" for k, v in sorted(manifest.get("params", {}).items())],
        "```",
        "",
        "## Intended use",
        "",
        "Classifying Vietnamese text like the training data (same genre, era and label definitions). "
        "Cross-validated figures estimate quality on such text; text from other sources or years can "
        "score lower. Probabilities are calibrated on held-out folds of the training data.",
        "",
    ]
    return atomic_write(Path(model_path).with_suffix(".md"), "\n".join(lines))
