"""api.md: what pipeline/generating/api_reference.py writes, and that it is the package as generated."""

from __future__ import annotations

import ast
import copy
import inspect
import json
import re
from pathlib import Path
from typing import Any

import hilos_client.models
import pytest
from openapi_python_client import Project

from pipeline.generating.api_reference import (
    API_REFERENCE,
    ApiReferenceError,
    OperationDoc,
    anchor,
    api_reference,
    api_reference_path,
    declared_type,
    first_line,
    operation_docs,
)
from pipeline.generating.generate import load_project
from pipeline.generating.name_record import RecordedName, load_record
from pipeline.project import GENERATED, NAME_RECORD, PATCHED_SPEC_NAME
from tests.support.operation_cases import OPERATION_CASES, OperationCase

PATCHED_SPEC_PATH = GENERATED / PATCHED_SPEC_NAME
PATCHED = json.loads(PATCHED_SPEC_PATH.read_text(encoding="utf-8"))
COMMITTED = API_REFERENCE.read_text(encoding="utf-8")
# Not operation_cases.each_operation(): it is typed Any, which mypy --strict refuses as a decorator.
EACH_OPERATION = pytest.mark.parametrize("case", OPERATION_CASES, ids=[case.id for case in OPERATION_CASES])


def _project(spec: dict[str, Any], tmp_path: Path) -> Project:
    spec_path = tmp_path / PATCHED_SPEC_NAME
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    return load_project(spec, spec_path, tmp_path / "hilos_client")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return _project(PATCHED, tmp_path_factory.mktemp("reference"))


@pytest.fixture(scope="module")
def docs(project: Project) -> dict[str, OperationDoc]:
    return {f"{doc.tag}.{doc.name}": doc for doc in operation_docs(project.openapi, load_record())}


def _section(heading: str) -> str:
    """The text of api.md under `heading` up to the next heading of any level."""
    found = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#)", COMMITTED + "\n#", re.S | re.M)
    assert found, f"api.md has no heading {heading!r}"
    return found.group(1)


def test_api_reference_sits_beside_the_generated_folder() -> None:
    assert api_reference_path(GENERATED) == API_REFERENCE
    assert API_REFERENCE.parent == GENERATED.parent


def test_committed_api_reference_is_what_the_parsed_spec_renders(project: Project) -> None:
    assert api_reference(project.openapi, load_record(), PATCHED) == COMMITTED


@EACH_OPERATION
def test_every_operation_has_its_section_with_every_surface(case: OperationCase) -> None:
    op = case.operation
    section = _section(f"{op.tag}.{op.name}")
    assert f"`{op.method} {op.path}`" in section
    assert f"`hilos.{op.tag}.{op.name}(...)`" in section
    assert f"`hilos_client.api.{op.tag}.{op.name}`" in section
    assert f"`hilos-client {op.tag} {op.name.replace('_', '-')}`" in section
    assert (f"`hilos.{op.tag}.{op.name}_all(...)`" in section) == case.paginated
    assert (f"`hilos.{op.tag}.{op.name}_pages(...)`" in section) == case.paginated
    assert ("`sync_all`, `asyncio_all`, `sync_pages`, `asyncio_pages`" in section) == case.paginated
    # and in the index at the top, linked to the section
    assert f"[`hilos.{op.tag}.{op.name}(...)`](#{anchor(f'{op.tag}.{op.name}')}) | `{op.method} {op.path}`" in COMMITTED


@EACH_OPERATION
def test_every_parameter_is_listed_with_its_keyword_and_place(case: OperationCase) -> None:
    section = _section(f"{case.operation.tag}.{case.operation.name}")
    for parameter in case.parameters:
        assert re.search(rf"^\| `{case.python_name(parameter)}` \| {parameter['in']}\b", section, re.M), parameter
    if case.body_schema is not None:
        assert re.search(r"^\| `body` \| body \(application/json\) \|", section, re.M)


def test_every_public_model_and_enum_has_its_section() -> None:
    for name in hilos_client.models.__all__:
        assert f"`hilos_client.models.{name}`" in _section(name)


def _annotations(function: Any) -> dict[str, str]:
    """The source text of each annotation of `function` (and `return`), as the generated module spells it."""
    tree = ast.parse(inspect.getsource(function))
    definition = tree.body[0]
    assert isinstance(definition, ast.FunctionDef | ast.AsyncFunctionDef)
    arguments = definition.args.args + definition.args.kwonlyargs
    found = {argument.arg: ast.unparse(argument.annotation) for argument in arguments if argument.annotation}
    assert definition.returns is not None
    found["return"] = ast.unparse(definition.returns)
    return found


@EACH_OPERATION
def test_types_are_those_of_the_generated_signatures(case: OperationCase, docs: dict[str, OperationDoc]) -> None:
    doc = docs[case.id]
    annotations = _annotations(case.module().sync)
    assert {parameter.name: parameter.type for parameter in doc.parameters} == {
        name: text
        for name, text in annotations.items()
        if name not in ("client", "timeout", "deadline", "extra_headers", "extra_query", "return")
    }
    assert doc.returns == annotations["return"]
    if case.paginated:
        assert _annotations(case.module().sync_all)["return"] == f"Iterator[{doc.paginated_item}]"
        assert (
            _annotations(case.module().sync_pages)["return"]
            == f"Iterator[types.Page[{doc.returns}, {doc.paginated_item}]]"
        )


def test_field_types_are_those_of_the_generated_models() -> None:
    model = hilos_client.models.FlowExecutionCreateRequest
    tree = ast.parse(inspect.getsource(model))
    declared = {
        statement.target.id: ast.unparse(statement.annotation)
        for statement in ast.walk(tree)
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
    }
    section = _section("FlowExecutionCreateRequest")
    for name in ("execute_for", "contact_list", "has_priority"):
        assert re.search(
            rf"^\| `{name}` \| \[?`{re.escape(declared[name].replace('|', chr(92) + '|'))}`", section, re.M
        )


def test_a_delete_returns_none_and_an_enum_lists_its_values() -> None:
    assert "| returns | `None` |" in _section("templates.delete_whatsapp_template")
    assert '`BLANK` = `""`' in _section("BlankEnum")
    assert "`VALUE_0` = `0`" in _section("WeekdayEnum")
    assert '`RUNNING` = `"RUNNING"`' not in _section("FlowExecutionContactStatusEnum")  # name == value: once
    assert "`RUNNING`" in _section("FlowExecutionContactStatusEnum")


def test_output_does_not_depend_on_the_order_of_the_spec(tmp_path: Path, project: Project) -> None:
    shuffled = copy.deepcopy(PATCHED)
    shuffled["paths"] = dict(reversed(list(shuffled["paths"].items())))
    schemas = shuffled["components"]["schemas"]
    shuffled["components"]["schemas"] = dict(reversed(list(schemas.items())))
    other = _project(shuffled, tmp_path)
    assert api_reference(other.openapi, load_record(), shuffled) == COMMITTED


def test_an_operation_the_record_lacks_fails_by_name(project: Project) -> None:
    record = load_record(NAME_RECORD)
    key = next(key for key, entry in record.items() if entry.name == "delete_whatsapp_template")
    record[key] = RecordedName("templates", "remove_template")
    expected = "not recorded: templates.delete_whatsapp_template; recorded but not generated: templates.remove_template"
    with pytest.raises(ApiReferenceError, match=expected):
        operation_docs(project.openapi, record)


def test_markdown_table_cells_escape_pipes(tmp_path: Path) -> None:
    spec = copy.deepcopy(PATCHED)
    operation = spec["paths"]["/channel/whatsapp/flow-execution-contact"]["get"]
    operation["summary"] = "List | filter"
    for parameter in operation["parameters"]:
        if parameter["name"] == "search":
            parameter["schema"]["description"] = "Phone | name\nsecond line"
    built = _project(spec, tmp_path)
    text = api_reference(built.openapi, load_record(), spec)
    assert "| List \\| filter |" in text
    assert "| `search` | query | `str \\| None \\| Unset` | no | Phone \\| name |" in text


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("A page number.\nMore.", "A page number."),
        ("\n  Specify as True   if you want\n", "Specify as True if you want"),
        ("* `LIST` - LIST", ""),  # only the enum's choices, listed under the enum
        ("* `draft` - Draft\n* `approved` - Approved", ""),
        ("Filter by status.\n\n* `draft` - Draft", "Filter by status."),
        ("", ""),
    ],
)
def test_first_line_of_a_description(description: str, expected: str) -> None:
    assert first_line(description) == expected


def test_declared_type_is_the_annotation_of_a_declaration() -> None:
    assert declared_type("flow: UUID | None | Unset = UNSET") == "UUID | None | Unset"
    assert declared_type("id: UUID") == "UUID"


def test_anchor_is_the_fragment_github_gives_a_heading() -> None:
    assert anchor("flows.list_flow_execution_contacts") == "flowslist_flow_execution_contacts"
    assert anchor("Tag `flows`") == "tag-flows"
    assert anchor("BlankEnum") == "blankenum"


def test_every_operation_case_is_documented(docs: dict[str, OperationDoc]) -> None:
    assert sorted(docs) == sorted(case.id for case in OPERATION_CASES)


def test_every_link_points_at_a_section() -> None:
    headings = {anchor(line.lstrip("#").strip()) for line in COMMITTED.splitlines() if line.startswith("#")}
    targets = set(re.findall(r"\]\(#([^)]+)\)", COMMITTED))
    assert targets and targets <= headings, sorted(targets - headings)
    assert "[PatchedContactEditRequest](#patchedcontacteditrequest)" in _section("FlowExecutionCreateRequest")
