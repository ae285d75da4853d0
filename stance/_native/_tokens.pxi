# Syllable vocabulary and tokenising (included by _kernels.pyx).

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
