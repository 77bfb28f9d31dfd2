"""pipeline/generating/generate.py, end to end on a spec that has gained an operation written in upstream's style:
the overlay and the naming rule cover it with no edit to patches/, and the generated package exposes it."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.generating.generate import generate
from pipeline.project import PACKAGE, PATCHED_SPEC_NAME, SPEC

LIST_CONTACTS = "/channel/whatsapp/flow-execution-contact"
LIST_EXECUTIONS = "/channel/whatsapp/flow-execution"


def spec_with_a_new_operation_in_upstream_style() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    existing = spec["paths"][LIST_CONTACTS]["get"]
    new = copy.deepcopy(existing)
    new.update(operationId="List Flow Execution", summary="List Flow Executions", description="Lists Flow Executions.")
    # Same quirks as upstream's operation: array examples for a boolean, pages without a minimum, no description.
    new["parameters"] = [p for p in new["parameters"] if p["name"] in ("flow", "is_active", "page", "page_size")]
    spec["paths"][LIST_EXECUTIONS] = {"get": new}
    return spec


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("gained-operation")
    spec_path = work / "openapi.json"
    spec_path.write_text(json.dumps(spec_with_a_new_operation_in_upstream_style()), encoding="utf-8")
    generate(work / "out", spec_path=spec_path, propose_new_names=True)
    return work / "out"


def test_new_operation_is_named_and_patched_like_the_first(generated: Path) -> None:
    patched = json.loads((generated / PATCHED_SPEC_NAME).read_text(encoding="utf-8"))
    operation = patched["paths"][LIST_EXECUTIONS]["get"]
    assert (operation["operationId"], operation["x-upstream-operationId"]) == (
        "list_flow_executions",
        "List Flow Execution",
    )
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["page"]["schema"]["minimum"] == parameters["page_size"]["schema"]["minimum"] == 1
    assert all(isinstance(e["value"], bool) for e in parameters["is_active"].get("examples", {}).values())
    assert operation["responses"]["200"]["description"] == "Success."


def test_generated_package_exposes_both_operations(generated: Path) -> None:
    probe = (
        "from hilos_client.api.flows import list_flow_execution_contacts, list_flow_executions\n"
        "print(list_flow_executions.sync.__name__, list_flow_execution_contacts.sync.__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=generated,
        env={**os.environ, "PYTHONPATH": str(generated)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "sync sync\n", "")
    assert (generated / PACKAGE / "api" / "flows" / "list_flow_executions.py").read_text().startswith("# Generated")
