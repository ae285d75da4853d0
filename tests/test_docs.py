"""The documentation matches the code: the module map lists every module, and every dotted stance name and
`from stance... import ...` line in README.md and docs/ resolves."""

from __future__ import annotations

import importlib
import re

import pytest

from tests.paths import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FILE_SUFFIXES = {"joblib", "json", "md", "txt", "py", "png", "stance"}  # `stance.stance` is a file, not a name


def test_the_module_map_lists_every_module_of_the_tree():
    listed = set(re.findall(r"^\| `(stance/[\w/]+(?:\.py|/))` \|", (ROOT / "docs" / "CONTRIBUTING.md").read_text(encoding="utf-8"), re.M))
    tree = {p.relative_to(ROOT).as_posix() for p in (ROOT / "stance").rglob("*.py")}
    # a sub-package's __init__.py may be listed as the package folder ("stance/text/")
    unlisted = {m for m in tree if m not in listed and not (m.endswith("/__init__.py") and m.removesuffix("__init__.py") in listed)}
    assert unlisted == set(), "modules missing from docs/CONTRIBUTING.md's map"
    assert {m for m in listed if m.endswith(".py")} - tree == set(), "the map lists modules that do not exist"


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        for attr in parts[k:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_stance_name_in_the_docs_exists(doc):
    text = doc.read_text(encoding="utf-8")
    names = {n for n in re.findall(r"`(stance(?:\.[A-Za-z_]\w*)+)", text) if n.rsplit(".", 1)[1] not in FILE_SUFFIXES}
    for module, imported in re.findall(r"from (stance[\w.]*) import ([\w, ]+)", text):
        names |= {f"{module}.{name.strip()}" for name in imported.split(",") if name.strip()}
    missing = sorted(n for n in names if not _resolves(n))
    assert missing == [], f"{doc.name} names what does not exist"


def test_the_readme_command_table_lists_every_verb_and_its_opening_commands_come_first():
    from stance.cli import VERBS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| command | what it does |"):]
    listed = set(re.findall(r"^\| `stance (\w+)", table, re.M))
    assert listed == set(VERBS)
    first_block = readme.split("```")[1]
    assert first_block.startswith("bash\n# 1. install, then classify") and "pytest" in first_block
