"""Idempotent requests are retried with httpx-retries: which failures, how often, how long, and what is visible."""

from __future__ import annotations

import email.utils
import logging
import math
import re
import time

import pytest
from hilos_client import errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.client import DEFAULT_RETRIES, IDEMPOTENT_METHODS, send_request

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import LIST_PATH, FakeHilosServer, Fault, RecordedRequest, make_contacts


def gaps(server: FakeHilosServer) -> list[float]:
    """Seconds between the requests the server received: at least the waits, however busy the machine."""
    times = [r.received_at for r in server.requests]
    return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]


def decided_waits(caplog: pytest.LogCaptureFixture) -> list[float]:
    """The waits the client chose, from its retry log lines (to 0.01 s): bounded by policy, not by how fast the
    machine happens to be."""
    lines = [r.getMessage() for r in caplog.records if r.name == "hilos_client" and r.levelno == logging.INFO]
    return [float(found.group(1)) for line in lines if (found := re.search(r"after waiting ([0-9.]+) s$", line))]


@pytest.fixture
def retry_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="hilos_client")
    return caplog


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_get_is_retried_on_each_retryable_status(fake_api: FakeHilosServer, status: int) -> None:
    fake_api.contacts = make_contacts(2)
    fake_api.faults.append(Fault(status=status, body={"detail": "try again"}))
    with fast_client(fake_api) as client:
        response = list_contacts.sync_detailed(client=client)
    assert response.status_code == 200
    assert response.attempts == 2
    assert len(fake_api.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 501, 520])
def test_other_statuses_are_not_retried(fake_api: FakeHilosServer, status: int) -> None:
    fake_api.faults.append(Fault(status=status, body={"detail": "no"}))
    with fast_client(fake_api) as client, pytest.raises(errors.ApiStatusError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.status_code == status
    assert caught.value.attempts == 1
    assert len(fake_api.requests) == 1


def test_two_retries_by_default_then_the_last_error_with_its_attempt_count(fake_api: FakeHilosServer) -> None:
    assert DEFAULT_RETRIES == 2
    fake_api.handler = lambda request: Fault(status=503, body={"detail": "down"})
    with fast_client(fake_api) as client, pytest.raises(errors.ServerError) as caught:
        list_contacts.sync(client=client)
    assert len(fake_api.requests) == 3
    assert caught.value.attempts == 3
    assert "after 3 attempts" in str(caught.value)


def test_a_sequence_of_5xx_then_success_returns_the_page(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(1)
    fake_api.faults.extend([Fault(status=502, body="bad gateway"), Fault(status=500, body="oops")])
    with fast_client(fake_api) as client:
        page = list_contacts.sync(client=client)
    assert page.count == 1
    assert len(fake_api.requests) == 3


@pytest.mark.parametrize("retries", [0, 4])
def test_retry_count_is_configurable_and_zero_disables(fake_api: FakeHilosServer, retries: int) -> None:
    fake_api.handler = lambda request: Fault(status=503)
    with fast_client(fake_api, retries=retries) as client, pytest.raises(errors.ServerError):
        list_contacts.sync(client=client)
    assert len(fake_api.requests) == retries + 1


def test_connection_resets_are_retried(fake_api: FakeHilosServer) -> None:
    fake_api.faults.extend([Fault(reset=True), Fault(reset=True)])
    with fast_client(fake_api) as client:
        response = list_contacts.sync_detailed(client=client)
    assert response.status_code == 200
    assert response.attempts == 3


def test_connection_errors_on_every_attempt_raise_with_the_attempt_count(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(reset=True)
    with fast_client(fake_api) as client, pytest.raises(errors.ApiConnectionError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.attempts == 3
    assert len(fake_api.requests) == 3


def test_timeouts_are_retried(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(delay=0.5))
    with fast_client(fake_api, timeout=0.2) as client:
        response = list_contacts.sync_detailed(client=client)
    assert response.status_code == 200
    assert response.attempts == 2


def test_backoff_grows_exponentially_with_jitter(
    fake_api: FakeHilosServer, retry_log: pytest.LogCaptureFixture
) -> None:
    fake_api.handler = lambda request: Fault(status=503)
    backoff = 0.05
    with fast_client(fake_api, retries=3, retry_backoff=backoff) as client, pytest.raises(errors.ServerError):
        list_contacts.sync(client=client)
    # Retry n waits between half and all of backoff * 2**n (the log rounds to 0.01 s).
    decided = decided_waits(retry_log)
    assert len(decided) == 3
    for n, (gap, wait) in enumerate(zip(gaps(fake_api), decided, strict=True), start=1):
        assert backoff * 2**n * 0.5 <= gap, (n, gap)
        assert backoff * 2**n * 0.5 - 0.005 <= wait <= backoff * 2**n + 0.005, (n, wait)
    policy = client.retry_policy()
    waits = {policy.copy_with(attempts_made=2).backoff_strategy() for _ in range(20)}
    assert len(waits) > 1, "no jitter: every wait is the same"
    assert all(0.1 <= wait <= 0.2 for wait in waits)


def test_retry_after_seconds_is_honoured(fake_api: FakeHilosServer, retry_log: pytest.LogCaptureFixture) -> None:
    fake_api.faults.append(Fault(status=429, headers={"Retry-After": "1"}))
    with fast_client(fake_api) as client:
        list_contacts.sync(client=client)
    (gap,) = gaps(fake_api)
    assert gap >= 0.95
    assert decided_waits(retry_log) == [1.0]


def test_retry_after_http_date_is_honoured(fake_api: FakeHilosServer, retry_log: pytest.LogCaptureFixture) -> None:
    # An HTTP date has whole seconds. Written when the 503 is answered, the next whole second plus one is between
    # one and two seconds ahead: far more than the 0.01 s backoff, however busy the machine.
    answered: list[RecordedRequest] = []

    def unavailable_until_a_date_once(request: RecordedRequest) -> Fault | None:
        if answered:
            return None
        answered.append(request)
        when = email.utils.formatdate(math.ceil(time.time()) + 1, usegmt=True)
        return Fault(status=503, headers={"Retry-After": when})

    fake_api.handler = unavailable_until_a_date_once
    with fast_client(fake_api) as client:
        list_contacts.sync(client=client)
    (gap,) = gaps(fake_api)
    (wait,) = decided_waits(retry_log)
    assert 0.5 <= wait <= 2.0
    assert gap >= wait - 0.01


@pytest.mark.parametrize("retry_after", ["3", "http-date"])
def test_retry_after_is_capped_by_retry_max_wait(
    fake_api: FakeHilosServer, retry_log: pytest.LogCaptureFixture, retry_after: str
) -> None:
    value = email.utils.formatdate(time.time() + 3, usegmt=True) if retry_after == "http-date" else retry_after
    fake_api.faults.append(Fault(status=429, headers={"Retry-After": value}))
    with fast_client(fake_api, retry_max_wait=0.3) as client:
        list_contacts.sync(client=client)
    (gap,) = gaps(fake_api)
    assert gap >= 0.25
    assert decided_waits(retry_log) == [0.3]


def test_post_is_not_retried_by_default(fake_api: FakeHilosServer) -> None:
    assert "POST" not in IDEMPOTENT_METHODS and "PATCH" not in IDEMPOTENT_METHODS
    fake_api.handler = lambda request: Fault(status=503)
    with fast_client(fake_api) as client:
        for method in ("post", "patch"):
            response = send_request(client, {"method": method, "url": LIST_PATH, "json": {}})
            assert response.status_code == 503
    assert [r.method for r in fake_api.requests] == ["POST", "PATCH"]


def test_post_is_retried_when_the_caller_opts_in(fake_api: FakeHilosServer) -> None:
    fake_api.faults.extend([Fault(status=503), Fault(status=503), Fault(status=201, body={})])
    with fast_client(fake_api, retry_methods=IDEMPOTENT_METHODS | {"POST"}) as client:
        response = send_request(client, {"method": "post", "url": LIST_PATH, "json": {"a": 1}})
    assert response.status_code == 201
    assert [r.method for r in fake_api.requests] == ["POST"] * 3
    assert all(r.body == b'{"a":1}' for r in fake_api.requests)


async def test_async_calls_are_retried_the_same_way(fake_api: FakeHilosServer) -> None:
    fake_api.faults.extend([Fault(status=503), Fault(reset=True)])
    async with fast_client(fake_api) as client:
        response = await list_contacts.asyncio_detailed(client=client)
        assert response.attempts == 3
        fake_api.handler = lambda request: Fault(status=429, headers={"Retry-After": "0"})
        with pytest.raises(errors.RateLimitError) as caught:
            await list_contacts.asyncio(client=client)
    assert caught.value.attempts == 3
    assert caught.value.retry_after == 0
