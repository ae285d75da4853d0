"""Training: each default configuration reaches its minimum quality (as fastText's tests do), and `train`
writes a model, its manifest and its card.

The quality tests fit the shipped configurations on the real data, so they are slow (minutes) and marked so;
CI runs them. The floors sit a few points under the figures measured when the defaults were chosen
(docs/models.md), so a regression fails while run-to-run noise does not.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from stance.estimators.pipeline import fit_with_groups
from stance.estimators.splits import stratified_folds
from stance.persist import load
from stance.training.configs import stance_model, topic_model
from stance.training.data import read_labelled
from stance.training.train import train


@pytest.mark.slow
def test_stance_configuration_minimum_quality(shared_data):
    data = read_labelled(shared_data("stance", "train.jsonl"), allow_duplicates=True)
    texts, y = list(data.texts), np.asarray(data.labels)
    groups = np.asarray(data.groups("doc_id"))
    train_rows, test_rows = stratified_folds(y, groups, n_splits=5, random_state=0)[0]
    assert not set(groups[train_rows]) & set(groups[test_rows])
    model = fit_with_groups(stance_model(), [texts[i] for i in train_rows], y[train_rows], groups[train_rows])
    pred = model.predict([texts[i] for i in test_rows])
    f1 = f1_score(y[test_rows], pred, labels=["pro", "anti", "neutral", "unrelated"], average=None)
    # Measured on this fold when the default was chosen: macro-F1 ~0.63, F_avg ~0.51.
    assert f1.mean() >= 0.58, f1
    assert (f1[0] + f1[1]) / 2 >= 0.45, f1
    P = model.predict_proba([texts[i] for i in test_rows])
    np.testing.assert_allclose(P.sum(axis=1), 1.0)


@pytest.mark.slow
def test_topic_configuration_minimum_quality(shared_data):
    train_data = read_labelled(shared_data("vntc", "train.jsonl.xz"), allow_duplicates=True)
    test = read_labelled(shared_data("vntc", "test.jsonl.xz"), allow_duplicates=True)
    model = topic_model().fit(list(train_data.texts), list(train_data.labels))
    idx = np.random.default_rng(0).choice(len(test.texts), size=8000, replace=False)
    pred = model.predict([test.texts[i] for i in idx])
    truth = [test.labels[i] for i in idx]
    # Measured on the whole test set: accuracy ~0.93+, macro-F1 ~0.91+ (docs/models.md).
    assert accuracy_score(truth, pred) >= 0.92
    assert f1_score(truth, pred, average="macro") >= 0.90


def test_train_writes_a_cleaning_pipeline_with_manifest_and_card(tmp_path):
    words = {"a": ["quân Mỹ", "binh sĩ", "Iraq", "căn cứ"], "b": ["bóng đá", "cầu thủ", "trận đấu", "bàn thắng"]}
    rows = [{"text": f"<p>{w} số {i}</p>", "label": label, "doc_id": f"{label}{i // 2}"}
            for label, ws in words.items() for i, w in enumerate(ws * 3)]
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    manifest = train(data, tmp_path / "m.stance", task="demo", group_field="doc_id", cv_folds=2, min_df=1)
    assert manifest["steps"] == [["clean", "stance.text.clean.Cleaner"],
                                 ["classify", "stance.estimators.text_classifier.TextClassifier"]]
    assert manifest["metrics"]["protocol"]["grouped"] and manifest["labels"] == ["a", "b"]
    assert manifest["params"]["tune_decision"] is True and manifest["n_examples"] == 24
    card = (tmp_path / "m.md").read_text(encoding="utf-8")
    assert "# Model card: demo" in card and "`clean`: `stance.text.clean.Cleaner`" in card
    assert card.rstrip().endswith("<!-- stance model card of m.stance -->")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.md", "m.stance", "train.jsonl"]
    model = load(tmp_path / "m.stance")  # the user's own model: no trusted=True needed
    assert model.predict(["<b>cầu thủ</b> ghi bàn", "quân Mỹ ở Iraq"]).tolist() == ["b", "a"]


@pytest.mark.slow
def test_train_default_topic_reads_every_era_file_weighs_the_eras_and_records_each_file(tmp_path, shared_data):
    # A miniature data folder laid out as ../shared/data, with real articles of each of the three files
    # (every 40th record: all labels of each file, Dân trí's travel section among them).
    import hashlib
    import lzma

    from stance.training.train import train_default

    kept = {}
    for rel in ("vntc/train.jsonl.xz", "topic_recent/dantri_2020_2021.jsonl.xz", "topic_recent/vnexpress_2022.jsonl.xz"):
        with lzma.open(shared_data(*rel.split("/")), "rt", encoding="utf-8") as f:
            rows = [json.loads(line) for k, line in enumerate(f) if k % 40 == 0]
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        with lzma.open(tmp_path / rel, "wt", encoding="utf-8") as f:
            f.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        kept[rel] = [r["label"] for r in rows if not (rel.startswith("topic_recent/dantri") and r["label"] == "Doi song")]
    manifest = train_default("topic", data_dir=tmp_path, out=tmp_path / "topic.stance", progress=False)
    assert manifest["data"] == {rel: hashlib.sha256((tmp_path / rel).read_bytes()).hexdigest() for rel in kept}
    n_old, n_recent = len(kept["vntc/train.jsonl.xz"]), sum(len(v) for r, v in kept.items() if r != "vntc/train.jsonl.xz")
    assert manifest["n_examples"] == n_old + n_recent and manifest["eras"]["n_recent"] == n_recent
    assert manifest["eras"]["excluded"]["topic_recent/dantri_2020_2021.jsonl.xz"]["labels"] == ["Doi song"]
    w = manifest["eras"]["weights"]  # recent texts carry 40% of the weight; mean weight 1
    assert w["recent"] * n_recent * 0.6 == pytest.approx(w["old"] * n_old * 0.4)
    assert w["recent"] * n_recent + w["old"] * n_old == pytest.approx(n_old + n_recent)
    assert "carry 40% of the training weight" in (tmp_path / "topic.md").read_text(encoding="utf-8")
