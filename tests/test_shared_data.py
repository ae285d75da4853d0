"""The shared_data fixture: a missing file skips a test on a developer's machine and fails it in CI."""

from __future__ import annotations

import pytest


def test_missing_data_skips_without_ci_and_fails_with_ci(shared_data, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-file.jsonl is missing"):
        shared_data("no-such-file.jsonl")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        shared_data("no-such-file.jsonl")


def test_present_data_is_its_path(shared_data):
    path = shared_data("stance", "train.jsonl")
    assert path.name == "train.jsonl" and path.is_file()
