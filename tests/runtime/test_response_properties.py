"""Property-based, driven by the patched spec: every response body the spec allows parses and round-trips;
every body broken in one place (a required field dropped, a wrong JSON type, null where not nullable, a
malformed uuid or date-time) raises only ResponseValidationError, over real HTTP."""

from __future__ import annotations

import copy
import datetime
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hilos_client import errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.models import PaginatedFlowExecutionContactListSimpleList as Page
from hilos_client.types import format_datetime
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import FakeHilosServer, Fault
from tests.support.spec_schema import load_patched_spec, response_json_schema

LIST_SCHEMA = response_json_schema(load_patched_spec(), "list_flow_execution_contacts")
# hypothesis-jsonschema writes any string for "uuid" (a format it does not know) and years from 0000 for
# "date-time", which Python's datetime cannot hold; generate those two formats ourselves.
CUSTOM_FORMATS = {
    "uuid": st.uuids().map(str),
    "x-date-time": st.datetimes(
        min_value=datetime.datetime(1, 1, 2), timezones=st.timezones() | st.just(datetime.UTC)
    ).map(lambda moment: moment.isoformat()),
}
EXAMPLES = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _rename_formats(node: Any) -> Any:
    if isinstance(node, list):
        return [_rename_formats(item) for item in node]
    if not isinstance(node, dict):
        return node
    renamed = {key: _rename_formats(value) for key, value in node.items()}
    if renamed.get("format") == "date-time":
        renamed["format"] = "x-date-time"
    return renamed


VALID_PAGES = from_schema(_rename_formats(LIST_SCHEMA), custom_formats=CUSTOM_FORMATS)


def normalised(schema: dict[str, Any], value: Any) -> Any:
    """`value` as the client writes it back: date-times in ISO 8601 with UTC as `Z`, uuids in lower case."""
    if isinstance(value, str) and schema.get("format") == "date-time":
        return format_datetime(datetime.datetime.fromisoformat(value))
    if isinstance(value, str) and schema.get("format") == "uuid":
        return str(uuid.UUID(value))
    if isinstance(value, dict) and "properties" in schema:
        return {key: normalised(schema["properties"].get(key, {}), item) for key, item in value.items()}
    if isinstance(value, list) and "items" in schema:
        return [normalised(schema["items"], item) for item in value]
    return value


@EXAMPLES
@given(VALID_PAGES)
def test_every_valid_page_parses_and_round_trips(body: dict[str, Any]) -> None:
    parsed = Page.from_dict(copy.deepcopy(body))
    assert parsed.to_dict() == normalised(LIST_SCHEMA, body)


# -- invalid bodies -----------------------------------------------------------------------------------
WRONG_VALUES: dict[str, Any] = {
    "string": "text",
    "integer": 7,
    "number": 1.5,
    "boolean": True,
    "object": {"key": 1},
    "array": [1],
    "null": None,
}
MALFORMED = {"uuid": "not-a-uuid", "date-time": "yesterday at noon"}


def _allows(schema: dict[str, Any], json_type: str) -> bool:
    allowed = schema["type"] if isinstance(schema.get("type"), list) else [schema.get("type")]
    return json_type in allowed or (json_type == "integer" and "number" in allowed)


def mutations(schema: dict[str, Any], value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """(path, replacement) pairs that each make `value` invalid; replacement DROP removes the key."""
    if "type" in schema:
        for json_type, wrong in WRONG_VALUES.items():
            if not _allows(schema, json_type):
                yield path, wrong
    if isinstance(value, str) and schema.get("format") in MALFORMED:
        yield path, MALFORMED[schema["format"]]
    if isinstance(value, dict):
        for key, item in value.items():
            if key in schema.get("required", ()):
                yield (*path, key), DROP
            if key in schema.get("properties", {}):
                yield from mutations(schema["properties"][key], item, (*path, key))
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from mutations(schema["items"], item, (*path, index))


DROP = object()


def mutated(value: Any, path: tuple[Any, ...], replacement: Any) -> Any:
    if not path:
        return replacement
    changed = copy.copy(value)
    if len(path) == 1 and replacement is DROP:
        del changed[path[0]]
    else:
        changed[path[0]] = mutated(value[path[0]], path[1:], replacement)
    return changed


@st.composite
def invalid_pages(draw: st.DrawFn) -> tuple[str, str]:
    page = draw(VALID_PAGES)
    path, replacement = draw(st.sampled_from(list(mutations(LIST_SCHEMA, page))))
    description = f"{'/'.join(map(str, path)) or '(body)'} -> {'dropped' if replacement is DROP else replacement!r}"
    return description, json.dumps(mutated(page, path, replacement))


def test_mutations_cover_each_kind_of_break() -> None:
    sample = {"count": 1, "next": None, "results": [{"id": str(uuid.uuid4()), "created_on": "2024-01-01T00:00:00Z"}]}
    found = list(mutations(LIST_SCHEMA, sample))
    assert (("count",), DROP) in found
    assert (("count",), "text") in found and (("count",), None) in found
    assert (("results", 0, "id"), "not-a-uuid") in found
    assert (("results", 0, "created_on"), "yesterday at noon") in found
    assert (("next",), 7) in found and (("next",), None) not in found


def test_every_invalid_page_raises_only_response_validation_error() -> None:
    with FakeHilosServer() as server, fast_client(server, retries=0) as client:

        @EXAMPLES
        @given(invalid_pages())
        def check(case: tuple[str, str]) -> None:
            description, body = case
            server.faults.append(Fault(status=200, body=body, content_type="application/json"))
            with pytest.raises(errors.ResponseValidationError) as caught:
                list_contacts.sync(client=client)
            assert caught.value.body == body, description

        check()
