"""Choose the classifier configuration by grouped cross-validation on real reports.

Every configuration is scored the same way as ``fazhi-nlp evaluate``: the units of published
reports (seed and real labels shipped with fazhi_nlp) are split into 10 folds of whole
reports, each fold is predicted by a model trained on the other reports plus all authored
examples, and authored examples are never scored. Prints a Markdown table, best macro-F1
first, with accuracy, the uncertainty threshold chosen from the same predictions, the
coverage and accuracy above it, the macro-F1 over agency kinds, and the seconds it took.
Run from the repository root:

    python models/compare.py --jobs 2   # the grid below (about 15 minutes on 2 idle cores)
    python models/compare.py --best     # only the shipped configuration, with its full report
"""
from __future__ import annotations

import argparse
import time
import warnings
from concurrent.futures import ProcessPoolExecutor

from fazhi_nlp.classifier import DEFAULT_PARAMS
from fazhi_nlp.evaluation import evaluate
from fazhi_nlp.labels import shipped_labels

BASE = {**DEFAULT_PARAMS, "features": "char", "use_heading": False, "char_ngram_range": (1, 3),
        "model": "logreg", "C": 30.0, "class_weight": "balanced", "context_weight": 0.15}


def grid() -> list[dict]:
    """One change at a time from the base, then the promising combinations."""
    changes = [
        {},
        {"context_weight": 0.0}, {"context_weight": 0.1}, {"context_weight": 0.2},
        {"context_weight": 0.3},
        {"char_ngram_range": (1, 4)}, {"char_ngram_range": (2, 4)},
        {"C": 10.0}, {"C": 100.0}, {"class_weight": None},
        {"use_heading": True, "heading_weight": 0.25}, {"use_heading": True, "heading_weight": 0.5},
        {"features": "word+char", "C": 10.0},
        {"features": "word+char", "C": 10.0, "use_heading": True, "heading_weight": 0.5},
        {"model": "svm", "C": 1.0},
        {"model": "svm", "C": 1.0, "context_weight": 0.0},
    ]
    return [{**BASE, **change} for change in changes]


def run(params: dict) -> tuple:
    """The numbers of one configuration."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence / small-class notes from scikit-learn
        result = evaluate(shipped_labels(), **params)
    return (result.macro_f1, result.accuracy, result.threshold, result.coverage,
            result.confident_accuracy, float(result.per_kind["macro_f1"].min()), params,
            time.perf_counter() - start)


def describe(p: dict) -> str:
    heading = f"heading {p['heading_weight']:g}" if p["use_heading"] else "no heading"
    low, high = p["char_ngram_range"]
    weights = "balanced" if p["class_weight"] == "balanced" else "unweighted"
    return (f"{p['features']} {low}-{high} | {heading} | {p['model']} C={p['C']:g} {weights} | "
            f"{p['context_weight']:g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--best", action="store_true",
                        help="evaluate only the shipped configuration and print its report")
    parser.add_argument("--jobs", type=int, default=1, help="configurations run in parallel")
    args = parser.parse_args()
    if args.best:
        print(evaluate(shipped_labels(), **DEFAULT_PARAMS).report())
        return
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(run, grid()))
    print("| features | heading | model | context | macro-F1 | accuracy | threshold | coverage | accuracy above | worst kind macro-F1 | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for f1, acc, cut, coverage, above, worst, p, seconds in sorted(rows, key=lambda r: (-r[0], -r[1])):
        print(f"| {describe(p)} | {f1:.3f} | {acc:.3f} | {cut:.2f} | {coverage:.1%} | {above:.3f} | "
              f"{worst:.3f} | {seconds:.0f} |")


if __name__ == "__main__":
    main()
