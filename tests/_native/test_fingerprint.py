"""Digests of code: the same for the same code whatever was imported before, another for any edit of the
function, of a pattern or table it reads, or of a helper it calls; other libraries' code by name only."""

from __future__ import annotations

import re
import subprocess
import sys
import types

from stance._native import features
from stance._native.fingerprint import fingerprint
from stance.text import normalize as N

from ..paths import ROOT


def _clone(func, **globals_changed):
    """``func`` with some of the module-level names it reads bound to other values."""
    glob = dict(func.__globals__, **globals_changed)
    clone = types.FunctionType(func.__code__, glob, func.__name__, func.__defaults__, func.__closure__)
    clone.__module__, clone.__qualname__ = func.__module__, func.__qualname__
    return clone


def test_an_edited_pattern_or_helper_changes_the_digest():
    step = N.remove_control_characters
    assert fingerprint(_clone(step)) == fingerprint(step)
    assert fingerprint(_clone(step, _CONTROL=re.compile("[\x00-\x08]"))) != fingerprint(step)
    pileups = N._drop_mark_pileups
    assert fingerprint(_clone(N.normalize_unicode, _drop_mark_pileups=_clone(pileups, _MAX_MARKS=17))) \
        != fingerprint(N.normalize_unicode)


def test_the_digests_do_not_depend_on_what_was_imported_first():
    code = ("import sys\n{pre}\nfrom stance._native.fingerprint import fingerprint\n"
            "from stance.features.ngram_index import NgramIndex\nfrom stance.text.clean import PIPELINE\n"
            "print([fingerprint(f) for f in PIPELINE], fingerprint(NgramIndex.transform))")
    outs = set()
    for pre in ("", "import stance; stance.classify('Quân Mỹ ở Iraq.')", "import sklearn.preprocessing, doctest"):
        proc = subprocess.run([sys.executable, "-c", code.format(pre=pre)], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        outs.add(proc.stdout)
    assert len(outs) == 1


def test_the_reference_transform_is_the_checked_one():
    """Fails when NgramIndex.transform or the vectoriser's lower-casing changed: the compiled TF-IDF is then
    off (each vectoriser runs its own transform) until re-checked and its digest entered in CHECKED."""
    assert features._reference_unchanged()
