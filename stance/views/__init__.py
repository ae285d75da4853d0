"""Views: pages for people. The article view (:mod:`~stance.views.article`), corpus reports
(:mod:`~stance.views.corpus`, numbers in :mod:`~stance.views.summary`, plots in :mod:`~stance.views.plots`,
the results table read by :mod:`~stance.views.results`) and the HTML pieces they share (:mod:`~stance.views.html`)."""
