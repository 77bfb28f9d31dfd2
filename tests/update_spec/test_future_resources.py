"""A tag and an operation the spec gains appear on `Hilos` / `AsyncHilos` with no hand edits: the spec plus a
made-up "Agents" tag goes through the real pipeline, and the new method is called over the loopback fake."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import hilos_client
import pytest

from pipeline.generating.name_rule import proposed_name
from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault
from tests.support.operation_cases import OPERATION_CASES, SPEC
from tests.support.regenerated import regenerated_package

AGENT = {"id": 7, "email": "agent@example.com"}
NEW_TAG_OPERATION: dict[str, dict[str, Any]] = {
    "/channel/whatsapp/agent/{id}": {
        "get": {
            "operationId": "Get Agent",
            "summary": "Get Agent",
            "description": "One agent of the account.",
            "tags": ["Agents"],
            "security": [{"tokenAuth": []}],
            "parameters": [{"in": "path", "name": "id", "required": True, "schema": {"type": "integer"}}],
            "responses": {
                "200": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Agent"}}},
                    "description": "The agent.",
                }
            },
        }
    },
    "/channel/whatsapp/agent-status": {
        "get": {
            "operationId": "Get Agent Status",
            "summary": "Get Agent Status",
            "tags": ["Agents"],
            "security": [],
            "responses": {
                "200": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Agent"}}},
                    "description": "Public: no token needed.",
                }
            },
        }
    },
}
# Each new operation's module, as `make update-spec` names it.
GET_AGENT, GET_AGENT_STATUS = (proposed_name("get", path, item["get"]) for path, item in NEW_TAG_OPERATION.items())
AGENT_SCHEMA = {
    "type": "object",
    "required": ["id", "email"],
    "properties": {"id": {"type": "integer"}, "email": {"type": "string"}},
}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with regenerated_package(
        tmp_path_factory.mktemp("regenerated"),
        "hilos_client_with_agents",
        paths=NEW_TAG_OPERATION,
        schemas={"Agent": AGENT_SCHEMA},
    ) as package:
        yield package


def test_a_new_tag_is_a_namespace_whose_method_calls_the_operation(
    regenerated: ModuleType, fake_api: FakeHilosServer
) -> None:
    fake_api.route("GET", "/channel/whatsapp/agent/{id}", lambda request, path: Fault(status=200, body=AGENT))
    with regenerated.Hilos(base_url=fake_api.base_url, token=TOKEN) as hilos:
        agent = getattr(hilos.agents, GET_AGENT)(7)
        assert hasattr(hilos, "flows")  # the existing tags stay
    assert (agent.id, agent.email) == (7, "agent@example.com")
    (request,) = fake_api.requests
    assert request.path.endswith("/channel/whatsapp/agent/7")
    assert "One agent of the account." in (inspect.getdoc(getattr(hilos.agents, GET_AGENT)) or "")


async def test_the_async_twin_has_it_too(regenerated: ModuleType, fake_api: FakeHilosServer) -> None:
    fake_api.route("GET", "/channel/whatsapp/agent/{id}", lambda request, path: Fault(status=200, body=AGENT))
    async with regenerated.AsyncHilos(base_url=fake_api.base_url, token=TOKEN) as hilos:
        agent = await getattr(hilos.agents, GET_AGENT)(id=7)
    assert agent.email == "agent@example.com"


def test_a_non_paginated_operation_gets_no_all_method(regenerated: ModuleType) -> None:
    agents = regenerated.Hilos(base_url="http://127.0.0.1:9/api/3", token=TOKEN).agents
    assert [name for name in dir(agents) if not name.startswith("_")] == sorted([GET_AGENT, GET_AGENT_STATUS])


def test_client_without_token_is_exported_once_an_operation_needs_no_auth(
    regenerated: ModuleType, fake_api: FakeHilosServer
) -> None:
    # (an operation's own `security` replaces the spec's; none, or an empty one, means no token)
    needs_no_token = [case.id for case in OPERATION_CASES if not case.spec.get("security", SPEC.get("security"))]
    assert ("Client" in hilos_client.__all__) == bool(needs_no_token), needs_no_token
    assert hilos_client.Client is hilos_client.client.Client  # 1.0.0.0 exported it: still importable
    assert vars(hilos_client)["Client"] is hilos_client.client.Client  # imported on first use, then kept
    assert "Client" in regenerated.__all__
    status = importlib.import_module(f"{regenerated.__name__}.api.agents.{GET_AGENT_STATUS}")
    accepted = inspect.signature(status.sync).parameters["client"].annotation
    assert accepted == regenerated.AuthenticatedClient | regenerated.Client
    with regenerated.Client(base_url=fake_api.base_url) as client:
        status.sync_detailed(client=client)  # the fake answers 401 to any request without the token
    (request,) = fake_api.requests
    assert "Authorization" not in request.headers
