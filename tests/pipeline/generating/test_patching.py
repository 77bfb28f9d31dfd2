"""pipeline/generating/patching.py: the committed generated/openapi.patched.json is exactly what it makes, and valid."""

from __future__ import annotations

import json
from typing import Any

import yaml
from openapi_spec_validator import validate

from pipeline.generating.name_record import load_record
from pipeline.generating.operation_names import module_tag
from pipeline.generating.patching import dump_spec, patch_spec
from pipeline.project import OVERLAY as OVERLAY_PATH
from pipeline.project import PATCHED_SPEC_FILE, ROOT, iter_operations
from pipeline.project import SPEC as SPEC_PATH

PATCHED_PATH = ROOT / PATCHED_SPEC_FILE


def load_inputs() -> tuple[dict[str, Any], dict[str, Any]]:
    return (
        json.loads(SPEC_PATH.read_text(encoding="utf-8")),
        yaml.safe_load(OVERLAY_PATH.read_text(encoding="utf-8")),
    )


def test_committed_patched_spec_is_what_patch_spec_produces() -> None:
    patched, _ = patch_spec(*load_inputs())
    assert PATCHED_PATH.read_text(encoding="utf-8") == dump_spec(patched)


def test_committed_patched_spec_passes_openapi_spec_validator() -> None:
    validate(json.loads(PATCHED_PATH.read_text(encoding="utf-8")))


def test_patch_log_has_a_line_per_overlay_action_and_per_rename() -> None:
    spec, overlay = load_inputs()
    record = load_record()
    _, log = patch_spec(spec, overlay)
    actions = len(overlay["actions"])
    assert [line.split(":")[0] for line in log[:actions]] == [f"action {n}" for n in range(1, actions + 1)]
    renames = []  # then, in document order, each operation whose upstream operationId or tag is not the recorded one
    for method, path, operation in iter_operations(spec):
        key = f"{method.upper()} {path}"
        if operation.get("operationId") != record[key].name:
            renames.append(f"{key}: operationId {operation.get('operationId')!r} -> {record[key].name!r}")
        if module_tag(operation) != record[key].tag:
            renames.append(f"{key}: tags {operation.get('tags')!r} -> [{record[key].tag!r}]")
    assert renames, "upstream's operationIds are prose: some are renamed"
    assert log[actions : actions + len(renames)] == renames
    assert [line for line in log[actions + len(renames) :] if ": operationId " in line or ": tags " in line] == []


def test_committed_patched_spec_records_each_renamed_operation_id() -> None:
    committed = json.loads(PATCHED_PATH.read_text(encoding="utf-8"))
    operation = committed["paths"]["/channel/whatsapp/flow-execution-contact"]["get"]
    assert (operation["operationId"], operation["x-upstream-operationId"]) == (
        "list_flow_execution_contacts",
        "List Flow Execution Contact",
    )
