"""Hostile data folders for ``stance train --task topic`` (the ``training`` part of :mod:`benchmarks.hostile`).

The topic model reads three files (VNTC train and the two recent sets). Each case damages one of them in a
copy of the folder: a missing file, a file that is not xz, a bad JSON line, an empty file, a label outside
the topic task. Each must be refused with a ``ValueError`` (``DataError`` is one) or ``OSError`` whose
message names the file, before any fitting, and no model file may be written.
"""

from __future__ import annotations

import json
import lzma
import time
from pathlib import Path
from typing import Callable

from stance.training.configs import DEFAULT_TASKS
from stance.training.train import train_default

FILES = list(DEFAULT_TASKS["topic"]["data"])
ROWS = {  # a few real-looking rows per file, two labels each, so an undamaged folder would train
    FILES[0]: [("Đội tuyển thắng trận chung kết", "The thao"), ("Giá vàng tăng mạnh trong phiên sáng", "Kinh doanh")],
    FILES[1]: [("Bệnh viện tiếp nhận ca mắc Covid-19", "Suc khoe"), ("Thị trường chứng khoán khởi sắc", "Kinh doanh")],
    FILES[2]: [("Cầu thủ ghi bàn ở phút cuối", "The thao"), ("Nhà khoa học công bố phát hiện mới", "Khoa hoc")],
}


def _write(folder: Path, rel: str, lines: list[str]) -> None:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(path, "wt", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))


def _folder(base: Path, name: str, damage: Callable[[Path], str]) -> tuple[Path, str]:
    """A data folder with every file sound, then ``damage`` applied; returns (folder, name of the damaged file)."""
    folder = base / name
    for rel, rows in ROWS.items():
        _write(folder, rel, [json.dumps({"text": f"{t} {i}", "label": l}, ensure_ascii=False)
                             for i in range(4) for t, l in rows])
    return folder, damage(folder)


def cases() -> list[tuple[str, Callable[[Path], str]]]:
    def missing(folder: Path) -> str:
        (folder / FILES[2]).unlink()
        return Path(FILES[2]).name

    def not_xz(folder: Path) -> str:
        (folder / FILES[1]).write_bytes(b"PK\x03\x04 this is a zip, not xz" * 10)
        return Path(FILES[1]).name

    def bad_json(folder: Path) -> str:
        _write(folder, FILES[1], ['{"text": "Bệnh viện", "label": "Suc khoe"}', '{"text": "cắt ngang', "]"])
        return Path(FILES[1]).name

    def empty(folder: Path) -> str:
        (folder / FILES[0]).write_bytes(lzma.compress(b""))
        return Path(FILES[0]).name

    def foreign_label(folder: Path) -> str:
        _write(folder, FILES[2], [json.dumps({"text": f"Ca sĩ ra mắt album {i}", "label": "Giai tri"},
                                             ensure_ascii=False) for i in range(3)]
               + [json.dumps({"text": f"Cầu thủ {i}", "label": "The thao"}, ensure_ascii=False) for i in range(3)])
        return Path(FILES[2]).name

    return [("recent file missing", missing), ("recent file not xz", not_xz), ("bad JSON line", bad_json),
            ("VNTC file empty", empty), ("label outside the topic task", foreign_label)]


def run_training(base: Path) -> list:
    """Outcomes (:class:`benchmarks.hostile.Outcome`) of every hostile data folder."""
    from benchmarks.hostile import Outcome

    outcomes = []
    for name, damage in cases():
        folder, named = _folder(base / "training", name.replace(" ", "_"), damage)
        out = folder / "topic.stance"
        start = time.perf_counter()
        try:
            train_default("topic", data_dir=folder, out=out, progress=False)
            handled, detail, crashed = False, "trained on a damaged folder", False
        except (ValueError, OSError) as err:
            message = str(err).splitlines()[0] if str(err) else type(err).__name__
            handled = named in str(err) and not out.exists()
            detail, crashed = f"{type(err).__name__}: {message[:120]}", False
        except Exception as err:  # noqa: BLE001 - an undocumented exception is what this battery looks for
            handled, detail, crashed = False, f"{type(err).__name__}: {err}", True
        outcomes.append(Outcome("training", name, handled, detail, time.perf_counter() - start, crashed))
    return outcomes
