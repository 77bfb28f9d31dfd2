"""The spec's operations as data (the package's `_spec.OPERATIONS`), for the command line and the test fake.

The table is written by the pipeline (pipeline/generating/operation_table.py) from the generator's own parsed
data, so what it says of a parameter (its Python name, kind and class) is what the generated functions take.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import cache
from types import ModuleType
from typing import Any, Literal, NamedTuple

Location = Literal["path", "query", "header", "cookie", "body"]
Kind = Literal["str", "int", "float", "bool", "uuid", "datetime", "date", "enum", "model", "json"]
"""What a value is, as the generated function takes it: a plain type, an enum or model class, or any JSON."""


class Parameter(NamedTuple):
    """One parameter of an operation (or its request body, `location="body"`), as the generated function takes it."""

    name: str
    """The keyword argument ("category_in")."""
    wire_name: str
    """As sent ("category__in"); for a body, its media type ("application/json")."""
    location: Location
    required: bool
    kind: Kind
    """Of the value, or of each element when `is_list`."""
    description: str = ""
    """The spec's description, whole."""
    is_list: bool = False
    choices: tuple[str | int, ...] = ()
    """An enum's values, in the order of its class's members."""
    python_class: str = ""
    """An enum's or model's class, relative to the package ("models.category_enum.CategoryEnum")."""
    minimum: int | float | None = None
    """The smallest value the spec allows (its `minimum`, of each element when `is_list`); None: no bound."""
    maximum: int | float | None = None
    """The largest value the spec allows (its `maximum`, of each element when `is_list`); None: no bound."""

    def python_type(self) -> type[Any]:
        """The enum or model class `python_class` names, imported."""
        module, _, name = self.python_class.rpartition(".")
        found: type[Any] = getattr(importlib.import_module(f"{package_name()}.{module}"), name)
        return found


class Operation(NamedTuple):
    """One operation of the spec: `hilos_client.api.<tag>.<name>` sends `method` to `path` (a template).

    The other fields describe it as the spec does; an `Operation` built with the first four alone (as for
    `FakeHilos(operations=...)`) says nothing of them.
    """

    name: str
    tag: str
    method: str
    path: str
    summary: str = ""
    description: str = ""
    """The spec's description, whole (paragraphs apart by blank lines)."""
    parameters: tuple[Parameter, ...] = ()
    """Path, query, header and cookie parameters, in the order of the generated functions' arguments."""
    body: Parameter | None = None
    """The request body; None when the operation takes none."""
    success_status: int | None = None
    """The first 2xx status the spec documents; None when it documents none (or the table does not say)."""
    paginated: bool | None = None
    """Whether the module has `sync_all()` (a page-number listing); None when the table does not say."""
    columns: tuple[str, ...] = ()
    """The CSV columns of a record it answers (of an item, for a listing), from the response schema: every
    property in the schema's order, nested objects flattened to dotted names ("contact.phone"); () when the
    answer is not an object with properties (or the table does not say)."""

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


__all__ = ["Kind", "Location", "Operation", "Parameter", "find", "package_name", "spec_operations"]
