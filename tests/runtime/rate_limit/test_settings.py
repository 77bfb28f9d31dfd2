"""The limit's default comes from the spec's server; rate_limit= / HILOS_RATE_LIMIT change or turn it off."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from hilos_client import AsyncHilos, AuthenticatedClient, Client, Hilos
from hilos_client._runtime import rate_limit
from hilos_client.errors import ConfigurationError

from pipeline.generating.generate import server_rate_limit, spec_module
from tests.support.fake_hilos import TOKEN

BASE_URL = "https://acme.api-us1.com/api/3"


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HILOS_RATE_LIMIT", raising=False)
    monkeypatch.delenv("HILOS_RATE_LIMIT_URL", raising=False)


def test_the_spec_server_documents_five_requests_per_second() -> None:
    assert Client.server_rate_limit == 5.0
    from hilos_client import _spec

    assert _spec.SERVER_RATE_LIMIT == 5.0


@pytest.mark.usefixtures("no_env")
def test_every_client_defaults_to_the_api_limit_whatever_its_base_url() -> None:
    assert AuthenticatedClient(base_url=BASE_URL, token=TOKEN).rate_limit == 5.0
    loopback = AuthenticatedClient(base_url="http://127.0.0.1:1/api/3", token=TOKEN)
    assert loopback.rate_limit == 5.0
    assert Hilos(BASE_URL, token=TOKEN).client.rate_limit == 5.0
    assert AsyncHilos(BASE_URL, token=TOKEN).client.rate_limit == 5.0


@pytest.mark.usefixtures("no_env")
def test_rate_limit_argument_changes_it_or_turns_it_off() -> None:
    assert AuthenticatedClient(base_url=BASE_URL, token=TOKEN, rate_limit=2.5).rate_limit == 2.5
    off = AuthenticatedClient(base_url=BASE_URL, token=TOKEN, rate_limit=None)
    assert off.rate_limit is None and off.rate_limiter() is None
    assert Hilos(BASE_URL, token=TOKEN, rate_limit=None).client.rate_limiter() is None


@pytest.mark.parametrize(("text", "expected"), [("12", 12.0), ("0.5", 0.5), ("none", None), ("OFF", None)])
def test_environment_variable(monkeypatch: pytest.MonkeyPatch, text: str, expected: float | None) -> None:
    monkeypatch.setenv("HILOS_RATE_LIMIT", text)
    assert AuthenticatedClient(base_url=BASE_URL, token=TOKEN).rate_limit == expected
    environ = {"HILOS_API_TOKEN": TOKEN, "HILOS_BASE_URL": BASE_URL, "HILOS_RATE_LIMIT": text}
    assert AuthenticatedClient.from_env(environ=environ).rate_limit == expected


def test_from_env_reads_the_limit_from_the_environment_it_is_given() -> None:
    client = AuthenticatedClient.from_env(environ={"HILOS_API_TOKEN": TOKEN, "HILOS_BASE_URL": BASE_URL})
    assert client.rate_limit == 5.0


@pytest.mark.parametrize("text", ["fast", "-1", "nan", "inf"])
def test_a_wrong_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("HILOS_RATE_LIMIT", text)
    with pytest.raises(ConfigurationError, match="HILOS_RATE_LIMIT"):
        AuthenticatedClient(base_url=BASE_URL, token=TOKEN)


@pytest.mark.parametrize("value", [0, -3, float("nan"), float("inf"), "5", True])
def test_a_wrong_rate_limit_is_refused(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="rate_limit"):
        AuthenticatedClient(base_url=BASE_URL, token=TOKEN, rate_limit=value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "127.0.0.1:6379", "memcached://x"])
def test_rate_limit_url_must_be_a_redis_url(url: str) -> None:
    with pytest.raises(ConfigurationError, match="Redis URL"):
        AuthenticatedClient(base_url=BASE_URL, token=TOKEN, rate_limit_url=url)


def test_rate_limit_url_without_the_redis_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)  # as if redis-py were not installed
    with pytest.raises(ConfigurationError, match=r"hilos-client\[redis\]"):
        AuthenticatedClient(base_url=BASE_URL, token=TOKEN, rate_limit_url="redis://127.0.0.1:6379/0")


def test_reprs_show_neither_the_token_nor_the_redis_password() -> None:
    client = AuthenticatedClient(
        base_url=BASE_URL,
        token="sekrit-token-1234",
        rate_limit=5,
        rate_limit_url="redis://user:hunter2@127.0.0.1:6379/0",
    )
    text = repr(client) + repr(Hilos(client=client)) + repr(client.rate_limiter())
    assert "sekrit" not in text and "hunter2" not in text
    assert "rate_limit=5" in text and "redis://user:***@127.0.0.1:6379/0" in text


def test_the_budget_is_named_by_a_hash_of_origin_and_token() -> None:
    key = rate_limit.account_key(BASE_URL, "sekrit-token-1234")
    assert "sekrit" not in key and len(key) == 32
    assert key == rate_limit.account_key("https://acme.api-us1.com:443/other", "sekrit-token-1234")  # same origin
    assert key != rate_limit.account_key(BASE_URL, "another-token")
    assert key != rate_limit.account_key("https://other.api-us1.com/api/3", "sekrit-token-1234")


def test_the_pipeline_writes_the_servers_limit_and_none_without_one() -> None:
    server = {"url": "https://x.example/api", "x-rate-limit": {"requests_per_second": 5, "scope": "account"}}
    assert server_rate_limit(server) == 5.0
    assert server_rate_limit({"url": "https://x.example/api"}) is None
    spec: dict[str, Any] = {"servers": [{"url": "https://x.example/api"}], "paths": {}}
    assert "SERVER_RATE_LIMIT: float | None = None" in spec_module(spec, operations=())
    with pytest.raises(ValueError, match="requests_per_second"):
        server_rate_limit({"url": "/", "x-rate-limit": {"requests_per_second": 0}})
