"""Evaluation: metrics (:mod:`~stance.evaluation.metrics`), cross-validation protocols
(:mod:`~stance.evaluation.protocols`), significance tests (:mod:`~stance.evaluation.stats`) and reports
(:mod:`~stance.evaluation.report`, figures in :mod:`~stance.evaluation.figures`)."""
