"""Repost detection across a corpus: three MinHash implementations, precision, recall, speed.

The corpus: the 55 real reports (tests/data/dev/reports and fazhi_nlp/data/examples), and for
each, ``variants`` edited copies in which a share of the sentences is swapped for sentences
of other reports, aimed at 5-gram Jaccard 0.50, 0.60, 0.70, 0.75, 0.80, 0.85, 0.90 and 0.95
with the original (planted reposts at 0.8 and above, near-misses below). The truth is the
exact Jaccard of every pair (a sparse matrix product): two reports belong together when a
chain of pairs at Jaccard ≥ 0.8 joins them, which is what a duplicate group means. Each
method's groups are scored as pairs against that: precision, recall, seconds.

* ``datasketch``: MinHash (one SHA-1 per shingle in Python) + MinHashLSH, every LSH
  candidate joined (fazhi_nlp before this benchmark).
* ``numpy + xxhash``: every shingle hashed once with xxhash (``xxh3_64_intdigest``), 128
  multiply-shift permutations of the shingle hashes in numpy (batched, 4096 shingles a
  step), LSH bands in a dict, candidates checked on the whole signature.
* ``rensa``: RMinHash signatures (Rust) + RMinHashLSH with 32 bands of 4, candidates checked
  on the whole signature. This is what :func:`fazhi_nlp.find_duplicate_reports` now uses.

Usage::

    python benchmarks/reposts.py                 # 8 variants per report (495 reports)
    python benchmarks/reposts.py --copies 10     # the corpus copied 10 times over, for speed
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fazhi_nlp import find_duplicate_reports  # noqa: E402
from fazhi_nlp.patterns import paragraph_key  # noqa: E402

TARGETS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
THRESHOLD = 0.8
NUM_PERM = 128


def originals() -> dict[str, str]:
    folders = (ROOT / "tests" / "data" / "dev" / "reports", ROOT / "fazhi_nlp" / "data" / "examples")
    return {p.stem: p.read_text(encoding="utf-8") for d in folders for p in sorted(d.glob("*.txt"))}


def build(copies: int) -> dict[str, str]:
    """The originals and their variants (``copies`` times over, each copy varied anew)."""
    texts = originals()
    pool = [s for t in texts.values() for s in t.split("。") if len(s) > 15]
    corpus: dict[str, str] = {}
    for c in range(copies):
        for name, text in texts.items():
            rng = random.Random(f"{name}/{c}")
            sentences = text.split("。")
            base = sentences if c == 0 else [s if rng.random() > 0.4 else rng.choice(pool) for s in sentences]
            corpus[f"{name}/c{c}"] = "。".join(base)
            for t in TARGETS:
                share = (1 - t) / (1 + t)  # swapping a share f of the text gives J ≈ (1-f)/(1+f)
                edited = [s if rng.random() > share else rng.choice(pool) for s in base]
                corpus[f"{name}/c{c}/j{t:.2f}"] = "。".join(edited)
    return corpus


def shingles(text: str) -> set[str]:
    key = paragraph_key(text)
    return {key[i:i + 5] for i in range(max(1, len(key) - 4))}


def truth_pairs(corpus: dict[str, str]) -> tuple[set[tuple[int, int]], np.ndarray]:
    """Pairs joined by a chain of exact Jaccard ≥ THRESHOLD, and every pair's exact Jaccard."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, text in enumerate(corpus.values()):
        ids = [vocab.setdefault(s, len(vocab)) for s in shingles(text)]
        rows += [i] * len(ids)
        cols += ids
    x = csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(corpus), len(vocab)))
    inter = (x @ x.T).toarray()
    sizes = np.diag(inter)
    jaccard = inter / (sizes[:, None] + sizes[None, :] - inter)
    _, component = connected_components(csr_matrix(jaccard >= THRESHOLD), directed=False)
    return pairs_of(component), jaccard


def pairs_of(component) -> set[tuple[int, int]]:
    members = defaultdict(list)
    for i, c in enumerate(component):
        members[c].append(i)
    return {(a, b) for m in members.values() for k, a in enumerate(m) for b in m[k + 1:]}


# --------------------------------------------------------------------------- the methods


def by_datasketch(corpus: dict[str, str]) -> list[list[str]]:
    """fazhi_nlp before: datasketch MinHash + MinHashLSH, every candidate joined."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for doc_id, text in corpus.items():
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([s.encode("utf-8") for s in shingles(text)])
        parent[doc_id] = doc_id
        for other in lsh.query(m):
            a, b = root(other), root(doc_id)
            if a != b:
                parent[a] = b
        lsh.insert(doc_id, m)
    return groups_of(parent)


_CHUNK = 4096  # shingles per numpy step (memory stays flat for any report size)


def numpy_signature(text: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each distinct 5-gram hashed once with xxhash (xxh3, 64 bits); ``len(a)`` multiply-shift
    permutations ``(a * h + b) mod 2**64 >> 32`` of those hashes in numpy, the least kept."""
    from xxhash import xxh3_64_intdigest

    key = paragraph_key(text).encode("utf-32-le", "surrogatepass")
    grams = {key[i:i + 20] for i in range(0, max(4, len(key) - 16), 4)}
    hashes = np.fromiter(map(xxh3_64_intdigest, grams), dtype=np.uint64, count=len(grams))
    signature = np.full(len(a), np.iinfo(np.uint64).max, dtype=np.uint64)
    for i in range(0, len(hashes), _CHUNK):
        values = hashes[i:i + _CHUNK, None] * a + b  # wraps modulo 2**64
        np.minimum(signature, (values >> np.uint64(32)).min(axis=0), out=signature)
    return signature.astype(np.uint32)


def by_numpy(corpus: dict[str, str]) -> list[list[str]]:
    """xxhash shingle hashes, numpy permutations, 32 bands of 4 in a dict, candidates checked."""
    rng = np.random.default_rng(1)
    a = rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
    ids = list(corpus)
    parent = {d: d for d in ids}
    signatures = np.empty((len(ids), NUM_PERM), dtype=np.uint32)
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for k, doc_id in enumerate(ids):
        signature = signatures[k] = numpy_signature(corpus[doc_id], a, b)
        bands = [(j, signature[j:j + 4].tobytes()) for j in range(0, NUM_PERM, 4)]
        candidates = sorted({o for band in bands for o in buckets.get(band, ())})
        if candidates:
            agree = (signatures[candidates] == signature).mean(axis=1)
            for other in (c for c, share in zip(candidates, agree) if share >= THRESHOLD):
                x, y = root(ids[other]), root(doc_id)
                if x != y:
                    parent[x] = y
        for band in bands:
            buckets[band].append(k)
    return groups_of(parent)


def by_rensa(corpus: dict[str, str]) -> list[list[str]]:
    """fazhi_nlp now: rensa RMinHash + RMinHashLSH (32 bands of 4), candidates checked."""
    return find_duplicate_reports(corpus, threshold=THRESHOLD, num_perm=NUM_PERM)


def groups_of(parent: dict[str, str]) -> list[list[str]]:
    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    groups = defaultdict(list)
    for d in parent:
        groups[root(d)].append(d)
    return [g for g in groups.values() if len(g) > 1]


METHODS: dict[str, Callable[[dict[str, str]], list[list[str]]]] = {
    "datasketch (before)": by_datasketch, "numpy + xxhash": by_numpy,
    "rensa (shipped)": by_rensa}


def score(groups: list[list[str]], index: dict[str, int], truth: set) -> tuple[float, float]:
    component = list(range(len(index)))
    for g in groups:
        for d in g:
            component[index[d]] = index[g[0]]
    found = pairs_of(component)
    hit = len(found & truth)
    return hit / max(1, len(found)), hit / max(1, len(truth))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=1, help="copies of the corpus (speed)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per method (best kept)")
    args = parser.parse_args(argv)
    corpus = build(args.copies)
    index = {d: i for i, d in enumerate(corpus)}
    truth, jaccard = truth_pairs(corpus)
    mb = sum(len(t.encode("utf-8")) for t in corpus.values()) / 1e6
    close = int(((jaccard >= 0.5) & (jaccard < THRESHOLD)).sum() // 2)
    print(f"{len(corpus)} reports, {mb:.1f} MB; {len(truth)} pairs in duplicate groups "
          f"(exact 5-gram Jaccard ≥ {THRESHOLD}, chained); {close} near-miss pairs at 0.5–0.8")
    print("| method | precision | recall | seconds | reports/s | MB/s |")
    print("|---|---|---|---|---|---|")
    for name, method in METHODS.items():
        best, groups = float("inf"), []
        for _ in range(args.repeats):
            start = time.perf_counter()
            groups = method(corpus)
            best = min(best, time.perf_counter() - start)
        p, r = score(groups, index, truth)
        print(f"| {name} | {p:.3f} | {r:.3f} | {best:.2f} | {len(corpus) / best:,.0f} | "
              f"{mb / best:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
