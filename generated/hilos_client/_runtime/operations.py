# Copied from patches/runtime/operations.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/operations.py, then run `make generate`.
"""The spec's operations as data (the package's `_spec.OPERATIONS`), for the command line and the test fake."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import cache
from types import ModuleType
from typing import NamedTuple


class Operation(NamedTuple):
    """One operation of the spec: `hilos_client.api.<tag>.<name>` sends `method` to `path` (a template)."""

    name: str
    tag: str
    method: str
    path: str

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """The path parameters if a request of `method` to `path` (relative to the base URL) is this operation."""
        if method.upper() != self.method:
            return None
        found = _path_pattern(self.path).match(path)
        return found.groupdict() if found else None

    def module(self) -> ModuleType:
        """The operation's endpoint module (`sync`, `asyncio`, ... and, when paginated, `sync_all`)."""
        return importlib.import_module(f"{package_name()}.api.{self.tag}.{self.name}")


@cache
def _path_pattern(template: str) -> re.Pattern[str]:
    # `{name}` matches one path segment, as in the spec's path templates.
    return re.compile(re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$")


def package_name() -> str:
    """The package this runtime was copied into ("hilos_client")."""
    return __name__.partition(".")[0]


def spec_operations() -> tuple[Operation, ...]:
    """The operations of the installed package's spec."""
    operations: tuple[Operation, ...] = importlib.import_module(f"{package_name()}._spec").OPERATIONS
    return operations


def find(operations: Iterable[Operation], method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    """The operation a request is for, with its path parameters; None when no operation matches."""
    for operation in operations:
        params = operation.match(method, path)
        if params is not None:
            return operation, params
    return None


__all__ = ["Operation", "find", "package_name", "spec_operations"]
