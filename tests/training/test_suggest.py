"""Labelling help: uncertainty sampling and the file it writes (``stance suggest`` is in tests/cli)."""

from __future__ import annotations

import json
import lzma

import numpy as np
import pytest

from stance.api import pretrained_model
from stance.training.data import read_labelled
from stance.training.labelled import DataError
from stance.training.suggest import (
    UnlabelledText,
    read_unlabelled,
    split_passages,
    suggest,
    uncertainty,
    write_suggestions,
)



class Stub:
    """A model whose probabilities are looked up by text."""

    def __init__(self, table: dict[str, list[float]], classes=("a", "b", "c"), weights=None) -> None:
        self.table = table
        self.classes_ = np.asarray(classes)
        if weights is not None:
            self.decision_weights_ = np.asarray(weights)
        self.calls: list[list[str]] = []

    def predict_proba(self, texts):
        self.calls.append(list(texts))
        return np.asarray([self.table[t] for t in texts])


# ---------------------------------------------------------------------------------------------- uncertainty


def test_uncertainty_by_hand():
    P = np.array([[0.5, 0.49, 0.01], [0.4, 0.3, 0.3], [1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(uncertainty(P, "least_confidence"), [0.5, 0.6, 0.0, 2 / 3])
    np.testing.assert_allclose(uncertainty(P, "margin"), [0.99, 0.9, 0.0, 1.0])
    # entropy / log 3: worked out with math.log
    import math

    h = lambda ps: -sum(p * math.log(p) for p in ps if p > 0) / math.log(3)  # noqa: E731
    np.testing.assert_allclose(uncertainty(P, "entropy"), [h(r) for r in P.tolist()])
    assert uncertainty(P, "entropy")[3] == pytest.approx(1.0)
    assert uncertainty(P, "entropy")[2] == 0.0


def test_uncertainty_rejects_bad_input():
    with pytest.raises(ValueError, match="strategy"):
        uncertainty(np.array([[0.5, 0.5]]), "random")
    with pytest.raises(ValueError, match="shape"):
        uncertainty(np.array([1.0]), "margin")


# ---------------------------------------------------------------------------------------------- suggest


TABLE = {
    "close call": [0.5, 0.49, 0.01],  # least_confidence 0.5, margin 0.99
    "three way": [0.4, 0.3, 0.3],  # least_confidence 0.6, margin 0.9
    "sure": [0.98, 0.01, 0.01],
    "fairly sure": [0.1, 0.8, 0.1],
}


def test_each_strategy_picks_its_most_uncertain():
    texts = ["sure", "close call", "fairly sure", "three way"]
    by = {s: [x.text for x in suggest(texts, Stub(TABLE), n=4, strategy=s)] for s in ("margin", "least_confidence", "entropy")}
    assert by["margin"] == ["close call", "three way", "fairly sure", "sure"]
    assert by["least_confidence"] == ["three way", "close call", "fairly sure", "sure"]
    assert by["entropy"] == ["three way", "close call", "fairly sure", "sure"]
    top = suggest(texts, Stub(TABLE), n=1)[0]
    assert (top.index, top.text, top.suggested_label) == (1, "close call", "a")
    assert top.uncertainty == pytest.approx(0.99)
    assert top.scores == {"a": 0.5, "b": 0.49, "c": 0.01}


def test_ties_keep_input_order_and_repeats_are_scored_once():
    table = {"x": [0.5, 0.5, 0.0], "y": [0.5, 0.5, 0.0], "z": [0.5, 0.5, 0.0], "sure": [1.0, 0.0, 0.0]}
    stub = Stub(table)
    texts = ["sure", "y", "x", "y", " y ", "z"]
    picked = suggest(texts, stub, n=10)
    assert [(s.index, s.text) for s in picked] == [(1, "y"), (2, "x"), (5, "z"), (0, "sure")]
    assert stub.calls == [["sure", "y", "x", "z"]]


def test_unicode_forms_of_one_text_are_one_text():
    import unicodedata

    nfc = "Quân Mỹ rút khỏi Iraq"
    nfd = unicodedata.normalize("NFD", nfc)
    stub = Stub({nfc: [0.5, 0.5, 0.0], nfd: [0.5, 0.5, 0.0]})
    assert [s.index for s in suggest([nfc, nfd], stub)] == [0]


def test_suggested_label_uses_decision_weights():
    stub = Stub({"t": [0.5, 0.4, 0.1]}, weights=[1.0, 2.0, 1.0])
    assert suggest(["t"], stub)[0].suggested_label == "b"


def test_n_bounds_and_errors():
    stub = Stub(TABLE)
    assert suggest(["sure"], stub, n=0) == []
    assert suggest([], stub) == []
    assert len(suggest(list(TABLE), stub, n=99)) == 4
    with pytest.raises(TypeError, match="single str"):
        suggest("sure", stub)
    with pytest.raises(ValueError, match="text 1 is empty"):
        suggest(["sure", "  "], stub)
    with pytest.raises(ValueError, match="strategy"):
        suggest(["sure"], stub, strategy="random")
    with pytest.raises(ValueError, match="n must be"):
        suggest(["sure"], stub, n=-1)


def test_real_stance_passages_picked_are_the_most_uncertain(shared_data):
    with lzma.open(shared_data("stance", "unlabelled.jsonl.xz"), "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(150), f)]
    model = pretrained_model("stance")
    picked = suggest(texts, model, n=10)
    # independently: margin of every distinct text from the model's probabilities
    P = model.predict_proba(texts)
    top2 = -np.sort(-P, axis=1)[:, :2]
    margin = 1 - (top2[:, 0] - top2[:, 1])
    chosen = {s.index for s in picked}
    assert min(margin[i] for i in chosen) >= max(margin[i] for i in range(len(texts)) if i not in chosen) - 1e-12
    assert [s.uncertainty for s in picked] == sorted((s.uncertainty for s in picked), reverse=True)
    assert {s.suggested_label for s in picked} <= {"pro", "anti", "neutral", "unrelated"}


# ---------------------------------------------------------------------------------------------- files


def _picked():
    table = {"t1": [0.6, 0.4], "t2": [0.3, 0.7], "t3": [0.55, 0.45], "t4": [0.45, 0.55]}
    stub = Stub(table, classes=("anti", "pro"))
    return suggest(list(table), stub, n=4)


@pytest.mark.parametrize("name", ["s.jsonl", "s.jsonl.xz"])
def test_written_file_is_labelled_data_once_labels_are_filled(tmp_path, name):
    picked = _picked()
    fields = [{"id": f"id{k}", "doc_id": f"d{k}", "label": "stale"} for k in range(4)]
    out = write_suggestions(picked, tmp_path / name, fields=fields)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left behind
    opener = lzma.open if name.endswith(".xz") else open
    with opener(out, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    assert [r["text"] for r in rows] == [s.text for s in picked]
    assert all(r["label"] is None for r in rows)
    assert [r["id"] for r in rows] == [f"id{s.index}" for s in picked]
    assert list(rows[0]) == ["text", "label", "id", "doc_id", "suggested_label", "uncertainty", "scores"]
    with pytest.raises(DataError, match="missing label"):
        read_labelled(out)
    # a person fills each label (here: accepts the suggestion)
    filled = tmp_path / "filled.jsonl"
    filled.write_text(
        "".join(json.dumps({**r, "label": r["suggested_label"]}, ensure_ascii=False) + "\n" for r in rows),
        encoding="utf-8",
    )
    data = read_labelled(filled)
    assert list(data.texts) == [s.text for s in picked]
    assert list(data.labels) == [s.suggested_label for s in picked]
    assert data.label_counts() == {"anti": 2, "pro": 2}
    assert data.meta_field("doc_id") == tuple(f"d{s.index}" for s in picked)


def test_read_unlabelled_jsonl_xz_and_folders(tmp_path):
    rows = [{"id": "a", "text": "Quân Mỹ ở Iraq.", "doc_id": "x"}, {"text": "Không có id."}]
    plain = tmp_path / "u.jsonl"
    plain.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    packed = tmp_path / "u.jsonl.xz"
    packed.write_bytes(lzma.compress(plain.read_bytes()))
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "b.txt").write_text("Bài hai.", encoding="utf-16")
    (folder / "a.txt").write_text("Bài một.", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    errors: list[str] = []
    items = read_unlabelled([plain, packed, folder], errors=errors)
    assert [i.text for i in items] == [r["text"] for r in rows] * 2 + ["Bài một.", "Bài hai."]
    assert items[0].fields == {"id": "a", "doc_id": "x"} and items[1].fields == {}
    assert items[4].fields == {"id": str(folder / "a.txt")}
    assert len(errors) == 1 and "empty.txt" in errors[0]
    with pytest.raises(ValueError, match="empty.txt"):
        read_unlabelled([folder])


def test_read_unlabelled_names_the_bad_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "một"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: bad JSON"):
        read_unlabelled([bad])
    bad.write_text('{"text": "một"}\n{"id": 3}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: field 'text'"):
        read_unlabelled([bad])
    with pytest.raises(FileNotFoundError):
        read_unlabelled([tmp_path / "missing.jsonl"])


def test_split_passages_keeps_fields_and_groups_by_article():
    items = split_passages([UnlabelledText("Quân Mỹ ở Iraq.\nĐội tuyển thắng.", {"id": "a.txt", "source": "s"})])
    assert [(i.text, i.fields) for i in items] == [
        ("Quân Mỹ ở Iraq.", {"id": "a.txt#p0", "source": "s", "doc_id": "a.txt"}),
        ("Đội tuyển thắng.", {"id": "a.txt#p1", "source": "s", "doc_id": "a.txt"}),
    ]


# ---------------------------------------------------------------------------------------------- CLI
