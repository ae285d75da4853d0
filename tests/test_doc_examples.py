"""Every code example of README.md and docs/*.md runs and prints what the docs show (see tests/doc_examples.py;
``python -m tests.doc_examples --update`` rewrites the outputs after the models change)."""

from __future__ import annotations

import pytest

from tests.doc_examples import DOCS, blocks, run_doc

# docs whose examples take long (training, 11,305 passages, Dask clusters): still run by CI, in the slow set
SLOW = {"first_hour.md", "explain_and_suggest.md", "scale.md"}


def _param(doc):
    marks = [pytest.mark.slow] if doc.name in SLOW else []
    return pytest.param(doc, marks=marks, id=doc.name)


@pytest.mark.parametrize("doc", [_param(d) for d in DOCS if any(b.runnable for b in blocks(d))])
def test_the_examples_of_a_doc_run_and_print_what_it_shows(doc, shared_data):
    if any("../shared/data" in "\n".join(b.lines) for b in blocks(doc) if b.runnable):
        shared_data("stance", "train.jsonl")  # skips without the shared data (fails under CI)
    failures = run_doc(doc)
    assert not failures, "\n\n".join(f"{f.where}\n{f.message}" for f in failures) + (
        "\n\nif only the models changed: python -m tests.doc_examples --update, then review git diff")


def test_the_readme_python_example_and_the_tutorial_run():
    readme = [b for b in blocks(DOCS[0]) if b.lang == "python"]
    assert readme and all(b.runnable for b in readme), "the README's Python example runs as written"
    tutorial = blocks(DOCS[0].parent / "docs" / "first_hour.md")
    assert sum(b.runnable for b in tutorial) >= 7 and all(b.runnable for b in tutorial if b.lang in ("console", "python"))


def test_the_python_blocks_that_are_not_run_say_why_and_compile():
    skipped = [b for d in DOCS for b in blocks(d) if b.lang == "python" and not b.runnable]
    for b in skipped:
        assert b.skip, f"{b.where}: a python block that is not run must say why"
        compile("\n".join(b.lines), b.where, "exec")


def test_the_python_blocks_of_a_doc_share_names_doctests_included(tmp_path):
    doc = tmp_path / "d.md"
    doc.write_text("```python\nx = 2\n```\n\n```python\n>>> y = x + 1\n```\n\n```python\nassert y == 3\n```\n\n"
                   "```python\n>>> x + y\n5\n```\n", encoding="utf-8")
    assert run_doc(doc) == []


def test_the_console_parser_takes_quoted_lines_and_outputs(tmp_path):
    doc = tmp_path / "d.md"
    doc.write_text('```console\n$ echo "a\nb"\na\nb\n$ true\n```\n', encoding="utf-8")
    from tests.doc_examples import commands

    [block] = blocks(doc)
    assert commands(block) == [('echo "a\nb"', 3, 5), ("true", 6, 6)]
    assert run_doc(doc) == []
    doc.write_text('```console\n$ echo 1 2\n1 ...\n$ echo x\ny\n```\n', encoding="utf-8")
    [failure] = run_doc(doc)
    assert (failure.first, failure.last, failure.got) == (4, 5, "x\n")
    from tests.doc_examples import update

    assert update(doc, [failure]) == 1 and doc.read_text(encoding="utf-8").splitlines()[4] == "x"
