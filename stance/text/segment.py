"""Segmentation of cleaned text: paragraphs, sentences, passages, syllable and word tokens.

The input is the output of :func:`stance.text.clean.clean` (one paragraph per line). Passages are the unit
the stance model reads: the training passages are a sentence with one sentence of context either side,
so a paragraph of up to :data:`MAX_PASSAGE_SENTENCES` sentences is one passage and a longer paragraph is
cut into runs of that many sentences.

Examples
--------
>>> text = "Quân Mỹ rút khỏi Iraq.\\nÔng nói. Bà nói thêm. TP. HCM mưa."
>>> paragraphs(text)
['Quân Mỹ rút khỏi Iraq.', 'Ông nói. Bà nói thêm. TP. HCM mưa.']
>>> sentences("Ông nói. Bà nói thêm. TP. HCM mưa.")
['Ông nói.', 'Bà nói thêm.', 'TP. HCM mưa.']
>>> syllables("Quân Mỹ ở Iraq, 5.000 binh sĩ.")
['quân', 'mỹ', 'ở', 'iraq', '5', '000', 'binh', 'sĩ']
"""

from __future__ import annotations

import re

__all__ = [
    "MAX_PASSAGE_SENTENCES",
    "TOKEN_PATTERN",
    "paragraphs",
    "passages",
    "sentences",
    "syllables",
    "words",
]

MAX_PASSAGE_SENTENCES = 3
"""A paragraph with more sentences than this is cut into passages of this many sentences."""

TOKEN_PATTERN = r"(?u)\b\w+\b"
"""Syllable tokens: runs of word characters, one-letter syllables ("ở", "á") included.

scikit-learn's default ``token_pattern`` needs two characters and would drop them."""

_TOKEN = re.compile(TOKEN_PATTERN)

# A sentence ends at . ! ? or … (possibly followed by closing quotes or brackets), then space, then
# something that can start a sentence. The look-behind guards keep abbreviations and initials together.
_ABBREVIATIONS = frozenset(
    "tp tt q p ths ts pgs gs bs ks mr mrs ms dr st no vs v.v tr th ct ubnd hđnd ông bà".split()
)
_WORD_WINDOW = 40
_BOUNDARY = re.compile(r"(?<=[.!?…])([\"”’»)\]]*)\s+[\"“‘«(\[]?(\w)")


def paragraphs(text: str) -> list[str]:
    """Split cleaned text into paragraphs (its non-empty lines).

    Examples
    --------
    >>> paragraphs("Một.\\n\\nHai.")
    ['Một.', 'Hai.']
    """
    return [line.strip() for line in text.split("\n") if line.strip()]


def sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences.

    A fast rule-based splitter: a boundary is sentence-final punctuation followed by white space and a
    capital letter, a digit or an opening quote, unless the word before the period is a single letter or
    a common abbreviation ("TP.", "TS.", "Mr."). Agrees with ``underthesea.sent_tokenize`` on news text
    (the test suite measures the agreement) at a fraction of its cost.

    Examples
    --------
    >>> sentences('Ông nói: "Không." Bà Matviyenko nói thêm rằng Nga chưa nhận được yêu cầu nào.')
    ['Ông nói: "Không."', 'Bà Matviyenko nói thêm rằng Nga chưa nhận được yêu cầu nào.']
    >>> sentences("Ông George W. Bush tới Iraq.")
    ['Ông George W. Bush tới Iraq.']
    """
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(paragraph):
        if not (m.group(2).isupper() or m.group(2).isdigit()):
            continue
        # The word before the punctuation, looked for in a bounded window so a long paragraph of
        # abbreviations stays linear; a "word" longer than the window is no abbreviation anyway.
        window = paragraph[max(start, m.start() - _WORD_WINDOW) : m.start()]
        last = window.rsplit(None, 1)[-1] if window.strip() else ""
        word = last.rstrip(".!?…").lower()
        if not m.group(1) and last.endswith(".") and (len(word) <= 1 or word in _ABBREVIATIONS):
            continue
        piece = paragraph[start : m.start() + len(m.group(1))].strip()
        if piece:
            out.append(piece)
        start = m.end(1)
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


def passages(text: str, *, max_sentences: int = MAX_PASSAGE_SENTENCES) -> list[str]:
    """Cut cleaned text into passages: paragraphs, long ones split into runs of ``max_sentences``.

    Parameters
    ----------
    text : str
        Cleaned text, one paragraph per line.
    max_sentences : int, default=3
        Longest passage in sentences.

    Returns
    -------
    list of str
        Passages in reading order; every sentence of the text is in exactly one passage.

    Examples
    --------
    >>> passages("Tiêu đề\\nMột. Hai. Ba. Bốn. Năm.")
    ['Tiêu đề', 'Một. Hai. Ba.', 'Bốn. Năm.']
    """
    if max_sentences < 1:
        raise ValueError(f"max_sentences must be at least 1, got {max_sentences!r}")
    out: list[str] = []
    for para in paragraphs(text):
        sents = sentences(para)
        if len(sents) <= max_sentences:
            out.append(para)
            continue
        for k in range(0, len(sents), max_sentences):
            out.append(" ".join(sents[k : k + max_sentences]))
    return out


def syllables(text: str) -> list[str]:
    """Lower-cased syllable tokens (runs of word characters), as the default models see text.

    Examples
    --------
    >>> syllables("Ở Iraq, quân Mỹ...")
    ['ở', 'iraq', 'quân', 'mỹ']
    """
    return _TOKEN.findall(text.lower())


def words(text: str) -> list[str]:
    """Lower-cased words from underthesea's ``word_tokenize``, syllables of a word joined by ``_``.

    Slower than :func:`syllables` by two orders of magnitude (see ``docs/models.md`` for the measured
    cost and what it buys); tokens without a word character (punctuation) are dropped.

    Examples
    --------
    >>> words("Bộ trưởng Quốc phòng Mỹ nói")
    ['bộ_trưởng', 'quốc_phòng', 'mỹ', 'nói']
    """
    from underthesea import word_tokenize

    return [
        w.lower().replace(" ", "_")
        for w in word_tokenize(text)
        if _TOKEN.search(w)
    ]
