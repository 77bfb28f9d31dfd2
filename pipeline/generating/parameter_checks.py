"""Which run-time check `_get_kwargs` applies to each parameter of an operation (endpoint_module.py.jinja
renders one statement per checked parameter; the checks are patches/runtime/parameters.py).

The check follows the parameter's kind as the operations table reads it (operation_table.py's
`parameter_row`, from the property the generator built, so it is the type the generated function takes): a
UUID, bool, int, float, date-time, date, enum or string, or a list of one of them. What no check can say
exactly is left unchecked: models and free-form JSON, and a union of several types (a value of any of them
is valid). A body gets one check, when it can hold a date-time: no naive one anywhere in it (the model's
constructor types its other fields).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from openapi_python_client.parser.bodies import Body
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties.datetime import DateTimeProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.model_property import ModelProperty
from openapi_python_client.parser.properties.none import NoneProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol
from openapi_python_client.parser.properties.string import StringProperty
from openapi_python_client.parser.properties.union import UnionProperty

from patches.runtime.operations import Kind
from pipeline.generating.operation_table import parameter_row

CHECKS: dict[Kind, str] = {
    "bool": "check_bool",
    "int": "check_int",
    "float": "check_float",
    "uuid": "check_uuid",
    "datetime": "check_datetime",
    "date": "check_date",
    "enum": "check_enum",
    "str": "check_str",
}
"""The runtime's check for each kind of value (`model` and `json` have none)."""


def _single(prop: PropertyProtocol) -> PropertyProtocol | None:
    """The one type a (nullable) property takes, None for a union of several."""
    if isinstance(prop, UnionProperty):
        inner = [p for p in prop.inner_properties if not isinstance(p, NoneProperty)]
        return _single(inner[0]) if len(inner) == 1 else None
    return prop


def parameter_check(prop: PropertyProtocol) -> str | None:
    """The statement that checks (and normalises) the parameter `prop` before it is sent, or None when no
    check applies. The parameter is UNSET (never None) when the statement runs."""
    value = _single(prop)
    if isinstance(value, ListProperty):
        value = _single(value.inner_property)
    if value is None:
        return None
    row = parameter_row(prop, "query", "")
    check = CHECKS.get(row.kind)
    if check is None or (row.kind == "str" and not isinstance(value, StringProperty)):
        return None  # "str" is also the table's word for what it has no other kind for (a file, a constant)
    name = row.name
    extra = f", {row.python_class.rpartition('.')[2]}" if row.kind == "enum" else ""
    if row.is_list:
        return f'{name} = check_list("{name}", {name}, {check}{extra})'
    return f'{name} = {check}("{name}", {name}{extra})'


Models = Mapping[str, ModelProperty]
"""The spec's models by class name, as the generator finished them (`GeneratorData.models`): a model property
met inside another (an item of a list field) may be a copy made before its own fields were read."""


def models_by_name(models: Iterable[ModelProperty]) -> Models:
    return {model.class_info.name: model for model in models}


def may_hold_datetime(prop: PropertyProtocol, models: Models, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a value of `prop` can hold a date-time anywhere: itself, an item of a list, a member of a union,
    a field of a model (followed once per model class, so a model that holds itself ends)."""
    if isinstance(prop, DateTimeProperty):
        return True
    if isinstance(prop, ListProperty):
        return may_hold_datetime(prop.inner_property, models, seen)
    if isinstance(prop, UnionProperty):
        return any(may_hold_datetime(inner, models, seen) for inner in prop.inner_properties)
    if isinstance(prop, ModelProperty) and prop.class_info.name not in seen:
        model = models.get(prop.class_info.name, prop)
        inner = [*(model.required_properties or ()), *(model.optional_properties or ())]
        return any(may_hold_datetime(field, models, seen | {prop.class_info.name}) for field in inner)
    return False


def body_check(body: Body, models: Models) -> str | None:
    """The statement that refuses a naive date-time anywhere in a body that can hold one (a model's fields are
    typed by its constructor, which does not look at a datetime's timezone, and to_dict would write it without
    an offset), or None."""
    if not may_hold_datetime(body.prop, models):
        return None
    name = body.prop.python_name
    return f'{name} = check_body_datetimes("{name}", {name})'


def parameter_checks(endpoint: Endpoint, models: Models | None = None) -> list[str]:
    """One statement per checked parameter of the operation (path, query, header and cookie), in the order of
    `_get_kwargs`'s arguments' declaration, then one for the body when it can hold a date-time."""
    checks = [parameter_check(prop) for _, prop in endpoint.iter_all_parameters()]
    checks += [body_check(body, models or {}) for body in endpoint.bodies]
    # Every content type's body is the one argument `body`: its check is written once.
    return list(dict.fromkeys(check for check in checks if check is not None))
