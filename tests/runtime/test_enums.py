"""Forward compatibility: enum values and fields the API adds later parse, stay readable and are kept.

Integer enums get the same treatment from int_enum.py.jinja; tests/runtime/test_regenerated_operation.py
checks one, since the Hilos spec has none. No socket needed: the API is hilos_client.testing's fake.
"""

from __future__ import annotations

import pytest
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.models import FlowExecutionContactStatusEnum as Status
from hilos_client.testing import FakeHilos

from tests.support.fake_hilos import make_contact


@pytest.fixture
def fake() -> FakeHilos:
    return FakeHilos()


def test_unknown_status_parses_and_reads_as_its_string(fake: FakeHilos) -> None:
    fake.set_items(list_contacts, [make_contact(0, status="PAUSED"), make_contact(1, status="READY")])
    with fake.client() as client:
        paused, ready = list_contacts.sync(client=client).results
    assert paused.status == "PAUSED"
    assert str(paused.status) == "PAUSED"
    assert f"{paused.status}" == "PAUSED"
    assert isinstance(paused.status, Status)
    assert paused.status.is_unknown
    assert paused.status not in list(Status)
    assert ready.status is Status.READY
    assert not ready.status.is_unknown


def test_unknown_status_round_trips(fake: FakeHilos) -> None:
    contact = make_contact(0, status="WAITING_FOR_REPLY")
    fake.set_items(list_contacts, [contact])
    with fake.client() as client:
        (item,) = list_contacts.sync(client=client).results
    assert item.to_dict()["status"] == "WAITING_FOR_REPLY"


def test_calling_the_enum_still_rejects_unknown_values() -> None:
    with pytest.raises(ValueError):
        Status("PAUSED")
    assert Status.from_api("PAUSED").is_unknown
    assert Status.from_api("FAILED") is Status.FAILED


@pytest.mark.parametrize("value", [None, 1, ["READY"], True])
def test_from_api_rejects_values_of_the_wrong_json_type(value: object) -> None:
    with pytest.raises(ValueError):
        Status.from_api(value)


def test_unknown_fields_are_kept_at_every_level(fake: FakeHilos) -> None:
    contact = make_contact(0)
    contact["priority"] = 3
    contact["contact"]["tags"] = ["vip"]
    fake.set_items(list_contacts, [contact])
    with fake.client() as client:
        page = list_contacts.sync(client=client)
    (item,) = page.results
    assert item["priority"] == 3
    assert item.additional_properties == {"priority": 3}
    assert item.contact["tags"] == ["vip"]
    assert item.to_dict()["priority"] == 3
    assert item.to_dict()["contact"]["tags"] == ["vip"]
