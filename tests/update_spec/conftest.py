"""Checkouts that took a synthetic future spec with `update_spec`, shared by the tests of one spec.

Each checkout is a throwaway git repository holding this repo's openapi.json, patches/overlay.yaml,
patches/operation-names.json and generated/ (committed, like HEAD), or those of a fixed small spec
(specs/one_operation.json), into which the future spec is installed exactly as `make update-spec SPEC=...`
would. The generated package there is also named hilos_client, so it is only ever imported in subprocesses
(see `run_with_package`).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pipeline.change_report.update_spec import UpdateReport, update_spec
from pipeline.generating.generate import generate
from pipeline.generating.name_record import dump_record
from pipeline.project import GENERATED_DIR, NAME_RECORD_FILE, OVERLAY_FILE, ROOT, SPEC_FILE
from tests.support.regenerated import with_additions

SPECS = Path(__file__).parent / "specs"
ONE_OPERATION_SPEC = SPECS / "one_operation.json"
"""The spec as it was with one operation (the list of flow execution contacts): a fixed small baseline."""
SCENARIOS = Path(__file__).parent / "scenarios"
GIT_IDENTITY = ("-c", "user.name=update-spec test", "-c", "user.email=update-spec-test@localhost")


@dataclass(frozen=True)
class UpdatedCheckout:
    root: Path
    report: UpdateReport

    @property
    def generated(self) -> Path:
        return self.root / "generated"


def make_checkout(root: Path, base: Path | None = None) -> Path:
    """A git repository with this repo's spec, overlay and generated code committed as HEAD.

    With `base`, that spec instead, with the names `make update-spec` gives its operations and the code
    generated from it: a fixed baseline for tests whose expectations are about one small spec.
    """
    (root / "patches").mkdir(parents=True)
    shutil.copy2(ROOT / OVERLAY_FILE, root / OVERLAY_FILE)
    if base is None:
        shutil.copy2(ROOT / SPEC_FILE, root / SPEC_FILE)
        shutil.copy2(ROOT / NAME_RECORD_FILE, root / NAME_RECORD_FILE)
        shutil.copytree(ROOT / GENERATED_DIR, root / GENERATED_DIR, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        shutil.copy2(base, root / SPEC_FILE)
        with contextlib.redirect_stdout(io.StringIO()):
            proposal = generate(
                root / GENERATED_DIR,
                root / SPEC_FILE,
                root / OVERLAY_FILE,
                root / NAME_RECORD_FILE,
                propose_new_names=True,
            )
        (root / NAME_RECORD_FILE).write_text(dump_record(proposal.record), encoding="utf-8")
    for command in (["init", "-q"], ["add", "-A"], [*GIT_IDENTITY, "commit", "-q", "-m", "baseline"]):
        subprocess.run(["git", *command], cwd=root, check=True, capture_output=True)
    return root


def take_spec(tmp_path_factory: pytest.TempPathFactory, spec: Path, base: Path | None = None) -> UpdatedCheckout:
    """A checkout (of `base`, else of this repo) that took `spec` with `update_spec`."""
    root = make_checkout(tmp_path_factory.mktemp(spec.stem), base)
    return UpdatedCheckout(root, update_spec(str(spec), root))


def spec_with_additions(additions: dict[str, Any]) -> dict[str, Any]:
    """This repo's openapi.json plus an additions document (`tags`, `paths`, `components.schemas`)."""
    spec = with_additions(
        json.loads((ROOT / SPEC_FILE).read_text(encoding="utf-8")),
        paths=additions["paths"],
        schemas=additions["components"]["schemas"],
    )
    known_tags = {tag["name"] for tag in spec.get("tags", [])}
    spec.setdefault("tags", []).extend(tag for tag in additions.get("tags", []) if tag["name"] not in known_tags)
    return spec


def take_additions(tmp_path_factory: pytest.TempPathFactory, additions: Path) -> UpdatedCheckout:
    """A checkout of this repo that took its own spec plus the operations and schemas of `additions`."""
    spec = spec_with_additions(json.loads(additions.read_text(encoding="utf-8")))
    future = tmp_path_factory.mktemp("specs") / additions.name
    future.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return take_spec(tmp_path_factory, future)


def run_with_package(generated: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run python with `generated` first on sys.path (and nothing of this repo's), outside the repo."""
    env = {**os.environ, "PYTHONPATH": str(generated)}
    return subprocess.run([sys.executable, *args], cwd=generated, env=env, capture_output=True, text=True, timeout=120)


IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
import hilos_client
assert hilos_client.__file__.startswith(sys.path[0]), hilos_client.__file__
names = [m.name for m in pkgutil.walk_packages(hilos_client.__path__, "hilos_client.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def import_every_module(generated: Path) -> int:
    result = run_with_package(generated, "-c", IMPORT_EVERY_MODULE)
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


def mypy_strict(generated: Path, *extra: Path, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    mypy = Path(sys.executable).parent / "mypy"
    env = {**os.environ, "MYPYPATH": str(generated)}
    command = [
        str(mypy),
        "--strict",
        "--no-error-summary",
        "--cache-dir",
        str(cache_dir),
        "hilos_client",
        *map(str, extra),
    ]
    return subprocess.run(command, cwd=generated, env=env, capture_output=True, text=True, timeout=300)
