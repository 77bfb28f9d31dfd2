"""pipeline/generating/operation_names.py: the rule that proposes names, and the record that locks them, on tiny
inline specs and on the real openapi.json."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pipeline.generating.name_record import RecordedName, load_record
from pipeline.generating.operation_names import OperationNameError, name_operations, propose_names
from pipeline.project import NAME_RECORD, SPEC


def spec_with(*operations: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for method, path, operation in operations:
        paths.setdefault(path, {})[method] = {"responses": {"200": {"description": "ok"}}, **operation}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


def named(spec: dict[str, Any]) -> list[str]:
    """Name every operation as `make update-spec` would for a spec with no record yet."""
    return name_operations(spec, propose_names(spec, {}).record)


def operation_ids(spec: dict[str, Any]) -> dict[str, str]:
    return {
        f"{method.upper()} {path}": op["operationId"]
        for path, item in spec["paths"].items()
        for method, op in item.items()
    }


def test_title_style_operation_id_becomes_snake_case_of_the_summary() -> None:
    spec = spec_with(
        (
            "get",
            "/channel/whatsapp/flow-execution-contact",
            {"operationId": "List Flow Execution Contact", "summary": "List Flow Execution Contacts"},
        )
    )
    log = named(spec)
    operation = spec["paths"]["/channel/whatsapp/flow-execution-contact"]["get"]
    assert operation["operationId"] == "list_flow_execution_contacts"
    assert operation["x-upstream-operationId"] == "List Flow Execution Contact"
    assert log == [
        "GET /channel/whatsapp/flow-execution-contact: operationId 'List Flow Execution Contact' -> "
        "'list_flow_execution_contacts'"
    ]


def test_a_snake_case_operation_id_is_renamed_when_a_summary_says_what_it_does() -> None:
    spec = spec_with(
        ("put", "/t/{id}", {"operationId": "channels_whatsapp_template_update", "summary": "Update WhatsApp Template"})
    )
    named(spec)
    assert spec["paths"]["/t/{id}"]["put"]["operationId"] == "update_whatsapp_template"


def test_an_operation_already_named_by_the_rule_is_left_untouched() -> None:
    spec = spec_with(("get", "/a/{id}", {"operationId": "get_account", "summary": "Get Account"}))
    assert named(spec) == []
    assert spec["paths"]["/a/{id}"]["get"] == {
        "responses": {"200": {"description": "ok"}},
        "operationId": "get_account",
        "summary": "Get Account",
    }


@pytest.mark.parametrize(
    ("operation", "name"),
    [
        ({"operationId": "Retrieve Contact", "summary": "Retrieve a Contact (by ID)"}, "get_contact"),
        ({"operationId": "listContacts", "summary": "List Contacts"}, "list_contacts"),
        ({"operationId": "Create Flow Execution"}, "create_flow_execution"),
        ({"summary": "Delete Webhook Subscription"}, "delete_webhook_subscription"),
    ],
    ids=["punctuation", "camel-case-id", "no-summary-uses-id", "no-id-uses-summary"],
)
def test_names_come_from_the_summary_or_else_the_operation_id(operation: dict[str, Any], name: str) -> None:
    spec = spec_with(("post", "/x", operation))
    named(spec)
    assert spec["paths"]["/x"]["post"]["operationId"] == name
    assert spec["paths"]["/x"]["post"]["x-upstream-operationId"] == operation.get("operationId")


def test_a_spec_that_gains_operations_in_the_same_style_needs_no_patch_edit() -> None:
    spec = spec_with(
        ("get", "/flow-execution-contact", {"operationId": "List Flow Execution Contact", "summary": "List Flow Execution Contacts"}),
        ("get", "/flow-execution-contact/{id}", {"operationId": "Retrieve Flow Execution Contact", "summary": "Retrieve Flow Execution Contact"}),
        ("patch", "/flow-execution-contact/{id}", {"operationId": "Cancel Flow Execution Contact", "summary": "Cancel Flow Execution Contact"}),
        ("post", "/contact", {"operationId": "Create Contact", "summary": "Create Contact"}),
    )  # fmt: skip
    named(spec)
    assert operation_ids(spec) == {
        "GET /flow-execution-contact": "list_flow_execution_contacts",
        "GET /flow-execution-contact/{id}": "get_flow_execution_contact",
        "PATCH /flow-execution-contact/{id}": "cancel_flow_execution_contact",
        "POST /contact": "create_contact",
    }


def test_names_are_deterministic() -> None:
    def names() -> dict[str, str]:
        spec = spec_with(
            ("get", "/b", {"operationId": "List B", "summary": "List Bs"}),
            ("get", "/a", {"operationId": "List A", "summary": "List As"}),
        )
        named(spec)
        return operation_ids(spec)

    assert names() == names() == {"GET /b": "list_bs", "GET /a": "list_as"}


def test_collision_fails_naming_both_operations() -> None:
    spec = spec_with(
        ("get", "/contacts", {"operationId": "List Contacts", "summary": "List Contacts"}),
        ("get", "/v2/contacts", {"operationId": "List Contacts V2", "summary": "List Contacts"}),
    )
    with pytest.raises(
        OperationNameError,
        match=re.escape("GET /v2/contacts and GET /contacts would both be api.default.list_contacts"),
    ):
        named(spec)


def test_collision_with_an_already_snake_case_name_fails_too() -> None:
    spec = spec_with(
        ("get", "/a", {"operationId": "list_contacts"}),
        ("post", "/b", {"operationId": "List Contacts", "summary": "List Contacts"}),
    )
    with pytest.raises(
        OperationNameError, match=re.escape("POST /b and GET /a would both be api.default.list_contacts")
    ):
        named(spec)


def test_real_spec_operations_are_named_verb_then_resource() -> None:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    named(spec)
    names = operation_ids(spec)
    assert names["GET /channel/whatsapp/flow-execution-contact"] == "list_flow_execution_contacts"
    verbs = ("list_", "get_", "create_", "update_", "partially_update_", "delete_", "send_")
    assert all(name.startswith(verbs) for name in names.values()), names
    assert not [name for name in names.values() if {"a", "an", "the", "by"} & set(name.split("_"))]


def test_committed_record_holds_what_the_rule_proposes_for_the_real_spec() -> None:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    assert load_record(NAME_RECORD) == propose_names(spec, {}).record


def test_same_operation_with_the_same_style_collides_only_within_one_module_folder() -> None:
    spec = spec_with(
        ("get", "/contacts", {"operationId": "List Contacts", "summary": "List Contacts", "tags": ["Contacts"]}),
        ("get", "/v2/contacts", {"operationId": "List Contacts", "summary": "List Contacts", "tags": ["V2"]}),
    )
    named(spec)
    assert operation_ids(spec) == {"GET /contacts": "list_contacts", "GET /v2/contacts": "list_contacts"}


RECORDED = {"GET /x": RecordedName("flows", "list_things")}


def test_recorded_name_and_tag_win_over_whatever_upstream_writes() -> None:
    spec = spec_with(("get", "/x", {"operationId": "getX", "tags": ["Other Things", "Flows"]}))
    log = name_operations(spec, RECORDED)
    operation = spec["paths"]["/x"]["get"]
    assert (operation["operationId"], operation["tags"]) == ("list_things", ["flows"])
    assert (operation["x-upstream-operationId"], operation["x-upstream-tags"]) == ("getX", ["Other Things", "Flows"])
    assert log == ["GET /x: operationId 'getX' -> 'list_things'", "GET /x: tags ['Other Things', 'Flows'] -> ['flows']"]


def test_a_tag_the_generator_already_reads_as_the_recorded_folder_is_left_as_upstream_wrote_it() -> None:
    spec = spec_with(("get", "/x", {"operationId": "list_things", "tags": ["Flows"]}))
    assert name_operations(spec, RECORDED) == []
    assert spec["paths"]["/x"]["get"]["tags"] == ["Flows"]


def test_operation_missing_from_the_record_fails_and_says_to_run_update_spec() -> None:
    spec = spec_with(("get", "/x", {"operationId": "list_things"}), ("post", "/y", {"operationId": "create_y"}))
    with pytest.raises(OperationNameError) as failure:
        name_operations(spec, RECORDED)
    assert "POST /y: not in patches/operation-names.json" in str(failure.value)
    assert "make update-spec SPEC=" in str(failure.value)


def test_recorded_operation_gone_from_the_spec_fails_too() -> None:
    with pytest.raises(OperationNameError, match=re.escape("GET /x: recorded as api.flows.list_things, but not in")):
        name_operations(spec_with(("get", "/z", {"operationId": "z"})), {**RECORDED, "GET /z": RecordedName("a", "z")})


def test_proposal_keeps_recorded_names_adds_new_ones_and_drops_vanished_operations() -> None:
    spec = spec_with(
        ("get", "/x", {"operationId": "Renamed Upstream", "tags": ["Flows"]}),
        ("post", "/new", {"operationId": "Create New", "summary": "Create A New Thing", "tags": ["Flows"]}),
    )
    record = {**RECORDED, "DELETE /old": RecordedName("flows", "delete_old")}
    proposal = propose_names(spec, record)
    assert proposal.record == {"GET /x": RECORDED["GET /x"], "POST /new": RecordedName("flows", "create_new_thing")}
    assert proposal.added == {"POST /new": RecordedName("flows", "create_new_thing")}
    assert proposal.removed == {"DELETE /old": RecordedName("flows", "delete_old")}
