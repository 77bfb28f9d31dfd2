"""`dir()` and editor completion show only the API: of the package, `hilos_client.api` and
`hilos_client.models` (their `__all__` and the tags' packages; not `Any`, `TYPE_CHECKING`, `annotations`, nor
what they import on first read), and of `Hilos` / `AsyncHilos` tag namespaces (the operations of the tag, read
on an instance or on the class). Every expected set comes from `__all__` or the operations table."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from types import ModuleType

import hilos_client
import pytest
from hilos_client import AsyncHilos, Hilos
from hilos_client._spec import OPERATIONS

from pipeline.project import GENERATED

TAGS = sorted({operation.tag for operation in OPERATIONS})
LAZY_MODULES = ["hilos_client", "hilos_client.api", "hilos_client.models"]


def api_of(module: ModuleType) -> set[str]:
    """What dir() must list besides the attributes every module has: `__all__`, and the tags' packages."""
    return {*module.__all__, *(TAGS if module.__name__ == "hilos_client.api" else ())}


def without_dunders(names: list[str]) -> set[str]:
    return {name for name in names if not (name.startswith("__") and name.endswith("__"))}


@pytest.mark.parametrize("name", LAZY_MODULES)
def test_dir_of_a_package_module_is_its_api_whatever_was_imported_before(name: str) -> None:
    module = importlib.import_module(name)
    before = dir(module)
    assert without_dunders(before) == without_dunders(sorted(api_of(module)))
    for operation in OPERATIONS:  # importing submodules and reading every lazy name changes nothing
        operation.module()
    for attribute in api_of(module):
        getattr(module, attribute)
    assert dir(module) == before
    assert {"__doc__", "__name__"} <= set(before)


def test_dir_of_a_fresh_package_lists_its_version_and_its_lazy_names() -> None:
    script = "import hilos_client; print(' '.join(dir(hilos_client)))"
    result = subprocess.run(
        [sys.executable, "-c", script], env={"PYTHONPATH": str(GENERATED)}, capture_output=True, text=True, check=True
    )
    listed = result.stdout.split()
    assert without_dunders(listed) == without_dunders(hilos_client.__all__)
    assert "__version__" in listed


@pytest.mark.parametrize("name", LAZY_MODULES)
def test_the_source_binds_only_api_or_private_names(name: str) -> None:
    """Editors that read the source instead of calling dir() offer every name the module binds: each one is
    its API or private (imports under `if TYPE_CHECKING:` are for type checkers, which read `__all__`)."""
    module = importlib.import_module(name)
    tree = ast.parse(inspect.getsource(module))
    bound: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {alias.asname or alias.name.partition(".")[0] for alias in node.names if alias.name != "*"}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound |= {target.id for target in targets if isinstance(target, ast.Name)}
    public = {n for n in bound if not n.startswith("_") or (n.startswith("__") and n.endswith("__"))}
    assert without_dunders(sorted(public)) <= without_dunders(sorted(api_of(module)))


def operations_of(tag: str) -> set[str]:
    return {
        name
        for operation in OPERATIONS
        if operation.tag == tag
        for name in (
            operation.name,
            *((f"{operation.name}_pages", f"{operation.name}_all") if operation.paginated else ()),
        )
    }


@pytest.mark.parametrize("hilos_class", [Hilos, AsyncHilos])
@pytest.mark.parametrize("tag", TAGS)
def test_a_tag_namespace_lists_its_operations_only(hilos_class: type[Hilos] | type[AsyncHilos], tag: str) -> None:
    hilos = hilos_class(base_url="https://acme.api-us1.com/api/3", token="your-api-key")
    namespace = getattr(hilos, tag)
    assert {name for name in dir(namespace) if not name.startswith("_")} == operations_of(tag)
    assert getattr(hilos, tag) is namespace  # made once per client
    on_the_class = getattr(hilos_class, tag)  # what an editor reads without running the property
    assert [name for name in dir(on_the_class) if not name.startswith("_")] == []
    assert on_the_class.__doc__ == f'The operations tagged "{tag}".'
