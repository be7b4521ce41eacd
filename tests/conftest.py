"""Shared fixtures: the five real seed reports, read from ../shared beside the repository."""
from __future__ import annotations

from pathlib import Path

import pytest

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
SEED_IDS = ("000", "001", "002", "003", "004")


def seed_path(prefix: str) -> Path:
    """The seed report whose file name starts with ``prefix``."""
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="session")
def seed_reports():
    """Each seed processed once: {"000": Report, ...}."""
    import fazhi_nlp

    return {prefix: fazhi_nlp.process(seed_path(prefix)) for prefix in SEED_IDS}
