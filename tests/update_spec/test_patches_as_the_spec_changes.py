"""When upstream fixes a quirk we patch, update-spec fails, names the action to delete, and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.change_report.update_spec import UpdateSpecError, update_spec
from pipeline.project import ROOT
from tests.update_spec.conftest import make_checkout


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def test_fixed_token_scheme_fails_naming_action_1_and_leaves_checkout_unchanged(tmp_path: Path) -> None:
    root = make_checkout(tmp_path / "checkout")
    spec = json.loads((ROOT / "openapi.json").read_text())
    spec["components"]["securitySchemes"]["tokenAuth"]["name"] = "Authorization"  # upstream fixed it
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(spec))
    before = _snapshot(root)
    with pytest.raises(UpdateSpecError) as failure:
        update_spec(str(fixed), root)
    message = str(failure.value)
    assert "patch no longer applies: action 1 of patches/overlay.yaml (Auth header" in message
    assert "delete action 1 from patches/overlay.yaml" in message
    assert "openapi.json, patches/operation-names.json, generated/ and api.md are unchanged" in message
    assert _snapshot(root) == before


def test_spec_that_is_not_openapi_is_refused(tmp_path: Path) -> None:
    not_a_spec = tmp_path / "page.json"
    not_a_spec.write_text('{"detail": "Not found."}')
    with pytest.raises(UpdateSpecError, match="not an OpenAPI 3 document"):
        update_spec(str(not_a_spec), tmp_path)
