"""`make build`: the wheel holds the package and nothing else, the sdist rebuilds it, and Requires-Dist is
exactly what the generated code imports."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pipeline.project import GENERATED_DIR, PYPROJECT, ROOT
from pipeline.releasing.dist import (
    Artifacts,
    DistError,
    build,
    dependency_problems,
    find_artifacts,
    package_files,
    requirement_range_problems,
    sdist_problems,
    wheel_metadata,
    wheel_problems,
)
from pipeline.releasing.version import client_version


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    return build(tmp_path_factory.mktemp("build") / "dist")


def zip_contents(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_build_makes_one_wheel_and_one_sdist_of_the_current_version(built: Artifacts) -> None:
    version = client_version()
    assert built.version == version
    assert built.wheel.name == f"hilos_client-{version}-py3-none-any.whl"
    assert built.sdist.name == f"hilos_client-{version}.tar.gz"


def test_wheel_holds_only_the_package_with_py_typed_and_its_metadata(built: Artifacts) -> None:
    names = set(zip_contents(built.wheel))
    dist_info = f"hilos_client-{built.version}.dist-info/"
    assert {n for n in names if not n.startswith(dist_info)} == package_files()
    assert "hilos_client/py.typed" in names
    assert {n.removeprefix(dist_info) for n in names if n.startswith(dist_info)} == {
        "METADATA",
        "WHEEL",
        "RECORD",
        "entry_points.txt",
    }
    assert not [n for n in names if n.split("/")[0] in {"tests", "pipeline", "patches", "generated"}]


def test_sdist_holds_exactly_what_rebuilding_the_wheel_needs(built: Artifacts) -> None:
    assert sdist_problems(built.sdist, built.version) == []
    with tarfile.open(built.sdist) as archive:
        names = {member.name.split("/", 1)[1] for member in archive.getmembers() if member.isfile()}
    assert "pipeline/releasing/version.py" in names and "generated/openapi.patched.json" in names
    assert not [n for n in names if n.startswith(("tests/", "patches/", "pipeline/generating"))]


def test_wheel_rebuilt_from_the_sdist_equals_the_wheel_built_from_the_tree(built: Artifacts, tmp_path: Path) -> None:
    # `python -m build` made built.wheel from the unpacked sdist; build one straight from the tree to compare.
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (from_tree,) = tmp_path.glob("*.whl")
    assert zip_contents(from_tree) == zip_contents(built.wheel)


def test_requires_dist_is_exactly_pyprojects_dependencies_and_what_the_code_imports(built: Artifacts) -> None:
    requires_dist = wheel_metadata(built.wheel).get_all("Requires-Dist") or []
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    # Unconditional requirements are pyproject's dependencies; those of an extra (`hilos-client[redis]`), its extras.
    required = [Requirement(r) for r in requires_dist]
    requires = {canonicalize_name(r.name) for r in required if r.marker is None or "extra" not in str(r.marker)}
    assert requires == {canonicalize_name(Requirement(d).name) for d in project["dependencies"]}
    extras = {canonicalize_name(r.name) for r in required if r.marker is not None and "extra" in str(r.marker)}
    optional = project.get("optional-dependencies", {}).values()
    assert extras == {canonicalize_name(Requirement(d).name) for group in optional for d in group}
    assert dependency_problems(ROOT / GENERATED_DIR, PYPROJECT) == []
    assert requirement_range_problems(requires_dist) == []


def project_with_dependencies(tmp_path: Path, dependencies: list[str], code: str) -> Path:
    """A pyproject.toml declaring `dependencies` beside a package `pkg` holding `code`; returns the pyproject."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "m.py").write_text(code)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f'[project]\nname = "x"\nversion = "0"\ndependencies = {dependencies!r}\n'.replace("'", '"'))
    return pyproject


def test_dependency_check_skips_stdlib_relative_self_and_type_checking_only_imports(tmp_path: Path) -> None:
    pyproject = project_with_dependencies(
        tmp_path,
        ["httpx", "attrs", "jsonschema"],
        "from __future__ import annotations\nimport json, os.path\nfrom typing import TYPE_CHECKING\n"
        "from . import sibling\nfrom pkg.m import UNSET\nimport httpx.\\\n    _client\n"
        # deptry skips the whole `if TYPE_CHECKING:` statement, an `else:` too: generated/ has no such `else:`.
        "if TYPE_CHECKING:\n    import yaml\nimport attrs\n"
        "def later():\n    from jsonschema import validate\n",
    )
    assert dependency_problems(tmp_path, pyproject) == []


def test_dependency_check_names_a_missing_and_an_unused_dependency(tmp_path: Path) -> None:
    pyproject = project_with_dependencies(tmp_path, ["httpx>=0.23", "attrs>=22.2.0"], "import httpx\nimport yaml\n")
    assert dependency_problems(tmp_path, pyproject) == [
        "deptry DEP002: 'attrs' defined as a dependency but not used in the codebase: "
        "drop it from pyproject.toml dependencies, or say in [tool.deptry] why it stays",
        # PyYAML is installed here (a tool's dependency), so deptry calls it transitive rather than missing.
        "deptry DEP003: 'yaml' imported but it is a transitive dependency (pkg/m.py:2): "
        "add it to pyproject.toml dependencies",
    ]


def test_dependency_check_refuses_a_range_that_excludes_the_tested_version() -> None:
    (problem,) = requirement_range_problems(["httpx<0.1"])
    assert problem.startswith("Requires-Dist httpx<0.1 excludes httpx ")


def test_dependency_check_refuses_an_import_nothing_installed_provides(tmp_path: Path) -> None:
    pyproject = project_with_dependencies(tmp_path, [], "import no_such_module_anywhere\n")
    assert dependency_problems(tmp_path, pyproject) == [
        "deptry DEP001: 'no_such_module_anywhere' imported but missing from the dependency definitions "
        "(pkg/m.py:1): add it to pyproject.toml dependencies"
    ]


def rewrite_wheel(source: Path, target: Path, *, add: dict[str, bytes], drop: set[str]) -> Path:
    """`source` with files added and dropped, its RECORD rewritten to match, as a build backend would."""
    with zipfile.ZipFile(source) as old:
        files = {name: old.read(name) for name in old.namelist() if name not in drop}
    (record,) = [name for name in files if name.endswith(".dist-info/RECORD")]
    files.update(add)
    rows = [
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for name, data in files.items()
        if name != record
    ]
    files[record] = "\n".join([*rows, f"{record},,"]).encode() + b"\n"
    with zipfile.ZipFile(target, "w") as new:
        for name, data in files.items():
            new.writestr(name, data)
    return target


def test_wheel_check_flags_tests_shipped_and_py_typed_missing(built: Artifacts, tmp_path: Path) -> None:
    bad = rewrite_wheel(
        built.wheel,
        tmp_path / built.wheel.name,
        add={"tests/test_client.py": b"", "hilos_client/fixtures/page.json": b"{}"},
        drop={"hilos_client/py.typed"},
    )
    assert wheel_problems(bad, built.version) == [
        "check-wheel-contents W005: Wheel contains common toplevel name in library: tests/",
        "check-wheel-contents W101: Wheel library is missing files in package tree: hilos_client/py.typed",
        "check-wheel-contents W102: Wheel library contains files not in package tree: "
        "hilos_client/fixtures/page.json, tests/test_client.py",
        "check-wheel-contents W202: Wheel library has undeclared toplevel entry: tests/",
    ]


def test_wheel_check_flags_files_outside_record_and_data_directories(built: Artifacts, tmp_path: Path) -> None:
    data = f"hilos_client-{built.version}.data/scripts/hilos"
    bad = rewrite_wheel(built.wheel, tmp_path / built.wheel.name, add={data: b"#!python\n"}, drop=set())
    with zipfile.ZipFile(bad, "a") as archive:
        archive.writestr("hilos_client/unrecorded.py", b"")
    assert wheel_problems(bad, built.version) == [
        "wheel holds hilos_client/unrecorded.py, which its RECORD does not list",
        f"wheel holds {data}, but hilos_client ships no .data/ (scripts, headers, data)",
    ]


def test_wheel_installs_the_hilos_client_command(built: Artifacts) -> None:
    entry_points = zip_contents(built.wheel)[f"hilos_client-{built.version}.dist-info/entry_points.txt"].decode()
    assert "[console_scripts]\nhilos-client = hilos_client.cli:main" in entry_points
    assert wheel_problems(built.wheel, built.version) == []


def test_wheel_check_flags_a_console_script_that_differs_from_pyproject(built: Artifacts, tmp_path: Path) -> None:
    entry_points = f"hilos_client-{built.version}.dist-info/entry_points.txt"
    bad = rewrite_wheel(
        built.wheel,
        tmp_path / built.wheel.name,
        add={entry_points: b"[console_scripts]\nhilos-client = hilos_client.cli:run\nhilos = hilos_client.gone:main\n"},
        drop={entry_points},
    )
    assert wheel_problems(bad, built.version) == [
        "wheel's console script hilos-client is 'hilos_client.cli:run', not 'hilos_client.cli:main' as pyproject.toml says",
        "wheel installs console script hilos, which pyproject.toml does not declare",
    ]


def test_sdist_check_flags_extra_and_missing_files(built: Artifacts, tmp_path: Path) -> None:
    top = f"hilos_client-{built.version}/"
    bad = tmp_path / built.sdist.name
    extra = tmp_path / "conftest.py"
    extra.write_text("")
    with tarfile.open(built.sdist) as old, tarfile.open(bad, "w:gz") as new:
        for member in old.getmembers():
            if member.name != f"{top}pipeline/releasing/version.py":
                new.addfile(member, old.extractfile(member) if member.isfile() else None)
        new.add(extra, f"{top}tests/conftest.py")
    assert sdist_problems(bad, built.version) == [
        "sdist lacks pipeline/releasing/version.py, which rebuilding the wheel needs",
        "sdist holds tests/conftest.py, which rebuilding the wheel does not need",
    ]


def test_find_artifacts_refuses_leftovers_of_another_build(built: Artifacts, tmp_path: Path) -> None:
    for path in built.files:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "hilos_client-0.9.0.0-py3-none-any.whl").write_bytes(b"")
    with pytest.raises(DistError, match="must hold one wheel and one sdist; it holds hilos_client-0.9.0.0"):
        find_artifacts(tmp_path)
