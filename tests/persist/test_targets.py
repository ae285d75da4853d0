"""Where a model (and its card) may be written: never over an input, a folder or a file stance did not write."""

from __future__ import annotations

import os

import pytest

from stance.persist import UnsafeOutputError, card_marker, card_path, check_outputs, save
from stance.persist.targets import target_kind
from tests.persist.helpers import small_model, write_legacy


@pytest.fixture()
def data(tmp_path):
    path = tmp_path / "train.json"
    path.write_text('[{"text": "quân Mỹ", "label": "a"}]', encoding="utf-8")
    return path


def _refused(out, data, match):
    before = data.read_bytes()
    with pytest.raises(UnsafeOutputError, match=match):
        check_outputs(out, inputs=[data])
    assert data.read_bytes() == before


def test_an_input_file_is_never_an_output_however_it_is_named(tmp_path, data):
    (tmp_path / "sub").mkdir()
    os.symlink(data, tmp_path / "link.json")
    os.link(data, tmp_path / "hard.json")
    for out in (data, tmp_path / "sub" / ".." / "train.json", tmp_path / "link.json", tmp_path / "hard.json"):
        _refused(out, data, "refusing to write the model over \\(or into\\) the input")


def test_the_card_of_the_output_is_never_an_input(tmp_path, data):
    notes = tmp_path / "train.md"  # labelled data in a Markdown table, say
    notes.write_text("| text | label |", encoding="utf-8")
    _refused(tmp_path / "train.stance", notes, "refusing to write the model card of train.stance over \\(or into\\) the input")


def test_nothing_is_written_inside_an_input_folder(tmp_path):
    folder = tmp_path / "data"
    (folder / "pro").mkdir(parents=True)
    (folder / "pro" / "a.txt").write_text("quân Mỹ", encoding="utf-8")
    with pytest.raises(UnsafeOutputError, match="into\\) the input"):
        check_outputs(folder / "pro" / "model.stance", inputs=[folder])
    with pytest.raises(UnsafeOutputError, match="into\\) the input"):
        check_outputs(folder, inputs=[folder])


def test_a_folder_a_fifo_and_foreign_files_are_refused(tmp_path):
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "thesis.docx").write_bytes(b"PK\x03\x04 my thesis")
    with pytest.raises(UnsafeOutputError, match="is a folder"):
        check_outputs(tmp_path / "dir")
    with pytest.raises(UnsafeOutputError, match="a device, FIFO or socket"):
        check_outputs(tmp_path / "fifo")
    with pytest.raises(UnsafeOutputError, match="is a file that is not a stance model"):
        check_outputs(tmp_path / "thesis.docx")
    with pytest.raises(UnsafeOutputError, match="is a file that is not a stance model"):
        save(small_model(), tmp_path / "thesis.docx", task="demo")
    assert (tmp_path / "thesis.docx").read_bytes() == b"PK\x03\x04 my thesis"


def test_a_card_path_holding_something_else_is_refused(tmp_path):
    (tmp_path / "m.md").write_text("# My notes\n", encoding="utf-8")
    with pytest.raises(UnsafeOutputError, match="the model card of m.stance goes there, but it holds something else"):
        check_outputs(tmp_path / "m.stance")
    (tmp_path / "m.md").write_text(f"# Model card: demo\n\n{card_marker('other.stance')}\n", encoding="utf-8")
    with pytest.raises(UnsafeOutputError, match="not a card of this model"):
        check_outputs(tmp_path / "m.stance")


def test_what_stance_wrote_may_be_replaced(tmp_path):
    model = small_model()
    check_outputs(tmp_path / "new.stance")  # nothing there
    save(model, tmp_path / "m.stance", task="demo")
    (tmp_path / "m.md").write_text(f"# Model card: demo\n\n{card_marker('m.stance')}\n", encoding="utf-8")
    check_outputs(tmp_path / "m.stance")  # its own model and card
    legacy = write_legacy(tmp_path / "old.joblib", model)
    (tmp_path / "old.md").write_text("# Model card: demo\n\nno marker: written by stance < 0.2\n", encoding="utf-8")
    check_outputs(legacy)  # a legacy model and its legacy card
    os.symlink(tmp_path / "gone", tmp_path / "dangling.stance")
    check_outputs(tmp_path / "dangling.stance")
    assert [target_kind(p) for p in (tmp_path / "m.stance", legacy, tmp_path / "x", tmp_path)] == [
        "model", "legacy", "missing", "folder"]


def test_the_card_path_never_is_the_model_path():
    assert card_path("m.md").name == "m.md.card.md" and card_path("M.MD").name == "M.MD.card.md"
    assert card_path("model").name == "model.md" and card_path("a.b.stance").name == "a.b.md"
