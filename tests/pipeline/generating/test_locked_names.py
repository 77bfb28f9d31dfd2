"""Public names never move: regeneration from a spec whose summaries, operationIds and tags all changed
writes the operation at the recorded place, and a deliberate rename keeps the old module as a warning alias."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.generating.generate import generate
from pipeline.generating.name_record import dump_record, load_record, parse_record
from pipeline.project import NAME_RECORD, PACKAGE, PATCHED_SPEC_NAME, SPEC

LIST_CONTACTS = "/channel/whatsapp/flow-execution-contact"


def spec_with_upstream_prose_changed() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    for item in spec["paths"].values():
        for operation in item.values():
            operation.pop("summary", None)
            operation["operationId"] = "List Flow Execution Contact Records"
            operation["tags"] = ["Flow Executions"]
    return spec


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated with the committed record plus a deliberate rename from `old_list_contacts`."""
    work = tmp_path_factory.mktemp("prose-changed")
    (work / "openapi.json").write_text(json.dumps(spec_with_upstream_prose_changed()), encoding="utf-8")
    raw = json.loads(dump_record(load_record(NAME_RECORD)))
    version = json.loads(SPEC.read_text(encoding="utf-8"))["info"]["version"]
    raw[f"GET {LIST_CONTACTS}"]["renamed_from"] = {"name": "old_list_contacts", "release": f"{version}.2"}
    (work / "names.json").write_text(json.dumps(raw), encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        generate(work / "out", work / "openapi.json", names_path=work / "names.json")
    return work / "out"


def test_operation_keeps_its_recorded_name_and_module(generated: Path) -> None:
    operation = json.loads((generated / PATCHED_SPEC_NAME).read_text())["paths"][LIST_CONTACTS]["get"]
    assert (operation["operationId"], operation["tags"]) == ("list_flow_execution_contacts", ["flows"])
    assert operation["x-upstream-tags"] == ["Flow Executions"]
    assert (generated / PACKAGE / "api" / "flows" / "list_flow_execution_contacts.py").is_file()
    assert not (generated / PACKAGE / "api" / "flow_executions").exists()


ALIAS_PROBE = """
import warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as on_import:
    from hilos_client.api.flows import old_list_contacts
from hilos_client.api.flows import list_flow_execution_contacts
with warnings.catch_warnings(record=True) as on_use:
    assert old_list_contacts.sync is list_flow_execution_contacts.sync
    assert old_list_contacts.sync_all is list_flow_execution_contacts.sync_all
assert [w.category for w in on_import] == [DeprecationWarning], on_import
assert [w.category for w in on_use] == [DeprecationWarning, DeprecationWarning], on_use
print(on_use[0].message)
"""


def test_renamed_operation_stays_importable_under_its_old_name_with_a_deprecation_warning(generated: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", ALIAS_PROBE],
        cwd=generated,
        env={**os.environ, "PYTHONPATH": str(generated)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(
        "hilos_client.api.flows.old_list_contacts is deprecated (renamed in release "
    ) and result.stdout.endswith("): use hilos_client.api.flows.list_flow_execution_contacts\n")


def test_alias_is_no_longer_emitted_once_the_api_minor_version_moved_on() -> None:
    from pipeline.generating.operation_names import name_operations

    record = parse_record(
        {"GET /x": {"tag": "a", "name": "new", "renamed_from": {"name": "old", "release": "1.0.0.4"}}}
    )
    spec: dict[str, Any] = {
        "info": {"version": "1.0.7"},
        "paths": {"/x": {"get": {"operationId": "new", "tags": ["a"]}}},
    }
    name_operations(spec, record)
    assert spec["paths"]["/x"]["get"]["x-hilos-deprecated-aliases"] == [{"module": "api.a.old", "release": "1.0.0.4"}]
    spec = {"info": {"version": "1.1.0"}, "paths": {"/x": {"get": {"operationId": "new", "tags": ["a"]}}}}
    log = name_operations(spec, record)
    assert "x-hilos-deprecated-aliases" not in spec["paths"]["/x"]["get"]
    assert "deprecated alias api.a.old expired (renamed in 1.0.0.4)" in log[-1]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"get /x": {"tag": "a", "name": "b"}}, "key 'get /x' is not 'METHOD /path'"),
        ({"GET /x": {"tag": "A", "name": "b"}}, "GET /x: tag must be snake_case, not 'A'"),
        ({"GET /x": {"tag": "a", "name": "b", "renamed_from": {"name": "c"}}}, "renamed_from.release must be"),
        ({"GET /x": {"tag": "a", "name": "b"}, "GET /y": {"tag": "a", "name": "b"}}, "GET /y and GET /x both use"),
        (
            {
                "GET /x": {"tag": "a", "name": "b"},
                "GET /y": {"tag": "a", "name": "c", "renamed_from": {"name": "b", "release": "1.0"}},
            },
            "GET /y and GET /x both use api.a.b",
        ),
    ],
    ids=["method-case", "tag-case", "rename-without-release", "same-module", "alias-on-a-live-module"],
)
def test_malformed_record_fails_saying_what_to_fix(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(Exception, match=message):
        parse_record(raw)


def test_record_is_written_sorted_and_reads_back_the_same() -> None:
    raw = {"POST /b": {"tag": "t", "name": "make_b"}, "GET /a": {"tag": "t", "name": "get_a"}}
    text = dump_record(parse_record(raw))
    assert list(json.loads(text)) == ["GET /a", "POST /b"]
    assert parse_record(json.loads(text)) == parse_record(raw)
