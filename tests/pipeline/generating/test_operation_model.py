"""pipeline/generating/operation_model.py: each decision the templates render, on tiny specs parsed by the
generator (`GeneratorData.from_dict`, as generate.py's `load_project` does)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.openapi import Endpoint, EndpointCollection
from openapi_python_client.parser.properties import EnumProperty, ModelProperty
from openapi_python_client.parser.properties.union import UnionProperty

from pipeline.generating import operation_model as om
from pipeline.generating.generate import load_project
from pipeline.project import CONFIG

INT = {"type": "integer"}
STR = {"type": "string"}
UUID = {"type": "string", "format": "uuid"}
DATETIME = {"type": "string", "format": "date-time"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def query(name: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def json_response(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "ok", "content": {"application/json": {"schema": schema}}}


ITEM = {"type": "object", "properties": {"id": INT}, "required": ["id"]}
PAGE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "count": INT,
        "next": {"type": "string", "nullable": True},
        "previous": {"type": "string", "nullable": True},
        "results": {"type": "array", "items": ref("Item")},
    },
}
COLOUR = {"type": "string", "enum": ["red", "blue"]}
LEVEL = {"type": "integer", "enum": [1, 2]}


def document(operations: dict[str, dict[str, Any]], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    """`operations`: "<method> <path>" -> operation; every operation tagged `things`."""
    paths: dict[str, dict[str, Any]] = {}
    for key, operation in operations.items():
        method, path = key.split(" ")
        paths.setdefault(path, {})[method] = {
            "tags": ["things"],
            "responses": {"204": {"description": "none"}},
        } | operation
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Item": ITEM, "Page": PAGE, "Colour": COLOUR, "Level": LEVEL} | (schemas or {})},
    }


def parse(spec: dict[str, Any], tmp_path: Path) -> GeneratorData:
    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG),
        MetaType.NONE,
        document_source=tmp_path / "spec.json",
        file_encoding="utf-8",
        overwrite=True,
        output_path=tmp_path / "out",
    )
    data = GeneratorData.from_dict(spec, config=config)
    assert isinstance(data, GeneratorData), data
    return data


def collection(spec: dict[str, Any], tmp_path: Path) -> EndpointCollection:
    return next(found for tag, found in parse(spec, tmp_path).endpoint_collections_by_tag.items() if tag == "things")


def endpoint(operation: dict[str, Any], tmp_path: Path, key: str = "get /things/") -> Endpoint:
    return collection(document({key: {"operationId": "op"} | operation}), tmp_path).endpoints[0]


def model(schema: dict[str, Any], tmp_path: Path) -> ModelProperty:
    data = parse(document({}, {"Thing": schema}), tmp_path)
    return next(m for m in data.models if m.class_info.name == "Thing")


LISTING = {
    "parameters": [query("page", INT), query("page_size", INT), query("q", STR)],
    "responses": {"200": json_response(ref("Page"))},
}


# --- pagination ---


def test_a_page_number_listing_paginates_over_its_item_model(tmp_path: Path) -> None:
    page = om.pagination(endpoint(LISTING, tmp_path))
    assert page is not None
    assert (page.page_model, page.item, page.item_module, page.page_size) == ("Page", "Item", "item", True)
    assert page.filter_names == ["q"]
    options = ["timeout", "deadline", "extra_headers", "extra_query"]
    assert page.fetch_keywords == ["client", "q", "page", "page_size", *options]
    assert page.all_keywords(True) == ["q", "page_size", "start_page", "concurrency", *options]
    assert page.pages_keywords(False) == ["client", "q", "page_size", "start_page", *options]
    assert page.positive_arguments(False) == ["page_size", "start_page"]


@pytest.mark.parametrize("concurrency", [False, True])
def test_pages_and_all_share_their_arguments_and_differ_in_what_they_yield(concurrency: bool, tmp_path: Path) -> None:
    op = endpoint(LISTING, tmp_path)
    page = om.pagination(op)
    assert page is not None
    declared = om.all_arguments(op, page, concurrency)
    assert "start_page: int = 1" in declared
    assert declared.index("page_size: int = DEFAULT_PAGE_SIZE") < declared.index("start_page: int = 1")
    wrapper = "AsyncGenerator[{}, None]" if concurrency else "Iterator[{}]"
    # `types.Page`: this listing's page model is itself named `Page`
    assert page.returns("pages", concurrency) == wrapper.format("types.Page[Page, Item]")
    assert page.returns("all", concurrency) == wrapper.format("Item")
    call = page.engine_call(concurrency)
    assert call.startswith("aread_pages(fetch, concurrency=concurrency," if concurrency else "read_pages(fetch,")
    assert call.endswith('operation="op", start_page=start_page)')


def test_pages_docstrings_say_what_a_page_holds_and_how_to_resume(tmp_path: Path) -> None:
    op = endpoint(LISTING, tmp_path)
    page = om.pagination(op)
    assert page is not None
    text = om.pages_docstring(op, page, False, "sync", "sync_pages")
    assert "`hilos_client.types.Page` (`number`, `count`, `parsed`, `items`, `next_page`)" in text
    assert "what `sync_all()` yields" in text
    assert "start_page (int): The first page yielded (default 1)" in text
    assert text.endswith("Iterator[types.Page[Page, Item]]")
    assert om.listing_docstring("pages", op, page, False, "sync", "sync_pages") == text
    assert om.listing_docstring("all", op, page, True, "a", "a_all") == om.all_docstring(op, page, True, "a", "a_all")


def test_without_page_size_only_page_is_numbered(tmp_path: Path) -> None:
    page = om.pagination(endpoint(LISTING | {"parameters": [query("page", INT)]}, tmp_path))
    assert page is not None and not page.page_size and page.positive_arguments(False) == ["start_page"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"parameters": [query("page", STR)]}, id="page-not-an-integer"),
        pytest.param({"parameters": [query("offset", INT)]}, id="no-page-parameter"),
        pytest.param({"responses": {"200": json_response({"type": "array", "items": ref("Item")})}}, id="a-bare-list"),
        pytest.param({"responses": {"201": json_response(ref("Page"))}}, id="not-a-200"),
        pytest.param(
            {
                "requestBody": {"content": {"application/json": {"schema": ref("Item")}}},
                "responses": LISTING["responses"],
            },
            id="with-a-body",
        ),
    ],
)
def test_what_is_not_a_page_number_listing_does_not_paginate(change: dict[str, Any], tmp_path: Path) -> None:
    assert om.pagination(endpoint(LISTING | change, tmp_path, key="post /things/")) is None


def test_a_page_without_results_of_a_model_does_not_paginate(tmp_path: Path) -> None:
    plain = copy.deepcopy(PAGE)
    plain["properties"]["results"] = {"type": "array", "items": INT}
    spec = document({"get /things/": {"operationId": "op"} | LISTING}, {"Page": plain})
    assert om.pagination(collection(spec, tmp_path).endpoints[0]) is None


# --- arguments, result type, parsing source ---


def test_optional_parameters_admit_none_required_and_defaulted_ones_do_not(tmp_path: Path) -> None:
    op = endpoint(
        {
            "parameters": [
                query("flow", UUID),
                query("name", STR, required=True),
                query("size", INT | {"default": 3}),
                query("maybe", STR | {"nullable": True}),
                {"name": "X-Trace", "in": "header", "schema": STR},
            ]
        },
        tmp_path,
    )
    assert om.arguments(op) == [
        "*",
        "client: AuthenticatedClient | Client",
        "flow: UUID | None | Unset = UNSET",
        "name: str",
        "size: int | Unset = 3",
        "maybe: None | str | Unset = UNSET",
        "x_trace: str | None | Unset = UNSET",
        *om.CALL_OPTIONS,
    ]
    assert [str(p.python_name) for p in om.none_admitting(op)] == ["flow", "size", "maybe", "x_trace"]


def test_path_parameters_are_positional_and_get_kwargs_has_no_call_options(tmp_path: Path) -> None:
    op = endpoint(
        {"parameters": [{"name": "id", "in": "path", "required": True, "schema": INT}]}, tmp_path, "get /things/{id}/"
    )
    assert om.arguments(op, include_client=False, call_options=False) == ["id: int"]
    assert om.arguments(op, include_client=False) == ["id: int", "*", *om.CALL_OPTIONS]


def test_an_optional_body_defaults_to_unset(tmp_path: Path) -> None:
    op = endpoint(
        {"requestBody": {"content": {"application/json": {"schema": ref("Item")}}}}, tmp_path, "post /things/"
    )
    assert om.arguments(op, include_client=False, call_options=False) == ["*", "body: Item | Unset = UNSET"]


def test_an_operation_without_a_documented_body_returns_none(tmp_path: Path) -> None:
    op = endpoint({}, tmp_path, "delete /things/")
    assert not om.parses(op) and om.result_type(op) == "None"


def test_several_documented_bodies_return_their_union(tmp_path: Path) -> None:
    op = endpoint({"responses": {"200": json_response(ref("Item")), "201": json_response(ref("Page"))}}, tmp_path)
    assert om.parses(op) and om.result_type(op) == "Item | Page"


def test_json_bodies_are_decoded_by_the_runtime(tmp_path: Path) -> None:
    op = endpoint({"responses": {"200": json_response(ref("Item"))}}, tmp_path)
    assert om.response_source(op.responses.patterns[0]) == "decode_json(response.content)"


# --- namespace imports ---


def test_a_namespace_without_a_listing_imports_no_pagination_names(tmp_path: Path) -> None:
    spec = document(
        {
            "get /things/{id}/": {
                "operationId": "get_thing",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": UUID}],
                "responses": {"200": json_response(ref("Item"))},
            }
        }
    )
    imports = om.namespace_imports(collection(spec, tmp_path))
    assert not imports.paginated and imports.runtime == () and imports.pagination_defaults == ()
    assert [str(line) for line in imports.type_checking] == [
        "from ...models.item import Item",
        TYPES,
        "from uuid import UUID",
    ]
    assert "from collections.abc import AsyncGenerator, Iterator" not in imports.section()
    assert imports.section()[-4:] == [
        "if TYPE_CHECKING:",
        "    from ...models.item import Item",
        f"    {TYPES}",
        "    from uuid import UUID",
    ]


# What every namespace's signatures name for type checkers: the call options' types and the raw methods' Response.
TYPES = "from ...types import ExtraHeaders, ExtraQuery, Response"


def test_a_listing_imports_its_item_and_pagination(tmp_path: Path) -> None:
    imports = om.namespace_imports(collection(document({"get /things/": {"operationId": "op"} | LISTING}), tmp_path))
    assert imports.paginated
    assert [str(line) for line in imports.type_checking] == [
        "from ... import types",
        "from ...models.item import Item",
        "from ...models.page import Page",
        TYPES,
    ]
    assert imports.section()[0] == "from collections.abc import AsyncGenerator, Iterator"
    assert "from ..._runtime.pagination import DEFAULT_CONCURRENCY, DEFAULT_PAGE_SIZE" in imports.section()


@pytest.mark.parametrize(
    ("parameters", "defaults"),
    [
        ([query("page", INT), query("page_size", INT)], ("DEFAULT_CONCURRENCY", "DEFAULT_PAGE_SIZE")),
        ([query("page", INT)], ("DEFAULT_CONCURRENCY",)),  # DRF's PageNumberPagination without page_size_query_param
    ],
)
def test_a_namespace_imports_the_pagination_defaults_its_all_methods_name(
    parameters: list[dict[str, Any]], defaults: tuple[str, ...], tmp_path: Path
) -> None:
    listing = {"get /things/": {"operationId": "op"} | LISTING | {"parameters": parameters}}
    assert om.namespace_imports(collection(document(listing), tmp_path)).pagination_defaults == defaults


def test_a_default_value_imports_its_enum_at_run_time(tmp_path: Path) -> None:
    spec = document(
        {"get /things/": {"operationId": "op", "parameters": [query("colour", ref("Colour") | {"default": "red"})]}}
    )
    spec["paths"]["/things/"]["get"]["parameters"][0]["schema"] = {"allOf": [ref("Colour")], "default": "red"}
    imports = om.namespace_imports(collection(spec, tmp_path))
    assert [str(line) for line in imports.runtime] == ["from ...models.colour import Colour"]
    assert [str(line) for line in imports.type_checking] == [TYPES]


def test_any_is_imported_only_where_a_signature_uses_it(tmp_path: Path) -> None:
    untyped = document({"get /things/": {"operationId": "op", "responses": {"200": json_response({})}}})
    imports = om.namespace_imports(collection(untyped, tmp_path))
    assert [str(line) for line in imports.type_checking] == [TYPES, "from typing import Any"]
    plain = om.namespace_imports(collection(document({"get /things/": {"operationId": "op"}}), tmp_path))
    assert [str(line) for line in plain.type_checking] == [TYPES] and plain.runtime == ()


def test_a_name_no_import_provides_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    things = collection(document({"get /things/": {"operationId": "op"} | LISTING}), tmp_path)
    monkeypatch.setattr(om, "_import_sources", lambda statements: {})
    with pytest.raises(om.OperationModelError, match="Page"):
        om.namespace_imports(things)


# --- models ---


def test_enum_lookups_string_enums_anywhere_integer_enums_in_unions(tmp_path: Path) -> None:
    thing = model(
        {
            "type": "object",
            "properties": {
                "colour": ref("Colour"),
                "colours": {"type": "array", "items": ref("Colour")},
                "level": ref("Level"),
                "level_or_text": {"oneOf": [ref("Level"), STR]},
            },
        },
        tmp_path,
    )
    assert [(lookup.table, lookup.enum, lookup.value_type) for lookup in om.enum_lookups(thing)] == [
        ("_COLOUR_BY_VALUE", "Colour", "str"),
        ("_LEVEL_BY_VALUE", "Level", "int"),
    ]


def test_kept_wire_fields_are_date_times_and_uuids_alone_or_with_null(tmp_path: Path) -> None:
    thing = model(
        {
            "type": "object",
            "required": ["at"],
            "properties": {
                "at": DATETIME,
                "id": UUID | {"nullable": True},
                "when": DATETIME | {"default": "2020-01-01T00:00:00Z"},
                "either": {"oneOf": [DATETIME, INT]},
                "name": STR,
            },
        },
        tmp_path,
    )
    assert [(f.python_name, f.check, f.source) for f in om.kept_wire_fields(thing)] == [
        ("at", "kept_date_time_text", 'd["at"]'),
        ("id", "kept_uuid_text", 'd.get("id", UNSET)'),
    ]


# --- docstrings ---


def test_operation_docstrings_say_what_each_function_raises(tmp_path: Path) -> None:
    op = endpoint({"summary": "List things", "parameters": [query("q", STR | {"description": "Text"})]}, tmp_path)
    plain = om.operation_docstring(op, "None", detailed=False)
    detailed = om.operation_docstring(op, "None", detailed=True)
    assert plain.startswith("List things\n\nArgs:\n    q (str | Unset): Text\n    timeout")
    assert "errors.ApiStatusError" in plain and "errors.ApiStatusError" not in detailed
    assert detailed.endswith("Response[None]: for any status; `.parsed` is None for an undocumented one.\n")


def test_all_docstrings_name_the_checked_arguments(tmp_path: Path) -> None:
    op = endpoint(LISTING, tmp_path)
    page = om.pagination(op)
    assert page is not None
    text = om.all_docstring(op, page, True, "asyncio", "asyncio_all")
    assert "ValueError: `page_size` or `start_page` or `concurrency` is not a positive integer" in text
    assert text.endswith("AsyncGenerator[Item, None]")
    assert "contextlib.aclosing(asyncio_all(...))" in text


# --- the rest of what the templates render ---


@pytest.mark.parametrize(
    ("code_range", "failure"), [((200, 200), "raise"), ((200, 299), "raise"), ((400, 400), "none"), (None, "by_status")]
)
def test_a_body_that_does_not_parse_raises_only_for_a_success(code_range: tuple[int, int] | None, failure: str) -> None:
    assert om.on_parse_error(code_range) == failure
    statements = om.parse_failure(code_range)
    assert (statements[-1] == "return None") == (failure != "raise")
    assert any("raise errors.ResponseValidationError" in statement for statement in statements) == (failure != "none")


def test_a_union_passes_null_first_then_looks_up_its_enums(tmp_path: Path) -> None:
    thing = model(
        {"type": "object", "properties": {"value": {"oneOf": [ref("Colour"), INT], "nullable": True}}}, tmp_path
    )
    (value,) = thing.optional_properties or []
    assert isinstance(value, UnionProperty)
    union = om.union_parse(value)
    assert union.passthrough == ("None", "UNSET")
    assert [lookup.table for lookup in union.exact] == ["_COLOUR_BY_VALUE"]
    assert [om._code(member.get_type_string(no_optional=True)) for member in union.members] == ["Colour", "int"]


def test_attributes_without_a_default_come_first(tmp_path: Path) -> None:
    thing = model(
        {"type": "object", "required": ["b", "c"], "properties": {"a": INT, "b": INT | {"default": 1}, "c": INT}},
        tmp_path,
    )
    assert [str(p.python_name) for p in om.attribute_order(thing)] == ["c", "b", "a"]


def test_only_a_from_dict_of_more_fields_than_pyright_analyses_ignores_its_complexity(tmp_path: Path) -> None:
    def fields(count: int) -> dict[str, Any]:
        return {"type": "object", "properties": {f"f{i}": INT for i in range(count)}}

    assert not om.from_dict_beyond_pyright(model(fields(om.PYRIGHT_FIELD_LIMIT), tmp_path / "at"))
    assert om.from_dict_beyond_pyright(model(fields(om.PYRIGHT_FIELD_LIMIT + 1), tmp_path / "beyond"))


def test_a_model_without_a_description_is_named_in_its_docstring(tmp_path: Path) -> None:
    assert om.model_docstring(model({"type": "object", "properties": {"a": INT}}, tmp_path)) == (
        "    The API's `/components/schemas/Thing` object (the spec gives it no description).\n\n"
    )
    described = model({"type": "object", "description": "A thing.", "example": {"a": 1}}, tmp_path / "2")
    assert om.model_docstring(described) == "A thing.\n\n    Example:\n        {'a': 1}\n\n"


def test_the_models_package_maps_each_model_to_its_module() -> None:
    assert om.lazy_models(["from .flow import Flow", "from .blank_enum import BlankEnum"]) == [
        ("BlankEnum", ".blank_enum"),
        ("Flow", ".flow"),
    ]


def test_client_is_public_when_some_operation_needs_no_auth(tmp_path: Path) -> None:
    spec = document({"get /things/": {"operationId": "op"}})
    assert om.any_public_operation([collection(spec, tmp_path)])
    spec["paths"]["/things/"]["get"]["security"] = [{"token": []}]
    spec["components"]["securitySchemes"] = {"token": {"type": "http", "scheme": "bearer"}}
    assert not om.any_public_operation([collection(spec, tmp_path / "secured")])


def test_a_field_reads_from_the_json_object_by_name(tmp_path: Path) -> None:
    thing = model({"type": "object", "required": ["a"], "properties": {"a": INT, 'q"b': INT}}, tmp_path)
    assert [om.field_source(p) for p in om.attribute_order(thing)] == ['d["a"]', 'd.get("q\\"b", UNSET)']


def test_string_enum_fields_read_from_the_table_the_model_writes(tmp_path: Path) -> None:
    thing = model({"type": "object", "properties": {"colour": ref("Colour"), "level": ref("Level")}}, tmp_path)
    colour, level = om.attribute_order(thing)
    assert isinstance(colour, EnumProperty) and isinstance(level, EnumProperty)
    lookup = om.enum_lookup(colour)
    assert lookup is not None and lookup in om.enum_lookups(thing)
    assert om.enum_lookup(level) is None


def test_multipart_fields_are_sent_by_kind(tmp_path: Path) -> None:
    binary = {"type": "string", "format": "binary"}
    thing = model(
        {"type": "object", "properties": {"doc": binary, "docs": {"type": "array", "items": binary}, "n": INT}},
        tmp_path,
    )
    assert [om.multipart_kind(p) for p in om.attribute_order(thing)] == ["file", "files", "value"]


# --- the namespace template, rendered: no unused import, no undefined name ---

RUFF = Path(sys.executable).parent / "ruff"


def render_namespace(spec: dict[str, Any], tmp_path: Path) -> str:
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    project = load_project(spec, spec_path, tmp_path / "hilos_client")
    (things,) = project.openapi.endpoint_collections_by_tag.values()
    return project.env.get_template("endpoint_init.py.jinja").render(endpoint_collection=things)


@pytest.mark.parametrize(
    "operations",
    [
        pytest.param({"delete /things/": {"operationId": "delete_things"}}, id="nothing-to-import"),
        pytest.param({"get /things/": {"operationId": "op"} | LISTING}, id="a-listing"),
        pytest.param({"get /things/": {"operationId": "op", "responses": {"200": json_response({})}}}, id="any"),
    ],
)
def test_a_rendered_namespace_imports_exactly_what_it_uses(operations: dict[str, Any], tmp_path: Path) -> None:
    text = render_namespace(document(operations), tmp_path)
    checked = subprocess.run(
        [RUFF, "check", "--isolated", "--select", "F", "--stdin-filename", "api/things/__init__.py", "-"],
        input=text,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + text


def test_the_package_exports_client_only_when_some_operation_needs_no_auth() -> None:
    assert "Client" in om.package_exports(True) and "Client" not in om.package_exports(False)
    assert om.package_exports(False) == sorted(om.package_exports(False))


def test_a_status_range_is_tested_by_bounds_a_status_by_equality() -> None:
    assert om.status_test((200, 200)) == "response.status_code == 200"
    assert om.status_test((200, 299)) == "200 <= response.status_code <= 299"


def test_each_path_parameter_is_quoted_whole_into_the_url(tmp_path: Path) -> None:
    op = endpoint(
        {"parameters": [{"name": "id", "in": "path", "required": True, "schema": INT}]}, tmp_path, "get /things/{id}/"
    )
    assert om.request_url(op) == '"/things/{id}/".format(id=quote(str(id), safe=""),)'
    assert om.request_url(endpoint({}, tmp_path / "plain")) == '"/things/"'


def test_the_package_docstring_starts_with_the_spec_description() -> None:
    assert om.package_docstring("The Hilos API").startswith("The Hilos API.\n\n`Hilos(base_url=..., token=...)`")


def test_the_package_exports_the_raw_response_clients() -> None:
    assert {"HilosWithRawResponse", "AsyncHilosWithRawResponse"} <= set(om.package_exports(False))


def test_the_raw_response_clients_docstring_says_what_its_methods_return() -> None:
    for is_async in (False, True):
        text = om.client_docstring(is_async, raw=True)
        assert text.startswith(f"`{'AsyncHilos' if is_async else 'Hilos'}.with_raw_response`")
        assert "`*_detailed` function" in text and "no `ApiStatusError`" in text and "no `<operation>_all()`" in text


def test_every_call_takes_the_call_options_and_pays_for_extras_only_when_given(tmp_path: Path) -> None:
    op = endpoint({"parameters": [query("q", STR)]}, tmp_path)
    declared = om.arguments(op)
    assert declared[-4:] == list(om.CALL_OPTIONS)
    assert [text.partition(":")[0] for text in declared[-4:]] == om.call_option_names()
    assert om.call_option_names() == ["timeout", "deadline", "extra_headers", "extra_query"]
    assert not any("extra" in text for text in om.arguments(op, call_options=False))  # _get_kwargs takes none
    assert om.extras_statement().startswith("if extra_headers is not None or extra_query is not None:\n")
    docs = om.operation_docstring(op, "None", detailed=False)
    assert "extra_headers (ExtraHeaders | None)" in docs and "extra_query (ExtraQuery | None)" in docs


def test_each_client_docstring_names_its_own_class_and_closing() -> None:
    sync, async_ = om.client_docstring(False), om.client_docstring(True)
    assert "`Hilos.from_env()`" in sync and "call `close()`" in sync and "asyncio" not in sync
    assert "`AsyncHilos.from_env()`" in async_ and "`async with`" in async_ and "call `aclose()`" in async_


def test_get_kwargs_sends_params_and_cookies_only_when_the_operation_has_them(tmp_path: Path) -> None:
    plain = endpoint({}, tmp_path)
    assert om.request_kwargs(plain) == [("method", '"get"'), ("url", '"/things/"')]
    cookie = {"name": "c", "in": "cookie", "schema": STR}
    both = endpoint({"parameters": [query("q", STR), cookie]}, tmp_path / "both")
    assert [key for key, _ in om.request_kwargs(both)] == ["method", "url", "params", "cookies"]


def test_sync_narrows_a_union_result_and_raises_for_an_operation_without_a_body(tmp_path: Path) -> None:
    union = endpoint(
        {"responses": {"200": json_response(ref("Item")), "201": json_response(ref("Page"))}}, tmp_path, "post /things/"
    )
    assert "if parsed is None:\n    raise undocumented_success(response)" in om.result_statements(union, False)
    assert om.result_statements(union, True) == ["return detailed_response(response, _parse_response)"]
    single = endpoint({"responses": {"200": json_response(ref("Item"))}}, tmp_path / "single")
    assert om.result_statements(single, False) == ["return parsed_or_raise(response, _parse_response)"]
    assert om.result_statements(endpoint({}, tmp_path / "none", "delete /things/"), False) == [
        "raise_for_status(response)"
    ]


def test_a_union_is_written_by_its_members_transforms_and_as_it_is_for_the_rest(tmp_path: Path) -> None:
    union = {"oneOf": [ref("Item"), DATETIME, INT]}
    spec = document({}, {"Thing": {"type": "object", "properties": {"value": union}, "required": ["value"]}})
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    project = load_project(spec, spec_path, tmp_path / "hilos_client")
    thing = next(m for m in project.openapi.models if m.class_info.name == "Thing")
    (value,) = thing.required_properties or []
    assert isinstance(value, UnionProperty)
    branches = om.union_transform(project.env, value, "self.value", False)
    assert [(branch.test, branch.member is not None) for branch in branches] == [
        ("if isinstance(self.value, Item):", True),
        ("elif isinstance(self.value, datetime.datetime):", True),
        ("else:", False),  # an int is written as it is
    ]
    branches = om.union_transform(project.env, value, "v", True)
    assert branches[0].test == "elif isinstance(v, Item):"  # after the test for Unset


def test_an_optional_body_sets_its_content_type_only_when_given_and_multipart_never(tmp_path: Path) -> None:
    json_body = {"requestBody": {"content": {"application/json": {"schema": ref("Item")}}}}
    (body,) = endpoint(json_body, tmp_path, "post /things/").bodies
    assert om.content_type_header(body) == [
        'if not isinstance(body, Unset):\n    headers["Content-Type"] = "application/json"'
    ]
    form = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": ref("Item")}}}}
    (body,) = endpoint(form, tmp_path / "form", "post /things/").bodies
    assert om.content_type_header(body) == []


# --- endpoint module imports ---


def test_a_module_imports_exactly_the_names_its_code_uses() -> None:
    code = "def sync(id: UUID, *, client: AuthenticatedClient) -> Thing:\n    return parsed_or_raise(send_request(client, {}), quote)\n"
    assert om.module_imports(
        code, ["from ...models.thing import Thing", "from ...models.other import Other", "from uuid import UUID"]
    ) == [
        "from ..._runtime.client import AuthenticatedClient",
        "from ..._runtime.responses import parsed_or_raise",
        "from ..._runtime.sending import send_request",
        "from ...models.thing import Thing",
        "from urllib.parse import quote",
        "from uuid import UUID",
    ]


def test_names_the_code_defines_or_python_builds_in_are_not_imported() -> None:
    code = "def fetch(page: int) -> list[str]:\n    items = [str(page)]\n    return items\n\nfetch(len('x'))\n"
    assert om.module_imports(code, []) == []


def test_a_name_no_import_provides_fails_the_build() -> None:
    with pytest.raises(om.OperationModelError, match="the module uses Nowhere, which no import provides"):
        om.module_imports("x: Nowhere = 1\n", [])


def test_a_model_module_imports_aliased_names_under_their_alias() -> None:
    code = "@_attrs_define\nclass Thing(_ExtraFields):\n    x: int = _attrs_field(default=0)\n"
    assert om.model_module_imports(code, []) == [
        "from .._runtime.parsing import ExtraFields as _ExtraFields",
        "from attrs import define as _attrs_define, field as _attrs_field",
    ]
