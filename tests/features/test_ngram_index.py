"""The fast n-gram TF-IDF path against scikit-learn's TfidfVectorizer as the reference."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from stance.features.ngram_index import NgramIndex
from stance.features.vectorizer import TextVectorizer
from stance.text.segment import TOKEN_PATTERN

WORDS = ["quân", "mỹ", "ở", "iraq", "rút", "khỏi", "nato", "á", "5", "000", "Hòa", "bình", "x_y", "an"]
text = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), max_size=25).map(" ".join)


def _assert_same(vec, fast, docs):
    a, b = vec.transform(docs), fast.transform(docs)
    assert a.shape == b.shape and a.dtype == b.dtype
    assert (a != 0).sum() == (b != 0).sum()
    np.testing.assert_allclose(a.toarray(), b.toarray(), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (1, 3), (2, 3)])
@pytest.mark.parametrize("sublinear_tf", [True, False])
@settings(max_examples=60, deadline=None)
@given(train=st.lists(text, min_size=1, max_size=12), test=st.lists(text, max_size=8))
def test_matches_sklearn_on_any_text(ngram_range, sublinear_tf, train, test):
    vec = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=ngram_range, sublinear_tf=sublinear_tf,
                          dtype=np.float32)
    try:
        vec.fit(train)
    except ValueError:  # empty vocabulary: nothing to compare
        return
    _assert_same(vec, NgramIndex.from_vectorizer(vec), test + train)


def test_matches_sklearn_on_real_passages(shared_data):
    texts = [json.loads(line)["text"] for line in shared_data("stance", "train.jsonl").open(encoding="utf-8")][:1500]
    model = TextVectorizer(ngram_range=(1, 3), min_df=2).fit(texts[:1000])
    assert model.index_ is not None
    cleaned = [model.vectorizer_.build_preprocessor()(t) for t in texts[1000:]]
    _assert_same(model.vectorizer_, model.index_, cleaned)
    # And the transformer's own transform is the reference path's matrix.
    ref = model.vectorizer_.transform(texts[1000:])
    np.testing.assert_allclose(model.transform(texts[1000:]).toarray(), ref.toarray(), rtol=1e-5, atol=1e-7)


def test_refuses_what_it_cannot_reproduce():
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2)).fit(["ab", "bc"])
    with pytest.raises(ValueError, match="word analyzers"):
        NgramIndex.from_vectorizer(vec)
