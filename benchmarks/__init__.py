"""Side-by-side benchmarks of Vietnamese news topic classifiers.

Run ``python -m benchmarks --help`` from the project root. Every system is
trained and measured in its own subprocess so that memory figures do not mix;
see :mod:`benchmarks.systems` for the :class:`~benchmarks.systems.System`
interface a new system implements.
"""

from benchmarks.measure import latency_summary, percentile
from benchmarks.systems import SYSTEMS, System, get_system

__all__ = [
    "SYSTEMS",
    "System",
    "get_system",
    "latency_summary",
    "percentile",
]
