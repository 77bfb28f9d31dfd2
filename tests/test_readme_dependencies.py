"""The README's dependency list is pyproject.toml's: the same packages with the same bounds and markers, for
the package and for each extra, so that whoever mirrors them on an internal index mirrors the right ones."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PYPROJECT = ROOT / "pyproject.toml"


def section(markdown: str, heading: str) -> list[str]:
    lines = markdown.splitlines()
    start = lines.index(f"## {heading}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


def readme_requirements() -> dict[str | None, set[str]]:
    """The requirements each list of the README's Installation section names, by extra (None: the package's
    own): a bullet that starts with a requirement in backticks, under the paragraph that names its extra."""
    found: dict[str | None, set[str]] = {}
    extra: str | None = None
    for line in section(README.read_text(encoding="utf-8"), "Installation"):
        bullet = re.match(r"- `([^`]+)`", line)
        if bullet:
            found.setdefault(extra, set()).add(str(Requirement(bullet.group(1))))
        elif named := re.match(r"The `([\w-]+)` extra", line):
            extra = named.group(1)
    return found


def pyproject_requirements() -> dict[str | None, set[str]]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    found: dict[str | None, set[str]] = {None: {str(Requirement(r)) for r in project["dependencies"]}}
    for extra, requirements in project.get("optional-dependencies", {}).items():
        found[extra] = {str(Requirement(r)) for r in requirements}
    return found


def test_the_readme_lists_pyprojects_dependencies_with_their_bounds_and_markers() -> None:
    assert readme_requirements() == pyproject_requirements()


def test_every_compiled_dependency_says_so_where_it_is_listed() -> None:
    compiled = {"msgspec"}  # the dependencies without a pure-Python wheel
    for line in section(README.read_text(encoding="utf-8"), "Installation"):
        bullet = re.match(r"- `([^`]+)`", line)
        if bullet and Requirement(bullet.group(1)).name in compiled:
            assert "compiled" in line
