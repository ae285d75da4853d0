"""Saving and loading: manifests, checksums, schema versions, trust, and the shipped models' claims."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from stance import files, persist
from stance.persist import ArtefactError, UntrustedArtefactError, load, read_manifest, save
from stance.labels import STANCE_LABELS, TOPIC_LABELS
from stance.estimators.text_classifier import TextClassifier

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


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
    assert manifest["payload"]["sha256"] == files.sha256_file(tmp_path / "m.joblib")
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


def test_hostile_pickle_is_not_run_without_trust(tmp_path):
    marker = tmp_path / "pwned"
    boom = _Boom()
    boom.marker = str(marker)
    payload = tmp_path / "evil.joblib"
    payload.write_bytes(pickle.dumps(boom))
    manifest = {"schema_version": 1, "payload": {"sha256": files.sha256_file(payload)}}
    (tmp_path / "evil.json").write_text(json.dumps(manifest))
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
def test_shipped_manifests_match_their_data(task, labels):
    payload = persist.PRETRAINED / f"{task}.joblib"
    manifest = read_manifest(payload)
    assert manifest["task"] == task
    assert manifest["labels"] == sorted(labels) or manifest["labels"] == list(labels)
    assert manifest["payload"]["sha256"] == files.sha256_file(payload)
    if not DATA.exists():
        pytest.skip("../shared/data is not beside the project")
    for rel, sha in manifest["data"].items():
        assert files.sha256_file(DATA / rel) == sha, f"{rel} changed since the {task} model was trained"
    counts: dict[str, int] = {}
    from stance.training.data import read_labelled

    data = read_labelled(DATA / next(iter(manifest["data"])), allow_duplicates=True)
    for label in data.labels:
        counts[label] = counts.get(label, 0) + 1
    assert manifest["label_counts"] == dict(sorted(counts.items()))
    assert manifest["n_examples"] == len(data.labels)
