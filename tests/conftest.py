"""Shared fixtures: the five real seed reports shipped with the package as examples."""
from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_nlp.examples import example_folder

SEEDS_DIR = example_folder()
SEED_IDS = ("000", "001", "002", "003", "004")
#: Test data kept in the repository (real report pages, table-driven cases).
DATA_DIR = Path(__file__).resolve().parent / "data"


def seed_path(prefix: str) -> Path:
    """The seed report whose file name starts with ``prefix``."""
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="session")
def seed_reports():
    """Each seed processed once: {"000": Report, ...}."""
    import fazhi_nlp

    return {prefix: fazhi_nlp.process(seed_path(prefix)) for prefix in SEED_IDS}


@pytest.fixture(scope="session")
def labels():
    """The labels shipped with the package."""
    from fazhi_nlp.labels import shipped_labels

    return shipped_labels()


@pytest.fixture(scope="session")
def frame(labels):
    return labels.frame


@pytest.fixture(scope="session")
def model(labels):
    """A model trained on the shipped labels with the default parameters."""
    from fazhi_nlp.training import train

    return train(labels)


@pytest.fixture(scope="session")
def seeds():
    """The example reports classified as a corpus by the shipped model."""
    from fazhi_nlp.corpus import classify_corpus

    return classify_corpus(SEEDS_DIR, progress=False)
