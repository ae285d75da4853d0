"""Model cards: a Markdown page beside each model (:func:`stance.persist.card_path`), written from its manifest.

The card's last line names its model file (:func:`stance.persist.card_marker`): a later save of the same
model may replace it, nothing else is ever replaced (:func:`stance.persist.check_outputs`).

Examples
--------
>>> import pathlib, tempfile
>>> manifest = {"task": "demo", "estimator": "stance.estimators.text_classifier.TextClassifier",
...             "created": "2026-01-01T00:00:00+00:00", "versions": {"stance": "0.1.0", "scikit-learn": "1.9.1"},
...             "labels": ["a", "b"], "metrics": {"accuracy": 0.75, "per_class": {"a": {"f1": 0.8}}}}
>>> card = write_model_card(pathlib.Path(tempfile.mkdtemp()) / "m.stance", manifest)
>>> text = card.read_text(encoding="utf-8")
>>> card.name, "| a |  | – | – | 0.8000 |" in text, text.splitlines()[-1]
('m.md', True, '<!-- stance model card of m.stance -->')
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from ..display import format_number as _fmt
from ..files import atomic_write
from ..display import display_path
from ..persist import card_marker, card_path, check_outputs

__all__ = ["write_model_card"]


def _era_lines(eras: Mapping[str, Any] | None) -> list[str]:
    """What the card says about era weights (nothing for a model trained without them)."""
    if not eras:
        return []
    left_out = "; ".join(f"`{f}` labels {', '.join(e['labels'])} left out ({e['n']} examples)"
                         for f, e in eras.get("excluded", {}).items())
    return [
        f"- Eras: {eras['n_recent']} recent examples carry {eras['recent_share']:.0%} of the training weight "
        f"(weight {_fmt(eras['weights']['recent'])} each, old examples {_fmt(eras['weights']['old'])})"
        + (f"; {left_out}" if left_out else ""),
    ]


def write_model_card(model_path: str | os.PathLike, manifest: Mapping[str, Any]) -> Path:
    """Write a Markdown model card beside the model (same stem, ``.md``) from its manifest.

    Refused (:class:`~stance.persist.UnsafeOutputError`) if the card's path holds anything but a card of
    this model.
    """
    model_path = Path(model_path)
    check_outputs(model_path)
    m = manifest.get("metrics", {})
    lines = [
        f"# Model card: {manifest['task']}",
        "",
        f"- Estimator: `{manifest['estimator']}`"
        + ("".join(f"; `{name}`: `{path}`" for name, path in manifest["steps"]) if manifest.get("steps") else ""),
        f"- Created: {manifest['created']} with stance {manifest['versions']['stance']}, "
        f"scikit-learn {manifest['versions']['scikit-learn']}",
        f"- Data: {manifest.get('data_description', '')}",
        *[f"  - `{name}` sha256 `{sha}`" for name, sha in manifest.get("data", {}).items()],
        f"- Examples: {manifest.get('n_examples')}",
        *_era_lines(manifest.get("eras")),
        *([f"- File: `{display_path(model_path.name)}`, {manifest['payload']['format']} payload of {manifest['payload']['bytes']:,} "
           f"bytes, sha256 `{manifest['payload']['sha256']}`"] if "format" in manifest.get("payload", {}) else []),
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
        "score lower. " + _probabilities_note(manifest),
        "",
        card_marker(display_path(model_path.name)),
        "",
    ]
    return atomic_write(card_path(model_path), "\n".join(lines))


_LOGISTIC = ("ArticleStanceClassifier", "PassageClassifier")


def _probabilities_note(manifest: Mapping[str, Any]) -> str:
    """What the card says of the probabilities: calibrated SVMs are calibrated on held-out folds; the stance
    model's logistic regressions are not, and docs/models.md measures them on unseen text."""
    steps = manifest.get("steps") or [[None, manifest.get("estimator", "")]]
    if str(steps[-1][-1]).rsplit(".", 1)[-1] in _LOGISTIC:
        return ("The label of a text is the argmax of its probabilities (logistic regressions, not recalibrated); "
                "docs/models.md measures the model on text it has not seen (held-out articles, held-out sources) "
                "against the plain baseline.")
    return "Probabilities are calibrated on held-out folds of the training data."
