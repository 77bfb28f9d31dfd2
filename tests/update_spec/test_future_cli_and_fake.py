"""Operations the spec gains get a command-line subcommand and are routed by the test fake, with no hand edits:
the regenerated package of additions.json (a GET by id, POSTs and PATCHes with bodies, new tags)."""

from __future__ import annotations

import json

import pytest

from tests.update_spec.conftest import SPECS, UpdatedCheckout, run_with_package, take_additions

EVERY_SUBCOMMAND_PARSES = """
import json
from hilos_client import cli
from hilos_client._spec import OPERATIONS
parser = cli.build_parser()
helps = {}
for operation in OPERATIONS:
    command = [operation.tag.replace("_", "-"), operation.name.replace("_", "-")]
    try:
        parser.parse_args([*command, "--help"])
    except SystemExit as exit:
        assert exit.code == 0, command
    if operation.name in FILE_BODIES:
        continue
    helps[" ".join(command)] = vars(parser.parse_args(command + REQUIRED.get(operation.name, [])))["parameters"]
print(json.dumps(helps))
"""
# The required options of the new operations (a path parameter, a request body).
REQUIRED = {
    "get_flow_execution_contact": ["--id", "c0ffee00-0000-0000-0000-000000000001"],
    "update_flow_execution": ["--id", "c0ffee00-0000-0000-0000-000000000002"],
    "create_flow_execution": ["--body", '{"flow": "c0ffee00-0000-0000-0000-000000000003", "execute_for": "all"}'],
    "update_conversation": ["--id", "c0ffee00-0000-0000-0000-000000000004"],
}
# A multipart body with a file cannot be given as JSON on the command line (yet): only its --help is checked.
FILE_BODIES = {"upload_media"}

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
    script = f"REQUIRED = {REQUIRED!r}\nFILE_BODIES = {FILE_BODIES!r}\n" + EVERY_SUBCOMMAND_PARSES
    result = run_with_package(checkout.generated, "-c", script)
    assert result.returncode == 0, result.stderr
    *helps, last = result.stdout.splitlines()  # each --help, then the parameters
    parameters = json.loads(last)
    assert sum(line.startswith("usage: hilos-client ") for line in helps) == 7
    assert set(parameters) == {
        "flows list-flow-execution-contacts",
        "flows get-flow-execution-contact",
        "flows create-flow-execution",
        "flows update-flow-execution",
        "conversation list-conversations",
        "conversation update-conversation",
    }
    assert parameters["flows get-flow-execution-contact"] == ["id"]
    assert "is_open" in parameters["conversation list-conversations"]


def test_a_body_that_is_not_the_model_is_a_usage_error(checkout: UpdatedCheckout) -> None:
    result = run_with_package(
        checkout.generated, "-m", "hilos_client", "broadcasts", "create-broadcast", "--body", "{}"
    )
    assert result.returncode == 2
    assert "argument --body: not a BroadcastCreate in JSON: flow: required field is missing" in result.stderr


def test_the_fake_routes_an_operation_with_a_path_parameter(checkout: UpdatedCheckout) -> None:
    result = run_with_package(checkout.generated, "-c", FAKE_ROUTES_A_PATH_PARAMETER)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["404", "get_broadcast_recipient", "00000000-0000-0000-0000-000000000005"]
