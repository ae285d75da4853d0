# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
# cython: nonecheck=False, embedsignature=True
# distutils: language = c++
"""Compiled hot loops of stance's cleaning, segmentation and TF-IDF, exact twins of the Python reference.

Every public function here has a pure-Python reference in :mod:`stance._native.reference` and returns exactly
what the reference returns (the tests prove it with hypothesis and on the full VNTC test set):

* character-class tables built once at import from CPython's own Unicode database (the same predicates
  ``re`` and ``str`` methods use: ``\\w`` = ``Py_UNICODE_ISALNUM`` or ``_``, ``\\s`` = ``Py_UNICODE_ISSPACE``...)
* cleaning: :func:`has_marks`, :func:`has_controls` (their tables given by the Python steps' module through
  :func:`init_marks` and :func:`init_controls`), :func:`normalize_whitespace`, :func:`normalize_tone_marks`, and :class:`LiteralSet`, an exact pre-filter with the case-insensitive
  semantics of ``re.IGNORECASE`` that tells which lines can possibly match a furniture / credit regex;
* segmentation: :func:`passage_spans` (passages with their character spans in the cleaned text);
* features: :class:`Vocab` (syllable -> id hash table over code points), :func:`tokenize_ids`,
  :func:`span_token_ranges`, :class:`TfidfSpec` and :func:`tfidf_csr` (CSR TF-IDF with sublinear tf, idf
  and l2, bit-identical to ``stance.features.ngram_index.NgramIndex.transform``).

The loops over characters and tokens run without the GIL where they need no Python object, so
threads can share the work.

Examples
--------
>>> normalize_whitespace("  Quân   Mỹ  rút  ")
'Quân Mỹ rút'
>>> ids, starts, ends, ptr = tokenize_ids(["Quân Mỹ ở Iraq"], Vocab(["mỹ", "iraq"]), True)
>>> ids.tolist(), starts.tolist(), ptr.tolist()
([-1, 0, -1, 1], [0, 5, 8, 10], [0, 4])
"""

from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport malloc, calloc, free
from libc.string cimport memset, memcpy
from libc.math cimport sqrt
from libcpp.vector cimport vector
from libcpp.algorithm cimport sort as cpp_sort

import numpy as np

cdef extern from *:
    int __builtin_ctzll(unsigned long long) nogil

cdef extern from "Python.h":
    bint Py_UNICODE_ISALNUM(uint32_t ch) nogil
    bint Py_UNICODE_ISALPHA(uint32_t ch) nogil
    bint Py_UNICODE_ISDECIMAL(uint32_t ch) nogil
    bint Py_UNICODE_ISDIGIT(uint32_t ch) nogil
    bint Py_UNICODE_ISSPACE(uint32_t ch) nogil
    bint Py_UNICODE_ISUPPER(uint32_t ch) nogil
    uint32_t Py_UNICODE_TOLOWER(uint32_t ch) nogil
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    uint32_t PyUnicode_READ(int kind, const void* data, Py_ssize_t index) nogil
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    object PyUnicode_Substring(object s, Py_ssize_t start, Py_ssize_t end)


# --------------------------------------------------------------------------------------------------
# Character classes (BMP table; astral code points computed on the fly with the same predicates)

cdef enum:
    C_WORD = 1      # re's \w: str.isalnum() or "_"
    C_ALPHA = 2     # str.isalpha()
    C_DEC = 4       # re's \d: str.isdecimal()
    C_SPACE = 8     # re's \s and str.strip()/split(): Py_UNICODE_ISSPACE
    C_UPPER = 16    # str.isupper() of one character
    C_DIGIT = 32    # str.isdigit() of one character
    C_CTRL = 64     # stance.text.normalize._CONTROL below U+10000 (set by init_controls)
    C_WS = 128      # stance.text.normalize._SPACES (collapsed to one space by normalize_whitespace)

cdef uint8_t CLS[0x10000]
cdef uint8_t MARKS[0x4000]        # combining class > 0 (set by init_marks)
cdef bint MARKS_READY = False
DEF MAX_ASTRAL_CONTROLS = 256
cdef uint32_t ASTRAL_CTRL[MAX_ASTRAL_CONTROLS][2]   # control ranges above U+FFFF (set by init_controls)
cdef int N_ASTRAL_CTRL = 0
cdef bint CONTROLS_READY = False


cdef inline uint8_t _compute_cls(uint32_t c) noexcept nogil:
    cdef uint8_t f = 0
    if Py_UNICODE_ISALNUM(c) or c == 0x5F:
        f |= C_WORD
    if Py_UNICODE_ISALPHA(c):
        f |= C_ALPHA
    if Py_UNICODE_ISDECIMAL(c):
        f |= C_DEC
    if Py_UNICODE_ISSPACE(c):
        f |= C_SPACE
    if Py_UNICODE_ISUPPER(c):
        f |= C_UPPER
    if Py_UNICODE_ISDIGIT(c):
        f |= C_DIGIT
    return f


cdef inline uint8_t cls(uint32_t c) noexcept nogil:
    if c < 0x10000:
        return CLS[c]
    return _compute_cls(c)


cdef void _init_cls():
    cdef uint32_t c
    for c in range(0x10000):
        CLS[c] = _compute_cls(c)
    # stance.text.normalize._SPACES = [ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]
    for c in [0x20, 0x09, 0x0C, 0x0B, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000] + list(range(0x2000, 0x200B)):
        CLS[c] |= C_WS


_init_cls()


def init_marks(str marks):
    """Set the combining-mark table (``stance.text.normalize._MARKS``: code points below U+20000)."""
    global MARKS_READY
    memset(MARKS, 0, sizeof(MARKS))
    cdef uint32_t c
    for ch in marks:
        c = ord(ch)
        if c >= 0x20000:
            raise ValueError("combining marks are expected below U+20000")
        MARKS[c >> 3] |= (1 << (c & 7))
    MARKS_READY = True


cdef inline bint _is_mark(uint32_t ch) noexcept nogil:
    cdef uint32_t c = <uint32_t> ch
    if c >= 0x20000:
        return False
    return ((MARKS[c >> 3] >> (c & 7)) & 1) != 0


def has_marks(str text):
    """True when ``text`` holds a combining mark (the reference: ``not _MARKS.isdisjoint(text)``)."""
    if not MARKS_READY:
        raise RuntimeError("init_marks() was not called")
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i
    cdef bint found = False
    if kind == 1:
        # Latin-1 holds no combining mark
        return False
    with nogil:
        for i in range(n):
            if _is_mark(PyUnicode_READ(kind, data, i)):
                found = True
                break
    return found


def init_controls(ranges):
    """Set the table of the characters ``remove_control_characters`` deletes: ``ranges`` are the inclusive
    ``(first, last)`` code points of its character class (``stance.text.normalize._INVISIBLE_RANGES``)."""
    global N_ASTRAL_CTRL, CONTROLS_READY
    cdef uint32_t c, a, b
    cdef list astral = []
    for first, last in ranges:
        a = first
        b = last
        if a > b or b > 0x10FFFF:
            raise ValueError(f"bad code point range {first!r}-{last!r}")
        if b >= 0x10000:
            astral.append((max(a, 0x10000), b))
    if len(astral) > MAX_ASTRAL_CONTROLS:
        raise ValueError("too many control ranges above U+FFFF")
    for c in range(0x10000):
        CLS[c] &= ~C_CTRL
    for first, last in ranges:
        for c in range(first, min(last, 0xFFFF) + 1):
            CLS[c] |= C_CTRL
    N_ASTRAL_CTRL = 0
    for a, b in astral:
        ASTRAL_CTRL[N_ASTRAL_CTRL][0] = a
        ASTRAL_CTRL[N_ASTRAL_CTRL][1] = b
        N_ASTRAL_CTRL += 1
    CONTROLS_READY = True


cdef inline bint _is_control(uint32_t c) noexcept nogil:
    cdef int k
    if c < 0x10000:
        return (CLS[c] & C_CTRL) != 0
    for k in range(N_ASTRAL_CTRL):
        if ASTRAL_CTRL[k][0] <= c <= ASTRAL_CTRL[k][1]:
            return True
    return False


def has_controls(str text):
    """True when ``text`` holds a character that ``remove_control_characters`` deletes (the table given
    to :func:`init_controls`)."""
    if not CONTROLS_READY:
        raise RuntimeError("init_controls() was not called")
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i
    cdef bint found = False
    with nogil:
        for i in range(n):
            if _is_control(PyUnicode_READ(kind, data, i)):
                found = True
                break
    return found


# The kernels by job, in one extension module (Cython include files share its tables and helpers)
include "_whitespace_tones.pxi"
include "_lines_passages.pxi"
include "_tokens.pxi"
include "_tfidf.pxi"
