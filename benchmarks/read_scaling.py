"""Reading time against input size: 1, 10 and 100 MB must cost about 1×, 10× and 100×.

Each input is built from one report page repeated (or an adversarial pattern repeated) to
the size, written to a file, and read with ``fazhi_nlp.read.read_with_removals``; the time
is the fastest of two runs (one at 100 MB). Inputs:

* ``text``: the plain text of a seed report;
* ``html page``: that report as a site page (banner, menu, scripts, hidden box, footer);
* ``html comments``: a page opening with comments, the shape that used to hang the sniffer;
* ``html a<b``: text full of unclosed ``<b`` tags (quadratic in Python's html.parser);
* ``html </``: ``</`` repeated (quadratic in Python's html.parser).

Run: ``python benchmarks/read_scaling.py [--sizes 1,10,100]``
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fazhi_nlp.read import read_with_removals  # noqa: E402

SEED = (ROOT / "fazhi_nlp" / "data" / "examples" / "004_0238c246dad16e48.txt").read_text(encoding="utf-8")
PAGE = ("<div class=\"header\">沂源县人民政府门户网站</div><nav>首页 | 政务公开</nav><script>var a = 1;</script>"
        + "".join(f"<p>{line}</p>\n" for line in SEED.splitlines() if line.strip())
        + '<div style="display:none">分享</div><div class="footer">版权所有</div>\n')
INPUTS = {
    "text": ("", SEED + "\n"),
    "html page": ("<!DOCTYPE html><html><head><title>t</title></head><body>\n", PAGE),
    "html comments": ("<!-- top -->\n" * 40 + "<center>\n", "<!-- block -->\n" + PAGE),
    "html a<b": ("<p>全年办结12件。</p>\n", "a<b "),
    "html </": ("<p>全年办结12件。</p>\n", "</"),
}


def build(head: str, unit: str, megabytes: int) -> bytes:
    unit_bytes = unit.encode("utf-8")
    return head.encode("utf-8") + unit_bytes * (megabytes * 2**20 // len(unit_bytes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10,100")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print("| input | " + " | ".join(f"{s} MB (s)" for s in sizes) + " | s per MB |")
    print("|---|" + "---|" * (len(sizes) + 1))
    with tempfile.TemporaryDirectory() as folder:
        for name, (head, unit) in INPUTS.items():
            times = []
            for size in sizes:
                path = Path(folder) / f"input.{'html' if name.startswith('html') else 'txt'}"
                path.write_bytes(build(head, unit, size))
                best = float("inf")
                for _ in range(1 if size >= 100 else 2):
                    start = time.perf_counter()
                    read_with_removals(path)
                    best = min(best, time.perf_counter() - start)
                times.append(best)
            per_mb = " / ".join(f"{t / s:.3f}" for t, s in zip(times, sizes))
            print(f"| {name} | " + " | ".join(f"{t:.2f}" for t in times) + f" | {per_mb} |", flush=True)


if __name__ == "__main__":
    main()
