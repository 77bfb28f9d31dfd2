"""What `list_flow_execution_contacts` puts on the wire, seen by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl

import pytest
from hilos_client import AuthenticatedClient
from hilos_client.api.flows import list_flow_execution_contacts

from tests.support.fake_hilos import BASE_PATH, LIST_PATH, TOKEN, FakeHilosServer, make_contacts

# Callers often get IDs from other systems in upper case; the API compares canonical lower-case UUIDs.
FLOW = uuid.UUID("A3FF7EE5-0C11-49E2-A0D6-7E316626F7B1")
CONTACT = uuid.UUID("{0D4E5F60-1A2B-4C3D-8E9F-A0B1C2D3E4F5}")
FLOW_EXECUTION = uuid.UUID("urn:uuid:11111111-2222-4333-8444-555555555555")
FLOW_VERSION = uuid.UUID(hex="ABCDEF0123454567890ABCDEF0123456")
STEP = uuid.UUID("9F8E7D6C-5B4A-4938-A716-151413121110")
ID = uuid.UUID(int=0xDEADBEEF)


@pytest.mark.parametrize(("is_active", "wire_value"), [(True, "true"), (False, "false")])
def test_header_path_and_query_on_the_wire(fake_api: FakeHilosServer, is_active: bool, wire_value: str) -> None:
    fake_api.contacts = make_contacts(2, flow=str(FLOW))
    with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN) as client:
        list_flow_execution_contacts.sync(
            client=client,
            contact=CONTACT,
            execution_steps_step_id=STEP,
            flow=FLOW,
            flow_execution=FLOW_EXECUTION,
            flow_version=FLOW_VERSION,
            id=ID,
            is_active=is_active,
            page=1,
            page_size=25,
            search="erik@hilos.io",
        )
    (request,) = fake_api.requests
    assert request.method == "GET"
    assert request.path == BASE_PATH + LIST_PATH == "/api/3/channel/whatsapp/flow-execution-contact"
    assert request.headers["Authorization"] == f"Token {TOKEN}"
    assert "Cookie" not in request.headers
    # The raw query text, not a parsed view of it: no percent-encoding of UUIDs, lower-case booleans,
    # plain integers, and the parameter name with its double underscore.
    raw = sorted(pair for pair in request.query.split("&") if not pair.startswith("search="))
    assert raw == sorted(
        [
            "contact=0d4e5f60-1a2b-4c3d-8e9f-a0b1c2d3e4f5",
            "execution_steps__step_id=9f8e7d6c-5b4a-4938-a716-151413121110",
            "flow=a3ff7ee5-0c11-49e2-a0d6-7e316626f7b1",
            "flow_execution=11111111-2222-4333-8444-555555555555",
            "flow_version=abcdef01-2345-4567-890a-bcdef0123456",
            "id=00000000-0000-0000-0000-0000deadbeef",
            f"is_active={wire_value}",
            "page=1",
            "page_size=25",
        ]
    )
    # How "@" is escaped is httpx's business; the server must read back the same text.
    assert [v for k, v in parse_qsl(request.query) if k == "search"] == ["erik@hilos.io"]


def test_unset_arguments_are_not_sent(fake_api: FakeHilosServer) -> None:
    with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN) as client:
        list_flow_execution_contacts.sync(client=client, flow=FLOW)
    (request,) = fake_api.requests
    assert request.query == "flow=a3ff7ee5-0c11-49e2-a0d6-7e316626f7b1"


def test_base_url_with_trailing_slash_gives_the_same_path(fake_api: FakeHilosServer) -> None:
    with AuthenticatedClient(base_url=fake_api.base_url + "/", token=TOKEN) as client:
        list_flow_execution_contacts.sync(client=client)
    (request,) = fake_api.requests
    assert request.path == "/api/3/channel/whatsapp/flow-execution-contact"
