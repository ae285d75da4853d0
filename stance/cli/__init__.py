"""The ``stance`` command: a thin layer of argparse sub-commands over the library.

``main(argv) -> int`` is the console script's entry point. Each verb is a module of this package with
``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``, registered in :data:`VERBS`; to add a verb,
write such a module and add its name there.

Examples
--------
>>> main(["classify", "--format", "jsonl", "seeds/000_4dc289d512b6f0d6.txt"])  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import warnings
from typing import Any, Sequence

__all__ = ["EPILOG", "VERBS", "build_parser", "main", "warning_line"]

VERBS = ("classify", "view", "report", "train", "evaluate", "explain", "suggest", "info")
"""The sub-commands, in the order ``stance --help`` lists them; each is the module ``stance.cli.<verb>``."""


EPILOG = """exit status:
  0  everything was done
  1  some inputs could not be processed (classify: rows with an 'error' field; the message says how many)
  2  usage error or nothing to do: a bad option, a missing or unreadable file, an input with no articles,
     bad labelled data; the message says what (nothing is half-written)

Run 'stance COMMAND --help' for a command's options; docs/first_hour.md walks through a first session."""


def warning_line(command: str, message: str) -> str:
    """One readable line for a warning: the command, the first line of the message, its first details.

    Examples
    --------
    >>> warning_line("train", "2 duplicate text(s) kept (allow_duplicates=True):\\n  a.jsonl:2: same\\n  a.jsonl:5: same")
    'stance train: warning: 2 duplicate text(s) kept (--allow-duplicates): a.jsonl:2: same; a.jsonl:5: same'
    """
    message = re.sub(r"\b(allow_\w+)=True", lambda m: "--" + m.group(1).replace("_", "-"), message)
    head, *rest = [line.strip() for line in message.strip().splitlines()] or [""]
    detail = "; ".join(rest[:3]) + ("; …" if len(rest) > 3 else "")
    return f"stance {command}: warning: {head.rstrip(':')}" + (f": {detail}" if detail else "")


def build_parser() -> argparse.ArgumentParser:
    """The ``stance`` argument parser, with one sub-parser per verb (its module's ``run`` as ``args.run``)."""
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="stance",
        description="Topic and stance toward US military presence abroad in Vietnamese news.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"stance {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in VERBS:
        verb = importlib.import_module(f"{__name__}.{name}")
        p = sub.add_parser(name, help=verb.HELP, description=verb.HELP)
        verb.add_arguments(p)
        p.set_defaults(run=verb.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``stance`` command with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Exit status: 0 success, 1 some input could not be processed (the output says which), 2 bad usage
    or an error that stopped the command (the message says what).
    """
    from ..display import display_path, lossless
    from ..persist import ArtefactError
    from ..training.labelled import DataError

    _tolerant_output()
    args = build_parser().parse_args(argv)

    def show(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
        print(warning_line(args.command, str(message)), file=sys.stderr)

    try:
        with warnings.catch_warnings():
            warnings.showwarning = show
            return args.run(args)
    except (ArtefactError, DataError, ValueError) as e:
        print(f"stance {args.command}: error: {lossless(str(e))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as e:  # a file that cannot be written or read: say which, without a traceback
        where = f"{display_path(e.filename)}: " if isinstance(e.filename, (str, bytes)) else ""
        print(f"stance {args.command}: error: {where}{lossless(str(e.strerror or e))}", file=sys.stderr)
        return 2


def _tolerant_output() -> None:
    """Make standard output and error write what their encoding cannot hold as backslash escapes.

    Under a strict encoding (``PYTHONIOENCODING=utf-8:strict``, an ASCII locale) one unencodable character
    (a lone surrogate in a text, a name the encoding lacks) would otherwise stop the run and lose every
    row after it. Paths are already shown encodable (:func:`stance.display.display_path`); this is the net.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") not in ("backslashreplace",
                                                                                    "surrogateescape"):
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a stream that cannot be changed any more: left as it is
                pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
