"""The public entry points: :func:`classify` and :func:`classify_batch`, and their results.

Both load the default models shipped in the package once, lazily, on first use (or take models the
caller loaded with :func:`stance.load`). A document goes through the flow of ``DESIGN.md``: clean ->
passages -> topic of the whole article, stance of each passage -> the article's stance aggregated
from its passages, with the passages that carry the decision as evidence.

Examples
--------
>>> r = classify("Hàng nghìn người biểu tình đòi quân Mỹ rút khỏi Iraq.\\n"
...              "Họ gọi sự hiện diện của binh sĩ Mỹ là chiếm đóng.")
>>> r.stance
'anti'
>>> r.topic, r.topic_name
('The gioi', 'Thế giới')
>>> round(sum(r.stance_scores.values()), 6), round(sum(r.topic_scores.values()), 6)
(1.0, 1.0)
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .text.clean import clean, normalise
from .labels import topic_display_name
from .estimators.aggregate import aggregate_stance
from .text.segment import passages as cut_passages

__all__ = ["Passage", "Result", "Models", "classify", "classify_batch", "default_models"]


@dataclass(frozen=True)
class Passage:
    """One passage of an article and its stance.

    Attributes
    ----------
    index : int
        Position of the passage in the article (0-based).
    text : str
        The cleaned passage.
    stance : str
        Most probable stance label.
    stance_scores : Mapping[str, float]
        Probability of each stance label; sums to 1.
    """

    index: int
    text: str
    stance: str
    stance_scores: Mapping[str, float]


@dataclass(frozen=True)
class Result:
    """Topic and stance of one article.

    Attributes
    ----------
    topic : str
        Most probable topic label (VNTC's ASCII names for the default model).
    topic_name : str
        Its Vietnamese display name.
    topic_scores : Mapping[str, float]
        Probability of each topic; sums to 1.
    stance : str
        The article's stance toward US military presence abroad.
    stance_scores : Mapping[str, float]
        Probability of each stance label for the article; sums to 1.
    passages : tuple of Passage
        Every passage, in reading order, with its stance.
    evidence : tuple of Passage
        The passages that carry the article's stance, strongest first.
    """

    topic: str
    topic_name: str
    topic_scores: Mapping[str, float]
    stance: str
    stance_scores: Mapping[str, float]
    passages: tuple[Passage, ...]
    evidence: tuple[Passage, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-serialisable) of the result.

        Examples
        --------
        >>> sorted(classify("Quân Mỹ ở Iraq.").to_dict())
        ['evidence', 'passages', 'stance', 'stance_scores', 'topic', 'topic_name', 'topic_scores']
        """
        return asdict(self)


@dataclass(frozen=True)
class Models:
    """A topic model and a stance model used together by :func:`classify`.

    Attributes
    ----------
    topic : estimator
        Predicts topics of whole articles (``predict_proba`` and ``classes_``).
    stance : estimator
        Predicts stance probabilities of passages over labels that include ``"unrelated"``.
    """

    topic: Any
    stance: Any


_lock = threading.Lock()
_default: Models | None = None


def default_models() -> Models:
    """The models shipped in the package, loaded on first call and kept.

    Examples
    --------
    >>> default_models().stance.classes_.tolist()
    ['pro', 'anti', 'neutral', 'unrelated']
    """
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                from .persist import PRETRAINED, load

                _default = Models(
                    topic=load(PRETRAINED / "topic.joblib"),
                    stance=load(PRETRAINED / "stance.joblib"),
                )
    return _default


def _check_text(text: object, where: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{where}: expected str, got {type(text).__name__}")
    if not text.strip():
        raise ValueError(f"{where}: text is empty or only white space ({len(text)} characters)")
    return text


def classify(text: str, *, models: Models | None = None) -> Result:
    """Topic and stance of one article, with the stance of each of its passages.

    Parameters
    ----------
    text : str
        A news article or scraped page (HTML, page furniture and any Unicode form are cleaned).
    models : Models, optional
        Models to use instead of the shipped defaults.

    Returns
    -------
    Result

    Raises
    ------
    TypeError
        ``text`` is not a str.
    ValueError
        ``text`` is empty or only white space.

    Examples
    --------
    >>> r = classify("Thủ tướng Iraq đề nghị quân Mỹ ở lại để giúp huấn luyện quân đội Iraq chống IS.")
    >>> r.stance in r.stance_scores
    True
    >>> [p.stance for p in r.passages] == [r.passages[0].stance]
    True
    """
    return classify_batch([_check_text(text, "classify")], models=models)[0]


def classify_batch(texts: Iterable[str], *, models: Models | None = None) -> list[Result]:
    """Classify many articles at once (faster than calling :func:`classify` in a loop).

    Parameters
    ----------
    texts : iterable of str
        Articles; each must be a non-empty str.
    models : Models, optional
        Models to use instead of the shipped defaults.

    Returns
    -------
    list of Result
        One result per text, in order.

    Raises
    ------
    TypeError, ValueError
        As :func:`classify`, naming the position of the offending text.

    Examples
    --------
    >>> rs = classify_batch(["Quân Mỹ rút khỏi Iraq.", "Đội tuyển Việt Nam thắng Thái Lan 2-0."])
    >>> [r.topic for r in rs]
    ['The gioi', 'The thao']
    """
    if isinstance(texts, str):
        raise TypeError("classify_batch: expected an iterable of str, got a single str; use classify")
    raw = [_check_text(t, f"classify_batch: text {k}") for k, t in enumerate(texts)]
    if not raw:
        return []
    m = models or default_models()
    cleaned = [clean(t) for t in raw]
    # A page whose every line is furniture still gets a result, from its text normalised but not cut
    # (the same for every form of the same text; empty if nothing but markup and control characters).
    cleaned = [c if c else normalise(r) for c, r in zip(cleaned, raw)]
    per_doc = [cut_passages(c) or [c] for c in cleaned]
    topic_p = _proba_of_cleaned(m.topic, cleaned)
    flat = [p for doc in per_doc for p in doc]
    stance_p = _proba_of_cleaned(m.stance, flat)
    topic_classes = [str(c) for c in m.topic.classes_]
    stance_classes = [str(c) for c in m.stance.classes_]
    weights = np.asarray(getattr(m.stance, "decision_weights_", np.ones(len(stance_classes))))
    results = []
    start = 0
    for k, doc in enumerate(per_doc):
        P = stance_p[start : start + len(doc)]
        start += len(doc)
        results.append(_result(topic_p[k], topic_classes, doc, P, stance_classes, weights))
    return results


def _proba_of_cleaned(model: Any, texts: list[str]) -> np.ndarray:
    """Probabilities for cleaned texts, skipping the model's own cleaning when it offers that."""
    fast = getattr(model, "predict_proba_cleaned", None)
    return fast(texts) if fast is not None else model.predict_proba(texts)


def _scores(row: np.ndarray, classes: Sequence[str]) -> dict[str, float]:
    return {c: float(p) for c, p in zip(classes, row)}


def _result(
    topic_row: np.ndarray,
    topic_classes: Sequence[str],
    doc: Sequence[str],
    P: np.ndarray,
    stance_classes: Sequence[str],
    weights: np.ndarray,
) -> Result:
    labels = np.argmax(P * weights, axis=1)
    passages = tuple(
        Passage(index=i, text=t, stance=stance_classes[int(labels[i])], stance_scores=_scores(P[i], stance_classes))
        for i, t in enumerate(doc)
    )
    # The article's label is the argmax of its aggregated, calibrated scores. The decision weights were
    # tuned for passages; applied again to an average of passages they would push articles away from
    # neutral, against the guideline's "when unsure between a stance and neutral, choose neutral".
    article = aggregate_stance(P, stance_classes)
    topic = topic_classes[int(np.argmax(topic_row))]
    return Result(
        topic=topic,
        topic_name=topic_display_name(topic),
        topic_scores=_scores(topic_row, topic_classes),
        stance=article.label,
        stance_scores=dict(article.scores),
        passages=passages,
        evidence=tuple(passages[i] for i in article.evidence),
    )
