"""pipeline/generating/overlay.py: the Overlay 1.0 applier, on tiny inline documents, then every action of patches/overlay.yaml
on the real openapi.json (each fixes its quirk, and fails naming itself once the quirk is gone upstream)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import jsonpath
import pytest
import yaml

from pipeline.generating.overlay import OverlayError, apply_overlay, validate_overlay
from pipeline.project import OVERLAY as OVERLAY_PATH
from pipeline.project import SPEC as SPEC_PATH
from pipeline.project import iter_operations

SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
OVERLAY: dict[str, Any] = yaml.safe_load(OVERLAY_PATH.read_text(encoding="utf-8"))
LIST_OPERATION = ("paths", "/channel/whatsapp/flow-execution-contact", "get")


def overlay_of(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "info": {"title": "test", "version": "1"}, "actions": list(actions)}


def tiny_spec() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Tiny", "version": "1", "x-tags": ["a"]},
        "paths": {
            "/items": {
                "get": {
                    "parameters": [
                        {"name": "keep", "in": "query"},
                        {"name": "drop1", "in": "query"},
                        {"name": "keep2", "in": "query"},
                        {"name": "drop2", "in": "query"},
                        {"name": "drop3", "in": "query"},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }


# -- the applier on inline documents -------------------------------------------------------------------------------


def test_update_merges_objects_recursively_and_replaces_scalars() -> None:
    spec = tiny_spec()
    action = {
        "target": "$.info",
        "description": "merge",
        "update": {"title": "Renamed", "contact": {"name": "n"}, "x-tags": ["b"]},
    }
    patched, applied = apply_overlay(spec, overlay_of(action))
    assert patched["info"] == {"title": "Renamed", "version": "1", "x-tags": ["a", "b"], "contact": {"name": "n"}}
    assert [(a.number, a.kind, a.matches) for a in applied] == [(1, "update", 1)]


def test_update_of_an_array_target_appends_the_value() -> None:
    action = {"target": "$.info['x-tags']", "description": "append", "update": {"nested": True}}
    patched, _ = apply_overlay(tiny_spec(), overlay_of(action))
    assert patched["info"]["x-tags"] == ["a", {"nested": True}]


def test_update_applies_to_every_matched_node() -> None:
    action = {
        "target": "$.paths.*.get.parameters[?@.name == 'keep' || @.name == 'keep2']",
        "description": "mark",
        "update": {"required": True},
    }
    patched, applied = apply_overlay(tiny_spec(), overlay_of(action))
    required = [p["name"] for p in patched["paths"]["/items"]["get"]["parameters"] if p.get("required")]
    assert required == ["keep", "keep2"]
    assert applied[0].matches == 2


def test_update_of_a_scalar_target_is_rejected_naming_the_action() -> None:
    action = {"target": "$.info.title", "description": "Bad update\nmore", "update": {"x": 1}}
    with pytest.raises(OverlayError, match=re.escape("action 1 (Bad update)") + ".*is a str"):
        apply_overlay(tiny_spec(), overlay_of(action))


def test_remove_deletes_several_list_items_and_keeps_the_rest_in_order() -> None:
    action = {"target": "$.paths.*.get.parameters[?search(@.name, '^drop')]", "description": "drop", "remove": True}
    patched, applied = apply_overlay(tiny_spec(), overlay_of(action))
    assert [p["name"] for p in patched["paths"]["/items"]["get"]["parameters"]] == ["keep", "keep2"]
    assert (applied[0].kind, applied[0].matches) == ("remove", 3)


def test_remove_of_nodes_inside_other_removed_nodes_removes_them_all() -> None:
    spec = {
        "openapi": "3.0.3",
        "x-items": [{"drop": True, "kids": [{"drop": True}, {"keep": 1}]}, {"keep": 2, "kids": [{"drop": True}]}],
    }
    action = {"target": "$..[?@.drop == true]", "description": "nested", "remove": True}
    patched, applied = apply_overlay(spec, overlay_of(action))
    assert patched["x-items"] == [{"keep": 2, "kids": []}]
    assert applied[0].matches == 3


def test_remove_deletes_object_members() -> None:
    action = {"target": "$.info['x-tags', 'version']", "description": "drop keys", "remove": True}
    patched, _ = apply_overlay(tiny_spec(), overlay_of(action))
    assert patched["info"] == {"title": "Tiny"}


def test_an_overlay_with_no_actions_left_applies_and_changes_nothing() -> None:
    # Deleting every action whose quirk upstream fixed, as TargetVanishedError says, leaves `actions: []`.
    patched, applied = apply_overlay(tiny_spec(), overlay_of())
    assert patched == tiny_spec()
    assert applied == []


def test_actions_apply_in_order_and_the_input_is_not_modified() -> None:
    spec = tiny_spec()
    before = copy.deepcopy(spec)
    first = {"target": "$.info", "description": "add", "update": {"x-added": {"n": 1}}}
    second = {"target": "$.info['x-added']", "description": "then change what the first added", "update": {"n": 2}}
    patched, applied = apply_overlay(spec, overlay_of(first, second))
    assert patched["info"]["x-added"] == {"n": 2}
    assert spec == before
    assert [a.number for a in applied] == [1, 2]


@pytest.mark.parametrize(
    ("overlay", "message"),
    [
        pytest.param(
            {"info": {"title": "t", "version": "1"}, "actions": []}, "'overlay' is a required", id="no-version"
        ),
        pytest.param(
            {"overlay": "2.0.0", "info": {"title": "t", "version": "1"}, "actions": [{}]},
            "at overlay: '2.0.0' does not match",
            id="wrong-version",
        ),
        pytest.param(
            {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": None},
            "write `actions: []` when no action is left",
            id="actions-left-null",
        ),
        pytest.param(
            {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}}, "'actions' is a required", id="no-actions"
        ),
        pytest.param(
            overlay_of({"target": "$.info", "description": "both", "update": {}, "remove": True}),
            "at actions/0",
            id="update-and-remove",
        ),
        pytest.param(
            overlay_of({"target": "$.info", "update": {}}), "'description' is a required property", id="no-description"
        ),
        pytest.param(
            overlay_of({"target": "info", "description": "d", "remove": True}),
            "at actions/0/target: 'info' does not match",
            id="target-not-jsonpath",
        ),
        pytest.param(
            overlay_of({"target": "$.info", "description": "d", "remove": True, "delete": True}),
            "at actions/0",
            id="unknown-action-field",
        ),
        pytest.param(["not", "a", "mapping"], "at (document)", id="not-a-mapping"),
    ],
)
def test_invalid_overlay_document_is_rejected_with_where_and_why(overlay: Any, message: str) -> None:
    with pytest.raises(OverlayError, match="overlay is not a valid Overlay 1.0 document") as raised:
        validate_overlay(overlay)
    assert message in str(raised.value)


def test_overlay_extensions_are_allowed() -> None:
    validate_overlay({**overlay_of({"target": "$", "description": "d", "remove": False}), "x-note": 1})


def test_invalid_jsonpath_is_rejected_naming_the_action_before_anything_is_applied() -> None:
    good = {"target": "$.info", "description": "fine", "update": {"x-ok": True}}
    bad = {"target": "$.paths[?@.name ==]", "description": "Broken filter", "remove": True}
    with pytest.raises(OverlayError, match=re.escape("action 2 (Broken filter): invalid target '$.paths[?@.name ==]'")):
        apply_overlay(tiny_spec(), overlay_of(good, bad))


def test_non_standard_jsonpath_is_rejected_in_strict_mode() -> None:
    # python-jsonpath's own extensions (here: the keys selector `~`) are not RFC 9535, so other tools could not apply them.
    action = {"target": "$.info.~", "description": "Extension syntax", "remove": True}
    with pytest.raises(OverlayError, match=re.escape("action 1 (Extension syntax): invalid target")):
        validate_overlay(overlay_of(action))


def test_action_matching_nothing_fails_naming_it_and_saying_to_delete_it() -> None:
    first = {"target": "$.info", "description": "Fine", "update": {}}
    stale = {
        "target": "$.components.securitySchemes[?@.name == 'Token']",
        "description": "Auth header quirk\nsecond line",
        "update": {},
    }
    with pytest.raises(OverlayError) as raised:
        apply_overlay(tiny_spec(), overlay_of(first, stale))
    message = str(raised.value)
    assert message.startswith("action 2 (Auth header quirk) matched nothing at $.components.securitySchemes")
    assert "If upstream fixed this quirk, delete the action from patches/overlay.yaml" in message


def test_removing_the_whole_document_is_refused() -> None:
    with pytest.raises(OverlayError, match=re.escape("action 1 (all): cannot remove the whole document")):
        apply_overlay(tiny_spec(), overlay_of({"target": "$", "description": "all", "remove": True}))


# -- every action of patches/overlay.yaml, on the real upstream spec ----------------------------------------------


def list_operation(spec: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = spec
    for key in LIST_OPERATION:
        node = node[key]
    return node


def parameter(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [p for p in list_operation(spec)["parameters"] if p["name"] == name]
    (only,) = found
    return only


def action_number(title_start: str) -> int:
    """Actions are found by what they say, so reordering overlay.yaml does not silently retarget these tests."""
    (number,) = [n for n, a in enumerate(OVERLAY["actions"], start=1) if a["description"].startswith(title_start)]
    return number


def fix_security_scheme(spec: dict[str, Any]) -> None:
    spec["components"]["securitySchemes"]["tokenAuth"]["name"] = "Authorization"


def define_server_variable(spec: dict[str, Any]) -> None:
    spec["servers"][0]["variables"] = {"youraccountname": {"default": "acme"}}


def every_operation(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [operation for _, _, operation in iter_operations(spec)]


def make_boolean_examples_boolean(spec: dict[str, Any]) -> None:
    fixed = 0
    for operation in every_operation(spec):
        for query in operation.get("parameters", []):
            if query.get("schema", {}).get("type") == "boolean" and query.get("examples"):
                query["examples"] = {"Yes": {"value": True}, "No": {"value": False}}
                fixed += 1
    assert fixed, "no boolean parameter has examples: nothing to fix"


def rename_is_active(spec: dict[str, Any]) -> None:
    parameter(spec, "is_active")["name"] = "active"


def set_page_minimums(spec: dict[str, Any]) -> None:
    pages = [
        query
        for operation in every_operation(spec)
        for query in operation.get("parameters", [])
        if query["in"] == "query" and query["name"] in ("page", "page_size")
    ]
    assert pages, "no operation is paginated: nothing to fix"
    for query in pages:
        query["schema"]["minimum"] = 1


def describe_responses(spec: dict[str, Any]) -> None:
    responses = [response for operation in every_operation(spec) for response in operation["responses"].values()]
    assert any(response.get("description") == "" for response in responses), "nothing to fix"
    for response in responses:
        response["description"] = response.get("description") or "The answer."


def list_flows_tag_in_group(spec: dict[str, Any]) -> None:
    (group,) = [g for g in spec["x-tagGroups"] if g["name"] == "Flows"]
    group["tags"].append("Flows")


def document_rate_limit(spec: dict[str, Any]) -> None:
    spec["servers"][0]["x-rate-limit"] = {"requests_per_second": 5, "scope": "account"}


# (start of the action's description, how upstream would fix the quirk or move the target)
UPSTREAM_FIXES: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("Auth header:", fix_security_scheme),
    ("Server variable:", define_server_variable),
    ("Boolean examples given as arrays:", make_boolean_examples_boolean),
    ("is_active examples as booleans", rename_is_active),
    ("Page numbers and page sizes start at 1", set_page_minimums),
    ("Empty response descriptions:", describe_responses),
    ("The operation's tag `Flows` is in no x-tagGroup", list_flows_tag_in_group),
    ("Rate limit:", document_rate_limit),
]


@pytest.fixture(scope="module")
def patched() -> dict[str, Any]:
    document, _ = apply_overlay(SPEC, OVERLAY)
    return document


def test_every_overlay_action_has_an_upstream_fix_test() -> None:
    assert sorted(action_number(title) for title, _ in UPSTREAM_FIXES) == list(range(1, len(OVERLAY["actions"]) + 1))


def test_security_scheme_header_becomes_authorization(patched: dict[str, Any]) -> None:
    scheme = patched["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "Authorization: Token <your API key>" in scheme["description"]


def test_server_variable_youraccountname_is_defined(patched: dict[str, Any]) -> None:
    (server,) = patched["servers"]
    assert server["url"] == "https://{youraccountname}.api-us1.com/api/3"
    assert set(re.findall(r"{(\w+)}", server["url"])) == set(server["variables"])
    assert server["variables"]["youraccountname"]["default"] == "youraccountname"


def test_is_active_examples_are_booleans(patched: dict[str, Any]) -> None:
    examples = parameter(patched, "is_active")["examples"]
    assert {name: example["value"] for name, example in examples.items()} == {
        "only_active": True,
        "only_finished": False,
    }


def test_no_boolean_parameter_keeps_an_array_example(patched: dict[str, Any]) -> None:
    found = jsonpath.findall("$.paths.*.*.parameters[?@.schema.type == 'boolean'].examples.*.value", patched)
    assert found and all(isinstance(value, bool) for value in found)


def test_page_and_page_size_have_minimum_1(patched: dict[str, Any]) -> None:
    assert [parameter(patched, name)["schema"] for name in ("page", "page_size")] == [
        {"type": "integer", "minimum": 1},
        {"type": "integer", "minimum": 1},
    ]
    found = jsonpath.findall("$.paths.*.*.parameters[?@.name == 'page' || @.name == 'page_size'].schema", patched)
    assert found and all(isinstance(schema, dict) and schema["minimum"] == 1 for schema in found)


def test_responses_are_described(patched: dict[str, Any]) -> None:
    descriptions = jsonpath.findall("$.paths.*.*.responses.*.description", patched)
    assert descriptions and all(descriptions)


def test_the_server_documents_the_accounts_rate_limit(patched: dict[str, Any]) -> None:
    (server,) = patched["servers"]
    limit = server["x-rate-limit"]
    assert (limit["requests_per_second"], limit["scope"]) == (5, "account")
    assert "activecampaign" in limit["source"].lower()


def test_flows_tag_is_listed_once_in_its_tag_group(patched: dict[str, Any]) -> None:
    (group,) = [g for g in patched["x-tagGroups"] if g["name"] == "Flows"]
    assert group["tags"].count("Flows") == 1


@pytest.mark.parametrize(("title", "upstream_fix"), UPSTREAM_FIXES, ids=[t for t, _ in UPSTREAM_FIXES])
def test_action_fails_naming_itself_when_its_quirk_is_gone_upstream(
    title: str, upstream_fix: Callable[[dict[str, Any]], None]
) -> None:
    spec = copy.deepcopy(SPEC)
    upstream_fix(spec)
    number = action_number(title)
    with pytest.raises(OverlayError) as raised:
        apply_overlay(spec, OVERLAY)
    message = str(raised.value)
    assert message.startswith(f"action {number} ({title}")
    assert "matched nothing" in message
    assert "delete the action from patches/overlay.yaml" in message
