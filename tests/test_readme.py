"""The README's two commands are the ones CI runs, from a bare clone."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Two commands")[1]
    return re.findall(r"```bash\n(.+?)\n```", section.split("\n## ")[0])


def test_ci_runs_the_readmes_two_commands_as_written():
    commands = _readme_commands()
    assert len(commands) == 2
    ci = ROOT.joinpath(".ci", "run").read_text(encoding="utf-8").splitlines()
    assert all(command in ci for command in commands)
    assert "fazhi-nlp classify --examples" in commands[0] and "pytest" in commands[1]


def test_nothing_needs_a_folder_beside_the_repository():
    for path in [*ROOT.glob("fazhi_nlp/*.py"), *ROOT.glob("tests/*.py"), *ROOT.glob("benchmarks/*.py"),
                 *ROOT.glob("models/*.py"), *ROOT.glob("notebooks/*.ipynb"), ROOT / "README.md"]:
        if path.name == "test_readme.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and 'parents[2] / "shared"' not in text, path
