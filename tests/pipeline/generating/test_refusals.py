"""Documents the pipeline must generate or refuse clearly: a document without operations generates a valid
package; a binary response is read as bytes; a failing formatter shows its reason."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pipeline.generating.generate import run
from pipeline.project import PYPROJECT
from tests.support.regenerated import generate_standalone, imported

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


@pytest.fixture(scope="module")
def binary_response(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_standalone(tmp_path_factory.mktemp("binary-response"), binary_response_spec())


def test_a_document_without_operations_generates_a_package_that_imports(no_operations: Path) -> None:
    with imported(no_operations, "no_operations_client") as package:
        api = importlib.import_module("no_operations_client.api")
        models = importlib.import_module("no_operations_client.models")
        resources = importlib.import_module("no_operations_client._runtime.resources")
        assert set(dir(package.Hilos)) == set(dir(resources.ResourceClient))  # no tag, so no namespace attribute
        assert models.Thing.from_dict({"id": 1}).id == 1
        assert "iterate_pages" in api.__all__
        with pytest.raises(AttributeError):
            api.flows  # noqa: B018  no tag, so no namespace


@pytest.mark.parametrize("package", ["no_operations", "binary_response"])
def test_the_package_passes_ruff(package: str, request: pytest.FixtureRequest) -> None:
    package_dir: Path = request.getfixturevalue(package)
    result = subprocess.run(
        [BIN / "ruff", "check", "--config", PYPROJECT, package_dir], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", ["no_operations", "binary_response"])
def test_the_package_passes_mypy_strict(package: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    package_dir: Path = request.getfixturevalue(package)
    command = [str(BIN / "mypy"), "--strict", "--cache-dir", str(tmp_path), "hilos_client"]
    env = {**os.environ, "MYPYPATH": str(package_dir.parent)}
    result = subprocess.run(command, cwd=package_dir.parent, env=env, capture_output=True, text=True, check=False)
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


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"  # not UTF-8, not JSON
REPORT_PATH = "/reports/{id}"


def binary_response_spec() -> dict[str, Any]:
    report = {
        "operationId": "reports_retrieve",
        "summary": "Get Report",
        "tags": ["reports"],
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {
            "200": {"description": "The report.", "content": {"application/pdf": {"schema": {"type": "string"}}}}
        },
    }
    return tiny_spec({REPORT_PATH: {"get": report}})


class _PdfHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(PDF)))
        self.end_headers()
        self.wfile.write(PDF)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  the stdlib's name
        pass


@pytest.fixture
def pdf_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PdfHandler)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_binary_response_is_read_as_bytes(binary_response: Path, pdf_server: ThreadingHTTPServer) -> None:
    with imported(binary_response, "binary_client") as package:
        report = importlib.import_module("binary_client.api.reports.get_report")
        client_module = importlib.import_module("binary_client.client")
        types = importlib.import_module("binary_client.types")
        base_url = f"http://127.0.0.1:{pdf_server.server_address[1]}"
        with client_module.AuthenticatedClient(base_url=base_url, token="t") as client:
            body = report.sync(7, client=client)
            detailed = report.sync_detailed(7, client=client)
        assert isinstance(body, types.File)
        assert body.payload.read() == PDF
        assert detailed.content == PDF
        assert detailed.parsed.payload.read() == PDF
        assert pdf_server.requests == ["/reports/7", "/reports/7"]  # type: ignore[attr-defined]
        assert package.__name__ == "binary_client"

    patched = json.loads((binary_response.parent / "openapi.patched.json").read_text(encoding="utf-8"))
    response = patched["paths"][REPORT_PATH]["get"]["responses"]["200"]
    assert response["x-upstream-content"] == ["application/pdf"]
