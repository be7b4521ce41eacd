"""The labelling loop: pick the units the model is least sure about, export them, read them back."""
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


def _jaccard(a: str, b: str) -> float:
    from fazhi_nlp.patterns import bigrams, paragraph_key, similarity

    return similarity(bigrams(paragraph_key(a)), bigrams(paragraph_key(b)))



def test_suggestions_are_unsure_varied_and_round_trip_through_a_csv(seeds, tmp_path):
    picked = suggest_for_labelling(seeds.units, n=20)
    assert len(picked) == 20
    assert picked["label"].nunique() >= 5 and picked["doc_id"].nunique() >= 3
    texts = picked["text"].tolist()
    assert all(_jaccard(a, b) < 0.6 for i, a in enumerate(texts) for b in texts[i + 1:])
    margin = seeds.units["probability"] - seeds.units["runner_up_probability"]
    assert picked["margin"].median() < margin.median()
    assert not set(texts) & set(suggest_for_labelling(seeds, n=10, exclude=texts)["text"])

    path = export_for_labelling(picked, tmp_path / "to_label.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back.columns) == ["text", "label", "doc_id", "unit_id", "heading", "section",
                                  "kind", "probability", "runner_up"]
    labels = load_labels(path).frame
    assert labels["text"].tolist() == texts
    assert labels["label"].tolist() == picked["label"].tolist()
    assert labels["unit_id"].tolist() == picked["unit_index"].tolist()
    with pytest.raises(InputError, match=".csv"):
        export_for_labelling(picked, tmp_path / "to_label.xlsx")
