"""Normalising scraped text: Unicode form, HTML, control characters, tone marks, white space.

Each step is a small pure ``str -> str`` function: it never raises on any ``str``, returns NFC text when
given NFC text, and is idempotent. They are the first steps of :data:`stance.text.clean.PIPELINE`
(:data:`stance.text.clean.NORMALISING_STEPS`): they change how the text is written, never what it says;
the steps that cut page furniture are in :mod:`stance.text.furniture`.

Examples
--------
>>> normalize_tone_marks("hoà bình, thuỷ lợi, liên luỵ")
'hòa bình, thủy lợi, liên lụy'
>>> normalize_whitespace(strip_html("<p>Quân Mỹ&nbsp;rút</p>"))
'Quân Mỹ rút'
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

__all__ = [
    "normalize_tone_marks",
    "normalize_unicode",
    "normalize_whitespace",
    "remove_control_characters",
    "strip_html",
]

# --------------------------------------------------------------------------------------------------
# Unicode, HTML and control characters


# Combining marks: characters of canonical combining class > 0, and the three (Tibetan U+0F73, U+0F75,
# U+0F81) whose canonical decomposition is made of such marks only. CPython puts a run of them in canonical
# order in time quadratic in its length, so a "zalgo" pile-up of thousands of marks on one letter would
# stall cleaning; no writing system needs more than a handful (Vietnamese: two). All such characters lie
# below U+20000.
_MAX_MARKS = 16


def _ranges(codepoints: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i in codepoints:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _is_mark(ch: str) -> bool:
    """Whether ``ch`` decomposes to (or is) combining marks that continue the run before it."""
    return bool(unicodedata.combining(ch) or unicodedata.combining(unicodedata.normalize("NFD", ch)[0]))


_MARK_CODEPOINTS = [i for i in range(0x20000) if _is_mark(chr(i))]
_MARK_CLASS = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _ranges(_MARK_CODEPOINTS))
# Unicode bounds (checked by the tests): a character's decomposition carries at most 3 marks and a mark
# decomposes into at most 2, so a run of at most 3 marks cannot exceed _MAX_MARKS in any form and only
# longer runs need looking at.
_MARK_RUN = re.compile(f"[{_MARK_CLASS}]{{4,}}")


def _decomposed_marks(text: str) -> int:
    return sum(1 for ch in unicodedata.normalize("NFD", text) if unicodedata.combining(ch))


_MARKS = frozenset(map(chr, _MARK_CODEPOINTS))


def _drop_mark_pileups(text: str) -> str:
    """Replace a letter carrying more than ``_MAX_MARKS`` combining marks by its bare base letter.

    The count is taken on the canonical decomposition, so NFC and NFD input give the same result.
    """
    if _MARKS.isdisjoint(text):  # the usual case, checked in C without the (slow) regex scan
        return text
    out: list[str] = []
    last = 0
    for m in _MARK_RUN.finditer(text):
        start = m.start()
        base = text[start - 1] if start > last else ""
        run = m.group()
        if len(run) <= _MAX_MARKS and _decomposed_marks(base + run) <= _MAX_MARKS:
            continue
        out.append(text[last : start - len(base)])
        out.append("".join(ch for ch in unicodedata.normalize("NFD", base) if not unicodedata.combining(ch)))
        last = m.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def normalize_unicode(text: str) -> str:
    """Compose the text to Unicode NFC and replace the Icelandic eth that legacy fonts use for "đ".

    A letter piled with more than 16 combining marks ("zalgo" text) is replaced by its bare base letter
    first: composing such piles takes time quadratic in their length.

    Examples
    --------
    >>> normalize_unicode("Vie\\u0302\\u0323t Nam") == "Việt Nam"
    True
    >>> normalize_unicode("ðường")
    'đường'
    >>> normalize_unicode("Mỹ" + "\\u0301\\u0323" * 20 + " rút")
    'My rút'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", _drop_mark_pileups(text))
        if "ð" in text or "Ð" in text:
            text = text.replace("ð", "đ").replace("Ð", "Đ")
    return text


# Every pattern stops at the next "<" and the tag name cannot trade characters with what follows it,
# so no input makes them backtrack over more than one tag's length (no quadratic time on "<br<br<br…").
_HTML_BLOCK_OPEN = re.compile(r"<(script|style|noscript)\b[^<>]*>|<!--", re.I)
_HTML_BLOCK_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style", "noscript")}
_HTML_BREAK = re.compile(r"<\s*(?:br|/p|/div|/h[1-6]|/li|/tr|p|div|li|h[1-6])\b[^<>]*>", re.I)
_HTML_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?![A-Za-z0-9-])|!DOCTYPE)[^<>]*>")
_HTML_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _drop_html_blocks(text: str) -> str:
    """Remove comments (to nothing) and script, style and noscript blocks (to a space), in one pass.

    An opener without its closer is left in place, and once one kind is known to be unclosed from
    some point on it is not searched for again, so the pass is linear in the length of the text.
    """
    out: list[str] = []
    last = pos = 0
    unclosed: set[str] = set()
    while (m := _HTML_BLOCK_OPEN.search(text, pos)) is not None:
        kind = (m.group(1) or "!--").lower()
        end = -1
        if kind not in unclosed:
            if kind == "!--":
                close = text.find("-->", m.end())
                end = close + 3 if close >= 0 else -1
            else:
                close_m = _HTML_BLOCK_CLOSE[kind].search(text, m.end())
                end = close_m.end() if close_m else -1
        if end < 0:
            unclosed.add(kind)
            pos = m.end()
            continue
        out.append(text[last : m.start()])
        out.append("" if kind == "!--" else " ")
        last = pos = end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def strip_html(text: str) -> str:
    """Remove HTML tags and decode HTML entities; block-level tags become line breaks.

    Text that merely contains ``<`` or ``&`` (``"a < b"``, ``"AT&T"``) is left alone: only well-formed
    tags and entities are touched. Entities are decoded once per call and the call repeats until
    nothing changes, so ``&amp;lt;`` does not come back as a tag on a second pass.

    Examples
    --------
    >>> strip_html("<p>Quân Mỹ&nbsp;rút khỏi <b>Iraq</b></p>")
    '\\nQuân Mỹ rút khỏi Iraq\\n'
    >>> strip_html("5 < 7 & AT&T")
    '5 < 7 & AT&T'
    """
    for _ in range(8):
        if "<" not in text and "&" not in text:
            return text
        new = _drop_html_blocks(text)
        new = _HTML_BREAK.sub("\n", new)
        new = _HTML_TAG.sub("", new)
        new = _HTML_ENTITY.sub(lambda m: html.unescape(m.group(0)), new)
        new = new.replace("\xa0", " ")
        if new == text:
            return text
        text = new
    return text


# Characters that are not seen: they can split a word without showing ("Mỹ" written "M\u2066ỹ") and must
# not change what a model reads. C0 and C1 controls other than the white space ones; every format character
# (Unicode category Cf: zero-width spaces and joiners, bidi marks, embeddings, overrides and isolates,
# U+061C, U+180E, soft hyphen, BOM, invisible operators, interlinear annotation, tag characters...); the
# default-ignorable code points (DerivedCoreProperties.txt: U+034F combining grapheme joiner, Hangul
# fillers, Khmer inherent vowels, Mongolian free variation selectors, variation selectors U+FE00-FE0F and
# U+E0100-E01EF, U+E0000-E0FFF); and lone surrogates (not text: they cannot be encoded). Carriage returns,
# vertical tabs, form feeds and NEL (U+0085) separate words and lines: normalize_whitespace turns them
# into spaces and newlines, so they are kept here.
_DEFAULT_IGNORABLE = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
]
"""Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt, Unicode 15.1)."""
_FORMAT = [i for i in range(0x20000) if unicodedata.category(chr(i)) == "Cf"]  # and E0001, E0020-E007F
_INVISIBLE_RANGES = _ranges(sorted(
    {*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0x85), *range(0x86, 0xA0), *_FORMAT,
     *(i for a, b in _DEFAULT_IGNORABLE[:-1] for i in range(a, b + 1))}
)) + [(0xD800, 0xDFFF), _DEFAULT_IGNORABLE[-1]]
_CONTROL = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _INVISIBLE_RANGES) + "]")


def remove_control_characters(text: str) -> str:
    """Delete control characters and every invisible one (format characters of category Cf,
    default-ignorable code points such as variation selectors and tag characters, lone surrogates),
    keeping tabs and line breaks.

    A removal can bring a letter and a combining mark together: the result then goes through
    :func:`normalize_unicode` (linear time), so that NFC text stays NFC.

    Examples
    --------
    >>> remove_control_characters("Mỹ\\u200b rút\\x00 quân\\ufeff")
    'Mỹ rút quân'
    >>> remove_control_characters("M\\u2066ỹ r\\u034fút qu\\ufe0fân I\\U000e0041raq")
    'Mỹ rút quân Iraq'
    >>> remove_control_characters("Vie\\u200b\\u0302\\u0323t") == "Việt"
    True
    """
    text, removed = _CONTROL.subn("", text)
    return normalize_unicode(text) if removed else text


# --------------------------------------------------------------------------------------------------
# Tone-mark placement

_TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # none, huyền, sắc, hỏi, ngã, nặng
_VOWELS = "aăâeêioôơuưy"
_MARKED_VOWELS = frozenset("ăâêôơư")


def _build_vowel_table() -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for base in _VOWELS + _VOWELS.upper():
        for tone, mark in enumerate(_TONE_MARKS):
            table[unicodedata.normalize("NFC", base + mark)] = (base, tone)
    return table


_VOWEL_TONE = _build_vowel_table()
_TONED = {(base, tone): char for char, (base, tone) in _VOWEL_TONE.items()}
_ONSETS = frozenset(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split() + [""]
)
_CODAS = frozenset(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])
_TONED_CHARS = "".join(c for c, (_, t) in _VOWEL_TONE.items() if t)
_ALL_VOWELS = "".join(_VOWEL_TONE)
# Where a misplaced tone can be: a toned vowel followed by another vowel ("hòan", "ngòai", also the
# correct "mùa"), or a toned vowel ending a word after another vowel ("hoà", "thuỷ"). Only the words
# around these spots are looked at, which keeps the step off the hot path's profile.
_CANDIDATE = re.compile(f"[{_TONED_CHARS}][{_ALL_VOWELS}]|[{_ALL_VOWELS}][{_TONED_CHARS}](?![^\\W\\d_])")


def _tone_position(onset_len: int, letters: str) -> int | None:
    """Index in ``letters`` (lower-case, toneless) of the vowel that carries the tone, or None."""
    i = onset_len
    j = i
    while j < len(letters) and letters[j] in _VOWELS:
        j += 1
    nucleus, coda = letters[i:j], letters[j:]
    if not nucleus or coda not in _CODAS or len(nucleus) > 3:
        return None
    marked = [k for k, ch in enumerate(nucleus) if ch in _MARKED_VOWELS]
    if marked:
        return i + marked[-1]
    if coda or len(nucleus) == 1:
        return i + len(nucleus) - 1
    if len(nucleus) == 2:
        return i
    return i + 1


@lru_cache(maxsize=65536)
def _normalize_syllable(word: str) -> str:
    bases = []
    tone, tone_at = 0, -1
    for k, ch in enumerate(word):
        info = _VOWEL_TONE.get(ch)
        if info is None:
            bases.append(ch)
            continue
        base, t = info
        bases.append(base)
        if t:
            if tone:  # two tone marks: not a syllable we understand
                return word
            tone, tone_at = t, k
    if not tone:
        return word
    letters = "".join(bases).lower()
    onset = 0
    while onset < len(letters) and letters[onset] not in _VOWELS:
        onset += 1
    if letters.startswith("gi") and onset == 1 and len(letters) > 2 and letters[2] in _VOWELS:
        onset = 2
    elif letters.startswith("qu") and onset == 1 and len(letters) > 2 and letters[2] in _VOWELS:
        onset = 2
    if letters[:onset] not in _ONSETS:
        return word
    target = _tone_position(onset, letters)
    if target is None or target == tone_at:
        return word
    chars = list(bases)
    chars[target] = _TONED[(bases[target], tone)]
    return "".join(chars)


def normalize_tone_marks(text: str) -> str:
    """Put every tone mark on the vowel where traditional orthography places it.

    One form for each syllable: ``hoà`` and ``hòa`` both become ``hòa``, ``thuỷ`` becomes ``thủy``,
    ``luỵ`` becomes ``lụy``, and misplaced marks such as ``baì`` become ``bài``. This is the form that
    ``underthesea.text_normalize`` produces (the test suite checks the two agree), computed from the
    spelling rules with a cache instead of a tokenizer and a lookup table, so it runs in the hot path.
    Words that are not a single Vietnamese syllable (names, foreign words) are left untouched. Expects
    NFC input (see :func:`normalize_unicode`).

    Examples
    --------
    >>> normalize_tone_marks("Thuỷ quân lục chiến Mỹ hoà giải")
    'Thủy quân lục chiến Mỹ hòa giải'
    >>> normalize_tone_marks("José Hoà")
    'José Hòa'
    """
    if text.isascii():
        return text
    pieces: list[str] = []
    last = done = 0
    for m in _CANDIDATE.finditer(text):
        if m.start() < done:
            continue  # another spot of a word already looked at
        a = m.start()
        while a > 0 and text[a - 1].isalpha():
            a -= 1
        b = m.end()
        while b < len(text) and text[b].isalpha():
            b += 1
        done = b
        if b < len(text) and text[b] in _MARKS:  # a stray mark after the word would compose with its last letter
            continue
        word = text[a:b]
        fixed = _normalize_syllable(word) if len(word) <= 7 else word
        if fixed != word:
            pieces += (text[last:a], fixed)
            last = b
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


# --------------------------------------------------------------------------------------------------
# Whitespace and paragraphs

_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def normalize_whitespace(text: str) -> str:
    """One space between words, one paragraph per line, no empty lines, no spaces at line ends.

    Examples
    --------
    >>> normalize_whitespace("  Quân   Mỹ\\u00a0rút \\r\\n\\r\\n\\n Iraq  ")
    'Quân Mỹ rút\\nIraq'
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
