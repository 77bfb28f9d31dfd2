"""Contract tests for `hilos_client.api.flows.list_flow_execution_contacts`, one set per recorded case.

For every cassette in tests/contract/cassettes/ (the cases are in tests/contract/cases.py) this proves:
1. the recorded exchange conforms to generated/openapi.patched.json (openapi-core's validators);
2. the client, called with the case's arguments, sends exactly the recorded request (VCR.py replay,
   record mode none, matching method, scheme, host, port, path, query and the Authorization scheme);
3. the parsed model round-trips: `to_dict()` gives back the recorded body.
Under `make record` (pytest-recording `--record-mode=rewrite`) test 2 records the cassettes from the live API.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from hilos_client import AuthenticatedClient
from hilos_client.api.flows import list_flow_execution_contacts
from hilos_client.models import PaginatedFlowExecutionContactListSimpleList
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_core.validation.response.exceptions import InvalidData
from vcr.errors import CannotOverwriteExistingCassetteException  # type: ignore[import-untyped]

from tests.contract import synthesize
from tests.contract.cases import CASES, CASES_BY_NAME, Case
from tests.contract.recording import (
    BASE_URL_ENV,
    OPERATION_ID,
    REPLAY_TOKEN,
    TOKEN_ENV,
    VCR_CONFIG,
    Exchange,
    cassette_path,
    load_exchange,
    parse_exchange,
    replay_vcr,
    server_url_pattern,
)
from tests.support.spec_schema import instants, load_patched_spec, operation_path, response_schema

SPEC = load_patched_spec()
PATH = operation_path(SPEC, OPERATION_ID)
CASE_PARAMS = [pytest.param(case, id=case.name) for case in CASES]


# -- 1. the recording conforms to the patched spec ----------------------------------------------------------------


@functools.cache
def validator(base_url: str) -> OpenAPI:
    """openapi-core for the patched spec, able to place a request recorded at `base_url`.

    Synthesized cassettes use a base URL that matches the spec's server template. A live recording may come
    from a host the spec does not list (the API's own description names api.hilos.io); only then is that
    base URL added as a server, so the operation's path, parameters and response are still checked."""
    if any(server_url_pattern(server["url"]).fullmatch(base_url) for server in SPEC["servers"]):
        return OpenAPI.from_dict(SPEC)
    return OpenAPI.from_dict({**SPEC, "servers": [*SPEC["servers"], {"url": base_url}]})


def openapi_core_exchange(exchange: Exchange) -> tuple[MockRequest, MockResponse]:
    parts = urlsplit(exchange.uri)
    names = [name for name, _ in exchange.query]
    assert len(names) == len(set(names)), f"repeated query parameter in {exchange.uri}"
    request = MockRequest(
        host_url=f"{parts.scheme}://{parts.netloc}",
        method=exchange.method,
        path=parts.path,
        args=dict(exchange.query),
        headers={name: values[0] for name, values in exchange.request_headers.items()},
    )
    headers = {name: values[0] for name, values in exchange.response_headers.items()}
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    response = MockResponse(
        data=exchange.body_text.encode(),
        status_code=exchange.status,
        headers=headers,
        content_type=content_type.split(";")[0],
    )
    return request, response


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_recorded_exchange_conforms_to_patched_spec(case: Case) -> None:
    exchange = load_exchange(case.name)
    request, response = openapi_core_exchange(exchange)
    api = validator(exchange.base_url(PATH))
    api.validate_request(request)
    api.validate_response(request, response)


def synthesized(case_name: str) -> Exchange:
    """A known exchange for the self-tests below, which must hold whatever the cassettes hold after re-recording."""
    return parse_exchange(synthesize.render(SPEC, CASES_BY_NAME[case_name]), f"synthesized {case_name}")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (("status",), "PAUSED"),
        (("id",), "not-a-uuid"),
        (("created_on",), "yesterday"),
        (("contact", "email"), "not-an-email"),
        (("contact", "phone"), None),
    ],
    ids=["unknown-status", "bad-uuid", "bad-date-time", "bad-email", "null-not-nullable"],
)
def test_spec_validation_rejects_a_body_the_spec_does_not_allow(field: tuple[str, ...], value: Any) -> None:
    exchange = synthesized("status_running")
    body = exchange.body
    node = body["results"][0]
    for key in field[:-1]:
        node = node[key]
    node[field[-1]] = value
    request, response = openapi_core_exchange(dataclasses.replace(exchange, body_text=json.dumps(body)))
    with pytest.raises(InvalidData) as raised:
        validator(exchange.base_url(PATH)).validate_response(request, response)
    errors = [str(error.message) for error in getattr(raised.value.__cause__, "schema_errors", ())]
    assert any(error.startswith(repr(value)) for error in errors), errors


# -- 2. the client sends exactly the recorded request -------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    base_url: str
    token: str


def target(case: Case, record_mode: str) -> Target:
    if record_mode == "none":
        return Target(load_exchange(case.name).base_url(PATH), REPLAY_TOKEN)
    token, base_url = os.environ.get(TOKEN_ENV), os.environ.get(BASE_URL_ENV)
    if not token or not base_url:
        pytest.fail(f"recording needs {TOKEN_ENV} and {BASE_URL_ENV} in the environment; run it with `make record`")
    return Target(base_url, token)


def call_client(case: Case, at: Target, **client_options: Any) -> tuple[Any, list[httpx.Request]]:
    """Call the operation with the case's arguments; also return every request the client handed to httpx."""
    sent: list[httpx.Request] = []
    hooks = {"event_hooks": {"request": [sent.append]}}
    with AuthenticatedClient(base_url=at.base_url, token=at.token, httpx_args=hooks, **client_options) as client:
        page = list_flow_execution_contacts.sync(client=client, **case.arguments)
    return page, sent


@pytest.mark.vcr
@pytest.mark.block_network
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_client_sends_exactly_the_recorded_request(case: Case, vcr: Any, record_mode: str) -> None:
    at = target(case, record_mode)
    page, sent = call_client(case, at)
    (request,) = sent
    # The cassette stores the header with the key filtered out; the exact value sent is checked here.
    assert request.headers["Authorization"] == f"Token {at.token}"
    assert isinstance(page, PaginatedFlowExecutionContactListSimpleList), (
        "no page parsed: the API did not answer 200 (its answer is in the cassette). "
        "When recording live: are the IDs in tests/contract/cases.py from your account?"
    )
    if record_mode == "none":
        assert (vcr.play_count, vcr.all_played) == (1, True)


@pytest.mark.parametrize(
    ("arguments", "client_options"),
    [
        pytest.param({"is_active": False}, {}, id="other-value"),
        pytest.param({"is_active": True, "page": 1}, {}, id="extra-param"),
        pytest.param({}, {}, id="missing-param"),
        pytest.param({"is_active": True}, {"prefix": "Bearer"}, id="other-auth-scheme"),
    ],
)
def test_replay_rejects_a_request_that_differs_from_the_recording(
    arguments: dict[str, Any], client_options: dict[str, Any]
) -> None:
    recorded = CASES_BY_NAME["filter_is_active_true"]
    assert recorded.arguments == {"is_active": True}
    with replay_vcr().use_cassette(cassette_path(recorded.name).name, **VCR_CONFIG):
        with pytest.raises(CannotOverwriteExistingCassetteException):
            call_client(
                Case("changed", arguments),
                Target(load_exchange(recorded.name).base_url(PATH), REPLAY_TOKEN),
                **client_options,
            )


# -- 3. the parsed model round-trips to the recorded body ---------------------------------------------------------


def canonical(body: Any) -> str:
    """Type-strict (true is not 1), key-order-free JSON text, with date-times compared as instants."""
    return json.dumps(instants(SPEC, response_schema(SPEC, OPERATION_ID), body), sort_keys=True, indent=1, default=str)


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_parsed_model_round_trips_to_recorded_body(case: Case) -> None:
    body = load_exchange(case.name).body
    model = PaginatedFlowExecutionContactListSimpleList.from_dict(body)
    assert canonical(model.to_dict()) == canonical(body)


def test_round_trip_check_notices_a_lost_field() -> None:
    body = synthesized("nested_meta").body
    model = PaginatedFlowExecutionContactListSimpleList.from_dict(copy.deepcopy(body))  # meta is not copied
    meta = model.results[0].contact.meta
    assert isinstance(meta, dict)
    meta["crm"]["owner"]["teams"][0]["roles"].pop()
    assert canonical(model.to_dict()) != canonical(body)


def test_round_trip_keeps_the_apis_utc_datetime_text() -> None:
    body = synthesized("status_running").body
    assert PaginatedFlowExecutionContactListSimpleList.from_dict(body).to_dict() == body
