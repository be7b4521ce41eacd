"""Profiles: label shares per report, per section and per group, and their plots."""
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


def test_profile_shares_sum_to_one_per_report_and_per_section(seeds):
    prof = profile(seeds)
    assert list(prof.shares.columns) == list(LABEL_NAMES)
    assert list(prof.shares.index) == list(seeds.reports["doc_id"])
    assert prof.shares.sum(axis=1).round(9).eq(1).all()
    assert prof.by_section.sum(axis=1).round(9).eq(1).all()
    assert {"achievements", "problems", "plans"} <= set(prof.by_section.index.get_level_values(1))
    counted = seeds.units["kind"].isin(["sentence", "clause"]).sum()
    assert prof.counts.to_numpy().sum() == counted  # headings are left out
    assert list(prof.by_year.index) == sorted(seeds.reports["year"].unique())
    assert prof.by_year.sum(axis=1).round(9).eq(1).all()
    assert len(prof.by_agency) == seeds.reports["agency"].nunique()
    by_chars = profile(seeds, weight="chars", kinds=None)
    assert by_chars.shares.sum(axis=1).round(9).eq(1).all()
    assert by_chars.counts.to_numpy().sum() == len(seeds.units)


def test_profile_keeps_corpus_order_of_reports_and_sections():
    n = 500
    ids = [f"r{i:06d}" for i in range(n)][::-1]
    units = pd.DataFrame({"doc_id": ids * 2, "section": ["plans"] * n + ["achievements"] * n,
                          "kind": "sentence", "label": ["general"] * n + ["publicity"] * n})
    prof = profile(units)
    assert list(prof.shares.index) == ids
    assert prof.by_section.index[:2].tolist() == [(ids[0], "achievements"), (ids[0], "plans")]


def test_profile_by_units_and_by_characters():
    units = pd.DataFrame({"doc_id": "a", "text": ["普法。", "办理行政复议案件三件。"],
                          "label": ["publicity", "disputes"]})
    assert profile(units).shares.loc["a", ["publicity", "disputes"]].tolist() == [0.5, 0.5]
    by_chars = profile(units, weight="chars").shares.loc["a", ["publicity", "disputes"]]
    assert by_chars.round(2).tolist() == [0.17, 0.83]  # 2 and 10 characters, punctuation aside


def test_profile_leaves_reposted_copies_out_of_group_comparisons(seeds):
    first = seeds.units[seeds.units["doc_id"] == seed_path("000").stem]
    copy = first.assign(doc_id="copy", duplicate_of=first["doc_id"].iloc[0])
    prof = profile(pd.concat([seeds.units, copy], ignore_index=True))
    assert "copy" not in prof.shares.index
    counted = int(first["kind"].isin(["sentence", "clause"]).sum())
    assert prof.reposts.to_dict("index") == {"copy": {"duplicate_of": first["doc_id"].iloc[0],
                                                      "n_units": counted}}
    assert prof.set_aside == f"set aside 1 reposted report ({counted} units): copy (repeats {first['doc_id'].iloc[0]})"
    assert profile(seeds).set_aside == "" and len(profile(seeds).reposts) == 0
    with pytest.raises(InputError, match="province"):
        profile(seeds, by="province")


def test_plots_are_written_as_png_with_readable_label_names(seeds, tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import fazhi_nlp.plot as plot

    prof = profile(seeds)
    ax = plot_profile(prof, path=tmp_path / "heatmap.png")
    names = [t.get_text() for t in ax.get_xticklabels()]
    chinese = plot.cjk_font() is not None
    assert names == [label.zh if chinese else label.name for label in LABELS]
    plot_profile(prof, kind="bars", path=tmp_path / "bars.png")
    plot_profile(prof.by_year, path=tmp_path / "years.png")
    for name in ("heatmap.png", "bars.png", "years.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setattr(plot, "cjk_font", lambda: None)  # a machine without a Chinese font
    ax = plot_profile(prof)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(LABEL_NAMES)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(prof.shares.index)
    plt.close("all")


def test_profile_of_a_folder_says_which_reposts_it_set_aside(tmp_path, capsys):
    from fazhi_nlp.cli import main

    shutil.copy(seed_path("004"), tmp_path / "yiyuan.txt")
    (tmp_path / "yiyuan_repost.txt").write_text("转载自沂源县人民政府网站\n" + seed_path("004").read_text("utf-8"),
                                         encoding="utf-8")
    result = classify_corpus(tmp_path, progress=False)
    prof = profile(result)
    assert list(prof.shares.index) == ["yiyuan"]
    assert prof.reposts.index.tolist() == ["yiyuan_repost"] and prof.reposts["n_units"].iloc[0] > 0
    assert main(["profile", str(tmp_path), "-o", str(tmp_path / "shares.csv")]) == 0
    out = capsys.readouterr().out
    assert f"set aside 1 reposted report ({prof.reposts['n_units'].iloc[0]} units): yiyuan_repost (repeats yiyuan)" in out
