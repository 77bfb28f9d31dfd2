"""Guard for generator upgrades: every override in patches/templates/ is a fork of a stock template.

    python -m pipeline.generating.stock_templates check            (part of `make check`; no network)
    python -m pipeline.generating.stock_templates diff TEMPLATE    what upstream changed in TEMPLATE (network)
    python -m pipeline.generating.stock_templates record           (`make stock-templates`)

A file of patches/templates/ whose relative path is also a template of the installed openapi-python-client
replaces that stock file, and a template cannot extend its default: the override is a full copy. So
patches/stock-templates.json records, for each override, the sha256 of the stock file it was based on and
the generator version it came from. `check` fails when an installed stock file differs from its record
(upgrading the generator changed a file we forked: `diff` shows the change to merge into the override, then
`record`), when an override has no record, and when a record names a template that is no longer overridden.
Files without a stock counterpart (ours, such as endpoint_pagination.py.jinja) are listed; one that copies a
part of a stock file says so in a Jinja comment, `{# fork of stock endpoint_macros.py.jinja: query_params #}`,
and is recorded and checked against that stock file the same way. An override that shares almost nothing with
the stock file it replaces (`FORK_SHARE`) is recorded as ours (`replaced`), its stock file still checked: an
upgrade may change what the generator hands it. The stock templates our templates call as they are installed
(`{% from %}`, `{% import %}`, `{% include %}`, followed through stock files too) are recorded and checked
(`called`): an upgrade that changes a macro we call changes our output.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.project import ROOT, STOCK_TEMPLATES_RECORD, TEMPLATES

GENERATOR = "openapi-python-client"
COMMAND = ".venv/bin/python -m pipeline.generating.stock_templates"
RECORD_COMMAND = "make stock-templates"
# How one of our templates names the stock file it copies a part of.
FORK_MARKER = re.compile(r"\{#-?\s*fork of stock ([\w./-]+\.jinja)")
# A template a template reaches: `{% from "x" import ...%}`, `{% import "x" as y %}`, `{% include "x" %}`;
# `"property_templates/" + property.template` (a trailing `+`) reaches every template under that prefix.
REFERENCE = re.compile(r'\{%-?\s*(?:from|import|include)\s+"([^"]+)"(\s*\+)?')
# An override that shares less than this share of its lines with the stock file it replaces is ours, not a
# fork: there is nothing of the stock file to merge an upstream change into.
FORK_SHARE = 0.1


def _installed_templates() -> Path:
    # find_spec locates the package without importing it (and all of its dependencies).
    spec = importlib.util.find_spec("openapi_python_client")
    if spec is None or spec.origin is None:
        raise SystemExit(f"stock-templates: FAILED: {GENERATOR} is not installed (run `make setup`)")
    return Path(spec.origin).resolve().parent / "templates"


STOCK_TEMPLATES = _installed_templates()


@dataclass
class Findings:
    """What `check` found: the problems that fail it, the overrides it compared, the templates that are ours alone."""

    problems: list[str] = field(default_factory=list)
    ours: list[str] = field(default_factory=list)
    overrides: list[str] = field(default_factory=list)


def template_files(folder: Path) -> set[str]:
    """Relative POSIX paths of the files under `folder` (the names the generator looks templates up by)."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def installed_version() -> str:
    return importlib.metadata.version(GENERATOR)


def forks(templates: Path, names: set[str]) -> dict[str, str]:
    """Our templates among `names` that copy a part of a stock file: name -> the stock file's name."""
    found = {}
    for name in sorted(names):
        marker = FORK_MARKER.search((templates / name).read_text(encoding="utf-8"))
        if marker:
            found[name] = marker.group(1)
    return found


def _lines(path: Path) -> set[str]:
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def shared_share(override: Path, stock_file: Path) -> float:
    """The share of the override's distinct non-blank lines that the stock file has too."""
    lines = _lines(override)
    return len(lines & _lines(stock_file)) / len(lines) if lines else 0.0


def replaced(templates: Path, stock: Path) -> set[str]:
    """Overrides that are ours: they replace a stock file but share almost nothing with it (`FORK_SHARE`)."""
    overrides = template_files(templates) & template_files(stock)
    return {name for name in overrides if shared_share(templates / name, stock / name) < FORK_SHARE}


def called(templates: Path, stock: Path) -> set[str]:
    """The stock templates our templates reach (imported, included, directly or through other templates) that
    we do not override: the generator renders them as they are installed, inside our output."""
    ours, stock_names = template_files(templates), template_files(stock)
    reached: set[str] = set()
    todo = sorted(ours)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = templates / name if name in ours else stock / name
        for target, dynamic in REFERENCE.findall(path.read_text(encoding="utf-8")):
            names = {n for n in ours | stock_names if n.startswith(target)} if dynamic else {target}
            reached |= names - ours
            todo += sorted(names - seen)
    return reached & stock_names


def make_record(templates: Path, stock: Path, version: str) -> dict[str, Any]:
    ours, stock_names = template_files(templates), template_files(stock)
    own = replaced(templates, stock)
    return {
        "generator": GENERATOR,
        "version": version,
        "templates": {name: sha256(stock / name) for name in sorted((ours & stock_names) - own)},
        "replaced": {name: sha256(stock / name) for name in sorted(own)},
        "ours": sorted(ours - stock_names),
        "forks": {
            name: {"stock": base, "sha256": sha256(stock / base)}
            for name, base in forks(templates, ours - stock_names).items()
        },
        "called": {name: sha256(stock / name) for name in sorted(called(templates, stock))},
    }


def dump_record(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, sort_keys=True) + "\n"


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def check(templates: Path, stock: Path, record: dict[str, Any], record_path: Path = STOCK_TEMPLATES_RECORD) -> Findings:
    """Compare the overrides in `templates` with the stock folder `stock` and the parsed `record`."""
    ours_all, stock_all = template_files(templates), template_files(stock)
    recorded: dict[str, str] = record.get("templates", {})
    own: dict[str, str] = record.get("replaced", {})
    version = record.get("version", "(unknown)")
    found = Findings(ours=sorted(ours_all - stock_all), overrides=sorted(ours_all & stock_all))
    where, record_name = _relative(templates), _relative(record_path)
    own_now = replaced(templates, stock)
    for name in found.overrides:
        if name in own_now:
            if own.get(name) != sha256(stock / name):
                found.problems.append(
                    f"{where}/{name} is ours (it shares almost nothing with the stock file it replaces) and "
                    f"{record_name} does not record the installed stock file as replaced: check what the generator "
                    f"now hands that template (`{COMMAND} diff {name}`), then run `{RECORD_COMMAND}`"
                )
        elif name not in recorded:
            found.problems.append(
                f"{where}/{name} overrides a stock template of {GENERATOR} but {record_name} has no record of it: "
                f"once the override is based on the installed stock file, run `{RECORD_COMMAND}`"
            )
        elif sha256(stock / name) != recorded[name]:
            found.problems.append(
                f"stock template {name} differs from the one {where}/{name} was based on ({GENERATOR} {version}): "
                f"see what upstream changed with `{COMMAND} diff {name}`, merge it into the override, "
                f"then run `{RECORD_COMMAND}`"
            )
    recorded_forks: dict[str, dict[str, str]] = record.get("forks", {})
    partial = forks(templates, set(found.ours))
    for name, base in partial.items():
        entry = recorded_forks.get(name)
        if entry is None or entry.get("stock") != base:
            found.problems.append(
                f"{where}/{name} copies a part of stock {base} but {record_name} has no record of it: "
                f"once it is based on the installed stock file, run `{RECORD_COMMAND}`"
            )
        elif not (stock / base).is_file() or sha256(stock / base) != entry.get("sha256"):
            found.problems.append(
                f"stock template {base}, a part of which {where}/{name} copies, differs from the one it was based on "
                f"({GENERATOR} {version}): see what upstream changed with `{COMMAND} diff {base}`, merge it into "
                f"{name}, then run `{RECORD_COMMAND}`"
            )
    for name in sorted(recorded_forks.keys() - partial.keys()):
        found.problems.append(f"{record_name} records {name} as a fork, which it no longer is: run `{RECORD_COMMAND}`")

    for name in sorted(own.keys() - own_now):
        found.problems.append(f"{record_name} records {name} as ours, which it no longer is: run `{RECORD_COMMAND}`")
    for name in sorted((recorded.keys() - set(found.overrides)) | (recorded.keys() & own_now)):
        if name in ours_all:
            found.problems.append(
                f"stock template {name} is gone from the installed {GENERATOR}, so {where}/{name} replaces nothing: "
                f"see the last upstream version with `{COMMAND} diff {name}`, port the change, then run "
                f"`{RECORD_COMMAND}`"
            )
        else:
            found.problems.append(
                f"{record_name} records {name}, which {where}/ no longer overrides: run `{RECORD_COMMAND}`"
            )

    # A change already reported above (an override added or removed, a fork's base changed) also changes the
    # lists below: each name is reported once.
    def reported(name: str) -> bool:
        return any(name in problem for problem in found.problems)

    listed = set(record.get("ours", []))
    for name in sorted(listed ^ set(found.ours)):
        if not reported(name):
            found.problems.append(
                f"{record_name} lists other templates of our own than {where}/ holds ({name}): run `{RECORD_COMMAND}`"
            )
    recorded_calls: dict[str, str] = record.get("called", {})
    calls = called(templates, stock)
    for name in sorted(calls):
        if recorded_calls.get(name) != sha256(stock / name) and not reported(name):
            found.problems.append(
                f"stock template {name}, which our templates call, "
                + (
                    "is not recorded"
                    if name not in recorded_calls
                    else f"differs from the one recorded ({GENERATOR} {version})"
                )
                + f": see what changed with `{COMMAND} diff {name}`, check our callers still fit, then run `{RECORD_COMMAND}`"
            )
    for name in sorted(recorded_calls.keys() - calls):
        if not reported(name):
            found.problems.append(
                f"{record_name} records {name} as called, which no template of ours calls: run `{RECORD_COMMAND}`"
            )
    return found


def stock_diff(old_stock: Path, new_stock: Path, name: str, old_label: str, new_label: str) -> str:
    """Unified diff of the stock template `name` from `old_stock` to `new_stock` (a missing file is empty)."""

    def lines(folder: Path) -> list[str]:
        path = folder / name
        return path.read_text(encoding="utf-8").splitlines(keepends=True) if path.is_file() else []

    diff = difflib.unified_diff(lines(old_stock), lines(new_stock), f"{old_label}/{name}", f"{new_label}/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in diff)


def download_stock_templates(version: str, into: Path) -> Path:
    """The templates folder of `version`'s wheel, fetched with pip (the one use of the network here)."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps"]
    command += ["--only-binary=:all:", "--dest", str(into), f"{GENERATOR}=={version}"]
    subprocess.run(command, check=True)
    (wheel,) = into.glob("*.whl")
    prefix = "openapi_python_client/templates/"
    stock = into / "templates"
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.startswith(prefix) and not member.endswith("/"):
                target = stock / member.removeprefix(prefix)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(member))
    return stock


def load_record(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--templates", type=Path, default=TEMPLATES, help="our templates (default: patches/templates)")
    parser.add_argument("--stock", type=Path, default=STOCK_TEMPLATES, help="stock templates (default: installed)")
    parser.add_argument("--record", type=Path, default=STOCK_TEMPLATES_RECORD, help="the record file")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="fail unless every override matches its recorded stock template")
    diff = commands.add_parser("diff", help="print what upstream changed in a stock template since the record")
    diff.add_argument(
        "template", help="path relative to the templates folder, e.g. property_templates/int_property.py.jinja"
    )
    commands.add_parser("record", help="record the installed stock templates our overrides are based on")
    args = parser.parse_args(argv)
    record = load_record(args.record)

    if args.command == "record":
        new = make_record(args.templates, args.stock, installed_version())
        args.record.write_text(dump_record(new), encoding="utf-8")
        print(
            f"stock-templates: recorded {len(new['templates'])} fork(s), {len(new['replaced'])} override(s) of our "
            f"own, {len(new['forks'])} partial fork(s) and {len(new['called'])} called stock template(s) of "
            f"{GENERATOR} {new['version']}"
        )
        return 0

    if args.command == "diff":
        version = record.get("version")
        if not version:
            print(f"stock-templates: FAILED: {_relative(args.record)} records no generator version", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory(prefix="hilos-stock-templates-") as scratch:
            old_stock = download_stock_templates(version, Path(scratch))
            recorded = record.get("templates", {}).get(args.template)
            if recorded and (old_stock / args.template).is_file() and sha256(old_stock / args.template) != recorded:
                print(f"stock-templates: note: {args.template} of {GENERATOR} {version} does not match the record")
            text = stock_diff(old_stock, args.stock, args.template, f"{GENERATOR}-{version}", "installed")
        print(text or f"stock-templates: {args.template} is the same in {GENERATOR} {version} and installed\n", end="")
        return 0

    found = check(args.templates, args.stock, record, args.record)
    if found.problems:
        print("stock-templates: FAILED:\n  " + "\n  ".join(found.problems))
        return 1
    installed = installed_version()
    note = "" if record.get("version") == installed else f" (recorded with {record.get('version')})"
    print(
        f"stock-templates: {len(found.overrides)} override(s) of the stock templates of {GENERATOR} {installed}{note} "
        f"(ours, sharing almost nothing with the stock file: {', '.join(sorted(replaced(args.templates, args.stock)))}); "
        f"ours, no stock counterpart: {', '.join(found.ours) or '(none)'}; "
        f"stock templates called as installed: {', '.join(sorted(called(args.templates, args.stock)))}"
        + "".join(
            f"; {name} copies part of stock {base}" for name, base in forks(args.templates, set(found.ours)).items()
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
