"""Operations the spec gains get a command-line subcommand and are routed by the test fake, with no hand edits:
the regenerated package of additions.json (a GET by id, POSTs and PATCHes with bodies, new tags)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.update_spec.conftest import SPECS, UpdatedCheckout, run_with_package, take_additions

EVERY_SUBCOMMAND_HELPS = """
import contextlib, inspect, io, json
from hilos_client import cli
from hilos_client._spec import OPERATIONS
parser = cli.build_parser()
helps = {}
for operation in OPERATIONS:
    command = [operation.tag.replace("_", "-"), operation.name.replace("_", "-")]
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        try:
            parser.parse_args([*command, "--help"])
        except SystemExit as exit:
            assert exit.code == 0, command
    signature = inspect.signature(operation.module().sync)
    parameters = [name for name in signature.parameters if name not in ("client", "timeout", "deadline", "extra_headers", "extra_query")]
    helps[" ".join(command)] = {"help": shown.getvalue(), "parameters": parameters}
print(json.dumps(helps))
"""
EVERY_BODY_IS_CHECKED = """
import contextlib, inspect, io, json
from hilos_client import cli
from hilos_client._spec import OPERATIONS
errors = {}
for operation in OPERATIONS:
    signature = inspect.signature(operation.module().sync)
    if "body" not in signature.parameters:
        continue
    command = [operation.tag.replace("_", "-"), operation.name.replace("_", "-"), "--body", "[]"]
    command += [f"--{name}" + "=c0ffee00-0000-0000-0000-000000000001" for name in signature.parameters
                if signature.parameters[name].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    shown = io.StringIO()
    with contextlib.redirect_stderr(shown):
        code = cli.main(command, environ={})
    errors[" ".join(command[:2])] = [code, shown.getvalue()]
print(json.dumps(errors))
"""
SPEC_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations_of(spec_path: Path) -> list[str]:
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    return [f"{method} {path}" for path, item in spec["paths"].items() for method in item if method in SPEC_OPERATIONS]


FAKE_ROUTES_A_PATH_PARAMETER = """
import uuid
from hilos_client.api.broadcasts import get_broadcast_recipient
from hilos_client.testing import FakeHilos
fake = FakeHilos()
fake.queue(get_broadcast_recipient, {"detail": "Not found."}, status=404)
with fake.client() as client:
    response = get_broadcast_recipient.sync_detailed(uuid.UUID(int=5), client=client)
(seen,) = fake.requests_for("get_broadcast_recipient")
print(response.status_code, seen.operation, seen.path_params["id"])
"""


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> UpdatedCheckout:
    return take_additions(tmp_path_factory, SPECS / "additions.json")


def test_every_operation_has_a_subcommand_with_its_parameters(checkout: UpdatedCheckout) -> None:
    result = run_with_package(checkout.generated, "-c", EVERY_SUBCOMMAND_HELPS)
    assert result.returncode == 0, result.stderr
    helps = json.loads(result.stdout)
    assert len(helps) == len(operations_of(checkout.root / "openapi.json"))
    for command, shown in helps.items():
        assert re.match(rf"usage: hilos-client {command}\s", shown["help"]), command
        assert shown["parameters"], command  # every operation has a parameter or a body
        for name in shown["parameters"]:
            assert re.search(rf"(?<![\w-])--{name.replace('_', '-')}(?![\w-])", shown["help"]), (command, name)


def test_a_body_that_is_not_the_model_is_a_one_line_usage_error(checkout: UpdatedCheckout) -> None:
    result = run_with_package(checkout.generated, "-c", EVERY_BODY_IS_CHECKED)
    assert result.returncode == 0, result.stderr
    errors = json.loads(result.stdout)
    assert errors  # the future spec has operations with bodies
    for command, (code, stderr) in errors.items():
        assert code == 2, (command, stderr)
        (line,) = stderr.splitlines()
        assert re.match(r"hilos-client: error: argument --body: not a \w+ in JSON: expected a JSON object", line)


def test_the_fake_routes_an_operation_with_a_path_parameter(checkout: UpdatedCheckout) -> None:
    result = run_with_package(checkout.generated, "-c", FAKE_ROUTES_A_PATH_PARAMETER)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["404", "get_broadcast_recipient", "00000000-0000-0000-0000-000000000005"]
