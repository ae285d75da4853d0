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


def test_help_documents_the_exit_status_and_readme_says_the_same(capsys):
    from tests.paths import ROOT

    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    out = capsys.readouterr().out
    assert "exit status:\n  0  everything was done\n  1  some inputs could not be processed" in out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Exit status: 0" in readme and "1 some inputs could not be processed" in readme and "2 usage error" in readme


def test_a_warning_is_one_line_naming_the_command_without_a_source_path(tmp_path):
    import json

    words = {"a": ["quân Mỹ", "binh sĩ", "Iraq", "căn cứ"], "b": ["bóng đá", "cầu thủ", "trận đấu", "bàn thắng"]}
    rows = [{"text": f"{w} số {i}", "label": label} for label, ws in words.items() for i, w in enumerate(ws * 3)]
    data = tmp_path / "dup.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows + rows[:2]), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "stance.cli", "train", str(data), "--out", str(tmp_path / "m.stance"),
                           "--cv-folds", "2", "--allow-duplicates", "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == (f"stance train: warning: 2 duplicate text(s) kept (--allow-duplicates): "
                           f"{data}:25: duplicate text: same as line 1; {data}:26: duplicate text: same as line 2\n")
