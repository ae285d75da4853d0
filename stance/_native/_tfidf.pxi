# n-gram tables and the TF-IDF matrix (included by _kernels.pyx).

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
