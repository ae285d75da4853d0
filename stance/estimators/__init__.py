"""Estimators: the classifiers (:mod:`~stance.estimators.text_classifier`,
:mod:`~stance.estimators.stance_classifier`), their calibration (:mod:`~stance.estimators.calibration`) and
decision weights (:mod:`~stance.estimators.decision`), the folds they and evaluation share
(:mod:`~stance.estimators.splits`), and the article-level aggregation (:mod:`~stance.estimators.aggregate`)."""
