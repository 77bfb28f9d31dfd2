"""sync_all / asyncio_all come from the templates for any page-number paginated operation the spec gains.

The upstream spec plus three made-up operations goes through the real pipeline into a temporary folder:
a paginated list under a path parameter without `page_size`, a paginated list with `page_size` and a filter,
and a GET with a `page` parameter whose answer is not a page (which must get no iterators). The package is
imported under another name and read end to end from the loopback fake API.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from pipeline.generating.name_rule import proposed_name
from tests.support.fake_hilos import BASE_PATH, TOKEN, FakeHilosServer, Fault, RecordedRequest, make_contacts
from tests.support.operation_cases import OPERATION_CASES
from tests.support.pages import contact_ids, ids
from tests.support.regenerated import operation, regenerated_package

FLOW_ID = "00000000-0000-0000-0000-00000000abcd"
STEPS_PATH = "/channel/whatsapp/flow/{flow_id}/step"
FLOWS_PATH = "/channel/whatsapp/flow"
SUMMARY_PATH = "/channel/whatsapp/flow-summary"


def _get(summary: str, parameters: list[dict[str, Any]], schema: str) -> dict[str, Any]:
    return {
        "get": {
            "operationId": summary,
            "summary": summary,
            "tags": ["Flows"],
            "security": [{"tokenAuth": []}],
            "parameters": parameters,
            "responses": {
                "200": {
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                    "description": "OK",
                }
            },
        }
    }


def _query(name: str, kind: str) -> dict[str, Any]:
    return {"in": "query", "name": name, "required": False, "schema": {"type": kind}}


def _page_of(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": "string", "nullable": True, "format": "uri"},
            "previous": {"type": "string", "nullable": True, "format": "uri"},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
        },
    }


NEW_PATHS = {
    STEPS_PATH: _get(
        "List Flow Steps",
        [
            {"in": "path", "name": "flow_id", "required": True, "schema": {"type": "string", "format": "uuid"}},
            _query("page", "integer"),
        ],
        "PaginatedFlowStepList",
    ),
    FLOWS_PATH: _get(
        "List Flows",
        [_query("page", "integer"), _query("page_size", "integer"), _query("search", "string")],
        "PaginatedFlowList",
    ),
    SUMMARY_PATH: _get("Get Flow Summary", [_query("page", "integer")], "FlowSummary"),
}
ITEM = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string", "format": "uuid"}, "flow_name": {"type": "string"}},
}
# Each new operation's module, as `make update-spec` names it.
NEW_NAMES = {path: proposed_name("get", path, item["get"]) for path, item in NEW_PATHS.items()}
NEW_SCHEMAS = {
    "FlowStep": ITEM,
    "Flow": ITEM,
    "PaginatedFlowStepList": _page_of("FlowStep"),
    "PaginatedFlowList": _page_of("Flow"),
    "FlowSummary": {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}}},
}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The package generated with the new operations, imported as `hilos_client_paginated`."""
    with regenerated_package(
        tmp_path_factory.mktemp("paginated"), "hilos_client_paginated", paths=NEW_PATHS, schemas=NEW_SCHEMAS
    ) as package:
        yield package


def _serve_pages_at(server: FakeHilosServer, path: str) -> None:
    """Answer `path` with the fake API's DRF pagination over its contacts."""

    def handler(request: RecordedRequest) -> Fault | None:
        if request.path != BASE_PATH + path:
            return None
        status, body = server.list_page(request)
        return Fault(status=status, body=body)

    server.handler = handler


def test_only_paginated_operations_get_iterators(regenerated: ModuleType) -> None:
    for case in OPERATION_CASES:  # the spec's own operations keep exactly the iterators they have today
        module = operation(regenerated, case.operation.name, case.operation.tag)
        assert hasattr(module, "sync_all") == hasattr(module, "asyncio_all") == case.paginated, case.id
    for path in (STEPS_PATH, FLOWS_PATH):
        module = operation(regenerated, NEW_NAMES[path])
        assert callable(module.sync_all) and callable(module.asyncio_all), path
    summary = operation(regenerated, NEW_NAMES[SUMMARY_PATH])
    assert not hasattr(summary, "sync_all") and not hasattr(summary, "asyncio_all")


def test_an_operation_with_a_path_parameter_and_no_page_size_reads_every_page(
    regenerated: ModuleType, fake_api: FakeHilosServer
) -> None:
    fake_api.contacts = make_contacts(25)  # served 10 a page: the fake API's default page size
    path = STEPS_PATH.replace("{flow_id}", FLOW_ID)
    _serve_pages_at(fake_api, path)
    steps = operation(regenerated, NEW_NAMES[STEPS_PATH])
    with regenerated.AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN) as client:
        items = list(steps.sync_all(FLOW_ID, client=client))
    assert ids(items) == contact_ids(fake_api.contacts)
    assert [r.path for r in fake_api.requests] == [BASE_PATH + path] * 3
    assert [r.params for r in fake_api.requests] == [{"page": [str(n)]} for n in (1, 2, 3)]


async def test_an_operation_with_page_size_and_a_filter_reads_every_page_concurrently(
    regenerated: ModuleType, fake_api: FakeHilosServer
) -> None:
    fake_api.contacts = make_contacts(30)
    _serve_pages_at(fake_api, FLOWS_PATH)
    flows = operation(regenerated, NEW_NAMES[FLOWS_PATH])
    async with regenerated.AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN) as client:
        items = [item async for item in flows.asyncio_all(client=client, search="user", page_size=7, concurrency=2)]
    assert ids(items) == contact_ids(fake_api.contacts)
    assert sorted(int(r.param("page") or 0) for r in fake_api.requests) == [1, 2, 3, 4, 5]
    assert {r.path for r in fake_api.requests} == {BASE_PATH + FLOWS_PATH}
    assert all(r.param("search") == "user" and r.param("page_size") == "7" for r in fake_api.requests)
