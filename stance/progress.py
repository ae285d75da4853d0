"""Progress bars on standard error: the one helper ``classify``, ``train``, ``evaluate`` and cross-validation use.

A bar (tqdm: count, rate, elapsed time and, when the total is known, ETA) is shown only where a person is
watching: standard error is a terminal and the caller did not ask for quiet (``--quiet`` on the command line,
``progress=False`` in Python). Otherwise :func:`progress_bar` returns a silent bar with the same methods, so
callers never branch on it.

Examples
--------
>>> with progress_bar(3, desc="folds", unit="fold", enabled=False) as bar:
...     for _ in range(3):
...         bar.update()
>>> bar.count
3
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["Progress", "progress_bar", "wanted"]


def wanted(enabled: bool | None) -> bool:
    """Whether to show a bar: ``enabled`` when given, else whether standard error is a terminal.

    Examples
    --------
    >>> wanted(False), wanted(True)
    (False, True)
    """
    if enabled is not None:
        return bool(enabled)
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


class Progress:
    """A progress bar (tqdm on standard error), or a silent one that only counts.

    Use :func:`progress_bar` to make one. ``count`` is the number of units done so far.
    """

    def __init__(self, bar: Any = None, *, initial: int = 0) -> None:
        self._bar = bar
        self.count = initial

    def update(self, n: int = 1) -> None:
        """``n`` more units done."""
        self.count += n
        if self._bar is not None:
            self._bar.update(n)

    def note(self, text: str) -> None:
        """Show ``text`` after the figures (e.g. ``"12 errors"``); nothing on a silent bar."""
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)

    def close(self) -> None:
        """Finish the bar (leaves its last state on the terminal)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress_bar(
    total: int | None = None, *, desc: str, unit: str = "it", enabled: bool | None = None, initial: int = 0
) -> Progress:
    """A :class:`Progress` bar on standard error, shown only when :func:`wanted` says so.

    Parameters
    ----------
    total : int, optional
        Units to do; without it the bar shows the count and the rate but no ETA.
    desc : str
        What is being done (``"classify"``, ``"cross-validation"``).
    unit : str, default="it"
        What one unit is (``"doc"``, ``"fold"``).
    enabled : bool, optional
        Force the bar on or off; by default on only when standard error is a terminal.
    initial : int, default=0
        Units already done (a resumed run).

    Returns
    -------
    Progress
    """
    if not wanted(enabled):
        return Progress(initial=initial)
    from tqdm import tqdm

    # No monitor thread: a bulk run forks worker processes, and a fork should not copy a running thread.
    tqdm.monitor_interval = 0
    bar = tqdm(total=total, desc=desc, unit=unit, initial=initial, file=sys.stderr, dynamic_ncols=True,
               smoothing=0.1, unit_scale=False, leave=True)
    return Progress(bar, initial=initial)
