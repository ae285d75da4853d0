"""Corpora at any size: tables in and out, streaming, resumable runs, every core, a Dask cluster.

- :mod:`stance.bulk.sources`: files, folders, standard input and tables read lazily as items;
- :mod:`stance.bulk.table`: the results table's rows and columns, and the encodings chunks are written in;
- :mod:`stance.bulk.parallel`: chunk tasks, the models each process holds, the local executors;
- :mod:`stance.bulk.sinks`: committing chunks, resuming, assembling the output;
- :mod:`stance.bulk.runner`: :func:`classify_corpus` and :func:`classify_stream`;
- :mod:`stance.bulk.frame`: :func:`classify_frame` for pandas DataFrames;
- :mod:`stance.dask`: the same on a dask.distributed cluster.
"""

from __future__ import annotations

from .frame import classify_frame
from .runner import Summary, classify_corpus, classify_stream

__all__ = ["Summary", "classify_corpus", "classify_frame", "classify_stream"]
