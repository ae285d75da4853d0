"""The ``stance`` command itself: installed, versioned, its verbs registered."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from stance.cli import VERBS, build_parser, main


def test_console_script_is_installed():
    proc = subprocess.run([sys.executable, "-m", "stance.cli", "--version"], capture_output=True, text=True, check=True)
    assert proc.stdout.startswith("stance ")


def test_every_verb_module_is_registered_with_help(capsys):
    assert list(VERBS) == ["classify", "view", "report", "train", "evaluate", "explain", "suggest", "info"]
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--help"])
    listing = " ".join(capsys.readouterr().out.split())  # argparse wraps long help lines
    assert exit_.value.code == 0
    for verb in VERBS:
        module = importlib.import_module(f"stance.cli.{verb}")
        assert module.HELP in listing and callable(module.add_arguments) and callable(module.run)


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["no-such-verb"])
    assert exit_.value.code == 2
