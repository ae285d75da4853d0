"""Accelerated twins of the cleaning steps, used only for the exact code they were checked against.

Each twin returns what its step of :mod:`stance.text.normalize` / :mod:`stance.text.furniture` returns,
for every ``str`` (hypothesis tests on arbitrary Unicode, and the full VNTC test set, check it): compiled
scans decide quickly that a step has nothing to do (no combining mark, no control character, no line
that can be furniture...), compiled loops do the character work (white space, tone marks), and whatever is
left runs the step's own regular expressions on the few lines that need them.

A twin stands for one version of its step: :data:`CHECKED` holds the :func:`~stance._native.fingerprint.fingerprint`
of the step it was checked against. :func:`fast_steps` swaps a step for its twin only when the step's
digest is that one (and the twin could be built from the module's current names); any other step, or an
edited one, runs as it is. Editing a step therefore never makes cleaning wrong, only slower, until
its twin is reviewed, re-checked (``tests/_native/``, ``python -m benchmarks.equivalence``) and its new
digest entered here.

Examples
--------
>>> from stance.text.clean import PIPELINE, clean
>>> steps = fast_steps(PIPELINE)
>>> text = "Binh sĩ Mỹ ở Iraq.\\nẢnh: AP\\n\\nĐường dây nóng: 0943 113 999"
>>> run_steps(steps, text) == clean(text)
True
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Callable, Sequence

from . import KERNELS as K
from . import active
from .fingerprint import fingerprint

__all__ = ["CHECKED", "FURNITURE_LITERALS", "accelerated", "fast_steps", "run_steps"]

Step = Callable[[str], str]

CHECKED: dict[str, str] = {
    "stance.text.normalize.normalize_unicode": "478aa25c1706414d",
    "stance.text.normalize.remove_control_characters": "c324224c062d4ebe",
    "stance.text.normalize.normalize_tone_marks": "2da0e252941b3164",
    "stance.text.normalize.normalize_whitespace": "c748a1795453b540",
    "stance.text.furniture.drop_datelines": "1cd388950152c1c1",
    "stance.text.furniture.drop_photo_credits": "26e9f96f26286ad4",
    "stance.text.furniture.drop_furniture_lines": "a87cd2b7591ca732",
    "stance.text.furniture.drop_repeated_lines": "18f8a08ee79af72d",
}
"""Step (module.name) -> digest of the version its twin was checked against."""

# Where each alternative of stance.text.furniture._FURNITURE needs one of its literals (" " = \s+): the
# pattern is matched at the line start and its prefixes are bounded (".{0,40}" ...), so a literal must
# start within that many characters of the line start (mode 0), or right after the leading "*" / white
# space (mode 1); -1: anywhere.
FURNITURE_LITERALS = (
    *[(w, 40, 0) for w in ("đường dây nóng", "hotline", "tổng đài")],           # .{0,40} hotlines
    ("báo lỗi", 30, 0),                                                           # .{0,30} báo lỗi
    *[(f"{a} {b}", 0, 1) for a in ("vui lòng", "xin vui lòng", "hãy")            # [*\s]* prompts
      for b in ("nhập", "điền", "chọn", "đăng nhập")],
    *[(w, 20, 0) for w in ("gửi bình luận", "viết bình luận", "bình luận của bạn", "gửi ý kiến")],
    *[(w, 30, 0) for w in ("chia sẻ", "share", "theo dõi")],                     # .{0,30}
    *[(w, 0, 0) for w in ("nguồn", "theo", "source",                              # ^(?:nguồn|theo|source)
                          "chờ", "loading", "đang tải",                           # ^ loaders
                          "tag", "từ khóa")],                                     # ^ tag lists
    ("|", -1, 0),                                                                 # bylines: a "|" anywhere
)
# A match of _CREDIT_SUFFIX ends its line and holds no colon after its own, so its colon is the line's
# last one and a credit word ends right before it (and white space).
_CREDIT_END = re.compile(r"(?:ảnh|photo|video|họa|chụp|clip)\Z", re.I)
# _DATELINE_CODE without its leading \s* (which keeps re from scanning for "("): every match of the
# full pattern holds one of this.
_DATELINE_CORE = re.compile(r"\(\s*[A-ZĐ]{2,6}\s*\)\s*[-–—]")


def _sre_case():
    import _sre
    from re._casefix import _EXTRA_CASES

    return _EXTRA_CASES, _sre.unicode_tolower, _sre.unicode_iscased


# --------------------------------------------------------------------------------------------------
# the twins, each built from the names of its step's module (a renamed helper: no twin)


def _normalize_unicode(N) -> Step:
    K.init_marks("".join(sorted(N._MARKS)))
    pileups = N._drop_mark_pileups
    has_marks = K.has_marks

    def normalize_unicode(text: str) -> str:
        if not text.isascii():
            if has_marks(text):
                text = pileups(text)
            text = unicodedata.normalize("NFC", text)
            if "ð" in text or "Ð" in text:
                text = text.replace("ð", "đ").replace("Ð", "Đ")
        return text

    return normalize_unicode


def _remove_control_characters(N) -> Step:
    ranges = N._INVISIBLE_RANGES
    if N._CONTROL.pattern != "[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]":
        raise ValueError("_CONTROL is no longer the class of _INVISIBLE_RANGES")
    K.init_controls(ranges)
    sub, normalize = N._CONTROL.sub, N.normalize_unicode
    has_controls = K.has_controls

    def remove_control_characters(text: str) -> str:
        return normalize(sub("", text)) if has_controls(text) else text

    return remove_control_characters


def _normalize_tone_marks(N) -> Step:
    K.init_tones(N._VOWEL_TONE, N._VOWELS, "".join(sorted(N._MARKED_VOWELS)))
    K.init_marks("".join(sorted(N._MARKS)))  # a word followed by a mark is left alone
    syllable = N._normalize_syllable
    kernel = K.normalize_tone_marks

    def normalize_tone_marks(text: str) -> str:
        return text if text.isascii() else kernel(text, syllable)

    return normalize_tone_marks


def _normalize_whitespace(N) -> Step:
    return K.normalize_whitespace


def _drop_datelines(F) -> Step:
    drop, core = F._drop_dateline, _DATELINE_CORE.search

    def drop_datelines(text: str) -> str:
        if "(" not in text:
            return text
        out = []
        for line in text.split("\n"):
            if "(" in line[:300] and (line[:1] == "(" or core(line, 0, 300)):
                line = drop(line)
            if line:
                out.append(line)
        return "\n".join(out)

    return drop_datelines


def _drop_photo_credits(F) -> Step:
    drop, end = F._drop_line_credits, _CREDIT_END.search

    def drop_photo_credits(text: str) -> str:
        if ":" not in text:
            return text
        out = []
        for line in text.split("\n"):
            if ":" in line:
                if end(line[: line.rindex(":")].rstrip()[-5:]):
                    line = drop(line)
                else:  # no credit can match: the step only strips the line's end
                    line = line.rstrip()
            if line:
                out.append(line)
        return "\n".join(out)

    return drop_photo_credits


def _drop_furniture_lines(F) -> Step:
    literals = K.LiteralSet(FURNITURE_LITERALS, *_sre_case())
    match = F._FURNITURE.match

    def drop_furniture_lines(text: str) -> str:
        hits = literals.hit_lines(text)
        if not hits:
            return "\n".join(line for line in text.split("\n") if line) if K.has_empty_line(text) else text
        hit = set(hits)
        return "\n".join(
            line for k, line in enumerate(text.split("\n")) if line and not (k in hit and match(line))
        )

    return drop_furniture_lines


def _drop_repeated_lines(F) -> Step:
    step = F.drop_repeated_lines

    def drop_repeated_lines(text: str) -> str:
        lines = text.split("\n")
        return text if len(set(lines)) == len(lines) else step(text)

    return drop_repeated_lines


_MAKERS: dict[str, Callable[[object], Step]] = {
    "stance.text.normalize.normalize_unicode": _normalize_unicode,
    "stance.text.normalize.remove_control_characters": _remove_control_characters,
    "stance.text.normalize.normalize_tone_marks": _normalize_tone_marks,
    "stance.text.normalize.normalize_whitespace": _normalize_whitespace,
    "stance.text.furniture.drop_datelines": _drop_datelines,
    "stance.text.furniture.drop_photo_credits": _drop_photo_credits,
    "stance.text.furniture.drop_furniture_lines": _drop_furniture_lines,
    "stance.text.furniture.drop_repeated_lines": _drop_repeated_lines,
}

_lock = threading.Lock()
_twins: dict[int, Step] = {}  # id(step) -> its twin, or the step itself
_keep: list[Step] = []  # the steps of _twins, kept alive so that their ids are not reused


def _key(step: Step) -> str:
    return f"{getattr(step, '__module__', '')}.{getattr(step, '__qualname__', '')}"


def accelerated(step: Step) -> Step:
    """The twin of ``step`` if it has one and ``step`` is the version the twin was checked against,
    else ``step`` itself."""
    twin = _twins.get(id(step))
    if twin is not None:
        return twin
    with _lock:
        key = _key(step)
        twin = step
        maker = _MAKERS.get(key)
        if maker is not None and fingerprint(step) == CHECKED[key]:
            import sys

            try:
                twin = maker(sys.modules[step.__module__])
            except (AttributeError, KeyError, TypeError, ValueError):  # the module changed its helpers
                twin = step
        _twins[id(step)] = twin
        _keep.append(step)
    return twin


def fast_steps(steps: Sequence[Step]) -> tuple[Step, ...]:
    """``steps`` with each step replaced by its twin where :func:`accelerated` allows it (all as they are
    when the compiled path is not :func:`~stance._native.active`)."""
    if not active():
        return tuple(steps)
    return tuple(accelerated(step) for step in steps)


def run_steps(steps: Sequence[Step], text: str) -> str:
    """Apply ``steps`` in order."""
    for step in steps:
        text = step(text)
    return text
