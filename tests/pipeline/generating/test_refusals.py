"""Documents the pipeline must generate or refuse clearly: a document without operations generates a valid
package; a failing formatter shows its reason."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.generating.generate import run
from pipeline.project import PYPROJECT
from tests.support.regenerated import generate_standalone, standalone_package

BIN = Path(sys.executable).parent


def tiny_spec(paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Tiny", "version": "1.0.0"},
        "paths": paths or {},
        "components": {"schemas": schemas or {"Thing": {"type": "object", "properties": {"id": {"type": "integer"}}}}},
    }


@pytest.fixture(scope="module")
def no_operations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_standalone(tmp_path_factory.mktemp("no-operations"), tiny_spec())


def test_a_document_without_operations_generates_a_package_that_imports(tmp_path: Path) -> None:
    with standalone_package(tmp_path, "no_operations_client", tiny_spec()) as package:
        api = importlib.import_module("no_operations_client.api")
        models = importlib.import_module("no_operations_client.models")
        resources = importlib.import_module("no_operations_client._runtime.resources")
        assert set(dir(package.Hilos)) == set(dir(resources.ResourceClient))  # no tag, so no namespace attribute
        assert models.Thing.from_dict({"id": 1}).id == 1
        assert "iterate_pages" in api.__all__
        with pytest.raises(AttributeError):
            api.flows  # noqa: B018  no tag, so no namespace


def test_a_document_without_operations_passes_ruff(no_operations: Path) -> None:
    result = subprocess.run(
        [BIN / "ruff", "check", "--config", PYPROJECT, no_operations], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_document_without_operations_passes_mypy_strict(no_operations: Path, tmp_path: Path) -> None:
    command = [str(BIN / "mypy"), "--strict", "--cache-dir", str(tmp_path), "hilos_client"]
    env = {**os.environ, "MYPYPATH": str(no_operations.parent)}
    result = subprocess.run(command, cwd=no_operations.parent, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_failing_formatter_shows_its_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("if True:\n\nx = 1\n", encoding="utf-8")
    with pytest.raises(SystemExit) as raised:
        run(BIN / "ruff", "format", "--config", PYPROJECT, broken)
    message = str(raised.value)
    assert "ruff format" in message
    assert "broken.py:3:1" in message
    assert "Expected an indented block" in message
