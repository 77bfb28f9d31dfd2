"""The "hilos_client" logger: one line per request (method, URL, status, elapsed time, attempts), one per retry."""

from __future__ import annotations

import logging
import time

import pytest
from hilos_client import errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.client import send_request

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import LIST_PATH, TOKEN, FakeHilosServer, Fault


def records_of(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "hilos_client"]


def test_each_request_is_logged_with_method_url_status_elapsed_and_attempts(
    fake_api: FakeHilosServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="hilos_client")
    with fast_client(fake_api) as client:
        started = time.monotonic()
        list_contacts.sync(client=client, page_size=5)
        took = time.monotonic() - started
    (record,) = records_of(caplog)
    assert record.levelno == logging.DEBUG
    message = record.getMessage()
    assert message.startswith(f"GET {fake_api.base_url}{LIST_PATH}?page_size=5 -> 200 in ")
    assert message.endswith(", 1 attempt(s)")
    assert record.hilos_method == "GET"  # type: ignore[attr-defined]
    assert record.hilos_status == 200  # type: ignore[attr-defined]
    assert record.hilos_attempts == 1  # type: ignore[attr-defined]
    assert 0 < record.hilos_elapsed <= took  # type: ignore[attr-defined]


def test_retries_are_logged_at_info_and_the_final_line_counts_attempts(
    fake_api: FakeHilosServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="hilos_client")
    fake_api.faults.extend([Fault(status=503), Fault(reset=True)])
    with fast_client(fake_api) as client:
        list_contacts.sync(client=client)
    retry_lines = [r.getMessage() for r in records_of(caplog) if r.levelno == logging.INFO]
    assert len(retry_lines) == 2
    assert "status 503; retrying (attempt 2 of 3)" in retry_lines[0]
    assert "retrying (attempt 3 of 3)" in retry_lines[1]
    final = records_of(caplog)[-1]
    assert " -> 200 in " in final.getMessage()
    assert final.getMessage().endswith(", 3 attempt(s)")
    assert final.hilos_attempts == 3  # type: ignore[attr-defined]


def test_a_failed_connection_is_logged_with_its_attempts(
    fake_api: FakeHilosServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="hilos_client")
    fake_api.handler = lambda request: Fault(reset=True)
    with fast_client(fake_api, retries=1) as client, pytest.raises(errors.ApiConnectionError):
        list_contacts.sync(client=client)
    last = records_of(caplog)[-1].getMessage()
    assert "RemoteProtocolError" in last or "ReadError" in last
    assert last.endswith("2 attempt(s)")


def test_no_log_record_of_any_library_holds_the_token_or_a_secret_query_value(
    fake_api: FakeHilosServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore, httpx_retries
    fake_api.faults.append(Fault(status=429, headers={"Retry-After": "0"}))
    with fast_client(fake_api) as client:
        list_contacts.sync(client=client)
        send_request(client, {"method": "get", "url": LIST_PATH, "params": {"api_key": "query-secret"}})
    assert records_of(caplog), "nothing logged by hilos_client"
    for record in caplog.records:
        text = record.getMessage() + repr(record.__dict__)
        assert TOKEN not in text, record.name
        if record.name == "hilos_client":
            assert "query-secret" not in text
            assert "Authorization" not in text
