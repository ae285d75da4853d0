"""The ``artefacts`` part of the hostile battery (``python -m benchmarks.hostile --only artefacts``): damaged and
crafted model files, loaded with :func:`stance.load` and through the command line.

Every case must end in an :class:`~stance.persist.ArtefactError` whose message names the file, quickly (a
FIFO, ``/dev/zero`` or a 100,000-deep manifest must not hang or exhaust memory), and no case may run code: a
hostile pickle that runs touches a marker file, which the battery checks after every case.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import time
from pathlib import Path
from typing import Any

from benchmarks.hostile import SEEDS, Outcome, _short, run_cli_in_process

__all__ = ["artefact_cases", "run_artefacts"]


class _Marker:
    """Unpickling this creates the file ``path`` (stands for any code an attacker could run)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (Path(self.path),))


def _small_model() -> Any:
    from stance.estimators.pipeline import with_cleaner
    from stance.estimators.text_classifier import TextClassifier

    texts = ["quân Mỹ ở Iraq", "binh sĩ Mỹ rút", "đội tuyển thắng", "cầu thủ ghi bàn"] * 3
    return with_cleaner(TextClassifier(min_df=1, calibration_folds=2)).fit(texts, ["w", "w", "s", "s"] * 3)


def _forged(body: bytes, **changes: Any) -> dict:
    """A schema-2 manifest that matches the payload ``body`` (anyone can forge one), with ``changes`` applied."""
    manifest = {"schema_version": 2, "task": "demo", "estimator": "x", "labels": ["s", "w"],
                "versions": {"stance": "0.1.0"},
                "payload": {"format": "skops", "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}}
    manifest.update(changes)
    return manifest


def artefact_cases(folder: Path, marker: Path) -> list[tuple[str, Path, bool]]:
    """Make damaged and hostile model files in ``folder``: (name, path, trusted) triples."""
    from stance.persist import SUFFIX, container, save

    model = _small_model()
    hostile = pickle.dumps(_Marker(str(marker)))
    cases: list[tuple[str, Path, bool]] = []

    def fresh(name: str) -> Path:
        path = folder / f"{name}{SUFFIX}"
        save(model, path, task="demo")
        return path

    def crafted(name: str, manifest: Any, payload: bytes, trusted: bool, *, raw: bytes | None = None) -> None:
        path = folder / f"{name}{SUFFIX}"
        path.write_bytes(container.pack(raw if raw is not None else json.dumps(manifest).encode(), payload))
        cases.append((name.replace("-", " "), path, trusted))

    good = fresh("good").read_bytes()
    _, body = container.unpack(good, "good")
    for trusted in (False, True):
        tag = "trusted" if trusted else "untrusted"
        p = fresh(f"truncated-{tag}")
        p.write_bytes(good[: len(good) // 2])
        cases.append((f"truncated file ({tag})", p, trusted))
        for where, at in (("payload", len(good) - len(body) // 2), ("manifest", 40)):
            p = fresh(f"bitflip-{where}-{tag}")
            data = bytearray(good)
            data[at] ^= 0x10
            p.write_bytes(bytes(data))
            cases.append((f"one bit flipped in the {where} ({tag})", p, trusted))
    p = fresh("future-format")
    p.write_bytes(good[:11] + (99).to_bytes(2, "big") + good[13:])
    cases.append(("future format version", p, True))
    p = fresh("manifest-length-huge")
    p.write_bytes(good[:13] + (2**32 - 1).to_bytes(4, "big") + good[17:])
    cases.append(("manifest length 4 GiB", p, True))
    crafted("payload-sha256-wrong", _forged(body, payload={"format": "skops", "sha256": "0" * 64,
                                                           "bytes": len(body)}), body, True)
    crafted("future-schema", _forged(body, schema_version=99), body, True)
    crafted("manifest-not-JSON", None, body, True, raw=b"{not json")
    crafted("manifest-a-list", [1, 2], body, True)
    crafted("manifest-empty", None, body, True, raw=b"")
    crafted("manifest-not-UTF-8", None, body, True, raw=b"\xff\xfe\x00{")
    crafted("manifest-100k-deep", None, body, True, raw=b"[" * 100_000 + b"]" * 100_000)
    crafted("versions-a-string", _forged(body, versions="1.0"), body, True)
    crafted("version-a-number", _forged(body, versions={"stance": 1}), body, True)
    crafted("labels-a-string", _forged(body, labels="s,w"), body, True)
    crafted("payload-format-unknown", _forged(body, payload={"format": "exe", "sha256": "0" * 64, "bytes": 1}),
            body, True)
    for module, name in (("posix", "system"), ("builtins", "eval"), ("subprocess", "Popen")):
        tree = _skops_tree({"__loader__": "FunctionNode", "__module__": module, "__class__": name})
        crafted(f"skops-payload-naming-{module}.{name}", _forged(tree), tree, False)
    crafted("hostile-pickle-as-skops", _forged(hostile), hostile, False)
    crafted("hostile-pickle-as-skops-trusted", _forged(hostile), hostile, True)
    evil = _forged(hostile, payload=dict(_forged(hostile)["payload"], format="joblib"))
    crafted("hostile-pickle-joblib-payload", evil, hostile, False)
    wrong_kind = _pickled({"not": "a model"})
    crafted("a-dict-not-a-model-trusted", _forged(wrong_kind, payload=dict(_forged(wrong_kind)["payload"],
                                                                              format="joblib")), wrong_kind, True)
    crafted("labels-not-the-models-trusted", _forged(body, labels=["anti", "pro"]), body, True)
    for name, content in (("zero-bytes", b""), ("random-bytes", os.urandom(4096))):
        p = folder / f"{name}{SUFFIX}"
        p.write_bytes(content)
        cases.append((name.replace("-", " "), p, True))
    cases.append(("missing file", folder / f"nothing-here{SUFFIX}", True))
    (folder / f"a-directory{SUFFIX}").mkdir()
    cases.append(("a directory", folder / f"a-directory{SUFFIX}", True))
    fifo = folder / f"a-fifo{SUFFIX}"
    os.mkfifo(fifo)
    cases.append(("a FIFO (nothing writes to it)", fifo, True))
    os.symlink("/dev/zero", folder / f"dev-zero{SUFFIX}")
    cases.append(("a symbolic link to /dev/zero", folder / f"dev-zero{SUFFIX}", True))
    # Models of stance < 0.2: a joblib pickle with a JSON manifest beside it, loaded only with trusted=True.
    legacy = folder / "legacy-evil.joblib"
    legacy.write_bytes(hostile)
    legacy.with_suffix(".json").write_text(json.dumps({"schema_version": 1, "task": "demo", "payload": {
        "file": legacy.name, "sha256": hashlib.sha256(hostile).hexdigest()}}), encoding="utf-8")
    cases.append(("legacy hostile pickle, forged manifest (untrusted)", legacy, False))
    (folder / "stance.joblib").write_bytes(hostile)
    cases.append(("hostile pickle named stance.joblib, no manifest", folder / "stance.joblib", False))
    link_dir = folder / "linked"
    link_dir.mkdir()
    os.symlink(legacy, link_dir / legacy.name)
    os.symlink(legacy.with_suffix(".json"), link_dir / "legacy-evil.json")
    cases.append(("symbolic link to a hostile legacy pickle (untrusted)", link_dir / legacy.name, False))
    return cases


def _skops_tree(root: dict) -> bytes:
    """A skops file whose object tree is ``root`` (a crafted one: anyone can write these)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("schema.json", json.dumps({**root, "protocol": 2, "_skops_version": "0.16.0"}))
    return buffer.getvalue()


def _pickled(obj: Any) -> bytes:
    import joblib

    buffer = io.BytesIO()
    joblib.dump(obj, buffer)
    return buffer.getvalue()


def run_artefacts(base: Path) -> tuple[list[Outcome], int]:
    """Load every damaged or hostile model file; outcomes and how many times injected code ran."""
    from stance.persist import SUFFIX, ArtefactError, load, save

    folder = base / "artefacts"
    folder.mkdir()
    marker = base / "INJECTED-CODE-RAN"
    outcomes = []
    injected = 0

    def check_marker() -> None:
        nonlocal injected
        if marker.exists():
            injected += 1
            outcomes[-1].handled = False
            outcomes[-1].detail += " — INJECTED CODE RAN"
            marker.unlink()

    for name, path, trusted in artefact_cases(folder, marker):
        start = time.perf_counter()
        try:
            load(path, trusted=trusted)
        except ArtefactError as e:
            ok = path.stem in str(e)  # the message names the file
            detail = f"{type(e).__name__}: {_short(str(e).replace(str(folder) + os.sep, ''), 70)}"
            outcomes.append(Outcome("artefacts", name, ok, detail, time.perf_counter() - start))
        except Exception as e:  # noqa: BLE001
            detail = f"CRASH {type(e).__name__}: {_short(str(e))}"
            outcomes.append(Outcome("artefacts", name, False, detail, time.perf_counter() - start, crashed=True))
        else:
            outcomes.append(Outcome("artefacts", name, False, "loaded without error", time.perf_counter() - start))
        check_marker()
    # The command line: a hostile file is refused without --trusted, a model in the wrong role is named.
    status, err = run_cli_in_process(["classify", "--stance-model", str(folder / "legacy-evil.joblib"), str(SEEDS[0])])
    outcomes.append(Outcome("artefacts", "CLI --stance-model hostile pickle, no --trusted",
                            status == 2 and "trusted" in err, f"exit {status}: {_short(err.strip(), 70)}"))
    check_marker()
    topic_like = folder / f"topic-like{SUFFIX}"
    save(_small_model(), topic_like, task="demo")
    status, err = run_cli_in_process(["classify", "--stance-model", str(topic_like), str(SEEDS[0])])
    outcomes.append(Outcome("artefacts", "CLI --stance-model with topic labels", status == 2 and "labels" in err,
                            f"exit {status}: {_short(err.strip(), 70)}"))
    # --out never overwrites an input, a folder or a file that is not a model.
    data = folder / "train.json"
    rows = [{"text": t, "label": y} for t, y in [("quân Mỹ ở Iraq", "w"), ("đội tuyển thắng", "s")] * 6]
    data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    before = data.read_bytes()
    for what, out in (("--out is the training data", data), ("--out is a folder", folder / "linked"),
                      ("--out is a foreign file", SEEDS[0])):
        seed_before = SEEDS[0].read_bytes()
        status, err = run_cli_in_process(["train", str(data), "--out", str(out), "--quiet", "--allow-duplicates"])
        intact = data.read_bytes() == before and SEEDS[0].read_bytes() == seed_before
        outcomes.append(Outcome("artefacts", f"CLI train {what}", status == 2 and intact,
                                f"exit {status}, inputs {'intact' if intact else 'CHANGED'}: {_short(err.strip(), 60)}"))
    return outcomes, injected
