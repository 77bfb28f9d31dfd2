"""How generated models read and write JSON objects: fields the spec does not describe, input left alone."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from hilos_client.models import ContactReadSimple, FlowExecutionContactListSimple

from tests.support.fake_hilos import make_contact


def test_an_object_without_extra_fields_has_empty_additional_properties_and_round_trips() -> None:
    data = make_contact(0)
    item = FlowExecutionContactListSimple.from_dict(data)
    assert item.additional_properties == {}
    assert item.contact.additional_properties == {}
    assert item.additional_keys == []
    assert "anything" not in item
    written = item.to_dict()
    assert written.keys() == data.keys()
    assert FlowExecutionContactListSimple.from_dict(written) == item


def test_extra_fields_are_kept_and_written_back_without_overriding_declared_ones() -> None:
    data = {**make_contact(0), "priority": 3}
    item = FlowExecutionContactListSimple.from_dict(data)
    assert item.additional_properties == {"priority": 3}
    item["flow_name"] = "shadowed by the declared field"
    written = item.to_dict()
    assert written["priority"] == 3
    assert written["flow_name"] == data["flow_name"]


def test_additional_properties_read_on_a_new_object_is_a_dict_that_keeps_what_is_added() -> None:
    contact = ContactReadSimple.from_dict(make_contact(0)["contact"])
    contact.additional_properties["tags"] = ["vip"]
    assert contact["tags"] == ["vip"]
    assert contact.to_dict()["tags"] == ["vip"]
    del contact["tags"]
    assert "tags" not in contact.to_dict()


def test_equality_does_not_depend_on_whether_additional_properties_was_read() -> None:
    first = FlowExecutionContactListSimple.from_dict(make_contact(0))
    second = FlowExecutionContactListSimple.from_dict(make_contact(0))
    assert first.additional_properties == {}  # reading it creates the dict on `first` only
    assert first == second
    second["priority"] = 3
    assert first != second


def test_parsing_leaves_the_decoded_json_unchanged() -> None:
    data = {**make_contact(0), "priority": 3}
    before = copy.deepcopy(data)
    FlowExecutionContactListSimple.from_dict(data)
    assert data == before


class _ReadOnlyObject(Mapping[str, Any]):
    """A JSON object that is not a dict (some decoders return their own mapping types)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def test_any_mapping_is_accepted_as_a_json_object() -> None:
    data = {**make_contact(0), "priority": 3}
    item = FlowExecutionContactListSimple.from_dict(_ReadOnlyObject(data))
    assert item == FlowExecutionContactListSimple.from_dict(data)
    assert item.additional_properties == {"priority": 3}


@pytest.mark.parametrize("value", [[("id", "x")], "{}", None])
def test_anything_but_a_json_object_is_refused(value: Any) -> None:
    with pytest.raises(TypeError, match="expected a JSON object"):
        FlowExecutionContactListSimple.from_dict(value)
