"""The ``fazhi-nlp`` command line: each sub-command is a thin shell around the library.

User mistakes (missing files, undecodable input) print one line on stderr and exit 2.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Iterator, Optional, Sequence

from .errors import FazhiError

REPORT_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


def report_paths(inputs: Sequence[str]) -> Iterator[Path]:
    """Files named on the command line, with directories expanded to the reports inside (sorted)."""
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES and p.is_file())
        elif path.exists():
            yield path
        else:
            raise FazhiError(f"{name}: no such file or directory")


def _units(args: argparse.Namespace) -> int:
    from .pipeline import process

    paths = list(report_paths(args.inputs))
    print(f"{'report':<24} {'year':>4} {'units':>5} {'head':>4} {'sent':>4} {'clause':>6} {'removed':>7}  title / agency")
    for path in paths:
        report = process(path)
        kinds = Counter(u.kind for u in report.units)
        print(f"{report.doc_id[:24]:<24} {report.year or '':>4} {len(report.units):>5} {kinds['heading']:>4} "
              f"{kinds['sentence']:>4} {kinds['clause']:>6} {len(report.removed):>7}  "
              f"{report.title or '-'} / {report.agency or '-'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fazhi-nlp", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    units = commands.add_parser("units", help="clean, deduplicate and segment reports; print a table per report")
    units.add_argument("inputs", nargs="+", help="report files or directories")
    units.set_defaults(run=_units)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except FazhiError as exc:
        print(f"fazhi-nlp: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
