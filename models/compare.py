"""Compare classifier configurations by leave-one-report-out cross-validation.

Prints a Markdown table (macro-F1, accuracy, uncertainty threshold) of every configuration,
best first, using the labels shipped with fazhi_nlp (seed units scored, authored units added
to every training fold). Run from the repository root:

    python models/compare.py --jobs 2   # the full grid (about 2 minutes on 2 cores)
    python models/compare.py --best     # only the shipped configuration, with its full report
"""
from __future__ import annotations

import argparse
import itertools
import time
import warnings
from concurrent.futures import ProcessPoolExecutor

from fazhi_nlp.classifier import DEFAULT_PARAMS, evaluate
from fazhi_nlp.labels import shipped_labels

C_VALUES = {"logreg": (1.0, 10.0, 100.0), "svm": (0.1, 1.0), "sgd": (1.0, 10.0, 100.0)}


def grid() -> list[dict]:
    """Features x heading x model x C, then two more heading weights for logreg C=10."""
    base = {"heading_weight": 0.5, "class_weight": "balanced", "random_state": 0}
    configs = [
        {**base, "features": features, "use_heading": heading, "model": model, "C": c}
        for features, heading, model in itertools.product(("word", "char", "word+char"),
                                                          (False, True), C_VALUES)
        for c in C_VALUES[model]
    ]
    configs += [{**base, "features": features, "use_heading": True, "heading_weight": w,
                 "model": "logreg", "C": 10.0}
                for features in ("char", "word+char") for w in (0.25, 1.0)]
    return configs


def run(params: dict) -> tuple[float, float, float, dict, float]:
    """Macro-F1, accuracy, threshold, params and seconds of one configuration."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence / small-class notes from scikit-learn
        result = evaluate(shipped_labels(), **params)
    return (result.macro_f1, result.accuracy, result.threshold, params,
            time.perf_counter() - start)


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
    print("| features | heading (weight) | model | C | macro-F1 | accuracy | threshold | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for f1, acc, threshold, p, seconds in sorted(rows, key=lambda r: (-r[0], -r[1])):
        heading = f"yes ({p['heading_weight']:g})" if p["use_heading"] else "no"
        print(f"| {p['features']} | {heading} | {p['model']} | {p['C']:g} | {f1:.3f} | "
              f"{acc:.3f} | {threshold:.2f} | {seconds:.0f} |")


if __name__ == "__main__":
    main()
