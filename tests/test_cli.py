"""The fazhi-nlp command: exit codes through a real subprocess, each sub-command's output."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from fazhi_nlp.cli import main
from fazhi_nlp.labels import LABEL_NAMES, shipped_labels
from tests.conftest import SEED_IDS, SEEDS_DIR, seed_path


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "fazhi_nlp.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)


def one_error_line(process: subprocess.CompletedProcess) -> str:
    lines = process.stderr.strip().splitlines()
    assert process.returncode == 2, process.stderr
    assert len(lines) == 1 and lines[0].startswith("fazhi-nlp: error: "), process.stderr
    return lines[0]


def test_help_lists_every_command():
    process = run("--help")
    assert process.returncode == 0
    for command in ("units", "classify", "profile", "train", "evaluate", "dedup", "suggest"):
        assert command in process.stdout


def test_classify_prints_label_counts_per_report_and_writes_units(tmp_path):
    process = run("classify", SEEDS_DIR, "-o", tmp_path / "units.csv",
                  "--reports", tmp_path / "reports.jsonl")
    assert process.returncode == 0, process.stderr
    lines = process.stdout.splitlines()
    assert lines[0].split()[:4] == ["report", "units", "unsure", "leade"]
    for prefix in SEED_IDS:
        assert any(line.startswith(seed_path(prefix).stem) for line in lines)
    units = pd.read_csv(tmp_path / "units.csv", encoding="utf-8-sig")
    assert set(units["label"]) <= set(LABEL_NAMES)
    assert f"wrote {len(units)} units" in process.stdout
    reports = [json.loads(line) for line in (tmp_path / "reports.jsonl").open(encoding="utf-8")]
    assert sum(r["n_units"] for r in reports) == len(units)


def test_a_missing_file_is_one_error_line():
    line = one_error_line(run("classify", "no_such_report.txt"))
    assert "no_such_report.txt: no such file or directory" in line


def test_a_folder_without_reports_is_one_error_line(tmp_path):
    (tmp_path / "labels.csv").write_text("text,label\n")
    assert "no reports found" in one_error_line(run("classify", tmp_path))


@pytest.mark.parametrize("args, said", [
    ((), "the following arguments are required: COMMAND; see 'fazhi-nlp --help'"),
    (("clasify", "x.txt"), "invalid choice: 'clasify'"),
    (("classify",), "no reports given: name report files or folders, or use --examples"),
    (("suggest", "x.txt", "-n", "0", "-o", "x.csv"), "argument -n: expected a whole number"),
    (("profile", "x.txt", "--kind", "pie"), "see 'fazhi-nlp profile --help'"),
])
def test_a_usage_mistake_is_one_error_line_with_a_hint(args, said):
    assert said in one_error_line(run(*args))


def test_a_bad_labels_file_is_one_error_line_naming_the_line(tmp_path):
    (tmp_path / "labels.csv").write_text("text,label\n严格执行行政执法三项制度。,enforcment\n",
                                         encoding="utf-8")
    line = one_error_line(run("train", tmp_path / "labels.csv", "--out", tmp_path / "m"))
    assert "labels.csv, line 2" in line and "'enforcement'" in line
    assert not (tmp_path / "m").exists()


def test_unreadable_reports_are_named_and_the_exit_code_is_1(tmp_path, capsys):
    shutil.copy(seed_path("004"), tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["classify", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert seed_path("004").stem in out
    assert err.strip() == f"fazhi-nlp: skipped {tmp_path / 'empty.txt'}: is empty (no text to process)"


def test_units_names_reports_like_classify_and_goes_on_after_a_failure(tmp_path, capsys,
                                                                      monkeypatch):
    import fazhi_nlp.corpus

    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
        shutil.copy(seed_path("004"), tmp_path / folder / "report.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    process = fazhi_nlp.corpus.process

    def failing(source, doc_id=None):
        if "c" in os.fspath(source).split(os.sep):
            raise RuntimeError("parser crashed")
        return process(source, doc_id=doc_id)

    monkeypatch.setattr(fazhi_nlp.corpus, "process", failing)
    assert main(["units", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    names = [line.split()[0] for line in out.splitlines()[1:]]
    assert names == ["report", "b/report"]
    assert err.splitlines() == [
        f"fazhi-nlp: skipped {tmp_path / 'c' / 'report.txt'}: RuntimeError: parser crashed",
        f"fazhi-nlp: skipped {tmp_path / 'empty.txt'}: is empty (no text to process)"]


def test_plot_without_matplotlib_is_one_error_line_before_any_work(tmp_path, capsys,
                                                                   monkeypatch):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "matplotlib" else find_spec(name, *a))
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # and importing it fails
    code = main(["profile", str(seed_path("004")), "-o", str(tmp_path / "shares.csv"),
                 "--plot", str(tmp_path / "shares.png")])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == 'fazhi-nlp: error: --plot needs matplotlib: pip install "fazhi-nlp[plot]"\n'
    assert not (tmp_path / "shares.csv").exists()


def test_profile_of_a_units_table_writes_csv_and_png(tmp_path, capsys):
    from fazhi_nlp.corpus import classify_corpus

    classify_corpus(SEEDS_DIR, progress=False).units.to_csv(tmp_path / "units.csv", index=False)
    code = main(["profile", str(tmp_path / "units.csv"), "-o", str(tmp_path / "shares.csv"),
                 "--plot", str(tmp_path / "shares.png"), "--kind", "bars"])
    assert code == 0
    shares = pd.read_csv(tmp_path / "shares.csv", encoding="utf-8-sig")
    assert shares[list(LABEL_NAMES)].sum(axis=1).round(9).eq(1).all()
    assert len(shares) == len(SEED_IDS)
    assert (tmp_path / "shares.png").read_bytes()[:4] == b"\x89PNG"
    assert "share of each report" in capsys.readouterr().out


def test_dedup_names_the_reposted_copy(tmp_path, capsys):
    shutil.copy(seed_path("000"), tmp_path)
    shutil.copy(seed_path("001"), tmp_path)
    (tmp_path / "repost.txt").write_text(seed_path("000").read_text("utf-8"), encoding="utf-8")
    assert main(["dedup", str(tmp_path), "-o", str(tmp_path / "dups.csv")]) == 0
    out = capsys.readouterr().out
    assert f"group 1: {seed_path('000').stem} (first), reposted as repost" in out
    assert "3 reports, 1 reposted copy in 1 group" in out


def test_suggest_then_train_on_the_corrected_file(tmp_path, capsys):
    to_label = tmp_path / "to_label.csv"
    assert main(["suggest", str(SEEDS_DIR), "-n", "8", "-o", str(to_label),
                 "--include-labelled"]) == 0
    assert "fazhi-nlp train" in capsys.readouterr().out
    rows = pd.read_csv(to_label, encoding="utf-8-sig")
    assert len(rows) == 8
    shipped = dict(zip(shipped_labels().texts, shipped_labels().labels))
    fix = "emergency" if shipped[rows["text"][0]] == "digital" else "digital"
    corrected = rows.assign(label=[fix] + rows["label"].tolist()[1:])
    corrected.to_csv(to_label, index=False, encoding="gb18030")  # as Excel saves it in China
    out_dir = tmp_path / "my_model"
    assert main(["train", str(to_label), "--merge-shipped", "--no-evaluate",
                 "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "1 shipped label overridden" in out
    card = json.loads((out_dir / "card.json").read_text("utf-8"))
    assert card["training_data"]["per_source"]["user"] >= 1


def test_train_never_writes_over_the_shipped_model(tmp_path):
    from fazhi_nlp.persist import default_model_dir

    (tmp_path / "l.csv").write_text("text,label\n开展普法宣传。,publicity\n组织学法。,study_training\n",
                                    encoding="utf-8")
    for target in (default_model_dir(), default_model_dir() / "sub"):
        assert main(["train", str(tmp_path / "l.csv"), "--out", str(target)]) == 2
    assert main(["train", str(tmp_path / "l.csv"), "--rebuild-default"]) == 2
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine")
    assert main(["train", str(tmp_path / "l.csv"), "--out", str(tmp_path / "notes")]) == 2
    assert (tmp_path / "notes" / "keep.txt").read_text() == "mine"


@pytest.fixture()
def small_labels(tmp_path):
    rows = [("组织开展宪法宣传周活动。", "publicity", "a"), ("开展普法进企业活动。", "publicity", "b"),
            ("严格落实行政执法三项制度。", "enforcement", "a"), ("规范行政执法行为。", "enforcement", "b"),
            ("办理行政复议案件3件。", "disputes", "a"), ("依法办理行政应诉案件。", "disputes", "b")]
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps({"text": t, "label": lab, "doc_id": d}, ensure_ascii=False)
                            + "\n" for t, lab, d in rows), encoding="utf-8")
    return path


def test_evaluate_prints_the_metrics(small_labels, tmp_path, capsys):
    assert main(["evaluate", str(small_labels), "--predictions",
                 str(tmp_path / "cv.csv")]) == 0
    out = capsys.readouterr().out
    assert "leave-one-report-out over 2 reports, 6 scored units" in out
    assert "macro-F1" in out
    assert len(pd.read_csv(tmp_path / "cv.csv", encoding="utf-8-sig")) == 6


def test_train_saves_a_cross_validated_model_that_classify_uses(small_labels, tmp_path, capsys):
    out_dir = tmp_path / "m"
    assert main(["train", str(small_labels), "--out", str(out_dir)]) == 0
    card = json.loads((out_dir / "card.json").read_text("utf-8"))
    assert card["labels"] == ["disputes", "enforcement", "publicity"]
    assert card["cv"]["n_folds"] == 2
    assert main(["classify", str(seed_path("000")), "--model", str(out_dir),
                 "-o", str(tmp_path / "u.jsonl")]) == 0
    units = pd.read_json(tmp_path / "u.jsonl", lines=True)
    assert set(units["label"]) <= {"disputes", "enforcement", "publicity"}


def test_show_units_prints_every_unit_with_its_label(capsys):
    assert main(["classify", str(seed_path("004")), "--show-units", "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    unit_lines = [line for line in lines if line.startswith("004_0238c246 ")]
    assert len(unit_lines) == 59
    index, label = unit_lines[0].split()[1:3]
    assert index == "0" and label in LABEL_NAMES


def test_suggest_leaves_out_units_already_labelled(tmp_path, capsys):
    # every unit of the example reports is in the shipped labels: nothing is left to label
    assert main(["suggest", "--examples", "-n", "8", "-o", str(tmp_path / "to_label.csv")]) == 0
    assert "already in the shipped labels" in capsys.readouterr().out
    assert not (tmp_path / "to_label.csv").exists()


def test_examples_flag_classifies_the_shipped_example_reports(capsys):
    assert main(["classify", "--examples", "--show-units", "-q"]) == 0
    out = capsys.readouterr().out
    assert "5 reports, 340 units" in out
    assert "000_f5e35c5f" in out and "general" in out


def test_units_shows_the_units_with_show_units(capsys):
    assert main(["units", str(seed_path("004")), "--show-units"]) == 0
    out = capsys.readouterr().out
    assert "一、2022年度推进法治政府建设的主要举措和成效" in out
    assert "heading" in out and "clause" in out


def test_evaluate_on_a_small_file_says_why_there_is_no_threshold(tmp_path, capsys):
    rows = [{"text": t, "label": lab, "doc_id": d} for d in ("a", "b", "c") for t, lab in (
        (f"{d}组织开展集体学法活动。", "study_training"), (f"{d}开展宪法宣传周普法活动。", "publicity"),
        (f"{d}办理行政复议案件。", "disputes"))]
    pd.DataFrame(rows).to_csv(tmp_path / "small.csv", index=False)
    assert main(["evaluate", str(tmp_path / "small.csv")]) == 0
    out = capsys.readouterr().out
    assert "nan" not in out
    assert "support" in out and " 0\n" not in out.split("confusion")[0]


# --------------------------------------------------------------------------- outputs never destroy inputs


@pytest.fixture()
def labels_csv(tmp_path):
    path = tmp_path / "L.csv"
    path.write_text("text,label,doc_id\n组织开展宪法宣传周活动。,publicity,a\n开展普法进企业活动。,publicity,b\n"
                    "严格落实行政执法三项制度。,enforcement,a\n规范行政执法行为。,enforcement,b\n",
                    encoding="utf-8")
    return path


def test_an_output_that_is_an_input_or_another_output_is_refused_before_any_work(
        tmp_path, labels_csv, capsys, monkeypatch):
    report = tmp_path / "report.txt"
    shutil.copy(seed_path("004"), report)
    before = labels_csv.read_bytes()
    (tmp_path / "link.csv").symlink_to(labels_csv)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    cases = [
        (["evaluate", "L.csv", "--predictions", "L.csv"], "L.csv: is an input of this command and the --predictions output"),
        (["evaluate", str(labels_csv), "--predictions", "link.csv"], "link.csv: is an input"),
        (["evaluate", "L.csv", "--predictions", "sub/../L.csv"], "sub/../L.csv: is an input"),
        (["classify", "report.txt", "-o", "x.csv", "--reports", "x.csv"],
         "x.csv: given both to -o and to --reports"),
        (["classify", "report.txt", "-o", "./x.csv", "--reports", str(tmp_path / "x.csv")],
         "given both to -o and to --reports"),
        (["profile", "link.csv", "-o", "L.csv"], "L.csv: is an input of this command and the -o output"),
    ]
    for args, said in cases:
        assert main(args) == 2, args
        out, err = capsys.readouterr()
        assert err.startswith("fazhi-nlp: error: ") and said in err, (args, err)
        assert out == ""
    assert labels_csv.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["L.csv", "link.csv", "report.txt", "sub"]


def test_a_full_disk_names_the_file_and_leaves_the_old_output(tmp_path, capsys, monkeypatch):
    import errno

    out = tmp_path / "units.csv"
    out.write_text("the units of yesterday\n", encoding="utf-8")
    write = os.write

    def full(fd, data):
        if os.fstat(fd).st_size + len(data) > 4096:  # the disk fills up after 4 KB
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write(fd, data)

    monkeypatch.setattr(os, "write", full)
    assert main(["classify", str(seed_path("004")), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"fazhi-nlp: error: {out}: cannot be written (No space left on device)\n"
    assert out.read_text(encoding="utf-8") == "the units of yesterday\n"
    assert [p.name for p in tmp_path.iterdir()] == ["units.csv"]  # no temporary file left


def test_a_plot_or_labelling_file_that_cannot_be_written_is_named(tmp_path, capsys, monkeypatch):
    import errno

    real_fsync = os.fsync

    def failing_fsync(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", failing_fsync)
    to_label = tmp_path / "to_label.csv"
    assert main(["suggest", str(seed_path("004")), "-n", "3", "-o", str(to_label),
                 "--include-labelled"]) == 2
    assert capsys.readouterr().err == f"fazhi-nlp: error: {to_label}: cannot be written (Input/output error)\n"
    assert main(["profile", str(seed_path("004")), "--plot", str(tmp_path / "shares.png")]) == 2
    assert capsys.readouterr().err.endswith(f"{tmp_path / 'shares.png'}: cannot be written (Input/output error)\n")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert main(["profile", str(seed_path("004")), "--plot", str(tmp_path / "shares.png")]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["shares.png"]


def test_a_full_disk_behind_standard_output_is_one_error_line():
    with open("/dev/full", "w") as full:  # a device that is always full (Linux)
        process = subprocess.run([sys.executable, "-m", "fazhi_nlp.cli", "classify", str(seed_path("004"))],
                                 stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert process.returncode == 2
    assert process.stderr == "fazhi-nlp: error: standard output: cannot be written (No space left on device)\n"
