"""The generated client, unmodified by tests, talks to a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from hilos_client import AuthenticatedClient
from hilos_client.api.flows import list_flow_execution_contacts

from tests.support.fake_hilos import TOKEN, FakeHilosServer, make_contacts


def test_authenticated_client_sends_token_scheme_and_parses_page(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(3)
    with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN) as client:
        page = list_flow_execution_contacts.sync(client=client)
    assert page is not None
    assert page.count == 3
    assert [r.contact.phone for r in page.results] == [c["contact"]["phone"] for c in fake_api.contacts]
    (request,) = fake_api.requests
    assert request.headers["Authorization"] == f"Token {TOKEN}"
    assert request.path == "/api/3/channel/whatsapp/flow-execution-contact"
