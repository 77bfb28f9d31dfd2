"""pipeline/generating/parameter_checks.py: which runtime check `_get_kwargs` renders for each parameter, on
tiny specs parsed by the generator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.generating.parameter_checks import models_by_name, parameter_checks
from tests.pipeline.generating.test_operation_model import (
    DATETIME,
    INT,
    STR,
    UUID,
    document,
    endpoint,
    parse,
    query,
    ref,
)

PATH_ID = {"name": "id", "in": "path", "required": True, "schema": UUID}
HEADER = {"name": "X-Trace", "in": "header", "required": False, "schema": STR}


@pytest.mark.parametrize(
    ("schema", "statement"),
    [
        (UUID, 'p = check_uuid("p", p)'),
        ({"type": "boolean"}, 'p = check_bool("p", p)'),
        (INT, 'p = check_int("p", p)'),
        ({"type": "integer", "minimum": 1}, 'p = check_int("p", p)'),
        ({"type": "number"}, 'p = check_float("p", p)'),
        (DATETIME, 'p = check_datetime("p", p)'),
        ({"type": "string", "format": "date"}, 'p = check_date("p", p)'),
        (STR, 'p = check_str("p", p)'),
        (ref("Colour"), 'p = check_enum("p", p, Colour)'),
        (ref("Level"), 'p = check_enum("p", p, Level)'),
        ({"type": "string", "nullable": True, "format": "uuid"}, 'p = check_uuid("p", p)'),
        ({"type": "array", "items": STR}, 'p = check_list("p", p, check_str)'),
        ({"type": "array", "items": INT}, 'p = check_list("p", p, check_int)'),
        ({"type": "array", "items": ref("Colour")}, 'p = check_list("p", p, check_enum, Colour)'),
    ],
)
def test_a_query_parameter_is_checked_by_its_type(tmp_path: Path, schema: dict[str, Any], statement: str) -> None:
    assert parameter_checks(endpoint({"parameters": [query("p", schema)]}, tmp_path)) == [statement]


@pytest.mark.parametrize(
    "schema",
    [
        pytest.param({"type": "object", "properties": {"a": INT}}, id="an-object"),
        pytest.param({}, id="free-form"),
        pytest.param({"oneOf": [INT, STR]}, id="a-union-of-types"),
        pytest.param({"type": "array", "items": {"oneOf": [INT, UUID]}}, id="a-list-of-a-union"),
    ],
)
def test_what_no_check_can_say_exactly_is_left_unchecked(tmp_path: Path, schema: dict[str, Any]) -> None:
    assert parameter_checks(endpoint({"parameters": [query("p", schema)]}, tmp_path)) == []


def test_path_header_and_query_parameters_are_all_checked_under_their_python_names(tmp_path: Path) -> None:
    parameters = [query("page_size", INT), query("category__in", {"type": "array", "items": STR}), HEADER, PATH_ID]
    found = endpoint({"parameters": parameters}, tmp_path, key="get /things/{id}/")
    assert parameter_checks(found) == [
        'id = check_uuid("id", id)',
        'page_size = check_int("page_size", page_size)',
        'category_in = check_list("category_in", category_in, check_str)',
        'x_trace = check_str("x_trace", x_trace)',
    ]


def test_an_operation_without_parameters_checks_nothing(tmp_path: Path) -> None:
    assert parameter_checks(endpoint({}, tmp_path)) == []


# -- bodies ----------------------------------------------------------------------------------------------------
STAMPED = {"type": "object", "properties": {"at": DATETIME, "n": INT}}
HOLDER = {"type": "object", "properties": {"stamps": {"type": "array", "items": ref("Stamped")}}}
SELF_HOLDING = {"type": "object", "properties": {"child": ref("Tree"), "n": INT}}


def body_checks(schema: dict[str, Any], tmp_path: Path, content_type: str = "application/json") -> list[str]:
    """parameter_checks of a POST taking `schema` as its body, with the models as generate.py passes them."""
    operation = {"requestBody": {"content": {content_type: {"schema": schema}}}}
    schemas = {"Stamped": STAMPED, "Holder": HOLDER, "Tree": SELF_HOLDING}
    data = parse(document({"post /things/": {"operationId": "op"} | operation}, schemas), tmp_path)
    (found,) = [
        endpoint for collection in data.endpoint_collections_by_tag.values() for endpoint in collection.endpoints
    ]
    return parameter_checks(found, models_by_name(data.models))


@pytest.mark.parametrize(
    "schema",
    [
        pytest.param(ref("Stamped"), id="a-model-with-a-date-time"),
        pytest.param(ref("Holder"), id="a-list-of-such-models-in-a-model"),
        pytest.param({"type": "array", "items": ref("Stamped")}, id="a-list-of-such-models"),
    ],
)
def test_a_body_that_can_hold_a_date_time_is_checked_once(tmp_path: Path, schema: dict[str, Any]) -> None:
    assert body_checks(schema, tmp_path) == ['body = check_body_datetimes("body", body)']


@pytest.mark.parametrize(
    "schema",
    [
        pytest.param(ref("Item"), id="a-model-without-one"),
        pytest.param(ref("Tree"), id="a-model-holding-itself-without-one"),
    ],
)
def test_a_body_without_a_date_time_is_not(tmp_path: Path, schema: dict[str, Any]) -> None:
    assert body_checks(schema, tmp_path) == []


def test_a_form_body_is_checked_too(tmp_path: Path) -> None:
    found = body_checks(ref("Stamped"), tmp_path, "application/x-www-form-urlencoded")
    assert found == ['body = check_body_datetimes("body", body)']
