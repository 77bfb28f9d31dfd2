"""list_flow_execution_contacts.sync_all() against the loopback fake API: every item once, in server order,
one page at a time, computed page numbers only, and a clean stop however the data changes."""

from __future__ import annotations

import time
import uuid

import pytest
from hilos_client import AuthenticatedClient
from hilos_client.api.flows import list_flow_execution_contacts
from hilos_client.errors import NotFoundError, PermissionDeniedError, RepeatedPageError

from tests.support.fake_hilos import BASE_PATH, FakeHilosServer, Fault, RecordedRequest, make_contact, make_contacts
from tests.support.pages import contact_ids, ids, once_from_page, once_on_page, requested_pages, throttled_once


@pytest.mark.parametrize(
    ("total", "page_size", "pages"),
    [
        (0, 10, [1]),
        (1, 10, [1]),
        (10, 10, [1]),
        (11, 10, [1, 2]),
        (20, 10, [1, 2]),
        (95, 10, list(range(1, 11))),
        (1000, 7, list(range(1, 144))),
    ],
    ids=["no-items", "one-item", "one-full-page", "two-pages-last-short", "two-full-pages", "ten-pages", "143-pages"],
)
def test_yields_every_item_in_server_order_with_one_request_per_page(
    fake_api: FakeHilosServer, client: AuthenticatedClient, total: int, page_size: int, pages: list[int]
) -> None:
    fake_api.contacts = make_contacts(total)
    items = list(list_flow_execution_contacts.sync_all(client=client, page_size=page_size))
    assert ids(items) == contact_ids(fake_api.contacts)
    assert requested_pages(fake_api) == pages


def test_every_page_request_carries_the_filters_unchanged(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    flow = uuid.UUID(int=42)
    fake_api.contacts = [make_contact(i, flow=str(flow) if i % 3 else None) for i in range(60)]
    wanted = [c for c in fake_api.contacts if c["flow"] == str(flow) and c["status"] in ("READY", "RUNNING")]
    items = list(list_flow_execution_contacts.sync_all(client=client, flow=flow, is_active=True, page_size=3))
    assert ids(items) == contact_ids(wanted)
    assert len(wanted) == 10
    assert requested_pages(fake_api) == [1, 2, 3, 4]
    for request in fake_api.requests:
        assert request.params == {
            "flow": [str(flow)],
            "is_active": ["true"],
            "page": [request.param("page")],
            "page_size": ["3"],
        }


def test_follows_a_server_cap_below_the_requested_page_size(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(25)
    fake_api.max_page_size = 10
    items = list(list_flow_execution_contacts.sync_all(client=client, page_size=100))
    assert ids(items) == contact_ids(fake_api.contacts)
    assert requested_pages(fake_api) == [1, 2, 3]


def test_requests_nothing_before_iteration_and_only_the_pages_consumed(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(50)
    items = list_flow_execution_contacts.sync_all(client=client, page_size=10)
    assert fake_api.requests == []
    for position, _ in enumerate(items):
        if position == 10:  # the first item of page 2
            break
    assert requested_pages(fake_api) == [1, 2]


def test_stops_at_the_new_last_page_when_data_shrinks(fake_api: FakeHilosServer, client: AuthenticatedClient) -> None:
    fake_api.contacts = make_contacts(50)
    fake_api.handler = once_from_page(3, lambda _: fake_api.contacts.__delitem__(slice(25, None)))
    items = list(list_flow_execution_contacts.sync_all(client=client, page_size=10))
    assert ids(items) == contact_ids(make_contacts(25))
    assert requested_pages(fake_api) == [1, 2, 3]


def test_stops_at_invalid_page_404_when_data_shrinks_below_the_next_page(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(50)
    fake_api.handler = once_from_page(3, lambda _: fake_api.contacts.__delitem__(slice(15, None)))
    items = list(list_flow_execution_contacts.sync_all(client=client, page_size=10))
    assert ids(items) == contact_ids(make_contacts(20))
    assert requested_pages(fake_api) == [1, 2, 3]


def test_stops_at_an_empty_page(fake_api: FakeHilosServer, client: AuthenticatedClient) -> None:
    fake_api.contacts = make_contacts(50)
    fake_api.handler = once_from_page(
        3, lambda _: Fault(status=200, body={"count": 50, "next": None, "previous": None, "results": []})
    )
    items = list(list_flow_execution_contacts.sync_all(client=client, page_size=10))
    assert ids(items) == contact_ids(make_contacts(20))
    assert requested_pages(fake_api) == [1, 2, 3]


def test_reads_the_extra_pages_when_data_grows(fake_api: FakeHilosServer, client: AuthenticatedClient) -> None:
    fake_api.contacts = make_contacts(25)
    fake_api.handler = once_from_page(2, lambda _: fake_api.contacts.extend(make_contacts(45)[25:]))
    items = list(list_flow_execution_contacts.sync_all(client=client, page_size=10))
    assert ids(items) == contact_ids(make_contacts(45))
    assert requested_pages(fake_api) == [1, 2, 3, 4, 5]


def test_a_server_that_ignores_page_raises_repeated_page_instead_of_looping(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(30)

    def first_page_always(request: RecordedRequest) -> Fault:
        ignored = RecordedRequest(request.method, request.path, "page_size=10", request.headers, b"")
        status, body = fake_api.list_page(ignored)
        return Fault(status=status, body=body)

    fake_api.handler = first_page_always
    seen = []
    with pytest.raises(RepeatedPageError) as raised:
        for item in list_flow_execution_contacts.sync_all(client=client, page_size=10):
            seen.append(item)
    assert ids(seen) == contact_ids(make_contacts(10))
    assert raised.value.page == 2
    assert raised.value.operation == "list_flow_execution_contacts"
    assert requested_pages(fake_api) == [1, 2]


def test_a_hostile_next_link_is_never_followed(
    fake_api: FakeHilosServer, other_origin: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(30)
    fake_api.link_origin = other_origin.origin
    items = list(list_flow_execution_contacts.sync_all(client=client, page_size=10))
    first = list_flow_execution_contacts.sync(client=client, page_size=10)
    assert isinstance(first.next_, str) and first.next_.startswith(other_origin.origin + BASE_PATH)
    assert ids(items) == contact_ids(fake_api.contacts)
    assert other_origin.requests == []


def test_a_429_in_the_middle_is_retried_after_retry_after_and_loses_nothing(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(40)
    fake_api.handler = once_on_page(3, throttled_once("1"))
    started = time.monotonic()
    items = list(list_flow_execution_contacts.sync_all(client=client, page_size=10))
    assert time.monotonic() - started >= 1.0
    assert ids(items) == contact_ids(fake_api.contacts)
    assert requested_pages(fake_api) == [1, 2, 3, 3, 4]


def test_an_error_on_a_later_page_raises_after_the_items_before_it(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(40)
    fake_api.handler = once_from_page(3, lambda _: Fault(status=403, body={"detail": "No."}))
    seen = []
    with pytest.raises(PermissionDeniedError):
        for item in list_flow_execution_contacts.sync_all(client=client, page_size=10):
            seen.append(item)
    assert ids(seen) == contact_ids(make_contacts(20))


def test_a_404_on_the_first_page_is_an_error_not_an_empty_result(fake_api: FakeHilosServer) -> None:
    with AuthenticatedClient(base_url=fake_api.origin + "/wrong/base", token="t") as client:
        with pytest.raises(NotFoundError):
            list(list_flow_execution_contacts.sync_all(client=client))


@pytest.mark.parametrize("page_size", [0, -1, True, 2.5])
def test_rejects_a_page_size_that_is_not_a_positive_int_before_any_request(
    fake_api: FakeHilosServer, client: AuthenticatedClient, page_size: object
) -> None:
    with pytest.raises(ValueError, match="page_size"):
        list_flow_execution_contacts.sync_all(client=client, page_size=page_size)  # type: ignore[arg-type]
    assert fake_api.requests == []


def test_filtered_reading_with_the_default_page_size_yields_exactly_the_matching_items(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    flow = uuid.UUID(int=7)
    fake_api.contacts = [make_contact(i, flow=str(flow) if i % 4 else None) for i in range(1000)]
    wanted = [c for c in fake_api.contacts if c["flow"] == str(flow) and c["status"] in ("READY", "RUNNING")]
    assert len(wanted) == 250  # 3 pages of the default page size
    items = list(list_flow_execution_contacts.sync_all(client=client, flow=flow, is_active=True))
    assert [(item.contact.phone, item.status) for item in items] == [
        (c["contact"]["phone"], c["status"]) for c in wanted
    ]
    assert requested_pages(fake_api) == [1, 2, 3]
