# White space and tone marks (included by _kernels.pyx: one extension module).

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
    """Exactly ``stance.text.normalize.normalize_tone_marks`` (tables from :func:`init_tones` and
    :func:`init_marks`: a word followed by a combining mark is left alone); ``syllable_fallback`` is the
    reference ``_normalize_syllable``, called only for words with a letter outside ASCII, đ and the vowel table.
    Returns ``text`` itself when nothing changes."""
    if not TONES_READY:
        raise RuntimeError("init_tones() was not called")
    if not MARKS_READY:
        raise RuntimeError("init_marks() was not called")
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
        if b < n and _is_mark(PyUnicode_READ(kind, data, b)):
            continue  # a stray mark after the word would compose with its last letter: left alone
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
