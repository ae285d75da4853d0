"""Text in: reading documents (:mod:`~stance.text.io`), normalising them (:mod:`~stance.text.normalize`), dropping
page furniture (:mod:`~stance.text.furniture`), the cleaning pipeline (:mod:`~stance.text.clean`) and cutting
passages and tokens (:mod:`~stance.text.segment`)."""
