"""Manifests are untrusted input: bounded, regular files only, nesting bounded, every field checked."""

from __future__ import annotations

import json
import os
import time

import pytest

from stance.persist import ArtefactError, UntrustedArtefactError, load, read_manifest
from stance.persist.manifest import parse
from tests.persist.helpers import manifest_for, small_model, write_container, write_legacy

SHA = "0" * 64
GOOD = manifest_for(b"", labels=["s", "w"])

BAD_FIELDS = [
    ({"versions": "1.9.1"}, "'versions' must be an object of name: version string, got a string"),
    ({"versions": {"numpy": 2.4}}, "'versions' must be an object of name: version string, got an object"),
    ({"labels": [1, 2]}, "'labels' must be a non-empty list of distinct non-empty strings, got a list"),
    ({"labels": []}, "'labels' must be a non-empty list"),
    ({"labels": ["a", "a"]}, "'labels' must be a non-empty list of distinct"),
    ({"labels": "pro"}, "'labels' must be a non-empty list"),
    ({"task": 5}, "'task' must be a non-empty string, got a number"),
    ({"task": None}, "'task' must be a non-empty string, got null"),
    ({"schema_version": "2"}, "schema version '2' is not supported"),
    ({"schema_version": True}, "schema version True is not supported"),
    ({"schema_version": 3}, "schema version 3 is not supported"),
    ({"payload": []}, "'payload' must be an object, got a list"),
    ({"payload": {"format": "skops", "sha256": 5, "bytes": 1}}, "'sha256' must be 64 lower-case hexadecimal"),
    ({"payload": {"format": "skops", "sha256": "Z" * 64, "bytes": 1}}, "'sha256' must be 64"),
    ({"payload": {"format": "skops", "sha256": SHA, "bytes": -1}}, "'bytes' must be a whole number >= 0"),
    ({"payload": {"format": "skops", "sha256": SHA, "bytes": True}}, "'bytes' must be a whole number >= 0"),
    ({"payload": {"format": "pickle", "sha256": SHA, "bytes": 1}}, "'format' must be one of"),
    ({"payload": {"sha256": SHA, "bytes": 1}}, "'format' is missing"),
    ({"data": {"train.jsonl": "abc"}}, "'data' must be an object of file name: sha256"),
    ({"data": ["train.jsonl"]}, "'data' must be an object of file name: sha256, got a list"),
    ({"steps": [["clean"]]}, "'steps' must be a list of"),
    ({"metrics": "good"}, "'metrics' must be an object"),
    ({"n_examples": -3}, "'n_examples' must be a whole number"),
    ({"label_counts": {"a": "3"}}, "'label_counts' must be an object of label: count"),
]


@pytest.mark.parametrize("change,match", BAD_FIELDS, ids=[f"{next(iter(c))}-{k}" for k, (c, _) in enumerate(BAD_FIELDS)])
def test_every_field_is_checked_in_model_files(tmp_path, change, match):
    path = write_container(tmp_path / "m.stance", {**GOOD, **change})
    for read in (read_manifest, lambda p: load(p, trusted=True)):
        with pytest.raises(ArtefactError, match=match) as info:
            read(path)
        assert str(info.value).startswith(f"{path}: ")


@pytest.mark.parametrize("field", ["task", "labels", "versions", "payload"])
def test_required_fields(tmp_path, field):
    path = write_container(tmp_path / "m.stance", {k: v for k, v in GOOD.items() if k != field})
    with pytest.raises(ArtefactError, match=f"manifest field '{field}' is missing"):
        read_manifest(path)


@pytest.mark.parametrize(
    "raw,match",
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
        (b"\xff\xfe{", "not valid UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object, got a list"),
        (b'"manifest"', "must be a JSON object, got a string"),
        (b'{"schema_version": 2, "x": ' + b"1" * 10_000 + b"}", "not valid JSON"),
    ],
    ids=["deep-list", "deep-object", "not-utf8", "not-json", "empty", "list", "string", "huge-int"],
)
def test_malformed_manifests_fail_fast_with_artefact_error(tmp_path, raw, match):
    path = write_container(tmp_path / "m.stance", None, raw_manifest=raw)
    start = time.perf_counter()
    with pytest.raises(ArtefactError, match=match):
        read_manifest(path)
    with pytest.raises(ArtefactError, match=match):
        load(path, trusted=True)
    assert time.perf_counter() - start < 2


def test_a_manifest_larger_than_the_limit_is_refused_by_its_header(tmp_path):
    path = tmp_path / "m.stance"
    path.write_bytes(b"\x89STANCE\r\n\x1a\n" + (1).to_bytes(2, "big") + (2**31).to_bytes(4, "big") + b"{}")
    with pytest.raises(ArtefactError, match="manifest length 2147483648 exceeds 1048576 bytes"):
        read_manifest(path)


# ------------------------------------------------------------------------------------------- legacy manifests


@pytest.fixture()
def legacy(tmp_path):
    return write_legacy(tmp_path / "m.joblib", small_model())


def test_a_fifo_manifest_does_not_hang(legacy):
    mpath = legacy.with_suffix(".json")
    mpath.unlink()
    os.mkfifo(mpath)
    start = time.perf_counter()
    for read in (read_manifest, lambda p: load(p, trusted=True), load):
        with pytest.raises(ArtefactError, match="not a regular file"):
            read(legacy)
    assert time.perf_counter() - start < 2


def test_a_manifest_linked_to_dev_zero_is_refused_at_once(legacy):
    mpath = legacy.with_suffix(".json")
    mpath.unlink()
    os.symlink("/dev/zero", mpath)
    start = time.perf_counter()
    with pytest.raises(ArtefactError, match="not a regular file"):
        load(legacy, trusted=True)
    assert time.perf_counter() - start < 1


def test_a_huge_legacy_manifest_is_not_read(legacy):
    mpath = legacy.with_suffix(".json")
    with open(mpath, "wb") as f:
        f.truncate(50 * 2**20)  # 50 MB (sparse): refused by its size, never read
    with pytest.raises(ArtefactError, match=r"manifest is 52428800 bytes, more than the 1048576"):
        read_manifest(legacy)


def test_a_deep_legacy_manifest_fails_before_trust_is_even_considered(legacy):
    legacy.with_suffix(".json").write_bytes(b"[" * 100_000)
    for trusted in (False, True):
        with pytest.raises(ArtefactError, match="nested too deeply"):
            load(legacy, trusted=trusted)


LEGACY_BAD = [(c, m) for c, m in BAD_FIELDS if next(iter(c)) in ("versions", "labels", "task", "data", "metrics")]
LEGACY_BAD += [({"schema_version": 2}, "schema version 2 is not supported by this stance for a manifest beside a "
                                       r"\.joblib model"),
               ({"payload": {"sha256": "abc"}}, "'sha256' must be 64")]


@pytest.mark.parametrize("change,match", LEGACY_BAD, ids=[f"legacy-{k}" for k in range(len(LEGACY_BAD))])
def test_legacy_fields_are_checked_too(legacy, change, match):
    fields = {"schema_version": 1, "payload": {"sha256": SHA}, **change}
    legacy.with_suffix(".json").write_text(json.dumps(fields), encoding="utf-8")
    with pytest.raises(ArtefactError, match=match):
        load(legacy, trusted=True)


def test_a_legacy_file_without_manifest_is_not_a_model(tmp_path):
    path = tmp_path / "x.joblib"
    path.write_bytes(b"\x80\x04K\x01.")
    with pytest.raises(ArtefactError, match="not a stance model file") as info:
        load(path)
    assert not isinstance(info.value, UntrustedArtefactError)


def test_parse_accepts_what_save_writes():
    manifest = parse(json.dumps(GOOD).encode(), "m")
    assert manifest == GOOD
