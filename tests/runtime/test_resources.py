"""`Hilos` / `AsyncHilos`: one import, one namespace per tag, one method per operation, over the loopback fake."""

from __future__ import annotations

import inspect
import sys
import uuid
from collections.abc import Callable
from contextlib import aclosing

import attrs
import pytest
from hilos_client import AsyncHilos, AuthenticatedClient, Hilos, errors
from hilos_client._runtime.resources import ClientOptions
from hilos_client._spec import OPERATIONS
from hilos_client.api.flows import list_flow_execution_contacts as module_functions
from hilos_client.models import FlowExecutionContactListSimple

from tests.support.fake_hilos import TOKEN, FakeHilosServer, iter_pages, make_contacts


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
    common = {"client", "from_env", "with_options", *tags}
    assert {name for name in dir(Hilos) if not name.startswith("_")} == {"close", *common}
    assert {name for name in dir(AsyncHilos) if not name.startswith("_")} == {"aclose", *common}


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
