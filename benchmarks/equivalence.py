"""``python -m benchmarks.equivalence``: the compiled path against the Python path on the whole VNTC test set.

For every article (as stored, not normalised first): the cleaned text (the compiled twins of
:mod:`stance._native.cleaning` against :func:`stance.text.clean.clean`), its passages and their spans
(:mod:`stance._native.passages` against :func:`stance.text.segment.passages`), the TF-IDF rows of the
article and of each passage for every TF-IDF vectoriser of the shipped (or given) models (one shared
tokenisation against each vectoriser's own ``NgramIndex.transform``, bit for bit), and the
:class:`stance.Result` of ``classify_batch`` against the same call inside :func:`stance._native.disabled`.
Prints the count of differences of each kind (and the first few); exits 1 if there is any.

Examples
--------
>>> count_row_differences([[1, 0]], [[1, 0]]), count_row_differences([[1, 0], [0, 1]], [[1, 0], [0, 2]])
(0, 1)
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from benchmarks.data import data_root
from stance.files import iter_json_records


def count_row_differences(a: Any, b: Any) -> int:
    """Rows of two matrices (sparse or dense) that are not identical, value for value."""
    import scipy.sparse as sp

    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    if a.shape != b.shape:
        return max(a.shape[0], b.shape[0])
    a.sort_indices()
    b.sort_indices()
    rows = 0
    for k in range(a.shape[0]):
        sa, sb = slice(a.indptr[k], a.indptr[k + 1]), slice(b.indptr[k], b.indptr[k + 1])
        if not (np.array_equal(a.indices[sa], b.indices[sb]) and np.array_equal(a.data[sa], b.data[sb])
                and a.data.dtype == b.data.dtype):
            rows += 1
    return rows


def _chunks(path: Path, size: int, limit: int | None) -> Iterator[list[str]]:
    texts = (item.record["text"] for item in iter_json_records(path) if item.record and item.record.get("text"))
    texts = itertools.islice(texts, limit) if limit else texts
    while chunk := list(itertools.islice(texts, size)):
        yield chunk


def run(args: argparse.Namespace) -> int:
    import stance
    from stance import _native
    from stance._native.cleaning import fast_steps, run_steps
    from stance._native.features import shared_tokens, vectorizers_of
    from stance._native.passages import passages_batch
    from stance.text.clean import PIPELINE, clean
    from stance.text.segment import passages as cut_passages

    if not _native.active():
        print("the compiled path is not active (extension not built, or STANCE_PURE set): nothing to compare")
        return 1
    topic = stance.load(args.topic_model) if args.topic_model else stance.pretrained_model("topic")
    stance_model = stance.load(args.stance_model) if args.stance_model else stance.pretrained_model("stance")
    vecs = vectorizers_of(topic) + [v for v in vectorizers_of(stance_model) if all(v is not t for t in vectorizers_of(topic))]
    steps = fast_steps(PIPELINE)
    print(f"{len(steps)} cleaning steps, {sum(a is not b for a, b in zip(steps, PIPELINE))} compiled; "
          f"{len(vecs)} TF-IDF vectorisers")
    diff = {"cleaned": 0, "passages": 0, "spans": 0, "article rows": 0, "passage rows": 0, "results": 0}
    examples: list[str] = []
    n = n_passages = 0
    started = time.perf_counter()
    for chunk in _chunks(args.test, args.chunk, args.limit):
        fast = [run_steps(steps, t) for t in chunk]
        ref = [clean(t) for t in chunk]
        for k, (a, b) in enumerate(zip(fast, ref)):
            if a != b:
                diff["cleaned"] += 1
                examples.append(f"cleaned: article {n + k}")
        flat, ptr, starts, ends = passages_batch(ref)
        for k, text in enumerate(ref):
            mine = flat[ptr[k]:ptr[k + 1]]
            if mine != cut_passages(text):
                diff["passages"] += 1
                examples.append(f"passages: article {n + k}")
            for p, a, b in zip(mine, starts[ptr[k]:ptr[k + 1]], ends[ptr[k]:ptr[k + 1]]):
                if text[a:b].split() != p.split():
                    diff["spans"] += 1
                    examples.append(f"span: article {n + k}, {a}:{b}")
        with shared_tokens(vecs, ref, flat, ptr, starts, ends):
            shared = [(v.transform(ref), v.transform(flat)) for v in vecs]
        for v, (A, P) in zip(vecs, shared):
            diff["article rows"] += count_row_differences(A, v.index_.transform(ref))
            diff["passage rows"] += count_row_differences(P, v.index_.transform(flat))
        if not args.no_results:
            got = stance.classify_batch(chunk, topic_model=topic, stance_model=stance_model, n_jobs=1)
            with _native.disabled():
                want = stance.classify_batch(chunk, topic_model=topic, stance_model=stance_model, n_jobs=1)
            for k, (a, b) in enumerate(zip(got, want)):
                if a != b:
                    diff["results"] += 1
                    examples.append(f"result: article {n + k}")
        n += len(chunk)
        n_passages += len(flat)
        print(f"  {n:,} articles, {n_passages:,} passages, {time.perf_counter() - started:.0f} s: "
              + ", ".join(f"{k} {v}" for k, v in diff.items()), flush=True)
    print(f"\n{n:,} articles ({args.test}), {n_passages:,} passages; differences (compiled vs Python):")
    for k, v in diff.items():
        print(f"  {k}: {v}")
    for line in examples[:20]:
        print("  first differences:", line)
    return 1 if any(diff.values()) else 0


def main(argv: list[str] | None = None) -> int:
    """Compare, print the counts; 0 when there is no difference."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.equivalence", description=__doc__.split("\n\n")[0])
    p.add_argument("--test", type=Path, default=data_root() / "vntc" / "test.jsonl.xz")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N articles")
    p.add_argument("--chunk", type=int, default=1000)
    p.add_argument("--no-results", action="store_true", help="skip the comparison of whole results (faster)")
    p.add_argument("--topic-model", type=Path, default=None, help="a model file instead of the shipped topic model")
    p.add_argument("--stance-model", type=Path, default=None, help="a model file instead of the shipped stance model")
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
