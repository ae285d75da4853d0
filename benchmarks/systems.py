"""The systems compared, behind one small interface.

A system is a subclass of :class:`System` registered in :data:`SYSTEMS`.
The harness calls, in a fresh worker process per system::

    reason = system.unavailable()      # None, or why it cannot run
    model = system.train(texts, labels)
    artefact = system.save(model, folder)   # returns the file/folder written
    model = system.load(artefact)           # predictions use the reloaded model
    system.predict_batch(model, texts)      # throughput, accuracy, macro-F1
    system.predict_one(model, text)         # latency
    system.cold_start_code                  # run by ``python -c`` for cold start

To add a system, subclass :class:`System` and add an instance to
:data:`SYSTEMS` (or pass ``--systems module:attribute`` on the command line,
naming an instance or a zero-argument factory).
"""

from __future__ import annotations

import importlib
import os
import random
import re
import tempfile
from pathlib import Path
from typing import Any

_WORD = re.compile(r"(?u)\w+")


def syllables(text: str) -> str:
    """Lower-cased syllable tokens joined by single spaces.

    Vietnamese is written with spaces between syllables, so ``\\w+`` runs are
    syllables; punctuation is dropped.

    Examples
    --------
    >>> syllables("Hà Nội, 2007: Bộ Y tế.")
    'hà nội 2007 bộ y tế'
    """
    return " ".join(_WORD.findall(text.lower()))


class System:
    """A trainable topic classifier measured by the benchmark.

    Subclasses set :attr:`name`, :attr:`description`, :attr:`cold_start_code`
    and implement the methods below. Methods receive NFC-normalised text.

    Attributes
    ----------
    name : str
        Short identifier used on the command line and in the table.
    description : str
        The exact configuration, printed with the results.
    cold_start_code : str
        Python source run as ``python -c`` in a new process to time cold
        start. It sees ``MODEL_PATH`` (str, the path :meth:`save` returned)
        and ``TEXT`` (one document) and must bind the predicted label to
        ``label``; imports belong inside it, since they are part of cold start.
    parallel : bool
        Whether the all-cores measurement (a process pool over chunks, each
        worker loading the saved model) applies.
    """

    name: str = "system"
    description: str = ""
    cold_start_code: str = "label = None"
    parallel: bool = True

    def unavailable(self) -> str | None:
        """Return why the system cannot run here, or ``None`` if it can."""
        return None

    def train(self, texts: list[str], labels: list[str]) -> Any:
        """Fit a model on ``texts`` and ``labels`` and return it."""
        raise NotImplementedError

    def predict_batch(self, model: Any, texts: list[str]) -> list[str]:
        """Predict one label per text, using the system's batch path."""
        raise NotImplementedError

    def predict_one(self, model: Any, text: str) -> str:
        """Predict the label of a single text (the latency path)."""
        return self.predict_batch(model, [text])[0]

    def save(self, model: Any, folder: Path) -> Path:
        """Write the model under ``folder`` and return the artefact path."""
        raise NotImplementedError

    def load(self, path: Path) -> Any:
        """Load a model written by :meth:`save`."""
        raise NotImplementedError


def _missing(module: str, names: tuple[str, ...] = ()) -> str | None:
    """Why ``module`` (and attributes ``names`` in it) cannot be used, or None."""
    try:
        mod = importlib.import_module(module)
    except Exception as exc:  # noqa: BLE001 - any import failure is a reason
        return f"import {module} failed: {type(exc).__name__}: {exc}"
    for n in names:
        if not hasattr(mod, n):
            return f"{module}.{n} not found"
    return None


class UndertheseaCore(System):
    """``underthesea_core.TextClassifier``: Rust TF-IDF + linear SVM.

    Parameters
    ----------
    full_preprocessor : bool
        ``True`` embeds ``TextPreprocessor()`` with its defaults (NFC,
        lower-case, URL removal, repeated characters, punctuation, teencode,
        negation marking), as underthesea's own ``sen`` classifiers do.
        ``False`` embeds only NFC + lower-casing, which suits edited news.
    """

    def __init__(self, *, full_preprocessor: bool = False) -> None:
        self.full_preprocessor = full_preprocessor
        self.name = "underthesea_core" + ("+defaults" if full_preprocessor else "")
        pre = (
            "TextPreprocessor() (all default steps)"
            if full_preprocessor
            else "TextPreprocessor(use_defaults=False, remove_urls=False, "
            "normalize_repeated_chars=False, normalize_punctuation=False) (NFC + lower-case)"
        )
        self.description = (
            "underthesea_core.TextClassifier(max_features=20000, ngram_range=(1, 2), min_df=1, "
            f"max_df=1.0, c=1.0, max_iter=1000, tol=0.1, preprocessor={pre}); predict_batch / predict"
        )
        self.cold_start_code = (
            "from underthesea_core import TextClassifier\n"
            "clf = TextClassifier.load(MODEL_PATH)\n"
            "label = clf.predict(TEXT)\n"
        )

    def unavailable(self) -> str | None:
        return _missing("underthesea_core", ("TextClassifier", "TextPreprocessor"))

    def _preprocessor(self) -> Any:
        from underthesea_core import TextPreprocessor

        if self.full_preprocessor:
            return TextPreprocessor()
        return TextPreprocessor(
            use_defaults=False,
            remove_urls=False,
            normalize_repeated_chars=False,
            normalize_punctuation=False,
        )

    def train(self, texts: list[str], labels: list[str]) -> Any:
        from underthesea_core import TextClassifier

        clf = TextClassifier(
            max_features=20000,
            ngram_range=(1, 2),
            min_df=1,
            max_df=1.0,
            c=1.0,
            max_iter=1000,
            tol=0.1,
            preprocessor=self._preprocessor(),
        )
        clf.fit(texts, labels)
        return clf

    def predict_batch(self, model: Any, texts: list[str]) -> list[str]:
        return list(model.predict_batch(texts))

    def predict_one(self, model: Any, text: str) -> str:
        return str(model.predict(text))

    def save(self, model: Any, folder: Path) -> Path:
        path = folder / "model.bin"
        model.save(str(path))
        return path

    def load(self, path: Path) -> Any:
        from underthesea_core import TextClassifier

        return TextClassifier.load(str(path))


class FastText(System):
    """fastText supervised on lower-cased syllables (``fasttext`` bindings)."""

    name = "fasttext"
    params: dict[str, Any] = {
        "dim": 100,
        "epoch": 10,
        "wordNgrams": 2,
        "lr": 0.5,
        "minCount": 1,
        "bucket": 2_000_000,
        "loss": "softmax",
        "seed": 0,
    }
    description = (
        "fasttext.train_supervised(dim=100, epoch=10, wordNgrams=2, lr=0.5, minCount=1, "
        "bucket=2000000, loss='softmax', seed=0, thread=<usable cores>) on lower-cased \\w+ "
        "syllables, training lines shuffled with random.Random(0); "
        "model.predict(list) / model.predict(str)"
    )
    cold_start_code = (
        "import re, fasttext\n"
        "m = fasttext.load_model(MODEL_PATH)\n"
        "labels, _ = m.predict(' '.join(re.findall(r'(?u)\\w+', TEXT.lower())))\n"
        "label = labels[0][len('__label__'):].replace('_', ' ')\n"
    )

    def unavailable(self) -> str | None:
        return _missing("fasttext", ("train_supervised", "load_model"))

    @staticmethod
    def _label(raw: str) -> str:
        return raw[len("__label__") :].replace("_", " ")

    def train(self, texts: list[str], labels: list[str]) -> Any:
        import fasttext

        from benchmarks.measure import usable_cores

        # fastText's SGD sees lines in file order; VNTC is sorted by label, so shuffle.
        order = list(range(len(texts)))
        random.Random(0).shuffle(order)
        fd, tmp = tempfile.mkstemp(suffix=".txt", prefix="fasttext-train-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                for i in order:
                    f.write(f"__label__{labels[i].replace(' ', '_')} {syllables(texts[i])}\n")
            return fasttext.train_supervised(
                input=tmp, thread=usable_cores(), verbose=0, **self.params
            )
        finally:
            os.unlink(tmp)

    def predict_batch(self, model: Any, texts: list[str]) -> list[str]:
        labels, _ = model.predict([syllables(t) for t in texts])
        return [self._label(lab[0]) for lab in labels]

    def predict_one(self, model: Any, text: str) -> str:
        labels, _ = model.predict(syllables(text))
        return self._label(labels[0])

    def save(self, model: Any, folder: Path) -> Path:
        path = folder / "model.bin"
        model.save_model(str(path))
        return path

    def load(self, path: Path) -> Any:
        import fasttext

        return fasttext.load_model(str(path))


class SklearnTfidfSVC(System):
    """scikit-learn ``TfidfVectorizer(ngram_range=(1, 2))`` + ``LinearSVC``."""

    name = "sklearn"
    description = (
        "Pipeline(TfidfVectorizer(ngram_range=(1, 2), token_pattern=r'(?u)\\b\\w+\\b'), "
        "LinearSVC()) with default lower-casing; saved with joblib.dump (uncompressed)"
    )
    cold_start_code = (
        "import joblib\n"
        "pipe = joblib.load(MODEL_PATH)\n"
        "label = pipe.predict([TEXT])[0]\n"
    )

    def unavailable(self) -> str | None:
        return _missing("sklearn") or _missing("joblib")

    def train(self, texts: list[str], labels: list[str]) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline
        from sklearn.svm import LinearSVC

        pipe = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b"),
            LinearSVC(),
        )
        return pipe.fit(texts, labels)

    def predict_batch(self, model: Any, texts: list[str]) -> list[str]:
        return [str(x) for x in model.predict(texts)]

    def save(self, model: Any, folder: Path) -> Path:
        import joblib

        path = folder / "model.joblib"
        joblib.dump(model, path)
        return path

    def load(self, path: Path) -> Any:
        import joblib

        return joblib.load(path)


class Stance(System):
    """This project: the shipped topic model's configuration trained and saved through ``stance``'s API.

    Uses ``stance.training.configs.topic_model()`` (the configuration ``stance train --task topic`` ships; a
    scikit-learn estimator: ``fit(texts, labels)``, ``predict(texts)``), ``stance.save(model, path,
    task="topic")`` and ``stance.load(path, trusted=True)``. If any of these names is missing the system
    reports "not available: <reason>".
    """

    name = "stance"
    description = (
        "stance.training.configs.topic_model(), the shipped topic configuration (cleaning, TF-IDF syllable 1-2-grams, "
        "200k features, calibrated LinearSVC); fit / predict; stance.save / stance.load(trusted=True)"
    )
    cold_start_code = (
        "import stance\n"
        "model = stance.load(MODEL_PATH, trusted=True)\n"
        "label = str(model.predict([TEXT])[0])\n"
    )

    def unavailable(self) -> str | None:
        return _missing("stance", ("TextClassifier", "save", "load"))

    def train(self, texts: list[str], labels: list[str]) -> Any:
        import stance

        from stance.training.configs import topic_model

        return topic_model().fit(texts, labels)

    def predict_batch(self, model: Any, texts: list[str]) -> list[str]:
        return [str(x) for x in model.predict(texts)]

    def save(self, model: Any, folder: Path) -> Path:
        import stance
        from stance.persist import SUFFIX

        path = folder / f"topic{SUFFIX}"
        stance.save(model, path, task="topic")
        return path

    def load(self, path: Path) -> Any:
        import stance

        return stance.load(path)


SYSTEMS: dict[str, System] = {
    s.name: s
    for s in (
        UndertheseaCore(),
        UndertheseaCore(full_preprocessor=True),
        FastText(),
        SklearnTfidfSVC(),
        Stance(),
    )
}
"""Built-in systems by name, in table order."""

DEFAULT_SYSTEMS: tuple[str, ...] = ("underthesea_core", "fasttext", "sklearn", "stance")
"""Systems run when ``--systems`` is not given."""


class UnknownSystemError(ValueError):
    """A system name is neither built in nor an importable ``module:attribute``."""


def get_system(name: str) -> System:
    """Look a system up by name, or import it from ``module:attribute``.

    Parameters
    ----------
    name : str
        A key of :data:`SYSTEMS`, or ``"package.module:attr"`` naming a
        :class:`System` instance or a zero-argument callable returning one.

    Returns
    -------
    System

    Raises
    ------
    UnknownSystemError
        If the name is not known and cannot be imported.

    Examples
    --------
    >>> get_system("sklearn").name
    'sklearn'
    """
    if name in SYSTEMS:
        return SYSTEMS[name]
    if ":" in name:
        mod_name, _, attr = name.partition(":")
        try:
            obj = getattr(importlib.import_module(mod_name), attr)
        except (ImportError, AttributeError) as exc:
            raise UnknownSystemError(f"cannot import system {name!r}: {exc}") from exc
        system = obj if isinstance(obj, System) else obj()
        if not isinstance(system, System):
            raise UnknownSystemError(f"{name!r} gave {type(system).__name__}, not a System")
        return system
    raise UnknownSystemError(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}")
