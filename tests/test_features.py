"""What the classifier reads: items split into texts and headings and prepared as the three
columns its feature blocks see, the same for the estimator and the numpy scorer."""
from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_nlp.classifier import DEFAULT_PARAMS, Classifier
from fazhi_nlp.errors import InputError
from fazhi_nlp.features import (BLOCKS, PARAM_DEFAULTS, char_text, prepare_columns,
                                texts_and_headings, word_text)
from fazhi_nlp.types import Unit


def test_the_parameter_defaults_are_the_classifiers():
    assert PARAM_DEFAULTS == DEFAULT_PARAMS == Classifier().get_params()


def test_items_of_every_kind_give_texts_and_headings():
    unit = Unit(text="全年办理行政复议案件12件。", kind="sentence", heading_path=("（五）化解纠纷",),
                section="achievements", paragraph=0, start=0, end=14, index=0)
    texts, headings = texts_and_headings(["特此报告。", {"text": "开展普法宣传", "heading": None}, unit])
    assert texts == ["特此报告。", "开展普法宣传", "全年办理行政复议案件12件。"]
    assert headings == ["", "", "（五）化解纠纷"]
    with pytest.raises(InputError, match="wrap it in a list"):
        texts_and_headings("特此报告。")
    with pytest.raises(InputError, match=r"item 1 has no 'text' key \(keys: \['heading'\]\)"):
        texts_and_headings(["特此报告。", {"heading": "一、"}])


def test_prepared_columns_hold_what_each_block_reads():
    items = [{"text": "严格落实行政执法　三项制度，全年１２件。", "heading": "（三）推进严格规范公正文明执法"}]
    columns = prepare_columns(items, words=True, heading=True)
    assert columns.shape == (1, 3) and columns.dtype == object
    assert columns[0, BLOCKS["char"]] == "严格落实行政执法三项制度,全年12件。" == char_text(items[0]["text"])
    assert columns[0, BLOCKS["word"]] == word_text(items[0]["text"])
    assert "三项制度" in columns[0, BLOCKS["word"]].split() and "," not in columns[0, BLOCKS["word"]]
    assert columns[0, BLOCKS["heading"]] == word_text(items[0]["heading"])
    # a model without word or heading blocks needs no segmentation
    assert prepare_columns(items, words=False, heading=False)[0].tolist() == \
        ["", char_text(items[0]["text"]), ""]


def test_the_classifier_prepares_items_as_features_does(model, frame):
    rows = frame.head(30)
    columns = prepare_columns(rows, words=False, heading=False)
    # rows of one report (doc_id) lean on their neighbours, whichever form they come in
    np.testing.assert_array_equal(model.predict_proba(rows), model.predict_proba(
        [{"text": t, "heading": h, "doc_id": d}
         for t, h, d in zip(rows["text"], rows["heading"], rows["doc_id"])]))
    # without a report, each row is scored alone, as the scikit-learn pipeline scores it
    alone = rows.drop(columns="doc_id")
    assert model.predict(alone).tolist() == model.pipeline_.predict(columns).tolist()


def reference_char_text(text: str) -> str:
    """char_text as first written: NFKC of the whole text, whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# report text in full-width and half-width forms, compatibility characters, combining marks
REPORT_CHARS = st.sampled_from(list("全年办理１２件，。：（）ＡＢｃ％．　 \t①㈠ⅡＫ™ﬁ\u0301\u3099か") + ["12", "法治", "ｋ"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(REPORT_CHARS).map("".join), st.text(max_size=40)))
def test_the_fast_char_text_equals_nfkc_of_the_whole_text(text):
    assert char_text(text) == reference_char_text(text)


def test_char_text_of_every_example_and_dev_unit_equals_the_reference(seed_reports):
    from tests.conftest import DATA_DIR
    import fazhi_nlp

    pages = sorted((DATA_DIR / "dev" / "reports").glob("*.txt"))
    units = [u for r in seed_reports.values() for u in r.units]
    units += [u for p in pages for u in fazhi_nlp.process(p).units]
    assert len(units) > 1000
    assert all(char_text(u.text) == reference_char_text(u.text) for u in units)
