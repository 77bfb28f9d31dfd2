"""A polymorphic body (drf-spectacular's `oneOf` of serializers): an optional request body that is a union sends
nothing when left out (it used to call `UNSET.to_dict()`), and `sync()` returns the union member it parsed,
typed as the union (mypy solved the runtime's generic `parsed_or_raise` for a union as `object`)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault, RecordedRequest
from tests.support.regenerated import generate_standalone, imported

BIN = Path(sys.executable).parent
PATH = "/pets/"


def pet(kind: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"name": {"type": "string"}, "kind": {"type": "string", "enum": [kind]}},
        "required": ["name", "kind"],
    }


def polymorphic_spec() -> dict[str, Any]:
    either = {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]}
    create = {
        "operationId": "pets_create",
        "summary": "Create Pet",
        "tags": ["pets"],
        "requestBody": {"content": {"application/json": {"schema": either}}},  # optional
        "responses": {"201": {"description": "The pet.", "content": {"application/json": {"schema": either}}}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1.0.0"},
        "paths": {PATH: {"post": create}},
        "components": {"schemas": {"Cat": pet("cat"), "Dog": pet("dog")}},
    }


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_standalone(tmp_path_factory.mktemp("polymorphic"), polymorphic_spec())


@pytest.fixture
def server() -> Iterator[FakeHilosServer]:
    with FakeHilosServer() as running:
        yield running


def test_the_package_passes_mypy_strict(package_dir: Path, mypy_cache: Path) -> None:
    command = [str(BIN / "mypy"), "--strict", "--cache-dir", str(mypy_cache), "hilos_client"]
    env = {**os.environ, "MYPYPATH": str(package_dir.parent)}
    result = subprocess.run(command, cwd=package_dir.parent, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("sent", [None, {"name": "Rex", "kind": "dog"}], ids=["no-body", "a-dog"])
def test_an_optional_union_body_is_sent_only_when_given_and_the_answer_parses_to_its_member(
    package_dir: Path, server: FakeHilosServer, sent: dict[str, Any] | None
) -> None:
    seen: list[RecordedRequest] = []

    def answer(request: RecordedRequest, path_params: dict[str, str]) -> Fault:
        seen.append(request)
        return Fault(status=201, body={"name": "Tom", "kind": "cat"})

    server.route("POST", PATH, answer)
    with imported(package_dir, "polymorphic_client") as package:
        operation = importlib.import_module("polymorphic_client.api.pets.create_pet")
        models = importlib.import_module("polymorphic_client.models")
        body = {} if sent is None else {"body": models.Dog.from_dict(sent)}
        with package.AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client:
            created = operation.sync(client=client, **body)
        assert isinstance(created, models.Cat) and created.name == "Tom"
    (request,) = seen
    assert (json.loads(request.body) if request.body else None) == sent
    assert ("content-type" in {name.lower() for name in request.headers}) == (sent is not None)
