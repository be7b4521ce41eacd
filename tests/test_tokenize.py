"""Word segmentation: the shipped user dictionary keeps rule-of-law terms whole."""
from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from fazhi_nlp.tokenize import tokenize, userdict_words


@pytest.mark.parametrize("term", userdict_words())
def test_every_user_dictionary_term_is_one_word(term):
    assert tokenize(term) == [term]


def test_terms_stay_whole_inside_sentences():
    words = tokenize("我局坚持谁执法谁普法，落实双随机一公开和重大执法决定法制审核，推进互联网+监管。")
    for term in ("谁执法谁普法", "双随机一公开", "重大执法决定法制审核", "互联网+监管"):
        assert term in words


def test_whitespace_is_dropped_and_text_is_kept():
    text = "  开展 宪法宣传日\n活动。"
    words = tokenize(text)
    assert "".join(words) == "".join(text.split())
    assert not any(w.isspace() for w in words)
    assert tokenize("") == []


def test_non_text_is_refused():
    with pytest.raises(TypeError, match="needs a str, got bytes"):
        tokenize("普法".encode())


def test_threads_share_one_tokenizer():
    results = []
    threads = [threading.Thread(target=lambda: results.append(tokenize("落实三项制度")))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [["落实", "三项制度"]] * 4


def test_building_the_tokenizer_prints_nothing_and_leaves_logging_alone():
    code = ("import logging; from fazhi_nlp.tokenize import tokenize; tokenize('普法'); "
            "print(logging.getLogger().handlers)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr == ""
    assert out.stdout.strip() == "[]"  # no handler was added to the root logger
