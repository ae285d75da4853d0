"""Features: scikit-learn transformers from texts to matrices: TF-IDF n-grams
(:mod:`~stance.features.vectorizer`, with the fast lookup of :mod:`~stance.features.ngram_index`), stance cues
(:mod:`~stance.features.cues`) and their union (:mod:`~stance.features.combined`)."""
