"""Corpus workflow: classify a folder into DataFrames, stream it, run it in parallel, flag reposts."""
from __future__ import annotations

import shutil

import joblib
import pandas as pd
import pytest

from fazhi_nlp import InputError, corpus, load_labels
from fazhi_nlp.corpus import (REPORT_COLUMNS, UNIT_COLUMNS, CorpusResult, classify_corpus,
                              flag_reposts, iter_classify)
from fazhi_nlp.labelling import export_for_labelling, suggest_for_labelling
from fazhi_nlp.profiles import profile
from fazhi_nlp.labels import LABEL_NAMES, LABELS
from fazhi_nlp.persist import save_model
from fazhi_nlp.plot import plot_profile
from tests.conftest import SEED_IDS, SEEDS_DIR, seed_path


def test_units_and_reports_tables_have_one_row_per_unit_and_per_report(seeds, seed_reports):
    assert list(seeds.units.columns) == list(UNIT_COLUMNS)
    assert list(seeds.reports.columns) == list(REPORT_COLUMNS)
    assert len(seeds.errors) == 0
    for prefix in SEED_IDS:
        report = seed_reports[prefix]
        rows = seeds.units[seeds.units["doc_id"] == report.doc_id]
        assert rows["text"].tolist() == [u.text for u in report.units]
        assert rows["heading_path"].tolist() == [" > ".join(u.heading_path) for u in report.units]
        assert (rows["title"] == report.title).all() or report.title is None
    units = seeds.units
    assert set(units["label"]) <= set(LABEL_NAMES)
    assert (units["probability"] >= units["runner_up_probability"]).all()
    assert (units["label"] != units["runner_up"]).all()
    assert seeds.reports["n_units"].sum() == len(units)
    assert seeds.reports.set_index("doc_id").loc[seed_path("002").stem, "year"] == 2022
    assert "5 reports" in repr(seeds)


def test_uncertain_follows_the_threshold(seeds):
    strict = classify_corpus([seed_path("000")], threshold=0.99, progress=False)
    assert strict.units["uncertain"].tolist() == (strict.units["probability"] < 0.99).tolist()
    assert strict.reports["n_uncertain"].iloc[0] == strict.units["uncertain"].sum() > 0


def test_streaming_yields_the_same_rows_as_the_batch(seeds):
    parts = list(iter_classify(SEEDS_DIR, progress=False, batch_size=2))
    assert len(parts) == len(SEED_IDS)
    assert all(len(p.reports) == 1 for p in parts)
    pd.testing.assert_frame_equal(pd.concat([p.units for p in parts], ignore_index=True),
                                  seeds.units)
    pd.testing.assert_frame_equal(pd.concat([p.reports for p in parts], ignore_index=True),
                                  seeds.reports)


def test_worker_processes_give_the_same_rows(seeds, monkeypatch):
    monkeypatch.setattr(corpus, "SERIAL_BELOW", 1)  # five reports would run in this process
    result = classify_corpus(SEEDS_DIR, n_jobs=2, batch_size=2, progress=False)
    pd.testing.assert_frame_equal(result.units, seeds.units)
    pd.testing.assert_frame_equal(result.reports, seeds.reports)


def test_a_small_corpus_runs_in_this_process_even_when_workers_are_asked_for(seeds, monkeypatch):
    import multiprocessing

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for five reports")

    monkeypatch.setattr(multiprocessing.context.ForkContext, "Pool", no_pool)
    result = classify_corpus(SEEDS_DIR, n_jobs=2, batch_size=1, progress=False)
    pd.testing.assert_frame_equal(result.units, seeds.units)


def test_a_dask_cluster_gives_the_serial_result(seeds):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster), joblib.parallel_config(backend="dask"):
        result = classify_corpus(SEEDS_DIR, progress=False, batch_size=2)
    pd.testing.assert_frame_equal(result.units, seeds.units)
    pd.testing.assert_frame_equal(result.reports, seeds.reports)


def test_a_joblib_backend_is_picked_up_without_other_changes(seeds):
    with joblib.parallel_config(backend="threading", n_jobs=2):
        result = classify_corpus(SEEDS_DIR, progress=False, batch_size=1)
    pd.testing.assert_frame_equal(result.units, seeds.units)


def test_a_saved_model_is_loaded_once_for_classify_and_classify_corpus(tmp_path, monkeypatch):
    import fazhi_nlp
    import fazhi_nlp.persist as persist

    labels = load_labels(pd.DataFrame({
        "text": ["组织开展宪法宣传周活动。", "开展普法进企业活动。", "严格落实行政执法三项制度。",
                 "规范行政执法行为。"],
        "label": ["publicity", "publicity", "enforcement", "enforcement"]}))
    save_model(fazhi_nlp.train(labels), tmp_path / "model")
    loads = []
    load_model = persist.load_model
    monkeypatch.setattr(persist, "load_model", lambda path=None: loads.append(path)
                        or load_model(path))
    fazhi_nlp.classify("全面落实行政执法三项制度。", model=tmp_path / "model")
    result = classify_corpus([seed_path("000"), seed_path("004")], model=tmp_path / "model",
                             batch_size=1, progress=False)
    assert set(result.units["label"]) <= {"publicity", "enforcement"}
    assert len(loads) == 1


def test_broken_files_are_listed_in_errors_and_the_rest_is_classified(tmp_path):
    shutil.copy(seed_path("000"), tmp_path / "good.txt")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    (tmp_path / "labels.csv").write_text("not a report suffix: ignored in a folder")
    result = classify_corpus(tmp_path, progress=False)
    assert result.reports["doc_id"].tolist() == ["good"]
    assert set(result.units["doc_id"]) == {"good"} and len(result.units) > 50
    errors = dict(zip(result.errors["source"], result.errors["reason"]))
    assert set(errors) == {str(tmp_path / n) for n in ("binary.txt", "empty.txt",
                                                       "sub/truncated.pdf")}
    assert "empty" in errors[str(tmp_path / "empty.txt")]
    assert all(reason and not reason.startswith(str(tmp_path)) for reason in errors.values())


def test_a_folder_includes_every_report_ending_that_read_knows(tmp_path):
    from fazhi_nlp.read import REPORT_SUFFIXES

    html = "<html><body><p>一、推进严格规范公正文明执法</p><p>全面落实行政执法三项制度。</p></body></html>"
    (tmp_path / "page.shtml").write_text(html, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.XHTML").write_text(html, encoding="utf-8")
    assert {".shtml", ".xhtml"} <= set(REPORT_SUFFIXES)
    result = classify_corpus(tmp_path, progress=False)
    assert result.reports["doc_id"].tolist() == ["page", "sub/page"]
    assert result.units["text"].tolist()[:2] == ["一、推进严格规范公正文明执法", "全面落实行政执法三项制度。"]


def test_a_reposted_copy_is_flagged_as_duplicate_of_the_first(tmp_path):
    for prefix in ("000", "002"):
        shutil.copy(seed_path(prefix), tmp_path)
    original = seed_path("000").read_text(encoding="utf-8")
    (tmp_path / "repost.txt").write_text("转载自区政府门户网站\n" + original, encoding="utf-8")
    result = classify_corpus(tmp_path, progress=False)
    reports = result.reports.set_index("doc_id")
    first = seed_path("000").stem
    assert reports.loc["repost", "duplicate_of"] == first
    assert reports.loc["repost", "duplicate_group"] == reports.loc[first, "duplicate_group"] == 1
    assert pd.isna(reports.loc[first, "duplicate_of"])
    assert pd.isna(reports.loc[seed_path("002").stem, "duplicate_group"])
    copies = result.units[result.units["doc_id"] == "repost"]
    assert (copies["duplicate_of"] == first).all()
    flagged = flag_reposts(tmp_path, progress=False).reports.set_index("doc_id")
    assert flagged["duplicate_of"].dropna().to_dict() == {"repost": first}


def test_a_dataframe_of_texts_is_a_corpus():
    texts = pd.DataFrame({"id": ["x", "y"], "body": [seed_path("000").read_text("utf-8"),
                                                     "一、推进严格规范公正文明执法\n全面落实行政执法三项制度。"]})
    result = classify_corpus(texts, text_column="body", id_column="id", progress=False)
    assert result.reports["doc_id"].tolist() == ["x", "y"]
    assert result.reports["path"].isna().all()
    with pytest.raises(InputError, match="no 'text' column"):
        classify_corpus(texts, progress=False)
    with pytest.raises(InputError, match="unique"):
        classify_corpus(texts.assign(id="same"), text_column="body", id_column="id",
                        progress=False)


def test_missing_paths_and_folders_without_reports_raise(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        classify_corpus([SEEDS_DIR, tmp_path / "missing"], progress=False)
    with pytest.raises(InputError, match="no reports found"):
        classify_corpus(tmp_path, progress=False)


# --------------------------------------------------------------------------- reposts and unreadable entries


def _zhongshan(year: int = 2022, agency: str = "中山市科技局") -> str:
    """Seed 000 as that agency's report of ``year`` (the text of a next-year report repeats
    most of this year's)."""
    text = seed_path("000").read_text(encoding="utf-8")
    return text.replace("2022", str(year)).replace("中山市科技局", agency)


def test_the_same_agencys_next_year_report_and_another_agencys_copy_are_not_reposts(tmp_path):
    (tmp_path / "zs2022.txt").write_text(_zhongshan(), encoding="utf-8")
    (tmp_path / "zs2023.txt").write_text(_zhongshan(2023), encoding="utf-8")
    (tmp_path / "jm2022.txt").write_text(_zhongshan(agency="江门市科技局"), encoding="utf-8")
    (tmp_path / "zs2022_repost.txt").write_text("转载自中山市人民政府门户网站\n" + _zhongshan(),
                                                encoding="utf-8")
    result = classify_corpus(tmp_path, progress=False)
    reports = result.reports.set_index("doc_id")
    assert reports.loc[["zs2022", "zs2023", "jm2022"], "year"].tolist() == [2022, 2023, 2022]
    assert reports["duplicate_of"].dropna().to_dict() == {"zs2022_repost": "zs2022"}
    # the repost stays in the results, flagged
    copies = result.units[result.units["doc_id"] == "zs2022_repost"]
    assert len(copies) == reports.loc["zs2022_repost", "n_units"] > 0
    assert (copies["duplicate_of"] == "zs2022").all()


def test_find_duplicate_reports_takes_reports_and_keeps_years_and_agencies_apart(tmp_path):
    import fazhi_nlp
    from fazhi_nlp.dedup import find_duplicate_reports

    texts = {"2022": _zhongshan(), "2023": _zhongshan(2023), "copy": "转载\n" + _zhongshan()}
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    reports = {name: fazhi_nlp.process(tmp_path / f"{name}.txt") for name in texts}
    assert find_duplicate_reports(reports) == [["2022", "copy"]]
    # given as bare texts, nothing tells the years apart
    assert find_duplicate_reports({k: r.text for k, r in reports.items()}) == [["2022", "2023", "copy"]]
    with pytest.raises(InputError, match="report 'x': expected its text"):
        find_duplicate_reports({"x": b"bytes"})


def _no_hang(function, *args, **kwargs):
    """Run ``function`` in a thread; fail (instead of hanging the suite) if it never returns."""
    import threading

    out = {}
    worker = threading.Thread(target=lambda: out.update(value=function(*args, **kwargs)), daemon=True)
    worker.start()
    worker.join(timeout=300)
    assert "value" in out, f"{function.__name__} did not return: it waits on something"
    return out["value"]


def test_dangling_links_fifos_and_unreadable_entries_are_listed_in_errors(tmp_path, monkeypatch):
    import os

    shutil.copy(seed_path("004"), tmp_path / "good.txt")
    os.symlink(tmp_path / "deleted.txt", tmp_path / "dangling.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "locked.txt").write_text("一、总体情况\n全年办理行政复议案件12件。", encoding="utf-8")
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "inside.txt").write_text("全年办理行政复议案件12件。", encoding="utf-8")
    real_open, real_scandir = os.open, os.scandir

    def no_permission(path, *args, **kwargs):  # as the system says it to a user without rights
        if os.fspath(path) in (str(tmp_path / "locked.txt"), str(tmp_path / "closed")):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return (real_open if args or kwargs else real_scandir)(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_permission)
    monkeypatch.setattr(os, "scandir", lambda path=".": no_permission(path))
    result = _no_hang(classify_corpus, tmp_path, progress=False)
    assert result.reports["doc_id"].tolist() == ["good"]
    errors = dict(zip(result.errors["source"], result.errors["reason"]))
    assert errors == {
        str(tmp_path / "closed"): "cannot list this folder (Permission denied)",
        str(tmp_path / "dangling.txt"): f"broken symbolic link (it points to {tmp_path / 'deleted.txt'}, "
                                        "which does not exist)",
        str(tmp_path / "locked.txt"): "cannot be read (Permission denied)",
        str(tmp_path / "pipe.txt"): "is a named pipe (FIFO), not a file; pass a regular file",
    }


def test_a_fifo_named_directly_is_an_error_not_a_wait(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    shutil.copy(seed_path("004"), tmp_path / "good.txt")
    result = _no_hang(classify_corpus, [tmp_path / "pipe.txt", tmp_path / "good.txt"], progress=False)
    assert result.errors["reason"].tolist() == ["is a named pipe (FIFO), not a file; pass a regular file"]
    assert result.reports["doc_id"].tolist() == ["good"]


def test_bytes_and_lone_surrogates_in_a_dataframe_are_errors_naming_the_row():
    texts = pd.DataFrame({"text": ["一、推进严格规范公正文明执法\n全面落实行政执法三项制度。",
                                   "全面落实行政执法三项制度。".encode("gbk"),
                                   "一、总体情况\n全年办理\ud800案件。"]}, index=["ok", "raw", "broken"])
    result = classify_corpus(texts, progress=False)
    assert result.reports["doc_id"].tolist() == ["ok"]
    errors = dict(zip(result.errors["source"], result.errors["reason"]))
    assert errors["raw"].startswith("the text cell holds bytes, expected text (str)")
    assert errors["broken"].startswith("the text cell, line 2, column 5: lone surrogate U+D800")
