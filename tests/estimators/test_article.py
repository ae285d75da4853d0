"""ArticleStanceClassifier: the article decision learned from labelled articles, on real text.

The shipped stance model (an ArticleStanceClassifier behind a Cleaner) is checked for the promises of issue 10:
an article does not drift to neutral as factual or unrelated paragraphs are added, a one-passage text gets its
passage's label and probabilities, every label is the argmax of the probabilities shown beside it, and evidence
is passages of the article's label, never a caption. A small model fitted here checks fitting with articles.
"""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from stance import classify, classify_batch
from stance.api import pretrained_model
from stance.display import result_text
from stance.estimators.aggregate import is_caption
from stance.estimators.article import ArticleStanceClassifier, article_features, passages_of
from stance.estimators.passage_classifier import PassageClassifier
from stance.text.clean import Cleaner
from stance.text.segment import syllables

LABELS = ["anti", "neutral", "pro", "unrelated"]


def _jsonl(path):
    return [json.loads(line) for line in path.open(encoding="utf-8")]


@pytest.fixture(scope="module")
def stance_rows(shared_data):
    return _jsonl(shared_data("stance", "train.jsonl")), _jsonl(shared_data("stance", "articles.jsonl"))


@pytest.fixture(scope="module")
def clearly_anti(stance_rows):
    """Articles labelled anti by their annotators that the shipped model gives P(anti) >= 0.7, as passages."""
    _, articles = stance_rows
    anti = [a["text"] for a in articles if a["label"] == "anti"]
    results = classify_batch(anti)
    out = [[p.text for p in r.passages] for r in results if r.stance == "anti" and r.stance_scores["anti"] >= 0.7]
    assert len(out) >= 30, f"only {len(out)} clearly anti articles"  # measured: 45 of the 89 anti articles
    return out


@pytest.fixture(scope="module")
def padding(stance_rows):
    """Real paragraphs: passages labelled neutral (factual reports) and unrelated by the annotators."""
    passages, _ = stance_rows
    neutral = [p["text"] for p in passages if p["label"] == "neutral"][:300]
    unrelated = [p["text"] for p in passages if p["label"] == "unrelated"][:300]
    return neutral + unrelated


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_adding_factual_or_unrelated_paragraphs_keeps_a_clearly_anti_article_anti(clearly_anti, padding, data):
    paras = list(data.draw(st.sampled_from(clearly_anti), label="article"))
    added = data.draw(st.lists(st.integers(0, len(padding) - 1), min_size=1, max_size=12), label="paragraphs")
    for k in added:  # anywhere after the headline and lead
        paras.insert(data.draw(st.integers(3, len(paras)), label="position"), padding[k])
    r = classify("\n".join(paras))
    assert r.stance == "anti", (r.stance_scores, len(paras))


def test_a_one_passage_text_gets_its_passages_label_and_probabilities(stance_rows):
    passages, _ = stance_rows
    texts = [p["text"] for p in passages[:400:4]]
    for r in classify_batch(texts):
        if len(r.passages) == 1:
            assert r.stance == r.passages[0].stance
            assert r.stance_scores == pytest.approx(r.passages[0].stance_scores, abs=1e-12)
    one = classify("Quốc hội Iraq yêu cầu quân Mỹ rút khỏi nước này.")
    assert len(one.passages) == 1 and one.stance == one.passages[0].stance


def test_every_label_is_the_argmax_of_its_own_probabilities(stance_rows):
    _, articles = stance_rows
    for r in classify_batch([a["text"] for a in articles[:60]]):
        assert r.stance == max(r.stance_scores, key=r.stance_scores.get)
        assert sum(r.stance_scores.values()) == pytest.approx(1.0)
        for p in r.passages:
            assert p.stance == max(p.stance_scores, key=p.stance_scores.get)


def test_evidence_carries_the_articles_label_and_is_never_a_caption(stance_rows):
    _, articles = stance_rows
    seen = set()
    for r in classify_batch([a["text"] for a in articles[:120]]):
        seen.add(r.stance)
        if r.stance == "unrelated":
            assert r.evidence == ()
            assert "no passage is about the target" in result_text("a", r)
        for p in r.evidence:
            assert p.stance == r.stance and not is_caption(p.text, p.index)
    assert {"anti", "neutral", "unrelated"} <= seen


def test_a_strongly_worded_photo_caption_is_not_evidence():
    text = ("Biểu tình lớn đòi quân Mỹ rút khỏi Iraq\n"
            "Người biểu tình đốt cờ Mỹ, đòi quân chiếm đóng cút khỏi Iraq. Ảnh: Reuters\n"
            "Hàng chục nghìn người Iraq xuống đường tại Baghdad yêu cầu quân đội Mỹ chấm dứt sự chiếm đóng và rút "
            "toàn bộ binh sĩ khỏi đất nước họ.")
    r = classify(text)
    # cleaning drops the credit; the caption is the anti-est passage, and still not evidence
    assert r.passages[1].text == "Người biểu tình đốt cờ Mỹ, đòi quân chiếm đóng cút khỏi Iraq."
    assert r.stance == r.passages[1].stance == "anti"
    assert r.passages[1].stance_scores["anti"] > max(p.stance_scores["anti"] for p in r.evidence)
    assert 1 not in [p.index for p in r.evidence] and r.evidence


def test_the_short_text_rule(stance_rows):
    """Up to 150 syllables: the passage model on the whole text; from 250: the article model."""
    model = pretrained_model("stance")[-1]
    _, articles = stance_rows
    cleaned = Cleaner().transform([a["text"] for a in articles[:80]])
    docs = [passages_of(c) for c in cleaned]
    P, A = model.predict_articles(docs, cleaned)
    whole = model.passage_proba(cleaned)
    for k, c in enumerate(cleaned):
        n = len(syllables(c))
        if len(docs[k]) == 1:
            np.testing.assert_allclose(A[k], P[k][0])
        elif n <= 150:
            np.testing.assert_allclose(A[k], whole[k])
        elif n >= 250:
            F = article_features(P[k], model.classes_)
            direct = model.logistic_.predict_proba(model.scaler_.transform(F[None, :]))[0]
            np.testing.assert_allclose(A[k], direct[[list(model.logistic_.classes_).index(c) for c in model.classes_]])


def test_article_features_ignore_paragraphs_weaker_than_the_strongest():
    P = np.array([[0.6, 0.2, 0.1, 0.1], [0.3, 0.4, 0.1, 0.2], [0.2, 0.6, 0.1, 0.1], [0.8, 0.1, 0.05, 0.05],
                  [0.7, 0.1, 0.1, 0.1]])
    weak = np.array([[0.01, 0.2, 0.01, 0.78]] * 5)  # less pro, less anti, less related than the top three
    np.testing.assert_allclose(article_features(np.vstack([P, weak]), LABELS), article_features(P, LABELS))
    # by hand: max P(anti) 0.8 -> log(0.8 / 0.2)
    assert article_features(P, LABELS)[8 + 1] == pytest.approx(np.log(4.0))


@pytest.fixture(scope="module")
def small(stance_rows):
    """A small model fitted with articles: 800 passages, 120 articles."""
    passages, articles = stance_rows
    rng = np.random.default_rng(0)
    pick = rng.permutation(len(passages))[:800]
    arts = [articles[i] for i in rng.permutation(len(articles))[:120]]
    cleaner = Cleaner()
    X = cleaner.transform([passages[i]["text"] for i in pick])
    kwargs = dict(groups=[passages[i]["doc_id"] for i in pick], articles=cleaner.transform([a["text"] for a in arts]),
                  article_labels=[a["label"] for a in arts], article_groups=[a["id"] for a in arts])
    est = ArticleStanceClassifier(passage_model=PassageClassifier(), folds=3)
    return est, X, [passages[i]["label"] for i in pick], kwargs, kwargs["articles"]


@pytest.mark.slow  # two fits with cross-fitting: 83 s on the loaded 2-core machine
def test_fitting_with_articles_is_deterministic_and_pickles(small):
    est, X, y, kwargs, articles = small
    a = clone(est).fit(X, y, **kwargs)
    b = clone(est).fit(X, y, **kwargs)
    assert a.logistic_ is not None and a.logistic_.coef_.shape == (4, 14)
    np.testing.assert_array_equal(a.predict_proba(articles), b.predict_proba(articles))
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(a)).predict_proba(articles), a.predict_proba(articles))
    assert (a.predict(articles) == a.classes_[a.predict_proba(articles).argmax(axis=1)]).all()


def test_fitting_with_articles_checks_its_inputs(small):
    est, X, y, kwargs, _ = small
    with pytest.raises(ValueError, match="article_labels"):
        clone(est).fit(X, y, groups=kwargs["groups"], articles=kwargs["articles"], article_labels=["anti"])
    with pytest.raises(ValueError, match="unknown article stance labels"):
        clone(est).fit(X, y, articles=kwargs["articles"], article_labels=["x"] * len(kwargs["articles"]))
    with pytest.raises(ValueError, match="need groups"):
        clone(est).fit(X, y, articles=kwargs["articles"], article_labels=kwargs["article_labels"],
                       article_groups=kwargs["article_groups"])
    with pytest.raises(ValueError, match="short"):
        clone(est).set_params(short=(250, 150)).fit(X, y)
