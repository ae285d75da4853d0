"""``stance view``: a page for a seed article, written where asked; errors exit 2 naming the file."""

from __future__ import annotations

import subprocess
import sys

from stance import classify
from stance.cli import main

from tests.paths import ROOT, SEEDS


def test_view_writes_the_page_of_a_seed(tmp_path, capsys):
    out = tmp_path / "sub" / "page.html"
    assert main(["view", str(SEEDS[2]), "--out", str(out), "--title", "Tiêu đề <khác>"]) == 0
    html = out.read_text(encoding="utf-8")
    result = classify(SEEDS[2].read_text(encoding="utf-8"))
    assert "<h1>Tiêu đề &lt;khác&gt;</h1>" in html and html.count('<section class="passage') == len(result.passages)
    assert f"{out}: {result.stance}" in capsys.readouterr().err
    assert sorted(p.name for p in out.parent.iterdir()) == ["page.html"]  # no temporary file left


def test_view_as_a_command(tmp_path):
    out = tmp_path / "p.html"
    proc = subprocess.run([sys.executable, "-m", "stance.cli", "view", "seeds/000_4dc289d512b6f0d6.txt", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_view_errors(tmp_path, capsys):
    assert main(["view", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "p.html")]) == 2
    assert "missing.txt" in capsys.readouterr().err
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["view", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "p.html")]) == 2
    assert "empty.txt" in capsys.readouterr().err and not (tmp_path / "p.html").exists()
