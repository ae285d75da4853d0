"""Where a model may be written without destroying anything: :func:`check_outputs`, :func:`card_path`.

Saving replaces a file. A model (and its model card) may replace only what stance itself wrote there:

- nothing, or a dangling symbolic link;
- for the model: a stance model file (one-file format, any version; or a legacy ``.joblib`` whose
  manifest beside it names it);
- for the card: a card of the same model file (its last line names it), or a card of a legacy model
  when the model replaced is a stance model.

Anything else is refused with :class:`UnsafeOutputError`, before any work: a folder, a device or FIFO,
any input file (also through a symbolic link, ``..``, a hard link or a case-insensitive file system:
compared with :func:`os.path.samefile`), a path inside an input folder, or an existing file of any other
kind (remove it yourself if you mean it; there is no option to force it).

Examples
--------
>>> card_path("models/m.stance").as_posix(), card_path("m.md").as_posix()
('models/m.md', 'm.md.card.md')
>>> card_marker("m.stance")
'<!-- stance model card of m.stance -->'
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable

from .container import MAGIC, MAX_MANIFEST_BYTES
from .errors import UnsafeOutputError
from .legacy import is_legacy

__all__ = ["card_marker", "card_path", "check_outputs", "check_target", "target_kind"]

_CARD_TITLE = "# Model card: "
_MARKER = "<!-- stance model card of "


def card_path(out: str | os.PathLike) -> Path:
    """The model card of a model file: same folder and stem, ``.md`` (``<name>.card.md`` for a ``.md`` model)."""
    out = Path(out)
    return out.with_name(out.name + ".card.md") if out.suffix.lower() == ".md" else out.with_suffix(".md")


def card_marker(model_name: str) -> str:
    """The line that ends the card of the model file named ``model_name``."""
    return f"{_MARKER}{model_name} -->"


def _head(path: Path, n: int) -> bytes:
    """The first ``n`` bytes of a regular file (checked on the open file, opened without blocking)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, n)
    finally:
        os.close(fd)


def target_kind(path: str | os.PathLike) -> str:
    """What is at ``path`` (symbolic links followed): ``"missing"``, ``"folder"``, ``"special"`` (FIFO,
    device, socket), ``"model"`` (stance one-file format), ``"legacy"`` (a stance < 0.2 payload) or
    ``"other"`` (any other file)."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as e:
        raise UnsafeOutputError(f"{path}: cannot check what is there ({e.strerror or type(e).__name__})") from None
    if stat.S_ISDIR(st.st_mode):
        return "folder"
    if not stat.S_ISREG(st.st_mode):
        return "special"
    try:
        if _head(path, len(MAGIC)) == MAGIC:
            return "model"
    except OSError as e:
        raise UnsafeOutputError(f"{path}: cannot check what is there ({e.strerror or type(e).__name__})") from None
    return "legacy" if is_legacy(path) else "other"


def _input_it_is(path: Path, inputs: Iterable[str | os.PathLike]) -> Path | None:
    """The input that ``path`` is (or lies inside, for an input folder), if any."""
    here = path.parent.resolve()
    for given in inputs:
        inp = Path(given)
        try:
            if path.exists() and os.path.samefile(path, inp):
                return inp
            if inp.is_dir() and any(os.path.samefile(p, inp) for p in (here, *here.parents) if p.exists()):
                return inp
        except OSError:
            continue
    return None


def _not_an_input(path: Path, inputs: list, what: str) -> None:
    same = _input_it_is(path, inputs)
    if same is not None:
        raise UnsafeOutputError(f"{path}: refusing to write {what} over (or into) the input {same}; "
                                "choose another output path")


def check_target(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = ()) -> str:
    """Refuse (:class:`UnsafeOutputError`) to write a model to ``path`` if that could destroy data; return
    :func:`target_kind` of what is there (``"missing"``, ``"model"`` or ``"legacy"``)."""
    path = Path(path)
    _not_an_input(path, list(inputs), "the model")
    kind = target_kind(path)
    if kind == "folder":
        raise UnsafeOutputError(f"{path}: is a folder; give the model file's path (e.g. {path / 'model.stance'})")
    if kind in ("special", "other"):
        what = "a device, FIFO or socket" if kind == "special" else "a file that is not a stance model"
        raise UnsafeOutputError(f"{path}: exists and is {what}; refusing to replace it (remove it yourself "
                                "or choose another output path)")
    return kind


def _card_ok(card: Path, model: Path, model_kind: str) -> bool:
    try:
        text = _head(card, MAX_MANIFEST_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return False
    if not text.startswith(_CARD_TITLE):
        return False
    if card_marker(model.name) in text:
        return True
    return _MARKER not in text and model_kind in ("model", "legacy")  # the card of a stance < 0.2 model


def check_outputs(out: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = ()) -> None:
    """Refuse (:class:`UnsafeOutputError`) to write a model to ``out`` and its card to :func:`card_path`
    if either could destroy data (see the module docstring). Call it before training."""
    out = Path(out)
    inputs = list(inputs)
    kind = check_target(out, inputs=inputs)
    card = card_path(out)
    _not_an_input(card, inputs, f"the model card of {out.name}")
    card_kind = target_kind(card)
    if card_kind in ("missing",) or (card_kind == "other" and _card_ok(card, out, kind)):
        return
    raise UnsafeOutputError(f"{card}: the model card of {out.name} goes there, but it holds something else "
                            f"({card_kind if card_kind != 'other' else 'not a card of this model'}); refusing "
                            "to replace it (move it, or choose another output path)")
