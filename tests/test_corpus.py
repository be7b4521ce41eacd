"""Corpus workflow: classify a folder into DataFrames, stream it, run it in parallel, flag reposts."""
from __future__ import annotations

import shutil

import joblib
import pandas as pd
import pytest

from fazhi_nlp import InputError, load_labels
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


def test_worker_processes_give_the_same_rows(seeds):
    result = classify_corpus(SEEDS_DIR, n_jobs=2, batch_size=2, progress=False)
    pd.testing.assert_frame_equal(result.units, seeds.units)


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
