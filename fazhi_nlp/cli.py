"""The ``fazhi-nlp`` command line: each sub-command is a thin shell around the library.

Exit codes: 0 done; 1 done, but some reports could not be read (each is named on stderr);
2 a usage mistake (a wrong option, a missing file, no reports found, a bad labels file,
...), reported as one ``fazhi-nlp: error: ...`` message on stderr without a traceback.
"""
from __future__ import annotations

import argparse
import errno
import importlib.util
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, NoReturn, Optional, Sequence

from .errors import FazhiError, InputError, MissingDependencyError
from .files import atomic_path, same_file, write_atomic
from .read import REPORT_SUFFIXES

_UNITS_SUFFIXES = (".csv", ".jsonl")
_EPILOG = """\
examples:
  fazhi-nlp classify --examples --show-units        try it on the example reports shipped with it
  fazhi-nlp classify reports/ -o units.csv          label every unit, one row per unit
  fazhi-nlp profile units.csv -o shares.csv --plot shares.png
  fazhi-nlp suggest reports/ -n 50 -o to_label.csv  units the model is least sure about
  fazhi-nlp train to_label.csv --merge-shipped --out my_model/
  fazhi-nlp classify reports/ --model my_model/ -o units.csv

exit codes: 0 done; 1 some reports could not be read (named on stderr); 2 usage error
"""


# --------------------------------------------------------------------------- shared pieces


def _progress(args: argparse.Namespace) -> bool:
    return not args.quiet and sys.stderr.isatty()


def _inputs(args: argparse.Namespace) -> list:
    """The REPORTS given, plus the shipped example reports with --examples."""
    inputs = list(args.inputs)
    if getattr(args, "examples", False):
        from .examples import example_folder

        inputs.append(example_folder())
    if not inputs:
        raise InputError("no reports given: name report files or folders, or use --examples "
                         "for the example reports shipped with fazhi_nlp")
    return inputs


def _input_files(args: argparse.Namespace) -> list:
    """Every file the command reads: REPORTS as given (with the report files inside folders)
    and the model's files, so that no output can be written over one of them."""
    from .corpus import find_reports

    named = list(getattr(args, "inputs", []))
    files = list(named)
    for name in named:
        if Path(name).is_dir():
            files += find_reports(name)
    model = getattr(args, "model", None)
    if model:
        files += [model, *(Path(model).iterdir() if Path(model).is_dir() else ())]
    return files


def _classify(args: argparse.Namespace) -> Any:
    from .corpus import classify_corpus

    return classify_corpus(_inputs(args), model=args.model, threshold=args.threshold,
                           n_jobs=args.jobs, progress=_progress(args))


def _report_errors(errors: Iterable[tuple[str, str]]) -> int:
    """Name each unreadable input, a (source, reason) pair, on stderr; the exit code (1 if any)."""
    failed = 0
    for source, reason in errors:
        print(f"fazhi-nlp: skipped {source}: {reason}", file=sys.stderr)
        failed += 1
    return 1 if failed else 0


def _check_output(path: Optional[str], suffixes: Sequence[str] = _UNITS_SUFFIXES) -> None:
    """Refuse an output name before the work starts rather than after it."""
    if path is None:
        return
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        raise InputError(f"{path}: cannot tell the format; use a name ending in "
                         f"{' or '.join(suffixes)}")
    if not target.parent.is_dir():
        raise InputError(f"{path}: folder {target.parent} does not exist")
    if target.is_dir():
        raise InputError(f"{path}: is a folder; give a file name")


def _check_outputs(outputs: dict[str, Optional[str]], inputs: Iterable[Any]) -> None:
    """Refuse an output that is one of the inputs or another output (also through symbolic
    links, ``..`` or hard links), before any work: writing it would destroy what is read.

    ``outputs`` maps each option (``-o``, ``--reports``, ...) to the path given, or None.
    """
    given = [(option, path) for option, path in outputs.items() if path is not None]
    for k, (option, path) in enumerate(given):
        for other_option, other in given[:k]:
            if same_file(path, other):
                raise InputError(f"{path}: given both to {other_option} and to {option}; give "
                                 "each output its own file")
        for source in inputs:
            if same_file(path, source):
                raise InputError(f"{path}: is an input of this command and the {option} output; "
                                 "writing it would destroy the input — choose another file name")


def _write_table(frame: Any, path: str, index: bool = False) -> None:
    """Write a DataFrame as CSV (UTF-8 with BOM, for Excel) or JSON Lines, by the file ending,
    atomically: a reader never sees half a file, and a failed write leaves the old one."""
    _check_output(path)
    target = Path(path)
    if target.suffix.lower() == ".csv":
        write_atomic(target, frame.to_csv(index=index).encode("utf-8-sig"))
        return
    import json

    frame = frame.reset_index() if index else frame
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    write_atomic(target, "".join(json.dumps(record, ensure_ascii=False, default=_plain) + "\n"
                                 for record in records).encode("utf-8"))


def _plain(value: Any) -> Any:
    """numpy numbers as Python numbers, for json."""
    return value.item() if hasattr(value, "item") else str(value)


def _read_units(path: Path) -> Any:
    """A units table written by ``fazhi-nlp classify`` (CSV or JSON Lines)."""
    import pandas as pd

    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path, encoding="utf-8-sig", dtype={"doc_id": str})
        else:
            frame = pd.read_json(path, lines=True, dtype=False)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as a units table ({exc})") from None
    missing = [c for c in ("doc_id", "label") if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: has no {' or '.join(missing)} column; give report files, or a "
                         "units table written by 'fazhi-nlp classify -o FILE'")
    return frame


def _label_table(matrix: Any, fmt: str) -> str:
    """Rows × columns as fixed-width text; label names are shortened to 5 letters, zeros are '.'."""
    from .labels import LABEL_NAMES

    heads = [str(c).replace("_", "")[:5] if c in LABEL_NAMES else str(c) for c in matrix.columns]
    widths = [max(5, len(h)) for h in heads]
    first = max([len("report"), *(len(str(i)) for i in matrix.index)])
    lines = [f"{'report':<{first}} " + " ".join(f"{h:>{w}}" for h, w in zip(heads, widths))]
    for doc_id, row in matrix.iterrows():
        cells = " ".join(f"{format(v, fmt) if v else '.':>{w}}" for v, w in zip(row, widths))
        lines.append(f"{str(doc_id):<{first}} {cells}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- sub-commands


def _units(args: argparse.Namespace) -> int:
    from .corpus import read_job, report_jobs

    jobs = report_jobs(_inputs(args))  # the report ids of classify: unique, folder path if needed
    width = max(len("report"), *(len(job.doc_id) for job in jobs))
    print(f"{'report':<{width}} {'year':>4} {'units':>5} {'head':>4} {'sent':>4} {'clause':>6} "
          f"{'removed':>7}  title / agency")
    errors = []
    for job in jobs:
        report = read_job(job)
        if isinstance(report, tuple):  # (source, reason): named on stderr after the rest
            errors.append(report)
            continue
        if args.show_units:
            for unit in report.units:
                text = unit.text if len(unit.text) <= 60 else unit.text[:59] + "…"
                print(f"{report.doc_id[:width]:<{width}} {unit.index:>4} {unit.kind:<8} "
                      f"{unit.section:<14} {text}")
        kinds = Counter(u.kind for u in report.units)
        print(f"{report.doc_id:<{width}} {report.year or '':>4} {len(report.units):>5} "
              f"{kinds['heading']:>4} {kinds['sentence']:>4} {kinds['clause']:>6} "
              f"{len(report.removed):>7}  {report.title or '-'} / {report.agency or '-'}")
    return _report_errors(errors)


def _print_units(units: Any, width: int = 48) -> None:
    """One line per unit: report, unit index, label, probability, and the start of its text."""
    for row in units.itertuples(index=False):
        text = row.text if len(row.text) <= width else row.text[:width - 1] + "…"
        mark = "?" if row.uncertain else " "
        print(f"{row.doc_id[:12]:<12} {row.unit_index:>4} {row.label:<18} {row.probability:.2f}{mark} {text}")
    print()


def _classify_command(args: argparse.Namespace) -> int:
    from .labels import LABEL_NAMES

    _check_output(args.output)
    _check_output(args.reports)
    _check_outputs({"-o": args.output, "--reports": args.reports}, _input_files(args))
    result = _classify(args)
    units = result.units
    if not len(result.reports):
        return _report_errors(result.errors.itertuples(index=False))
    if args.show_units:
        _print_units(units)
    counts = units.groupby(["doc_id", "label"]).size().unstack(fill_value=0).reindex(
        index=list(result.reports["doc_id"]), columns=list(LABEL_NAMES), fill_value=0)
    counts.insert(0, "units", result.reports.set_index("doc_id")["n_units"])
    counts.insert(1, "unsure", result.reports.set_index("doc_id")["n_uncertain"])
    print(_label_table(counts, "d"))
    print(f"{len(result.reports)} reports, {len(units)} units, "
          f"{int(units['uncertain'].sum())} uncertain (probability below the model's threshold)")
    for first, copies in result.reports.dropna(subset=["duplicate_of"]).groupby(
            "duplicate_of", sort=False)["doc_id"]:
        print(f"reposted: {', '.join(copies)} repeat{'s' if len(copies) == 1 else ''} {first}")
    if args.output:
        _write_table(units, args.output)
        print(f"wrote {len(units)} units to {args.output}")
    if args.reports:
        _write_table(result.reports, args.reports)
        print(f"wrote {len(result.reports)} reports to {args.reports}")
    return _report_errors(result.errors.itertuples(index=False))


def _profile_command(args: argparse.Namespace) -> int:
    from .profiles import profile

    _check_output(args.output)
    _check_output(args.plot, (".png", ".svg", ".pdf"))
    _check_outputs({"-o": args.output, "--plot": args.plot}, _input_files(args))
    if args.plot and importlib.util.find_spec("matplotlib") is None:
        raise MissingDependencyError('--plot needs matplotlib: pip install "fazhi-nlp[plot]"')
    tables = [Path(p) for p in args.inputs if Path(p).suffix.lower() in _UNITS_SUFFIXES]
    if tables and len(tables) != len(args.inputs):
        raise InputError("give either report files and folders, or units tables (.csv/.jsonl) "
                         "written by 'fazhi-nlp classify', not both")
    status = 0
    if tables:
        import pandas as pd

        units = pd.concat([_read_units(p) for p in tables], ignore_index=True)
    else:
        result = _classify(args)
        units, status = result.units, _report_errors(result.errors.itertuples(index=False))
    prof = profile(units, by=args.by or None)
    print(_label_table(prof.shares, ".2f"))
    print("(share of each report's sentences and clauses, 0-1; the same fractions go to -o)")
    if prof.set_aside:
        print(prof.set_aside + "; they stay in the units table, flagged in duplicate_of")
    if args.output:
        _write_table(prof.reports.join(prof.shares), args.output, index=True)
        print(f"wrote label shares of {len(prof.shares)} reports to {args.output}")
    if args.plot:
        from .plot import save_profile

        with atomic_path(args.plot) as tmp:
            save_profile(prof, tmp, kind=args.kind)
        print(f"wrote {args.kind} to {args.plot}")
    return status


def _load_label_files(args: argparse.Namespace) -> Any:
    """The user's labels files (later ones override earlier ones), merged over the shipped
    labels with --merge-shipped; the shipped labels alone when no file is given."""
    from .labels import load_labels, merge_labels, shipped_labels

    user = None
    for path in args.labels:
        extra = load_labels(path, on_conflict=args.on_conflict)
        if extra.skipped:
            print(f"{path}: {len(extra.skipped)} rows skipped (blank or repeated)")
        user = extra if user is None else merge_labels(user, extra)
    if user is not None and not args.merge_shipped:
        return user
    base = shipped_labels()
    if user is None:
        return base
    shipped = dict(zip(base.texts, base.labels))
    changed = sum(1 for text, label in zip(user.texts, user.labels)
                  if text in shipped and shipped[text] != label)
    print(f"merged {len(user)} labelled units with {len(base)} shipped ones; "
          f"{changed} shipped label{'' if changed == 1 else 's'} overridden")
    return merge_labels(base, user)


def _train_command(args: argparse.Namespace) -> int:
    from .evaluation import evaluate
    from .training import rebuild_default_model, train
    from .errors import LabelError
    from .errors import ModelError
    from .persist import check_save_target, default_model_dir, save_model

    shipped = default_model_dir().resolve()
    if args.rebuild_default:
        if args.labels or args.merge_shipped or args.out:
            raise InputError("--rebuild-default rebuilds the shipped model from the shipped labels "
                             "only; give no labels files, --merge-shipped or --out with it")
        print(f"rebuilding the shipped model in {shipped} (about a minute) ...")
        print(rebuild_default_model(shipped).report())
        return 0
    if not args.out:
        raise InputError("say where to save the model: --out DIR")
    if not args.labels and not args.merge_shipped:
        raise InputError("give a labels file (CSV or JSONL with text and label columns), "
                         "or --merge-shipped to train on the shipped labels")
    out = Path(args.out).resolve()
    if out == shipped or shipped in out.parents:
        raise InputError(f"{args.out} is the shipped model; choose another --out, or use "
                         "--rebuild-default to rebuild the shipped model from the shipped labels")
    try:
        check_save_target(out)
    except ModelError:
        raise InputError(f"{args.out} exists and is not a saved model; choose a new folder") from None
    _check_outputs({"--out": str(out)}, args.labels)
    labels = _load_label_files(args)
    counts = {k: v for k, v in labels.counts().items() if v}
    print(f"training on {len(labels)} labelled units: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    evaluation = None
    if not args.no_evaluate:
        try:
            evaluation = evaluate(labels)
        except LabelError as exc:
            print(f"not cross-validated ({exc})")
        else:
            print(evaluation.report().split("\n\n")[0])
    clf = train(labels)
    save_model(clf, out, evaluation=evaluation)
    print(f"saved the model to {args.out}; use it with: fazhi-nlp classify REPORTS --model "
          f"{args.out}")
    return 0


def _evaluate_command(args: argparse.Namespace) -> int:
    from .evaluation import evaluate

    _check_output(args.predictions)
    _check_outputs({"--predictions": args.predictions}, args.labels)
    result = evaluate(_load_label_files(args))
    print(result.report())
    if args.predictions:
        _write_table(result.predictions, args.predictions)
        print(f"wrote {len(result.predictions)} cross-validated predictions to {args.predictions}")
    return 0


def _dedup_command(args: argparse.Namespace) -> int:
    from .corpus import flag_reposts

    _check_output(args.output)
    _check_outputs({"-o": args.output}, _input_files(args))
    result = flag_reposts(_inputs(args), threshold=args.threshold, n_jobs=args.jobs,
                          progress=_progress(args))
    reports = result.reports
    groups = reports.dropna(subset=["duplicate_group"]).groupby("duplicate_group")
    for number, group in groups:
        ids = list(group["doc_id"])
        print(f"group {number}: {ids[0]} (first), reposted as {', '.join(ids[1:])}")
    copies = int(reports["duplicate_of"].notna().sum())
    print(f"{len(reports)} reports, {copies} reposted cop{'y' if copies == 1 else 'ies'} "
          f"in {groups.ngroups} group{'' if groups.ngroups == 1 else 's'}")
    if args.output:
        _write_table(reports, args.output)
        print(f"wrote {len(reports)} reports to {args.output}")
    return _report_errors(result.errors.itertuples(index=False))


def _suggest_command(args: argparse.Namespace) -> int:
    from .labelling import export_for_labelling, suggest_for_labelling

    _check_output(args.output, (".csv",))
    _check_outputs({"-o": args.output}, _input_files(args))
    result = _classify(args)
    exclude = None
    if not args.include_labelled:
        from .labels import shipped_labels

        exclude = shipped_labels()
    picked = suggest_for_labelling(result.units, n=args.n, exclude=exclude)
    if not len(picked):
        print(f"all {len(result.units)} units are already in the shipped labels; nothing "
              "written (--include-labelled picks from them too)")
        return _report_errors(result.errors.itertuples(index=False))
    with atomic_path(args.output) as tmp:
        export_for_labelling(picked, tmp)
    by_label = Counter(picked["label"])
    print(f"wrote {len(picked)} units to {args.output} "
          f"({', '.join(f'{k} {v}' for k, v in by_label.most_common())})")
    print("next: correct the 'label' column (in Excel: save as 'CSV UTF-8'), then\n"
          f"  fazhi-nlp train {args.output} --merge-shipped --out my_model/")
    return _report_errors(result.errors.itertuples(index=False))


# --------------------------------------------------------------------------- the parser


def _number(text: str, kind: type, ok: Any, wanted: str) -> Any:
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not ok(value):
        raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
    return value


def _jobs(text: str) -> int:
    return _number(text, int, lambda v: v != 0, "a number of processes (1, 2, ...; -1: all cores)")


def _count(text: str) -> int:
    return _number(text, int, lambda v: v >= 1, "a whole number of 1 or more")


def _fraction(text: str) -> float:
    return _number(text, float, lambda v: 0 <= v <= 1, "a number between 0 and 1")


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", metavar="REPORTS",
                        help=f"report files ({' '.join(REPORT_SUFFIXES)}) or folders of them")
    parser.add_argument("--examples", action="store_true",
                        help="add the example reports shipped with fazhi_nlp to REPORTS")


def _add_corpus_options(parser: argparse.ArgumentParser, model: bool = True) -> None:
    _add_inputs(parser)
    if model:
        parser.add_argument("--model", metavar="DIR",
                            help="a model saved by 'fazhi-nlp train' (default: the shipped model)")
        parser.add_argument("--threshold", type=_fraction, metavar="P",
                            help="units labelled with probability below P are 'uncertain' "
                                 "(default: the model card's threshold)")
    parser.add_argument("-j", "--jobs", type=_jobs, metavar="N",
                        help="worker processes (-1: all cores; default 1)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _add_label_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("labels", nargs="*", metavar="LABELS",
                        help="labelled units: CSV (UTF-8, UTF-8 with BOM or GBK) or JSONL with "
                             "columns text and label; later files override earlier ones")
    parser.add_argument("--merge-shipped", action="store_true",
                        help="add the labels shipped with fazhi_nlp; your rows override theirs")
    parser.add_argument("--on-conflict", choices=("error", "last", "drop"), default="error",
                        help="a text labelled differently on two lines of one file: stop "
                             "(default), keep the last line's label, or drop the text")


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports a usage mistake as one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"fazhi-nlp: error: {message}; see '{self.prog} --help'\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``fazhi-nlp``."""
    parser = _Parser(
        prog="fazhi-nlp", description="Clean, segment and classify Chinese rule-of-law "
        "government annual reports (法治政府建设年度报告).", epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    units = commands.add_parser(
        "units", help="clean, deduplicate and segment reports; unit counts per report",
        description="Clean, deduplicate and segment reports; print a line per report (year, "
                    "units by kind, lines removed, title / agency), and with --show-units "
                    "every unit (index, kind, section, text) above it.")
    _add_inputs(units)
    units.add_argument("--show-units", action="store_true",
                       help="also print every unit: report, index, kind, section, text")
    units.set_defaults(run=_units)

    classify = commands.add_parser(
        "classify", help="label every unit of every report",
        description="Label every unit of every report; print label counts per report "
                    "(label names shortened to 5 letters) and flag reposted reports.")
    _add_corpus_options(classify)
    classify.add_argument("-o", "--output", metavar="FILE",
                          help="write one row per unit to FILE (.csv or .jsonl)")
    classify.add_argument("--reports", metavar="FILE",
                          help="write one row per report to FILE (.csv or .jsonl)")
    classify.add_argument("--show-units", action="store_true",
                          help="also print every unit: report, index, label, probability ('?' when uncertain), text")
    classify.set_defaults(run=_classify_command)

    prof = commands.add_parser(
        "profile", help="label shares per report, as a table and a picture",
        description="Label shares per report (sentences and clauses; headings and reposted "
                    "copies left out). REPORTS may also be units tables written by "
                    "'fazhi-nlp classify -o'.")
    _add_corpus_options(prof)
    prof.add_argument("-o", "--output", metavar="FILE", help="write the shares to FILE "
                      "(.csv or .jsonl), one row per report")
    prof.add_argument("--plot", metavar="PNG", help="draw the shares to PNG (or .svg, .pdf)")
    prof.add_argument("--kind", choices=("heatmap", "bars"), default="heatmap",
                      help="heatmap of reports × labels, or a stacked bar per report")
    prof.add_argument("--by", nargs="+", metavar="COLUMN",
                      help="columns to compare reports by (default: agency year)")
    prof.set_defaults(run=_profile_command)

    train = commands.add_parser(
        "train", help="train a model on labelled units and save it",
        description="Train a model on labelled units (e.g. a file from 'fazhi-nlp suggest', "
                    "corrected) and save it to a new folder. The shipped model is never "
                    "overwritten, except by --rebuild-default.")
    _add_label_options(train)
    train.add_argument("--out", metavar="DIR", help="folder to save the model in")
    train.add_argument("--no-evaluate", action="store_true",
                       help="skip leave-one-report-out cross-validation (the card then has no "
                            "metrics and no uncertainty threshold)")
    train.add_argument("--rebuild-default", action="store_true",
                       help="rebuild the shipped model from the shipped labels (deterministic)")
    train.set_defaults(run=_train_command)

    evaluate = commands.add_parser(
        "evaluate", help="leave-one-report-out cross-validation",
        description="Cross-validate the classifier, holding out one report at a time, on the "
                    "shipped labels (default) or on LABELS.")
    _add_label_options(evaluate)
    evaluate.add_argument("--predictions", metavar="FILE",
                          help="write each held-out unit's prediction to FILE (.csv or .jsonl)")
    evaluate.set_defaults(run=_evaluate_command)

    dedup = commands.add_parser(
        "dedup", help="find reports reposted across a corpus",
        description="Find reports whose cleaned texts are near-identical (MinHash estimate of "
                    "character 5-gram Jaccard similarity).")
    _add_corpus_options(dedup, model=False)
    dedup.add_argument("--threshold", type=_fraction, default=0.8, metavar="J",
                       help="similarity at which two reports are copies (default 0.8)")
    dedup.add_argument("-o", "--output", metavar="FILE",
                       help="write one row per report to FILE (.csv or .jsonl)")
    dedup.set_defaults(run=_dedup_command)

    suggest = commands.add_parser(
        "suggest", help="pick units for a person to label (least sure first)",
        description="Pick the units the model is least sure about, varied across labels and "
                    "reports, and write them to a CSV to correct in Excel and train on.")
    _add_corpus_options(suggest)
    suggest.add_argument("-n", type=_count, default=50, help="how many units (default 50)")
    suggest.add_argument("-o", "--output", metavar="CSV", required=True,
                         help="the CSV to write")
    suggest.add_argument("--include-labelled", action="store_true",
                         help="also pick units whose text is already in the shipped labels "
                              "(left out by default)")
    suggest.set_defaults(run=_suggest_command)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage mistake already reported on stderr
        return int(exc.code or 0)
    try:
        code = args.run(args)
    except FazhiError as exc:
        print(f"fazhi-nlp: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # files are written through files.py, whose errors name them
        if exc.filename is None and exc.errno in _STDOUT_ERRORS:
            return _stdout_failed(exc)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"fazhi-nlp: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    try:  # a full disk or a closed pipe behind stdout shows here, not when Python exits
        sys.stdout.flush()
    except OSError as exc:
        return _stdout_failed(exc)
    return code


#: What writing to a full disk or a closed pipe raises.
_STDOUT_ERRORS = {errno.ENOSPC, errno.EPIPE, errno.EIO, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _stdout_failed(exc: OSError) -> int:
    """Say that standard output cannot be written (a closed pipe, as after ``| head``, is no
    error: exit quietly with 141, as a shell would); drop what is left in its buffer, so that
    Python does not fail again when it exits. Returns the exit code."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    if exc.errno == errno.EPIPE:
        return 141
    print(f"fazhi-nlp: error: standard output: cannot be written ({exc.strerror or exc})",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
