"""An operation the spec gains gets the whole runtime with no hand edits.

The upstream spec plus two made-up operations it lacks (a GET by id whose model has an integer enum, and a
POST) goes through the real pipeline (overlay, naming rule, templates) into a temporary folder; the package is
imported from there under another name and exercised against the loopback fake API.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from pipeline.generating.name_rule import proposed_name
from tests.support.fake_hilos import BASE_PATH, LIST_PATH, TOKEN, FakeHilosServer, Fault
from tests.support.regenerated import operation, regenerated_package

CONTACT_ID = "00000000-0000-0000-0000-000000000001"
DETAIL_PATH = "/channel/whatsapp/flow-execution-contact-detail/{id}"
NEW_OPERATIONS: dict[str, dict[str, Any]] = {
    DETAIL_PATH: {
        "get": {
            "operationId": "Get Flow Execution Contact Detail",
            "summary": "Get Flow Execution Contact Detail",
            "tags": ["Flows"],
            "security": [{"tokenAuth": []}],
            "parameters": [
                {"in": "path", "name": "id", "required": True, "schema": {"type": "string", "format": "uuid"}}
            ],
            "responses": {
                "200": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/FlowExecutionContactDetail"}}
                    },
                    "description": "",
                }
            },
        }
    },
    LIST_PATH + "/{id}/cancel": {
        "post": {
            "operationId": "Cancel Flow Execution Contact",
            "summary": "Cancel Flow Execution Contact",
            "tags": ["Flows"],
            "security": [{"tokenAuth": []}],
            "parameters": [
                {"in": "path", "name": "id", "required": True, "schema": {"type": "string", "format": "uuid"}}
            ],
            "responses": {
                "200": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/FlowExecutionContactDetail"}}
                    },
                    "description": "Cancelled.",
                }
            },
        }
    },
}
# Each new operation's module, as `make update-spec` names it.
GET_NAME, CANCEL_NAME = (
    proposed_name(method, path, spec) for path, item in NEW_OPERATIONS.items() for method, spec in item.items()
)
DETAIL_SCHEMA = {
    "type": "object",
    "required": ["id", "status", "priority"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "status": {"$ref": "#/components/schemas/FlowExecutionContactStatusEnum"},
        "priority": {"type": "integer", "enum": [1, 2, 3]},
        "attempts": {"type": "integer"},
    },
}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The package generated from the spec with the new operations, imported as `hilos_client_regenerated`."""
    with regenerated_package(
        tmp_path_factory.mktemp("regenerated"),
        "hilos_client_regenerated",
        paths=NEW_OPERATIONS,
        schemas={"FlowExecutionContactDetail": DETAIL_SCHEMA},
    ) as package:
        yield package


def _client(package: ModuleType, server: FakeHilosServer, **options: Any) -> Any:
    return package.AuthenticatedClient(base_url=server.base_url, token=TOKEN, retry_backoff=0.01, **options)


def _detail(**changes: Any) -> dict[str, Any]:
    return {"id": CONTACT_ID, "status": "RUNNING", "priority": 2, **changes}


def test_new_operation_returns_its_model_and_sends_the_token_to_the_origin(
    regenerated: ModuleType, fake_api: FakeHilosServer
) -> None:
    get = operation(regenerated, GET_NAME)
    fake_api.faults.append(Fault(status=200, body=_detail()))
    with _client(regenerated, fake_api) as client:
        detail = get.sync(CONTACT_ID, client=client, timeout=5.0)
    assert str(detail.id) == CONTACT_ID and detail.priority == 2
    (request,) = fake_api.requests
    assert request.path == BASE_PATH + DETAIL_PATH.replace("{id}", CONTACT_ID)
    assert request.headers["Authorization"] == f"Token {TOKEN}"


def test_new_operation_raises_the_typed_errors(regenerated: ModuleType, fake_api: FakeHilosServer) -> None:
    errors = regenerated.errors
    get = operation(regenerated, GET_NAME)
    with _client(regenerated, fake_api, retries=0) as client:
        with pytest.raises(errors.NotFoundError) as not_found:
            get.sync(CONTACT_ID, client=client)  # the fake API knows no such path: 404 {"detail": "Not found."}
        assert not_found.value.detail == "Not found."
        fake_api.faults.append(Fault(status=520, body="origin down"))
        with pytest.raises(errors.ServerError):
            get.sync(CONTACT_ID, client=client)
        fake_api.faults.append(Fault(status=200, body=_detail(priority="high")))
        with pytest.raises(errors.ResponseValidationError):
            get.sync(CONTACT_ID, client=client)
        fake_api.faults.append(Fault(status=200, body="<html>proxy</html>", content_type="text/html"))
        with pytest.raises(errors.ResponseValidationError):
            get.sync_detailed(CONTACT_ID, client=client)
        fake_api.faults.append(Fault(reset=True))
        with pytest.raises(errors.ApiConnectionError):
            get.sync(CONTACT_ID, client=client)


def test_new_get_is_retried_and_new_post_is_not(regenerated: ModuleType, fake_api: FakeHilosServer) -> None:
    get = operation(regenerated, GET_NAME)
    cancel = operation(regenerated, CANCEL_NAME)
    fake_api.faults.extend(
        [Fault(status=503), Fault(status=429, headers={"Retry-After": "0"}), Fault(status=200, body=_detail())]
    )
    with _client(regenerated, fake_api) as client:
        assert get.sync_detailed(CONTACT_ID, client=client).attempts == 3
        fake_api.faults.append(Fault(status=503))
        with pytest.raises(regenerated.errors.ServerError) as caught:
            cancel.sync(CONTACT_ID, client=client)
    assert caught.value.attempts == 1
    assert [r.method for r in fake_api.requests] == ["GET", "GET", "GET", "POST"]


def test_new_model_tolerates_unknown_int_and_str_enum_values(
    regenerated: ModuleType, fake_api: FakeHilosServer
) -> None:
    get = operation(regenerated, GET_NAME)
    fake_api.faults.append(Fault(status=200, body=_detail(priority=7, status="PAUSED", escalated=True)))
    with _client(regenerated, fake_api) as client:
        detail = get.sync(CONTACT_ID, client=client)
    assert detail.priority == 7 and detail.priority.is_unknown
    assert detail.status == "PAUSED" and detail.status.is_unknown
    assert detail["escalated"] is True
    assert detail.to_dict() == _detail(priority=7, status="PAUSED", escalated=True)
    known = type(detail.priority).from_api(2)
    assert not known.is_unknown
    with pytest.raises(ValueError):
        type(detail.priority)(7)


def test_other_origin_gets_no_token_from_the_regenerated_client(
    regenerated: ModuleType, fake_api: FakeHilosServer, other_origin: FakeHilosServer
) -> None:
    fake_api.faults.append(
        Fault(status=302, headers={"Location": other_origin.base_url + DETAIL_PATH.replace("{id}", CONTACT_ID)})
    )
    other_origin.faults.append(Fault(status=200, body=_detail()))
    with _client(regenerated, fake_api, follow_redirects=True) as client:
        operation(regenerated, GET_NAME).sync(CONTACT_ID, client=client)
    assert "Authorization" not in other_origin.requests[0].headers
