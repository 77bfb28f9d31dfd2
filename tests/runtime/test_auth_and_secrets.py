"""The token goes only to the configured API origin, never into a repr, str or error; unsafe base URLs are refused."""

from __future__ import annotations

import httpx
import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.client import Client, TokenAuth, server_url

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import BASE_PATH, LIST_PATH, TOKEN, FakeHilosServer, Fault, make_contacts


def test_token_is_sent_with_the_token_scheme_to_the_api_origin(fake_api: FakeHilosServer) -> None:
    with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN) as client:
        list_contacts.sync(client=client)
    assert fake_api.requests[0].headers["Authorization"] == f"Token {TOKEN}"


def test_link_to_another_origin_gets_no_token(fake_api: FakeHilosServer, other_origin: FakeHilosServer) -> None:
    with fast_client(fake_api) as client:
        # As a caller following an absolute `next` link that points elsewhere would.
        client.get_httpx_client().get(other_origin.base_url + LIST_PATH)
        client.get_httpx_client().get(fake_api.base_url + LIST_PATH)
    (foreign,) = other_origin.requests
    assert "Authorization" not in foreign.headers
    assert fake_api.requests[0].headers["Authorization"] == f"Token {TOKEN}"


def test_redirect_to_another_host_carries_no_token(fake_api: FakeHilosServer, other_origin: FakeHilosServer) -> None:
    other_origin.contacts = make_contacts(1)
    fake_api.faults.append(Fault(status=302, headers={"Location": other_origin.base_url + LIST_PATH}))
    with fast_client(fake_api, follow_redirects=True) as client:
        response = list_contacts.sync_detailed(client=client)
    (foreign,) = other_origin.requests
    assert "Authorization" not in foreign.headers
    assert response.status_code == 401  # the other host wanted a token it did not get


def test_redirect_within_the_origin_keeps_the_token(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=307, headers={"Location": BASE_PATH + LIST_PATH + "?page=1"}))
    with fast_client(fake_api, follow_redirects=True) as client:
        list_contacts.sync(client=client)
    assert [r.headers.get("Authorization") for r in fake_api.requests] == [f"Token {TOKEN}"] * 2


def test_token_auth_compares_scheme_host_and_port() -> None:
    auth = TokenAuth(TOKEN, prefix="Token", base_url="https://acme.api-us1.com/api/3")

    def sent_header(url: str) -> str | None:
        request = httpx.Request("GET", url)
        sent: httpx.Request = next(auth.auth_flow(request))
        header: str | None = sent.headers.get("Authorization")
        return header

    assert sent_header("https://acme.api-us1.com:443/api/3/x") == f"Token {TOKEN}"
    assert sent_header("http://acme.api-us1.com/api/3/x") is None
    assert sent_header("https://acme.api-us1.com:8443/api/3/x") is None
    assert sent_header("https://evil.example/api/3/x") is None
    assert sent_header("https://acme.api-us1.com.evil.example/api/3/x") is None


def test_no_repr_or_str_shows_the_token(fake_api: FakeHilosServer) -> None:
    client = AuthenticatedClient(
        base_url=fake_api.base_url,
        token=TOKEN,
        headers={"Authorization": f"Token {TOKEN}", "X-Trace": "t1"},
        cookies={"sessionid": TOKEN},
    )
    with client:
        list_contacts.sync(client=client)
        shown = [repr(client), str(client), repr(client.get_httpx_client()), repr(client.get_httpx_client().auth)]
        shown += [repr(client.with_timeout(3.0)), repr(client.with_headers({"X-More": "1"}))]
    for text in shown:
        assert TOKEN not in text
    assert "X-Trace" in repr(client)


def test_errors_do_not_show_the_token(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=500, body={"detail": "boom"}))
    with fast_client(fake_api, retries=0) as client, pytest.raises(errors.ServerError) as caught:
        list_contacts.sync(client=client)
    everything = str(caught.value) + repr(caught.value) + repr(vars(caught.value)) + str(caught.value.__cause__)
    assert TOKEN not in everything


def test_secret_looking_query_values_are_redacted_in_urls() -> None:
    assert (
        errors.redact_url("https://u:p@h.example/x?api_key=s3cret&page=2")
        == "https://h.example/x?api_key=%2A%2A%2A&page=2"
    )


@pytest.mark.parametrize(
    "base_url", ["http://acme.api-us1.com/api/3", "http://10.0.0.5/api/3", "http://localhost.evil.example/api/3"]
)
def test_plain_http_to_a_remote_host_is_refused(base_url: str) -> None:
    with pytest.raises(errors.ConfigurationError, match="allow_insecure_http"):
        AuthenticatedClient(base_url=base_url, token=TOKEN)
    with pytest.raises(errors.ConfigurationError):
        Client(base_url=base_url)


def test_plain_http_to_a_remote_host_is_allowed_when_asked() -> None:
    client = AuthenticatedClient(base_url="http://acme.api-us1.com/api/3", token=TOKEN, allow_insecure_http=True)
    assert client.base_url == "http://acme.api-us1.com/api/3"


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8000/api/3", "http://localhost/api/3", "http://[::1]:80/x"])
def test_plain_http_to_loopback_is_allowed(base_url: str) -> None:
    AuthenticatedClient(base_url=base_url, token=TOKEN)


@pytest.mark.parametrize(
    "base_url",
    [
        "https://{youraccountname}.api-us1.com/api/3",
        server_url(),
        server_url().upper(),
        server_url() + "/",
    ],
)
def test_spec_placeholder_base_url_is_refused(base_url: str) -> None:
    assert server_url() == "https://youraccountname.api-us1.com/api/3"
    with pytest.raises(errors.ConfigurationError):
        AuthenticatedClient(base_url=base_url, token=TOKEN)


@pytest.mark.parametrize(
    "base_url", ["acme.api-us1.com/api/3", "ftp://acme.api-us1.com", "https://user:pw@acme.api-us1.com"]
)
def test_malformed_base_url_is_refused(base_url: str) -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        AuthenticatedClient(base_url=base_url, token=TOKEN)
    assert "pw" not in str(caught.value)


def test_positional_base_url_and_token_still_work(fake_api: FakeHilosServer) -> None:
    with AuthenticatedClient(fake_api.base_url, TOKEN) as client:
        assert list_contacts.sync(client=client).count == 0
