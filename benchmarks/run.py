"""Benchmark fazhi_nlp end to end against a plain jieba + scikit-learn notebook baseline.

Builds corpora of 1x, 10x and 100x the seed reports (varied copies: 40 % of the sentences
of long paragraphs swapped for sentences of other reports, body paragraphs shuffled within
their section, other place names, shifted years, other counts, synonym swaps; so neither
dedup nor a sentence cache collapses them), then measures, each number in a fresh subprocess:

* throughput (MB/s of input files, units/s) and peak memory (VmHWM) of fazhi_nlp
  read -> clean -> dedup -> segment -> classify with the default model through the streaming
  corpus API (``iter_classify``; n_jobs=1, and all cores on the largest corpus), and of the
  baseline on the same files (read, split on 。, jieba.lcut inside a TfidfVectorizer,
  LogisticRegression trained on the shipped labels, predict);
* training time on the shipped labels, ``import fazhi_nlp`` time, default-model load time;
* leave-one-report-out macro-F1 of both, on the same folds;

and prints a table, the ratios fazhi_nlp / baseline and PASS/FAIL per target. Each timing is
the fastest of a few fresh-process runs (other load on the machine only slows a run down).

Usage::

    python benchmarks/run.py                  # sizes 1,10,100
    python benchmarks/run.py --quick          # sizes 1,10, one repeat, no cross-validation
    python benchmarks/run.py --profile        # also print cProfile hot spots of fazhi_nlp
    python benchmarks/run.py --model DIR      # another saved model
    python benchmarks/run.py --linear         # only: cost per MB of one 1/10/100 MB report and corpus

The machine should be otherwise idle: the load average is printed before and after.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Optional

DEFAULT_SEEDS = Path(__file__).resolve().parents[1] / "fazhi_nlp" / "data" / "examples"

# --------------------------------------------------------------------------- varied corpora

PLACES = ("泉州", "绵阳", "襄阳", "常德", "宜宾", "柳州", "赣州", "九江", "潍坊", "洛阳", "遵义",
          "岳阳", "盐城", "淮安", "台州", "金华", "湖州", "南充", "曲靖", "包头", "鞍山", "吉林",
          "齐齐哈尔", "呼伦贝尔", "西双版纳", "黔东南", "大理", "喀什", "酒泉", "海东")
SEED_PLACES = ("乌鲁木齐", "中山", "杭州", "临安", "鹤壁", "沂源")
SYNONYMS = (("进一步", "持续", "不断"), ("积极", "主动"), ("认真", "切实", "扎实"),
            ("加强", "强化"), ("健全", "完善"), ("推进", "推动"), ("深入", "全面"),
            ("开展", "组织开展"), ("严格", "从严"))
_SYNONYM = re.compile("|".join(sorted((w for g in SYNONYMS for w in g), key=len, reverse=True)))
_GROUP = {w: g for g in SYNONYMS for w in g}
_YEAR = re.compile(r"(?<!\d)(20[0-3]\d)(?!\d)")
_COUNT = re.compile(r"(?<![\d.])(\d{1,4})(?=[件次人份个项余名场条家万期篇批所%])")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、])")


def _rng(*parts: Any) -> random.Random:
    return random.Random(hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest())


def _is_body(line: str) -> bool:
    s = line.strip()
    return len(s) >= 40 and "。" in s and not _HEADING.match(s)


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.findall(r"[^。]*。|[^。]+$", paragraph) if s]


def sentence_pool(seeds: dict[str, str]) -> list[tuple[str, str]]:
    """(seed name, sentence) for every sentence of 15+ characters in a long paragraph of a seed."""
    return [(name, s) for name, text in seeds.items() for line in text.splitlines()
            if len(line.strip()) >= 60 for s in _sentences(line.strip())[1:]
            if len(s) >= 15 and s.endswith("。")]


def vary(name: str, text: str, copy: int, pool: list[tuple[str, str]]) -> str:
    """A varied copy of one seed report; the same sentence varies the same way within a copy.

    In each long paragraph the first sentence (maybe a run-in heading) stays and each later
    one is swapped, with probability 0.4, for a sentence of another report; body paragraphs
    are shuffled within their section; then counts, years, place names and synonyms change.
    """
    rng = _rng(name, copy)
    places = dict(zip(SEED_PLACES, rng.sample(PLACES, len(SEED_PLACES))))
    shift = rng.choice((-3, -2, -1, 1, 2))
    others = [s for seed, s in pool if seed != name]
    swapped: dict[str, str] = {}
    used: set[str] = set()

    def swap(sentence: str) -> str:
        if sentence not in swapped:
            r = _rng(name, copy, "swap", sentence)
            swapped[sentence] = sentence
            if r.random() < 0.4 and others:
                start = r.randrange(len(others))
                for k in range(len(others)):
                    candidate = others[(start + k) % len(others)]
                    if candidate not in used:
                        used.add(candidate)
                        swapped[sentence] = candidate
                        break
        return swapped[sentence]

    def rewrite(paragraph: str) -> str:
        r = _rng(name, copy, "words", paragraph)
        out = _SYNONYM.sub(lambda m: r.choice(_GROUP[m.group()]) if r.random() < 0.5 else m.group(),
                           paragraph)
        out = _COUNT.sub(lambda m: str(r.randrange(10 ** (len(m.group()) - 1) if len(m.group()) > 1 else 1,
                                                     10 ** len(m.group()))), out)
        out = _YEAR.sub(lambda m: str(int(m.group()) + shift), out)
        for old, new in places.items():
            out = out.replace(old, new)
        return out

    lines = text.split("\n")
    for i, line in enumerate(lines):
        if len(line.strip()) >= 60:
            head, *rest = _sentences(line.strip())
            lines[i] = line[: len(line) - len(line.lstrip())] + head + "".join(map(swap, rest))
    # shuffle runs of body paragraphs (blank lines inside a run stay where they are)
    run: list[int] = []
    for i in range(len(lines) + 1):
        if i < len(lines) and (_is_body(lines[i]) or (not lines[i].strip() and run)):
            run.append(i)
            continue
        slots = [j for j in run if lines[j].strip()]
        contents = [lines[j] for j in slots]
        rng.shuffle(contents)
        for j, c in zip(slots, contents):
            lines[j] = c
        run = []
    return "\n".join(line[: len(line) - len(line.lstrip())] + rewrite(line.strip()) if line.strip() else line
                     for line in lines)


def build_corpus(seeds_dir: Path, factor: int, out_dir: Path) -> list[Path]:
    """``factor`` copies of each seed in ``out_dir``: copy 0 is the seed itself, the rest varied."""
    seeds = {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}
    if not seeds:
        raise SystemExit(f"no seed reports (*.txt) in {seeds_dir}; pass --seeds DIR")
    pool = sentence_pool(seeds)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for copy in range(factor):
        for name, text in seeds.items():
            path = out_dir / f"{name}_v{copy:03d}.txt"
            path.write_text(text if copy == 0 else vary(name, text, copy, pool), encoding="utf-8")
            paths.append(path)
    return paths


def build_mb(seeds_dir: Path, megabytes: float, out_dir: Path, *, one_report: bool) -> list[Path]:
    """Varied copies of the seeds (copy 0: the seeds themselves) until ``megabytes`` MB of
    UTF-8: one file per copy in ``out_dir``, or all of them in one report (``big.txt``, the
    reports one after another as on a page that prints many)."""
    seeds = {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}
    if not seeds:
        raise SystemExit(f"no seed reports (*.txt) in {seeds_dir}; pass --seeds DIR")
    pool = sentence_pool(seeds)
    out_dir.mkdir(parents=True, exist_ok=True)
    target, size, copy, paths = megabytes * 1e6, 0, 0, []
    big = open(out_dir / "big.txt", "w", encoding="utf-8") if one_report else None
    try:
        while size < target:
            for name, text in seeds.items():
                if size >= target:
                    break
                varied = text if copy == 0 else vary(name, text, copy, pool)
                size += len(varied.encode("utf-8")) + 1
                if big is not None:
                    big.write(varied + "\n")
                else:
                    path = out_dir / f"{name}_v{copy:05d}.txt"
                    path.write_text(varied, encoding="utf-8")
                    paths.append(path)
            copy += 1
    finally:
        if big is not None:
            big.close()
            paths.append(out_dir / "big.txt")
    return paths


# --------------------------------------------------------------------------- workers (fresh processes)

WARM_UP = "某局2022年法治政府建设情况报告\n一、总体情况\n全年办理行政复议案件12件。\n特此报告。\n"


def _peak_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would include the parent's at fork)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _files(listing: str) -> list[str]:
    return [line for line in Path(listing).read_text(encoding="utf-8").split("\n") if line]


def _labels_frame():
    """The shipped labels as a DataFrame (both LOO computations use exactly these rows)."""
    from fazhi_nlp.labels import shipped_labels

    return shipped_labels().frame.reset_index(drop=True)


def _ours_stream(files: list[str], clf: Any, model: str, n_jobs: int = 1) -> int:
    """Classify every file with fazhi_nlp's streaming corpus API; the number of units labelled."""
    from fazhi_nlp.corpus import iter_classify

    n = 0
    for part in iter_classify(files, model=clf if n_jobs == 1 else model, n_jobs=n_jobs, progress=False):
        n += len(part.units)
    return n


def work_ours(files: str, model: str, n_jobs: int = 1) -> dict:
    import fazhi_nlp

    paths = _files(files)
    clf = fazhi_nlp.load_model(model)
    with tempfile.TemporaryDirectory() as tmp:  # first calls (tokenizer, imports) are not timed
        warm = Path(tmp) / "warm.txt"
        warm.write_text(WARM_UP, encoding="utf-8")
        _ours_stream([str(warm)], clf, model)
    start = time.perf_counter()
    units = _ours_stream(paths, clf, model, n_jobs)
    return {"seconds": time.perf_counter() - start, "units": units, "peak_mb": _peak_mb()}


def _baseline_rows():
    """What a notebook user does: read the shipped JSONL label files with pandas."""
    import importlib.util

    import pandas as pd

    data = Path(importlib.util.find_spec("fazhi_nlp").submodule_search_locations[0]) / "data"
    frame = pd.concat([pd.read_json(data / name, lines=True)
                       for name in ("seed_labels.jsonl", "authored_labels.jsonl")])
    return frame.drop_duplicates("text")


def _baseline_model():
    import jieba
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, lowercase=False),
                         LogisticRegression(max_iter=1000))


def _baseline_sentences(text: str) -> list[str]:
    return [s.strip() + "。" for s in text.split("。") if s.strip()]


def work_baseline(files: str) -> dict:
    import jieba

    jieba.setLogLevel(60)
    rows = _baseline_rows()
    model = _baseline_model().fit(rows["text"], rows["label"])
    paths = _files(files)
    model.predict(_baseline_sentences(WARM_UP))
    start = time.perf_counter()
    units = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            sentences = _baseline_sentences(f.read())
        if sentences:
            units += len(model.predict(sentences))
    return {"seconds": time.perf_counter() - start, "units": units, "peak_mb": _peak_mb()}


def work_train_ours() -> dict:
    import fazhi_nlp
    from fazhi_nlp.labels import shipped_labels
    from fazhi_nlp.tokenize import tokenize

    labels = shipped_labels()
    tokenize("法治")
    start = time.perf_counter()
    fazhi_nlp.train(labels)
    return {"seconds": time.perf_counter() - start, "rows": len(labels), "peak_mb": _peak_mb()}


def work_train_baseline() -> dict:
    import jieba

    jieba.setLogLevel(60)
    jieba.lcut("法治")
    rows = _baseline_rows()
    start = time.perf_counter()
    _baseline_model().fit(rows["text"], rows["label"])
    return {"seconds": time.perf_counter() - start, "rows": len(rows), "peak_mb": _peak_mb()}


def work_save_model(path: str) -> dict:
    import fazhi_nlp

    fazhi_nlp.train(fazhi_nlp.shipped_labels()).save(path)
    return {}


def work_load(model: str) -> dict:
    import fazhi_nlp

    start = time.perf_counter()
    clf = fazhi_nlp.load_model(model)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    fazhi_nlp.load_model(model)
    warm = time.perf_counter() - start
    start = time.perf_counter()
    clf.predict(["全面落实行政执法三项制度。"])
    first = time.perf_counter() - start
    size = sum(p.stat().st_size for p in Path(model).iterdir())
    return {"cold": cold, "warm": warm, "first_predict": first, "bytes": size, "peak_mb": _peak_mb()}


def _scores(truth: list[str], predicted: list[str]) -> dict:
    """Macro-F1 over the labels that occur in the scored units, and accuracy (same for both)."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(truth))
    return {"macro_f1": float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)),
            "accuracy": float(accuracy_score(truth, predicted)), "n_scored": len(truth)}


def work_loo_ours() -> dict:
    import fazhi_nlp

    start = time.perf_counter()
    result = fazhi_nlp.evaluate(_labels_frame())
    return {**_scores(list(result.predictions["label"]), list(result.predictions["predicted"])),
            "evaluate_macro_f1": result.macro_f1, "seconds": time.perf_counter() - start}


def work_loo_baseline() -> dict:
    """The grouped CV of fazhi_nlp.evaluate (same folds, same scoring) for the baseline model:
    each report's seed units predicted by a model trained on the other reports plus all
    authored examples."""
    import jieba
    import pandas as pd

    jieba.setLogLevel(60)
    start = time.perf_counter()
    frame = _labels_frame()
    authored = frame[frame["source"] == "authored"]
    scored = frame[frame["source"] != "authored"]
    truth, predicted = [], []
    for doc in sorted(scored["doc_id"].unique()):
        train = pd.concat([scored[scored["doc_id"] != doc], authored])
        test = scored[scored["doc_id"] == doc]
        model = _baseline_model().fit(train["text"], train["label"])
        truth += list(test["label"])
        predicted += list(model.predict(test["text"]))
    return {**_scores(truth, predicted), "seconds": time.perf_counter() - start}


def work_profile(files: str, model: str, top: int = 25) -> dict:
    import cProfile
    import io
    import pstats

    import fazhi_nlp

    paths = _files(files)
    clf = fazhi_nlp.load_model(model)
    clf.predict(["全年办理行政复议案件12件。"])
    profile = cProfile.Profile()
    profile.enable()
    _ours_stream(paths, clf, model)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    load = cProfile.Profile()
    load.enable()
    fazhi_nlp.load_model(model)
    load.disable()
    pstats.Stats(load, stream=out).strip_dirs().sort_stats("cumulative").print_stats(15)
    return {"text": out.getvalue()}


def _rss_mb() -> float:
    """Resident memory of this process now (VmRSS)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def work_process_big(path: str) -> dict:
    """``fazhi_nlp.process`` on one (big) report, after a small one has gone through."""
    import fazhi_nlp

    fazhi_nlp.process(WARM_UP)
    base = _rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    report = fazhi_nlp.process(path)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "units": len(report.units),
            "removed": len(report.removed), "base_mb": base, "peak_mb": _peak_mb()}


def work_corpus_linear(folder: str, model: str) -> dict:
    """``fazhi_nlp.classify_corpus`` on a folder (n_jobs=1, reposts flagged), after the model is
    loaded and a small report has gone through."""
    import fazhi_nlp

    clf = fazhi_nlp.load_model(model)
    fazhi_nlp.classify(WARM_UP, model=clf)
    base = _rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    result = fazhi_nlp.classify_corpus(folder, model=clf, n_jobs=1, progress=False)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "units": len(result.units),
            "reports": len(result.reports), "errors": len(result.errors), "base_mb": base,
            "peak_mb": _peak_mb()}


def work_stages(files: str, model: str) -> dict:
    """Seconds spent in each stage over the files, in one process after a warm-up: read, clean,
    within-page dedup, segment, classify (one predict_proba per 16 reports), reposts."""
    import fazhi_nlp
    from fazhi_nlp.clean import clean_page
    from fazhi_nlp.dedup import dedup_page, find_duplicate_reports
    from fazhi_nlp.pipeline import predict_units
    from fazhi_nlp.read import read_with_removals
    from fazhi_nlp.segment import segment_text

    paths = _files(files)
    clf = fazhi_nlp.load_model(model)
    fazhi_nlp.classify(WARM_UP, model=clf)
    took = dict.fromkeys(("read", "clean", "dedup", "segment", "classify", "reposts"), 0.0)
    texts, batch = {}, []

    def timed(stage: str, function: Any, *args: Any) -> Any:
        start = time.perf_counter()
        out = function(*args)
        took[stage] += time.perf_counter() - start
        return out

    for i, path in enumerate(paths):
        raw, _ = timed("read", read_with_removals, path)
        cleaned = timed("clean", clean_page, raw)
        deduped = timed("dedup", dedup_page, cleaned.text)
        batch += timed("segment", segment_text, deduped.text)
        texts[str(i)] = deduped.text
        if (i + 1) % 16 == 0 or i + 1 == len(paths):
            timed("classify", predict_units, batch, clf)
            batch = []
    timed("reposts", find_duplicate_reports, texts)
    return {"seconds": took, "mb": sum(os.path.getsize(p) for p in paths) / 1e6, "peak_mb": _peak_mb()}


def work_corpus(files: str, model: str, n_jobs: int = 1, serial_below: Optional[int] = None) -> dict:
    """``classify_corpus(files, n_jobs=n_jobs)`` after the model is loaded and one small report
    has gone through (reposts flagged); ``serial_below`` overrides corpus.SERIAL_BELOW."""
    import fazhi_nlp
    from fazhi_nlp import corpus

    if serial_below is not None:
        corpus.SERIAL_BELOW = serial_below
    paths = _files(files)
    import resource

    def workers_cpu() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    fazhi_nlp.classify_corpus([_warm_file()], model=model, progress=False)
    start, cpu, children = time.perf_counter(), time.process_time(), workers_cpu()
    result = fazhi_nlp.classify_corpus(paths, model=model, n_jobs=n_jobs, progress=False)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "workers_cpu": workers_cpu() - children, "units": len(result.units),
            "peak_mb": _peak_mb()}


def _warm_file() -> str:
    path = Path(tempfile.gettempdir()) / "fazhi_bench_warm.txt"
    path.write_text(WARM_UP, encoding="utf-8")
    return str(path)


WORKERS = {"process-big": work_process_big, "corpus-linear": work_corpus_linear,
           "ours": work_ours, "baseline": work_baseline, "train-ours": work_train_ours,
           "train-baseline": work_train_baseline, "save-model": work_save_model, "load": work_load,
           "loo-ours": work_loo_ours, "loo-baseline": work_loo_baseline, "profile": work_profile,
           "stages": work_stages, "corpus": work_corpus}


def run_worker(task: str, **kwargs: Any) -> dict:
    """Run one measurement in a fresh interpreter and return what it reports."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", task,
                           json.dumps(kwargs)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"worker {task} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_seconds(repeats: int) -> dict:
    """Wall time of ``python -c "import fazhi_nlp"`` minus a bare interpreter's (fastest runs)."""
    def timed(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare, full = [], []
    for _ in range(repeats):
        bare.append(timed("pass"))
        full.append(timed("import fazhi_nlp"))
    trace = subprocess.run([sys.executable, "-X", "importtime", "-c", "import fazhi_nlp"],
                           capture_output=True, text=True).stderr
    own = [int(line.split("|")[1]) for line in trace.splitlines()
           if line.rstrip().endswith("| fazhi_nlp")]
    heavy = [m for m in ("sklearn", "jieba", "pandas", "numpy", "scipy", "skops")
             if re.search(rf"\|\s*{m}$", trace, re.M)]
    return {"seconds": min(full) - min(bare),
            "importtime": own[0] / 1e6 if own else float("nan"), "heavy": heavy}


# --------------------------------------------------------------------------- main

def _model_dir(tmp: Path) -> tuple[str, str]:
    """The shipped default model, or (until it ships) one trained here from the shipped labels."""
    from fazhi_nlp.errors import ModelError
    from fazhi_nlp.persist import default_model_dir, model_file

    shipped = default_model_dir()
    try:
        shipped_file = model_file(shipped)
    except ModelError:
        shipped_file = None
    if shipped_file is not None and shipped_file.is_file():
        return str(shipped), "shipped default model"
    path = tmp / "model"
    run_worker("save-model", path=str(path))
    return str(path), "NOT SHIPPED YET: trained here from the shipped labels with DEFAULT_PARAMS"


def _distinct(paths: Iterable[Path]) -> float:
    """Share of distinct pieces (split on 。) in a corpus: how much a sentence cache can help."""
    pieces = [s.strip() for p in paths for s in p.read_text(encoding="utf-8").split("。") if s.strip()]
    return len(set(pieces)) / len(pieces)


def best_run(task: str, repeats: int, key: str = "seconds", **kwargs: Any) -> dict:
    """The fastest of ``repeats`` fresh-process runs (other load on the machine only slows a run
    down), with the highest peak memory seen."""
    runs = [run_worker(task, **kwargs) for _ in range(repeats)]
    return {**min(runs, key=lambda r: r[key]), "peak_mb": max(r["peak_mb"] for r in runs)}


def measure_sizes(seeds: Path, sizes: list[int], tmp: Path, model: str, quick: bool) -> list[dict]:
    """Build each corpus and time fazhi_nlp (n_jobs=1, and all cores on the largest) and the baseline."""
    rows = []
    for size in sizes:
        paths = build_corpus(seeds, size, tmp / f"x{size}")
        listing = tmp / f"x{size}.list"
        listing.write_text("\n".join(map(str, paths)), encoding="utf-8")
        repeats = 1 if quick else (3 if size <= 10 else 2)
        rows.append({"size": size, "files": len(paths), "distinct": _distinct(paths),
                     "mb": sum(p.stat().st_size for p in paths) / 1e6,
                     "ours": best_run("ours", repeats, files=str(listing), model=model),
                     "base": best_run("baseline", repeats, files=str(listing))})
        print(f"  measured {size}x ({len(paths)} files)", file=sys.stderr)
    jobs = os.cpu_count() or 1
    if jobs > 1:
        rows[-1]["parallel"] = best_run("ours", 1 if quick else 2, files=str(tmp / f"x{sizes[-1]}.list"),
                                        model=model, n_jobs=jobs)
    return rows


def print_throughput(rows: list[dict]) -> None:
    print(f"{'corpus':>7} {'files':>5} {'MB':>6} {'distinct':>8} | {'fazhi_nlp':>9} {'units/s':>8} "
          f"{'peak MB':>7} {'s/MB':>6} | {'baseline':>9} {'units/s':>8} {'peak MB':>7} {'s/MB':>6} | "
          f"{'ratio':>6}")
    for r in rows:
        o, b, mb = r["ours"], r["base"], r["mb"]
        print(f"{r['size']:>6}x {r['files']:>5} {mb:6.2f} {r['distinct']:8.0%} | {mb / o['seconds']:9.2f} "
              f"{o['units'] / o['seconds']:8.0f} {o['peak_mb']:7.0f} {o['seconds'] / mb:6.2f} | "
              f"{mb / b['seconds']:9.2f} {b['units'] / b['seconds']:8.0f} {b['peak_mb']:7.0f} "
              f"{b['seconds'] / mb:6.2f} | {b['seconds'] / o['seconds']:6.2f}")
    print("fazhi_nlp and baseline columns in MB/s of input files; units: fazhi_nlp headings, sentences\n"
          "and clauses, baseline pieces split on 。; distinct: share of distinct 。-pieces in the corpus\n"
          "(repeats favour fazhi_nlp's sentence cache); ratio: fazhi_nlp MB/s / baseline MB/s.")
    last = rows[-1]
    if "parallel" in last:
        par = last["parallel"]
        print(f"fazhi_nlp iter_classify(n_jobs={os.cpu_count()}) at {last['size']}x: "
              f"{last['mb'] / par['seconds']:.2f} MB/s, ratio {last['base']['seconds'] / par['seconds']:.2f} "
              f"(peak MB of the parent process: {par['peak_mb']:.0f})")


def measure_rest(model: str, quick: bool) -> dict:
    repeats = 1 if quick else 3
    out = {"import": import_seconds(repeats=3 if quick else 9),
           "load": best_run("load", repeats, key="cold", model=model),
           "train_o": best_run("train-ours", repeats), "train_b": best_run("train-baseline", repeats),
           "loo_o": None, "loo_b": None}
    if not quick:
        out["loo_o"], out["loo_b"] = run_worker("loo-ours"), run_worker("loo-baseline")
    return out


def print_rest(m: dict) -> None:
    def line(what: str, ours: float, base: Optional[float] = None, digits: int = 3) -> None:
        tail = "" if base is None else f" {base:10.{digits}f} {ours / base:7.2f}"
        print(f"{what:<46} {ours:10.{digits}f}{tail}")

    print(f"{'measure':<46} {'fazhi_nlp':>10} {'baseline':>10} {'ratio':>7}")
    line("training on the shipped labels (s)", m["train_o"]["seconds"], m["train_b"]["seconds"], 2)
    if m["loo_o"]:
        line("leave-one-report-out macro-F1", m["loo_o"]["macro_f1"], m["loo_b"]["macro_f1"])
        line("leave-one-report-out accuracy", m["loo_o"]["accuracy"], m["loo_b"]["accuracy"])
        line("  macro-F1 as fazhi_nlp.evaluate reports it", m["loo_o"]["evaluate_macro_f1"])
        print(f"  ({m['loo_o']['n_scored']} seed units scored, one report held out at a time)")
    imp, load = m["import"], m["load"]
    line("import fazhi_nlp (s, wall minus bare python)", imp["seconds"])
    line("  -X importtime, fazhi_nlp cumulative (s)", imp["importtime"])
    print(f"  heavy libraries loaded by the import: {', '.join(imp['heavy']) or 'none'}")
    line("load_model, fresh process (s)", load["cold"])
    line("  again, libraries already imported (s)", load["warm"])
    line("  first predict after loading (s)", load["first_predict"])
    line("  model directory size (MB)", load["bytes"] / 1e6, digits=1)


def print_targets(rows: list[dict], m: dict) -> None:
    first, last = rows[0], rows[-1]
    size = f"{last['size']}x"
    speed = last["base"]["seconds"] / last["ours"]["seconds"]
    mbs = last["mb"] / last["ours"]["seconds"]
    loo_o, loo_b = m["loo_o"], m["loo_b"]
    targets = [(f"throughput >= 4x baseline at {size}, n_jobs=1 ({speed:.2f}x)", speed >= 4)]
    if "parallel" in last:
        par = last["base"]["seconds"] / last["parallel"]["seconds"]
        targets.append((f"throughput >= 6x baseline at {size}, n_jobs={os.cpu_count()} ({par:.2f}x)",
                        par >= 6))
    targets += [
        ("equal or better LOO macro-F1" + (f" ({loo_o['macro_f1']:.3f} vs {loo_b['macro_f1']:.3f})" if loo_o
                                           else " (not run with --quick)"),
         None if loo_o is None else loo_o["macro_f1"] >= loo_b["macro_f1"]),
        (f">= 1 MB/s end to end at {size}, n_jobs=1 ({mbs:.2f} MB/s)", mbs >= 1),
        (f"import < 0.3 s ({m['import']['seconds']:.3f} s)", m["import"]["seconds"] < 0.3),
        (f"model load < 0.5 s, fresh process ({m['load']['cold']:.3f} s)", m["load"]["cold"] < 0.5),
    ]
    big = next((r for r in rows if r["size"] == 100), None)
    targets.append(("100x streaming peak memory < 500 MB"
                    + (f" ({big['ours']['peak_mb']:.0f} MB)" if big else " (100x not run)"),
                    None if big is None else big["ours"]["peak_mb"] < 500))
    if len(rows) > 1:
        per_first, per_last = (r["ours"]["seconds"] / r["mb"] for r in (first, last))
        targets.append((f"linear scaling: s/MB at {size} within 1.5x of {first['size']}x "
                        f"({per_last:.2f} vs {per_first:.2f})", per_last <= 1.5 * per_first))
    for text, ok in targets:
        print(f"{'SKIP' if ok is None else ('PASS' if ok else 'FAIL')}  {text}")


LINEAR_LIMIT = 1.2  # cost per MB at the largest size / cost per MB at the smallest
MEMORY_LIMIT = 10.0  # peak memory growth of process() on one report, per MB of the report


def measure_linear(seeds: Path, sizes: list[float], tmp: Path, model: str, repeats: int) -> dict:
    """Time and peak memory per MB of process() on one report and classify_corpus on a folder."""
    rows: dict[str, list[dict]] = {"process": [], "corpus": []}
    for mb in sizes:
        big = build_mb(seeds, mb, tmp / f"big{mb:g}", one_report=True)[0]
        corpus = build_mb(seeds, mb, tmp / f"corpus{mb:g}", one_report=False)
        for kind, task, kwargs, size, files in (
                ("process", "process-big", {"path": str(big)}, big.stat().st_size, 1),
                ("corpus", "corpus-linear", {"folder": str(tmp / f"corpus{mb:g}"), "model": model},
                 sum(p.stat().st_size for p in corpus), len(corpus))):
            runs = [run_worker(task, **kwargs) for _ in range(repeats)]
            best = min(runs, key=lambda r: r["cpu"])
            growth = max(r["peak_mb"] - r["base_mb"] for r in runs)
            rows[kind].append({**best, "mb": size / 1e6, "files": files, "growth_mb": growth,
                               "peak_mb": max(r["peak_mb"] for r in runs)})
            print(f"  {kind} {mb:g} MB: {best['cpu']:.1f} s CPU", file=sys.stderr)
        shutil.rmtree(tmp / f"big{mb:g}")
        shutil.rmtree(tmp / f"corpus{mb:g}")
    return rows


def print_linear(rows: dict) -> bool:
    """The table of costs per MB and PASS/FAIL of the linear-cost targets; True if all pass."""
    ok = True
    print(f"{'what':<16} {'MB':>6} {'files':>5} {'units':>7} {'wall s':>7} {'CPU s':>7} "
          f"{'CPU s/MB':>8} {'peak MB':>7} {'growth MB':>9} {'growth/MB':>9}")
    names = {"process": "process(report)", "corpus": "classify_corpus"}
    for kind, measured in rows.items():
        for r in measured:
            print(f"{names[kind]:<16} {r['mb']:6.1f} {r['files']:>5} {r['units']:>7} "
                  f"{r['seconds']:7.2f} {r['cpu']:7.2f} {r['cpu'] / r['mb']:8.3f} {r['peak_mb']:7.0f} "
                  f"{r['growth_mb']:9.0f} {r['growth_mb'] / r['mb']:9.2f}")
    print("CPU s: processor time of the call, the run with the least of it (wall time on a shared\n"
          "machine varies with the other load, most for short runs); peak MB: VmHWM of the worker;\n"
          "growth MB: peak minus the resident memory before the call (after imports, model load\n"
          "and a warm-up report).")
    for kind, measured in rows.items():
        if len(measured) < 2:
            continue
        first, last = measured[0], measured[-1]
        time_ratio = (last["cpu"] / last["mb"]) / (first["cpu"] / first["mb"])
        memory_ratio = (last["growth_mb"] / last["mb"]) / (first["growth_mb"] / first["mb"])
        for what, ratio in (("CPU time", time_ratio), ("peak memory growth", memory_ratio)):
            passed = ratio <= LINEAR_LIMIT
            ok &= passed
            print(f"{'PASS' if passed else 'FAIL'}  {names[kind]}: {what} per MB at {last['mb']:.0f} MB "
                  f"within {LINEAR_LIMIT}x of {first['mb']:.3g} MB ({ratio:.2f}x)")
    for r in rows["process"]:
        passed = r["growth_mb"] / r["mb"] <= MEMORY_LIMIT
        ok &= passed
        print(f"{'PASS' if passed else 'FAIL'}  process(report): memory growth <= {MEMORY_LIMIT:g}x the "
              f"report at {r['mb']:.3g} MB ({r['growth_mb'] / r['mb']:.1f}x)")
    return ok


STAGES = ("read", "clean", "dedup", "segment", "classify", "reposts")
CUTOFF_SIZES = (8, 16, 32, 48, 64, 96, 128)


def measure_full(tmp: Path, model: str, quick: bool) -> dict:
    """Per-stage MB/s (10x corpus), classify_corpus with 1 and 2 processes on the 500 reports
    of the 100x corpus, and serial vs 2 processes at small sizes (where workers pay off)."""
    repeats = 1 if quick else 2
    if not (tmp / "x100.list").exists():
        paths = build_corpus(DEFAULT_SEEDS, 100, tmp / "x100")
        (tmp / "x100.list").write_text("\n".join(map(str, paths)), encoding="utf-8")
    if not (tmp / "x10.list").exists():
        paths = build_corpus(DEFAULT_SEEDS, 10, tmp / "x10")
        (tmp / "x10.list").write_text("\n".join(map(str, paths)), encoding="utf-8")
    out: dict = {}
    out["stages"] = min((run_worker("stages", files=str(tmp / "x10.list"), model=model)
                         for _ in range(repeats)), key=lambda r: sum(r["seconds"].values()))
    big = str(tmp / "x100.list")
    out["corpus"] = {n: best_run("corpus", repeats, files=big, model=model, n_jobs=n) for n in (1, 2)}
    everything = _files(big)
    cutoff = []
    for size in CUTOFF_SIZES:
        listing = tmp / f"first{size}.list"
        listing.write_text("\n".join(everything[:size]), encoding="utf-8")
        serial = best_run("corpus", repeats, files=str(listing), model=model, n_jobs=1)
        pool = best_run("corpus", repeats, files=str(listing), model=model, n_jobs=2, serial_below=1)
        shipped = best_run("corpus", repeats, files=str(listing), model=model, n_jobs=2)
        cutoff.append((size, serial["seconds"], pool["seconds"], shipped["seconds"]))
    out["cutoff"] = cutoff
    return out


def print_full(m: dict) -> None:
    st = m["stages"]
    print(f"Per stage, 10x corpus ({st['mb']:.2f} MB), one process:")
    print("| stage | seconds | MB/s |")
    print("|---|---|---|")
    for stage in STAGES:
        sec = st["seconds"][stage]
        print(f"| {stage} | {sec:.3f} | {st['mb'] / sec:.2f} |")
    total = sum(st["seconds"].values())
    print(f"| all | {total:.3f} | {st['mb'] / total:.2f} |")
    one, two = m["corpus"][1], m["corpus"][2]
    print(f"\nclassify_corpus on the 500 reports of the 100x corpus: n_jobs=1 {one['seconds']:.2f} s "
          f"({one['units'] / one['seconds']:,.0f} units/s, peak {one['peak_mb']:.0f} MB), n_jobs=2 "
          f"{two['seconds']:.2f} s ({two['units'] / two['seconds']:,.0f} units/s): speed-up "
          f"{one['seconds'] / two['seconds']:.2f}x\n  CPU seconds: n_jobs=1 {one['cpu']:.2f}; n_jobs=2 "
          f"{two['cpu']:.2f} in this process (which takes every other batch) + {two['workers_cpu']:.2f} in the "
          f"forked worker "
          f"(load average now {os.getloadavg()[0]:.2f}: on a busy machine the workers wait for a core)")
    from fazhi_nlp.corpus import SERIAL_BELOW

    print(f"\nSmall corpora, seconds (SERIAL_BELOW = {SERIAL_BELOW}):")
    print("| reports | n_jobs=1 | 2 processes always | n_jobs=2 as shipped |")
    print("|---|---|---|---|")
    for size, serial, pool, shipped in m["cutoff"]:
        print(f"| {size} | {serial:.2f} | {pool:.2f} | {shipped:.2f} |")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of seed reports (*.txt)")
    parser.add_argument("--sizes", default="1,10,100", help="corpus sizes as multiples of the seeds")
    parser.add_argument("--quick", action="store_true",
                        help="sizes 1,10 (unless --sizes is given), one repeat, no cross-validation")
    parser.add_argument("--model", help="model directory (default: the shipped default model)")
    parser.add_argument("--profile", action="store_true", help="print cProfile hot spots of fazhi_nlp")
    parser.add_argument("--linear", action="store_true",
                        help="only the linear-cost checks: time and peak memory per MB of process() "
                             "on one report and classify_corpus on a folder, at --linear-sizes MB")
    parser.add_argument("--linear-sizes", default="1,10,100", metavar="MB,MB,...",
                        help="input sizes of --linear in MB (default 1,10,100)")
    parser.add_argument("--full", action="store_true",
                        help="everything: the default measurements, then per-stage MB/s, "
                             "classify_corpus with 1 and 2 processes and the small-corpus cut-off, "
                             "and repost detection (benchmarks/reposts.py)")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker[0]](**json.loads(args.worker[1]))))
        return 0

    import fazhi_nlp

    if args.linear:
        with tempfile.TemporaryDirectory(prefix="fazhi_linear_") as tmp_name:
            tmp = Path(tmp_name)
            model, note = (args.model, "--model") if args.model else _model_dir(tmp)
            sizes_mb = [float(s) for s in args.linear_sizes.split(",")]
            print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average before the "
                  f"run {os.getloadavg()[0]:.2f}\nfazhi_nlp from {Path(fazhi_nlp.__file__).parent}\n"
                  f"model {model} ({note})\nseeds {args.seeds}\n")
            rows = measure_linear(args.seeds, sizes_mb, tmp, model, 1 if args.quick else 2)
            ok = print_linear(rows)
            print(f"(load average after the run {os.getloadavg()[0]:.2f})")
        return 0 if ok else 1

    sizes = [int(s) for s in ("1,10" if args.quick and args.sizes == "1,10,100" else args.sizes).split(",")]
    with tempfile.TemporaryDirectory(prefix="fazhi_bench_") as tmp_name:
        tmp = Path(tmp_name)
        model, note = (args.model, "--model") if args.model else _model_dir(tmp)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average before the run "
              f"{os.getloadavg()[0]:.2f}\nfazhi_nlp from {Path(fazhi_nlp.__file__).parent}\n"
              f"model {model} ({note})\nseeds {args.seeds}\n")
        rows = measure_sizes(args.seeds, sizes, tmp, model, args.quick)
        rest = measure_rest(model, args.quick)
        print_throughput(rows)
        print()
        print_rest(rest)
        print()
        print_targets(rows, rest)
        print(f"(load average after the run {os.getloadavg()[0]:.2f}; other work on the machine slows "
              "every timing)")
        if args.full:
            print()
            print_full(measure_full(tmp, model, args.quick))
            print("\nRepost detection (benchmarks/reposts.py):")
            sys.stdout.flush()
            subprocess.run([sys.executable, str(Path(__file__).with_name("reposts.py"))], check=True)
            print(f"(load average at the end {os.getloadavg()[0]:.2f})")
        if args.profile:
            size = 10 if 10 in sizes else sizes[-1]
            print(f"\ncProfile of fazhi_nlp on the {size}x corpus, then of load_model:\n")
            print(run_worker("profile", files=str(tmp / f"x{size}.list"), model=model)["text"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
