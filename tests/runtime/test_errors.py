"""Every failure of an operation call is a typed error from hilos_client.errors (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import socket
from http import HTTPStatus

import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts

from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault, make_contacts

PROXY_ERROR_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"


def client_for(server: FakeHilosServer, *, token: str = TOKEN) -> AuthenticatedClient:
    # Retries are off here so each scripted fault is the final answer (tests/runtime/test_retries.py covers them).
    return AuthenticatedClient(base_url=server.base_url, token=token, retries=0)


def test_wrong_token_raises_authentication_error_with_drf_detail(fake_api: FakeHilosServer) -> None:
    with client_for(fake_api, token="wrong") as client, pytest.raises(errors.AuthenticationError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.status_code == 401
    assert caught.value.detail == "Invalid token."
    assert caught.value.method == "GET"
    assert caught.value.url.endswith("/api/3/channel/whatsapp/flow-execution-contact")
    assert "wrong" not in str(caught.value)


def test_page_past_the_end_raises_not_found_with_invalid_page_detail(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(3)
    with client_for(fake_api) as client, pytest.raises(errors.NotFoundError) as caught:
        list_contacts.sync(client=client, page=2)
    assert caught.value.detail == "Invalid page."
    assert "page=2" in caught.value.url


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (400, errors.ApiStatusError),
        (499, errors.ApiStatusError),
        (501, errors.ServerError),
        (520, errors.ServerError),
    ],
)
def test_each_status_maps_to_its_error_class(
    fake_api: FakeHilosServer, status: int, error_class: type[errors.ApiStatusError]
) -> None:
    fake_api.faults.append(Fault(status=status, body={"detail": f"status {status}"}))
    with client_for(fake_api) as client, pytest.raises(error_class) as caught:
        list_contacts.sync(client=client)
    assert type(caught.value) is error_class
    assert caught.value.status_code == status
    assert caught.value.detail == f"status {status}"


def test_proxy_html_error_page_is_a_server_error_with_the_page_as_body(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=502, body=PROXY_ERROR_PAGE, content_type="text/html"))
    with client_for(fake_api) as client, pytest.raises(errors.ServerError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.detail is None
    assert caught.value.body == PROXY_ERROR_PAGE
    assert "nginx" in str(caught.value)


@pytest.mark.parametrize("status", [499, 520, 599])
def test_detailed_returns_unregistered_status_codes_without_crashing(fake_api: FakeHilosServer, status: int) -> None:
    fake_api.faults.append(Fault(status=status, body="odd"))
    with client_for(fake_api) as client:
        response = list_contacts.sync_detailed(client=client)
    assert response.status_code == status
    assert response.parsed is None
    assert response.content == b"odd"


def test_detailed_keeps_http_status_for_registered_codes(fake_api: FakeHilosServer) -> None:
    with client_for(fake_api) as client:
        response = list_contacts.sync_detailed(client=client)
    assert response.status_code is HTTPStatus.OK
    assert response.parsed is not None


@pytest.mark.parametrize(
    ("body", "content_type", "reason_fragment"),
    [
        (PROXY_ERROR_PAGE, "text/html", "not JSON"),
        ('{"count": 1, "results": [', "application/json", "not JSON"),
        ({"results": []}, None, "count: required field is missing"),
    ],
    ids=["html-page-with-200", "truncated-json", "missing-required-field"],
)
def test_bad_2xx_body_raises_response_validation_error_from_sync_and_detailed(
    fake_api: FakeHilosServer, body: object, content_type: str | None, reason_fragment: str
) -> None:
    with client_for(fake_api) as client:
        for call in (list_contacts.sync, list_contacts.sync_detailed):
            fake_api.faults.append(Fault(status=200, body=body, content_type=content_type))
            with pytest.raises(errors.ResponseValidationError) as caught:
                call(client=client)
            assert caught.value.status_code == 200
            assert reason_fragment in caught.value.reason
            assert caught.value.body[:20] in str(caught.value)


def test_connection_refused_raises_api_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on `port` now: the connection is refused.
    with AuthenticatedClient(base_url=f"http://127.0.0.1:{port}/api/3", token=TOKEN, retries=0) as client:
        with pytest.raises(errors.ApiConnectionError) as caught:
            list_contacts.sync(client=client)
        with pytest.raises(errors.ApiConnectionError):
            list_contacts.sync_detailed(client=client)
    assert not isinstance(caught.value, errors.ApiTimeoutError)
    assert caught.value.url == f"http://127.0.0.1:{port}/api/3/channel/whatsapp/flow-execution-contact"


def test_connection_reset_raises_api_connection_error(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(reset=True)
    with client_for(fake_api) as client, pytest.raises(errors.ApiConnectionError):
        list_contacts.sync(client=client)


def test_slow_server_raises_api_timeout_error(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(delay=1.0)
    with client_for(fake_api) as client, pytest.raises(errors.ApiTimeoutError) as caught:
        list_contacts.sync(client=client, timeout=0.1)
    assert isinstance(caught.value, errors.ApiConnectionError)


async def test_async_calls_raise_the_same_typed_errors(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=520, body="origin error"))
    fake_api.faults.append(Fault(status=200, body="<html></html>", content_type="text/html"))
    async with client_for(fake_api) as client:
        with pytest.raises(errors.ServerError):
            await list_contacts.asyncio(client=client)
        with pytest.raises(errors.ResponseValidationError):
            await list_contacts.asyncio_detailed(client=client)
        fake_api.handler = lambda request: Fault(reset=True)
        with pytest.raises(errors.ApiConnectionError):
            await list_contacts.asyncio(client=client)


def test_undecodable_body_raises_api_connection_error(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=200, body=b"not gzip at all", headers={"Content-Encoding": "gzip"}))
    with client_for(fake_api) as client, pytest.raises(errors.ApiConnectionError) as caught:
        list_contacts.sync(client=client)
    assert "DecodingError" in str(caught.value)


def test_redirect_loop_raises_api_connection_error(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(status=302, headers={"Location": request.path})
    with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN, follow_redirects=True) as client:
        with pytest.raises(errors.ApiConnectionError) as caught:
            list_contacts.sync(client=client)
    assert "TooManyRedirects" in str(caught.value)


RETRIED = 3  # a retried failure must be scripted for all three attempts
# Each failure a client built from the environment can meet, the class it raises and the attributes an
# `except` clause reads (the README's Errors example prints them).
DOCUMENTED_FAILURES: dict[str, tuple[list[Fault], type[errors.HilosError], dict[str, object]]] = {
    "AuthenticationError": (
        [Fault(status=401, body={"detail": "Invalid token."})],
        errors.AuthenticationError,
        {"status_code": 401, "detail": "Invalid token."},
    ),
    "NotFoundError": (
        [Fault(status=404, body={"detail": "Invalid page."})],
        errors.NotFoundError,
        {"detail": "Invalid page."},
    ),
    "RateLimitError": (
        [Fault(status=429, headers={"Retry-After": "0"})] * RETRIED,
        errors.RateLimitError,
        {"retry_after": 0, "attempts": RETRIED},
    ),
    "ServerError": (
        [Fault(status=503, body="busy")] * RETRIED,
        errors.ServerError,
        {"status_code": 503, "attempts": RETRIED},
    ),
    "ApiStatusError": (
        [Fault(status=400, body={"detail": "bad filter"})],
        errors.ApiStatusError,
        {"status_code": 400, "detail": "bad filter"},
    ),
    "ResponseValidationError": (
        [Fault(status=200, body="<html/>", content_type="text/html")],
        errors.ResponseValidationError,
        {"status_code": 200},
    ),
    "ApiTimeoutError": ([], errors.ApiTimeoutError, {"attempts": RETRIED, "limit": "timeout", "seconds": 0.2}),
    "ApiConnectionError": ([Fault(reset=True)] * RETRIED, errors.ApiConnectionError, {"attempts": RETRIED}),
}


@pytest.mark.parametrize("case", list(DOCUMENTED_FAILURES))
def test_a_client_from_the_environment_raises_each_documented_error_class(
    case: str, fake_api: FakeHilosServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults, error_class, attributes = DOCUMENTED_FAILURES[case]
    fake_api.faults.extend(faults)
    if error_class is errors.ApiTimeoutError:
        gate = fake_api.gate()
        fake_api.handler = lambda request: fake_api.hold(gate)
    monkeypatch.setenv("HILOS_API_TOKEN", TOKEN)
    monkeypatch.setenv("HILOS_BASE_URL", fake_api.base_url)
    with AuthenticatedClient.from_env(retry_backoff=0.001, timeout=0.2) as client:
        with pytest.raises(errors.HilosError) as caught:
            list_contacts.sync(client=client, page=1)
    # The exact class: an `except` for its base class placed first would catch it under the wrong name.
    assert type(caught.value) is error_class
    expected = {**attributes, "url": f"{fake_api.base_url}/channel/whatsapp/flow-execution-contact?page=1"}
    assert {name: getattr(caught.value, name) for name in expected} == expected


def test_from_env_without_the_environment_raises_configuration_error_naming_the_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HILOS_API_TOKEN", "HILOS_BASE_URL", "HILOS_ACCOUNT_NAME"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(errors.ConfigurationError, match="HILOS_API_TOKEN"):
        AuthenticatedClient.from_env()
