"""Training: labelled data (:mod:`~stance.training.data`), the default configurations
(:mod:`~stance.training.configs`), fitting and saving (:mod:`~stance.training.train`), model cards
(:mod:`~stance.training.card`) and what to label next (:mod:`~stance.training.suggest`)."""
