"""Saving and loading: manifests, checksums, schema versions, trust, and the shipped models' claims."""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import Counter
from pathlib import Path

import pytest

from stance import persist
from stance.estimators.pipeline import with_cleaner
from stance.estimators.text_classifier import TextClassifier
from stance.labels import STANCE_LABELS, TOPIC_LABELS
from stance.persist import ArtefactError, UntrustedArtefactError, load, read_manifest, save
from stance.training.data import read_labelled


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def small_model():
    texts = ["quân Mỹ ở Iraq", "binh sĩ Mỹ rút", "đội tuyển thắng", "cầu thủ ghi bàn"] * 3
    return TextClassifier(min_df=1, calibration_folds=2).fit(texts, ["w", "w", "s", "s"] * 3)


def test_save_writes_payload_and_manifest(tmp_path, small_model):
    manifest = save(small_model, tmp_path / "m.joblib", task="demo", data={"x.jsonl": "ab" * 32}, metrics={"accuracy": 1.0})
    on_disk = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert on_disk == manifest
    assert manifest["schema_version"] == persist.SCHEMA_VERSION
    assert manifest["labels"] == ["s", "w"]
    assert manifest["payload"]["sha256"] == _sha256(tmp_path / "m.joblib")
    assert manifest["payload"]["bytes"] == (tmp_path / "m.joblib").stat().st_size
    assert set(manifest["versions"]) >= {"stance", "scikit-learn", "numpy", "python"}
    assert manifest["params"]["C"] == 0.5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.joblib", "m.json"], "no temporary files left"


def test_round_trip_needs_trust_for_foreign_files(tmp_path, small_model):
    save(small_model, tmp_path / "m.joblib", task="demo")
    with pytest.raises(UntrustedArtefactError, match="trusted=True"):
        load(tmp_path / "m.joblib")
    again = load(tmp_path / "m.joblib", trusted=True)
    assert again.predict(["quân Mỹ"]).tolist() == small_model.predict(["quân Mỹ"]).tolist()


class _Boom:
    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def _hostile_payload(folder: Path) -> tuple[Path, Path]:
    """A pickle that creates a marker file when loaded, with a forged manifest that matches it."""
    marker = folder / "pwned"
    boom = _Boom()
    boom.marker = str(marker)
    payload = folder / "evil.joblib"
    payload.write_bytes(pickle.dumps(boom))
    (folder / "evil.json").write_text(json.dumps({"schema_version": 1, "payload": {"sha256": _sha256(payload)}}))
    return payload, marker


def test_hostile_pickle_is_not_run_without_trust(tmp_path):
    payload, marker = _hostile_payload(tmp_path)
    with pytest.raises(UntrustedArtefactError):
        load(payload)
    assert not marker.exists()


@pytest.mark.parametrize(
    "damage,match",
    [
        (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "checksum mismatch"),
        (lambda p: p.write_bytes(b"\x00" * 10 + p.read_bytes()[10:]), "checksum mismatch"),
        (lambda p: p.with_suffix(".json").unlink(), "manifest not found"),
        (lambda p: p.with_suffix(".json").write_text("{not json"), "not valid JSON"),
        (
            lambda p: p.with_suffix(".json").write_text(
                json.dumps({**json.loads(p.with_suffix(".json").read_text()), "schema_version": 99})
            ),
            "schema version 99 is not supported",
        ),
        (lambda p: p.unlink(), "model file not found"),
    ],
    ids=["truncated", "corrupted", "no-manifest", "bad-manifest", "future-schema", "no-payload"],
)
def test_damaged_artefacts_fail_clearly(tmp_path, small_model, damage, match):
    path = tmp_path / "m.joblib"
    save(small_model, path, task="demo")
    damage(path)
    with pytest.raises(ArtefactError, match=match):
        load(path, trusted=True)


def test_failed_save_keeps_previous_file(tmp_path, small_model, monkeypatch):
    path = tmp_path / "m.joblib"
    save(small_model, path, task="demo")
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(persist.joblib, "dump", crash)
    with pytest.raises(OSError, match="disk full"):
        save(small_model, path, task="demo")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.joblib", "m.json"]


@pytest.mark.parametrize("task,labels", [("topic", TOPIC_LABELS), ("stance", STANCE_LABELS)])
def test_shipped_manifests_describe_their_payload(task, labels):
    payload = persist.PRETRAINED / f"{task}.joblib"
    manifest = read_manifest(payload)
    assert manifest["task"] == task and manifest["labels"] == sorted(labels)
    assert manifest["payload"]["sha256"] == _sha256(payload)
    assert manifest["steps"] == [["clean", "stance.text.clean.Cleaner"], ["classify", manifest["steps"][1][1]]]
    assert manifest["metrics"]["protocol"]["grouped"] is (task == "stance")
    assert (persist.PRETRAINED / f"{task}.md").read_text(encoding="utf-8").startswith(f"# Model card: {task}")


@pytest.mark.parametrize("task", ["topic", "stance"])
def test_shipped_manifests_match_their_data(task, shared_data):
    manifest = read_manifest(persist.PRETRAINED / f"{task}.joblib")
    for rel, sha in manifest["data"].items():
        assert _sha256(shared_data(*rel.split("/"))) == sha, f"{rel} changed since the {task} model was trained"
    data = read_labelled(shared_data(*next(iter(manifest["data"])).split("/")), allow_duplicates=True)
    assert manifest["label_counts"] == dict(sorted(Counter(data.labels).items()))
    assert manifest["n_examples"] == len(data.labels)


def test_a_pipeline_is_saved_with_its_steps(tmp_path):
    texts = ["<b>quân Mỹ</b> ở Iraq", "binh sĩ Mỹ rút", "đội tuyển thắng", "cầu thủ ghi bàn"] * 3
    model = with_cleaner(TextClassifier(min_df=1, calibration_folds=2)).fit(texts, ["w", "w", "s", "s"] * 3)
    manifest = save(model, tmp_path / "p.joblib", task="demo")
    assert manifest["estimator"] == "sklearn.pipeline.Pipeline" and manifest["params"]["C"] == 0.5
    assert [name for name, _ in manifest["steps"]] == ["clean", "classify"]
    assert load(tmp_path / "p.joblib", trusted=True).predict(["quân Mỹ"]).tolist() == ["w"]


def test_a_hostile_pickle_does_run_when_the_caller_trusts_it(tmp_path):
    # "Not run without trust" means something only if the payload would run: trusted, with a forged manifest
    # that matches, loading it creates the marker.
    payload, marker = _hostile_payload(tmp_path)
    load(payload, trusted=True)
    assert marker.exists()
