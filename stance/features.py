"""Feature extractors: scikit-learn transformers over lists of texts.

* :class:`TextVectorizer` — TF-IDF over syllable n-grams (fast default) or underthesea words, with
  tokenisation configured on purpose (one-letter syllables kept) and optional cleaning of raw text.
* :class:`StanceCues` — counts of stance cue words toward the target (support / opposition), negated
  cues, mentions of the target (US / coalition / NATO forces) and of things the guideline calls
  unrelated (other countries' forces alone, past wars), written from ``GUIDELINE.md``'s definitions.

Both follow scikit-learn's conventions: the constructor only stores its keyword arguments, ``fit``
learns attributes ending in ``_``, and they clone, pickle and round-trip ``get_params``.

Examples
--------
>>> vec = TextVectorizer(ngram_range=(1, 1), min_df=1).fit(["Quân Mỹ ở Iraq", "Quân Nga ở Syria"])
>>> sorted(vec.vocabulary_)[:4]
['iraq', 'mỹ', 'nga', 'quân']
>>> StanceCues().fit_transform(["Người biểu tình phản đối quân Mỹ"]).shape
(1, 16)
"""

from __future__ import annotations

import copy
import re
from typing import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .clean import clean
from .fastvec import NgramIndex
from .segment import TOKEN_PATTERN, words

__all__ = ["TextVectorizer", "StanceCues", "CUE_GROUPS"]

_TOKEN_KINDS = ("syllables", "words")


def _clean_lower(text: str) -> str:
    return clean(text).lower()


def _lower(text: str) -> str:
    return text.lower()


class TextVectorizer(TransformerMixin, BaseEstimator):
    """TF-IDF features of syllable or word n-grams.

    Parameters
    ----------
    tokens : {"syllables", "words"}, default="syllables"
        ``"syllables"``: runs of word characters (fast, the default). ``"words"``: underthesea's
        ``word_tokenize`` (about 100 times slower; see ``docs/models.md``).
    ngram_range : tuple of int, default=(1, 2)
        Smallest and largest n-gram.
    min_df : int or float, default=2
        Ignore n-grams in fewer documents than this.
    max_df : float, default=1.0
        Ignore n-grams in a larger share of documents than this.
    max_features : int or None, default=None
        Keep only the most frequent n-grams (bounds the model size).
    sublinear_tf : bool, default=True
        Use ``1 + log(tf)``.
    clean : bool, default=True
        Run :func:`stance.clean.clean` on each text first (idempotent, so cleaned text may be passed again).

    Attributes
    ----------
    vectorizer_ : sklearn.feature_extraction.text.TfidfVectorizer
        The fitted vectorizer.
    vocabulary_ : dict
        n-gram to column index.
    index_ : stance.fastvec.NgramIndex or None
        The vocabulary arranged for the fast transform of syllable n-grams (None for words).

    Examples
    --------
    >>> vec = TextVectorizer(ngram_range=(1, 2), min_df=1)
    >>> vec.fit_transform(["Ở Iraq", "ở Syria"]).shape
    (2, 5)
    """

    def __init__(
        self,
        *,
        tokens: str = "syllables",
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int | float = 2,
        max_df: float = 1.0,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        clean: bool = True,
    ) -> None:
        self.tokens = tokens
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.clean = clean

    def _make(self) -> TfidfVectorizer:
        if self.tokens not in _TOKEN_KINDS:
            raise ValueError(f"tokens must be one of {_TOKEN_KINDS}, got {self.tokens!r}")
        common = dict(
            ngram_range=tuple(self.ngram_range),
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
            sublinear_tf=self.sublinear_tf,
            dtype=np.float32,
        )
        if self.tokens == "words":
            # word_tokenize needs the original case to find proper names; it lower-cases its output.
            return TfidfVectorizer(
                preprocessor=clean if self.clean else None,
                tokenizer=words,
                token_pattern=None,
                lowercase=False,
                **common,
            )
        return TfidfVectorizer(
            preprocessor=_clean_lower if self.clean else _lower,
            token_pattern=TOKEN_PATTERN,
            **common,
        )

    def fit(self, X: Iterable[str], y: object = None) -> "TextVectorizer":
        """Learn the vocabulary and IDF weights from texts."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Iterable[str], y: object = None) -> sp.csr_matrix:
        """Fit, then return the TF-IDF matrix of the same texts (one pass over them)."""
        self.vectorizer_ = self._make()
        out = self.vectorizer_.fit_transform(_as_list(X))
        self.vocabulary_ = self.vectorizer_.vocabulary_
        # Syllable n-grams get the vectorised lookup of stance.fastvec (same matrix, 2-3x faster).
        self.index_ = NgramIndex.from_vectorizer(self.vectorizer_) if self.tokens == "syllables" else None
        return out

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """TF-IDF matrix of texts, one row per text."""
        check_is_fitted(self, "vectorizer_")
        texts = _as_list(X)
        index = getattr(self, "index_", None)
        if index is None:
            return self.vectorizer_.transform(texts)
        return index.transform([clean(t) for t in texts] if self.clean else texts)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The n-grams, in column order."""
        check_is_fitted(self, "vectorizer_")
        return self.vectorizer_.get_feature_names_out()

    # joblib unpickles with a pure-Python unpickler, so a 200,000-entry dict takes most of a second to
    # load. The vocabulary and the index's syllable table are pickled as one joined string each (terms
    # in column order) and rebuilt as dicts on load, which takes a few hundredths of a second.
    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # object.__getstate__ returns the live __dict__
        vec = state.get("vectorizer_")
        if vec is None or "vocabulary_" not in vec.__dict__:
            return state
        vec = copy.copy(vec)
        vocab = vec.__dict__.pop("vocabulary_")
        terms = sorted(vocab, key=vocab.__getitem__)
        if any(_SEP in t for t in terms) or [vocab[t] for t in terms[:1]] not in ([], [0]):
            return dict(super().__getstate__())
        state["vectorizer_"] = vec
        state.pop("vocabulary_", None)
        state["_packed_terms"] = _SEP.join(terms)
        index = state.get("index_")
        if index is not None:
            index = copy.copy(index)
            tokens = sorted(index.token_ids, key=index.token_ids.__getitem__)
            index.token_ids = None
            state["index_"] = index
            state["_packed_tokens"] = _SEP.join(tokens)
        return state

    def __setstate__(self, state: dict) -> None:
        terms = state.pop("_packed_terms", None)
        tokens = state.pop("_packed_tokens", None)
        super().__setstate__(state)
        if terms is not None:
            vocab = {t: i for i, t in enumerate(terms.split(_SEP))} if terms else {}
            self.vectorizer_.vocabulary_ = vocab
            self.vocabulary_ = vocab
        if tokens is not None:
            self.index_.token_ids = {t: i for i, t in enumerate(tokens.split(_SEP))} if tokens else {}


_SEP = "\x00"  # never inside a term: tokens are runs of word characters


def _as_list(X: Iterable[str]) -> list[str]:
    if isinstance(X, str):
        raise TypeError("expected a list of texts, got a single str; wrap it in a list")
    return list(X)


# --------------------------------------------------------------------------------------------------
# Stance cues. Phrases are lower-case syllable sequences; they match on syllable boundaries.

CUE_GROUPS: dict[str, tuple[str, ...]] = {
    # The target: US / coalition / NATO forces abroad (GUIDELINE.md, "Target").
    "target": (
        "quân mỹ", "quân đội mỹ", "binh sĩ mỹ", "binh lính mỹ", "lính mỹ", "lực lượng mỹ",
        "thủy quân lục chiến mỹ", "lính thủy đánh bộ mỹ", "căn cứ mỹ", "căn cứ quân sự mỹ",
        "quân đội hoa kỳ", "quân hoa kỳ", "binh sĩ hoa kỳ", "liên quân", "quân đồng minh",
        "liên minh do mỹ", "liên minh quân sự do mỹ", "liên minh quốc tế", "nato", "lầu năm góc",
        "quân nước ngoài", "binh sĩ nước ngoài", "lực lượng nước ngoài", "quân chiếm đóng", "thaad",
        "okinawa", "yongsan", "không kích của mỹ", "mỹ không kích", "đồn trú",
    ),
    "presence": (
        "hiện diện", "triển khai", "đồn trú", "căn cứ", "đưa quân", "điều quân", "rút quân", "tăng quân",
        "binh sĩ", "quân", "không kích", "sứ mệnh", "huấn luyện",
    ),
    # Supports, justifies, requests or defends keeping or expanding the presence.
    "pro": (
        "ủng hộ", "hoan nghênh", "duy trì", "ở lại", "tiếp tục hiện diện", "tăng cường", "tăng quân",
        "gửi thêm", "điều thêm", "triển khai thêm", "bổ sung", "cam kết", "cần thiết", "bảo vệ",
        "giúp đỡ", "hỗ trợ", "ổn định", "khoảng trống", "lỗ hổng an ninh", "quá sớm", "vội vàng",
        "hợp tác", "giải phóng", "đề nghị", "kêu gọi", "mở rộng", "chừng nào còn cần", "an ninh",
        "không rút", "chưa rút", "đóng góp",
    ),
    # Opposes or criticises the presence, calls for or welcomes its end, presents it as harmful.
    "anti": (
        "phản đối", "biểu tình", "chiếm đóng", "kẻ chiếm đóng", "rút quân", "rút khỏi", "rút hết",
        "rút toàn bộ", "trục xuất", "chấm dứt", "kết thúc", "đòi", "yêu cầu rút", "lên án",
        "chỉ trích", "tội ác", "ngược đãi", "tra tấn", "thảm sát", "thường dân", "dân thường",
        "xâm lược", "can thiệp", "đe dọa", "bất hợp pháp", "vi phạm", "chủ quyền", "nam châm",
        "sa lầy", "thất bại", "sai lầm", "giận dữ", "bạo lực", "tấn công", "bắt cóc", "con tin",
        "cảnh báo", "khiêu khích", "bất ổn", "thiệt mạng",
    ),
    "negation": ("không", "chưa", "chẳng", "chả", "đừng", "không hề", "không bao giờ", "không thể", "từ chối"),
    # Things the guideline calls unrelated on their own.
    "other_forces": (
        "quân nga", "quân đội nga", "nga", "trung quốc", "triều tiên", "iran", "thổ nhĩ kỳ",
        "israel", "quân đội syria", "quân chính phủ",
    ),
    "past_war": (
        "chiến tranh việt nam", "kháng chiến", "chiến tranh triều tiên", "chiến tranh vùng vịnh",
        "năm 1968", "năm 1972", "năm 1975", "năm 1991", "thế chiến", "chiến tranh thế giới", "hồi ký",
        "cựu chiến binh",
    ),
    "quote": ("nói", "cho biết", "tuyên bố", "khẳng định", "nhấn mạnh"),
}

_CUE_ORDER = ("target", "presence", "pro", "anti", "negation", "other_forces", "past_war", "quote")
_NEGATION_WINDOW = 3


def _phrase_index(groups: dict[str, tuple[str, ...]]) -> dict[tuple[str, ...], set[str]]:
    index: dict[tuple[str, ...], set[str]] = {}
    for name, phrases in groups.items():
        for phrase in phrases:
            index.setdefault(tuple(phrase.split()), set()).add(name)
    return index


_PHRASES = _phrase_index(CUE_GROUPS)
_MAX_PHRASE = max(len(p) for p in _PHRASES)
_SYLLABLE = re.compile(TOKEN_PATTERN)


class StanceCues(TransformerMixin, BaseEstimator):
    """Counts of stance cues toward US / coalition military presence, with negation.

    For each text: ``log1p`` counts of each group of :data:`CUE_GROUPS` (target mentions, presence
    words, pro cues, anti cues, negators, other countries' forces, past wars, reporting verbs), of pro
    and anti cues preceded by a negator within three syllables, of pro and anti cues in a passage that
    mentions the target, whether the target is mentioned at all, plus the passage length. 16 columns.

    Parameters
    ----------
    clean : bool, default=True
        Run :func:`stance.clean.clean` on each text first.

    Examples
    --------
    >>> X = StanceCues().fit_transform(["Quân Mỹ không rút khỏi Iraq", "Đội tuyển thắng"])
    >>> names = list(StanceCues().fit([""]).get_feature_names_out())
    >>> int(X[0, names.index("target")] > 0), int(X[1, names.index("target")] > 0)
    (1, 0)
    """

    def __init__(self, *, clean: bool = True) -> None:
        self.clean = clean

    def fit(self, X: Iterable[str], y: object = None) -> "StanceCues":
        """Nothing to learn; records the number of output features."""
        self.n_features_out_ = len(self._names())
        return self

    @staticmethod
    def _names() -> list[str]:
        return [
            *_CUE_ORDER,
            "pro_negated",
            "anti_negated",
            "pro_with_target",
            "anti_with_target",
            "has_target",
            "log_length",
            "other_without_target",
            "past_war_without_target",
        ]

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the output columns."""
        return np.asarray(self._names(), dtype=object)

    def _row(self, text: str) -> list[float]:
        if self.clean:
            text = clean(text)
        toks = _SYLLABLE.findall(text.lower())
        counts = dict.fromkeys(_CUE_ORDER, 0)
        negated = {"pro": 0, "anti": 0}
        last_negation = -10
        k = 0
        while k < len(toks):
            matched = 0
            for n in range(min(_MAX_PHRASE, len(toks) - k), 0, -1):
                names = _PHRASES.get(tuple(toks[k : k + n]))
                if names:
                    for name in names:
                        counts[name] += 1
                        if name in negated and k - last_negation <= _NEGATION_WINDOW:
                            negated[name] += 1
                    if "negation" in names:
                        last_negation = k + n - 1
                    matched = n
                    break
            k += matched or 1
        has_target = 1.0 if counts["target"] else 0.0
        row = [float(np.log1p(counts[name])) for name in _CUE_ORDER]
        row += [
            float(np.log1p(negated["pro"])),
            float(np.log1p(negated["anti"])),
            float(np.log1p(counts["pro"])) * has_target,
            float(np.log1p(counts["anti"])) * has_target,
            has_target,
            float(np.log1p(len(toks))) / 6.0,
            float(np.log1p(counts["other_forces"])) * (1.0 - has_target),
            float(np.log1p(counts["past_war"])) * (1.0 - has_target),
        ]
        return row

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """Cue features, one row per text (sparse, so it stacks with TF-IDF)."""
        check_is_fitted(self, "n_features_out_")
        rows = [self._row(t) for t in _as_list(X)]
        return sp.csr_matrix(np.asarray(rows, dtype=np.float32).reshape(len(rows), self.n_features_out_))
