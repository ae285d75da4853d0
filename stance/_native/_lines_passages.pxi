# The furniture pre-filter and passages with spans (included by _kernels.pyx).

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
