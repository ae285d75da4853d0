"""The features both classifiers read: TF-IDF n-grams, optionally with stance cues, in one union.

:func:`make_features` builds the (unfitted) union; :func:`transform_features` applies a fitted one, calling a
lone transformer directly (FeatureUnion's per-call machinery costs more than the transform itself for one
document).

Examples
--------
>>> union = make_features(tokens="syllables", ngram_range=(1, 1), min_df=1, max_features=None,
...                       sublinear_tf=True, cues=True)
>>> [name for name, _ in union.transformer_list]
['tfidf', 'cues']
"""

from __future__ import annotations

from sklearn.pipeline import FeatureUnion

from .cues import StanceCues
from .vectorizer import TextVectorizer

__all__ = ["make_features", "transform_features"]


def make_features(
    *, tokens: str, ngram_range: tuple[int, int], min_df: int | float, max_features: int | None,
    sublinear_tf: bool, cues: bool,
) -> FeatureUnion:
    """TF-IDF (and cue) features of texts (cleaned before, by the model's :class:`~stance.text.clean.Cleaner`)."""
    parts: list[tuple[str, object]] = [
        (
            "tfidf",
            TextVectorizer(
                tokens=tokens, ngram_range=ngram_range, min_df=min_df, max_features=max_features,
                sublinear_tf=sublinear_tf,
            ),
        )
    ]
    if cues:
        parts.append(("cues", StanceCues()))
    return FeatureUnion(parts)


def transform_features(features: FeatureUnion, texts: list[str]):
    """``features.transform(texts)``, calling a lone transformer directly (FeatureUnion's per-call
    machinery costs more than the transform itself for one document)."""
    parts = features.transformer_list
    if len(parts) == 1:
        return parts[0][1].transform(texts)
    return features.transform(texts)
