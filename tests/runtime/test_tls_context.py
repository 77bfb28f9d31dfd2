"""Clients share one verifying TLS context instead of building one each (httpx loads the CA bundle per client),
except where httpx would change the context they are given or build it from other settings."""

from __future__ import annotations

import ssl

import certifi
import pytest
from hilos_client import AuthenticatedClient

BASE_URL = "https://youraccount.api-us1.com/api/3"


def verify_given_to_httpx(client: AuthenticatedClient) -> object:
    return client._httpx_kwargs()["verify"]


def test_clients_with_default_verification_share_one_verifying_context() -> None:
    first = verify_given_to_httpx(AuthenticatedClient(base_url=BASE_URL, token="a"))
    second = verify_given_to_httpx(AuthenticatedClient(base_url=BASE_URL, token="b"))
    assert isinstance(first, ssl.SSLContext)
    assert second is first
    assert first.verify_mode == ssl.CERT_REQUIRED
    assert first.check_hostname


def test_the_shared_context_is_the_one_httpx_sends_with() -> None:
    client = AuthenticatedClient(base_url=BASE_URL, token="a")
    assert client.get_httpx_client()._transport._pool._ssl_context is verify_given_to_httpx(client)  # type: ignore[attr-defined]
    assert client.get_async_httpx_client()._transport._pool._ssl_context is verify_given_to_httpx(client)  # type: ignore[attr-defined]


def test_a_client_certificate_or_ignored_environment_gets_its_own_context() -> None:
    with_cert = AuthenticatedClient(base_url=BASE_URL, token="a", httpx_args={"cert": "client.pem"})
    without_env = AuthenticatedClient(base_url=BASE_URL, token="a", httpx_args={"trust_env": False})
    assert verify_given_to_httpx(with_cert) is True
    assert verify_given_to_httpx(without_env) is True


@pytest.mark.parametrize("verify_ssl", [False, "ca.pem"])
def test_an_explicit_verify_setting_is_passed_through(verify_ssl: bool | str) -> None:
    client = AuthenticatedClient(base_url=BASE_URL, token="a", verify_ssl=verify_ssl)
    assert verify_given_to_httpx(client) == verify_ssl


def test_a_changed_ca_environment_gets_a_context_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    default = verify_given_to_httpx(AuthenticatedClient(base_url=BASE_URL, token="a"))
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    assert verify_given_to_httpx(AuthenticatedClient(base_url=BASE_URL, token="a")) is not default
