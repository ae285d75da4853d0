"""The code examples of README.md and docs/*.md, run as a user would run them, their output compared with the docs.

What runs:

- ```` ```console ```` blocks: each ``$ command`` line (continued on the next lines while a quote is open or a
  line ends in ``\\``) runs in bash; the lines after it, up to the next ``$``, are the output it must print
  (standard output and standard error together, as a terminal shows them; ``...`` matches anything, as in doctest's ELLIPSIS). A command
  whose expected output has no ``error:`` must exit 0.
- ```` ```python ```` blocks with ``>>>`` prompts: doctests (ELLIPSIS).
- other ```` ```python ```` blocks: run as a script; they must not raise. The python blocks of one doc share
  their names, in order, as in a notebook.
- a block right after a line ``<!-- doc-examples: not run (REASON) -->`` is not run (API synopses, interface
  sketches); ```` ```bash ```` and bare ```` ``` ```` blocks are not run (install commands, long jobs, output
  listings).

Every doc's runnable blocks run in order in one fresh folder that holds ``seeds/`` (the project's seeds) and,
beside it, ``../shared/data`` (the shared data, when present), with ``stance`` and ``python`` on ``PATH`` running
this checkout. So the docs write their commands from the project root, as a user reads them.

When the shipped models change, their printed outputs change: regenerate every expected output with

    python -m tests.doc_examples --update            # from the project root; or name docs: ... docs/first_hour.md

and review ``git diff``: it rewrites the outputs of the examples that no longer match, nothing else.
"""

from __future__ import annotations

import argparse
import contextlib
import doctest
import io
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DATA = Path(os.environ.get("STANCE_DATA", ROOT.parent / "shared" / "data"))
SKIP = re.compile(r"^<!-- doc-examples: not run \((.+)\) -->\s*$")
CHECKER = doctest.OutputChecker()


@dataclass
class Block:
    """A fenced block: its language, the line of its first content line (0-based, in the file) and its lines."""

    doc: Path
    lang: str
    start: int
    lines: list[str]
    skip: str | None = None

    @property
    def where(self) -> str:
        return f"{self.doc.name}:{self.start + 1}"

    @property
    def runnable(self) -> bool:
        return self.skip is None and (self.lang == "console" or self.lang == "python")


@dataclass
class Failure:
    """An example whose output differs: where (lines of the doc to replace) and what it printed."""

    where: str
    message: str
    first: int = 0  # 0-based doc lines [first, last) hold the expected output
    last: int = 0
    got: str | None = None  # None: cannot be fixed by rewriting the output (an exception, an exit status)


def blocks(doc: Path) -> list[Block]:
    """The fenced blocks of ``doc``, in order."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].rstrip() != "```":
            j += 1
        skip = SKIP.match(lines[i - 1]) if i > 0 else None
        out.append(Block(doc, m.group(1), i + 1, lines[i + 1:j], skip.group(1) if skip else None))
        i = j + 1
    return out


# ------------------------------------------------------------------------------------------------ console


def _complete(command: str) -> bool:
    if command.endswith("\\"):
        return False
    try:
        shlex.split(command)
    except ValueError:  # an open quote: the command goes on
        return False
    return True


def commands(block: Block) -> list[tuple[str, int, int]]:
    """``(command, first, last)`` of a console block: the command, and the doc lines ``[first, last)`` that
    hold its expected output."""
    out = []
    i = 0
    while i < len(block.lines):
        line = block.lines[i]
        if not line.startswith("$ "):
            raise ValueError(f"{block.doc.name}:{block.start + i + 1}: output before any '$ ' command")
        command = line[2:]
        i += 1
        while not _complete(command) and i < len(block.lines):
            command += "\n" + block.lines[i]
            i += 1
        first = i
        while i < len(block.lines) and not block.lines[i].startswith("$ "):
            i += 1
        out.append((command, block.start + first, block.start + i))
    return out


def matches(want: str, got: str) -> bool:
    """doctest's comparison with ELLIPSIS, trailing white space of each line and trailing blank lines ignored."""
    def norm(s: str) -> str:
        return "\n".join(line.rstrip() for line in s.rstrip().splitlines()) + "\n"

    return CHECKER.check_output(norm(want), norm(got), doctest.ELLIPSIS)


def run_console(block: Block, cwd: Path, env: dict[str, str], lines: list[str]) -> list[Failure]:
    failures = []
    for command, first, last in commands(block):
        want = "\n".join(lines[first:last])
        proc = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=600)
        got = proc.stdout
        where = f"{block.doc.name}:{first}"
        if proc.returncode != 0 and "error:" not in want:
            failures.append(Failure(where, f"$ {command}\nexit status {proc.returncode}:\n{got}"))
        elif not matches(want, got):
            failures.append(Failure(where, f"$ {command}\nexpected:\n{want}\ngot:\n{got}", first, last, got))
    return failures


# ------------------------------------------------------------------------------------------------- python


class _Collector(doctest.DocTestRunner):
    def __init__(self) -> None:
        super().__init__(optionflags=doctest.ELLIPSIS)
        self.failed: list[tuple[doctest.Example, str | BaseException]] = []

    def report_failure(self, out, test, example, got):  # noqa: ANN001 (doctest's signature)
        self.failed.append((example, got))

    def report_unexpected_exception(self, out, test, example, exc_info):  # noqa: ANN001
        self.failed.append((example, exc_info[1]))


def run_python(block: Block, cwd: Path, namespace: dict) -> list[Failure]:
    """Run a python block in ``namespace`` (shared by the blocks of one doc, as in a notebook)."""
    source = "\n".join(block.lines) + "\n"
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        if ">>>" not in source:
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(source, block.where, "exec"), namespace)
            except Exception as e:  # noqa: BLE001 (reported as the failure of the example)
                return [Failure(block.where, f"{type(e).__name__}: {e}")]
            return []
        test = doctest.DocTestParser().get_doctest(source, namespace, block.where, str(block.doc), block.start)
        runner = _Collector()
        runner.run(test, out=lambda s: None, clear_globs=False)
        namespace.update(test.globs)  # DocTest ran on a copy: its names go on to the next blocks
    finally:
        os.chdir(previous)
    failures = []
    for example, got in runner.failed:
        first = block.start + example.lineno + example.source.count("\n")
        where = f"{block.doc.name}:{block.start + example.lineno + 1}"
        if isinstance(got, BaseException):
            failures.append(Failure(where, f">>> {example.source}raised {type(got).__name__}: {got}"))
        else:
            failures.append(Failure(where, f">>> {example.source}expected:\n{example.want}got:\n{got}", first,
                                    first + example.want.count("\n"), got))
    return failures


# -------------------------------------------------------------------------------------------------- a doc


@contextlib.contextmanager
def workspace():
    """A fresh folder with ``seeds/`` and ``../shared/data``, and the environment that runs this checkout."""
    with tempfile.TemporaryDirectory(prefix="stance-docs-") as tmp:
        top = Path(tmp)
        cwd = top / "project"
        cwd.mkdir()
        (cwd / "seeds").symlink_to(ROOT / "seeds")
        if DATA.is_dir():
            (top / "shared").mkdir()
            (top / "shared" / "data").symlink_to(DATA.resolve())
        bin_ = top / "bin"
        bin_.mkdir()
        for name, run in (("stance", f'"{sys.executable}" -m stance.cli'), ("python", f'"{sys.executable}"')):
            (bin_ / name).write_text(f'#!/bin/sh\nexec {run} "$@"\n', encoding="utf-8")
            (bin_ / name).chmod(0o755)
        env = {**os.environ, "PATH": f"{bin_}{os.pathsep}{os.environ.get('PATH', '')}", "PYTHONPATH": str(ROOT),
               "COLUMNS": "120"}
        env.pop("STANCE_DATA", None)  # the docs say ../shared/data; it is there
        yield cwd, env


def run_doc(doc: Path) -> list[Failure]:
    """Run every runnable block of ``doc`` in order in one workspace; the examples whose output differs."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    failures: list[Failure] = []
    namespace = {"__name__": "__doc_example__"}
    with workspace() as (cwd, env):
        for block in blocks(doc):
            if not block.runnable:
                continue
            if block.lang == "console":
                failures += run_console(block, cwd, env, lines)
            else:
                sys.path.insert(0, str(ROOT))
                try:
                    failures += run_python(block, cwd, namespace)
                finally:
                    sys.path.remove(str(ROOT))
    return failures


def update(doc: Path, failures: list[Failure]) -> int:
    """Rewrite the expected outputs of ``failures`` in ``doc`` with what was printed; how many were rewritten."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    fixable = sorted((f for f in failures if f.got is not None), key=lambda f: f.first, reverse=True)
    for f in fixable:
        lines[f.first:f.last] = [line.rstrip() for line in f.got.rstrip("\n").splitlines()]
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(fixable)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.doc_examples", description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", nargs="*", type=Path, help="docs to run (default README.md and docs/*.md)")
    parser.add_argument("--update", action="store_true", help="rewrite the outputs that differ with what was printed")
    args = parser.parse_args(argv)
    status = 0
    for doc in [d.resolve() for d in args.docs] or DOCS:
        failures = run_doc(doc)
        for f in failures:
            print(f"--- {f.where}\n{f.message}", file=sys.stderr)
        if args.update and failures:
            n = update(doc, failures)
            print(f"{doc.relative_to(ROOT)}: rewrote {n} output(s); {len(failures) - n} failure(s) left")
            status |= int(len(failures) > n)
        else:
            print(f"{doc.relative_to(ROOT)}: {'ok' if not failures else f'{len(failures)} failure(s)'}")
            status |= int(bool(failures))
    return status


if __name__ == "__main__":
    sys.exit(main())
