# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
# cython: nonecheck=False, embedsignature=True
# distutils: language = c++
"""Compiled hot loops of stance's cleaning, segmentation and TF-IDF, exact twins of the Python reference.

Every public function here has a pure-Python reference in :mod:`stance._native.reference` and returns exactly
what the reference returns (the tests prove it with hypothesis and on the full VNTC test set):

* character-class tables built once at import from CPython's own Unicode database (the same predicates
  ``re`` and ``str`` methods use: ``\\w`` = ``Py_UNICODE_ISALNUM`` or ``_``, ``\\s`` = ``Py_UNICODE_ISSPACE``...)
* cleaning: :func:`has_marks`, :func:`has_controls`, :func:`normalize_whitespace`,
  :func:`normalize_tone_marks`, and :class:`LiteralSet`, an exact pre-filter with the case-insensitive
  semantics of ``re.IGNORECASE`` that tells which lines can possibly match a furniture / credit regex;
* segmentation: :func:`passage_spans` (passages with their character spans in the cleaned text);
* features: :class:`Vocab` (syllable -> id hash table over code points), :func:`tokenize_ids`,
  :func:`span_token_ranges`, :class:`TfidfSpec` and :func:`tfidf_csr` (CSR TF-IDF with sublinear tf, idf
  and l2, bit-identical to ``stance.features.ngram_index.NgramIndex.transform``).

The loops over characters and tokens run without the GIL where they need no Python object, so
threads can share the work.
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
    C_CTRL = 64     # stance.text.normalize._CONTROL
    C_WS = 128      # stance.text.normalize._SPACES (collapsed to one space by normalize_whitespace)

cdef uint8_t CLS[0x10000]
cdef uint8_t MARKS[0x4000]        # combining class > 0 (set by init_marks)
cdef bint MARKS_READY = False


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
    # stance.text.normalize._CONTROL
    for c in list(range(0x00, 0x09)) + list(range(0x0E, 0x20)) + list(range(0x7F, 0x85)) + list(range(0x86, 0xA0)):
        CLS[c] |= C_CTRL
    for c in [0xAD, 0xFEFF] + list(range(0x200B, 0x2010)) + list(range(0x202A, 0x202F)) \
            + list(range(0x2060, 0x2065)) + list(range(0xFFF9, 0xFFFC)) + list(range(0xD800, 0xE000)):
        CLS[c] |= C_CTRL
    # stance.text.normalize._SPACES = [ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]
    for c in [0x20, 0x09, 0x0C, 0x0B, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000] + list(range(0x2000, 0x200B)):
        CLS[c] |= C_WS


_init_cls()


def init_marks(str marks):
    """Set the combining-mark table (code points below U+20000 whose ``unicodedata.combining`` is > 0)."""
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


def has_controls(str text):
    """True when ``text`` holds a character that ``remove_control_characters`` deletes."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i
    cdef uint32_t c
    cdef bint found = False
    with nogil:
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if c < 0x10000 and (CLS[c] & C_CTRL):
                found = True
                break
    return found


# --------------------------------------------------------------------------------------------------
# normalize_whitespace

cdef inline bint _is_break(uint32_t c) noexcept nogil:
    return c == 0x0A or c == 0x0D or c == 0x85 or c == 0x2028 or c == 0x2029


def normalize_whitespace(str text):
    """Exactly ``stance.text.normalize.normalize_whitespace``: line breaks to ``\\n``, space runs to one space,
    lines stripped, empty lines dropped. Returns ``text`` itself when nothing changes."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef uint32_t* out = <uint32_t*> malloc((n + 1) * sizeof(uint32_t))
    if out == NULL:
        raise MemoryError()
    cdef Py_ssize_t i = 0, o = 0, line0, s, e, k
    cdef bint any_line = False, in_run
    cdef uint32_t c
    cdef uint8_t f
    with nogil:
        while True:
            # one (virtual) line: its collapsed content is written at out[line0:o]
            line0 = o + (1 if any_line else 0)
            o = line0
            in_run = False
            while i < n:
                c = PyUnicode_READ(kind, data, i)
                if _is_break(c):
                    break
                f = cls(c)
                if f & C_WS:
                    if not in_run:
                        out[o] = 0x20
                        o += 1
                        in_run = True
                else:
                    out[o] = c
                    o += 1
                    in_run = False
                i += 1
            # strip
            s = line0
            e = o
            while s < e and (cls(out[s]) & C_SPACE):
                s += 1
            while e > s and (cls(out[e - 1]) & C_SPACE):
                e -= 1
            if e > s:
                if any_line:
                    out[line0 - 1] = 0x0A
                    if s != line0:
                        for k in range(e - s):
                            out[line0 + k] = out[s + k]
                    o = line0 + (e - s)
                else:
                    if s != 0:
                        for k in range(e - s):
                            out[k] = out[s + k]
                    o = e - s
                any_line = True
            else:
                o = line0 - (1 if any_line else 0)
            if i >= n:
                break
            # consume the line break ("\r\n" counts as one)
            c = PyUnicode_READ(kind, data, i)
            i += 1
            if c == 0x0D and i < n and PyUnicode_READ(kind, data, i) == 0x0A:
                i += 1
    cdef bint same = (o == n)
    if same:
        for k in range(n):
            if out[k] != PyUnicode_READ(kind, data, k):
                same = False
                break
    try:
        if same:
            return text
        return PyUnicode_FromKindAndData(4, out, o)
    finally:
        free(out)


# --------------------------------------------------------------------------------------------------
# normalize_tone_marks

DEF VT_SIZE = 0x1F00
cdef uint16_t VT[VT_SIZE]        # code point -> (base index + 1) << 3 | tone, 0 when not a vowel
cdef uint32_t BASECH[24]          # base vowels: "aăâeêioôơuưy" then upper case
cdef uint32_t TONED[24 * 6]       # (base index, tone) -> code point
cdef uint8_t MARKED_BASE[24]     # base is one of ăâêôơư (upper or lower)
cdef bint TONES_READY = False


def init_tones(dict vowel_tone, str vowels, str marked_vowels):
    """Tables from ``stance.text.normalize._VOWEL_TONE`` (NFC char -> (base, tone)), ``_VOWELS``, ``_MARKED_VOWELS``."""
    global TONES_READY
    cdef str all_bases = vowels + vowels.upper()
    if len(all_bases) != 24:
        raise ValueError("expected 12 vowels")
    memset(VT, 0, sizeof(VT))
    cdef int bi
    for bi in range(24):
        BASECH[bi] = ord(all_bases[bi])
        MARKED_BASE[bi] = 1 if all_bases[bi].lower() in marked_vowels else 0
    for ch, (base, tone) in vowel_tone.items():
        if len(ch) != 1 or ord(ch) >= VT_SIZE:
            raise ValueError(f"unexpected vowel table entry {ch!r}")
        bi = all_bases.index(base)
        VT[ord(ch)] = ((bi + 1) << 3) | tone
        TONED[bi * 6 + tone] = ord(ch)
    TONES_READY = True


cdef inline uint16_t _vt(uint32_t c) noexcept nogil:
    return VT[c] if c < VT_SIZE else 0


cdef inline bint _is_toned(uint32_t c) noexcept nogil:
    cdef uint16_t e = _vt(c)
    return e != 0 and (e & 7) != 0


cdef inline bint _ascii_in(uint32_t a, const char* s) noexcept nogil:
    cdef int k = 0
    while s[k]:
        if <uint32_t> s[k] == a:
            return True
        k += 1
    return False


cdef inline bint _in_onsets(const uint32_t* l, int n) noexcept nogil:
    # "" b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x
    cdef uint32_t a, b
    if n == 0:
        return True
    a = l[0]
    if n == 1:
        return a == 0x111 or _ascii_in(a, b"bcdghklmnprstvx")
    b = l[1]
    if n == 2:
        if b == 0x68:  # 'h': ch gh kh nh ph th
            return _ascii_in(a, b"cgknpt")
        return (a == 0x67 and b == 0x69) or (a == 0x6E and b == 0x67) or (a == 0x71 and b == 0x75) \
            or (a == 0x74 and b == 0x72)
    if n == 3:
        return a == 0x6E and b == 0x67 and l[2] == 0x68
    return False


cdef inline bint _in_codas(const uint32_t* l, int n) noexcept nogil:
    # "" c ch m n ng nh p t
    cdef uint32_t a
    if n == 0:
        return True
    a = l[0]
    if n == 1:
        return _ascii_in(a, b"cmnpt")
    if n == 2:
        return (a == 0x63 and l[1] == 0x68) or (a == 0x6E and (l[1] == 0x67 or l[1] == 0x68))
    return False


cdef int _norm_syllable(const uint32_t* w, int L, uint32_t* out) noexcept nogil:
    """stance.text.normalize._normalize_syllable for a word of at most 7 letters.

    Returns 1 (changed; ``out`` holds the word), 0 (unchanged) or -1 (a letter outside ASCII, đ/Đ and
    the vowel table, whose lower-casing this code does not model: ask the Python reference)."""
    cdef uint32_t bases[8]
    cdef uint32_t letters[8]
    cdef int bidx[8]
    cdef bint isv[8]
    cdef int k, tone = 0, tone_at = -1, bi, t, onset, i, j, target, last_marked
    cdef uint16_t e
    cdef uint32_t c
    cdef bint needs_python = False
    for k in range(L):
        c = w[k]
        e = _vt(c)
        if e:
            bi = (e >> 3) - 1
            t = e & 7
            bases[k] = BASECH[bi]
            letters[k] = BASECH[bi % 12]
            bidx[k] = bi
            isv[k] = True
            if t:
                if tone:
                    return 0
                tone = t
                tone_at = k
        else:
            isv[k] = False
            bidx[k] = -1
            bases[k] = c
            if c >= 0x41 and c <= 0x5A:
                letters[k] = c + 32
            elif (c >= 0x61 and c <= 0x7A) or c == 0x111:
                letters[k] = c
            elif c == 0x110:
                letters[k] = 0x111
            else:
                letters[k] = c
                needs_python = True
    if not tone:
        return 0
    if needs_python:
        return -1
    onset = 0
    while onset < L and not isv[onset]:
        onset += 1
    if L > 2 and onset == 1 and letters[0] == 0x67 and letters[1] == 0x69 and isv[2]:
        onset = 2
    elif L > 2 and onset == 1 and letters[0] == 0x71 and letters[1] == 0x75 and isv[2]:
        onset = 2
    if not _in_onsets(letters, onset):
        return 0
    i = onset
    j = i
    while j < L and isv[j]:
        j += 1
    if j == i or j - i > 3 or not _in_codas(letters + j, L - j):
        return 0
    last_marked = -1
    for k in range(i, j):
        if MARKED_BASE[bidx[k]]:
            last_marked = k
    if last_marked >= 0:
        target = last_marked
    elif L - j > 0 or j - i == 1:
        target = j - 1
    elif j - i == 2:
        target = i
    else:
        target = i + 1
    if target == tone_at:
        return 0
    for k in range(L):
        out[k] = bases[k]
    out[target] = TONED[bidx[target] * 6 + tone]
    return 1


cdef inline bint _word_not_digit(uint32_t c) noexcept nogil:
    # re: [^\W\d_]
    cdef uint8_t f = cls(c)
    return (f & C_WORD) and not (f & C_DEC) and c != 0x5F


def normalize_tone_marks(str text, object syllable_fallback):
    """Exactly ``stance.text.normalize.normalize_tone_marks``; ``syllable_fallback`` is the reference
    ``_normalize_syllable``, called only for words with a letter outside ASCII, đ and the vowel table.
    Returns ``text`` itself when nothing changes."""
    if not TONES_READY:
        raise RuntimeError("init_tones() was not called")
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef Py_ssize_t i = 0, a, b, p, last = 0, k
    cdef uint32_t word[8]
    cdef uint32_t fixed[8]
    cdef bint cand
    cdef int r, L
    cdef list pieces = None
    cdef uint32_t c0, c1
    while i < n:
        if not (cls(PyUnicode_READ(kind, data, i)) & C_ALPHA):
            i += 1
            continue
        a = i
        while i < n and (cls(PyUnicode_READ(kind, data, i)) & C_ALPHA):
            i += 1
        b = i
        # a candidate spot inside the run [a, b)?
        cand = False
        p = a
        while p + 1 < b:
            c0 = PyUnicode_READ(kind, data, p)
            c1 = PyUnicode_READ(kind, data, p + 1)
            if _vt(c0) and _vt(c1):
                if _is_toned(c0):
                    cand = True
                    break
                if _is_toned(c1) and not (p + 2 < n and _word_not_digit(PyUnicode_READ(kind, data, p + 2))):
                    cand = True
                    break
            p += 1
        if not cand or b - a > 7:
            continue
        L = <int>(b - a)
        for k in range(L):
            word[k] = PyUnicode_READ(kind, data, a + k)
        r = _norm_syllable(word, L, fixed)
        if r == 0:
            continue
        if pieces is None:
            pieces = []
        pieces.append(PyUnicode_Substring(text, last, a))
        if r == 1:
            pieces.append(PyUnicode_FromKindAndData(4, fixed, L))
        else:
            w = PyUnicode_Substring(text, a, b)
            pieces.append(syllable_fallback(w))
        last = b
    if pieces is None:
        return text
    pieces.append(PyUnicode_Substring(text, last, n))
    out = "".join(pieces)
    return text if out == text else out


# --------------------------------------------------------------------------------------------------
# LiteralSet: which lines can match a case-insensitive regex that requires one of some literals

cdef class LiteralSet:
    """Which lines of a text can match an anchored, case-insensitive regex: they hold one of its literals
    where the regex allows it.

    ``patterns``: ``(literal, max_start, mode)``. In ``literal``, ``" "`` stands for ``\\s+`` and ``"~"`` for
    ``\\s*`` (never across a line break); other characters match as ``re`` with ``re.I`` matches a literal
    (``ch`` matches cased ``x`` when ``tolower(ch)`` is ``tolower(x)`` or one of ``re``'s extra case
    equivalences of it, ``fixes``; uncased ``x`` only itself). ``mode`` 0: the literal starts at most
    ``max_start`` characters into the line (-1: anywhere); ``mode`` 1: it starts right after the line's
    leading run of ``*`` and white space.
    """

    cdef uint8_t* fold          # BMP code point -> literal class (1-based), 0 none
    cdef vector[int32_t] pdata  # patterns, each: elements..., then 0
    cdef vector[int32_t] by_first_off   # class -> offsets into by_first
    cdef vector[int32_t] by_first       # pattern ids grouped by first class
    cdef vector[int32_t] poff, pmax, pmode
    cdef int32_t max_bounded
    cdef uint8_t unbounded[256]
    cdef vector[uint32_t] lone_chars     # unbounded patterns that are one uncased character
    cdef bint only_lone                  # every unbounded pattern is such a character

    def __cinit__(self, *args, **kwargs):
        self.fold = <uint8_t*> calloc(0x10000, sizeof(uint8_t))
        if self.fold == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.fold)

    def __init__(self, patterns, fixes, tolower, iscased):
        cdef dict classes = {}     # key (lower code point or ("exact", cp)) -> class id
        cdef list starts = []      # (first class, pattern id)
        memset(self.unbounded, 0, sizeof(self.unbounded))
        self.max_bounded = -1
        self.only_lone = True
        for pid, (p, max_start, mode) in enumerate(patterns):
            off = self.pdata.size()
            for ch in p:
                if ch == " ":
                    self.pdata.push_back(-1)
                    continue
                if ch == "~":
                    self.pdata.push_back(-2)
                    continue
                x = ord(ch)
                key = tolower(x) if iscased(x) else ("exact", x)
                if key not in classes:
                    classes[key] = len(classes) + 1
                self.pdata.push_back(classes[key])
            if self.pdata.size() == off or self.pdata[off] < 0:
                raise ValueError(f"pattern must start with a literal: {p!r}")
            if mode not in (0, 1):
                raise ValueError("mode must be 0 or 1")
            self.pdata.push_back(0)
            self.poff.push_back(off)
            self.pmax.push_back(max_start)
            self.pmode.push_back(mode)
            if mode == 0 and max_start < 0:
                self.unbounded[self.pdata[off]] = 1
                if len(p) == 1 and p not in " ~" and not iscased(ord(p)):
                    self.lone_chars.push_back(ord(p))
                else:
                    self.only_lone = False
            elif mode == 0 and max_start > self.max_bounded:
                self.max_bounded = max_start
            starts.append((self.pdata[off], pid))
        if len(classes) > 255:
            raise ValueError("too many literal characters")
        starts.sort()
        self.by_first_off.resize(len(classes) + 2, 0)
        for cid, pid in starts:
            self.by_first.push_back(pid)
        cdef int j = 0
        for cid in range(len(classes) + 2):
            self.by_first_off[cid] = j
            while j < len(starts) and starts[j][0] == cid:
                j += 1
        # members of each class, over every code point (astral ones must not fold onto our literals)
        cdef dict wanted = {}
        for key, cid in classes.items():
            if isinstance(key, tuple):
                self.fold[key[1]] = cid
            else:
                wanted[key] = cid
                for k in fixes.get(key, ()):
                    wanted[k] = cid
        cdef int32_t* wmap = <int32_t*> calloc(0x10000, sizeof(int32_t))
        if wmap == NULL:
            raise MemoryError()
        for lo_key, cid in wanted.items():
            if lo_key >= 0x10000:
                free(wmap)
                raise ValueError("literal outside the BMP")
            wmap[lo_key] = cid
        cdef uint32_t c
        cdef uint32_t lo
        cdef uint32_t bad = 0
        with nogil:
            for c in range(0x110000):
                lo = Py_UNICODE_TOLOWER(c)
                if lo < 0x10000 and wmap[lo]:
                    if c >= 0x10000 or (self.fold[c] and self.fold[c] != wmap[lo]):
                        bad = c
                        break
                    self.fold[c] = <uint8_t> wmap[lo]
        free(wmap)
        if bad:
            raise ValueError(f"code point {bad:#x} folds onto a literal outside the BMP or onto two literals")

    cdef bint _match(self, int kind, const void* data, Py_ssize_t j, Py_ssize_t n, int32_t k) noexcept nogil:
        # pattern elements from pdata[k] (the first literal already matched at j - 1)
        cdef const int32_t* pd = self.pdata.data()
        cdef int32_t el
        cdef Py_ssize_t start
        cdef uint32_t c
        while pd[k] != 0:
            el = pd[k]
            k += 1
            if el < 0:
                start = j
                while j < n:
                    c = PyUnicode_READ(kind, data, j)
                    if c == 0x0A or not (cls(c) & C_SPACE):
                        break
                    j += 1
                if el == -1 and j == start:
                    return False
                continue
            if j >= n:
                return False
            c = PyUnicode_READ(kind, data, j)
            if c >= 0x10000 or self.fold[c] != el:
                return False
            j += 1
        return True

    def hit_lines(self, str text):
        """Indices of the ``"\\n"``-separated lines of ``text`` where one of the literals occurs as allowed."""
        cdef int kind = PyUnicode_KIND(text)
        cdef const void* data = PyUnicode_DATA(text)
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0, line = 0, ls = 0, skip = 0
        cdef const uint8_t* fold = self.fold
        cdef const int32_t* bf = self.by_first.data()
        cdef const int32_t* bfo = self.by_first_off.data()
        cdef const int32_t* poff = self.poff.data()
        cdef const int32_t* pmax = self.pmax.data()
        cdef const int32_t* pmode = self.pmode.data()
        cdef int32_t f, q, pid
        cdef vector[Py_ssize_t] hits
        cdef bint hit, fresh = True
        cdef uint32_t c
        with nogil:
            while i < n:
                c = PyUnicode_READ(kind, data, i)
                if c == 0x0A:
                    line += 1
                    i += 1
                    fresh = True
                    continue
                if fresh:
                    # a new line: where its leading run of "*" and white space ends
                    fresh = False
                    ls = i
                    skip = i
                    while skip < n:
                        c = PyUnicode_READ(kind, data, skip)
                        if c == 0x0A or not (c == 0x2A or (cls(c) & C_SPACE)):
                            break
                        skip += 1
                    c = PyUnicode_READ(kind, data, i)
                f = fold[c] if c < 0x10000 else 0
                hit = False
                if f and (i - ls <= self.max_bounded or self.unbounded[f] or i == skip):
                    for q in range(bfo[f], bfo[f + 1]):
                        pid = bf[q]
                        if pmode[pid] == 1:
                            if i != skip:
                                continue
                        elif pmax[pid] >= 0 and i - ls > pmax[pid]:
                            continue
                        if self._match(kind, data, i + 1, n, poff[pid] + 1):
                            hit = True
                            break
                if hit:
                    hits.push_back(line)
                    while i < n and PyUnicode_READ(kind, data, i) != 0x0A:
                        i += 1
                    continue
                i += 1
                if self.only_lone and i - ls > self.max_bounded and i > skip:
                    # past every bounded start: only the lone characters can still hit this line
                    while i < n:
                        c = PyUnicode_READ(kind, data, i)
                        if c == 0x0A:
                            break
                        hit = False
                        for q in range(<int32_t> self.lone_chars.size()):
                            if c == self.lone_chars[q]:
                                hit = True
                        if hit:
                            break
                        i += 1
        return [hits[q] for q in range(<int32_t> hits.size())]


def has_empty_line(str text):
    """True when ``text.split("\\n")`` has an empty element."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    if n == 0:
        return True
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t i
    if PyUnicode_READ(kind, data, 0) == 0x0A or PyUnicode_READ(kind, data, n - 1) == 0x0A:
        return True
    for i in range(1, n):
        if PyUnicode_READ(kind, data, i) == 0x0A and PyUnicode_READ(kind, data, i - 1) == 0x0A:
            return True
    return False


# --------------------------------------------------------------------------------------------------
# Segmentation: passages with their spans

cdef inline bint _is_end_punct(uint32_t c) noexcept nogil:
    return c == 0x2E or c == 0x21 or c == 0x3F or c == 0x2026          # . ! ? …


cdef inline bint _is_close(uint32_t c) noexcept nogil:
    return c == 0x22 or c == 0x201D or c == 0x2019 or c == 0xBB or c == 0x29 or c == 0x5D   # " ” ’ » ) ]


cdef inline bint _is_open(uint32_t c) noexcept nogil:
    return c == 0x22 or c == 0x201C or c == 0x2018 or c == 0xAB or c == 0x28 or c == 0x5B   # " “ ‘ « ( [


cdef inline bint _is_space(uint32_t c) noexcept nogil:
    return (cls(c) & C_SPACE) != 0


cdef int _passages_into(str text, frozenset abbreviations, int max_sentences, int word_window, Py_ssize_t max_abbrev,
                        list texts_out, vector[int64_t]& s_out, vector[int64_t]& e_out) except -1:
    """Appends the passages of ``text`` to ``texts_out`` and their spans to ``s_out`` / ``e_out``."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef Py_ssize_t ls = 0, le, ps, pe, p, q, r, w, start, s0, e0, wstart, k0, e1, ns, g
    cdef uint32_t c, g2
    cdef vector[Py_ssize_t] ss, se
    while ls <= n:
        le = ls
        while le < n and PyUnicode_READ(kind, data, le) != 0x0A:
            le += 1
        ps = ls
        pe = le
        while ps < pe and _is_space(PyUnicode_READ(kind, data, ps)):
            ps += 1
        while pe > ps and _is_space(PyUnicode_READ(kind, data, pe - 1)):
            pe -= 1
        if pe > ps:
            # sentences of the paragraph text[ps:pe] (stance.text.segment.sentences, _BOUNDARY's matches)
            ss.clear()
            se.clear()
            start = ps
            p = ps + 1
            while p <= pe:
                if not _is_end_punct(PyUnicode_READ(kind, data, p - 1)):
                    p += 1
                    continue
                q = p
                while q < pe and _is_close(PyUnicode_READ(kind, data, q)):
                    q += 1
                if q >= pe or not _is_space(PyUnicode_READ(kind, data, q)):
                    p += 1
                    continue
                r = q
                while r < pe and _is_space(PyUnicode_READ(kind, data, r)):
                    r += 1
                if r >= pe:
                    p += 1
                    continue
                c = PyUnicode_READ(kind, data, r)
                if _is_open(c) and r + 1 < pe and (cls(PyUnicode_READ(kind, data, r + 1)) & C_WORD):
                    w = r + 1
                elif cls(c) & C_WORD:
                    w = r
                else:
                    p += 1
                    continue
                # a boundary match [p, w + 1), group(1) = [p, q), group(2) = text[w]
                g2 = PyUnicode_READ(kind, data, w)
                if not (cls(g2) & (C_UPPER | C_DIGIT)):
                    p = w + 1
                    continue
                if q == p and PyUnicode_READ(kind, data, p - 1) == 0x2E:
                    # the word before the period: abbreviation or initial?
                    wstart = p - word_window
                    if wstart < start:
                        wstart = start
                    k0 = p
                    while k0 > wstart and not _is_space(PyUnicode_READ(kind, data, k0 - 1)):
                        k0 -= 1
                    e1 = p
                    while e1 > k0 and _is_end_punct(PyUnicode_READ(kind, data, e1 - 1)):
                        e1 -= 1
                    # str.lower() never shortens a word: a longer one is no abbreviation
                    if e1 - k0 <= max_abbrev or e1 - k0 <= 1:
                        wd = PyUnicode_Substring(text, k0, e1).lower()
                        if len(wd) <= 1 or wd in abbreviations:
                            p = w + 1
                            continue
                s0 = start
                e0 = q
                while s0 < e0 and _is_space(PyUnicode_READ(kind, data, s0)):
                    s0 += 1
                while e0 > s0 and _is_space(PyUnicode_READ(kind, data, e0 - 1)):
                    e0 -= 1
                if e0 > s0:
                    ss.push_back(s0)
                    se.push_back(e0)
                start = q
                p = w + 1
            s0 = start
            e0 = pe
            while s0 < e0 and _is_space(PyUnicode_READ(kind, data, s0)):
                s0 += 1
            while e0 > s0 and _is_space(PyUnicode_READ(kind, data, e0 - 1)):
                e0 -= 1
            if e0 > s0:
                ss.push_back(s0)
                se.push_back(e0)
            ns = <Py_ssize_t> ss.size()
            if ns <= max_sentences:
                texts_out.append(PyUnicode_Substring(text, ps, pe))
                s_out.push_back(ps)
                e_out.push_back(pe)
            else:
                for g in range(0, ns, max_sentences):
                    k0 = g + max_sentences
                    if k0 > ns:
                        k0 = ns
                    if k0 - g == 1:
                        piece = PyUnicode_Substring(text, ss[g], se[g])
                    else:
                        piece = " ".join([PyUnicode_Substring(text, ss[r], se[r]) for r in range(g, k0)])
                    texts_out.append(piece)
                    s_out.push_back(ss[g])
                    e_out.push_back(se[k0 - 1])
        ls = le + 1
    return 0


def passage_spans(str text, frozenset abbreviations, int max_sentences=3, int word_window=40):
    """``stance.text.segment.passages(text)`` with each passage's span in ``text``.

    Returns a list of ``(passage, start, end)``: ``passage`` is exactly what the reference returns and
    ``text[start:end]`` differs from it only in the white space between the sentences it joins.
    """
    if max_sentences < 1:
        raise ValueError(f"max_sentences must be at least 1, got {max_sentences!r}")
    cdef list texts = []
    cdef vector[int64_t] s, e
    _passages_into(text, abbreviations, max_sentences, word_window, max(map(len, abbreviations), default=0),
                   texts, s, e)
    return [(texts[k], s[k], e[k]) for k in range(len(texts))]


def passages_batch(list docs, frozenset abbreviations, int max_sentences=3, int word_window=40):
    """:func:`passage_spans` of many texts, flat: ``(passages, ptr, starts, ends)`` where the passages of
    ``docs[k]`` are ``passages[ptr[k]:ptr[k + 1]]`` (a text without passages gets none)."""
    if max_sentences < 1:
        raise ValueError(f"max_sentences must be at least 1, got {max_sentences!r}")
    cdef list texts = []
    cdef vector[int64_t] s, e
    cdef Py_ssize_t nd = len(docs), k
    ptr = np.zeros(nd + 1, dtype=np.int64)
    cdef int64_t[::1] pv = ptr
    cdef Py_ssize_t max_abbrev = max(map(len, abbreviations), default=0)
    for k in range(nd):
        _passages_into(docs[k], abbreviations, max_sentences, word_window, max_abbrev, texts, s, e)
        pv[k + 1] = <int64_t> s.size()
    m = <Py_ssize_t> s.size()
    starts = np.empty(m, dtype=np.int64)
    ends = np.empty(m, dtype=np.int64)
    cdef int64_t[::1] sv = starts, ev = ends
    if m:
        memcpy(&sv[0], s.data(), m * sizeof(int64_t))
        memcpy(&ev[0], e.data(), m * sizeof(int64_t))
    return texts, ptr, starts, ends


# --------------------------------------------------------------------------------------------------
# Syllable vocabulary: code-point strings -> ids, open addressing

cdef inline uint64_t _mix(uint64_t h) noexcept nogil:
    h ^= h >> 33
    h *= <uint64_t> 0xff51afd7ed558ccd
    h ^= h >> 33
    h *= <uint64_t> 0xc4ceb9fe1a85ec53
    h ^= h >> 33
    return h


cdef struct VSlot:
    uint64_t h
    int32_t id
    int32_t length


cdef class Vocab:
    """Syllables (str) -> dense ids 0..n-1, looked up by code points without creating Python strings.
    Open addressing; each slot keeps the full 64-bit hash and the length, so a probe reads the term's
    characters only when they are almost surely equal."""

    cdef uint32_t* buf
    cdef int64_t* offs
    cdef VSlot* slots
    cdef uint64_t mask
    cdef readonly int32_t n

    def __cinit__(self, list terms):
        cdef Py_ssize_t total = 0, k
        cdef int32_t i
        cdef str t
        for t in terms:
            total += len(t)
        self.n = len(terms)
        self.buf = <uint32_t*> malloc((total + 1) * sizeof(uint32_t))
        self.offs = <int64_t*> malloc((self.n + 1) * sizeof(int64_t))
        cdef uint64_t size = 16
        while size * 3 < 5 * <uint64_t> self.n + 16:   # load factor at most 0.6
            size <<= 1
        self.mask = size - 1
        self.slots = <VSlot*> malloc(size * sizeof(VSlot))
        if self.buf == NULL or self.offs == NULL or self.slots == NULL:
            raise MemoryError()
        for k in range(<Py_ssize_t> size):
            self.slots[k].id = -1
        cdef Py_ssize_t o = 0
        cdef uint64_t h, pos
        for i in range(self.n):
            t = terms[i]
            self.offs[i] = o
            for ch in t:
                self.buf[o] = ord(ch)
                o += 1
            self.offs[i + 1] = o
            if self._find_buf(self.buf + self.offs[i], o - self.offs[i]) >= 0:
                raise ValueError(f"duplicate term {t!r}")
            h = _hash_cps(self.buf + self.offs[i], o - self.offs[i])
            pos = h & self.mask
            while self.slots[pos].id >= 0:
                pos = (pos + 1) & self.mask
            self.slots[pos].h = h
            self.slots[pos].id = i
            self.slots[pos].length = <int32_t> (o - self.offs[i])

    def __dealloc__(self):
        free(self.buf)
        free(self.offs)
        free(self.slots)

    cdef int32_t _find_buf(self, const uint32_t* s, Py_ssize_t L) noexcept nogil:
        cdef uint64_t h = _hash_cps(s, L)
        cdef uint64_t pos = h & self.mask
        cdef int32_t i
        cdef Py_ssize_t k
        cdef const uint32_t* term
        while True:
            i = self.slots[pos].id
            if i < 0:
                return -1
            if self.slots[pos].h == h and self.slots[pos].length == L:
                term = self.buf + self.offs[i]
                k = 0
                while k < L and term[k] == s[k]:
                    k += 1
                if k == L:
                    return i
            pos = (pos + 1) & self.mask

    def get(self, str term):
        """Id of ``term`` or -1."""
        cdef Py_ssize_t L = len(term), k
        cdef uint32_t* tmp = <uint32_t*> malloc((L + 1) * sizeof(uint32_t))
        for k in range(L):
            tmp[k] = ord(term[k])
        r = self._find_buf(tmp, L)
        free(tmp)
        return r

    def __len__(self):
        return self.n


cdef inline uint64_t _hash_cps(const uint32_t* s, Py_ssize_t L) noexcept nogil:
    cdef uint64_t h = <uint64_t> 1469598103934665603
    cdef Py_ssize_t k
    for k in range(L):
        h = (h ^ <uint64_t> s[k]) * <uint64_t> 1099511628211
    return _mix(h ^ <uint64_t> L)


cdef uint16_t LOWER_TAB[0x2000]     # simple lower-case mapping below U+2000 (Latin, Greek, Cyrillic, Vietnamese)


cdef void _init_lower():
    cdef uint32_t c, lo
    for c in range(0x2000):
        lo = Py_UNICODE_TOLOWER(c)
        if lo >= 0x10000:
            raise ValueError("unexpected lower-case mapping")
        LOWER_TAB[c] = <uint16_t> lo


_init_lower()


cdef inline uint32_t _lower(uint32_t c) noexcept nogil:
    if c < 0x2000:
        return LOWER_TAB[c]
    return Py_UNICODE_TOLOWER(c)


def lower_simple(str text):
    """``text`` with each character mapped by the simple lower-case mapping (the tokeniser's lower-casing;
    equal to ``str.lower`` for text without "İ" (U+0130) and "Σ" (U+03A3))."""
    cdef Py_ssize_t n = len(text), k
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* data = PyUnicode_DATA(text)
    cdef uint32_t* out = <uint32_t*> malloc((n + 1) * sizeof(uint32_t))
    for k in range(n):
        out[k] = _lower(PyUnicode_READ(kind, data, k))
    try:
        return PyUnicode_FromKindAndData(4, out, n)
    finally:
        free(out)


def tokenize_ids(list texts, Vocab vocab, bint lower=False):
    """Runs of ``\\w`` in each text, exactly ``re.findall(r"\\w+", text)``, with their ids in ``vocab`` (-1
    when unknown) and character offsets. ``lower=True`` lower-cases on the fly with the simple mapping,
    which is ``str.lower`` for text without "İ" and "Σ" (pass such text lower-cased already: the simple
    mapping leaves lower-case text unchanged).

    Returns ``(ids int32, starts int64, ends int64, ptr int64)``: the tokens of ``texts[k]`` are
    ``ptr[k]:ptr[k + 1]``, offsets relative to that text.
    """
    cdef Py_ssize_t nt = len(texts), k
    cdef vector[int32_t] ids
    cdef vector[int64_t] st, en
    cdef int64_t[::1] ptr = np.zeros(nt + 1, dtype=np.int64)
    cdef int kind
    cdef const void* data
    cdef Py_ssize_t n, i, a, L
    cdef uint32_t c
    cdef uint32_t tmp[64]
    cdef str t
    ids.reserve(1024)
    for k in range(nt):
        t = texts[k]
        kind = PyUnicode_KIND(t)
        data = PyUnicode_DATA(t)
        n = PyUnicode_GET_LENGTH(t)
        with nogil:
            i = 0
            while i < n:
                c = PyUnicode_READ(kind, data, i)
                if lower:
                    c = _lower(c)
                if not (cls(c) & C_WORD):
                    i += 1
                    continue
                a = i
                L = 0
                while True:
                    if L < 64:
                        tmp[L] = c
                    L += 1
                    i += 1
                    if i >= n:
                        break
                    c = PyUnicode_READ(kind, data, i)
                    if lower:
                        c = _lower(c)
                    if not (cls(c) & C_WORD):
                        break
                if L <= 64:
                    ids.push_back(vocab._find_buf(tmp, L))
                else:
                    ids.push_back(_find_long(vocab, kind, data, a, i, lower))
                st.push_back(a)
                en.push_back(i)
        ptr[k + 1] = <int64_t> ids.size()
    m = <Py_ssize_t> ids.size()
    out_ids = np.empty(m, dtype=np.int32)
    out_st = np.empty(m, dtype=np.int64)
    out_en = np.empty(m, dtype=np.int64)
    cdef int32_t[::1] vi = out_ids
    cdef int64_t[::1] vs = out_st, ve = out_en
    if m:
        memcpy(&vi[0], ids.data(), m * sizeof(int32_t))
        memcpy(&vs[0], st.data(), m * sizeof(int64_t))
        memcpy(&ve[0], en.data(), m * sizeof(int64_t))
    return out_ids, out_st, out_en, np.asarray(ptr)


cdef int32_t _find_long(Vocab vocab, int kind, const void* data, Py_ssize_t a, Py_ssize_t b, bint lower) noexcept nogil:
    cdef Py_ssize_t L = b - a, k
    cdef uint32_t* tmp = <uint32_t*> malloc(L * sizeof(uint32_t))
    cdef int32_t r
    if tmp == NULL:
        return -1
    for k in range(L):
        tmp[k] = PyUnicode_READ(kind, data, a + k)
        if lower:
            tmp[k] = _lower(tmp[k])
    r = vocab._find_buf(tmp, L)
    free(tmp)
    return r


def span_token_ranges(const int64_t[::1] starts, const int64_t[::1] ends, int64_t lo, int64_t hi,
                      const int64_t[::1] span_start, const int64_t[::1] span_end):
    """For character spans (sorted, disjoint) of one text whose tokens are ``lo:hi`` of ``starts``/``ends``,
    the token range ``[a, b)`` of each span: the tokens lying inside it. Returns two int64 arrays."""
    cdef Py_ssize_t m = span_start.shape[0], k
    a_out = np.empty(m, dtype=np.int64)
    b_out = np.empty(m, dtype=np.int64)
    cdef int64_t[::1] va = a_out, vb = b_out
    cdef int64_t t = lo
    with nogil:
        for k in range(m):
            while t < hi and starts[t] < span_start[k]:
                t += 1
            va[k] = t
            while t < hi and ends[t] <= span_end[k]:
                t += 1
            vb[k] = t
    return a_out, b_out


def span_token_ranges_batch(const int64_t[::1] starts, const int64_t[::1] ends,
                            const int64_t[::1] doc_lo, const int64_t[::1] doc_hi,
                            const int64_t[::1] span_ptr, const int64_t[::1] span_start, const int64_t[::1] span_end):
    """:func:`span_token_ranges` for many texts at once: the spans of text ``k`` are
    ``span_ptr[k]:span_ptr[k + 1]`` and its tokens ``doc_lo[k]:doc_hi[k]``; a text with ``doc_lo[k] < 0``
    is skipped (its ranges are left at 0)."""
    cdef Py_ssize_t nd = doc_lo.shape[0], m = span_start.shape[0], k, j
    a_out = np.zeros(m, dtype=np.int64)
    b_out = np.zeros(m, dtype=np.int64)
    cdef int64_t[::1] va = a_out, vb = b_out
    cdef int64_t t, hi
    with nogil:
        for k in range(nd):
            if doc_lo[k] < 0:
                continue
            t = doc_lo[k]
            hi = doc_hi[k]
            for j in range(span_ptr[k], span_ptr[k + 1]):
                while t < hi and starts[t] < span_start[j]:
                    t += 1
                va[j] = t
                while t < hi and ends[t] <= span_end[j]:
                    t += 1
                vb[j] = t
    return a_out, b_out


# --------------------------------------------------------------------------------------------------
# n-gram table and TF-IDF

cdef struct KSlot:
    int64_t key
    int32_t val
    int32_t pad


cdef class TfidfSpec:
    """The vocabulary of one fitted syllable n-gram TF-IDF, over global syllable ids.

    Parameters
    ----------
    unigram_columns : int32 array (n_global,)
        Column of each global syllable as a unigram, -1 when not in the vocabulary.
    keys : int64 array
        ``code * 8 + n`` of every n-gram of length ``n >= 2`` in the vocabulary, where ``code`` is the
        base-``base`` number of its global syllable ids.
    values : int32 array
        The matching columns; -2 marks a key that is no feature but the prefix of a longer n-gram that
        is (the counting loop stops extending an n-gram whose prefix is absent). ``unigram_columns``
        uses -2 the same way.
    base : int
        Radix (number of global syllables + 1).
    idf : float64 array (n_features,)
    min_n, max_n : int
    """

    cdef int32_t[::1] uni
    cdef KSlot* slots
    cdef uint64_t hmask
    cdef int64_t base
    cdef double[::1] idf
    cdef readonly int min_n, max_n
    cdef readonly int32_t n_features

    def __cinit__(self, unigram_columns, keys, values, int64_t base, idf, int min_n, int max_n):
        self.uni = np.ascontiguousarray(unigram_columns, dtype=np.int32)
        self.idf = np.ascontiguousarray(idf, dtype=np.float64)
        self.base = base
        self.min_n = min_n
        self.max_n = max_n
        self.n_features = len(idf)
        cdef const int64_t[::1] kv = np.ascontiguousarray(keys, dtype=np.int64)
        cdef const int32_t[::1] vv = np.ascontiguousarray(values, dtype=np.int32)
        cdef Py_ssize_t m = kv.shape[0], k
        cdef uint64_t size = 16, pos
        while size * 3 < 5 * <uint64_t> m + 16:        # load factor at most 0.6
            size <<= 1
        self.hmask = size - 1
        self.slots = <KSlot*> malloc(size * sizeof(KSlot))
        if self.slots == NULL:
            raise MemoryError()
        for k in range(<Py_ssize_t> size):
            self.slots[k].key = -1
        for k in range(m):
            pos = _mix(<uint64_t> kv[k]) & self.hmask
            while self.slots[pos].key != -1:
                if self.slots[pos].key == kv[k]:
                    raise ValueError("duplicate n-gram key")
                pos = (pos + 1) & self.hmask
            self.slots[pos].key = kv[k]
            self.slots[pos].val = vv[k]

    def __dealloc__(self):
        free(self.slots)

    cdef inline int32_t lookup(self, int64_t key) noexcept nogil:
        cdef uint64_t pos = _mix(<uint64_t> key) & self.hmask
        cdef int64_t kk
        while True:
            kk = self.slots[pos].key
            if kk == key:
                return self.slots[pos].val
            if kk == -1:
                return -1
            pos = (pos + 1) & self.hmask


def tfidf_csr(TfidfSpec spec, const int32_t[::1] ids, const int64_t[::1] seg_lo, const int64_t[::1] seg_hi,
              const double[::1] logtf):
    """TF-IDF rows of token segments: row ``k`` holds the n-grams of ``ids[seg_lo[k]:seg_hi[k]]``.

    ``logtf[c]`` must be ``1 + np.log(c)`` (NumPy's log, so values match bit for bit) for every count
    ``c`` that can occur (up to the longest segment).

    Counts, ``1 + log(count)``, times idf, divided by the row's l2 norm (summed in column order in float64,
    as NumPy's ``bincount`` does), cast to float32: the arithmetic of ``stance.features.ngram_index``. Returns
    ``(data float32, indices int32, indptr int32)`` of a CSR matrix with sorted indices.
    """
    cdef Py_ssize_t nseg = seg_lo.shape[0], k
    cdef int32_t nf = spec.n_features
    cdef size_t nwords = (nf + 63) // 64
    cdef uint64_t* bits = <uint64_t*> calloc(nwords, sizeof(uint64_t))
    # counts per segment in a small open-addressing table (stays in L1), not a dense array of nf
    cdef int64_t longest = 0
    for k in range(nseg):
        if seg_hi[k] - seg_lo[k] > longest:
            longest = seg_hi[k] - seg_lo[k]
    cdef uint64_t cap = 64
    while cap < 2 * <uint64_t> (longest * (spec.max_n - spec.min_n + 1)) + 2:
        cap <<= 1
    cdef int32_t* lh_col = <int32_t*> malloc(cap * sizeof(int32_t))
    cdef int32_t* lh_cnt = <int32_t*> malloc(cap * sizeof(int32_t))
    if bits == NULL or lh_col == NULL or lh_cnt == NULL:
        free(bits)
        free(lh_col)
        free(lh_cnt)
        raise MemoryError()
    memset(lh_col, 0xFF, cap * sizeof(int32_t))      # -1: empty
    cdef uint64_t lmask, h
    cdef vector[uint32_t] used          # occupied slots of the local table
    cdef vector[int64_t] packed         # (col << 32) | count, sorted
    cdef vector[int32_t] out_idx
    cdef vector[float] out_val
    cdef vector[double] vals
    cdef int64_t[::1] indptr = np.zeros(nseg + 1, dtype=np.int64)
    cdef int64_t a, b, i, code
    cdef int n, min_n = spec.min_n, max_n = spec.max_n
    cdef int32_t g, col, c
    cdef int64_t base = spec.base
    cdef size_t t, nt, w
    cdef uint64_t word, size
    cdef double v, sumsq, norm
    cdef int64_t logtf_n = logtf.shape[0]
    cdef bint ok = True
    try:
        with nogil:
            for k in range(nseg):
                a = seg_lo[k]
                b = seg_hi[k]
                size = 64
                while size < 2 * <uint64_t> ((b - a) * (max_n - min_n + 1)) + 2:
                    size <<= 1
                lmask = size - 1
                used.clear()
                for i in range(a, b):
                    g = ids[i]
                    if g < 0:
                        continue
                    code = g
                    for n in range(1, max_n + 1):
                        if i + n > b:
                            break
                        if n > 1:
                            g = ids[i + n - 1]
                            if g < 0:
                                break
                            code = code * base + g
                        if n < min_n:
                            continue
                        if n == 1:
                            col = spec.uni[code]
                        else:
                            col = spec.lookup(code * 8 + n)
                        if col == -1:
                            break       # neither a feature nor the prefix of one: no longer n-gram is
                        if col >= 0:
                            h = (<uint64_t> col * <uint64_t> 0x9E3779B1) & lmask
                            while lh_col[h] != -1 and lh_col[h] != col:
                                h = (h + 1) & lmask
                            if lh_col[h] == -1:
                                lh_col[h] = col
                                lh_cnt[h] = 1
                                used.push_back(<uint32_t> h)
                            else:
                                lh_cnt[h] += 1
                nt = used.size()
                packed.resize(nt)
                if nt * 24 > nwords:
                    # many columns: order them with a bitmap, then read their counts back
                    for t in range(nt):
                        col = lh_col[used[t]]
                        bits[col >> 6] |= (<uint64_t> 1) << (col & 63)
                    t = 0
                    for w in range(nwords):
                        word = bits[w]
                        if word:
                            bits[w] = 0
                            while word:
                                col = <int32_t> (w * 64 + __builtin_ctzll(word))
                                h = (<uint64_t> col * <uint64_t> 0x9E3779B1) & lmask
                                while lh_col[h] != col:
                                    h = (h + 1) & lmask
                                packed[t] = ((<int64_t> col) << 32) | lh_cnt[h]
                                t += 1
                                word &= word - 1
                else:
                    for t in range(nt):
                        h = used[t]
                        packed[t] = ((<int64_t> lh_col[h]) << 32) | lh_cnt[h]
                    cpp_sort(packed.begin(), packed.end())
                for t in range(nt):
                    lh_col[used[t]] = -1
                vals.resize(nt)
                sumsq = 0.0
                for t in range(nt):
                    col = <int32_t> (packed[t] >> 32)
                    c = <int32_t> (packed[t] & <int64_t> 0xFFFFFFFF)
                    if c >= logtf_n:
                        ok = False
                        v = 0.0
                    else:
                        v = logtf[c] * spec.idf[col]
                    vals[t] = v
                    sumsq = sumsq + v * v
                norm = sqrt(sumsq)
                for t in range(nt):
                    out_idx.push_back(<int32_t> (packed[t] >> 32))
                    out_val.push_back(<float> (vals[t] / norm))
                indptr[k + 1] = <int64_t> out_idx.size()
    finally:
        free(bits)
        free(lh_col)
        free(lh_cnt)
    if not ok:
        raise ValueError("a count exceeds the logtf table; build it longer")
    m = <Py_ssize_t> out_idx.size()
    data = np.empty(m, dtype=np.float32)
    indices = np.empty(m, dtype=np.int32)
    cdef float[::1] dv = data
    cdef int32_t[::1] iv = indices
    if m:
        memcpy(&dv[0], out_val.data(), m * sizeof(float))
        memcpy(&iv[0], out_idx.data(), m * sizeof(int32_t))
    return data, indices, np.asarray(indptr).astype(np.int32)

