"""Cleaning scraped Vietnamese news pages: small pure ``str -> str`` steps and the :func:`clean` pipeline.

Each step does one thing, never raises on any ``str``, returns NFC text when given NFC text, and is
idempotent (applying it twice changes nothing more). :func:`clean` chains them in the order of
:data:`PIPELINE`; training and prediction both go through it, so a model sees at prediction time exactly
what it saw in training.

Paragraphs survive cleaning as lines: the output holds one paragraph per line, separated by ``"\\n"``,
with no empty lines.

Examples
--------
>>> clean("Binh sĩ Mỹ ở Iraq.\\nẢnh: AP\\n\\nĐường dây nóng: 0943 113 999")
'Binh sĩ Mỹ ở Iraq.'
>>> normalize_tone_marks("hoà bình, thuỷ lợi, liên luỵ")
'hòa bình, thủy lợi, liên lụy'
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache, reduce
from typing import Callable

__all__ = [
    "PIPELINE",
    "clean",
    "drop_datelines",
    "drop_furniture_lines",
    "drop_photo_credits",
    "drop_repeated_lines",
    "drop_trailing_blocks",
    "drop_trailing_signatures",
    "normalize_tone_marks",
    "normalize_unicode",
    "normalize_whitespace",
    "remove_control_characters",
    "strip_html",
]

# --------------------------------------------------------------------------------------------------
# Unicode, HTML and control characters


# Combining marks (canonical combining class > 0). CPython composes a run of them in time quadratic in
# its length, so a "zalgo" pile-up of thousands of marks on one letter would stall cleaning; no writing
# system needs more than a handful (Vietnamese: two). All such characters lie below U+20000.
_MAX_MARKS = 16


def _ranges(codepoints: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i in codepoints:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


_MARK_CLASS = "".join(
    f"\\U{a:08x}-\\U{b:08x}" for a, b in _ranges([i for i in range(0x20000) if unicodedata.combining(chr(i))])
)
# Unicode bounds (checked by the tests): a character's decomposition carries at most 3 marks and a mark
# decomposes into at most 2, so a run of at most 3 marks cannot exceed _MAX_MARKS in any form and only
# longer runs need looking at.
_MARK_RUN = re.compile(f"[{_MARK_CLASS}]{{4,}}")


def _decomposed_marks(text: str) -> int:
    return sum(1 for ch in unicodedata.normalize("NFD", text) if unicodedata.combining(ch))


_MARKS = frozenset(chr(i) for i in range(0x20000) if unicodedata.combining(chr(i)))


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


# C0 and C1 controls other than the white space ones, zero-width and bidi formatting characters, BOM,
# soft hyphen, and lone surrogates (not text: they cannot be encoded). Carriage returns, vertical tabs,
# form feeds and NEL (U+0085) separate words and lines: normalize_whitespace turns them into spaces and
# newlines, so they are kept here.
_CONTROL = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufff9-\ufffb"
    "\ud800-\udfff]"
)


def remove_control_characters(text: str) -> str:
    """Delete control, zero-width and formatting characters, keeping tabs and line breaks.

    Examples
    --------
    >>> remove_control_characters("Mỹ\\u200b rút\\x00 quân\\ufeff")
    'Mỹ rút quân'
    """
    return _CONTROL.sub("", text)


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


# --------------------------------------------------------------------------------------------------
# Page furniture: each rule is general (the shape of a kind of line), not a string from one page.

_CREDIT_WORDS = r"(?:nguồn\s+ảnh|ảnh\s+minh\s+họa|ảnh(?:\s+chụp)?|photo|video|đồ\s+họa|clip)"
# A credit at the end of a line: "… Ảnh: AP", "… Nguồn ảnh: Militarytimes." (at most ~6 words).
_CREDIT_SUFFIX = re.compile(
    r"(?:(?<=[.!?…\"”)])|(?<=^))\s*[(\[]?" + _CREDIT_WORDS + r"\s*:\s*[^.:!?\n]{1,60}?[.)\]]?\s*$",
    re.I,
)


def drop_photo_credits(text: str) -> str:
    """Remove photo-credit lines and credits appended to captions ("… Ảnh: AP").

    Examples
    --------
    >>> drop_photo_credits("Binh sĩ Mỹ tại Iraq. Ảnh: AP\\nẢnh: Reuters\\nÔng nói.")
    'Binh sĩ Mỹ tại Iraq.\\nÔng nói.'
    >>> drop_photo_credits("Ảnh hưởng: lớn.")
    'Ảnh hưởng: lớn.'
    """
    if ":" not in text:
        return text
    lines = []
    for line in text.split("\n"):
        while ":" in line:  # a credit can hide another one before it ("… Ảnh: A. Ảnh: B")
            stripped = _CREDIT_SUFFIX.sub("", line).rstrip()
            if stripped == line:
                break
            line = stripped
        if line:
            lines.append(line)
    return "\n".join(lines)


_FURNITURE = re.compile(
    r"""^(?:
        .{0,40}(?:đường\s+dây\s+nóng|hotline|tổng\s+đài)\s*:?\s*[\d\s.+()-]{6,}.{0,20}   # hotlines
      | .{0,30}báo\s+lỗi.{0,30}                                                           # report an error
      | [*\s]*(?:vui\s+lòng|xin\s+vui\s+lòng|hãy)\s+(?:nhập|điền|chọn|đăng\s+nhập).{0,80}   # form prompts
      | .{0,20}(?:gửi\s+bình\s+luận|viết\s+bình\s+luận|bình\s+luận\s+của\s+bạn|gửi\s+ý\s+kiến).{0,40}
      | .{0,30}(?:chia\s+sẻ|share)\s*(?:bài\s+viết|facebook|zalo|twitter).{0,30}
      | .{0,30}theo\s+dõi\s+.{0,40}\s+trên\s+(?:google\s+news|facebook|zalo|youtube).{0,20}
      | (?:nguồn|theo|source)\s*:?\s*\[?\s*link(?:\s+nguồn)?\s*\]?\.?                      # "Nguồn: [Link nguồn]"
      | [^\s|]{0,20}(?:\s+[^\s|]+){0,4}\s*\|                                              # "Tác giả |" bylines
      | (?:chờ|loading|đang\s+tải)\s*(?:\.{2,}|…)                                         # loaders
      | (?:tags?|từ\s+khóa)\s*:.{0,200}                                                    # tag lists
    )\s*$""",
    re.I | re.X,
)


def drop_furniture_lines(text: str) -> str:
    """Drop lines that are page furniture: hotlines, "report an error", form prompts, bylines, loaders.

    A line is dropped only when the whole line has the shape of furniture; a sentence of the article that
    mentions a hotline in passing is kept.

    Examples
    --------
    >>> drop_furniture_lines("Quân Mỹ rút.\\nĐường dây nóng: 0943 113 999\\nBáo lỗi cho Soha")
    'Quân Mỹ rút.'
    >>> drop_furniture_lines("*Vui lòng nhập đủ thông tin email hoặc số điện thoại\\nÔng nói.")
    'Ông nói.'
    """
    return "\n".join(line for line in text.split("\n") if line and not _FURNITURE.match(line))


# An agency or outlet dateline: "(NLĐ)- ", "(VOH) – ", "(Kiến Thức) - ". A short name in parentheses
# opening a paragraph, or a code of capitals in its first 300 characters (VNTC runs the title into the
# body, so the dateline follows the title on the same line).
_DATELINE_OPENING = re.compile(r"^(?:\(\s*[^\W\d_][^()\n]{0,20}\)\s*[-–—]+\s*)+")
_DATELINE_CODE = re.compile(r"\s*\(\s*([A-ZĐ]{2,6})\s*\)\s*[-–—]+\s*")
_NOT_DATELINES = frozenset({"IS", "ISIS", "NATO", "EU", "UN", "LHQ", "WHO", "WTO", "ASEAN", "USD", "VND"})


def _drop_dateline(line: str) -> str:
    line = _DATELINE_OPENING.sub("", line, count=1)
    pos = 0
    while m := _DATELINE_CODE.search(line, pos, 300):
        if m.group(1) in _NOT_DATELINES:
            pos = m.end()
            continue
        line = (line[: m.start()] + " " + line[m.end() :]).strip()
        line = _DATELINE_OPENING.sub("", line, count=1)
        pos = 0
    return line


def drop_datelines(text: str) -> str:
    """Remove agency / outlet datelines such as "(NLĐ)- " or "(VOH) – " from paragraph openings.

    They name the publisher, not the story, and would teach a model the outlet instead of the topic.

    Examples
    --------
    >>> drop_datelines("Thành lập dự án POLICY (NLĐ)- Quỹ hỗ trợ khẩn cấp vừa thành lập dự án.")
    'Thành lập dự án POLICY Quỹ hỗ trợ khẩn cấp vừa thành lập dự án.'
    >>> drop_datelines("(Kiến Thức) - Chính phủ Iraq vừa ra tối hậu thư.")
    'Chính phủ Iraq vừa ra tối hậu thư.'
    >>> drop_datelines("Nhà nước Hồi giáo (IS) – nhóm cực đoan; ông A (56 tuổi) - người dân")
    'Nhà nước Hồi giáo (IS) – nhóm cực đoan; ông A (56 tuổi) - người dân'
    """
    if "(" not in text:
        return text
    lines = (_drop_dateline(line) if "(" in line[:300] else line for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def drop_repeated_lines(text: str) -> str:
    """Keep only the first copy of a line repeated verbatim (captions printed twice, repeated titles).

    Examples
    --------
    >>> drop_repeated_lines("Tiêu đề\\nTiêu đề\\nNội dung.\\nChú thích.\\nChú thích.")
    'Tiêu đề\\nNội dung.\\nChú thích.'
    """
    seen: set[str] = set()
    kept = []
    for line in text.split("\n"):
        if line in seen:
            continue
        seen.add(line)
        kept.append(line)
    return "\n".join(kept)


_TRAILING_HEADER = re.compile(
    r"""^[\W_]*(?:
        (?:gallery|video|ảnh|tin|bài(?:\s+viết)?|clip)?\s*(?:mới\s+nhất|liên\s+quan|khác|nổi\s+bật|đọc\s+nhiều|xem\s+nhiều)
      | tin\s+cùng\s+chuyên\s+mục | cùng\s+chuyên\s+mục | xem\s+thêm | đọc\s+thêm | có\s+thể\s+bạn\s+quan\s+tâm
      | bạn\s+có\s+thể\s+quan\s+tâm | tin\s+tức\s+liên\s+quan | bài\s+cùng\s+chủ\s+đề | tiêu\s+điểm
      | gallery | related(?:\s+(?:news|stories|articles))? | more\s+stories | read\s+more
    )[\W_]*$""",
    re.I | re.X,
)


def drop_trailing_blocks(text: str) -> str:
    """Cut the block of other stories that pages append after the article ("GALLERY MỚI NHẤT", "Tin liên
    quan", "Xem thêm" ...).

    The cut happens at a short header line of that kind that stands after the first paragraph; the
    header and everything after it go.

    Examples
    --------
    >>> drop_trailing_blocks("Quân Mỹ rút.\\nÔng nói.\\nTIN LIÊN QUAN\\nLàng hương ngày Tết")
    'Quân Mỹ rút.\\nÔng nói.'
    """
    lines = text.split("\n")
    for k in range(1, len(lines)):
        if len(lines[k]) <= 40 and _TRAILING_HEADER.match(lines[k]):
            return "\n".join(lines[:k])
    return text


_SENTENCE_END = frozenset('.!?…"”»)')


def drop_trailing_signatures(text: str) -> str:
    """Drop short lines without sentence punctuation at the end of the page (author, outlet, site name).

    Lines of at most four words that do not end a sentence are removed from the end, one after another;
    the first paragraph is always kept.

    Examples
    --------
    >>> drop_trailing_signatures("Quân Mỹ rút khỏi Iraq.\\nThanh Hà\\nSoha")
    'Quân Mỹ rút khỏi Iraq.'
    >>> drop_trailing_signatures("Quân Mỹ rút khỏi Iraq.\\nÔng nói: có.")
    'Quân Mỹ rút khỏi Iraq.\\nÔng nói: có.'
    """
    lines = text.split("\n")
    end = len(lines)
    while end > 1 and lines[end - 1].count(" ") < 4 and lines[end - 1][-1:] not in _SENTENCE_END:
        end -= 1
    return text if end == len(lines) else "\n".join(lines[:end])


# --------------------------------------------------------------------------------------------------
# The pipeline

PIPELINE: tuple[Callable[[str], str], ...] = (
    normalize_unicode,  # first, so that NFC and NFD input are the same string for every later step
    strip_html,
    remove_control_characters,
    normalize_unicode,
    normalize_tone_marks,
    normalize_whitespace,
    drop_datelines,  # before the line rules: "(AP)- Ảnh: X" is a credit once its dateline is gone
    drop_photo_credits,
    drop_furniture_lines,
    drop_repeated_lines,
    drop_trailing_blocks,
    drop_trailing_signatures,
)
"""The steps of :func:`clean`, in order."""


def clean(text: str) -> str:
    """Clean a scraped page: every step of :data:`PIPELINE` in order.

    Parameters
    ----------
    text : str
        Raw page text, in any Unicode normalisation form, possibly with HTML, control characters and
        page furniture.

    Returns
    -------
    str
        NFC article text, one paragraph per line. Empty when nothing of the article is left.

    Examples
    --------
    >>> clean("Quân Mỹ ở Iraq\\nQuân Mỹ ở Iraq\\n\\nHoà đàm. Ảnh: AP\\n\\nBáo lỗi cho Soha")
    'Quân Mỹ ở Iraq\\nHòa đàm.'
    """
    return reduce(lambda acc, step: step(acc), PIPELINE, text)
