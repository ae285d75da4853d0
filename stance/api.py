"""The public entry points: :func:`classify` and :func:`classify_batch`, and their results.

Both use the models shipped in the package (:func:`pretrained_model`, loaded once, lazily, thread-safe)
unless the caller passes its own as ``topic_model=`` / ``stance_model=`` (for instance models loaded with
:func:`stance.load`). A document goes through the flow of ``docs/CONTRIBUTING.md``: clean -> passages ->
topic of the whole article, stance of each passage -> the article's stance decided from its passages by the
stance model's article model (:class:`~stance.estimators.article.ArticleStanceClassifier`; a model that only
scores passages falls back on the rule :func:`~stance.estimators.aggregate.aggregate_stance`), with the
passages that carry the article's label as evidence. Every label shown, of a passage or of an article, is the
argmax of the probabilities shown beside it.

Cleaning. A model is normally ``Pipeline([("clean", Cleaner(...)), ("classify", estimator)])``. The cleaner
is run here, by :func:`classify_batch`, once per article: the stance model's cleaner gives the text the
passages are cut from, the topic model's cleaner the text of the whole article (when the two cleaners are
equal, as for the shipped models, by ``get_params()``, the article is cleaned once), and the rest of each
pipeline receives the cleaned text. A model without a leading :class:`~stance.text.clean.Cleaner` (a
scikit-learn pipeline of your own, a bare estimator) receives text cleaned by the default ``Cleaner()``. An
article that cleaning cuts to nothing is classified from its text normalised but not cut
(:func:`stance.text.clean.normalise`).

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

from .estimators.aggregate import aggregate_stance, captions_in, evidence_indices
from .estimators.pipeline import final_estimator, split_cleaner
from .labels import display_order, topic_display_name
from ._native.cleaning import fast_steps, run_steps
from ._native.features import shared_tokens
from ._native.passages import article_passages
from .text.clean import NORMALISING_STEPS, Cleaner, normalise

__all__ = ["PARALLEL_MIN_TEXTS", "Passage", "Result", "classify", "classify_batch", "pretrained_model"]


@dataclass(frozen=True)
class Passage:
    """One passage of an article and its stance; the evidence of an article's stance is its strongest passages.

    Attributes
    ----------
    index : int
        Position of the passage in the article (0-based).
    text : str
        The cleaned passage.
    stance : str
        Most probable stance label: the argmax of ``stance_scores``.
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
        The article's stance toward US military presence abroad: the argmax of ``stance_scores``.
    stance_scores : Mapping[str, float]
        Probability of each stance label for the article (in :data:`stance.labels.STANCE_LABELS` order);
        sums to 1.
    passages : tuple of Passage
        Every passage, in reading order, with its stance.
    evidence : tuple of Passage
        The passages that carry the article's stance, strongest first: each labelled as the article, never a
        photo caption or credit line (:func:`stance.estimators.aggregate.evidence_indices`). Empty for
        ``unrelated`` (no passage is about the target), and when no passage on its own carries the label.
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

    def to_record(self, *, passages: bool = False) -> dict[str, Any]:
        """One flat row of the results table (``docs/scale.md``): the model columns of a classified article.

        Parameters
        ----------
        passages : bool, default=False
            Also include ``passages``: every passage with its label and probabilities.

        Returns
        -------
        dict
            ``topic``, ``topic_name``, ``topic_score`` (the topic's probability), ``stance``, one
            ``stance_<label>`` probability per stance label, ``evidence`` (a list of ``index``, ``text``,
            ``stance`` and ``score``, the passage's probability of its label) and, when asked,
            ``passages`` (a list of ``index``, ``text``, ``stance`` and its ``stance_<label>`` probabilities).

        Examples
        --------
        >>> row = classify("Quốc hội Iraq yêu cầu quân Mỹ rút khỏi nước này.").to_record()
        >>> list(row)
        ['topic', 'topic_name', 'topic_score', 'stance', 'stance_pro', 'stance_anti', 'stance_neutral', \
'stance_unrelated', 'evidence']
        >>> round(sum(row[f"stance_{k}"] for k in ("pro", "anti", "neutral", "unrelated")), 6)
        1.0
        """
        row: dict[str, Any] = {
            "topic": self.topic,
            "topic_name": self.topic_name,
            "topic_score": self.topic_scores[self.topic],
            "stance": self.stance,
            **{f"stance_{label}": p for label, p in self.stance_scores.items()},
            "evidence": [
                {"index": p.index, "text": p.text, "stance": p.stance, "score": p.stance_scores[p.stance]}
                for p in self.evidence
            ],
        }
        if passages:
            row["passages"] = [
                {"index": p.index, "text": p.text, "stance": p.stance,
                 **{f"stance_{label}": v for label, v in p.stance_scores.items()}}
                for p in self.passages
            ]
        return row


_TASKS = ("topic", "stance")
_lock = threading.Lock()
_pretrained: dict[str, Any] = {}
_DEFAULT_CLEANER = Cleaner()


def pretrained_model(task: str) -> Any:
    """The model shipped in the package for ``task`` (``"topic"`` or ``"stance"``), loaded on first call and kept.

    Examples
    --------
    >>> pretrained_model("stance").classes_.tolist()
    ['anti', 'neutral', 'pro', 'unrelated']
    """
    if task not in _TASKS:
        raise ValueError(f"task must be one of {_TASKS}, got {task!r}")
    model = _pretrained.get(task)
    if model is None:
        with _lock:
            model = _pretrained.get(task)
            if model is None:
                from .persist import PRETRAINED, SUFFIX, load

                model = _pretrained[task] = load(PRETRAINED / f"{task}{SUFFIX}")
    return model


def _check_text(text: object, where: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{where}: expected str, got {type(text).__name__}")
    if not text.strip():
        raise ValueError(f"{where}: text is empty or only white space ({len(text)} characters)")
    return text


def classify(text: str, *, topic_model: Any = None, stance_model: Any = None) -> Result:
    """Topic and stance of one article, with the stance of each of its passages.

    Parameters
    ----------
    text : str
        A news article or scraped page (HTML, page furniture and any Unicode form are cleaned).
    topic_model, stance_model : estimator, optional
        Models to use instead of the shipped ones (see the module docstring for how they get their text).

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
    return _classify_checked([_check_text(text, "classify")], topic_model, stance_model)[0]


PARALLEL_MIN_TEXTS = 1000
"""From this many texts on, :func:`classify_batch` uses worker processes (fewer are quicker in this one)."""


def classify_batch(
    texts: Iterable[str], *, topic_model: Any = None, stance_model: Any = None, n_jobs: int | None = None
) -> list[Result]:
    """Classify many articles at once (faster than calling :func:`classify` in a loop).

    Parameters
    ----------
    texts : iterable of str
        Articles; each must be a non-empty str. A pandas Series works (its values are the texts); for a
        DataFrame use :func:`stance.classify_frame`.
    topic_model, stance_model : estimator, optional
        Models to use instead of the shipped ones.
    n_jobs : int, optional
        Worker processes for a large batch (from :data:`PARALLEL_MIN_TEXTS` texts): None or -1 for every core,
        1 for this process only. Results are the same either way; a smaller batch is always classified here.

    Returns
    -------
    list of Result
        One result per text, in order.

    Raises
    ------
    TypeError, ValueError
        As :func:`classify`, naming the position of the offending text; TypeError for a table (DataFrame);
        ValueError also for a stance model whose labels lack ``"unrelated"``.

    Examples
    --------
    >>> rs = classify_batch(["Quân Mỹ rút khỏi Iraq.", "Đội tuyển Việt Nam thắng Thái Lan 2-0."])
    >>> [r.topic for r in rs]
    ['The gioi', 'The thao']
    """
    if isinstance(texts, str):
        raise TypeError("classify_batch: expected an iterable of str, got a single str; use classify")
    if hasattr(texts, "columns") and hasattr(texts, "dtypes"):
        raise TypeError(
            f"classify_batch: got a table ({type(texts).__module__}.{type(texts).__name__}); iterating it gives "
            "its column names, not its texts. Use stance.classify_frame(df, text='text') for a table (one row "
            "per article, other columns kept), or classify_batch(df['text']) for the texts alone"
        )
    from .bulk.parallel import resolve_jobs

    jobs = resolve_jobs(n_jobs)
    raw = [_check_text(t, f"classify_batch: text {k}") for k, t in enumerate(texts)]
    if not raw:
        return []
    if jobs > 1 and len(raw) >= PARALLEL_MIN_TEXTS:
        from .bulk.parallel import can_fork_workers, classify_parallel

        if can_fork_workers():
            return classify_parallel(raw, topic_model=topic_model, stance_model=stance_model, n_jobs=jobs)
    return _classify_checked(raw, topic_model, stance_model)


def _classify_checked(raw: list[str], topic_model: Any, stance_model: Any) -> list[Result]:
    return _results(_probabilities(raw, topic_model, stance_model))


@dataclass(frozen=True)
class _Probabilities:
    """A batch classified up to the probabilities: what a worker process sends back (quick to pickle, unlike
    results) for :func:`_results` to build the results from."""

    per_doc: list[list[str]]
    topic_p: np.ndarray
    passage_p: list[np.ndarray]
    article_p: np.ndarray
    topic_classes: tuple[list[str], list[int]]
    stance_classes: tuple[list[str], list[int]]
    topic_weights: np.ndarray
    captions: list[frozenset[str]]


def _probabilities(raw: list[str], topic_model: Any, stance_model: Any) -> _Probabilities:
    topic_cleaner, topic_rest = split_cleaner(topic_model if topic_model is not None else pretrained_model("topic"))
    stance_cleaner, stance_rest = split_cleaner(
        stance_model if stance_model is not None else pretrained_model("stance")
    )
    stance_cleaner = stance_cleaner or _DEFAULT_CLEANER
    topic_cleaner = topic_cleaner or _DEFAULT_CLEANER
    stance_texts = _cleaned(stance_cleaner, raw)
    topic_texts = stance_texts if _same(topic_cleaner, stance_cleaner) else _cleaned(topic_cleaner, raw)
    stance_classes = _ordered([str(c) for c in stance_rest.classes_])
    if "unrelated" not in stance_classes[0]:
        raise ValueError(f"stance_model: its labels {stance_classes[0]} must include 'unrelated' (an article is "
                         "about the target as much as its most related passage is)")
    flat, ptr, starts, ends = article_passages(stance_texts)
    per_doc = [flat[ptr[k] : ptr[k + 1]] for k in range(len(stance_texts))]
    # Each article is tokenised once for every TF-IDF of both models (stance._native.features).
    others = [] if topic_texts is stance_texts else [topic_texts]
    with shared_tokens((topic_rest, stance_rest), stance_texts, flat, ptr, starts, ends, others):
        topic_p = np.asarray(topic_rest.predict_proba(topic_texts))
        if hasattr(stance_rest, "predict_articles"):
            passage_p, article_p = stance_rest.predict_articles(per_doc, stance_texts)
        else:  # a passage model without an article step: the rule decides articles
            stance_p = np.asarray(stance_rest.predict_proba(flat))
            passage_p = [stance_p[ptr[k] : ptr[k + 1]] for k in range(len(per_doc))]
            article_p = np.vstack([[aggregate_stance(P, stance_classes[0]).scores[c] for c in stance_classes[0]]
                                   for P in passage_p])
    topic_classes = _ordered([str(c) for c in topic_rest.classes_])
    # The topic is the label the topic model's predict gives: argmax(P * decision_weights_) for a model tuned
    # for macro-F1 (what `stance train DATA` fits), argmax(P) for the default topic model (no weights).
    topic_weights = np.asarray(getattr(final_estimator(topic_rest), "decision_weights_", np.ones(len(topic_classes[0]))))
    article_p = np.asarray(article_p)
    # Captions are looked for only where there can be evidence (an unrelated article has none), in the page
    # normalised by the compiled twins of the normalising steps.
    steps = fast_steps(NORMALISING_STEPS)
    captions = [frozenset() if stance_classes[0][int(np.argmax(row))] == "unrelated"
                else captions_in(r, normalise=lambda text: run_steps(steps, text)) for r, row in zip(raw, article_p)]
    return _Probabilities(per_doc, topic_p, list(passage_p), article_p, topic_classes, stance_classes,
                          topic_weights, captions)


def _results(p: _Probabilities) -> list[Result]:
    return [_result(p.topic_p[k], p.topic_classes, doc, p.passage_p[k], p.article_p[k], p.stance_classes,
                    p.topic_weights, p.captions[k]) for k, doc in enumerate(p.per_doc)]


def _same(a: Cleaner, b: Cleaner) -> bool:
    """Whether two cleaners clean alike: equal ``get_params()`` (for a plain Cleaner, whose only parameter is
    ``steps``, the steps are compared directly: ``get_params`` introspects the constructor on every call)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    return a.steps == b.steps if type(a) is Cleaner else a.get_params() == b.get_params()


def _cleaned(cleaner: Cleaner, raw: list[str]) -> list[str]:
    # A page whose every line is furniture still gets a result, from its text normalised but not cut
    # (the same for every form of the same text; empty if nothing but markup and control characters).
    # A plain Cleaner runs its steps here, each replaced by its compiled twin where one was checked
    # against that very step (stance._native.cleaning): the same text, faster.
    if type(cleaner) is Cleaner and isinstance(cleaner.steps, (list, tuple)):
        steps = fast_steps(cleaner.steps)
        cleaned = [run_steps(steps, r) for r in raw]
    else:
        cleaned = cleaner.transform(raw)
    return [c if c else normalise(r) for c, r in zip(cleaned, raw)]


def _ordered(classes: list[str]) -> tuple[list[str], list[int]]:
    """The classes and the order their scores are shown in (:func:`stance.labels.display_order`)."""
    return classes, display_order(classes)


def _scores(row: np.ndarray, classes: tuple[list[str], list[int]]) -> dict[str, float]:
    names, order = classes
    return {names[k]: float(row[k]) for k in order}


def _result(
    topic_row: np.ndarray,
    topic_classes: tuple[list[str], list[int]],
    doc: Sequence[str],
    P: np.ndarray,
    article_row: np.ndarray,
    stance_classes: tuple[list[str], list[int]],
    topic_weights: np.ndarray,
    captions: frozenset[str],
) -> Result:
    # One decision rule: every stance label is the argmax of the probabilities shown beside it.
    names = stance_classes[0]
    labels = np.argmax(P, axis=1)
    passages = tuple(
        Passage(index=i, text=t, stance=names[int(labels[i])], stance_scores=_scores(P[i], stance_classes))
        for i, t in enumerate(doc)
    )
    label = names[int(np.argmax(article_row))]
    topic = topic_classes[0][int(np.argmax(topic_row * topic_weights))]
    return Result(
        topic=topic,
        topic_name=topic_display_name(topic),
        topic_scores=_scores(topic_row, topic_classes),
        stance=label,
        stance_scores=_scores(article_row, stance_classes),
        passages=passages,
        evidence=tuple(passages[i] for i in evidence_indices(P, doc, label, names, captions=captions)),
    )
