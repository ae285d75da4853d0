"""Every docstring example of the package runs: each module's examples are one test of the default run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import stance

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["stance", *sorted(i.name for i in pkgutil.walk_packages(stance.__path__, "stance.") if not i.name.endswith("__main__"))]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)  # examples name seeds/ by their path from the project root
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in doctest.DocTestFinder().find(module, name):
        runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0, capsys.readouterr().out


def test_public_modules_have_examples():
    without = [name for name in MODULES if not any(t.examples for t in doctest.DocTestFinder().find(importlib.import_module(name), name))]
    # Package folders are described by their modules; the command line is examples-by-test (tests/cli).
    assert set(without) <= {n for n in MODULES if n.count(".") == 1 and importlib.import_module(n).__file__.endswith("__init__.py")} | {
        n for n in MODULES if n.startswith("stance.cli")}, without
