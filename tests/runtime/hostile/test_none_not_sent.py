"""An optional parameter given as None is left out of the request, for every type and every function the
templates generate (sync, sync_detailed, asyncio, asyncio_detailed, sync_all, asyncio_all): before, a UUID
filter given None went out as `?flow=None`."""

from __future__ import annotations

import asyncio
import inspect
import typing
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import BASE_PATH, TOKEN, FakeHilosServer, Fault, RecordedRequest
from tests.support.regenerated import operation, regenerated_package

FILTERS = ["contact", "execution_steps_step_id", "flow", "flow_execution", "flow_version", "id", "is_active", "search"]
NONE_FILTERS: dict[str, Any] = dict.fromkeys(FILTERS)


def sent_names(request: RecordedRequest) -> set[str]:
    return set(request.params)


async def call_async_functions(client: Any) -> None:
    await list_contacts.asyncio(client=client, **NONE_FILTERS, page=None, page_size=None)
    await list_contacts.asyncio_detailed(client=client, **NONE_FILTERS)
    async for _ in list_contacts.asyncio_all(client=client, **NONE_FILTERS):
        pass


def test_none_filters_are_not_sent_by_any_function(fake_api: FakeHilosServer) -> None:
    with fast_client(fake_api) as client:
        list_contacts.sync(client=client, **NONE_FILTERS, page=None, page_size=None)
        list_contacts.sync_detailed(client=client, **NONE_FILTERS)
        list(list_contacts.sync_all(client=client, **NONE_FILTERS))
    asyncio.run(call_async_functions(fast_client(fake_api)))
    assert len(fake_api.requests) == 6
    for request in fake_api.requests:
        assert sent_names(request) <= {"page", "page_size"}, request.query
        assert "None" not in request.query


@pytest.mark.parametrize(
    "function", ["sync", "sync_detailed", "asyncio", "asyncio_detailed", "sync_all", "asyncio_all"]
)
def test_signatures_admit_none_for_every_optional_filter(function: str) -> None:
    hints = typing.get_type_hints(getattr(list_contacts, function))
    for name in FILTERS:
        assert type(None) in typing.get_args(hints[name]), (function, name)


THINGS_PATH = "/channel/whatsapp/thing"
PARAMETER_SCHEMAS = {
    "owner": {"type": "string", "format": "uuid"},
    "since": {"type": "string", "format": "date-time"},
    "day": {"type": "string", "format": "date"},
    "kind": {"type": "string", "enum": ["a", "b"]},
    "tags": {"type": "array", "items": {"type": "string"}},
    "active": {"type": "boolean"},
    "limit": {"type": "integer"},
    "ratio": {"type": "number"},
    "q": {"type": "string"},
}
NEW_OPERATION = {
    THINGS_PATH: {
        "get": {
            "operationId": "List Things",
            "tags": ["Flows"],
            "security": [{"tokenAuth": []}],
            "parameters": [
                *({"in": "query", "name": name, "schema": schema} for name, schema in PARAMETER_SCHEMAS.items()),
                {"in": "header", "name": "X-Trace", "schema": {"type": "string"}},
            ],
            "responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}}}, "description": ""}},
        }
    }
}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with regenerated_package(
        tmp_path_factory.mktemp("none_not_sent"), "hilos_client_none_not_sent", paths=NEW_OPERATION, schemas={}
    ) as package:
        yield package


def test_none_is_not_sent_for_any_parameter_type_of_a_new_operation(
    regenerated: ModuleType, fake_api: FakeHilosServer
) -> None:
    fake_api.route("GET", THINGS_PATH, lambda request, params: Fault(status=200, body={}))
    list_things = operation(regenerated, "list_things")
    names = [name for name in inspect.signature(list_things.sync_detailed).parameters if name != "client"]
    given = {name: None for name in names if name not in ("timeout", "deadline")}
    assert {"owner", "since", "day", "kind", "tags", "active", "limit", "ratio", "q", "x_trace"} <= set(given)
    client = regenerated.AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN)
    with client:
        list_things.sync_detailed(client=client, **given)
    (request,) = fake_api.requests
    assert request.path == BASE_PATH + THINGS_PATH
    assert request.query == ""
    assert "X-Trace" not in request.headers
