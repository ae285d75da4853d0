"""Why a model decided what it did: the weights it learned and what they do to one text.

Both models are linear over features (TF-IDF n-grams; the topic model a linear SVM, the stance model's passage
step a logistic regression, :class:`stance.estimators.passage_classifier.PassageClassifier`; a model of your own
may add the ``cues__...`` counts of :class:`stance.features.cues.StanceCues`), so a text's score for a label is a
sum over the features present
in it of *feature value x weight*, plus an intercept. :func:`top_features` lists the largest weights of
each label (what a model has learned); :func:`feature_contributions` lists the largest terms of that
sum for one text; :func:`explain` puts them together for one article: its :class:`stance.api.Result`,
the passages that carry its stance, and the features behind the top passage and behind the topic.

Weights are keyed by *step*: a :class:`stance.estimators.text_classifier.TextClassifier` has one step, keyed by its labels
(``"anti"``, ``"The gioi"``); a :class:`stance.estimators.stance_classifier.StanceClassifier` has a relevance step and a
stance step, keyed ``"relevance:related"``, ``"relevance:unrelated"``, ``"stance:pro"``,
``"stance:anti"`` and ``"stance:neutral"`` (``"stance:<label>"`` for all four labels when
``two_step=False``). With two labels an SVM has one weight vector, for the second label; the first
label's weights are its negation (what pushes toward the first label pushes away from the second).

Feature names are readable: an n-gram is its text (``"chiếm đóng"``), a cue keeps its prefix
(``"cues__anti_with_target"``). The intercept is not a feature and is not listed, and the probabilities
are the SVM scores after calibration, so contributions explain the ranking of labels, not the
probabilities' exact values.

Examples
--------
>>> from stance.estimators.text_classifier import TextClassifier
>>> texts = ["Quân Mỹ rút khỏi Iraq", "Đội tuyển thắng trận", "Binh sĩ Mỹ ở Iraq", "Cầu thủ ghi bàn"] * 5
>>> labels = ["world", "sport", "world", "sport"] * 5
>>> model = TextClassifier(min_df=1, calibration_folds=2).fit(texts, labels)
>>> sorted(top_features(model, n=3))
['sport', 'world']
>>> [name for name, _ in top_features(model, n=2)["world"]]
['iraq', 'mỹ']
>>> contributions = feature_contributions(model, "Cầu thủ Mỹ", "sport", n=None)
>>> sorted(f for f, c in contributions if c > 0), [f for f, c in contributions if c < 0]
(['cầu', 'cầu thủ', 'thủ'], ['mỹ'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from .api import Result, classify, pretrained_model
from .display import scores_line, shorten
from .estimators.pipeline import final_estimator, split_cleaner
from .labels import topic_display_name
from .text.clean import Cleaner

__all__ = [
    "STANCE_NAMES_VI",
    "decision_score",
    "Explanation",
    "explain",
    "feature_contributions",
    "render_top_features",
    "top_features",
    "weight_rows",
]

STANCE_NAMES_VI: Mapping[str, str] = {
    "pro": "ủng hộ",
    "anti": "phản đối",
    "neutral": "trung lập",
    "unrelated": "không liên quan",
}
"""Vietnamese names of the stance labels, for pages and reports written in Vietnamese."""

_TFIDF_PREFIX = "tfidf__"


def _readable(name: str) -> str:
    return name[len(_TFIDF_PREFIX):] if name.startswith(_TFIDF_PREFIX) else name


def _svm_rows(svm: Any) -> dict[str, np.ndarray]:
    """Weight vector of each label of one linear SVM (binary: ``[-w, w]``)."""
    coef = np.asarray(svm.coef_, dtype=np.float64)
    classes = [str(c) for c in svm.classes_]
    if coef.shape[0] == 1 and len(classes) == 2:
        return {classes[0]: -coef[0], classes[1]: coef[0]}
    return {c: coef[k] for k, c in enumerate(classes)}


def _svm_intercepts(svm: Any) -> dict[str, float]:
    b = np.atleast_1d(np.asarray(svm.intercept_, dtype=np.float64))
    classes = [str(c) for c in svm.classes_]
    if len(b) == 1 and len(classes) == 2:
        return {classes[0]: -float(b[0]), classes[1]: float(b[0])}
    return {c: float(b[k]) for k, c in enumerate(classes)}


def _linear(model: Any) -> Any:
    """The linear estimator that scores passages: the final estimator of a pipeline, the passage model of an
    :class:`~stance.estimators.article.ArticleStanceClassifier`."""
    model = final_estimator(model)
    return getattr(model, "passage_", model)


def _steps(model: Any) -> list[tuple[str, Any]]:
    """(key prefix, linear model with ``coef_``) of each step of a model (of its final estimator, for a pipeline)."""
    model = _linear(model)
    if not hasattr(model, "features_"):
        raise TypeError(
            f"expected a fitted TextClassifier, PassageClassifier or StanceClassifier (with features_), got "
            f"{type(model).__name__}"
        )
    if hasattr(model, "stance_"):  # StanceClassifier
        steps = [] if getattr(model, "relevance_", None) is None else [("relevance:", model.relevance_)]
        return steps + [("stance:", model.stance_)]
    if hasattr(model, "calibrated_"):
        return [("", model.calibrated_)]
    if hasattr(model, "logistic_"):  # PassageClassifier
        return [("", model.logistic_)]
    raise TypeError(f"{type(model).__name__} has no calibrated SVM (calibrated_ or stance_)")


def weight_rows(model: Any) -> dict[str, np.ndarray]:
    """The SVM weight vector of every step and label of a model, over its feature columns.

    Parameters
    ----------
    model : TextClassifier or StanceClassifier
        A fitted model.

    Returns
    -------
    dict of str to ndarray
        Keys as in the module docstring (the labels of a TextClassifier or PassageClassifier, and of the
        shipped stance model's passage model; ``"relevance:..."`` and ``"stance:..."`` for a StanceClassifier),
        each a vector of length ``n_features``.

    Examples
    --------
    >>> from stance.api import pretrained_model
    >>> list(weight_rows(pretrained_model("stance")))
    ['anti', 'neutral', 'pro', 'unrelated']
    """
    rows: dict[str, np.ndarray] = {}
    for prefix, svm in _steps(model):
        for label, w in _svm_rows(svm).items():
            rows[prefix + label] = w
    return rows


def _intercepts(model: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for prefix, svm in _steps(model):
        for label, b in _svm_intercepts(svm).items():
            out[prefix + label] = b
    return out


def _feature_names(model: Any) -> list[str]:
    return [_readable(str(n)) for n in _linear(model).features_.get_feature_names_out()]


def top_features(model: Any, *, n: int = 20) -> dict[str, list[tuple[str, float]]]:
    """The features with the largest positive weights for each label (each step of a stance model).

    Parameters
    ----------
    model : TextClassifier or StanceClassifier
        A fitted model.
    n : int, default=20
        Features per label (fewer if fewer have a positive weight).

    Returns
    -------
    dict of str to list of (str, float)
        For each key of :func:`weight_rows`, ``(feature, weight)`` pairs, largest weight first; ties in
        column order.

    Examples
    --------
    >>> from stance.api import pretrained_model
    >>> tops = top_features(pretrained_model("stance"), n=5)
    >>> sorted(tops)
    ['anti', 'neutral', 'pro', 'unrelated']
    >>> all(w > 0 for pairs in tops.values() for _, w in pairs)
    True
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rows = weight_rows(model)
    names = _feature_names(model)
    out: dict[str, list[tuple[str, float]]] = {}
    for key, w in rows.items():
        order = np.argsort(-w, kind="stable")[:n]
        out[key] = [(names[i], float(w[i])) for i in order if w[i] > 0]
    return out


def _step_keys(model: Any, label: str) -> list[str]:
    """The weight rows that decide ``label``: for a two-step stance model, relevance then stance."""
    rows = weight_rows(model)
    if label in rows:
        return [label]
    keys = []
    if "relevance:related" in rows:
        keys.append("relevance:unrelated" if label == "unrelated" else "relevance:related")
    if f"stance:{label}" in rows:
        keys.append(f"stance:{label}")
    if not keys:
        raise ValueError(f"label {label!r} is not one of the model's labels {sorted(rows)}")
    return keys


def feature_contributions(
    model: Any, text: str, key: str, *, n: int | None = 10
) -> list[tuple[str, float]]:
    """Contribution (feature value x weight) of each feature present in ``text`` to the score of ``key``.

    The contributions of all features plus the step's intercept add up to the SVM's decision score
    for that label (for a TextClassifier, the column of :meth:`decision_function`).

    Parameters
    ----------
    model : TextClassifier or StanceClassifier
        A fitted model.
    text : str
        The text (cleaned here the same way the model cleans it).
    key : str
        A key of :func:`weight_rows`: a label of a TextClassifier, or ``"relevance:related"``,
        ``"stance:anti"``... of a StanceClassifier.
    n : int or None, default=10
        How many to return; None for all non-zero contributions.

    Returns
    -------
    list of (str, float)
        ``(feature, contribution)``, largest in magnitude first (ties in column order); negative
        contributions push away from the label.
    """
    rows = weight_rows(model)
    if key not in rows:
        raise ValueError(f"{key!r} is not a weight row of this model; expected one of {sorted(rows)}")
    cleaner, _ = split_cleaner(model)
    cleaned = (cleaner or Cleaner()).transform([text])[0] or text
    features = _linear(model).features_
    x = features.transform([cleaned]).tocsr()
    cols = x.indices
    contrib = np.asarray(x.data, dtype=np.float64) * rows[key][cols]
    keep = contrib != 0
    cols, contrib = cols[keep], contrib[keep]
    order = np.lexsort((cols, -np.abs(contrib)))
    if n is not None:
        order = order[:n]
    names = features.get_feature_names_out()
    return [(_readable(str(names[cols[i]])), float(contrib[i])) for i in order]


def decision_score(model: Any, text: str, key: str) -> float:
    """The SVM score of ``key`` for ``text``: the sum of all contributions plus the intercept."""
    total = sum(c for _, c in feature_contributions(model, text, key, n=None))
    return total + _intercepts(model)[key]


@dataclass(frozen=True)
class Explanation:
    """Why one article got its topic and stance.

    Attributes
    ----------
    result : stance.api.Result
        What :func:`stance.classify` returns for the text; its ``evidence`` are the passages that carry the
        article's stance, strongest first.
    passage_index : int
        The top passage (the first evidence passage, or the most probable one of the label when there is no
        evidence), whose features are in ``passage_features``.
    passage_features : Mapping[str, tuple of (str, float)]
        For each step that decides the article's stance label (see :func:`weight_rows`; e.g.
        ``"relevance:related"`` and ``"stance:anti"``), the features of the top passage with the
        largest contributions to it, largest in magnitude first.
    topic_features : tuple of (str, float)
        The features of the whole text with the largest contributions to its topic.
    """

    result: Result
    passage_index: int
    passage_features: Mapping[str, tuple[tuple[str, float], ...]]
    topic_features: tuple[tuple[str, float], ...]

    def to_text(self, *, width: int = 160) -> str:
        """A plain-text rendering for a person, in English (Vietnamese text and topic names quoted as they
        are), scores to 2 decimals.

        Parameters
        ----------
        width : int, default=160
            Passages longer than this many characters are cut with "…".
        """
        r = self.result
        label = r.stance
        lines = [
            f"topic: {r.topic} ({r.topic_name}) {r.topic_scores[r.topic]:.2f}",
            f"stance: {label} {r.stance_scores[label]:.2f}   ({scores_line(r.stance_scores)})",
            f"passages: {len(r.passages)}",
            "",
            f"passages that decide the stance '{label}' (probability of {label}):",
        ]
        if not r.evidence:
            lines.append("  (none)")
        for p in r.evidence:
            lines.append(f"  [{p.index}] {p.stance_scores[label]:.2f}  {shorten(p.text, width)}")
        lines += ["", f"features of passage [{self.passage_index}] (value × weight):"]
        for key, pairs in self.passage_features.items():
            lines.append(f"  {_step_name(key)}:")
            lines += _pairs_lines(pairs)
        lines += ["", f"features of the topic '{r.topic}' ({r.topic_name}) (value × weight):"]
        lines += _pairs_lines(self.topic_features)
        return "\n".join(lines) + "\n"


def _step_name(key: str) -> str:
    step, _, label = key.rpartition(":")
    if step == "relevance":
        return f"relevance step → {label}"
    if step == "stance":
        return f"stance step → {label}"
    return label


def _pairs_lines(pairs: tuple[tuple[str, float], ...]) -> list[str]:
    if not pairs:
        return ["    (none)"]
    return [f"    {c:+.2f}  {name}" for name, c in pairs]


def explain(text: str, *, topic_model: Any = None, stance_model: Any = None, n: int = 10) -> Explanation:
    """Classify one article and say why: evidence passages and the features behind the decisions.

    Parameters
    ----------
    text : str
        A news article or scraped page, as for :func:`stance.classify`.
    topic_model, stance_model : estimator, optional
        Models to use instead of the shipped ones (linear: a pipeline ending in a
        :class:`~stance.estimators.text_classifier.TextClassifier`,
        :class:`~stance.estimators.passage_classifier.PassageClassifier`,
        :class:`~stance.estimators.stance_classifier.StanceClassifier` or an
        :class:`~stance.estimators.article.ArticleStanceClassifier`, explained by its passage model).
    n : int, default=10
        Features listed for the top passage (per step) and for the topic.

    Returns
    -------
    Explanation

    Raises
    ------
    TypeError, ValueError
        As :func:`stance.classify`; TypeError also for models that are not linear (no weights).

    Examples
    --------
    >>> e = explain("Hàng nghìn người biểu tình đòi quân Mỹ rút khỏi Iraq.\\n"
    ...             "Họ gọi sự hiện diện của binh sĩ Mỹ là chiếm đóng.", n=5)
    >>> e.result.stance, list(e.passage_features)
    ('anti', ['anti'])
    >>> e.to_text().splitlines()[1].startswith("stance: anti ")
    True
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    topic_model = topic_model if topic_model is not None else pretrained_model("topic")
    stance_model = stance_model if stance_model is not None else pretrained_model("stance")
    result = classify(text, topic_model=topic_model, stance_model=stance_model)
    label = result.stance
    if result.evidence:
        top = result.evidence[0]
    else:  # no passage is at least half as probable as the strongest one: take the strongest
        top = max(result.passages, key=lambda p: (p.stance_scores[label], -p.index))
    passage_features = {
        key: tuple(feature_contributions(stance_model, top.text, key, n=n)) for key in _step_keys(stance_model, label)
    }
    return Explanation(
        result=result,
        passage_index=top.index,
        passage_features=passage_features,
        topic_features=tuple(feature_contributions(topic_model, text, result.topic, n=n)),
    )


def render_top_features(tops: Mapping[str, list[tuple[str, float]]]) -> str:
    """Plain-text rendering of :func:`top_features`: one block per key, weights to 2 decimals."""
    lines: list[str] = []
    for key, pairs in tops.items():
        name = topic_display_name(key) if ":" not in key else key
        lines.append(f"{key}" + (f" ({name})" if name != key else ""))
        lines += [f"  {w:+.2f}  {feat}" for feat, w in pairs] or ["  (none)"]
        lines.append("")
    return "\n".join(lines)
