"""The entry point: process() and classify() on real reports, one prediction path."""

import dataclasses
import subprocess
import sys
import unicodedata

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.pipeline import Pipeline

import fazhi_nlp
from fazhi_nlp.persist import save_model
from fazhi_nlp.classifier import DEFAULT_PARAMS, Classifier, top_two
from fazhi_nlp.evaluation import choose_threshold, evaluate
from fazhi_nlp.pipeline import Prediction, classify
from fazhi_nlp.training import train
from fazhi_nlp.errors import InputError, LabelError
from fazhi_nlp.labels import shipped_labels
from fazhi_nlp.types import Unit
from tests.conftest import seed_path


def test_classify_labels_every_unit_of_a_seed_report(seed_reports):
    report = seed_reports["002"]
    predictions = classify(report)
    assert [p.unit for p in predictions] == list(report.units)
    assert all(isinstance(p, Prediction) and p.label in fazhi_nlp.LABEL_NAMES for p in predictions)
    assert all(p.probability >= p.runner_up_probability and p.label != p.runner_up
               for p in predictions)
    by_text = {p.unit.text: p.label for p in predictions}
    assert by_text["全面推行执法全过程记录制度，明确了执法人员通过文字、音像记录等方式对执法等进行全程记录，"
                   "建立健全全过程记录信息调阅制度。"] == "enforcement"
    threshold = fazhi_nlp.load_model().threshold_
    assert 0 < threshold < 1
    assert [p.uncertain for p in predictions] == [p.probability < threshold for p in predictions]


def test_classify_takes_a_path_and_a_threshold():
    path = seed_path("000")
    everything = classify(path, threshold=1.0)
    assert everything and all(p.uncertain for p in everything)
    assert not any(p.uncertain for p in classify(str(path), threshold=0.0))
    assert classify(path) == classify(fazhi_nlp.process(path))


def test_classify_with_a_trained_model(model):
    text = "一、健全依法决策机制\n严格落实重大行政决策程序，聘请法律顾问参与合法性审查。"
    predictions = classify(text, model=model)
    assert [p.label for p in predictions] == ["decision_making", "decision_making"]
    assert not any(p.uncertain for p in predictions)  # a model without a card flags nothing
    assert all(p.uncertain for p in classify(text, model=model, threshold=1.0))


def test_the_cards_threshold_flags_exactly_the_units_below_it(model, seed_reports, tmp_path):
    report = seed_reports["000"]
    probabilities = [p.probability for p in classify(report, model=model)]
    cut = round(float(np.median(probabilities)), 2)
    save_model(model, tmp_path / "m", evaluation={"threshold": cut})
    flags = [p.uncertain for p in classify(report, model=tmp_path / "m")]
    assert flags == [p < cut for p in probabilities]
    assert 0 < sum(flags) < len(flags)


def test_a_saved_model_is_loaded_once_by_classify(model, tmp_path, monkeypatch):
    import fazhi_nlp.persist

    save_model(model, tmp_path / "m")
    loads = []
    real_load = fazhi_nlp.persist.load_model
    monkeypatch.setattr(fazhi_nlp.persist, "load_model", lambda path: loads.append(path)
                        or real_load(path))
    first = classify("全年办理行政复议案件12件。", model=tmp_path / "m")
    assert classify("全年办理行政复议案件12件。", model=str(tmp_path / "m" / "card.json")) == first
    assert len(loads) == 1 and first[0].label == "disputes"


# --- the package stays light --------------------------------------------------------------


# --------------------------------------------------------------------------- a mistyped path is an error


@pytest.mark.parametrize("mistyped", [
    "reports/2022/",                       # a folder: ends with a separator
    "reports/2022/000_f5e35c5f3fb9aef7",   # the file ending forgotten
    "reports/nope",
    "no_such_report.txt",
])
def test_a_mistyped_path_is_an_error_naming_it(mistyped, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports" / "2022").mkdir(parents=True)
    with pytest.raises(InputError, match=mistyped.rstrip("/")):
        fazhi_nlp.process(mistyped)
    with pytest.raises(InputError, match=mistyped.rstrip("/")):
        classify(mistyped)


def test_text_can_be_passed_explicitly_even_when_it_looks_like_a_path(tmp_path):
    report = fazhi_nlp.process("reports/2022.txt", input="content")
    assert [u.text for u in report.units] == ["reports/2022.txt"]
    path = tmp_path / "report.txt"
    path.write_text("一、总体情况\n全年办理行政复议案件12件。", encoding="utf-8")
    assert len(fazhi_nlp.process(str(path), input="filename").units) == 2
    with pytest.raises(InputError, match="input must be one of"):
        fazhi_nlp.process("特此报告。", input="text")


def test_real_report_text_is_never_taken_for_a_path(seed_reports):
    text = seed_path("000").read_text(encoding="utf-8")
    assert fazhi_nlp.process(text).text == seed_reports["000"].text
    one_line = "2022年，市科技局坚持依法行政/依法决策，全面推进法治政府建设。"
    assert fazhi_nlp.process(one_line).units[0].text == one_line


def test_classify_takes_a_list_of_reports(seed_reports):
    both = classify([seed_path("000"), "一、推进严格规范公正文明执法\n全面落实行政执法三项制度。"])
    assert [len(p) for p in both] == [len(seed_reports["000"].units), 2]
    assert both[1][1].label == "enforcement"


def test_the_example_reports_are_installed_with_the_package(seed_reports):
    from fazhi_nlp.examples import example_folder, example_reports

    paths = example_reports()
    assert [p.name[:3] for p in paths] == ["000", "001", "002", "003", "004"]
    assert all(p.parent == example_folder() for p in paths)
    linan = fazhi_nlp.process(paths[2])
    assert linan.title == "杭州市临安区科学技术局2022年度法治政府建设情况报告"
    assert len(linan.units) == 37  # printed twice on its page, kept once


def test_removal_records_point_into_the_source_text(seed_reports):
    for report in seed_reports.values():
        lines = report.source_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for removal in report.removed:
            source_line = lines[removal.line - 1]
            if removal.kind in ("artefact", "invisible"):
                assert all(c in source_line for c in removal.text)
            else:
                assert removal.text == source_line, (report.doc_id, removal)
    repeats = [r for r in seed_reports["002"].removed if r.stage == "dedup"]
    assert repeats and all(int(r.reason.split()[2]) < r.line for r in repeats)


def test_a_nul_character_is_text_or_a_clear_error_never_a_crash():
    report = fazhi_nlp.process("/\x00")  # cannot be a file name: read as text
    assert report.source is None
    with pytest.raises(InputError, match="is not a file name"):
        fazhi_nlp.process("reports/a\x00.txt", input="filename")
