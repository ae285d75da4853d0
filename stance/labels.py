"""Label sets of the two default tasks, written down once.

The topic labels are VNTC's ASCII folder names; :data:`TOPIC_DISPLAY_NAMES` gives the Vietnamese
names a reader expects. The stance labels follow ``GUIDELINE.md`` of the stance data: the position a
passage conveys toward the military presence or intervention of the United States (and of alliances it
leads or belongs to) in other countries.
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Mapping, Sequence

__all__ = [
    "TOPIC_LABELS",
    "TOPIC_DISPLAY_NAMES",
    "STANCE_LABELS",
    "STANCE_DESCRIPTIONS",
    "display_order",
    "topic_display_name",
]

TOPIC_LABELS: tuple[str, ...] = (
    "Chinh tri Xa hoi",
    "Doi song",
    "Khoa hoc",
    "Kinh doanh",
    "Phap luat",
    "Suc khoe",
    "The gioi",
    "The thao",
    "Van hoa",
    "Vi tinh",
)

TOPIC_DISPLAY_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "Chinh tri Xa hoi": "Chính trị – Xã hội",
        "Doi song": "Đời sống",
        "Khoa hoc": "Khoa học",
        "Kinh doanh": "Kinh doanh",
        "Phap luat": "Pháp luật",
        "Suc khoe": "Sức khỏe",
        "The gioi": "Thế giới",
        "The thao": "Thể thao",
        "Van hoa": "Văn hóa",
        "Vi tinh": "Vi tính",
    }
)

STANCE_LABELS: tuple[str, ...] = ("pro", "anti", "neutral", "unrelated")

STANCE_DESCRIPTIONS: Mapping[str, str] = MappingProxyType(
    {
        "pro": "supports, justifies, requests or defends keeping or expanding the presence",
        "anti": "opposes or criticises the presence, calls for or welcomes its end",
        "neutral": "about the presence, no dominant position",
        "unrelated": "not about the presence",
    }
)


def topic_display_name(label: str) -> str:
    """Return the Vietnamese display name of a VNTC topic label.

    Parameters
    ----------
    label : str
        A label of :data:`TOPIC_LABELS`, or any other label (returned unchanged, so models retrained on
        other label sets display their own labels).

    Returns
    -------
    str
        The display name.

    Examples
    --------
    >>> topic_display_name("The gioi")
    'Thế giới'
    >>> topic_display_name("sports")
    'sports'
    """
    return TOPIC_DISPLAY_NAMES.get(label, label)


def display_order(labels: Sequence[str]) -> list[int]:
    """Positions of ``labels`` in the order a reader expects them: the stance labels in the order of
    :data:`STANCE_LABELS` (pro, anti, neutral, unrelated), then any other label in the order given.

    Models keep their ``classes_`` sorted, as scikit-learn expects; results show scores in this order.

    Examples
    --------
    >>> display_order(["anti", "neutral", "pro", "unrelated"])
    [2, 0, 1, 3]
    >>> display_order(["The gioi", "The thao"])
    [0, 1]
    """
    return list(_display_order(tuple(labels)))


@lru_cache(maxsize=64)
def _display_order(labels: tuple[str, ...]) -> tuple[int, ...]:
    rank = {label: k for k, label in enumerate(STANCE_LABELS)}
    return tuple(sorted(range(len(labels)), key=lambda k: (rank.get(labels[k], len(rank)), k)))
