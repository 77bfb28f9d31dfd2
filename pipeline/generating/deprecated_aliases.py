"""Old operation modules kept importable, for one API minor version, after a deliberate rename.

An entry of patches/operation-names.json with `renamed_from` makes pipeline/operation_names.py put
`x-hilos-deprecated-aliases` on the operation in the patched spec. The generator knows nothing of it, so
this step writes, for each alias, a module at the old place that re-exports the new module's public
functions and warns `DeprecationWarning` when imported and each time one of them is looked up. Type
checkers see the real functions (through `TYPE_CHECKING`), so callers keep their types meanwhile.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from pipeline.generating.operation_names import module_tag
from pipeline.project import iter_operations

ALIASES_KEY = "x-hilos-deprecated-aliases"

_TEMPLATE = '''"""Deprecated: renamed to `{package}.{new}` in release {release}.

Importable until the API's next minor version; import `{package}.{new}` instead.
"""

import warnings
from typing import TYPE_CHECKING, Any

from {relative_new_parent} import {new_name} as _renamed

if TYPE_CHECKING:
    from {relative_new_parent}.{new_name} import {functions}

__all__ = {all_names!r}

_MESSAGE = "{package}.{old} is deprecated (renamed in release {release}): use {package}.{new}"

warnings.warn(_MESSAGE, DeprecationWarning, stacklevel=2)


def __getattr__(name: str) -> Any:
    if name in __all__:
        warnings.warn(_MESSAGE, DeprecationWarning, stacklevel=2)
        return getattr(_renamed, name)
    raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
'''


def write_deprecated_aliases(patched: dict[str, Any], package_dir: Path, package: str) -> list[str]:
    """Write one alias module per `x-hilos-deprecated-aliases` entry; return one log line per module."""
    log: list[str] = []
    for _, _, operation in iter_operations(patched):
        new = f"api.{module_tag(operation)}.{operation['operationId']}"
        for alias in operation.get(ALIASES_KEY) or []:
            old = alias["module"]
            _, old_tag, old_name = old.split(".")
            target = package_dir / "api" / old_tag / f"{old_name}.py"
            if target.exists():
                raise FileExistsError(f"deprecated alias {package}.{old} would overwrite a generated module")
            if not target.parent.exists():
                target.parent.mkdir()
                (target.parent / "__init__.py").write_text('"""Deprecated aliases of renamed operations."""\n')
            functions = _public_functions(package_dir / (new.replace(".", "/") + ".py"))
            target.write_text(
                _TEMPLATE.format(
                    package=package,
                    new=new,
                    old=old,
                    release=alias["release"],
                    relative_new_parent=f"..{module_tag(operation)}",
                    new_name=operation["operationId"],
                    functions=", ".join(functions),
                    all_names=functions,
                ),
                encoding="utf-8",
            )
            log.append(f"wrote {package}.{old}, a deprecated alias of {package}.{new}")
    return log


def _public_functions(module: Path) -> list[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return sorted(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_")
    )
