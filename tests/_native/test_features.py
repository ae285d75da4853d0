"""The compiled TF-IDF against the package's vectoriser: bit for bit its NgramIndex transform, to float32
rounding scikit-learn's; one tokenisation for several vectorisers; classification equal to the Python path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stance import api
from stance._native import disabled, features
from stance._native.passages import passages_batch
from stance.features.vectorizer import TextVectorizer
from stance.text.clean import clean
from stance.text.segment import passages as cut_passages

from ..paths import ROOT, SEEDS
from .strategies import FITTING, PROPERTY, page, vi_text

texts = st.lists(st.one_of(vi_text(60), page()), min_size=1, max_size=8)


def _same(X, R, exact=True):
    assert X.shape == R.shape
    assert np.array_equal(X.indptr, R.indptr)
    assert np.array_equal(X.indices, R.indices)
    assert X.dtype == R.dtype == np.float32
    if exact:
        assert np.array_equal(X.data, R.data)
    else:
        assert np.allclose(X.data, R.data, rtol=0, atol=1e-6)


def _fit(ngram_range, train):
    try:
        return TextVectorizer(ngram_range=ngram_range, min_df=1).fit(train)
    except ValueError:  # empty vocabulary
        return None


@FITTING
@given(st.lists(st.one_of(vi_text(60), page()), min_size=3, max_size=12), texts)
def test_one_tokenisation_gives_each_vectorizers_own_matrix(train, test):
    """1-2, 1-3 and 2-3 gram vectorisers fed from one tokenisation of the articles: each gets its own
    transform of the articles and of their passages, bit for bit (and scikit-learn's to 1e-6)."""
    train = [clean(t) for t in train]
    vecs = [v for v in (_fit(r, train) for r in ((1, 2), (1, 3), (2, 3))) if v is not None]
    if not vecs:
        return
    assert all(features.syllable_index(v) is not None for v in vecs)
    articles = [clean(t) or t for t in test] + train[:2]
    flat, ptr, starts, ends = passages_batch(articles)
    assert flat == [p for a in articles for p in cut_passages(a)]
    with patch.object(features, "BUILD_FROM", 0), features.shared_tokens(vecs, articles, flat, ptr, starts, ends, [train]):
        got = [(v.transform(articles), v.transform(flat), v.transform(train), v.transform(train[:1])) for v in vecs]
        assert features._local.tokens.runs is not None  # tokenised once, for all of them
    for v, (A, P, T, T1) in zip(vecs, got):
        for X, docs in ((A, articles), (P, flat), (T, train), (T1, train[:1])):
            _same(X, v.index_.transform(docs))
            if docs:  # scikit-learn refuses an empty list
                _same(X, v.vectorizer_.transform(docs), exact=False)


@FITTING
@given(st.lists(st.one_of(vi_text(60), page()), min_size=3, max_size=12), texts)
def test_passages_without_spans_are_tokenised_on_their_own(train, test):
    vec = _fit((1, 2), [clean(t) for t in train])
    if vec is None:
        return
    articles = [clean(t) or t for t in test]
    flat = [p for a in articles for p in cut_passages(a)]
    ptr = np.cumsum([0] + [len(cut_passages(a)) for a in articles])
    none = np.full(len(flat), -1, dtype=np.int64)
    with patch.object(features, "BUILD_FROM", 0), features.shared_tokens([vec], articles, flat, ptr, none, none):
        assert features._local.tokens is not None
        _same(vec.transform(flat), vec.index_.transform(flat))


def test_what_is_not_recognised_runs_its_own_transform():
    train = ["Quân Mỹ ở Iraq", "quân Nga ở Syria", "Mỹ rút quân khỏi Iraq"]
    assert features.syllable_index(TextVectorizer(min_df=1).fit(train)) is not None
    assert features.syllable_index(TextVectorizer(min_df=1, sublinear_tf=False).fit(train)) is None
    plain = TextVectorizer(min_df=1).fit(train)
    plain.vectorizer_.set_params(norm="l1")
    assert features.syllable_index(plain) is None
    with disabled():
        assert features.syllable_index(TextVectorizer(min_df=1).fit(train)) is not None  # recognised...
        vec = TextVectorizer(min_df=1).fit(train)
        _same(vec.transform(["Quân Mỹ"]), vec.index_.transform(["Quân Mỹ"]))  # ...but not used


@pytest.fixture(scope="module")
def models():
    return api.pretrained_model("topic"), api.pretrained_model("stance")


@PROPERTY
@given(st.lists(st.one_of(vi_text(80), page()), min_size=1, max_size=5))
def test_classify_batch_equals_the_python_path(models, raw):
    raw = [t for t in raw if t.strip()]
    if not raw:
        return
    topic, stance = models
    with patch.object(features, "BUILD_FROM", 0):
        fast = api.classify_batch(raw, topic_model=topic, stance_model=stance, n_jobs=1)
    with disabled():
        reference = api.classify_batch(raw, topic_model=topic, stance_model=stance, n_jobs=1)
    assert fast == reference


def test_without_the_extension_everything_runs_in_python():
    """The compiled module blocked: stance imports, says so, and classifies the seeds as it does here."""
    code = (
        "import sys; sys.modules['stance._native._kernels'] = None\n"
        "import json, stance, stance._native as n\n"
        "from pathlib import Path\n"
        "assert not n.COMPILED and not n.active()\n"
        "texts = [p.read_text(encoding='utf-8') for p in sorted(Path('seeds').glob('*.txt'))]\n"
        "print(json.dumps([r.to_dict() for r in stance.classify_batch(texts, n_jobs=1)]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    assert len(seeds) == 5
    here = [r.to_dict() for r in api.classify_batch(seeds, n_jobs=1)]
    assert json.loads(out.stdout) == json.loads(json.dumps(here))
