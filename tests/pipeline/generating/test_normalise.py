"""The generic normalisation rules, each on a tiny inline spec."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pipeline.generating.enum_names import EnumNameError, member_name
from pipeline.generating.normalise import NormaliseError, normalise, reuse_component_enums

MEDIA_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


def _spec(schemas: dict[str, Any], body_media: tuple[str, ...] = (), required: bool = True) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": "create_thing", "responses": {"201": {"description": "Created."}}}
    if body_media:
        content = {media: {"schema": {"$ref": "#/components/schemas/Thing"}} for media in body_media}
        operation["requestBody"] = {"content": content, "required": required}
    return {"paths": {"/thing": {"post": operation}}, "components": {"schemas": schemas}}


THING = {"type": "object", "properties": {"name": {"type": "string"}}}


def test_body_offered_three_ways_is_sent_as_json_only() -> None:
    spec = _spec({"Thing": dict(THING)}, MEDIA_TYPES)
    assert normalise(spec) == [
        "POST /thing: body sent as application/json only (dropped application/x-www-form-urlencoded, multipart/form-data)"
    ]
    body = spec["paths"]["/thing"]["post"]["requestBody"]
    assert body["content"] == {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
    assert body["x-upstream-content"] == list(MEDIA_TYPES)
    assert sorted(spec["components"]["schemas"]) == ["Thing"]


def test_body_with_a_binary_field_is_sent_as_multipart_only() -> None:
    upload = {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
    spec = _spec({"Thing": upload}, MEDIA_TYPES)
    normalise(spec)
    assert list(spec["paths"]["/thing"]["post"]["requestBody"]["content"]) == ["multipart/form-data"]


def test_single_media_type_body_is_left_alone() -> None:
    spec = _spec({"Thing": dict(THING)}, ("application/json",))
    assert normalise(spec) == []
    assert "x-upstream-content" not in spec["paths"]["/thing"]["post"]["requestBody"]


TAG = {
    "type": "object",
    "properties": {"id": {"type": "integer", "readOnly": True}, "name": {"type": "string"}},
    "required": ["id", "name"],
}
PATCHED = {
    "type": "object",
    "properties": {
        "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
        "created_on": {"type": "string", "format": "date-time", "readOnly": True},
        "source": {"type": "string", "default": "website"},
    },
}


def _patch_spec() -> dict[str, Any]:
    """A PATCH body (request-only) nesting a model that a GET answers with (shared)."""
    ok = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}}, "description": ""}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    return {
        "paths": {
            "/thing": {"patch": {"requestBody": body, "responses": {"200": {"description": ""}}}},
            "/tag": {"get": {"responses": {"200": ok}}},
        },
        "components": {"schemas": {"Thing": json.loads(json.dumps(PATCHED)), "Tag": json.loads(json.dumps(TAG))}},
    }


def test_request_models_lose_read_only_properties_and_defaults() -> None:
    spec = _patch_spec()
    assert normalise(spec) == [
        "TagRequest: request variant of Tag (no read-only properties, no defaults)",
        "Thing: request-only model without read-only properties and defaults",
    ]
    schemas = spec["components"]["schemas"]
    assert schemas["Tag"] == TAG  # responses still read the id
    assert schemas["TagRequest"] == {
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "required": ["name"],
        "x-upstream-read-only": ["id"],
        "x-derived-from": "Tag",
    }
    assert schemas["Thing"]["properties"] == {
        "tags": {"type": "array", "items": {"$ref": "#/components/schemas/TagRequest"}},
        "source": {"type": "string", "x-upstream-default": "website"},
    }
    assert schemas["Thing"]["x-upstream-read-only"] == ["created_on"]


def test_request_variant_name_taken_by_another_schema_fails_loudly() -> None:
    spec = _patch_spec()
    spec["components"]["schemas"]["TagRequest"] = {"type": "string"}
    with pytest.raises(NormaliseError, match="TagRequest"):
        normalise(spec)


def test_request_models_without_read_only_or_defaults_are_left_alone() -> None:
    spec = _spec({"Thing": dict(THING)}, ("application/json",))
    normalise(spec)
    assert spec["components"]["schemas"] == {"Thing": THING}


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "enum": ["low", "", None]},
        {"type": "string", "nullable": True, "enum": ["low", ""]},
        {"enum": ["low", "", None]},
    ],
    ids=["null-member", "nullable-flag", "untyped-with-null"],
)
def test_nullable_enum_becomes_nullable_one_of_the_enum(schema: dict[str, Any]) -> None:
    had_null_member = None in schema["enum"]
    spec = _spec({"Thing": {"type": "object", "properties": {"priority": dict(schema)}}})
    normalise(spec)
    assert spec["components"]["schemas"]["Thing"]["properties"]["priority"] == {
        "nullable": True,
        "oneOf": [{"type": "string", "enum": ["low", ""], "title": "priority", "x-enum-varnames": ["LOW", "BLANK"]}],
        **({"x-upstream-enum": ["low", "", None]} if had_null_member else {}),
    }


def test_untyped_enum_gets_its_members_type() -> None:
    spec = _spec({"Weekday": {"enum": [0, 1, 2]}, "Blank": {"enum": [""]}})
    normalise(spec)
    assert spec["components"]["schemas"]["Weekday"]["type"] == "integer"
    assert spec["components"]["schemas"]["Blank"]["type"] == "string"


def test_null_only_enum_and_mixed_type_enum_are_left_alone() -> None:
    schemas: dict[str, dict[str, Any]] = {"NullEnum": {"enum": [None]}, "Mixed": {"enum": [1, "one"]}}
    spec = _spec({name: dict(schema) for name, schema in schemas.items()})
    assert normalise(spec) == []
    assert spec["components"]["schemas"] == schemas


# -- filter enums that are a component enum -------------------------------------------------------------
STATUS = {"type": "string", "enum": ["new", "open", "closed"], "description": "* `new` - New\n* `open` - Open"}


def _filtered_spec(filter_schema: dict[str, Any], **components: dict[str, Any]) -> dict[str, Any]:
    parameter = {"in": "query", "name": "status", "schema": filter_schema}
    operation = {"parameters": [parameter], "responses": {"200": {"description": "OK."}}}
    return {"paths": {"/thing": {"get": operation}}, "components": {"schemas": components}}


def _filter_parameter(spec: dict[str, Any]) -> dict[str, Any]:
    parameter: dict[str, Any] = spec["paths"]["/thing"]["get"]["parameters"][0]
    return parameter


@pytest.mark.parametrize(
    "values", [["new", "open", "closed"], ["closed", "new", "open"]], ids=["same-order", "sorted-as-filters-are"]
)
def test_filter_enum_with_the_values_of_one_component_enum_refers_to_it(values: list[str]) -> None:
    inline = {"type": "string", "enum": values}
    spec = _filtered_spec(dict(inline), StatusEnum=dict(STATUS), OtherEnum={"type": "string", "enum": ["a", "b"]})
    assert reuse_component_enums(spec) == ["GET /thing: parameter status is the component enum StatusEnum"]
    assert _filter_parameter(spec)["schema"] == {"$ref": "#/components/schemas/StatusEnum"}
    assert _filter_parameter(spec)["x-upstream-schema"] == inline
    assert spec["components"]["schemas"]["StatusEnum"] == STATUS  # the component itself is untouched


def test_filter_enum_that_two_component_enums_match_is_left_inline() -> None:
    inline = {"type": "string", "enum": ["closed", "new", "open"]}
    spec = _filtered_spec(dict(inline), StatusEnum=dict(STATUS), StateEnum=dict(STATUS))
    assert reuse_component_enums(spec) == []
    assert _filter_parameter(spec) == {"in": "query", "name": "status", "schema": inline}


@pytest.mark.parametrize(
    ("inline", "component"),
    [
        ({"type": "string", "enum": ["new", "open", "closed"], "nullable": True}, STATUS),
        ({"type": "string", "enum": ["new", "open", "closed"]}, {**STATUS, "nullable": True}),
        ({"type": "string", "enum": ["new", "open", "closed"], "default": "new"}, STATUS),
        ({"type": "string", "enum": ["new", "open"]}, STATUS),
        ({"type": "integer", "enum": [1, 2]}, {"type": "string", "enum": ["1", "2"]}),
    ],
    ids=["nullable-filter", "nullable-component", "filter-default", "fewer-values", "other-type"],
)
def test_filter_enum_with_facts_beyond_the_components_values_is_left_inline(
    inline: dict[str, Any], component: dict[str, Any]
) -> None:
    spec = _filtered_spec(dict(inline), StatusEnum=dict(component))
    assert reuse_component_enums(spec) == []
    assert _filter_parameter(spec) == {"in": "query", "name": "status", "schema": inline}


def test_path_level_and_reusable_parameters_refer_to_the_component_enum_too() -> None:
    spec = _filtered_spec({"type": "string"}, StatusEnum=dict(STATUS))
    inline = {"type": "string", "enum": ["open", "new", "closed"]}
    spec["paths"]["/thing"]["parameters"] = [{"in": "query", "name": "state", "schema": dict(inline)}]
    spec["components"]["parameters"] = {"Status": {"in": "query", "name": "status", "schema": dict(inline)}}
    assert reuse_component_enums(spec) == [
        "/thing: parameter state is the component enum StatusEnum",
        "components.parameters: parameter status is the component enum StatusEnum",
    ]
    refer = {"$ref": "#/components/schemas/StatusEnum"}
    assert spec["paths"]["/thing"]["parameters"][0]["schema"] == refer
    assert spec["components"]["parameters"]["Status"]["schema"] == refer


def test_normalise_reuses_component_enums_before_naming_enum_members() -> None:
    spec = _filtered_spec({"type": "string", "enum": ["closed", "new", "open"]}, StatusEnum=dict(STATUS))
    assert "GET /thing: parameter status is the component enum StatusEnum" in normalise(spec)
    # a $ref has no members to name: only the component gets x-enum-varnames
    assert _filter_parameter(spec)["schema"] == {"$ref": "#/components/schemas/StatusEnum"}
    assert spec["components"]["schemas"]["StatusEnum"]["x-enum-varnames"] == ["NEW", "OPEN", "CLOSED"]


# -- readable enum member names (pipeline/enum_names.py) ----------------------------------------------
@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("READY", "READY"),
        ("in-progress", "IN_PROGRESS"),
        ("camelCase", "CAMELCASE"),
        ("", "BLANK"),
        ("!exact", "NOT_EXACT"),
        ("360DIALOG", "VALUE_360DIALOG"),
        (">=", "GT_EQ"),
        ("-created_on", "MINUS_CREATED_ON"),
        ("/a b", "A_B"),
        ("v1.2", "V1_2"),
        ("étape", "ETAPE"),
        (0, "VALUE_0"),
        (6, "VALUE_6"),
        (-1, "VALUE_NEGATIVE_1"),
    ],
)
def test_enum_member_names_follow_the_documented_rule(value: str | int, name: str) -> None:
    assert member_name(value) == name


def test_enum_gets_varnames_and_keeps_upstream_values() -> None:
    spec = _spec({"Lookup": {"type": "string", "enum": ["", "!exact", "360DIALOG", "exact"]}})
    log = normalise(spec)
    lookup = spec["components"]["schemas"]["Lookup"]
    assert lookup["enum"] == ["", "!exact", "360DIALOG", "exact"]
    assert lookup["x-enum-varnames"] == ["BLANK", "NOT_EXACT", "VALUE_360DIALOG", "EXACT"]
    assert log == ["Lookup: enum member names '' -> BLANK, '!exact' -> NOT_EXACT, '360DIALOG' -> VALUE_360DIALOG"]


def test_nullable_and_untyped_enums_get_names_for_their_members_only() -> None:
    spec = _spec({"Blank": {"enum": [""]}, "Kind": {"type": "string", "enum": ["a", None]}})
    normalise(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["Blank"]["x-enum-varnames"] == ["BLANK"]
    assert schemas["Kind"]["oneOf"][0]["x-enum-varnames"] == ["A"]
    assert "x-enum-varnames" not in schemas["Kind"]


def test_integer_enum_members_are_named_by_value() -> None:
    spec = _spec({"Weekday": {"type": "integer", "enum": [0, 1, 2, 3, 4, 5, 6]}})
    assert normalise(spec) == []  # the generator's own names; nothing to log
    assert spec["components"]["schemas"]["Weekday"]["x-enum-varnames"] == [f"VALUE_{day}" for day in range(7)]


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (["a-b", "a_b"], "Op: 'a-b' and 'a_b' would both be named A_B"),
        (["!x", "not_x"], "Op: '!x' and 'not_x' would both be named NOT_X"),
        (["!€"], "Op: no name for the character '€' in '!€'"),
    ],
    ids=["separators", "symbol-word", "unnamed-symbol"],
)
def test_enum_names_that_collide_or_cannot_be_made_fail_naming_the_enum(members: list[str], message: str) -> None:
    with pytest.raises(EnumNameError, match=re.escape(message)):
        normalise(_spec({"Op": {"type": "string", "enum": members}}))


def test_real_spec_enum_keeps_its_member_names() -> None:
    from pipeline.project import SPEC

    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    normalise(spec)
    status = spec["components"]["schemas"]["FlowExecutionContactStatusEnum"]
    assert status["x-enum-varnames"] == status["enum"]


def _responses_spec(content: dict[str, Any]) -> dict[str, Any]:
    operation = {"operationId": "get_report", "responses": {"200": {"description": "The report.", "content": content}}}
    return {"paths": {"/report": {"get": operation}}, "components": {"schemas": {}}}


def test_a_response_only_in_a_binary_media_type_is_read_as_bytes() -> None:
    spec = _responses_spec({"application/pdf": {"schema": {"type": "string", "format": "binary"}}, "image/png": {}})
    assert normalise(spec) == [
        "GET /report: response 200: application/pdf, image/png read as bytes (application/octet-stream: the client returns a File)"
    ]
    response = spec["paths"]["/report"]["get"]["responses"]["200"]
    assert response["content"] == {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    assert response["x-upstream-content"] == ["application/pdf", "image/png"]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param({"application/pdf": {}, "application/json": {"schema": {"type": "object"}}}, id="json-beside"),
        pytest.param({"text/csv": {"schema": {"type": "string"}}}, id="text"),
        pytest.param({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}, id="octet"),
        pytest.param({"application/problem+json": {"schema": {"type": "object"}}}, id="plus-json"),
    ],
)
def test_a_response_the_generator_reads_is_left_alone(content: dict[str, Any]) -> None:
    spec = _responses_spec(content)
    before = json.dumps(spec)
    assert normalise(spec) == []
    assert json.dumps(spec) == before


@pytest.mark.parametrize(
    "media_type",
    ["application/json", "application/json; charset=utf-8", "application/vnd.api+json", "application/problem+json",
     "text/csv", "text/plain", "TEXT/HTML", "application/octet-stream", "application/pdf", "image/png",
     "application/xml", "application/zip", "*/*", "multipart/form-data"],
)  # fmt: skip
def test_generator_reads_agrees_with_the_generator(media_type: str) -> None:
    # The rule's premise, checked against the pinned generator's own choice: an upgrade that reads more
    # (or fewer) media types fails here instead of silently changing which responses are rewritten.
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser.responses import _source_by_content_type

    from pipeline.generating.normalise import generator_reads
    from pipeline.project import CONFIG

    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG),
        MetaType.NONE,
        CONFIG,
        file_encoding="utf-8",
        overwrite=True,
        output_path=None,
    )
    assert generator_reads(media_type) == (_source_by_content_type(media_type, config) is not None)
