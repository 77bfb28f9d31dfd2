"""The package version is `<spec info.version>.<client revision>`, each fact kept in one place."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hatchling.metadata.core import ProjectMetadata
from hatchling.plugin.manager import PluginManager
from packaging.version import Version

from pipeline import project
from pipeline.project import DIST_NAME, PATCHED_SPEC_FILE, ROOT
from pipeline.releasing import version as version_script
from pipeline.releasing.publish import require_changelog_entry
from pipeline.releasing.version import VersionError, client_version, compose_version


def spec(version: Any) -> dict[str, object]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": version}}


def pyproject(revision: Any) -> dict[str, object]:
    return {"tool": {"hilos-client": {"client-revision": revision}}}


@pytest.mark.parametrize(
    ("spec_version", "revision", "expected"),
    [("1.0.0", 0, "1.0.0.0"), ("1.0.0", 12, "1.0.0.12"), ("2.1", 3, "2.1.0.3"), ("3", 0, "3.0.0.0")],
)
def test_version_is_spec_version_padded_to_three_parts_then_revision(
    spec_version: str, revision: int, expected: str
) -> None:
    version = compose_version(spec(spec_version), pyproject(revision))
    assert version == expected
    assert str(Version(version)) == expected  # already in PEP 440 normal form


@pytest.mark.parametrize("bad", ["v1.0.0", "1.0.0-beta", "1.2.3.4", "01.0.0", "2024-05-01", "", None, 1])
def test_spec_version_that_cannot_lead_a_pep440_release_is_refused(bad: Any) -> None:
    with pytest.raises(VersionError, match=r"the spec's info.version is .*MAJOR\[\.MINOR\[\.PATCH\]\]"):
        compose_version(spec(bad), pyproject(0))


def test_spec_without_info_is_refused() -> None:
    with pytest.raises(VersionError, match="info.version is None"):
        compose_version({"openapi": "3.0.3"}, pyproject(0))


@pytest.mark.parametrize("bad", [-1, True, "1", 1.0, None])
def test_client_revision_must_be_a_non_negative_integer(bad: Any) -> None:
    with pytest.raises(VersionError, match=r"\[tool.hilos-client\] client-revision is .*integer >= 0"):
        compose_version(spec("1.0.0"), pyproject(bad))


def test_missing_revision_table_is_refused() -> None:
    with pytest.raises(VersionError, match="client-revision is None"):
        compose_version(spec("1.0.0"), {"project": {}})


def test_current_version_starts_with_the_patched_specs_info_version() -> None:
    patched = json.loads((ROOT / PATCHED_SPEC_FILE).read_text(encoding="utf-8"))
    assert client_version().startswith(patched["info"]["version"] + ".")


def test_changelog_has_an_entry_for_the_current_version() -> None:
    require_changelog_entry(ROOT, client_version())


def test_hatchling_takes_the_version_from_the_spec_and_the_revision(tmp_path: Path) -> None:
    for name in ("pyproject.toml", "README.md", "pipeline/releasing/version.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / PATCHED_SPEC_FILE).parent.mkdir()
    (tmp_path / PATCHED_SPEC_FILE).write_text(json.dumps(spec("2.3.1")), encoding="utf-8")
    toml = tmp_path / "pyproject.toml"
    toml.write_text(re.sub(r"client-revision = \d+", "client-revision = 7", toml.read_text(encoding="utf-8")))
    assert ProjectMetadata(str(tmp_path), PluginManager()).version == "2.3.1.7"


def test_version_script_repeats_the_project_facts_it_cannot_import() -> None:
    assert version_script.ROOT == project.ROOT
    assert version_script.PATCHED_SPEC == project.PATCHED_SPEC_FILE
    assert version_script.PYPROJECT == project.PYPROJECT.relative_to(project.ROOT)
    assert version_script.REVISION_TABLE == DIST_NAME
