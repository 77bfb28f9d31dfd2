"""The app's tests (pytest), written only from README.md's "Testing your app": the in-process fake, no network."""

from __future__ import annotations

import datetime
import json
import multiprocessing
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import app
import httpx
import pytest
from hilos_client import Hilos, errors
from hilos_client.api.flows import list_flow_execution_contacts, list_flow_executions
from hilos_client.models import (
    ContactReadSimple,
    FlowExecutionContactListSimple,
    FlowExecutionContactStatusEnum,
    PaginatedFlowExecutionContactListSimpleList,
)
from hilos_client.testing import FakeHilos


def contact(n: int, status: FlowExecutionContactStatusEnum | None = None) -> FlowExecutionContactListSimple:
    when = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    person = ContactReadSimple(phone=f"+5215500000{n:03d}", id=str(n), last_updated_on=when, source="api")
    item = FlowExecutionContactListSimple(id=uuid.uuid4(), contact=person, status_reason=None, flow_name="Onboarding")
    if status is not None:
        item.status = status
    return item


def test_active_phones_reads_every_page() -> None:
    with FakeHilos() as fake, fake.hilos() as hilos:
        fake.set_items(list_flow_execution_contacts, [contact(n) for n in range(250)])
        assert len(app.active_phones(hilos)) == 250  # 100 a page
    assert [request.params["page"] for request in fake.requests] == ["1", "2", "3"]
    assert fake.requests[0].params["is_active"] == "true"


def test_a_120_second_retry_after_is_waited_out_on_the_fake_clock() -> None:
    with FakeHilos() as fake, fake.hilos(retries=1, retry_max_wait=120) as hilos:
        fake.queue_rate_limited(list_flow_execution_contacts, retry_after=120)
        fake.set_items(list_flow_execution_contacts, [contact(1)])
        assert app.active_phones(hilos) == ["+5215500000001"]
    assert fake.clock.sleeps == [120]  # waited on the fake's clock: the test takes milliseconds
    assert fake.clock.now >= 120
    assert len(fake.requests) == 2  # the 429, then the page


def test_raw_response_gives_status_and_count_and_sends_the_extras() -> None:
    with FakeHilos() as fake, fake.hilos() as hilos:
        fake.set_items(list_flow_execution_contacts, [contact(n) for n in range(3)])
        assert app.contacts_status(hilos, "report-42") == (200, 3)
        fake.queue_not_found(list_flow_execution_contacts)
        assert app.contacts_status(hilos, "report-43") == (404, None)  # a Response, not NotFoundError
    first, second = fake.requests
    assert first.request.headers["X-Request-Id"] == "report-42"
    assert second.request.headers["X-Request-Id"] == "report-43"
    assert first.params["ordering"] == "-created_on"
    assert first.params["page_size"] == "10"


def test_with_options_copy_retries_and_adds_headers_and_the_original_is_unchanged() -> None:
    executions: dict[str, object] = {"count": 7, "next": None, "previous": None, "results": []}
    with FakeHilos() as fake, fake.hilos() as hilos:  # the fake's clients do not retry unless told to
        nightly = app.patient(hilos)
        for _ in range(3):
            fake.queue_server_error(list_flow_executions, status=503)
        fake.queue(list_flow_executions, executions)
        assert app.executions_count(nightly) == 7  # 3 retries of the 5 allowed
        fake.queue_server_error(list_flow_executions, status=503)
        with pytest.raises(errors.ServerError):
            app.executions_count(hilos)
    assert len(fake.clock.sleeps) == 3
    assert [request.request.headers.get("X-Request-Id") for request in fake.requests] == [
        "nightly-export",
        "nightly-export",
        "nightly-export",
        "nightly-export",
        None,
    ]


def test_nightly_export_resumes_at_the_page_after_the_last_one_done(tmp_path: Path) -> None:
    checkpoint = tmp_path / "checkpoint.json"
    done: list[int] = []

    def fail_on_page_3(page: app.ContactsPage) -> None:
        if page.number == 3:
            raise RuntimeError("the job failed halfway")
        done.append(page.number)

    def record(page: app.ContactsPage) -> None:
        done.append(page.number)

    with FakeHilos() as fake, fake.hilos() as hilos:
        fake.set_items(list_flow_execution_contacts, [contact(n) for n in range(35)])
        with pytest.raises(RuntimeError):
            app.nightly_export(hilos, checkpoint, fail_on_page_3)
        assert json.loads(checkpoint.read_text()) == {"next_page": 3}
        first_run = len(fake.requests)
        app.nightly_export(hilos, checkpoint, record)
    assert done == [1, 2, 3, 4]
    assert not checkpoint.exists()  # done: the next run starts at page 1
    # The resumed run asks for page 1 first (its count plans the rest), then pages 3 and 4.
    assert [request.params["page"] for request in fake.requests[first_run:]] == ["1", "3", "4"]


def test_nightly_export_past_the_last_page_reads_nothing(tmp_path: Path) -> None:
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(json.dumps({"next_page": 9}))
    done: list[int] = []
    with FakeHilos() as fake, fake.hilos() as hilos:
        fake.set_items(list_flow_execution_contacts, [contact(n) for n in range(15)])
        app.nightly_export(hilos, checkpoint, lambda page: done.append(page.number))
    assert done == []


def test_a_page_with_an_unknown_status_comes_back_from_a_worker_process_equal() -> None:
    paused = FlowExecutionContactStatusEnum.from_api("PAUSED")
    with FakeHilos() as fake, fake.hilos() as hilos:
        fake.set_items(list_flow_execution_contacts, [contact(1, paused), contact(2)])
        page = hilos.flows.list_flow_execution_contacts()
    assert isinstance(page, PaginatedFlowExecutionContactListSimpleList)
    assert app.unknown_statuses(page) == ["PAUSED"]
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        returned = pool.submit(app.same_page, page).result()
    assert returned == page
    assert returned.to_dict() == page.to_dict()
    assert app.unknown_statuses(returned) == ["PAUSED"]


def test_own_http_client_gets_authenticated_retried_and_deadline_bound_calls() -> None:
    seen: list[str] = []
    with FakeHilos() as fake:
        http = app.own_http_client(seen, mounts={"https://": fake.transport})
        with Hilos(
            base_url=fake.base_url, token=fake.token, http_client=http, retries=1, retry_backoff=0.0, retry_max_wait=120
        ) as hilos:
            fake.queue_server_error(list_flow_execution_contacts, status=503)
            fake.set_items(list_flow_execution_contacts, [contact(1)])
            assert app.active_phones(hilos) == ["+5215500000001"]  # retried after the 503
            fake.queue_rate_limited(list_flow_execution_contacts, retry_after=120)
            with pytest.raises(errors.RateLimitError) as raised:
                hilos.with_options(deadline=30.0).flows.list_flow_execution_contacts()
        assert raised.value.retry_after == 120  # a wait past the call's deadline: refused at once
        assert not http.is_closed  # the client closes only what it opened
        http.close()
    assert len(seen) == len(fake.requests) == 3  # the event hook saw every request
    assert all(request.request.headers["Authorization"] == f"Token {fake.token}" for request in fake.requests)
    assert all(httpx.URL(url).host == httpx.URL(fake.base_url).host for url in seen)
