"""stance.persist: one file per model, loaded from one read, checked when loaded; legacy pairs trusted only."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from stance import persist
from stance.labels import STANCE_LABELS, TOPIC_LABELS
from stance.persist import (
    ArtefactError, UntrustedArtefactError, audit, container, convert_legacy, load, read_manifest, save,
)
from stance.training.configs import DEFAULT_TASKS
from stance.training.data import read_labelled
from tests.persist.helpers import (
    TEXTS, hostile_pickle, manifest_for, sha256, small_model, write_container, write_legacy, write_legacy_bytes,
)


@pytest.fixture(scope="module")
def model():
    return small_model()


def test_save_writes_one_self_describing_file(tmp_path, model):
    manifest = save(model, tmp_path / "m.stance", task="demo", data={"x.jsonl": "ab" * 32}, metrics={"accuracy": 1.0})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.stance"], "one file, no temporary left"
    data = (tmp_path / "m.stance").read_bytes()
    assert data.startswith(b"\x89STANCE\r\n\x1a\n")
    raw, payload = container.unpack(data, "m")
    assert json.loads(raw) == manifest == read_manifest(tmp_path / "m.stance")
    assert manifest["schema_version"] == 2 and manifest["labels"] == ["s", "w"]
    assert manifest["payload"] == {"format": "skops", "sha256": hashlib.sha256(payload).hexdigest(), "bytes": len(payload)}
    assert set(manifest["versions"]) >= {"stance", "scikit-learn", "numpy", "scipy", "python", "skops"}
    assert manifest["params"]["C"] == 0.5 and [n for n, _ in manifest["steps"]] == ["clean", "classify"]


@pytest.mark.parametrize("name", ["model.json", "model", "model.joblib", "m.md", "Mô hình.bin"])
def test_any_name_gives_a_loadable_model_without_trust(tmp_path, model, name):
    save(model, tmp_path / name, task="demo")
    again = load(tmp_path / name)  # safe format: no trusted=True needed, wherever the file is
    assert again.predict_proba(TEXTS).tolist() == model.predict_proba(TEXTS).tolist()
    assert audit(tmp_path / name) == []


def test_the_manifest_is_read_without_the_payload(tmp_path, model):
    path = tmp_path / "m.stance"
    save(model, path, task="demo")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # payload cut: the manifest still reads, the model does not load
    assert read_manifest(path)["task"] == "demo"
    with pytest.raises(ArtefactError, match="checksum mismatch"):
        load(path)


def _flip(offset_from_end: int):
    def damage(p: Path) -> None:
        data = bytearray(p.read_bytes())
        data[len(data) - offset_from_end] ^= 0x10
        p.write_bytes(bytes(data))
    return damage


def _edit_header(version: int) -> callable:
    def damage(p: Path) -> None:
        data = bytearray(p.read_bytes())
        data[11:13] = version.to_bytes(2, "big")
        p.write_bytes(bytes(data))
    return damage


@pytest.mark.parametrize(
    "damage,match",
    [
        (lambda p: p.write_bytes(p.read_bytes()[:-100]), "checksum mismatch"),
        (_flip(5000), "checksum mismatch"),
        (lambda p: p.write_bytes(p.read_bytes()[:20]), "truncated model file"),
        (lambda p: p.write_bytes(p.read_bytes()[:30] + b"X" + p.read_bytes()[31:]), "manifest checksum mismatch"),
        (lambda p: p.write_bytes(p.read_bytes().replace(b"\r\n", b"\n", 1)), "not a stance model file"),
        (_edit_header(2), "model file format 2 is not supported"),
        (lambda p: p.write_bytes(b""), "not a stance model file"),
        (lambda p: p.unlink(), "model file not found"),
        (lambda p: (p.unlink(), p.mkdir()), "is a directory"),
    ],
    ids=["truncated", "bit-flip", "header-only", "manifest-byte", "line-endings", "future-format", "empty",
         "missing", "directory"],
)
def test_damaged_files_fail_clearly_trusted_or_not(tmp_path, model, damage, match):
    path = tmp_path / "m.stance"
    save(model, path, task="demo")
    damage(path)
    for trusted in (False, True):
        with pytest.raises(ArtefactError, match=match):
            load(path, trusted=trusted)


def test_a_failed_save_keeps_the_previous_file(tmp_path, model, monkeypatch):
    path = tmp_path / "m.stance"
    save(model, path, task="demo")
    before = path.read_bytes()

    def crash(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("stance.files.os.fsync", crash)
    with pytest.raises(OSError, match="No space"):
        save(model, path, task="demo")
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["m.stance"]


# ------------------------------------------------------------------------------------------- the shipped models


@pytest.mark.parametrize("task,labels", [("topic", TOPIC_LABELS), ("stance", STANCE_LABELS)])
def test_shipped_models_are_one_safe_file_each_with_their_card(task, labels):
    path = persist.PRETRAINED / f"{task}.stance"
    manifest = read_manifest(path)
    assert manifest["task"] == task and manifest["labels"] == sorted(labels)
    assert manifest["steps"] == [["clean", "stance.text.clean.Cleaner"], ["classify", manifest["steps"][1][1]]]
    assert manifest["metrics"]["protocol"]["grouped"] is (task == "stance")
    if "converted_from" in manifest:  # the fitted objects of the joblib era, kept (until the model is retrained)
        assert manifest["converted_from"]["file"] == f"{task}.joblib"
    else:  # retrained by this version: its own data files, as `stance train --task` writes them
        assert list(manifest["data"])[0] == list(DEFAULT_TASKS[task]["data"])[0]
    assert audit(path) == []
    card = (persist.PRETRAINED / f"{task}.md").read_text(encoding="utf-8")
    assert card.startswith(f"# Model card: {task}") and card.rstrip().endswith(f"<!-- stance model card of {task}.stance -->")
    assert manifest["payload"]["sha256"] in card
    assert sorted(p.name for p in persist.PRETRAINED.iterdir()) == ["stance.md", "stance.stance", "topic.md", "topic.stance"]


@pytest.mark.parametrize("task", ["topic", "stance"])
def test_shipped_manifests_match_their_data(task, shared_data):
    manifest = read_manifest(persist.PRETRAINED / f"{task}.stance")
    # Every file the model learned from is recorded (the topic model: VNTC train and both recent sets), and the
    # counts are those of the files less the labels the manifest says were left out.
    expected = {"topic": ["vntc/train.jsonl.xz", "topic_recent/dantri_2020_2021.jsonl.xz",
                          "topic_recent/vnexpress_2022.jsonl.xz"],
                "stance": ["stance/train.jsonl", "stance/train_more.jsonl", "stance/articles.jsonl"]}[task]
    assert list(manifest["data"]) == expected
    excluded = manifest.get("eras", {}).get("excluded", {})
    counts: Counter = Counter()
    for rel, sha in manifest["data"].items():
        assert hashlib.sha256(shared_data(*rel.split("/")).read_bytes()).hexdigest() == sha, f"{rel} changed"
    spec = DEFAULT_TASKS[task]
    for rel in spec["data"]:  # the training examples: every data file, less the labels the configuration leaves out
        labels = read_labelled(shared_data(*rel.split("/")), allow_duplicates=True).labels
        left_out = (spec.get("exclude") or {}).get(rel, [])
        counts.update(label for label in labels if label not in left_out)
        assert excluded.get(rel, {}).get("n", 0) in (0, sum(label in left_out for label in labels))
    assert manifest["label_counts"] == dict(sorted(counts.items()))
    assert manifest["n_examples"] == sum(counts.values())


# ------------------------------------------------------------------------------------------- legacy and pickles


def test_a_legacy_pair_loads_only_trusted_and_converts_to_the_safe_format(tmp_path, model):
    old = write_legacy(tmp_path / "old.joblib", model, labels=["s", "w"], metrics={"accuracy": 0.9},
                       data={"d.jsonl": "cd" * 32}, n_examples=12, created="2026-01-02T03:04:05+00:00")
    with pytest.raises(UntrustedArtefactError, match=r"stance < 0\.2.*--trusted.*stance info old\.joblib --trusted --convert"):
        load(old)
    assert audit(old) == ["a pickle (model saved by stance < 0.2)"]
    assert load(old, trusted=True).predict(TEXTS).tolist() == model.predict(TEXTS).tolist()
    with pytest.raises(UntrustedArtefactError):
        convert_legacy(old, tmp_path / "new.stance")
    new = convert_legacy(old, tmp_path / "new.stance", trusted=True)
    assert (new["metrics"], new["data"], new["n_examples"], new["created"]) == (
        {"accuracy": 0.9}, {"d.jsonl": "cd" * 32}, 12, "2026-01-02T03:04:05+00:00")
    assert new["converted_from"]["sha256"] == sha256(old.read_bytes())
    assert load(tmp_path / "new.stance").predict(TEXTS).tolist() == model.predict(TEXTS).tolist()


def test_saving_over_a_legacy_model_removes_its_stale_manifest(tmp_path, model):
    old = write_legacy(tmp_path / "m.joblib", model)
    save(model, old, task="demo")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.joblib"] and load(old).classes_.tolist() == ["s", "w"]


def test_a_hostile_pickle_never_runs_untrusted_and_does_run_trusted(tmp_path):
    marker = tmp_path / "pwned"
    legacy = write_legacy_bytes(tmp_path / "evil.joblib", hostile_pickle(marker))
    inside = write_container(tmp_path / "evil.stance", manifest_for(hostile_pickle(marker), fmt="joblib"),
                             hostile_pickle(marker))
    for path in (legacy, inside):
        with pytest.raises(UntrustedArtefactError, match="pickle"):
            load(path)
        assert not marker.exists()
    # "Not run without trust" means something only if the payload would run: trusted, it does (and then the
    # loaded object, not being a classifier, is refused).
    with pytest.raises(ArtefactError, match="not a classifier"):
        load(inside, trusted=True)
    assert marker.exists()


def test_a_symlink_swapped_during_load_never_runs_a_pickle(tmp_path):
    """A thread swaps a link between a real model and a hostile pickle (with a forged, matching manifest)
    while ``load(link)`` runs: every load returns the model or refuses, and the pickle never runs."""
    marker = tmp_path / "pwned"
    good = tmp_path / "good.stance"
    good.write_bytes((persist.PRETRAINED / "stance.stance").read_bytes())
    evil = write_legacy_bytes(tmp_path / "evil.joblib", hostile_pickle(marker))
    link = tmp_path / "link.stance"
    os.symlink(tmp_path / "evil.json", tmp_path / "link.json")  # the forged manifest "beside" the link
    os.symlink(good, link)
    stop = threading.Event()

    def swap() -> None:
        targets, k = (good, evil), 0
        while not stop.is_set():
            k += 1
            tmp = tmp_path / f"link.{k}"
            os.symlink(targets[k % 2], tmp)
            os.replace(tmp, link)

    swapper = threading.Thread(target=swap)
    swapper.start()
    outcomes: Counter = Counter()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and min(outcomes["model"], outcomes["refused"]) < 5:
            try:
                load(link)
                outcomes["model"] += 1
            except UntrustedArtefactError:
                outcomes["refused"] += 1
            assert not marker.exists(), "the hostile pickle ran"
    finally:
        stop.set()
        swapper.join()
    assert outcomes["model"] > 0 and outcomes["refused"] > 0, outcomes  # both sides of the swap were seen
    assert not marker.exists()


# ------------------------------------------------------------------------------------------- what was loaded


class _NotFitted:
    def predict_proba(self, X):
        return np.ones((len(X), 1))


class _Broken:
    classes_ = np.array(["s", "w"])

    def predict_proba(self, X):
        raise IndexError("index 7 is out of bounds")


@pytest.mark.parametrize(
    "obj,match",
    [
        ({"classes_": ["s", "w"]}, "holds a dict, not a classifier with predict_proba"),
        ([1, 2, 3], "holds a list, not a classifier"),
        (_NotFitted(), "not fitted"),
        (_Broken(), "fails on a test sentence"),
    ],
    ids=["dict", "list", "unfitted", "broken"],
)
def test_a_trusted_payload_of_the_wrong_kind_is_refused_at_load(tmp_path, obj, match):
    path = write_legacy(tmp_path / "m.joblib", obj)
    with pytest.raises(ArtefactError, match=match) as info:
        load(path, trusted=True)
    assert str(info.value).startswith(str(path))


def test_labels_that_differ_from_the_manifest_are_refused(tmp_path, model):
    path = write_legacy(tmp_path / "m.joblib", model, labels=["pro", "anti"])
    with pytest.raises(ArtefactError, match=r"labels \['s', 'w'\] are not those its manifest declares \['pro', 'anti'\]"):
        load(path, trusted=True)


def test_save_refuses_what_it_could_not_load(tmp_path, model):
    with pytest.raises(ArtefactError, match="not a classifier"):
        save({"a": 1}, tmp_path / "m.stance", task="demo")
    with pytest.raises(ValueError, match="would replace fields"):
        save(model, tmp_path / "m.stance", task="demo", extra={"labels": ["x"]})
    with pytest.raises(ArtefactError, match="'task' must be a non-empty string"):
        save(model, tmp_path / "m.stance", task="")
    assert list(tmp_path.iterdir()) == []
