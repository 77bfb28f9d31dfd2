"""A future spec that removes a response field and renames an enum value: flagged, and still works.

specs/future_breaking.json is specs/one_operation.json (the spec when it had one operation, a fixed
baseline: the report is about exactly these two changes) with `FlowExecutionContactListSimple.is_test`
removed and the status `CANCELED` renamed to `CANCELLED` (a removal plus an addition).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.fake_hilos import TOKEN, FakeHilosServer, make_contacts
from tests.update_spec.conftest import (
    ONE_OPERATION_SPEC,
    SCENARIOS,
    SPECS,
    UpdatedCheckout,
    import_every_module,
    mypy_strict,
    run_with_package,
    take_spec,
)

EXPECTED_BREAKING_SPEC_CHANGES = {
    ("property FlowExecutionContactListSimple.is_test", "removed"),
    ('enum value FlowExecutionContactStatusEnum "CANCELED"', "removed"),
}
EXPECTED_BREAKING_API_CHANGES = {
    ("hilos_client.models.flow_execution_contact_list_simple.FlowExecutionContactListSimple.is_test", "removed"),
    ("hilos_client.models.flow_execution_contact_status_enum.FlowExecutionContactStatusEnum.CANCELED", "removed"),
}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> UpdatedCheckout:
    return take_spec(tmp_path_factory, SPECS / "future_breaking.json", base=ONE_OPERATION_SPEC)


def test_report_flags_exactly_the_removed_field_and_the_renamed_enum_value(checkout: UpdatedCheckout) -> None:
    report = checkout.report
    assert {(c.subject, c.kind) for c in report.spec_changes if c.breaking} == EXPECTED_BREAKING_SPEC_CHANGES
    assert {(c.subject, c.kind) for c in report.spec_changes if not c.breaking} == {
        ('enum value FlowExecutionContactStatusEnum "CANCELLED"', "added")
    }
    assert {(c.subject, c.kind) for c in report.api_changes if c.breaking} == EXPECTED_BREAKING_API_CHANGES
    assert report.bump == "major"
    text = report.text("HEAD")
    assert "BREAKING removed  property FlowExecutionContactListSimple.is_test" in text
    assert "Suggested version bump: major" in text


def test_every_generated_module_imports(checkout: UpdatedCheckout) -> None:
    modules_on_disk = (
        len(list((checkout.generated / "hilos_client").rglob("*.py"))) - 1
    )  # minus the package's own __init__
    assert import_every_module(checkout.generated) == modules_on_disk


def test_generated_package_and_its_typed_use_pass_mypy_strict(checkout: UpdatedCheckout, mypy_cache: Path) -> None:
    result = mypy_strict(checkout.generated, SCENARIOS / "breaking_client.py", cache_dir=mypy_cache)
    assert result.returncode == 0, result.stdout + result.stderr


def test_list_reads_the_renamed_value_and_keeps_the_dropped_field_as_additional(
    checkout: UpdatedCheckout, fake_api: FakeHilosServer
) -> None:
    fake_api.contacts = make_contacts(3, status="CANCELLED")
    result = run_with_package(checkout.generated, str(SCENARIOS / "breaking_client.py"), fake_api.base_url, TOKEN)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["statuses"] == ["CANCELLED"] * 3
    assert "CANCELED" not in out["members"] and "CANCELLED" in out["members"]
    assert "is_test" not in out["model_fields"]
    assert out["kept_as_additional"] == [False, False, False]
