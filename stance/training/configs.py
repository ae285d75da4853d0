"""The configurations of the default models and where their training data lives: :data:`DEFAULT_TASKS`.

Each task names its data files (relative to the data folder) with the era of each (``"old"`` or
``"recent"``), the labels of a file to leave out (``exclude``) and, for a task with recent files, the share
of the training weight the recent texts carry (``recent_share``, :func:`stance.training.eras.era_sample_weight`),
and for the stance task the whole articles its article model learns from (``articles``).

Examples
--------
>>> sorted(DEFAULT_TASKS), DEFAULT_TASKS["stance"]["groups"], DEFAULT_TASKS["topic"]["recent_share"]
(['stance', 'topic'], 'doc_id', 0.4)
>>> DEFAULT_TASKS["stance"]["exclude"], DEFAULT_TASKS["stance"]["articles"]
({'stance/train_more.jsonl': ['unrelated']}, 'stance/articles.jsonl')
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from sklearn.pipeline import Pipeline

from ..estimators.pipeline import with_cleaner
from ..estimators.article import ArticleStanceClassifier
from ..estimators.passage_classifier import PassageClassifier
from ..estimators.text_classifier import TextClassifier
from ..labels import STANCE_LABELS, TOPIC_LABELS

__all__ = ["DATA_ENV", "DEFAULT_DATA_DIR", "DEFAULT_TASKS", "data_dir", "own_data_model", "passage_baseline", "stance_model",
           "topic_model"]

DEFAULT_DATA_DIR = Path("../shared/data")
"""Where the training data of the default models lives, relative to the project root."""

DATA_ENV = "STANCE_DATA"
"""The environment variable naming the shared data folder (benchmarks and tests read it too)."""


def data_dir(given: str | os.PathLike | None = None) -> Path:
    """The shared data folder: ``given`` if not None, else ``$STANCE_DATA`` if set, else
    :data:`DEFAULT_DATA_DIR` (``../shared/data``, relative to the current directory).

    Examples
    --------
    >>> data_dir("/data/vi"), data_dir(None) == Path(os.environ.get("STANCE_DATA", "../shared/data"))
    (PosixPath('/data/vi'), True)
    """
    if given is not None:
        return Path(given)
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else DEFAULT_DATA_DIR


def topic_model() -> Pipeline:
    """The configuration of the default topic model (unfitted): a :class:`~stance.text.clean.Cleaner`, then a
    :class:`~stance.estimators.text_classifier.TextClassifier`.

    Syllable 1–2-grams with sublinear TF, the 200,000 most frequent kept (the model stays small and
    3-fold cross-validation on VNTC train loses nothing against the full 785k vocabulary; see
    ``docs/models.md``), a linear SVM with Platt-calibrated probabilities fitted on 2-fold out-of-fold
    scores, the folds fitted in parallel. No decision weights: its label is ``argmax(P)``. ``stance train
    --task topic`` fits it on VNTC train plus the recent sets, era-weighted (:data:`DEFAULT_TASKS`).
    """
    return with_cleaner(
        TextClassifier(
            ngram_range=(1, 2), min_df=2, max_features=200_000, sublinear_tf=True, C=1.0,
            calibration_folds=2, n_jobs=-1,
        )
    )


def stance_model() -> Pipeline:
    """The configuration of the default stance model (unfitted): a :class:`~stance.text.clean.Cleaner`, then an
    :class:`~stance.estimators.article.ArticleStanceClassifier` holding a
    :class:`~stance.estimators.passage_classifier.PassageClassifier` (syllable 1–2-gram TF-IDF, class-balanced
    logistic regression, C=3) and an article model (C=0.3) learned from labelled articles; see ``docs/models.md``.

    Examples
    --------
    >>> stance_model()[-1].passage_model.get_params()["C"], stance_model()[-1].C
    (3.0, 0.3)
    """
    return with_cleaner(ArticleStanceClassifier(passage_model=passage_baseline(), C=0.3))


def passage_baseline() -> PassageClassifier:
    """The plain passage baseline, which is also the shipped passage model's configuration: syllable 1–2-gram
    TF-IDF (sublinear, ``min_df=2``) + ``LogisticRegression(class_weight="balanced", C=3)``, label = argmax.

    Examples
    --------
    >>> passage_baseline().get_params()["class_weight"]
    'balanced'
    """
    return PassageClassifier(ngram_range=(1, 2), min_df=2, sublinear_tf=True, C=3.0, class_weight="balanced")


def own_data_model(
    *, ngram_range: tuple[int, int] = (1, 2), min_df: int = 2, C: float = 0.5, class_weight: str | None = "balanced"
) -> Pipeline:
    """What ``stance train DATA`` fits on your own labelled data (and ``stance evaluate --cv`` cross-validates
    without ``--task``): a :class:`~stance.text.clean.Cleaner`, then a
    :class:`~stance.estimators.text_classifier.TextClassifier` with class-balanced weights and decision weights
    tuned for macro-F1.

    Examples
    --------
    >>> own_data_model()[-1].get_params()["tune_decision"]
    True
    """
    return with_cleaner(
        TextClassifier(ngram_range=ngram_range, min_df=min_df, C=C, class_weight=class_weight, tune_decision=True)
    )


DEFAULT_TASKS: Mapping[str, Mapping[str, Any]] = {
    "topic": {
        "data": {
            "vntc/train.jsonl.xz": "old",
            "topic_recent/dantri_2020_2021.jsonl.xz": "recent",
            "topic_recent/vnexpress_2022.jsonl.xz": "recent",
        },
        # Dân trí's travel section was mapped to Doi song; it is 2021 tourism/Covid news, not VNTC's Đời sống
        # (lifestyle, family): left out (docs/models.md, "Era cross-validation").
        "exclude": {"topic_recent/dantri_2020_2021.jsonl.xz": ["Doi song"]},
        "recent_share": 0.4,
        "labels": TOPIC_LABELS,
        "make": topic_model,
        "groups": None,
        "cv_folds": 3,
        "description": "VNTC news topic corpus (Hoang et al., RIVF 2007), train split, 10 topics; plus Dân trí "
        "2020-21 (travel section left out) and VnExpress 2022 sections mapped onto them (topic_recent/), the "
        "recent articles weighted to carry 40% of the training weight",
    },
    "stance": {
        "data": {"stance/train.jsonl": "old", "stance/train_more.jsonl": "old"},
        # more labelled passages, less those with these labels (train_more's `unrelated` passages sit at the
        # stance boundary and push pro / anti toward unrelated across sources: docs/models.md)
        "exclude": {"stance/train_more.jsonl": ["unrelated"]},
        "articles": "stance/articles.jsonl",  # whole articles labelled for article stance: the article model
        "labels": STANCE_LABELS,
        "make": stance_model,
        "groups": "doc_id",
        "cv_folds": 5,
        "description": "Vietnamese news passages on foreign military presence, annotated for stance toward "
        "US military presence abroad (GUIDELINE.md): train.jsonl and the pro / anti / neutral passages of "
        "train_more.jsonl; whole articles of articles.jsonl for the article model; 5-fold CV grouped by doc_id",
    },
}
