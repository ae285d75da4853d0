"""TextVectorizer: one-letter syllables kept, words via underthesea, and the compact pickled vocabulary."""

from __future__ import annotations

import pickle

import numpy as np

from stance.features.vectorizer import TextVectorizer


def test_syllables_keep_one_letter_syllables_and_lower_case():
    vec = TextVectorizer(ngram_range=(1, 2), min_df=1).fit(["Ở Iraq", "ở Syria"])
    assert sorted(vec.vocabulary_) == ["iraq", "syria", "ở", "ở iraq", "ở syria"]


def test_words_are_underthesea_words():
    vec = TextVectorizer(tokens="words", ngram_range=(1, 1), min_df=1).fit(["Bộ trưởng Quốc phòng Mỹ nói"])
    assert sorted(vec.vocabulary_) == ["bộ_trưởng", "mỹ", "nói", "quốc_phòng"]
    assert vec.index_ is None


def test_the_pickled_vocabulary_is_rebuilt_the_same():
    texts = ["Quân Mỹ ở Iraq", "Quân Nga ở Syria", "Mỹ rút quân khỏi Iraq"]
    vec = TextVectorizer(ngram_range=(1, 3), min_df=1).fit(texts)
    state = vec.__getstate__()
    assert "vocabulary_" not in state and isinstance(state["_packed_terms"], str)
    again = pickle.loads(pickle.dumps(vec))
    assert again.vocabulary_ == vec.vocabulary_ and again.index_.token_ids == vec.index_.token_ids
    np.testing.assert_array_equal(again.transform(texts).toarray(), vec.transform(texts).toarray())
