"""hilos_client.testing: the in-process fake app developers test against, through the real client."""

from __future__ import annotations

import uuid

import httpx
import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client._runtime.operations import Operation
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.models import FlowExecutionContactListSimple as Item
from hilos_client.models import PaginatedFlowExecutionContactListSimpleList as Page
from hilos_client.testing import FakeHilos, UnexpectedRequestError

from tests.support.fake_hilos import make_contact, make_contacts


def items(count: int) -> list[Item]:
    return [Item.from_dict(contact) for contact in make_contacts(count)]


def test_a_queued_model_is_the_next_answer_and_the_request_is_seen() -> None:
    fake = FakeHilos()
    page = Page(count=1, next_=None, previous=None, results=items(1))
    fake.queue(list_contacts, page)
    flow = uuid.UUID(int=7)
    with fake.client() as client:
        got = list_contacts.sync(client=client, flow=flow, page_size=5)
    assert got == page
    (seen,) = fake.requests_for("list_flow_execution_contacts")
    assert seen.method == "GET"
    assert seen.params == {"flow": str(flow), "page_size": "5"}


def test_declared_items_are_served_page_by_page_like_the_api() -> None:
    fake = FakeHilos()
    fake.set_items(list_contacts, items(25))
    with fake.client() as client:
        read = list(list_contacts.sync_all(client=client, page_size=10))
        first = list_contacts.sync(client=client, page_size=10)
        with pytest.raises(errors.NotFoundError) as past_the_end:
            list_contacts.sync(client=client, page=4, page_size=10)
    assert [item.id for item in read] == [item.id for item in items(25)]
    assert [seen.params.get("page") for seen in fake.requests[:3]] == ["1", "2", "3"]
    assert first.count == 25
    assert first.previous is None
    assert first.next_ == f"{fake.base_url}/channel/whatsapp/flow-execution-contact?page_size=10&page=2"
    assert past_the_end.value.detail == "Invalid page."


async def test_the_transport_serves_async_clients_too() -> None:
    fake = FakeHilos()
    fake.set_items(list_contacts, items(7))
    async with fake.client() as client:
        read = [item async for item in list_contacts.asyncio_all(client=client, page_size=3, concurrency=2)]
    assert len(read) == 7
    assert len(fake.requests) == 3


@pytest.mark.parametrize(
    ("trigger", "error"),
    [
        (FakeHilos.queue_unauthorized, errors.AuthenticationError),
        (FakeHilos.queue_invalid_page, errors.NotFoundError),
        (FakeHilos.queue_server_error, errors.ServerError),
        (FakeHilos.queue_timeout, errors.ApiTimeoutError),
        (FakeHilos.queue_connection_error, errors.ApiConnectionError),
    ],
    ids=["401", "404", "500", "timeout", "connection"],
)
def test_each_error_is_raised_as_its_class(trigger: object, error: type[errors.HilosError]) -> None:
    fake = FakeHilos()
    trigger(fake, list_contacts)  # type: ignore[operator]
    with fake.client() as client, pytest.raises(error):
        list_contacts.sync(client=client)


def test_rate_limit_carries_retry_after_and_a_retrying_client_gets_the_next_answer() -> None:
    fake = FakeHilos()
    fake.queue_rate_limited(list_contacts, retry_after=0)
    fake.set_items(list_contacts, items(2))
    with fake.client(retries=1) as client:
        assert list_contacts.sync(client=client).count == 2
    assert len(fake.requests) == 2
    fake.queue_rate_limited(list_contacts, retry_after=3)
    with fake.client() as client, pytest.raises(errors.RateLimitError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.retry_after == 3


def test_a_wrong_token_gets_the_apis_401() -> None:
    fake = FakeHilos()
    fake.set_items(list_contacts, items(1))
    client = AuthenticatedClient(base_url=fake.base_url, token="wrong", httpx_args={"transport": fake.transport})
    with client, pytest.raises(errors.AuthenticationError):
        list_contacts.sync(client=client)


def test_a_request_with_no_answer_fails_the_test_naming_the_operation() -> None:
    fake = FakeHilos()
    with fake.client() as client, pytest.raises(UnexpectedRequestError, match="list_flow_execution_contacts"):
        list_contacts.sync(client=client)


def test_unknown_operation_names_are_refused() -> None:
    with pytest.raises(KeyError, match="list_flow_execution_contacts"):
        FakeHilos().queue("list_flows", {})


def test_queued_json_with_unknown_enum_values_reaches_the_model() -> None:
    fake = FakeHilos()
    fake.queue(list_contacts, {"count": 1, "next": None, "previous": None, "results": [make_contact(0, status="X")]})
    with fake.client() as client:
        (item,) = list_contacts.sync(client=client).results
    assert item.status == "X"


def test_the_default_status_is_the_rows_success_status_and_a_bare_operation_gets_drfs() -> None:
    accepted = Operation("start_job", "jobs", "POST", "/jobs", success_status=202, paginated=False)
    deleted = Operation("delete_job", "jobs", "DELETE", "/jobs/{id}", success_status=204, paginated=False)
    bare = Operation("make_job", "jobs", "POST", "/jobs/new")  # says nothing of its status: DRF's 201
    fake = FakeHilos(operations=[accepted, deleted, bare])
    fake.queue("start_job")
    fake.queue("delete_job")
    fake.queue("delete_job", {"detail": "gone"})  # a 204 has no body: one answered with a body gets 200
    fake.queue("make_job")
    with httpx.Client(
        transport=fake.transport, base_url=fake.base_url, headers={"Authorization": f"Token {fake.token}"}
    ) as http:
        assert http.post("jobs").status_code == 202
        assert http.delete("jobs/1").status_code == 204
        assert http.delete("jobs/1").status_code == 200
        assert http.post("jobs/new").status_code == 201
