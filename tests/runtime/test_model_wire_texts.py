"""to_dict writes an unchanged date-time or UUID as the text it was parsed from when that text is exactly what
formatting the value gives (the cheap path), and formats it in every other case: the output never depends on
which path was taken."""

from __future__ import annotations

import copy
import datetime
import pickle
import uuid
from typing import Any

import attrs
import pytest
from hilos_client.models import ContactReadSimple, FlowExecutionContactListSimple
from hilos_client.types import format_datetime

from tests.support.fake_hilos import make_realistic_contact

UTC = datetime.UTC


def item_data(**changes: Any) -> dict[str, Any]:
    data = make_realistic_contact(7)
    data.update({"id": "4f1c0b7e-7a3b-4d2e-9f1a-0c2b3d4e5f60", "created_on": "2024-01-02T03:04:05.123456Z", **changes})
    return data


def test_unchanged_values_written_as_formatting_would_are_the_texts_received() -> None:
    data = item_data()
    written = FlowExecutionContactListSimple.from_dict(data).to_dict()
    # The very string objects that came in: nothing was formatted again.
    assert written["id"] is data["id"]
    assert written["created_on"] is data["created_on"]
    assert written["flow"] is data["flow"]
    assert written["contact"]["last_updated_on"] is data["contact"]["last_updated_on"]


@pytest.mark.parametrize(
    ("field", "received", "written"),
    [
        ("created_on", "2024-01-02T03:04:05.123456+00:00", "2024-01-02T03:04:05.123456Z"),
        ("created_on", "2024-01-02T03:04:05-00:00", "2024-01-02T03:04:05Z"),
        ("created_on", "2024-01-02T03:04:05.120Z", "2024-01-02T03:04:05.120000Z"),
        ("created_on", "2024-01-02T03:04:05.000000Z", "2024-01-02T03:04:05Z"),
        ("created_on", "2024-01-02 03:04:05Z", "2024-01-02T03:04:05Z"),
        ("created_on", "20240102T030405Z", "2024-01-02T03:04:05Z"),
        ("created_on", "2024-01-02T03:04:05", "2024-01-02T03:04:05"),
        ("created_on", "2024-01-02T03:04:05+05:30", "2024-01-02T03:04:05+05:30"),
        ("id", "4F1C0B7E-7A3B-4D2E-9F1A-0C2B3D4E5F60", "4f1c0b7e-7a3b-4d2e-9f1a-0c2b3d4e5f60"),
        ("id", "{4f1c0b7e-7a3b-4d2e-9f1a-0c2b3d4e5f60}", "4f1c0b7e-7a3b-4d2e-9f1a-0c2b3d4e5f60"),
        ("id", "4f1c0b7e7a3b4d2e9f1a0c2b3d4e5f60", "4f1c0b7e-7a3b-4d2e-9f1a-0c2b3d4e5f60"),
        ("flow", "urn:uuid:4f1c0b7e-7a3b-4d2e-9f1a-0c2b3d4e5f60", "4f1c0b7e-7a3b-4d2e-9f1a-0c2b3d4e5f60"),
        ("flow", None, None),
    ],
)
def test_other_spellings_are_written_as_formatting_the_value_gives(field: str, received: Any, written: Any) -> None:
    item = FlowExecutionContactListSimple.from_dict(item_data(**{field: received}))
    assert item.to_dict()[field] == written
    assert written == (None if received is None else constructed(item).to_dict()[field])


def constructed(item: FlowExecutionContactListSimple) -> FlowExecutionContactListSimple:
    """The same values in a model built in Python, which keeps no texts."""
    fields = {field.alias: getattr(item, field.name) for field in attrs.fields(type(item)) if field.init}
    return FlowExecutionContactListSimple(**fields)


def test_a_model_built_in_python_formats_its_values() -> None:
    item = FlowExecutionContactListSimple.from_dict(item_data(created_on="2024-01-02T03:04:05.123456+00:00"))
    built = constructed(item)
    assert built == item
    assert built.to_dict()["created_on"] == "2024-01-02T03:04:05.123456Z"
    assert built.to_dict() == item.to_dict()


def test_an_assigned_value_is_formatted_even_when_equal_to_the_one_received() -> None:
    data = item_data()
    item = FlowExecutionContactListSimple.from_dict(data)
    item.created_on = datetime.datetime(2025, 6, 7, 8, 9, 10, tzinfo=UTC)
    item.id = uuid.UUID("00000000-0000-0000-0000-0000000000aa")
    item.flow = None
    item.contact.last_updated_on = item.contact.last_updated_on + datetime.timedelta(seconds=1)
    written = item.to_dict()
    assert written["created_on"] == "2025-06-07T08:09:10Z"
    assert written["id"] == "00000000-0000-0000-0000-0000000000aa"
    assert written["flow"] is None
    assert written["contact"]["last_updated_on"] == format_datetime(item.contact.last_updated_on)

    # An equal value that is another object is formatted too: the same text either way.
    again = FlowExecutionContactListSimple.from_dict(data)
    again.id = uuid.UUID(data["id"])
    assert again.to_dict()["id"] == data["id"] and again.to_dict()["id"] is not data["id"]


def test_a_nullable_field_set_later_and_an_unset_field_are_written_from_their_values() -> None:
    data = item_data(flow=None)
    del data["flow_version"]
    item = FlowExecutionContactListSimple.from_dict(data)
    assert item.to_dict()["flow"] is None and "flow_version" not in item.to_dict()
    item.flow = uuid.UUID(int=5)
    item.flow_version = uuid.UUID(int=6)
    assert item.to_dict()["flow"] == str(uuid.UUID(int=5))
    assert item.to_dict()["flow_version"] == str(uuid.UUID(int=6))


def test_copies_evolved_and_unpickled_models_write_the_same() -> None:
    item = FlowExecutionContactListSimple.from_dict(item_data(created_on="2024-01-02T03:04:05.123456+00:00"))
    expected = item.to_dict()
    for other in (copy.copy(item), copy.deepcopy(item), pickle.loads(pickle.dumps(item)), attrs.evolve(item)):
        assert other == item
        assert other.to_dict() == expected
    changed = attrs.evolve(item, created_on=datetime.datetime(2025, 1, 1, tzinfo=UTC))
    assert changed.to_dict()["created_on"] == "2025-01-01T00:00:00Z"


def test_the_kept_texts_stay_out_of_repr_and_equality() -> None:
    contact = ContactReadSimple.from_dict(item_data()["contact"])
    assert "wire" not in repr(contact)
    other = ContactReadSimple.from_dict({**item_data()["contact"], "last_updated_on": "2024-01-03T03:04:05+00:00"})
    assert other == contact  # the same instant, spelled differently
