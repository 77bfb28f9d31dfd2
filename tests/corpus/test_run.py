"""The corpus runner's pure parts (the corpus itself is `make corpus`, outside `make test`), and that its
documents come from drf-spectacular when it runs, never from a committed file."""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import strategies as st

from pipeline.project import ROOT
from tests.corpus import probe, run


def test_table_puts_ours_beside_stock_with_a_dash_where_a_step_could_not_run() -> None:
    ours = run.PackageResult(generated=False, failures=["generate failed: x"])
    stock = run.PackageResult(
        generated=True,
        imports=run.Count(57, 63),
        ruff_errors=30,
        mypy_errors=42,
        pyright_errors=7,
        round_trips=run.Count(16, 16),
        operations=run.Count(15, 22),
    )
    table = run.format_table([run.Row("split-3.0", ours, stock)]).splitlines()
    assert [cell.strip() for cell in table[2].strip("|").split("|")] == [
        "split-3.0",
        "NO / yes",
        "- / 57/63",
        "- / 30",
        "- / 42",
        "- / 7",
        "- / 16/16",
        "- / 15/22",
    ]
    assert len({len(line) for line in table}) == 1, "every line of the table has the same width"
    assert run.format_failures([run.Row("split-3.0", ours, stock)]) == "- split-3.0, ours: generate failed: x"


def test_ruff_errors_are_the_entries_of_its_json_output() -> None:
    assert run.count_ruff_errors("[]") == 0
    assert run.count_ruff_errors("") == 0
    assert run.count_ruff_errors(json.dumps([{"code": "F401"}, {"code": "F821"}])) == 2


@pytest.mark.parametrize(
    ("output", "errors"),
    [
        ("Success: no issues found in 87 source files\n", 0),
        ("a.py:1: error: x  [misc]\nFound 1 error in 1 file (checked 3 source files)\n", 1),
        ("Found 42 errors in 7 files (checked 64 source files)\n", 42),
        ("Traceback (most recent call last):\n", -1),
    ],
)
def test_mypy_errors_come_from_its_summary_line(output: str, errors: int) -> None:
    assert run.count_mypy_errors(output) == errors


def test_pyright_errors_are_its_summary_count_with_each_error_placed(tmp_path: Path) -> None:
    def diagnostic(severity: str, rule: str, line: int) -> dict[str, object]:
        place = {"line": line, "character": 4}
        return {
            "file": str(tmp_path / "pkg" / "models" / "a.py"),
            "severity": severity,
            "message": '"_at" is possibly unbound\n  more detail',
            "range": {"start": place, "end": place},
            "rule": rule,
        }

    report = {
        "generalDiagnostics": [
            diagnostic("error", "reportPossiblyUnbound", 9),
            diagnostic("warning", "reportUnusedVariable", 3),
        ],
        "summary": {"errorCount": 1, "warningCount": 1},
    }
    assert run.pyright_findings(json.dumps(report), tmp_path) == (
        1,
        [('reportPossiblyUnbound "_at" is possibly unbound', "pkg/models/a.py:10")],
    )
    assert run.pyright_findings("Error: no python found", tmp_path) == (-1, [])


def test_findings_are_grouped_by_message_with_their_count_and_first_place() -> None:
    findings = [
        ("F821 Undefined name `Unset`", "a.py:3"),
        ("F401 unused", "b.py:1"),
        ("F821 Undefined name `Unset`", "c.py:9"),
    ]
    assert run.grouped("ruff", findings) == [
        "ruff: F821 Undefined name `Unset` (2x, first at a.py:3)",
        "ruff: F401 unused (1x, first at b.py:1)",
    ]


def test_nullable_becomes_a_null_type_and_refs_stay() -> None:
    converted = probe.json_schema_document(
        {
            "a": {"type": "string", "nullable": True, "enum": ["x"]},
            "b": {"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": True},
        }
    )
    assert converted == {
        "a": {"type": ["string", "null"], "enum": ["x", None]},
        "b": {"anyOf": [{"allOf": [{"$ref": "#/components/schemas/B"}]}, {"type": "null"}]},
    }


def test_a_recursive_schema_validates_without_inlining() -> None:
    node = {
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}},
    }
    validator = probe.validator_of({"components": {"schemas": {"Node": node}}}, "Node")
    assert validator.is_valid({"children": [{"children": []}]})
    assert not validator.is_valid({"children": [{"children": 1}]})


def test_models_are_objects_with_a_json_form() -> None:
    document = {
        "components": {
            "schemas": {
                "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
                "StatusEnum": {"enum": ["a"], "type": "string"},
                "Upload": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
            }
        }
    }
    assert list(probe.model_schemas(document)) == ["Pet"]


def test_date_times_compare_as_instants() -> None:
    assert probe.canonical({"at": ["2026-01-02T03:04:05Z"]}) == probe.canonical({"at": ["2026-01-02T03:04:05+00:00"]})
    assert probe.canonical("2026-01-02T03:04:05Z") == datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert probe.canonical("Tom") == "Tom"


def test_no_corpus_document_is_committed() -> None:
    committed = subprocess.run(
        ["git", "ls-files", "tests/corpus"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert [name for name in committed if not name.endswith(".py")] == []


@pytest.mark.parametrize("variant", ["split-3.1", "no-paths"])
def test_each_document_is_generated_by_drf_spectacular_when_the_corpus_runs(variant: str, tmp_path: Path) -> None:
    target = tmp_path / "doc.json"
    run.schema_document(variant, target)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["info"]["title"] == f"drf-spectacular corpus ({variant})"
    assert document["openapi"] == ("3.1.0" if variant == "split-3.1" else "3.0.3")
    assert bool(document["paths"]) == (variant != "no-paths")


def test_stock_warnings_are_one_line_each() -> None:
    output = (
        "Generating x\nWarning(s) encountered\n\nWARNING parsing GET /a within b.\n\nCannot parse response (pdf)\n\n{\n"
    )
    assert run.stock_warnings(output) == ["generator: WARNING parsing GET /a within b. Cannot parse response (pdf)"]


def test_a_model_whose_drawn_instances_are_all_invalid_does_not_pass_unseen() -> None:
    class Echo:
        def __init__(self, value: object) -> None:
            self.value = value

        @classmethod
        def from_dict(cls, value: object) -> Echo:
            return cls(value)

        def to_dict(self) -> object:
            return self.value

    validator = probe.validator_of({"components": {"schemas": {"A": {"type": "integer"}}}}, "A")
    assert probe.round_trip_problem(Echo, st.integers(), validator) is None
    assert "no drawn instance is valid" in str(probe.round_trip_problem(Echo, st.text(), validator))


def test_a_model_that_changes_the_value_fails_the_round_trip() -> None:
    class Dropping:
        @classmethod
        def from_dict(cls, value: object) -> Dropping:
            return cls()

        def to_dict(self) -> object:
            return {}

    schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    validator = probe.validator_of({"components": {"schemas": {"A": schema}}}, "A")
    values = st.fixed_dictionaries({"a": st.integers()})
    assert "to_dict() gave {}" in str(probe.round_trip_problem(Dropping, values, validator))
