"""patches/runtime/servers.py: the spec's server URL template and which base URLs are accepted."""

from __future__ import annotations

import pytest

from patches.runtime.errors import ConfigurationError
from patches.runtime.servers import ServerTemplate, check_base_url, is_loopback

ACCOUNT_SERVER = ServerTemplate("https://{account}.api.example/v3", {"account": "youraccount"})


def test_url_fills_variables_and_keeps_defaults_for_the_rest() -> None:
    assert ACCOUNT_SERVER.url(account="acme") == "https://acme.api.example/v3"
    assert ACCOUNT_SERVER.url() == "https://youraccount.api.example/v3"


def test_account_variable_is_the_first_variable_or_none() -> None:
    assert ACCOUNT_SERVER.account_variable == "account"
    assert ServerTemplate("https://api.example").account_variable is None


def test_base_url_for_account_checks_the_label() -> None:
    assert ACCOUNT_SERVER.base_url_for_account("acme-2") == "https://acme-2.api.example/v3"
    with pytest.raises(ConfigurationError, match="not a valid host name label"):
        ACCOUNT_SERVER.base_url_for_account("evil.example/x?")


def test_a_server_without_variables_has_no_account_to_fill() -> None:
    with pytest.raises(ConfigurationError, match="no account part"):
        ServerTemplate("https://api.example").base_url_for_account("acme")


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("https://{account}.api.example/v3", "placeholder"),
        ("https://youraccount.api.example/v3/", "example address"),
        ("ftp://acme.api.example", "absolute http"),
        ("https://user:pw@acme.api.example", "credentials"),
        ("http://acme.api.example", "plain http"),
    ],
)
def test_refused_base_urls(base_url: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        check_base_url(base_url, server=ACCOUNT_SERVER)


@pytest.mark.parametrize(
    "base_url", ["https://acme.api.example/v3", "http://127.0.0.1:8000", "http://localhost/api", "http://[::1]:1"]
)
def test_accepted_base_urls(base_url: str) -> None:
    check_base_url(base_url, server=ACCOUNT_SERVER)


def test_remote_plain_http_only_when_asked() -> None:
    check_base_url("http://acme.api.example", server=ACCOUNT_SERVER, allow_insecure_http=True)


@pytest.mark.parametrize(("host", "expected"), [("LOCALHOST", True), ("127.0.0.2", True), ("10.0.0.1", False)])
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected
