"""The one list of what a model file may contain to load without ``trusted=True``: :data:`ALLOWED_TYPES`.

A model's payload is written with skops (a zip of a JSON ``schema.json`` describing the object tree and
``.npy`` arrays). :mod:`stance.persist.skops_payload` reads it without trust only if every object of the
tree is of a type listed here, by its dotted path (module where it is defined, then name), and only of the
kind listed:

- :data:`CLASSES`: classes whose instances are rebuilt (``cls.__new__`` then ``__setstate__`` or
  ``__dict__.update`` with the saved attributes): the package's own estimators and transformers, and
  the exact scikit-learn classes they hold;
- :data:`FUNCTIONS`: functions referenced by a model (the cleaning steps of a ``Cleaner``, the
  vectorizer's preprocessor and tokenizer); referenced, never called while loading;
- :data:`VALUES`: containers, scalars and numpy types (``dict``, ``list``, ``tuple``, ``str``,
  ``numpy.ndarray`` of a non-object dtype, ``numpy.float32``...).

When the package gets a new estimator, transformer or cleaning step, add it here:
``tests/test_persist_allowed.py`` walks the package and fails until it is listed, and checks that every
default model configuration (fitted) loads with this list alone.

Examples
--------
>>> "stance.estimators.text_classifier.TextClassifier" in ALLOWED_TYPES
True
>>> "builtins.eval" in ALLOWED_TYPES, "posix.system" in ALLOWED_TYPES
(False, False)
"""

from __future__ import annotations

__all__ = ["ALLOWED_TYPES", "CLASSES", "FUNCTIONS", "VALUES"]

CLASSES: frozenset[str] = frozenset(
    {
        # the package's own estimators and transformers (and the index a TextVectorizer holds)
        "stance.text.clean.Cleaner",
        "stance.features.vectorizer.TextVectorizer",
        "stance.features.ngram_index.NgramIndex",
        "stance.features.cues.StanceCues",
        "stance.estimators.calibration.CalibratedLinearSVC",
        "stance.estimators.text_classifier.TextClassifier",
        "stance.estimators.stance_classifier.StanceClassifier",
        "stance.estimators.passage_classifier.PassageClassifier",
        "stance.estimators.article.ArticleStanceClassifier",
        # the scikit-learn classes they hold
        "sklearn.pipeline.Pipeline",
        "sklearn.pipeline.FeatureUnion",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.isotonic.IsotonicRegression",  # CalibratedLinearSVC(calibration="isotonic")
        "sklearn.linear_model._logistic.LogisticRegression",  # PassageClassifier, ArticleStanceClassifier
        "sklearn.preprocessing._data.StandardScaler",  # ArticleStanceClassifier
    }
)
"""Classes rebuilt from their saved attributes."""

FUNCTIONS: frozenset[str] = frozenset(
    {
        # the cleaning steps (stance.text.clean.PIPELINE)
        "stance.text.normalize.normalize_unicode",
        "stance.text.normalize.strip_html",
        "stance.text.normalize.remove_control_characters",
        "stance.text.normalize.normalize_tone_marks",
        "stance.text.normalize.normalize_whitespace",
        "stance.text.furniture.drop_datelines",
        "stance.text.furniture.drop_photo_credits",
        "stance.text.furniture.drop_furniture_lines",
        "stance.text.furniture.drop_repeated_lines",
        "stance.text.furniture.drop_trailing_blocks",
        "stance.text.furniture.drop_trailing_signatures",
        # TextVectorizer's preprocessor (syllables) and tokenizer (words)
        "stance.features.vectorizer._lower",
        "stance.text.segment.words",
    }
)
"""Functions a model refers to."""

_NUMPY_SCALARS = ("bool", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                  "float16", "float32", "float64")

VALUES: frozenset[str] = frozenset(
    {
        *(f"builtins.{t}" for t in ("dict", "list", "tuple", "str", "int", "float", "bool", "NoneType")),
        "numpy.ndarray",
        *(f"numpy.{t}" for t in _NUMPY_SCALARS),
    }
)
"""Containers, scalars, numpy arrays (never of object dtype) and numpy scalar types (also as values of
attributes such as ``dtype=numpy.float32``)."""

ALLOWED_TYPES: frozenset[str] = CLASSES | FUNCTIONS | VALUES
"""Everything a model file may name to load without ``trusted=True``."""
