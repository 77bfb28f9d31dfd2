"""`python -m pipeline.change_report.update_spec` (what `make update-spec` runs): sources, the command line, its failures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from pipeline.change_report.update_spec import (
    UpdateReport,
    UpdateSpecError,
    main,
    name_changes,
    parse_spec,
    read_source,
)
from pipeline.generating.name_record import RecordedName
from pipeline.generating.operation_names import NameProposal
from pipeline.project import ROOT
from tests.support.fake_hilos import FakeHilosServer, Fault, RecordedRequest
from tests.update_spec.conftest import ONE_OPERATION_SPEC, SPECS, make_checkout

BREAKING_SPEC = SPECS / "future_breaking.json"


def _serve_spec(server: FakeHilosServer, body: bytes) -> str:
    def answer(request: RecordedRequest) -> Fault | None:
        if request.path == "/openapi.json":
            return Fault(status=200, body=body, content_type="application/json")
        return None

    server.handler = answer
    return server.origin + "/openapi.json"


def test_url_source_is_fetched_and_the_command_installs_it_and_prints_the_report(
    fake_api: FakeHilosServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_checkout(tmp_path / "checkout", base=ONE_OPERATION_SPEC)  # the breaking spec's baseline
    url = _serve_spec(fake_api, BREAKING_SPEC.read_bytes())
    assert main([url, "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert (root / "openapi.json").read_bytes() == BREAKING_SPEC.read_bytes()
    assert f"update-spec: openapi.json replaced by {url}" in out
    assert "BREAKING removed  property FlowExecutionContactListSimple.is_test" in out
    assert "Suggested version bump: major (2 breaking change(s) in the spec, 2 in the Python API)" in out
    assert [r.path for r in fake_api.requests] == ["/openapi.json"]


def test_slow_url_fails_after_the_timeout(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=200, body="{}", delay=2.0))
    with pytest.raises(UpdateSpecError, match=r"could not fetch .* \(timeout 0.2 s\)"):
        read_source(fake_api.origin + "/openapi.json", timeout=0.2)


def test_url_answering_an_error_fails_with_the_reason(fake_api: FakeHilosServer) -> None:
    with pytest.raises(UpdateSpecError, match="could not fetch .*Not Found"):
        read_source(fake_api.origin + "/missing.json")


def test_other_schemes_and_missing_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UpdateSpecError, match="only http"):
        read_source("ftp://127.0.0.1/openapi.json")
    with pytest.raises(UpdateSpecError, match="no such file"):
        read_source(str(tmp_path / "absent.json"))


def test_json_is_kept_byte_for_byte_and_yaml_is_stored_as_json() -> None:
    original = (ROOT / "openapi.json").read_bytes()
    assert parse_spec(original, "openapi.json")[1] == original
    spec, stored = parse_spec(yaml.safe_dump(json.loads(original)).encode(), "openapi.yaml")
    assert json.loads(stored) == spec == json.loads(original)


def test_vanished_patch_target_exits_1_naming_the_action(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_checkout(tmp_path / "checkout")
    spec = json.loads((ROOT / "openapi.json").read_text())
    spec["servers"][0]["variables"] = {"youraccountname": {"default": "acme"}}  # upstream defined it
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(spec))
    assert main([str(fixed), "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "update-spec: FAILED: patch no longer applies: action 2 of patches/overlay.yaml (Server variable" in err
    assert "delete action 2 from patches/overlay.yaml" in err
    assert (root / "openapi.json").read_bytes() == (ROOT / "openapi.json").read_bytes()


def test_names_of_operations_gone_from_the_spec_are_reported_as_breaking() -> None:
    gone = RecordedName("flows", "delete_flow")
    new = RecordedName("flows", "create_flow")
    proposal = NameProposal({"POST /flow": new}, added={"POST /flow": new}, removed={"DELETE /flow/{id}": gone})
    changes = name_changes(proposal)
    assert [(c.subject, c.kind, c.detail, c.breaking) for c in changes] == [
        ("hilos_client.api.flows.create_flow", "added", "new name for POST /flow", False),
        ("hilos_client.api.flows.delete_flow", "removed", "DELETE /flow/{id} is gone from the spec", True),
    ]
    assert UpdateReport([], [], changes).bump == "major"
    assert UpdateReport([], [], changes[:1]).bump == "minor"


def test_a_document_without_operations_is_taken_after_the_stale_actions_are_deleted_as_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Upstream publishes a document with nothing in it: every overlay action goes stale. Following each
    # refusal's instruction ("delete action N") leaves an overlay with no actions, which must apply.
    root = make_checkout(tmp_path / "checkout")
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "Hilos", "version": "2.0.0"}, "paths": {}}))
    overlay_path = root / "patches" / "overlay.yaml"
    deleted = 0
    while main([str(empty), "--root", str(root)]) == 1:
        err = capsys.readouterr().err
        told = re.search(r"delete action (\d+) from patches/overlay.yaml", err)
        assert told, err
        overlay = yaml.safe_load(overlay_path.read_text(encoding="utf-8"))
        del overlay["actions"][int(told[1]) - 1]
        overlay_path.write_text(yaml.safe_dump(overlay, sort_keys=False), encoding="utf-8")
        deleted += 1
    out = capsys.readouterr().out
    assert deleted == len(yaml.safe_load((ROOT / "patches" / "overlay.yaml").read_text(encoding="utf-8"))["actions"])
    assert "actions: []" in overlay_path.read_text(encoding="utf-8")
    assert (root / "openapi.json").read_bytes() == empty.read_bytes()
    record = json.loads((root / "patches" / "operation-names.json").read_text(encoding="utf-8"))
    assert record == {}
    removed = len(json.loads((ROOT / "patches" / "operation-names.json").read_text(encoding="utf-8")))
    assert out.count("is gone from the spec") == removed
    assert "Suggested version bump: major" in out
    api = root / "generated" / "hilos_client" / "api"
    assert [path.name for path in api.iterdir()] == ["__init__.py"]  # no tag package
