"""Every call of every operation, on every surface, sends a request that conforms to the spec.

Each operation is called through its module functions (`sync`, `sync_detailed`, `asyncio`, `asyncio_detailed`),
the `Hilos` / `AsyncHilos` methods, their `with_raw_response` twins and, when paginated, `sync_all` / `asyncio_all` / `<operation>_all`, with the
sparsest valid arguments, with every optional query parameter set and the fullest body, and with that body's
nullable fields null (plus request bodies drawn from their schema), against a real HTTP server on 127.0.0.1
that validates each request with openapi-core (`tests/support/spec_validation.py`).
Beyond conformance, what openapi-core read back from the wire must be what the caller passed, and the answer
must parse into what the server sent. Every surface also sends `extra_headers` and `extra_query` (an undeclared
query parameter, which the check reports: the only error there may be).
"""

from __future__ import annotations

import datetime
import inspect
import typing
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hilos_client import AsyncHilos, AuthenticatedClient, Hilos
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.support.fake_hilos import DEFAULT_PAGE_SIZE, TOKEN, FakeHilosServer
from tests.support.operation_cases import (
    OPERATION_CASES,
    SPEC,
    OperationCase,
    each_operation,
    fullest_instance,
    minimal_instance,
    unmarshalled,
)
from tests.support.spec_schema import resolve
from tests.support.spec_strategies import as_written, json_values

RAW_SURFACES = ("Hilos.with_raw_response", "AsyncHilos.with_raw_response")
SURFACES = ("sync", "sync_detailed", "asyncio", "asyncio_detailed", "Hilos", "AsyncHilos", *RAW_SURFACES)
LISTING_SURFACES = ("sync_all", "asyncio_all", "Hilos", "AsyncHilos")
ARGUMENT_SETS = ("required", "every")
CALLS = [
    pytest.param(case, argument_set, id=f"{case.id}-{argument_set}")
    for case in OPERATION_CASES
    for argument_set in (*ARGUMENT_SETS, *(("nulls",) if case.body_schema is not None else ()))
]
"""Every operation with each set of arguments: the sparsest valid call ("required", an optional body left out),
everything set ("every"), and for a body, everything set with every nullable field of the body null ("nulls")."""


def arguments_for(case: OperationCase, argument_set: str) -> dict[str, Any]:
    if argument_set == "every":
        return case.every_argument()
    if argument_set == "nulls":
        return {**case.every_argument(), "body": case.body_class().from_dict(sent_body(case, argument_set))}
    arguments = case.required_arguments()
    if not case.body_required:
        arguments.pop("body", None)
    return arguments


def sent_query(case: OperationCase, argument_set: str) -> dict[str, Any]:
    """The query parameters the call must put on the wire, as openapi-core unmarshals them."""
    values = {
        parameter["name"]: minimal_instance(parameter.get("schema", {}))
        for parameter in case.parameters
        if parameter["in"] == "query" and parameter.get("required")
    }
    if argument_set != "required":
        values.update(case.optional_query_json())
    return {name: unmarshalled(case.query_parameter(name).get("schema", {}), value) for name, value in values.items()}


def sent_path(case: OperationCase) -> dict[str, Any]:
    return {
        parameter["name"]: unmarshalled(parameter.get("schema", {}), minimal_instance(parameter.get("schema", {})))
        for parameter in case.parameters
        if parameter["in"] == "path"
    }


def sent_body(case: OperationCase, argument_set: str) -> Any:
    if argument_set == "every":
        return case.full_body_json()
    if argument_set == "nulls":
        return None if case.body_schema is None else fullest_instance(case.body_schema, request=True, nulls=True)
    return case.body_json() if case.body_required else None


def expected_answer(case: OperationCase) -> Any:
    """What `sync()` returns for the sparsest answer: the model it parses into, or None without a body."""
    returned = typing.get_type_hints(case.module().sync)["return"]
    body = case.response_json()
    return None if body is None or returned is type(None) else returned.from_dict(body)


async def call(surface: str, case: OperationCase, server: FakeHilosServer, arguments: dict[str, Any]) -> Any:
    operation = case.operation
    if surface in ("Hilos", "Hilos.with_raw_response"):
        with Hilos(base_url=server.base_url, token=TOKEN) as hilos:
            tags = hilos.with_raw_response if surface in RAW_SURFACES else hilos
            return getattr(getattr(tags, operation.tag), operation.name)(**arguments)
    if surface in ("AsyncHilos", "AsyncHilos.with_raw_response"):
        async with AsyncHilos(base_url=server.base_url, token=TOKEN) as ahilos:
            atags = ahilos.with_raw_response if surface in RAW_SURFACES else ahilos
            return await getattr(getattr(atags, operation.tag), operation.name)(**arguments)
    function = getattr(case.module(), surface)
    with AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client:
        if inspect.iscoroutinefunction(function):
            async with client:
                return await function(client=client, **arguments)
        return function(client=client, **arguments)


def assert_conforms(server: FakeHilosServer, case: OperationCase, argument_set: str) -> None:
    assert server.validation_errors == []
    (checked,) = server.request_checks
    assert checked.operation == case.operation
    assert checked.query == sent_query(case, argument_set)
    assert checked.path == sent_path(case)
    assert checked.body == sent_body(case, argument_set)
    if checked.body is None:
        (request,) = server.requests
        assert request.body == b""
        assert "Content-Type" not in request.headers


@pytest.mark.parametrize(("case", "argument_set"), CALLS)
@pytest.mark.parametrize("surface", SURFACES)
async def test_every_call_conforms_and_parses_the_answer(
    spec_api: FakeHilosServer, case: OperationCase, surface: str, argument_set: str
) -> None:
    result = await call(surface, case, spec_api, arguments_for(case, argument_set))

    assert_conforms(spec_api, case, argument_set)
    if surface.endswith("_detailed") or surface in RAW_SURFACES:
        assert result.status_code == case.success_status
        assert result.parsed == expected_answer(case)
        (sent,) = spec_api.requests
        path, _, query = result.url.raw_path.decode().partition("?")
        assert (result.request.method, path, query) == (case.operation.method, sent.path, sent.query)
        assert result.url == result.request.url
        assert result.elapsed > datetime.timedelta(0)
    else:
        assert result == expected_answer(case)


# -- extra_headers and extra_query ----------------------------------------------------------------------------------

EXTRA_HEADERS = {"X-Hilos-Test": "extras"}
# Not a parameter of any operation: the check reports it, which proves it arrived, and nothing else may be wrong.
EXTRA_QUERY = {"no_such_filter": "1"}
UNDECLARED = ("query parameter 'no_such_filter' is not declared by the operation",)


def assert_extras_arrived(server: FakeHilosServer) -> None:
    assert server.requests
    assert [checked.errors for checked in server.request_checks] == [UNDECLARED] * len(server.requests)
    for sent in server.requests:
        assert {name.lower(): value for name, value in sent.headers.items()}["x-hilos-test"] == "extras"
        assert sent.params["no_such_filter"] == ["1"]


@each_operation()
@pytest.mark.parametrize("surface", SURFACES)
async def test_every_call_sends_its_extra_headers_and_query(
    spec_api: FakeHilosServer, case: OperationCase, surface: str
) -> None:
    extras = {"extra_headers": EXTRA_HEADERS, "extra_query": EXTRA_QUERY}
    await call(surface, case, spec_api, {**arguments_for(case, "required"), **extras})
    assert_extras_arrived(spec_api)
    (sent,) = spec_api.requests
    declared = {name: [str(value)] for name, value in sent_query(case, "required").items()}
    assert {name: values for name, values in sent.params.items() if name != "no_such_filter"} == declared


# -- request bodies drawn from their schema -------------------------------------------------------------------------


@each_operation(where=lambda case: case.body_schema is not None)
@settings(
    max_examples=8,
    deadline=None,
    database=None,
    # Shrinking a body of this size takes minutes; a failure shows the body as drawn.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_every_body_the_schema_allows_goes_out_as_given(
    spec_api: FakeHilosServer, case: OperationCase, data: st.DataObject
) -> None:
    body_schema = case.body_schema or {}
    body = data.draw(json_values(SPEC, body_schema, response=False), label="body")
    spec_api.request_checks.clear()
    spec_api.requests.clear()
    with AuthenticatedClient(base_url=spec_api.base_url, token=TOKEN) as client:
        case.module().sync(client=client, **{**case.required_arguments(), "body": case.body_class().from_dict(body)})
    assert spec_api.validation_errors == []
    (checked,) = spec_api.request_checks
    assert checked.body == as_written(SPEC, body_schema, body)


# -- paginated listings -------------------------------------------------------------------------------------------


def listing_items(case: OperationCase, count: int) -> list[Any]:
    """`count` distinct spec-valid items of the listing's `results`."""
    page_schema = resolve(SPEC, case.response_schema() or {})
    item_schema = page_schema["properties"]["results"]["items"]
    return [fullest_instance(item_schema, index=index) for index in range(count)]


async def iterate(surface: str, case: OperationCase, server: FakeHilosServer, arguments: dict[str, Any]) -> list[Any]:
    operation = case.operation
    if surface == "Hilos":
        with Hilos(base_url=server.base_url, token=TOKEN) as hilos:
            return list(getattr(getattr(hilos, operation.tag), f"{operation.name}_all")(**arguments))
    if surface == "AsyncHilos":
        async with AsyncHilos(base_url=server.base_url, token=TOKEN) as ahilos:
            return [
                item async for item in getattr(getattr(ahilos, operation.tag), f"{operation.name}_all")(**arguments)
            ]
    with AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client:
        if surface == "asyncio_all":
            async with client:
                return [item async for item in case.module().asyncio_all(client=client, **arguments)]
        return list(case.module().sync_all(client=client, **arguments))


@each_operation(where=lambda case: case.paginated)
@pytest.mark.parametrize("surface", LISTING_SURFACES)
@pytest.mark.parametrize("argument_set", ARGUMENT_SETS)
async def test_every_page_of_a_listing_conforms(
    spec_api: FakeHilosServer, case: OperationCase, surface: str, argument_set: str
) -> None:
    accepted = inspect.signature(case.module().sync_all).parameters
    arguments = {name: value for name, value in arguments_for(case, argument_set).items() if name in accepted}
    # Pages of two items when the caller can choose, else the server's default size: two pages either way.
    page_size = 2 if "page_size" in accepted else DEFAULT_PAGE_SIZE
    if "page_size" in accepted:
        arguments["page_size"] = page_size
    items = listing_items(case, page_size + 1)
    spec_api.listings[case.operation.name] = items

    found = await iterate(surface, case, spec_api, arguments)

    item_class = typing.get_args(typing.get_type_hints(case.module().sync_all)["return"])[0]
    assert found == [item_class.from_dict(item) for item in items]
    assert spec_api.validation_errors == []
    filters = {
        name: value for name, value in sent_query(case, argument_set).items() if name not in ("page", "page_size")
    }
    assert len(spec_api.request_checks) >= 2
    for checked in spec_api.request_checks:
        assert checked.operation == case.operation
        assert {name: value for name, value in checked.query.items() if name not in ("page", "page_size")} == filters
    assert {checked.query.get("page", 1) for checked in spec_api.request_checks} >= {1, 2}


@each_operation(where=lambda case: case.paginated)
@pytest.mark.parametrize("surface", LISTING_SURFACES)
async def test_every_page_request_of_a_listing_sends_the_extras(
    spec_api: FakeHilosServer, case: OperationCase, surface: str
) -> None:
    accepted = inspect.signature(case.module().sync_all).parameters
    arguments = {name: value for name, value in arguments_for(case, "required").items() if name in accepted}
    page_size = 2 if "page_size" in accepted else DEFAULT_PAGE_SIZE
    if "page_size" in accepted:
        arguments["page_size"] = page_size
    spec_api.listings[case.operation.name] = listing_items(case, page_size + 1)

    await iterate(surface, case, spec_api, {**arguments, "extra_headers": EXTRA_HEADERS, "extra_query": EXTRA_QUERY})

    assert len(spec_api.requests) >= 2
    assert_extras_arrived(spec_api)


# -- the check itself catches bad requests ------------------------------------------------------------------------


def raw_request(case: OperationCase, server: FakeHilosServer, **changes: Any) -> httpx.Request:
    """The sparsest valid request of the operation, built by hand, with `changes` to its parts."""
    path = case.operation.path.format(**{name: str(value) for name, value in sent_path(case).items()})
    body = case.body_json()
    parts: dict[str, Any] = {
        "url": server.base_url + path,
        "params": {},
        "headers": {"Authorization": f"Token {TOKEN}"},
        "content": None if body is None else httpx.Request("POST", "/", json=body).content,
    }
    if body is not None:
        parts["headers"]["Content-Type"] = "application/json"
    parts.update(changes)
    return httpx.Request(case.operation.method, **parts)


def send(request: httpx.Request) -> None:
    with httpx.Client() as client:
        client.send(request)


@each_operation()
def test_the_hand_built_request_passes(spec_api: FakeHilosServer, case: OperationCase) -> None:
    """The control for the tests below: each of them breaks this request in exactly one place."""
    send(raw_request(case, spec_api))
    assert spec_api.validation_errors == []
    assert len(spec_api.request_checks) == 1


def without_body_fields(case: OperationCase) -> bool:
    schema = resolve(SPEC, case.body_schema or {})
    return case.body_schema is None or not schema.get("required")


BREAKAGES: dict[
    str, tuple[Callable[[OperationCase], bool], Callable[[OperationCase, FakeHilosServer], httpx.Request], str]
] = {
    "no-token": (
        lambda case: True,
        lambda case, server: raw_request(case, server, headers={}),
        "SecurityValidationError",
    ),
    "undeclared-query-parameter": (
        lambda case: True,
        lambda case, server: raw_request(case, server, params={"no_such_filter": "1"}),
        "'no_such_filter' is not declared",
    ),
    "wrong-content-type": (
        lambda case: case.body_schema is not None,
        lambda case, server: raw_request(
            case,
            server,
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/x-www-form-urlencoded"},
        ),
        "Content for the following mimetype not found",
    ),
    "required-body-field-missing": (
        lambda case: not without_body_fields(case),
        lambda case, server: raw_request(
            case, server, content=b"{}", headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"}
        ),
        "is a required property",
    ),
    "body-to-an-operation-without-one": (
        lambda case: case.body_schema is None,
        lambda case, server: raw_request(
            case, server, content=b"{}", headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"}
        ),
        "body sent to an operation that takes none",
    ),
    "malformed-path-parameter": (
        lambda case: bool(sent_path(case)),
        lambda case, server: raw_request(
            case,
            server,
            url=server.base_url + case.operation.path.format(**dict.fromkeys(sent_path(case), "not-a-uuid")),
        ),
        "Invalid path parameter",
    ),
}


@pytest.mark.parametrize(
    ("case", "breakage"),
    [
        pytest.param(case, breakage, id=f"{case.id}-{breakage}")
        for case in OPERATION_CASES
        for breakage, (applies, _, _) in BREAKAGES.items()
        if applies(case)
    ],
)
def test_the_check_catches_a_request_broken_in_one_place(
    spec_api: FakeHilosServer, case: OperationCase, breakage: str
) -> None:
    _, broken, expected = BREAKAGES[breakage]
    send(broken(case, spec_api))
    (error,) = spec_api.validation_errors
    assert expected in error
