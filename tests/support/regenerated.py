"""Run the real pipeline on the spec plus extra operations, and import the result under its own name.

Tests that prove "an operation the spec gains gets the same runtime with no hand edits" use this; the
package is imported as `import_name` so it does not clash with the hilos_client under test.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import importlib.util
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from pipeline.generating.generate import generate
from pipeline.project import PACKAGE, SPEC


@contextlib.contextmanager
def regenerated_package(
    workdir: Path,
    import_name: str,
    *,
    paths: dict[str, Any],
    schemas: dict[str, Any],
    replaced_schemas: dict[str, Any] | None = None,
) -> Iterator[ModuleType]:
    """The package of the spec plus `paths` and `schemas` (new ones only), with `replaced_schemas` (existing
    ones only) put in place of the spec's: a variant of the real spec, such as its pages without `required`."""
    spec = with_additions(json.loads(SPEC.read_text(encoding="utf-8")), paths=paths, schemas=schemas)
    unknown = sorted(set(replaced_schemas or {}) - set(spec["components"]["schemas"]))
    assert not unknown, f"the spec has no schema {', '.join(unknown)} to replace"
    spec["components"]["schemas"].update(copy.deepcopy(replaced_schemas or {}))
    spec_path = workdir / "openapi.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        generate(workdir / "out", spec_path, propose_new_names=True)
    try:
        yield _import_as(import_name, workdir / "out" / PACKAGE)
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == import_name]:
            del sys.modules[name]


def with_additions(spec: dict[str, Any], *, paths: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """A copy of `spec` with the operations and schemas added; one the spec already has fails the test.

    Replacing a real operation or schema would prove nothing about what the spec gains, and would test a
    changed spec in its place: the day upstream publishes one of them, the addition needs a name of its own.
    A schema the spec has is accepted only unchanged (drf-spectacular's shared `BlankEnum`, `NullEnum`).
    """
    added = copy.deepcopy(spec)
    known = spec["components"]["schemas"]
    taken = [
        f"{method.upper()} {path}"
        for path, item in paths.items()
        for method in item
        if method in spec["paths"].get(path, {})
    ]
    taken += [f"schema {name}" for name, schema in schemas.items() if name in known and known[name] != schema]
    assert not taken, f"the spec already has {', '.join(taken)}: give the additions names of their own"
    for path, item in copy.deepcopy(paths).items():
        added["paths"].setdefault(path, {}).update(item)
    added["components"]["schemas"].update(copy.deepcopy(schemas))
    return added


def operation(package: ModuleType, name: str, tag: str = "flows") -> Any:
    return importlib.import_module(f"{package.__name__}.api.{tag}.{name}")


def _import_as(name: str, package_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        name, package_dir / "__init__.py", submodule_search_locations=[str(package_dir)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


EMPTY_OVERLAY = "overlay: 1.0.0\ninfo: {title: nothing to fix, version: '1'}\nactions: []\n"


def generate_standalone(workdir: Path, spec: dict[str, Any]) -> Path:
    """Run the real pipeline on `spec` alone (not a variant of openapi.json): no overlay action, names by the
    rule. Returns the generated package's folder; the pipeline's own exceptions propagate."""
    workdir.mkdir(parents=True, exist_ok=True)
    spec_path = workdir / "openapi.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    overlay_path = workdir / "overlay.yaml"
    overlay_path.write_text(EMPTY_OVERLAY, encoding="utf-8")
    names_path = workdir / "operation-names.json"
    names_path.write_text("{}\n", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        generate(workdir / "out", spec_path, overlay_path, names_path, propose_new_names=True)
    return workdir / "out" / PACKAGE


@contextlib.contextmanager
def imported(package_dir: Path, import_name: str) -> Iterator[ModuleType]:
    """A generated package (`generate_standalone`'s), imported as `import_name` for the block."""
    try:
        yield _import_as(import_name, package_dir)
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == import_name]:
            del sys.modules[name]
