"""A 2xx body that does not match the spec raises ResponseValidationError (with status and body), never
KeyError/TypeError or a silently kept wrong value; over real HTTP and through from_dict."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hilos_client import errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.models import PaginatedFlowExecutionContactListSimpleList as Page
from hilos_client.testing import FakeHilos

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import FakeHilosServer, Fault, make_contacts


def valid_page() -> dict[str, Any]:
    return {"count": 1, "next": None, "previous": None, "results": make_contacts(1)}


def set_path(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `document` with the dotted `path` set to `value` (or removed when value is DROP)."""
    changed = copy.deepcopy(document)
    *parents, last = path.split(".")
    node: Any = changed
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is DROP:
        del node[last]
    else:
        node[last] = value
    return changed


DROP = object()
# (path, value): each breaks the spec in one way the parser must notice.
MUTATIONS = {
    "missing required count": ("count", DROP),
    "missing required results": ("results", DROP),
    "missing required nested id": ("results.0.id", DROP),
    "missing required contact phone": ("results.0.contact.phone", DROP),
    "string where integer": ("count", "1"),
    "boolean where integer": ("count", True),
    "float where integer": ("count", 1.5),
    "object where string": ("results.0.flow_name", {"name": "x"}),
    "integer where string": ("results.0.contact.phone", 5215512345678),
    "null where not nullable string": ("results.0.contact.source", None),
    "null where not nullable object": ("results.0.contact", None),
    "null where not nullable array": ("results", None),
    "string where array": ("results", "abc"),
    "object where array": ("results", {"0": {}}),
    "array where object": ("results.0.contact", [["phone", "1"]]),
    "string where boolean": ("results.0.is_test", "false"),
    "invalid uuid": ("results.0.id", "not-a-uuid"),
    "integer where uuid": ("results.0.id", 7),
    "invalid uuid in nullable field": ("results.0.flow", "nope"),
    "integer in nullable string field": ("results.0.contact.email", 42),
    "invalid date-time": ("results.0.created_on", "yesterday"),
    "integer where date-time": ("results.0.contact.last_updated_on", 1700000000),
    "integer where enum string": ("results.0.status", 3),
    "object in nullable url": ("next", {"href": "x"}),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS), ids=list(MUTATIONS))
def test_from_dict_rejects_each_mutation_with_a_parse_error(mutation: str) -> None:
    path, value = MUTATIONS[mutation]
    with pytest.raises(errors.PARSE_ERRORS):
        Page.from_dict(set_path(valid_page(), path, value))


@pytest.mark.parametrize("mutation", list(MUTATIONS), ids=list(MUTATIONS))
def test_each_mutation_over_http_raises_only_response_validation_error(
    fake_api: FakeHilosServer, mutation: str
) -> None:
    path, value = MUTATIONS[mutation]
    body = json.dumps(set_path(valid_page(), path, value))
    fake_api.faults.append(Fault(status=200, body=body, content_type="application/json"))
    with fast_client(fake_api) as client, pytest.raises(errors.ResponseValidationError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.status_code == 200
    assert caught.value.body == body
    assert caught.value.reason
    assert body[:40] in str(caught.value)


@pytest.mark.parametrize(
    "body",
    ['"a string"', "[]", "null", "42", '{"count": 1, "results": []', "\ufeff{}", "<html>502</html>"],
    ids=["json-string", "json-array", "json-null", "json-number", "truncated", "bom-then-empty", "html"],
)
def test_bodies_that_are_not_a_page_raise_response_validation_error(fake_api: FakeHilosServer, body: str) -> None:
    fake_api.faults.append(Fault(status=200, body=body, content_type="application/json"))
    with fast_client(fake_api) as client, pytest.raises(errors.ResponseValidationError):
        list_contacts.sync(client=client)


def test_invalid_utf8_body_raises_response_validation_error(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=200, body=b'{"count": "\xff\xfe"}', content_type="application/json"))
    with fast_client(fake_api) as client, pytest.raises(errors.ResponseValidationError) as caught:
        list_contacts.sync(client=client)
    assert "not JSON" in caught.value.reason


def test_missing_field_error_names_the_field(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=200, body=set_path(valid_page(), "results.0.contact.phone", DROP)))
    with fast_client(fake_api) as client, pytest.raises(errors.ResponseValidationError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.reason == "results[0].contact.phone: required field is missing"
    assert caught.value.path == "results[0].contact.phone"


def test_wrong_type_error_names_the_field_and_types(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=200, body=set_path(valid_page(), "count", "12")))
    with fast_client(fake_api) as client, pytest.raises(errors.ResponseValidationError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.reason == "count: expected an integer, got str"
    assert caught.value.path == "count"


def test_valid_optional_fields_may_be_absent_or_null() -> None:
    page = valid_page()
    for optional in ("status", "created_on", "is_test", "flow_version", "flow"):
        del page["results"][0][optional]
    page["results"][0]["contact"] = {
        "id": "c1",
        "phone": "+1",
        "last_updated_on": "2024-01-01T00:00:00Z",
        "source": "api",
    }
    fake = FakeHilos()  # no socket needed: the in-process fake of hilos_client.testing
    fake.queue(list_contacts, page)
    with fake.client() as client:
        parsed = list_contacts.sync(client=client)
    assert parsed.to_dict() == page
