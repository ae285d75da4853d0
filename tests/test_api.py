"""classify / classify_batch with the shipped models, on the seed articles and on bad input."""

from __future__ import annotations

import json
import unicodedata

import numpy as np
import pytest

from stance import STANCE_LABELS, TOPIC_LABELS, classify, classify_batch
from stance.api import Result
from stance.estimators.pipeline import with_cleaner
from stance.text.clean import PIPELINE, Cleaner
from tests.paths import SEEDS



@pytest.fixture(scope="module")
def seed_results() -> dict[str, Result]:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    return {p.name[:3]: r for p, r in zip(SEEDS, classify_batch(texts))}


def test_result_shape(seed_results):
    for r in seed_results.values():
        assert r.topic in TOPIC_LABELS and set(r.topic_scores) == set(TOPIC_LABELS)
        assert r.stance in STANCE_LABELS and set(r.stance_scores) == set(STANCE_LABELS)
        assert sum(r.topic_scores.values()) == pytest.approx(1.0)
        assert sum(r.stance_scores.values()) == pytest.approx(1.0)
        assert r.passages and all(sum(p.stance_scores.values()) == pytest.approx(1.0) for p in r.passages)
        assert [p.index for p in r.passages] == list(range(len(r.passages)))
        assert all(e in r.passages for e in r.evidence)


def test_seed_topics_are_world_news(seed_results):
    # All five are foreign-affairs articles (US troops in Iraq, NATO, Russia): "Thế giới" for a reader.
    assert {k: r.topic for k, r in seed_results.items()} == dict.fromkeys(seed_results, "The gioi")


def test_seed_stances_are_about_the_target(seed_results):
    # Every seed is about US / NATO military presence in Iraq, so none is unrelated as a whole.
    assert all(r.stance != "unrelated" for r in seed_results.values())


def test_passages_exclude_page_furniture(seed_results):
    texts = [p.text for r in seed_results.values() for p in r.passages]
    assert not any("Đường dây nóng" in t or "GALLERY" in t or "Báo lỗi" in t for t in texts)


def test_clearly_anti_and_unrelated_passages():
    anti = classify(
        "Hàng nghìn người biểu tình ở Baghdad đòi quân Mỹ rút khỏi Iraq ngay lập tức. "
        "Họ gọi sự hiện diện của binh sĩ Mỹ là một cuộc chiếm đóng."
    )
    assert anti.stance == "anti"
    sport = classify("Đội tuyển Việt Nam thắng Thái Lan 2-0 tại sân Mỹ Đình tối qua.")
    assert sport.stance == "unrelated"
    assert sport.topic == "The thao"


def test_batch_equals_single(seed_results):
    one = classify(SEEDS[2].read_text(encoding="utf-8"))
    assert one == seed_results["002"]


def test_invariant_to_normalisation_and_tone_style():
    text = SEEDS[3].read_text(encoding="utf-8")
    variants = [text, unicodedata.normalize("NFD", text), text.replace("thoả", "thỏa").replace("liên luỵ", "liên lụy")]
    results = classify_batch(variants)
    assert results[0] == results[1] == results[2]


@pytest.mark.parametrize("bad,exc,match", [(None, TypeError, "NoneType"), (b"Iraq", TypeError, "bytes"), ("", ValueError, "empty"), ("  \n\t", ValueError, "empty")])
def test_bad_input_raises_clearly(bad, exc, match):
    with pytest.raises(exc, match=match):
        classify(bad)


def test_batch_names_the_bad_position():
    with pytest.raises(ValueError, match="text 1"):
        classify_batch(["Quân Mỹ ở Iraq.", "   "])
    with pytest.raises(TypeError, match="single str"):
        classify_batch("Quân Mỹ ở Iraq.")
    assert classify_batch([]) == []


def test_furniture_only_page_still_gets_a_result():
    r = classify("Đường dây nóng: 0943 113 999")
    assert r.stance in STANCE_LABELS and len(r.passages) == 1


# ----------------------------------------------------------------------------------------------------------
# Cleaning: the models' leading Cleaner runs once per article; other models get the default Cleaner's text


class Recorder:
    """A fitted-looking model that remembers the texts it was given and answers uniform probabilities."""

    def __init__(self, classes):
        self.classes_ = np.asarray(classes)
        self.seen: list[list[str]] = []

    def predict_proba(self, texts):
        self.seen.append(list(texts))
        return np.full((len(texts), len(self.classes_)), 1.0 / len(self.classes_))


RAW = "<p>Quân Mỹ ở Iraq.</p>\nẢnh: AP\n<p>Hoà bình. Một. Hai. Ba.</p>"


def test_a_model_without_a_cleaner_gets_the_default_cleaners_text():
    topic, stance = Recorder(["a", "b"]), Recorder(STANCE_LABELS)
    r = classify(RAW, topic_model=topic, stance_model=stance)
    cleaned = Cleaner().transform([RAW])[0]
    assert cleaned == "Quân Mỹ ở Iraq.\nHòa bình. Một. Hai. Ba."
    assert topic.seen == [[cleaned]]
    assert stance.seen == [["Quân Mỹ ở Iraq.", "Hòa bình. Một. Hai.", "Ba."]]
    assert [p.text for p in r.passages] == stance.seen[0]


def test_each_pipeline_gets_the_output_of_its_own_cleaner():
    shout = Cleaner(steps=[*PIPELINE, str.upper])
    topic, stance = Recorder(["a", "b"]), Recorder(STANCE_LABELS)
    r = classify(RAW, topic_model=with_cleaner(topic, shout), stance_model=with_cleaner(stance))
    assert topic.seen == [["QUÂN MỸ Ở IRAQ.\nHÒA BÌNH. MỘT. HAI. BA."]]
    assert stance.seen[0][0] == "Quân Mỹ ở Iraq." and r.passages[0].text == "Quân Mỹ ở Iraq."


def test_equal_cleaners_clean_each_article_once():
    calls = []

    def counted(text):
        calls.append(text)
        return text

    steps = (*PIPELINE, counted)
    topic, stance = Recorder(["a", "b"]), Recorder(STANCE_LABELS)
    classify_batch([RAW, "Quân Mỹ rút."], topic_model=with_cleaner(topic, Cleaner(steps=steps)),
                   stance_model=with_cleaner(stance, Cleaner(steps=steps)))
    assert len(calls) == 2


def test_scores_are_shown_in_the_guidelines_label_order_whatever_the_models_order():
    stance = Recorder(sorted(STANCE_LABELS))
    r = classify("Quân Mỹ ở Iraq.", topic_model=Recorder(["b", "a"]), stance_model=stance)
    assert list(r.stance_scores) == list(STANCE_LABELS) == list(r.passages[0].stance_scores)
    assert list(r.topic_scores) == ["b", "a"]


def test_record_is_the_results_table_row(seed_results):
    r = seed_results["002"]
    row = r.to_record(passages=True)
    assert (row["topic"], row["stance"]) == (r.topic, r.stance)
    assert row["topic_score"] == max(r.topic_scores.values())
    assert [row[f"stance_{k}"] for k in ("pro", "anti", "neutral", "unrelated")] == [
        r.stance_scores[k] for k in ("pro", "anti", "neutral", "unrelated")
    ]
    assert [e["index"] for e in row["evidence"]] == [p.index for p in r.evidence]
    assert all(e["score"] == r.passages[e["index"]].stance_scores[e["stance"]] for e in row["evidence"])
    assert [p["text"] for p in row["passages"]] == [p.text for p in r.passages]
    assert "passages" not in r.to_record()
    json.dumps(row, ensure_ascii=False)  # plain JSON types only


# ------------------------------------------------------------------------------------- tables and processes


def test_classify_batch_refuses_a_dataframe_naming_classify_frame_and_takes_a_series():
    import pandas as pd

    df = pd.DataFrame({"text": [p.read_text(encoding="utf-8") for p in SEEDS[:2]]})
    with pytest.raises(TypeError, match=r"classify_frame\(df, text='text'\)"):
        classify_batch(df)
    assert classify_batch(df["text"]) == classify_batch(list(df["text"]))


def test_classify_batch_on_two_processes_gives_the_same_results(shared_data):
    from stance.api import PARALLEL_MIN_TEXTS

    with open(shared_data("stance", "train.jsonl"), encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(PARALLEL_MIN_TEXTS + 200), f)]
    assert len(texts) == PARALLEL_MIN_TEXTS + 200
    one = classify_batch(texts, n_jobs=1)
    assert classify_batch(texts, n_jobs=2) == one
    with pytest.raises(ValueError, match="n_jobs must be a non-zero int"):
        classify_batch(texts, n_jobs=0)


def test_the_topic_classify_reports_is_the_label_predict_gives_for_the_shipped_model(seed_results):
    from stance.api import pretrained_model
    from stance.estimators.pipeline import final_estimator

    model = pretrained_model("topic")
    assert final_estimator(model).decision_weights_.tolist() == [1.0] * len(TOPIC_LABELS)  # no decision weights
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    assert [r.topic for r in seed_results.values()] == model.predict(texts).tolist()


def test_the_topic_classify_reports_is_the_label_predict_gives_for_a_user_trained_model(shared_data):
    # A model trained as `stance train DATA` trains (decision weights tuned for macro-F1) on the topics of
    # UIT-VSFC feedback sentences (training_program, lecturer, facility, others: imbalanced), used as the topic
    # model: classify's topic is predict's label, including where the weights overrule the largest probability.
    from stance.training.configs import own_data_model
    from stance.training.data import read_labelled

    train = read_labelled(shared_data("uit_vsfc", "train.jsonl"), label_field="topic", allow_duplicates=True)
    test = read_labelled(shared_data("uit_vsfc", "test.jsonl"), label_field="topic", allow_duplicates=True)
    model = own_data_model().fit(list(train.texts[:3000]), list(train.labels[:3000]))
    texts = list(test.texts[:600])
    argmax = model.classes_[model.predict_proba(texts).argmax(axis=1)]
    predicted = model.predict(texts)
    assert (argmax != predicted).sum() > 0, "the weights overrule the largest probability somewhere"
    assert [r.topic for r in classify_batch(texts, topic_model=model)] == predicted.tolist()
