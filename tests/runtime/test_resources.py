"""`Hilos` / `AsyncHilos`: one import, one namespace per tag, one method per operation, their
`with_raw_response` twins and the per-call extras, over the loopback fake."""

from __future__ import annotations

import datetime
import inspect
import sys
import typing
import uuid
from collections.abc import Callable, Iterator
from contextlib import aclosing
from typing import Any

import attrs
import httpx
import pytest
from hilos_client import AsyncHilos, AsyncHilosWithRawResponse, AuthenticatedClient, Hilos, HilosWithRawResponse, errors
from hilos_client._runtime.resources import ClientOptions
from hilos_client._spec import OPERATIONS
from hilos_client.api.flows import list_flow_execution_contacts as module_functions
from hilos_client.models import FlowExecutionContactListSimple
from hilos_client.types import Response

from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault, iter_pages, make_contacts
from tests.support.operation_cases import OperationCase, each_operation


def test_one_page_with_filters_through_the_tag_namespace(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(3)
    flow = uuid.UUID(make_contacts(1)[0]["flow"])
    with Hilos(base_url=fake_api.base_url, token=TOKEN) as hilos:
        page = hilos.flows.list_flow_execution_contacts(flow=flow, page_size=2)
    assert (page.count, len(page.results)) == (3, 2)
    (request,) = list(iter_pages(fake_api))
    assert request.param("flow") == str(flow)
    assert request.param("page_size") == "2"
    assert request.headers.get("Authorization") == f"Token {TOKEN}"


def test_all_reads_every_page(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(5)
    with Hilos(base_url=fake_api.base_url, token=TOKEN) as hilos:
        items = list(hilos.flows.list_flow_execution_contacts_all(page_size=2))
    assert [item.id for item in items] == [uuid.UUID(contact["id"]) for contact in fake_api.contacts]
    assert all(isinstance(item, FlowExecutionContactListSimple) for item in items)
    assert len(list(iter_pages(fake_api))) == 3


async def test_async_twin_reads_one_page_and_all_pages(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(5)
    async with AsyncHilos(base_url=fake_api.base_url, token=TOKEN) as hilos:
        page = await hilos.flows.list_flow_execution_contacts(page_size=2)
        async with aclosing(hilos.flows.list_flow_execution_contacts_all(page_size=2, concurrency=2)) as items:
            ids = [item.id async for item in items]
    assert page.count == 5
    assert ids == [uuid.UUID(contact["id"]) for contact in fake_api.contacts]


def test_errors_are_the_module_functions_errors(fake_api: FakeHilosServer) -> None:
    with Hilos(base_url=fake_api.base_url, token="wrong") as hilos, pytest.raises(errors.AuthenticationError):
        hilos.flows.list_flow_execution_contacts()


def test_from_env_and_wrapping_a_client(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(1)
    hilos = Hilos.from_env(environ={"HILOS_API_TOKEN": TOKEN, "HILOS_BASE_URL": fake_api.base_url}, retries=0)
    assert hilos.client.retries == 0
    with hilos:
        assert hilos.flows.list_flow_execution_contacts().count == 1
    client = AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN)
    assert Hilos(client=client).client is client


def test_settings_are_checked_like_the_clients() -> None:
    with pytest.raises(errors.ConfigurationError, match="base_url and token are required"):
        Hilos()
    with pytest.raises(errors.ConfigurationError, match="not both"):
        Hilos(
            base_url="http://127.0.0.1:9/api/3",
            token=TOKEN,
            client=AuthenticatedClient(base_url="http://127.0.0.1:9/api/3", token=TOKEN),
        )
    with pytest.raises(errors.ConfigurationError, match="HILOS_API_TOKEN"):
        AsyncHilos.from_env(environ={})


def test_the_token_stays_out_of_repr(fake_api: FakeHilosServer) -> None:
    hilos = Hilos(base_url=fake_api.base_url, token=TOKEN)
    assert TOKEN not in repr(hilos)
    assert TOKEN not in repr(hilos.flows)


def test_completion_shows_only_the_api() -> None:
    tags = {operation.tag for operation in OPERATIONS}  # one namespace per tag of the spec, and nothing else
    own = {"client", "from_env", "with_options", "with_raw_response"}
    assert {name for name in dir(Hilos) if not name.startswith("_")} == {"close", *own, *tags}
    assert {name for name in dir(AsyncHilos) if not name.startswith("_")} == {"aclose", *own, *tags}
    assert {name for name in dir(HilosWithRawResponse) if not name.startswith("_")} == tags
    assert {name for name in dir(AsyncHilosWithRawResponse) if not name.startswith("_")} == tags


@pytest.mark.parametrize(
    ("hilos_class", "method", "function"),
    [
        (Hilos, "list_flow_execution_contacts", module_functions.sync),
        (Hilos, "list_flow_execution_contacts_all", module_functions.sync_all),
        (AsyncHilos, "list_flow_execution_contacts", module_functions.asyncio),
        (AsyncHilos, "list_flow_execution_contacts_all", module_functions.asyncio_all),
    ],
)
def test_methods_take_the_module_functions_parameters_and_docs(
    hilos_class: type[Hilos | AsyncHilos], method: str, function: Callable[..., object]
) -> None:
    bound = getattr(hilos_class(base_url="http://127.0.0.1:9/api/3", token=TOKEN).flows, method)
    # The tag's namespace imports its models for type checkers only (importing it loads no model), so its
    # annotations are strings: read them with the names of the operation's module, where they are imported.
    names = vars(sys.modules[function.__module__])
    signature = inspect.signature(bound, globals=names, eval_str=True)
    expected = [p for p in inspect.signature(function).parameters.values() if p.name != "client"]
    assert list(signature.parameters.values()) == expected
    assert signature.return_annotation == inspect.signature(function).return_annotation
    if not method.endswith("_all"):  # the iterators' docs name the method instead of sync() / asyncio()
        assert inspect.getdoc(bound) == inspect.getdoc(function)


def test_the_options_hilos_takes_are_exactly_the_clients_keyword_arguments() -> None:
    keyword_arguments = {field.alias for field in attrs.fields(AuthenticatedClient) if field.init and field.kw_only}
    # http_client is a parameter of its own, typed by the kind each class takes (httpx.Client or AsyncClient).
    assert set(ClientOptions.__annotations__) == keyword_arguments - {"http_client"}
    for hilos_class in (Hilos, AsyncHilos):
        assert "http_client" in inspect.signature(hilos_class).parameters
        assert "http_client" in inspect.signature(hilos_class.from_env).parameters


# -- with_raw_response ---------------------------------------------------------------------------------------------


@pytest.fixture
def spec_server() -> Iterator[FakeHilosServer]:
    """A loopback API answering every operation of the spec with its documented success."""
    with FakeHilosServer().serve_spec() as server:
        yield server


def result_class(case: OperationCase) -> Any:
    """The class `sync()` returns (NoneType for an operation without a body)."""
    return typing.get_type_hints(case.module().sync)["return"]


async def raw_call(hilos_class: type[Hilos | AsyncHilos], case: OperationCase, server: FakeHilosServer) -> Any:
    arguments = case.required_arguments()
    if hilos_class is Hilos:
        with Hilos(base_url=server.base_url, token=TOKEN) as hilos:
            return getattr(getattr(hilos.with_raw_response, case.operation.tag), case.operation.name)(**arguments)
    async with AsyncHilos(base_url=server.base_url, token=TOKEN) as ahilos:
        method = getattr(getattr(ahilos.with_raw_response, case.operation.tag), case.operation.name)
        return await method(**arguments)


@each_operation()
@pytest.mark.parametrize("hilos_class", [Hilos, AsyncHilos])
async def test_with_raw_response_returns_the_whole_response_of_every_operation(
    spec_server: FakeHilosServer, case: OperationCase, hilos_class: type[Hilos | AsyncHilos]
) -> None:
    response = await raw_call(hilos_class, case, spec_server)

    assert isinstance(response, Response)
    assert response.status_code == case.success_status
    assert isinstance(response.parsed, result_class(case))
    assert response.attempts == 1
    (sent,) = spec_server.requests
    assert response.request.method == case.operation.method == sent.method
    assert response.url == response.request.url
    assert response.url.path == sent.path
    assert response.url.path.endswith(case.filled_path())
    assert sent.headers["Authorization"] == f"Token {TOKEN}"  # sent, but not kept in the Response
    assert "Authorization" not in response.request.headers
    assert response.elapsed > datetime.timedelta(0)


@each_operation()
@pytest.mark.parametrize("hilos_class", [Hilos, AsyncHilos])
async def test_with_raw_response_returns_an_error_status_instead_of_raising(
    spec_server: FakeHilosServer, case: OperationCase, hilos_class: type[Hilos | AsyncHilos]
) -> None:
    spec_server.faults.append(Fault(status=404, body={"detail": "Not found."}))
    response = await raw_call(hilos_class, case, spec_server)
    assert response.status_code == 404
    assert response.parsed is None or not isinstance(response.parsed, result_class(case))
    assert b"Not found." in response.content


@each_operation(where=lambda case: case.operation.method in ("GET", "PUT", "DELETE"))
def test_elapsed_is_the_whole_call_retries_and_waits_included(
    spec_server: FakeHilosServer, case: OperationCase
) -> None:
    # The first attempt answers 503 after a delay, the retry at once: the call's time holds that delay, which
    # the last attempt's own time (httpx's `elapsed`) does not.
    spec_server.faults.append(Fault(status=503, body={"detail": "busy"}, delay=0.3))
    with Hilos(base_url=spec_server.base_url, token=TOKEN, retry_backoff=0.01) as hilos:
        method = getattr(getattr(hilos.with_raw_response, case.operation.tag), case.operation.name)
        response = method(**case.required_arguments())
    assert (response.status_code, response.attempts) == (case.success_status, 2)
    assert response.elapsed >= datetime.timedelta(seconds=0.3)


@each_operation()
@pytest.mark.parametrize("hilos_class", [Hilos, AsyncHilos])
def test_raw_methods_take_the_detailed_functions_parameters_and_docs(
    case: OperationCase, hilos_class: type[Hilos | AsyncHilos]
) -> None:
    function = getattr(case.module(), "asyncio_detailed" if hilos_class is AsyncHilos else "sync_detailed")
    raw = hilos_class(base_url="http://127.0.0.1:9/api/3", token=TOKEN).with_raw_response
    bound = getattr(getattr(raw, case.operation.tag), case.operation.name)
    signature = inspect.signature(bound, globals=vars(sys.modules[function.__module__]), eval_str=True)
    expected = inspect.signature(function)
    assert list(signature.parameters.values()) == [p for p in expected.parameters.values() if p.name != "client"]
    assert signature.return_annotation == expected.return_annotation
    assert inspect.getdoc(bound) == inspect.getdoc(function)
    assert not hasattr(getattr(raw, case.operation.tag), f"{case.operation.name}_all")


@each_operation()
@pytest.mark.parametrize("hilos_class", [Hilos, AsyncHilos])
def test_every_method_takes_extra_headers_and_extra_query(
    case: OperationCase, hilos_class: type[Hilos | AsyncHilos]
) -> None:
    hilos = hilos_class(base_url="http://127.0.0.1:9/api/3", token=TOKEN)
    tags = [getattr(hilos, case.operation.tag), getattr(hilos.with_raw_response, case.operation.tag)]
    names = [case.operation.name, *([f"{case.operation.name}_all"] if case.paginated else [])]
    for method in [getattr(tag, name) for tag in tags for name in names if hasattr(tag, name)]:
        parameters = inspect.signature(method).parameters
        for name in ("extra_headers", "extra_query"):
            assert (parameters[name].kind, parameters[name].default) == (inspect.Parameter.KEYWORD_ONLY, None)


@each_operation()
def test_extra_headers_cannot_replace_the_token(spec_server: FakeHilosServer, case: OperationCase) -> None:
    with Hilos(base_url=spec_server.base_url, token=TOKEN) as hilos:
        method = getattr(getattr(hilos, case.operation.tag), case.operation.name)
        with pytest.raises(errors.ConfigurationError, match="Authorization") as raised:
            method(**case.required_arguments(), extra_headers={"authorization": "Token another-token"})
    assert "another-token" not in str(raised.value)
    assert spec_server.requests == []  # refused before anything was sent


@each_operation()
def test_extra_headers_win_over_the_clients_headers(spec_server: FakeHilosServer, case: OperationCase) -> None:
    with Hilos(base_url=spec_server.base_url, token=TOKEN, headers={"X-Team": "a", "User-Agent": "app/1"}) as hilos:
        method = getattr(getattr(hilos, case.operation.tag), case.operation.name)
        method(**case.required_arguments(), extra_headers={"x-team": "b"})
    (sent,) = spec_server.requests
    headers = httpx.Headers(sent.headers)
    assert (headers.get_list("X-Team"), headers["User-Agent"]) == (["b"], "app/1")
