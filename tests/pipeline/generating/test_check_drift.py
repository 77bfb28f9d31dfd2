"""`make check`'s drift check: generated/ must be exactly what the pipeline produces."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from pipeline.generating.api_reference import API_REFERENCE, api_reference_path
from pipeline.generating.check_drift import compare_api_reference, compare_trees, main
from pipeline.generating.generate import generate
from pipeline.project import GENERATED, SPEC

COMMITTED = GENERATED


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fresh") / "generated"
    with contextlib.redirect_stdout(io.StringIO()):
        generate(out)
    return out


@pytest.fixture
def committed_copy(tmp_path: Path) -> Path:
    """A copy of the checkout's generated/ with its api.md beside it."""
    copy = tmp_path / "generated"
    shutil.copytree(COMMITTED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(API_REFERENCE, api_reference_path(copy))
    return copy


def test_committed_generated_tree_matches_the_pipeline(fresh: Path) -> None:
    assert compare_trees(COMMITTED, fresh) == []


def test_hand_edit_under_generated_is_reported(fresh: Path, committed_copy: Path) -> None:
    module = committed_copy / "hilos_client" / "types.py"
    module.write_text(module.read_text() + "# hand edit\n")
    problems = compare_trees(committed_copy, fresh)
    assert "  differs: hilos_client/types.py" in problems
    assert any("+# hand edit" in line or "-# hand edit" in line for line in problems)


def test_new_and_deleted_files_are_reported(fresh: Path, committed_copy: Path) -> None:
    (committed_copy / "hilos_client" / "extra.py").write_text("")
    (committed_copy / "hilos_client" / "py.typed").unlink()
    problems = compare_trees(committed_copy, fresh)
    assert "  not produced by the pipeline (delete it): hilos_client/extra.py" in problems
    assert "  missing from generated/: hilos_client/py.typed" in problems


def test_committed_api_reference_matches_the_pipeline(fresh: Path) -> None:
    assert compare_api_reference(API_REFERENCE, api_reference_path(fresh)) == []


def test_hand_edit_of_the_api_reference_is_reported(fresh: Path, committed_copy: Path) -> None:
    reference = api_reference_path(committed_copy)
    reference.write_text(reference.read_text().replace("List Flow Execution Contacts", "List contacts"))
    problems = compare_api_reference(reference, api_reference_path(fresh))
    assert problems[0] == "  differs: api.md"
    assert any(line.startswith("    -") and "List contacts" in line for line in problems)
    assert any(line.startswith("    +") and "List Flow Execution Contacts" in line for line in problems)


def test_a_missing_api_reference_is_reported(fresh: Path, committed_copy: Path) -> None:
    api_reference_path(committed_copy).unlink()
    assert compare_api_reference(api_reference_path(committed_copy), api_reference_path(fresh)) == ["  missing: api.md"]


def test_the_drift_check_fails_on_a_hand_edited_api_reference(
    committed_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = api_reference_path(committed_copy)
    reference.write_text(reference.read_text() + "A hand-written note.\n")
    assert main([str(committed_copy)]) == 1
    out = capsys.readouterr().out
    assert "  differs: api.md" in out
    assert "    -A hand-written note." in out
    assert "commit generated/ and api.md" in out


def test_spec_edit_without_regenerating_is_drift(tmp_path: Path) -> None:
    spec = json.loads(SPEC.read_text())
    spec["paths"]["/channel/whatsapp/flow-execution-contact"]["get"]["description"] = "Lists them all."
    edited = tmp_path / "openapi.json"
    edited.write_text(json.dumps(spec))
    out = tmp_path / "generated"
    with contextlib.redirect_stdout(io.StringIO()):
        generate(out, spec_path=edited)
    problems = compare_trees(COMMITTED, out)
    assert "  differs: openapi.patched.json" in problems
    assert "  differs: hilos_client/api/flows/list_flow_execution_contacts.py" in problems


def test_failure_message_names_the_fixing_command(committed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (committed_copy / "openapi.patched.json").write_text("{}\n")
    assert main([str(committed_copy)]) == 1
    assert "fix it with: make generate" in capsys.readouterr().out


def test_hand_edit_of_a_runtime_copy_is_reported(fresh: Path, committed_copy: Path) -> None:
    copied = committed_copy / "hilos_client" / "_runtime" / "sending.py"
    copied.write_text(copied.read_text() + "# hand edit\n")
    problems = compare_trees(committed_copy, fresh)
    assert [line for line in problems if not line.startswith("    ")] == ["  differs: hilos_client/_runtime/sending.py"]
