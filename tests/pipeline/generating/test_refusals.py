"""Documents the pipeline must generate or refuse clearly: a document without operations generates a valid
package; a binary response is read as bytes; a `$ref` to nothing, an invalid schema and what the generator
cannot generate are refused with the place and the overlay action that fixes it (never the whole document);
a failing formatter shows its reason."""

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

import jsonpath
import pytest
import yaml
from openapi_python_client.parser.errors import GeneratorError

from pipeline.generating.generate import run
from pipeline.generating.overlay import apply_overlay
from pipeline.generating.refusals import MAX_DETAIL, SpecRefusal, dangling_references, generator_refusal, json_path
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
        # no tag, so no namespace attribute: only `with_raw_response` (itself without tags) beside the base class
        assert set(dir(package.Hilos)) == {*dir(resources.ResourceClient), "with_raw_response"}
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
def test_the_package_passes_mypy_strict(package: str, request: pytest.FixtureRequest, mypy_cache: Path) -> None:
    package_dir: Path = request.getfixturevalue(package)
    command = [str(BIN / "mypy"), "--strict", "--cache-dir", str(mypy_cache), "hilos_client"]
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


THING_REF = {"$ref": "#/components/schemas/Thing"}


def listing(schema: dict[str, Any], method: str = "get", **extra: Any) -> dict[str, Any]:
    """`/things` answering 200 with `schema` as JSON."""
    operation = {
        "operationId": "list_things",
        "summary": "List Things",
        "tags": ["things"],
        "responses": {"200": {"description": "The things.", "content": {"application/json": {"schema": schema}}}},
        **extra,
    }
    return {"/things": {method: operation}}


def refusal(tmp_path: Path, spec: dict[str, Any]) -> str:
    with pytest.raises(SpecRefusal) as raised:
        generate_standalone(tmp_path, spec)
    message = str(raised.value)
    assert "object at 0x" not in message  # none of the generator's reprs
    assert all(len(line) <= MAX_DETAIL + 80 for line in message.splitlines()), message
    return message


def suggested_actions(message: str) -> list[dict[str, Any]]:
    """The overlay actions a refusal suggests, as patches/overlay.yaml would hold them."""
    lines = message.splitlines()
    starts = [n for n, line in enumerate(lines) if line.startswith("  - target:")]
    actions = [yaml.safe_load("\n".join(lines[n : n + 3]))[0] for n in starts]
    assert actions, message
    return actions


def generates_with(tmp_path: Path, spec: dict[str, Any], action: dict[str, Any]) -> None:
    overlay = {"overlay": "1.0.0", "info": {"title": "fix", "version": "1"}, "actions": [action]}
    fixed, _ = apply_overlay(spec, overlay)
    generate_standalone(tmp_path, fixed)


def test_json_path_selects_exactly_the_node() -> None:
    document = {"paths": {"/a/{id}": {"get": {"responses": {"200": {"x": [1, {"it's": "here"}]}}}}}}
    parts: list[str | int] = ["paths", "/a/{id}", "get", "responses", "200", "x", 1, "it's"]
    target = json_path(parts)
    assert target == "$.paths['/a/{id}'].get.responses['200'].x[1]['it\\'s']"
    assert jsonpath.JSONPathEnvironment(strict=True).findall(target, document) == ["here"]


def test_dangling_references_lists_each_pointer_once_with_every_use() -> None:
    spec = tiny_spec(listing({"type": "array", "items": {"$ref": "#/components/schemas/Gone"}}))
    spec["components"]["schemas"]["Thing"]["properties"]["gone"] = {"$ref": "#/components/schemas/Gone"}
    spec["components"]["schemas"]["Thing"]["properties"]["slash"] = {"$ref": "#/components/schemas/a~1b"}
    spec["components"]["schemas"]["a/b"] = {"type": "string"}  # `~1` is a `/` in a pointer: not dangling
    spec["components"]["schemas"]["Thing"]["x-note"] = {"$ref": "#/nowhere"}  # extensions are not OpenAPI
    (gone,) = dangling_references(spec)
    assert gone.ref == "#/components/schemas/Gone"
    assert [json_path(place) for place in gone.used_at] == [
        "$.paths['/things'].get.responses['200'].content['application/json'].schema.items",
        "$.components.schemas.Thing.properties.gone",
    ]


@pytest.mark.parametrize("fix", [0, 1], ids=["define-it", "remove-the-use"])
def test_a_dangling_ref_in_a_response_names_it_and_the_action_that_fixes_it(tmp_path: Path, fix: int) -> None:
    spec = tiny_spec(listing({"$ref": "#/components/schemas/Missing"}))
    message = refusal(tmp_path / "refused", spec)
    assert message.startswith("the spec refers to #/components/schemas/Missing, which it does not define\n")
    assert "used at $.paths['/things'].get.responses['200'].content['application/json'].schema\n" in message
    assert "Thing" not in message and "openapi" not in message  # not the document
    define, remove = suggested_actions(message)
    assert define["target"] == "$.components.schemas" and define["update"] == {"Missing": {"type": "object"}}
    assert remove["target"].endswith(".schema") and remove["remove"] is True
    generates_with(tmp_path / "fixed", spec, [define, remove][fix])


def test_a_dangling_ref_under_a_missing_section_is_defined_with_its_section(tmp_path: Path) -> None:
    spec = tiny_spec(listing(THING_REF))
    spec["paths"]["/things"]["get"]["responses"]["404"] = {"$ref": "#/components/responses/NotFound"}
    message = refusal(tmp_path / "refused", spec)
    define, _ = suggested_actions(message)
    assert define == {
        "target": "$.components",
        "description": "<why upstream's document needs this>",
        "update": {"responses": {"NotFound": {"type": "object"}}},
    }


def test_an_invalid_schema_is_refused_at_its_deepest_cause(tmp_path: Path) -> None:
    spec = tiny_spec(listing(THING_REF))
    spec["components"]["schemas"]["Thing"]["properties"]["x"] = {"type": "strin"}
    message = refusal(tmp_path, spec)
    assert message.startswith("the patched spec is not valid OpenAPI at $.components.schemas.Thing.properties.x.type: ")
    assert "'strin' is not one of" in message


@pytest.mark.parametrize(
    ("schemas", "paths", "place", "target"),
    [
        pytest.param(
            {"Kind": {"enum": [1, "x"]}},
            listing(THING_REF),
            "/components/schemas/Kind: Unable to parse schema",
            "$.components.schemas.Kind",
            id="mixed-enum",
        ),
        pytest.param(
            {"thing": {"type": "object", "properties": {"a": {"type": "string"}}}},
            listing(THING_REF),
            'duplicate models with name "Thing"',
            "$.components.schemas.thing",
            id="duplicate-model-names",
        ),
        pytest.param(
            {},
            listing(THING_REF, "post", requestBody={"content": {"application/xml": {"schema": THING_REF}}}),
            "POST /things: the operation would be left out: Unsupported content type application/xml",
            "$.paths['/things'].post",
            id="unsupported-body",
        ),
    ],
)
def test_what_the_generator_cannot_generate_is_refused_with_its_place(
    tmp_path: Path, schemas: dict[str, Any], paths: dict[str, Any], place: str, target: str
) -> None:
    spec = tiny_spec(paths)
    spec["components"]["schemas"].update(schemas)
    message = refusal(tmp_path / "refused", spec)
    assert message.startswith("openapi-python-client cannot generate every part of the patched spec:\n")
    assert place in message
    assert f"    overlay target: {target}\n" in message
    (example,) = suggested_actions(message)
    assert example["target"] == target
    generates_with(tmp_path / "fixed", spec, example)  # leaving it out generates


def test_a_tool_failing_silently_says_so(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"FAILED: false\n\(no output; exit status 1\)"):
        run("false", cwd=tmp_path)


def test_a_generator_problem_without_a_place_is_cut_short() -> None:
    # What GeneratorData.from_dict returns when its own model rejects the document: pydantic's whole report.
    problem = GeneratorError(header="Failed to parse OpenAPI document", detail="1 validation error\n" + "x" * 5000)
    message = generator_refusal([problem])
    assert "  the document: Failed to parse OpenAPI document 1 validation error xxx" in message
    assert len(message) < MAX_DETAIL + 200
    assert "overlay target" not in message
