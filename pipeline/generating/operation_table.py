"""The operations table (`hilos_client._spec.OPERATIONS`): what the command line, the test fake and api.md know
of each operation, decided once, from the generator's own parsed data.

Each operation's summary, description, parameters (Python and wire names, location, required, description,
kind, enum values, class, the spec's minimum and maximum), request body, first documented 2xx status, whether
it is paginated and the CSV columns of its records (record_columns.py). A
parameter's kind is read from the property the generator built for it, so it is the type the generated
function takes (`category__in`, an array of strings, is `list[str]` there, and so here). The rows are the
runtime's own `Operation` / `Parameter` (patches/runtime/operations.py), rendered as Python source.
"""

from __future__ import annotations

from typing import Any

from openapi_python_client import strings
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import AnyProperty, EnumProperty, ModelProperty
from openapi_python_client.parser.properties.boolean import BooleanProperty
from openapi_python_client.parser.properties.date import DateProperty
from openapi_python_client.parser.properties.datetime import DateTimeProperty
from openapi_python_client.parser.properties.float import FloatProperty
from openapi_python_client.parser.properties.int import IntProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.none import NoneProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol
from openapi_python_client.parser.properties.union import UnionProperty
from openapi_python_client.parser.properties.uuid import UuidProperty
from openapi_python_client.schema.untrusted_string import UntrustedString
from openapi_python_client.strings import PythonCode

from patches.runtime.operations import Kind, Location, Operation, Parameter
from pipeline.generating.operation_model import pagination
from pipeline.generating.record_columns import record_columns
from pipeline.project import iter_operations

_KINDS: tuple[tuple[type[Any], Kind], ...] = (
    (BooleanProperty, "bool"),
    (IntProperty, "int"),
    (FloatProperty, "float"),
    (UuidProperty, "uuid"),
    (DateTimeProperty, "datetime"),
    (DateProperty, "date"),
    (EnumProperty, "enum"),
    (ModelProperty, "model"),
    (AnyProperty, "json"),
)


_LOCATIONS: dict[str, Location] = {"path": "path", "query": "query", "header": "header", "cookie": "cookie"}


class OperationTableError(Exception):
    """The spec and the generator's parsed data disagree on an operation (generation checks this first)."""


def text(value: UntrustedString | PythonCode | str | None) -> str:
    """A string of the generator's data as the spec wrote it."""
    if value is None:
        return ""
    if isinstance(value, UntrustedString):
        return value.get_untrusted_value()
    if isinstance(value, PythonCode):
        return value.as_unembedded_code()
    return str(value)


def paginated_item(endpoint: Endpoint) -> str | None:
    """The item model's name when the templates add `sync_all()` to the endpoint (operation_model.py's
    `pagination`, the one decision); None when they do not."""
    page = pagination(endpoint)
    return page.item if page else None


def _value(prop: PropertyProtocol) -> PropertyProtocol:
    """The property a nullable (or other union) property takes first, as the command line reads it."""
    if isinstance(prop, UnionProperty):
        inner = [p for p in prop.inner_properties if not isinstance(p, NoneProperty)]
        models = [p for p in inner if isinstance(p, ModelProperty)]
        return (models or inner or [prop])[0]
    return prop


Bounds = tuple[int | float | None, int | float | None]
"""A parameter's `minimum` and `maximum` in the spec (None: no bound)."""


def _number(value: Any) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def parameter_bounds(
    spec: dict[str, Any], path_item: dict[str, Any], operation: dict[str, Any]
) -> dict[tuple[str, str], Bounds]:
    """The `minimum` and `maximum` of each parameter (of each element of an array), by location and wire name;
    the operation's parameters win over the path's of the same name. `$ref`s into components are followed."""

    def resolved(value: Any) -> dict[str, Any]:
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            _, _, kind_and_name = value["$ref"].partition("#/components/")
            kind, _, name = kind_and_name.partition("/")
            value = (spec.get("components") or {}).get(kind, {}).get(name)
        return value if isinstance(value, dict) else {}

    bounds: dict[tuple[str, str], Bounds] = {}
    for parameter in [*(path_item.get("parameters") or []), *(operation.get("parameters") or [])]:
        parameter = resolved(parameter)
        schema = resolved(parameter.get("schema"))
        if schema.get("type") == "array":
            schema = resolved(schema.get("items"))
        bounds[(str(parameter.get("in")), str(parameter.get("name")))] = (
            _number(schema.get("minimum")),
            _number(schema.get("maximum")),
        )
    return bounds


def parameter_row(
    prop: PropertyProtocol, location: Location, wire_name: str, bounds: Bounds = (None, None)
) -> Parameter:
    """One parameter (or body) as the generated function takes it (`bounds`: its minimum and maximum)."""
    value = _value(prop)
    is_list = isinstance(value, ListProperty)
    if isinstance(value, ListProperty):
        value = _value(value.inner_property)
    kind: Kind = next((kind for cls, kind in _KINDS if isinstance(value, cls)), "str")
    choices: tuple[str | int, ...] = ()
    python_class = ""
    if isinstance(value, EnumProperty | ModelProperty):
        python_class = f"models.{value.class_info.module_name}.{value.class_info.name}"
    if isinstance(value, EnumProperty):
        # In the order of the class's members: str_enum.py.jinja sorts them by name, int_enum.py.jinja does not.
        members = sorted(value.values.items()) if value.value_type is str else list(value.values.items())
        choices = tuple(member for _, member in members)
    return Parameter(
        str(prop.python_name),
        wire_name,
        location,
        prop.required,
        kind,
        description=text(prop.description),
        is_list=is_list,
        choices=choices,
        python_class=python_class,
        minimum=bounds[0],
        maximum=bounds[1],
    )


def success_status(operation: dict[str, Any]) -> int | None:
    """The first 2xx status the spec documents for the operation."""
    statuses = sorted(int(code) for code in operation.get("responses") or {} if str(code).isdigit())
    return next((status for status in statuses if 200 <= status < 300), None)


def operation_row(
    tag: str,
    name: str,
    method: str,
    path: str,
    endpoint: Endpoint,
    status: int | None,
    *,
    bounds: dict[tuple[str, str], Bounds] | None = None,
    columns: tuple[str, ...] = (),
) -> Operation:
    """The row of one operation, from what the generator parsed of it (`status`: its success status; `bounds`:
    its parameters', `parameter_bounds()`; `columns`: its records', `record_columns()`)."""
    bounds = bounds or {}
    body = None
    for found in endpoint.bodies:  # the normalise step leaves one media type per body
        body = parameter_row(found.prop, "body", text(found.content_type))
    return Operation(
        name,
        tag,
        method,
        path,
        summary=text(endpoint.summary),
        description=text(endpoint.description),
        parameters=tuple(
            parameter_row(
                prop,
                _LOCATIONS[location.value],
                text(prop.name),
                bounds.get((location.value, text(prop.name)), (None, None)),
            )
            for location, prop in endpoint.iter_all_parameters()
        ),
        body=body,
        success_status=status,
        paginated=paginated_item(endpoint) is not None,
        columns=columns,
    )


def operation_table(spec: dict[str, Any], data: GeneratorData) -> tuple[Operation, ...]:
    """Every operation of the patched spec, in document order, named as the generator names its module
    (`hilos_client.api.<tag>.<name>`), with what the generator parsed of it."""
    endpoints: dict[tuple[str, str], Endpoint] = {
        (str(tag), str(endpoint.name)): endpoint
        for tag, collection in data.endpoint_collections_by_tag.items()
        for endpoint in collection.endpoints
    }
    rows = []
    for method, path, operation in iter_operations(spec):
        tag = str(strings.PythonIdentifier(value=(operation.get("tags") or ["default"])[0], prefix="tag"))
        name = strings.snake_case(operation["operationId"])
        endpoint = endpoints.pop((tag, name), None)
        if endpoint is None:
            raise OperationTableError(f"{method.upper()} {path}: the generator made no module api.{tag}.{name}")
        status = success_status(operation)
        row = operation_row(
            tag,
            name,
            method.upper(),
            path,
            endpoint,
            status,
            bounds=parameter_bounds(spec, spec["paths"][path], operation),
        )
        columns = record_columns(spec, operation, status, paginated=bool(row.paginated))
        rows.append(row._replace(columns=columns))
    if endpoints:
        extra = ", ".join(sorted(f"api.{tag}.{name}" for tag, name in endpoints))
        raise OperationTableError(f"the generator made modules for no operation of the spec: {extra}")
    return tuple(rows)


def python_source(value: Any) -> str:
    """`value` (a row, a tuple, a string, a number, a bool or None) as Python source; a row's fields that
    hold their default are left out."""
    if isinstance(value, Operation | Parameter):
        defaults = value._field_defaults
        fields = value._fields
        parts = []
        # An operation's first four fields are positional, as `Operation(name, tag, method, path)` reads;
        # the rest are named, so a row reads as what it says.
        positional = fields[:4] if isinstance(value, Operation) else ()
        for field in fields:
            item = getattr(value, field)
            if field in positional:
                parts.append(python_source(item))
            elif field not in defaults or item != defaults[field]:
                parts.append(f"{field}={python_source(item)}")
        return f"{type(value).__name__}({', '.join(parts)})"
    if isinstance(value, tuple):
        return "(" + "".join(f"{python_source(item)}, " for item in value) + ")"
    if isinstance(value, str):
        return repr(value)
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    raise TypeError(f"no Python source for {type(value).__name__}")


def table_source(operations: tuple[Operation, ...]) -> str:
    """`OPERATIONS: tuple[Operation, ...] = (...)`, one row per operation (ruff formats it afterwards)."""
    return (
        "OPERATIONS: tuple[Operation, ...] = (\n" + "".join(f"    {python_source(op)},\n" for op in operations) + ")\n"
    )
