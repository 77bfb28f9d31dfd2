"""Build the wheel and sdist, then prove they hold what users need and nothing else.

    python -m pipeline.releasing.dist OUT_DIR        (`make build`: OUT_DIR is dist/)

Builds with `python -m build --no-isolation` (the sdist first, then the wheel from the unpacked sdist, so
the sdist is proven to rebuild the wheel), runs `twine check --strict`, then refuses the result unless:
- the wheel holds every file of generated/hilos_client (py.typed included) and its .dist-info, nothing else;
- the sdist holds exactly what rebuilding the wheel needs (SDIST_FILES plus the package);
- the wheel's Requires-Dist names exactly the distributions the package imports at run time, each in a
  range that admits the version the tests ran against;
- both carry the version pipeline/releasing/version.py gives for this tree.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import email.parser
import importlib.metadata
import shutil
import subprocess
import sys
import tarfile
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


def wheel_problems(wheel: Path, version: str, root: Path = ROOT) -> list[str]:
    dist_info = f"{PACKAGE}-{version}.dist-info/"
    with zipfile.ZipFile(wheel) as archive:
        names = {name for name in archive.namelist() if not name.endswith("/")}
    problems = [
        f"wheel holds {name}, which is neither {PACKAGE}/ nor its metadata"
        for name in sorted(names)
        if not name.startswith((f"{PACKAGE}/", dist_info))
    ]
    shipped = {name for name in names if name.startswith(f"{PACKAGE}/")}
    py_typed = f"{PACKAGE}/py.typed"
    problems += [
        f"wheel lacks {name}" + (" (type checkers would ignore the package's types)" if name == py_typed else "")
        for name in sorted((package_files(root) | {py_typed}) - shipped)
    ]
    problems += [f"wheel holds {name}, which is not in {PACKAGE_DIR}" for name in sorted(shipped - package_files(root))]
    problems += [f"wheel lacks {dist_info}{name}" for name in sorted(DIST_INFO_FILES) if dist_info + name not in names]
    problems += script_problems(wheel, dist_info, shipped, root)
    if not problems:
        metadata = wheel_metadata(wheel)
        if metadata["Name"] != DIST_NAME or metadata["Version"] != version:
            problems.append(f"wheel metadata says {metadata['Name']} {metadata['Version']}, not {DIST_NAME} {version}")
        problems += dependency_problems(metadata.get_all("Requires-Dist") or [], root / PACKAGE_DIR)
    return problems


def declared_scripts(root: Path = ROOT) -> dict[str, str]:
    """pyproject.toml's [project.scripts]: command name -> "module:function"."""
    with (root / "pyproject.toml").open("rb") as file:
        scripts: dict[str, str] = tomllib.load(file)["project"].get("scripts", {})
    return scripts


def script_problems(wheel: Path, dist_info: str, shipped: set[str], root: Path = ROOT) -> list[str]:
    """The wheel installs exactly pyproject's console scripts, each pointing into a module it ships."""
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


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(package_dir: Path) -> set[str]:
    """Top-level modules the package imports at run time, other than the standard library and itself."""
    found: set[str] = set()
    for module in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"), str(module))
        # Imports under `if TYPE_CHECKING:` never run, so they need no installed distribution.
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and _type_checking_only(node)
            for statement in node.body
            for inner in ast.walk(statement)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name not in {PACKAGE, "__future__"}}


# Distributions required without being imported by hilos_client, each with its reason.
REQUIRED_WITHOUT_IMPORT = {
    # httpcore tries `import sniffio` on every async request; missing, each try searches sys.path (make bench).
    "sniffio": "speeds up httpcore's async requests",
}


def dependency_problems(requires_dist: list[str], package_dir: Path) -> list[str]:
    """Requires-Dist must name exactly the distributions providing the package's runtime imports."""
    providers = importlib.metadata.packages_distributions()
    problems: list[str] = []
    imported: dict[str, str] = {}
    for module in sorted(runtime_imports(package_dir)):
        dists = providers.get(module)
        if not dists:
            problems.append(f"{PACKAGE} imports {module}, which no installed distribution provides")
            continue
        imported[str(canonicalize_name(dists[0]))] = module
    required = {str(canonicalize_name(Requirement(line).name)): Requirement(line) for line in requires_dist}
    for name in sorted(imported.keys() - required.keys()):
        problems.append(
            f"{PACKAGE} imports {imported[name]} but Requires-Dist lacks {name}: add it to pyproject.toml dependencies"
        )
    for name in sorted(required.keys() - imported.keys() - REQUIRED_WITHOUT_IMPORT.keys()):
        problems.append(f"Requires-Dist names {name}, which {PACKAGE} never imports: drop it from pyproject.toml")
    for name in sorted(required.keys() & imported.keys()):
        tested = importlib.metadata.version(name)
        if not required[name].specifier.contains(tested, prereleases=True):
            problems.append(f"Requires-Dist {required[name]} excludes {name} {tested}, the version the tests use")
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
    print(f"build: hilos-client {artifacts.version}: twine check clean, wheel and sdist contents verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
