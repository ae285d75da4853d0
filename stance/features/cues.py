"""Stance cue features: :class:`StanceCues`, counts of cue words toward the target, with negation.

Counts of stance cue words toward the target (support / opposition), negated cues, mentions of the target
(US / coalition / NATO forces) and of things the guideline calls unrelated (other countries' forces alone,
past wars), written from ``GUIDELINE.md``'s definitions in :data:`CUE_GROUPS`. Phrases are lower-case
syllable sequences; they match on syllable boundaries.

Examples
--------
>>> StanceCues().fit_transform(["Người biểu tình phản đối quân Mỹ"]).shape
(1, 16)
"""

from __future__ import annotations

import re
from typing import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..text.segment import TOKEN_PATTERN
from ..validation import check_texts, validate_params

__all__ = ["CUE_GROUPS", "StanceCues"]

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


class StanceCues(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):  # sparse output: no set_output
    """Counts of stance cues toward US / coalition military presence, with negation.

    For each text: ``log1p`` counts of each group of :data:`CUE_GROUPS` (target mentions, presence
    words, pro cues, anti cues, negators, other countries' forces, past wars, reporting verbs), of pro
    and anti cues preceded by a negator within three syllables, of pro and anti cues in a passage that
    mentions the target, whether the target is mentioned at all, plus the passage length. 16 columns.

    It has no parameters and learns nothing but the number of columns.

    Examples
    --------
    >>> X = StanceCues().fit_transform(["Quân Mỹ không rút khỏi Iraq", "Đội tuyển thắng"])
    >>> names = list(StanceCues().fit([""]).get_feature_names_out())
    >>> int(X[0, names.index("target")] > 0), int(X[1, names.index("target")] > 0)
    (1, 0)
    """

    _parameter_constraints: dict = {}

    def fit(self, X: Iterable[str], y: object = None) -> "StanceCues":
        """Nothing to learn; records the number of output features."""
        validate_params(self)
        check_texts(X)
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
        rows = [self._row(t) for t in check_texts(X)]
        return sp.csr_matrix(np.asarray(rows, dtype=np.float32).reshape(len(rows), self.n_features_out_))
