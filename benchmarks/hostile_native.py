"""The ``native`` part of ``python -m benchmarks.hostile``: the compiled path against the Python path on every
pathological text of the ``api`` part (``python -m benchmarks.hostile --only native``).

Each text of :func:`benchmarks.hostile.api_cases` up to 4 million characters (surrogates, zalgo floods, 100k newlines, 1 MB
words, NUL bytes, bidi controls, deep HTML...) is classified by ``classify_batch`` on the compiled path (its
merged index built at once) and inside :func:`stance._native.disabled`: both must give the same result, or
refuse it with the same error, each within the api part's time limit. So are the hostile text families of
the ``text`` part (:data:`benchmarks.hostile_text.FAMILIES` at 4n: credit and dateline chains, combining floods,
invisibles...), the issue's own sizes and a seed article with each kind of invisible character in every word.
"""

from __future__ import annotations

import time
from typing import Any
from unittest.mock import patch

from benchmarks.hostile import API_SECONDS_LIMIT, Outcome, _short, api_cases, seed_text
from benchmarks.hostile_text import FAMILIES, INVISIBLES, ISSUE_SIZES

NATIVE_MAX_CHARS = 4_000_000


def _attempt(fn: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    try:
        out: Any = fn()
    except (TypeError, ValueError) as e:
        out = f"{type(e).__name__}: {e}"
    return out, time.perf_counter() - start


def run_native() -> list[Outcome]:
    """One outcome per text case: handled when both paths agree, each within the time limit."""
    from stance import _native
    from stance._native import features
    from stance.api import classify_batch, pretrained_model

    models = {"topic_model": pretrained_model("topic"), "stance_model": pretrained_model("stance")}
    if not _native.active():
        return [Outcome("native", "compiled path", False, "not active: the extension is not built")]
    outcomes = []
    for name, make in [*api_cases(), *text_cases()]:
        value = make()
        if not isinstance(value, str) or len(value) > NATIVE_MAX_CHARS:
            continue
        try:
            with patch.object(features, "BUILD_FROM", 0):
                fast, fast_s = _attempt(lambda: classify_batch([value], n_jobs=1, **models))
            with _native.disabled():
                ref, ref_s = _attempt(lambda: classify_batch([value], n_jobs=1, **models))
        except Exception as e:  # noqa: BLE001 - what must not escape
            outcomes.append(Outcome("native", name, False, f"CRASH {type(e).__name__}: {_short(str(e))}", crashed=True))
            continue
        same = fast == ref
        slow = max(fast_s, ref_s) > API_SECONDS_LIMIT
        detail = (f"same ({'refused' if isinstance(fast, str) else 'classified'}); compiled {fast_s:.2f} s, "
                  f"Python {ref_s:.2f} s") if same else f"DIFFERENT: {_short(str(fast))} vs {_short(str(ref))}"
        outcomes.append(Outcome("native", name, same and not slow, detail, fast_s))
    return outcomes


def text_cases() -> list[tuple[str, Any]]:
    """The text part's hostile families (at 4n), the issue's sizes, and the seed with invisibles in its words."""
    cases: list[tuple[str, Any]] = [(f"text: {name}", lambda make=make, n=n: make(4 * n))
                                    for name, (make, n) in FAMILIES.items()]
    cases += [(f"text: {name}", lambda text=text: text) for name, text in ISSUE_SIZES.items()]
    cases += [(f"text: seed, {name} in every word", lambda chars=chars: " ".join(
        word[:1] + chars + word[1:] for word in seed_text().split(" "))) for name, chars in INVISIBLES.items()]
    return cases
