"""Build the wheel and sdist, then prove they hold what users need and nothing else.

    python -m pipeline.releasing.dist OUT_DIR        (`make build`: OUT_DIR is dist/)

Builds with `python -m build --no-isolation` (the sdist first, then the wheel from the unpacked sdist, so
the sdist is proven to rebuild the wheel), runs `twine check --strict`, then refuses the result unless:
- check-wheel-contents ([tool.check-wheel-contents] in pyproject.toml) finds the wheel's library to be
  exactly generated/hilos_client, file for file, under the one top-level name hilos_client;
- the wheel's RECORD lists every file it holds, it has no .data/ and its .dist-info holds METADATA, WHEEL,
  RECORD and exactly pyproject's console scripts (what check-wheel-contents does not look at);
- the sdist holds exactly what rebuilding the wheel needs (SDIST_FILES plus the package);
- deptry ([tool.deptry]) finds generated/'s imports to be exactly pyproject's dependencies, and every
  Requires-Dist range admits the version the tests ran against;
- both carry the version pipeline/releasing/version.py gives for this tree.
"""

from __future__ import annotations

import argparse
import configparser
import csv
import email.parser
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename

from pipeline.project import DIST_NAME, GENERATED_DIR, PACKAGE, PACKAGE_DIR, PATCHED_SPEC_FILE, ROOT
from pipeline.releasing.version import client_version

# Beside the package itself, the sdist carries only what rebuilding the wheel reads.
SDIST_FILES = frozenset(
    {
        "PKG-INFO",
        "pyproject.toml",
        ".gitignore",
        "README.md",
        "CHANGELOG.md",
        "pipeline/releasing/version.py",
        PATCHED_SPEC_FILE.as_posix(),
    }
)
DIST_INFO_FILES = frozenset({"METADATA", "WHEEL", "RECORD"})


class DistError(Exception):
    """The build failed or produced artifacts that must not be published."""


@dataclass(frozen=True)
class Artifacts:
    wheel: Path
    sdist: Path
    version: str

    @property
    def files(self) -> list[Path]:
        return [self.sdist, self.wheel]


def package_files(root: Path = ROOT) -> set[str]:
    """The package's files as they appear in the wheel (`hilos_client/...`)."""
    package_dir = root / PACKAGE_DIR
    return {
        f"{PACKAGE}/{path.relative_to(package_dir).as_posix()}"
        for path in package_dir.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def wheel_metadata(wheel: Path) -> email.message.Message:
    _, version, _, _ = parse_wheel_filename(wheel.name)
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"{PACKAGE}-{version}.dist-info/METADATA").decode("utf-8")
    return email.parser.Parser().parsestr(text)


def _tool(name: str) -> str:
    """A console script installed beside this interpreter (the pinned tools in .venv)."""
    return str(Path(sys.executable).parent / name)


def wheel_contents_problems(wheel: Path, root: Path = ROOT) -> list[str]:
    """check-wheel-contents, configured in pyproject.toml: the library is exactly PACKAGE_DIR, file for file."""
    result = subprocess.run(
        [_tool("check-wheel-contents"), "--config", str(root / "pyproject.toml"), str(wheel)],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if result.returncode == 0:
        return []
    # It prints `<wheel>: W101: what is wrong:` then the files concerned, indented: one problem per finding.
    findings: list[tuple[str, list[str]]] = []
    for line in (result.stdout + result.stderr).splitlines():
        if line.startswith(f"{wheel}: ") or not findings:
            findings.append((line.removeprefix(f"{wheel}: ").rstrip(":"), []))
        elif line.strip():
            findings[-1][1].append(line.strip())
    return [
        f"check-wheel-contents {head}" + (f": {', '.join(files)}" if files else "") for head, files in findings
    ] or [f"check-wheel-contents exited {result.returncode} without saying why"]


def wheel_problems(wheel: Path, version: str, root: Path = ROOT) -> list[str]:
    dist_info = f"{PACKAGE}-{version}.dist-info/"
    problems = wheel_contents_problems(wheel, root)
    with zipfile.ZipFile(wheel) as archive:
        names = {name for name in archive.namelist() if not name.endswith("/")}
        record = archive.read(f"{dist_info}RECORD").decode("utf-8") if f"{dist_info}RECORD" in names else ""
    # Kept by hand: check-wheel-contents sees only what RECORD lists, and only the library, not .dist-info/.data.
    recorded = {row[0] for row in csv.reader(record.splitlines()) if row}
    problems += [f"wheel holds {name}, which its RECORD does not list" for name in sorted(names - recorded)]
    problems += [
        f"wheel holds {name}, but {PACKAGE} ships no .data/ (scripts, headers, data)"
        for name in sorted(names)
        if name.split("/")[0].endswith(".data")
    ]
    problems += [f"wheel lacks {dist_info}{name}" for name in sorted(DIST_INFO_FILES) if dist_info + name not in names]
    shipped = {name for name in names if name.startswith(f"{PACKAGE}/")}
    problems += script_problems(wheel, dist_info, shipped, root)
    if not problems:
        metadata = wheel_metadata(wheel)
        if metadata["Name"] != DIST_NAME or metadata["Version"] != version:
            problems.append(f"wheel metadata says {metadata['Name']} {metadata['Version']}, not {DIST_NAME} {version}")
        problems += requirement_range_problems(metadata.get_all("Requires-Dist") or [])
    return problems


def declared_scripts(root: Path = ROOT) -> dict[str, str]:
    """pyproject.toml's [project.scripts]: command name -> "module:function"."""
    with (root / "pyproject.toml").open("rb") as file:
        scripts: dict[str, str] = tomllib.load(file)["project"].get("scripts", {})
    return scripts


def script_problems(wheel: Path, dist_info: str, shipped: set[str], root: Path = ROOT) -> list[str]:
    """The wheel installs exactly pyproject's console scripts, each pointing into a module it ships."""
    # By hand: check-wheel-contents and twine check do not read entry_points.txt.
    declared = declared_scripts(root)
    with zipfile.ZipFile(wheel) as archive:
        try:
            text = archive.read(f"{dist_info}entry_points.txt").decode("utf-8")
        except KeyError:
            text = ""
    entry_points = configparser.ConfigParser(delimiters=("=",))
    entry_points.optionxform = str  # type: ignore[assignment,method-assign]  # command names keep their case
    entry_points.read_string(text)
    installed = dict(entry_points["console_scripts"]) if entry_points.has_section("console_scripts") else {}
    problems = [
        f"wheel's console script {name} is {installed.get(name)!r}, not {target!r} as pyproject.toml says"
        for name, target in sorted(declared.items())
        if installed.get(name) != target
    ]
    problems += [
        f"wheel installs console script {name}, which pyproject.toml does not declare"
        for name in sorted(installed.keys() - declared.keys())
    ]
    for name, target in sorted(declared.items()):
        module = target.partition(":")[0].replace(".", "/")
        if f"{module}.py" not in shipped and f"{module}/__init__.py" not in shipped:
            problems.append(f"console script {name} runs {target}, but the wheel has no module {module}")
    return problems


def sdist_problems(sdist: Path, version: str, root: Path = ROOT) -> list[str]:
    # By hand: check-wheel-contents reads wheels only, and check-manifest's rule (the sdist holds what git
    # tracks) is not ours: the sdist is a chosen subset of the tree.
    top = f"{PACKAGE}-{version}/"
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        names = {m.name.removeprefix(top) for m in members}
        outside = [m.name for m in members if not m.name.startswith(top)]
        pkg_info = archive.extractfile(f"{top}PKG-INFO")
        metadata = email.parser.Parser().parsestr(pkg_info.read().decode("utf-8")) if pkg_info else None
    expected = SDIST_FILES | {(GENERATED_DIR / name).as_posix() for name in package_files(root)}
    problems = [f"sdist holds {name} outside {top}" for name in outside]
    problems += [f"sdist lacks {name}, which rebuilding the wheel needs" for name in sorted(expected - names)]
    problems += [f"sdist holds {name}, which rebuilding the wheel does not need" for name in sorted(names - expected)]
    if metadata is not None and metadata["Version"] != version:
        problems.append(f"sdist PKG-INFO says version {metadata['Version']}, not {version}")
    return problems


# What to do about each deptry finding (missing, unused, only there through another dependency).
DEPENDENCY_FIXES = {
    "DEP001": "add it to pyproject.toml dependencies",
    "DEP002": "drop it from pyproject.toml dependencies, or say in [tool.deptry] why it stays",
    "DEP003": "add it to pyproject.toml dependencies",
}


def dependency_problems(source_dir: Path, pyproject: Path) -> list[str]:
    """deptry: the modules under `source_dir` import exactly `pyproject`'s [project] dependencies.

    It reads imports from source (skipping `if TYPE_CHECKING:` blocks) and maps them to distributions through
    the installed metadata (attrs provides both `attr` and `attrs`); exceptions live in [tool.deptry].
    """
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "deptry.json"
        result = subprocess.run(
            # Relative to the project, so problems name `generated/...` files as the reader sees them.
            [
                _tool("deptry"),
                os.path.relpath(source_dir, pyproject.parent),
                "--config",
                str(pyproject),
                "--json-output",
                str(report),
            ],
            cwd=pyproject.parent,
            capture_output=True,
            text=True,
        )
        if not report.exists():
            sys.stderr.write(result.stdout + result.stderr)
            return [f"deptry exited {result.returncode} without a report (output above)"]
        violations = json.loads(report.read_text(encoding="utf-8"))
    return sorted(
        f"deptry {v['error']['code']}: {v['error']['message']}"
        + (f" ({v['location']['file']}:{v['location']['line']})" if v["location"].get("line") else "")
        + (f": {DEPENDENCY_FIXES[v['error']['code']]}" if v["error"]["code"] in DEPENDENCY_FIXES else "")
        for v in violations
    )


def requirement_range_problems(requires_dist: list[str]) -> list[str]:
    """Each Requires-Dist range admits the installed version the tests ran against (deptry checks names only)."""
    problems: list[str] = []
    for line in requires_dist:
        requirement = Requirement(line)
        try:
            tested = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"Requires-Dist {requirement} names {requirement.name}, which is not installed here")
            continue
        if not requirement.specifier.contains(tested, prereleases=True):
            name = canonicalize_name(requirement.name)
            problems.append(f"Requires-Dist {requirement} excludes {name} {tested}, the version the tests use")
    return problems


def find_artifacts(out_dir: Path) -> Artifacts:
    wheels, sdists = sorted(out_dir.glob("*.whl")), sorted(out_dir.glob("*.tar.gz"))
    others = sorted(p.name for p in out_dir.iterdir() if p not in wheels and p not in sdists)
    if len(wheels) != 1 or len(sdists) != 1 or others:
        found = ", ".join(sorted(p.name for p in out_dir.iterdir())) or "nothing"
        raise DistError(f"{out_dir} must hold one wheel and one sdist; it holds {found}")
    wheel_name, wheel_version, _, _ = parse_wheel_filename(wheels[0].name)
    sdist_name, sdist_version = parse_sdist_filename(sdists[0].name)
    if {wheel_name, sdist_name} != {DIST_NAME} or wheel_version != sdist_version:
        raise DistError(f"{out_dir} holds {wheels[0].name} and {sdists[0].name}: not one release of {DIST_NAME}")
    return Artifacts(wheels[0], sdists[0], str(wheel_version))


def _run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise DistError(f"{' '.join(command[:4])} ... exited {result.returncode} (output above)")


def build(out_dir: Path, root: Path = ROOT) -> Artifacts:
    """Build into an emptied `out_dir`, check, and return the artifacts; raise DistError on any problem."""
    expected_version = client_version(root)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out_dir), str(root)], cwd=root)
    artifacts = find_artifacts(out_dir)
    _run([str(Path(sys.executable).parent / "twine"), "check", "--strict", *map(str, artifacts.files)], cwd=root)
    problems = (
        [] if artifacts.version == expected_version else [f"built {artifacts.version}, expected {expected_version}"]
    )
    problems += wheel_problems(artifacts.wheel, expected_version, root)
    problems += sdist_problems(artifacts.sdist, expected_version, root)
    problems += dependency_problems(root / GENERATED_DIR, root / "pyproject.toml")
    if problems:
        raise DistError("the built artifacts must not ship:\n  " + "\n  ".join(problems))
    return artifacts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path, nargs="?", default=ROOT / "dist")
    args = parser.parse_args(argv)
    try:
        artifacts = build(args.out_dir.resolve())
    except Exception as exc:  # a failed build is reported as one readable line, never a traceback
        print(f"build: FAILED: {exc}", file=sys.stderr)
        return 1
    for path in artifacts.files:
        print(f"build: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    print(
        f"build: hilos-client {artifacts.version}: twine check, check-wheel-contents and deptry clean; sdist verified"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
