"""Settings the client cannot honour are refused when it is built, with a ConfigurationError that says which
one; and a RateLimitError's retry_after is the wait the client honoured or would honour."""

from __future__ import annotations

import math

import httpx
import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8000/api/3?account=x",
        "http://127.0.0.1:8000/api/3?",
        "http://127.0.0.1:8000/api/3#top",
        "http://127.0.0.1:99999/api/3",
        "http://127.0.0.1:-1/api/3",
        "http://127.0.0.1:port/api/3",
        "http://local host:8000/api/3",
        "http://127.0.0.1:8000/api/3\n",
        " http://127.0.0.1:8000/api/3",
        "http://127.0.0.1\t:8000/api/3",
        "http://127.0.0.1:8000/api/3\x00",
    ],
    ids=[
        "query",
        "empty-query",
        "fragment",
        "port-too-big",
        "port-negative",
        "port-not-a-number",
        "space-in-host",
        "newline",
        "leading-space",
        "tab",
        "nul",
    ],
)
def test_a_base_url_requests_cannot_be_built_on_is_refused(base_url: str) -> None:
    with pytest.raises(errors.ConfigurationError, match="base_url"):
        AuthenticatedClient(base_url=base_url, token=TOKEN)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("timeout", math.nan),
        ("timeout", -1.0),
        ("timeout", 0),
        ("timeout", math.inf),
        ("timeout", httpx.Timeout(5.0, read=math.nan)),
        ("timeout", httpx.Timeout(5.0, connect=-1.0)),
        ("deadline", math.inf),
        ("deadline", -5),
        ("deadline", math.nan),
        ("retries", -1),
        ("retries", 1.5),
        ("retries", True),
        ("retry_backoff", math.nan),
        ("retry_backoff", -0.1),
        ("retry_backoff", math.inf),
        ("retry_max_wait", math.inf),
        ("retry_max_wait", math.nan),
        ("retry_max_wait", 0),
        ("max_response_bytes", 0),
        ("max_response_bytes", 1.5),
    ],
)
def test_a_non_finite_or_negative_setting_is_refused_at_construction(
    fake_api: FakeHilosServer, setting: str, value: object
) -> None:
    with pytest.raises(errors.ConfigurationError, match=setting):
        AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN, **{setting: value})  # type: ignore[arg-type]
    assert fake_api.requests == []


@pytest.mark.parametrize(("argument", "value"), [("timeout", math.nan), ("deadline", -1.0)])
def test_a_bad_per_call_timeout_or_deadline_is_refused_before_sending(
    fake_api: FakeHilosServer, argument: str, value: float
) -> None:
    with fast_client(fake_api) as client, pytest.raises(errors.ConfigurationError, match=argument):
        list_contacts.sync(client=client, **{argument: value})  # type: ignore[arg-type]
    assert fake_api.requests == []


def test_a_timeout_given_to_with_timeout_is_checked_too(fake_api: FakeHilosServer) -> None:
    with pytest.raises(errors.ConfigurationError, match="timeout"):
        fast_client(fake_api).with_timeout(math.nan)


def test_retry_after_on_the_error_is_the_capped_wait_the_client_honoured(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(status=429, headers={"Retry-After": "3600"})
    with fast_client(fake_api, retries=1, retry_max_wait=0.05) as client:
        with pytest.raises(errors.RateLimitError) as caught:
            list_contacts.sync(client=client)
    assert caught.value.retry_after == 0.05
    assert len(fake_api.requests) == 2


def test_retry_after_without_retries_is_the_wait_the_client_would_honour(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(status=429, headers={"Retry-After": "7"})
    with fast_client(fake_api, retries=0) as client, pytest.raises(errors.RateLimitError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.retry_after == 7.0
