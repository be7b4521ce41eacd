"""The shipped labelled data: agrees with the segmenter, covers every seed unit, holds no reserved
report, and its second labelling pass agrees with the first."""
from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import pytest

import fazhi_nlp
from tests import reserved
from tests.conftest import DATA_DIR


def rows(name):
    text = resources.files("fazhi_nlp").joinpath("data", name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed_rows():
    return rows("seed_labels.jsonl")


def test_every_seed_unit_in_the_data_is_a_unit_of_its_report(seed_rows, seed_reports):
    by_doc = {report.doc_id: report for report in seed_reports.values()}
    for row in seed_rows:
        unit = by_doc[row["doc_id"]].units[row["unit_id"]]
        assert (unit.text, unit.kind, unit.section, unit.heading) == \
            (row["text"], row["kind"], row["section"], row["heading"])


def test_every_body_unit_of_every_seed_is_labelled_once(seed_rows, seed_reports):
    labelled = Counter((row["doc_id"], row["unit_id"]) for row in seed_rows)
    expected = {(r.doc_id, u.index) for r in seed_reports.values() for u in r.units}
    assert set(labelled) == expected
    assert max(labelled.values()) == 1


def test_all_labels_are_codebook_labels_and_sources_are_marked(seed_rows):
    authored = rows("authored_labels.jsonl")
    assert {r["label"] for r in seed_rows + authored} <= set(fazhi_nlp.LABEL_NAMES)
    assert {r["source"] for r in seed_rows} == {"seed"}
    assert {r["source"] for r in authored} == {"authored"}


def test_every_label_has_at_least_25_examples(seed_rows):
    counts = Counter(r["label"] for r in seed_rows + rows("authored_labels.jsonl"))
    assert {label: counts[label] for label in fazhi_nlp.LABEL_NAMES if counts[label] < 25} == {}


def test_second_labelling_pass_agrees_with_the_shipped_labels(seed_rows):
    from sklearn.metrics import cohen_kappa_score

    shipped = {(r["doc_id"], r["unit_id"]): r["label"] for r in seed_rows}
    second = rows("second_pass.jsonl")
    first = [shipped[(r["doc_id"], r["unit_id"])] for r in second]
    labels = [r["label"] for r in second]
    assert len(second) == 130
    assert sum(a == b for a, b in zip(first, labels)) == 127  # the figures the data README states
    assert round(cohen_kappa_score(first, labels), 3) == 0.974


# --------------------------------------------------------------------------- real reports


def real_pages():
    """(folder, doc id, URL, page text) of every real page kept in tests/data."""
    pages = []
    for folder in ("dev", "collected"):
        for path in sorted((DATA_DIR / folder / "reports").glob("*.txt")):
            header, _, text = path.read_text(encoding="utf-8").partition("\n\n")
            assert header.startswith("URL: "), path
            pages.append((folder, path.stem, header[len("URL: "):].strip(), text))
    return pages


def test_no_label_file_or_page_holds_a_reserved_report():
    label_files = sorted(resources.files("fazhi_nlp").joinpath("data").iterdir(), key=str)
    label_files = [f for f in label_files if str(f).endswith(".jsonl")]
    assert {"seed_labels.jsonl", "real_labels.jsonl", "authored_labels.jsonl"} <= {
        f.name for f in label_files}
    for f in label_files:
        data = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        texts = [r.get("text", "") for r in data]
        assert reserved.hits(texts, [r.get("url", "") for r in data]) == [], f.name
    for folder in ("dev", "collected"):
        data = rows_of(DATA_DIR / folder / "units.jsonl")
        assert reserved.hits([r["text"] for r in data]) == [], folder
    pages = real_pages()
    assert reserved.hits([p[3] for p in pages], [p[2] for p in pages]) == []


def test_the_reserved_check_finds_a_reserved_sentence_or_address():
    sentence = "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。"
    listed = frozenset({next(iter(reserved.fingerprints(sentence))),
                        reserved.url_fingerprint("https://www.example.gov.cn/a.html")})
    page = "全年办结行政复议案件4件。\n" + sentence.replace("、", "、 ") + "特此报告。"
    assert reserved.hits([page, "特此报告。"], fingerprint_list=listed) == [(0, "text")]
    assert reserved.hits([], ["http://WWW.example.gov.cn/a.html/"], fingerprint_list=listed) == [(0, "url")]
    assert len(reserved.reserved()) > 100


def rows_of(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_real_unit_is_a_unit_of_its_page_and_says_where_it_comes_from():
    by_doc = {}
    for row in rows("real_labels.jsonl"):
        by_doc.setdefault(row["doc_id"], []).append(row)
    pages = {doc: (url, text) for _, doc, url, text in real_pages()}
    assert set(by_doc) <= set(pages) and len(by_doc) >= 170
    for doc, doc_rows in by_doc.items():
        url, text = pages[doc]
        report = fazhi_nlp.process(text, input="content")
        for row in doc_rows:
            unit = report.units[row["unit_id"]]
            assert (unit.text, unit.kind, unit.section) == (row["text"], row["kind"], row["section"]), \
                f"{doc} unit {row['unit_id']}: rerun python models/real_labels.py"
            assert row["url"] == url and row["source"] == "real"
            assert row["agency"] and row["agency_kind"] and row["kind_group"] and row["year"]


def test_second_pass_over_collected_reports_agrees_with_the_first():
    from sklearn.metrics import cohen_kappa_score

    first = {r["uid"]: r["label"] for r in rows_of(DATA_DIR / "collected" / "units.jsonl")}
    second = rows_of(DATA_DIR / "collected" / "second_pass.jsonl")
    n_units = len(first)
    assert len(second) >= n_units / 5  # an independent second pass over at least a fifth
    a = [first[r["uid"]] for r in second]
    b = [r["label"] for r in second]
    assert round(cohen_kappa_score(a, b), 3) >= 0.9
