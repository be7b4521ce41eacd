"""Example reports shipped with the package: five published rule-of-law reports of
science-and-technology bureaus, as their pages were saved (furniture included; report 002
is printed twice on its page, 004 has full-width punctuation and a Word artefact).

They are installed with the package, so a bare install can try everything on real text.

Examples
--------
>>> [p.name[:3] for p in example_reports()]
['000', '001', '002', '003', '004']
>>> example_reports()[0].exists()
True
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["example_folder", "example_reports"]


def example_folder() -> Path:
    """The folder that holds the example reports (inside the installed package)."""
    return Path(str(resources.files("fazhi_nlp").joinpath("data", "examples")))


def example_reports() -> list[Path]:
    """Paths of the example reports, sorted by name."""
    return sorted(example_folder().glob("*.txt"))
