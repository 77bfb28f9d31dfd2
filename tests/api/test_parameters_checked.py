"""Every parameter of every operation is checked before anything is sent: a value of the wrong type or format
(a UUID that is not one, 0 for a bool, True for an int, a naive date-time, a value no enum member has, a string
for a list) raises `errors.InvalidParameterError` naming the parameter on every surface, and the server sees
no request; a UUID given as text and an enum given as its value go out in canonical form.

The bad values are derived from each parameter's schema in the patched spec (its type, format, enum and
items), not from the generated code, so a parameter the spec gains is covered, and a check the pipeline
forgets to render fails here.
"""

from __future__ import annotations

import copy
import datetime
import inspect
import math
from collections.abc import Iterator
from typing import Any

import pytest
from hilos_client import AsyncHilos, AuthenticatedClient, Hilos, errors
from openapi_python_client.strings import PythonIdentifier

from tests.support.fake_hilos import TOKEN, FakeHilosServer
from tests.support.operation_cases import OPERATION_CASES, SPEC, OperationCase
from tests.support.sparsest import EXAMPLE_UUID
from tests.support.spec_schema import resolve

SURFACES = ("sync", "sync_detailed", "asyncio", "asyncio_detailed", "Hilos", "AsyncHilos")
LISTING_SURFACES = ("sync_all", "asyncio_all", "Hilos_all", "AsyncHilos_all")
NAIVE = datetime.datetime(2024, 1, 2, 3, 4, 5)


def bad_values(schema: dict[str, Any]) -> Iterator[tuple[Any, type[errors.InvalidParameterError], str]]:
    """(value, the error it raises, the suffix of the parameter it names) for a parameter of `schema`."""
    schema = resolve(SPEC, schema)
    wrong_type = errors.InvalidParameterTypeError
    if schema.get("type") == "array":
        yield "abc", wrong_type, ""  # would go as its characters
        for item, error, _ in bad_values(schema.get("items", {})):
            yield [item], error, "[0]"
        return
    if "enum" in schema:
        members = [value for value in schema["enum"] if value is not None]
        if all(isinstance(value, str) for value in members):
            yield "not-a-member", errors.InvalidParameterError, ""
            yield 1, wrong_type, ""
        else:
            yield max(members) + 1, errors.InvalidParameterError, ""
            yield True, wrong_type, ""
        return
    kind, format_ = schema.get("type"), schema.get("format")
    if kind == "string" and format_ == "uuid":
        yield "not-a-uuid", errors.InvalidParameterError, ""
        yield EXAMPLE_UUID.int, wrong_type, ""
    elif kind == "string" and format_ == "date-time":
        yield NAIVE, errors.InvalidParameterError, ""
        yield NAIVE.isoformat() + "Z", wrong_type, ""
    elif kind == "string" and format_ == "date":
        yield NAIVE, wrong_type, ""
    elif kind == "string" and format_ is None:
        yield 3, wrong_type, ""
    elif kind == "boolean":
        yield from ((value, wrong_type, "") for value in (0, 1, "true"))
    elif kind == "integer":
        yield from ((value, wrong_type, "") for value in (True, "1", 1.0))
    elif kind == "number":
        yield from ((value, wrong_type, "") for value in (True, "1.5"))
        yield math.nan, errors.InvalidParameterError, ""


def refusals() -> list[Any]:
    params = []
    for case in OPERATION_CASES:
        for parameter in case.parameters:
            for index, (value, error, suffix) in enumerate(bad_values(parameter.get("schema", {}))):
                name = case.python_name(parameter)
                surfaces = SURFACES + (LISTING_SURFACES if case.paginated and parameter["name"] != "page" else ())
                for surface in surfaces:
                    params.append(
                        pytest.param(
                            case, name, value, error, name + suffix, surface, id=f"{case.id}-{name}-{index}-{surface}"
                        )
                    )
    return params


REFUSALS = refusals()


def test_the_spec_has_parameters_of_each_checked_kind() -> None:
    """So that the refusals above are not vacuous: UUIDs, booleans, integers, enums, strings and arrays."""
    schemas = [resolve(SPEC, p.get("schema", {})) for case in OPERATION_CASES for p in case.parameters]
    kinds = {"enum" if "enum" in s else s.get("format") or s.get("type") for s in schemas}
    assert {"uuid", "boolean", "integer", "enum", "string", "array"} <= kinds
    assert {named for *_, named, _ in (p.values for p in REFUSALS)} >= {"flow", "is_active", "page", "category_in[0]"}


async def call(surface: str, case: OperationCase, server: FakeHilosServer, arguments: dict[str, Any]) -> Any:
    operation = case.operation
    if surface.startswith(("Hilos", "AsyncHilos")):
        method = operation.name + ("_all" if surface.endswith("_all") else "")
        if surface.startswith("Hilos"):
            with Hilos(base_url=server.base_url, token=TOKEN) as hilos:
                result = getattr(getattr(hilos, operation.tag), method)(**arguments)
                return list(result) if surface.endswith("_all") else result
        async with AsyncHilos(base_url=server.base_url, token=TOKEN) as ahilos:
            result = getattr(getattr(ahilos, operation.tag), method)(**arguments)
            return [item async for item in result] if surface.endswith("_all") else await result
    function = getattr(case.module(), surface)
    with AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client:
        if surface == "asyncio_all":
            async with client:
                return [item async for item in function(client=client, **arguments)]
        if inspect.iscoroutinefunction(function):
            async with client:
                return await function(client=client, **arguments)
        result = function(client=client, **arguments)
        return list(result) if surface == "sync_all" else result


@pytest.mark.parametrize(("case", "name", "value", "error", "named", "surface"), REFUSALS)
async def test_a_bad_argument_is_refused_before_sending_naming_the_parameter(
    spec_api: FakeHilosServer,
    case: OperationCase,
    name: str,
    value: Any,
    error: type[errors.InvalidParameterError],
    named: str,
    surface: str,
) -> None:
    spec_api.requests.clear()
    with pytest.raises(error) as caught:
        await call(surface, case, spec_api, {**case.required_arguments(), name: value})
    assert type(caught.value) is error
    assert caught.value.parameter == named
    assert str(caught.value).startswith(f"{named}: ")
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, errors.HilosError)
    assert isinstance(caught.value, TypeError) is (error is errors.InvalidParameterTypeError)
    assert spec_api.requests == []


def normalised() -> list[Any]:
    """(case, argument, value as text, what openapi-core reads back) for every UUID and enum parameter."""
    params = []
    for case in OPERATION_CASES:
        for parameter in case.parameters:
            schema = resolve(SPEC, parameter.get("schema", {}))
            name = case.python_name(parameter)
            if schema.get("format") == "uuid":
                params.append(
                    pytest.param(case, parameter, str(EXAMPLE_UUID).upper(), EXAMPLE_UUID, id=f"{case.id}-{name}")
                )
            elif schema.get("enum"):
                member = next(value for value in schema["enum"] if value is not None)
                params.append(pytest.param(case, parameter, member, member, id=f"{case.id}-{name}"))
    return params


@pytest.mark.parametrize(("case", "parameter", "text", "read_back"), normalised())
@pytest.mark.parametrize("surface", ["sync", "asyncio"])
async def test_a_uuid_as_text_and_an_enum_as_its_value_go_out_canonical(
    spec_api: FakeHilosServer, case: OperationCase, parameter: dict[str, Any], text: Any, read_back: Any, surface: str
) -> None:
    spec_api.request_checks.clear()
    await call(surface, case, spec_api, {**case.required_arguments(), case.python_name(parameter): text})
    assert spec_api.validation_errors == []
    (checked,) = spec_api.request_checks
    sent = checked.path if parameter["in"] == "path" else checked.query
    assert sent[parameter["name"]] == read_back


# -- a body's date-times ---------------------------------------------------------------------------------------
def date_time_paths(schema: dict[str, Any], value: Any, path: str = "") -> Iterator[tuple[list[str | int], str]]:
    """(the JSON path, the Python name `body.…` an error gives) of every date-time in `value`, a body of `schema`."""
    schema = resolve(SPEC, schema)
    for member in schema.get("allOf", []):
        yield from date_time_paths(member, value, path)
    if schema.get("type") == "string" and schema.get("format") == "date-time" and isinstance(value, str):
        yield [], path
    elif isinstance(value, list):
        for index, item in enumerate(value):
            for keys, named in date_time_paths(schema.get("items", {}), item, f"{path}[{index}]"):
                yield [index, *keys], named
    elif isinstance(value, dict):
        for key, item in value.items():
            field = schema.get("properties", {}).get(key)
            if field is not None:
                python = str(PythonIdentifier(key, prefix="field_"))
                for keys, named in date_time_paths(field, item, f"{path}.{python}"):
                    yield [key, *keys], named


def naive_bodies() -> list[Any]:
    """(case, body JSON with one date-time written without an offset, the name its error gives, surface)."""
    params = []
    for case in OPERATION_CASES:
        if case.body_schema is None or case.body_class() is None:
            continue
        full = case.full_body_json()
        for keys, named in date_time_paths(case.body_schema, full):
            body = copy.deepcopy(full)
            at = body
            for key in keys[:-1]:
                at = at[key]
            at[keys[-1]] = NAIVE.isoformat()  # what from_dict reads as a naive datetime
            for surface in SURFACES:
                params.append(pytest.param(case, body, "body" + named, surface, id=f"{case.id}{named}-{surface}"))
    return params


NAIVE_BODIES = naive_bodies()


def test_the_spec_has_a_body_holding_a_date_time() -> None:
    """So that the refusals below are not vacuous (create_flow_execution's contact_list[].created_on today)."""
    assert NAIVE_BODIES


@pytest.mark.parametrize(("case", "body", "named", "surface"), NAIVE_BODIES)
async def test_a_naive_date_time_in_a_body_is_refused_before_sending_naming_the_field(
    spec_api: FakeHilosServer, case: OperationCase, body: Any, named: str, surface: str
) -> None:
    spec_api.requests.clear()
    arguments = {**case.required_arguments(), "body": case.body_class().from_dict(body)}
    with pytest.raises(errors.InvalidParameterError) as caught:
        await call(surface, case, spec_api, arguments)
    assert caught.value.parameter == named
    assert str(caught.value).startswith(f"{named}: naive datetime")
    assert spec_api.requests == []


@pytest.mark.parametrize(("case", "body", "named", "surface"), NAIVE_BODIES)
async def test_the_same_body_with_an_offset_is_sent(
    spec_api: FakeHilosServer, case: OperationCase, body: Any, named: str, surface: str
) -> None:
    del named
    aware = case.body_class().from_dict(case.full_body_json())
    spec_api.requests.clear()
    await call(surface, case, spec_api, {**case.required_arguments(), "body": aware})
    assert len(spec_api.requests) == 1
