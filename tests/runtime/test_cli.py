"""The `hilos-client` command line against the loopback fake API: output, --all, progress, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hilos_client import AuthenticatedClient, cli

from pipeline.project import GENERATED
from tests.runtime.conftest import TEST_BACKOFF
from tests.support.fake_hilos import ACTIVE_STATUSES, TOKEN, FakeHilosServer, Fault, iter_pages, make_contacts

LIST = ["flows", "list-flow-execution-contacts"]


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's client keeps its retries, with a tiny backoff (the subprocess runs keep the default)."""
    from_env = AuthenticatedClient.from_env.__func__  # type: ignore[attr-defined]

    def quick_from_env(cls: type[AuthenticatedClient], /, **options: Any) -> AuthenticatedClient:
        return from_env(cls, retry_backoff=TEST_BACKOFF, **options)  # type: ignore[no-any-return]

    monkeypatch.setattr(AuthenticatedClient, "from_env", classmethod(quick_from_env))


@pytest.fixture
def server() -> Iterator[FakeHilosServer]:
    with FakeHilosServer(make_contacts(25)) as fake:
        yield fake


def environ(server: FakeHilosServer, token: str = TOKEN) -> dict[str, str]:
    # The fake enforces no rate limit: these tests measure the command line (tests/runtime/rate_limit/ paces it).
    return {"HILOS_API_TOKEN": token, "HILOS_BASE_URL": server.base_url, "HILOS_RATE_LIMIT": "none"}


def run_cli(
    server: FakeHilosServer, *args: str, token: str = TOKEN, **popen: object
) -> subprocess.CompletedProcess[str]:
    """`python -m hilos_client ARGS` (what the `hilos-client` script runs) with only our variables set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HILOS_")}
    env |= {"PYTHONPATH": str(GENERATED), **environ(server, token)}
    return subprocess.run(
        [sys.executable, "-m", "hilos_client", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_all_as_csv_writes_every_item_of_a_multi_page_listing_and_exits_0(server: FakeHilosServer) -> None:
    done = run_cli(server, *LIST, "--all", "--format", "csv", "--page-size", "10")
    assert done.returncode == cli.EXIT_OK, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [row["id"] for row in rows] == [contact["id"] for contact in server.contacts]
    assert rows[3]["contact.phone"] == server.contacts[3]["contact"]["phone"]
    assert rows[3]["contact.meta.index"] == "3"
    assert [page.param("page") for page in iter_pages(server)] == ["1", "2", "3"]
    assert done.stderr == ""  # stderr is not a terminal: no progress bar


def test_a_wrong_token_exits_with_the_authentication_code_in_one_line_without_the_token(
    server: FakeHilosServer,
) -> None:
    done = run_cli(server, *LIST, "--all", token="wrong-secret-value")
    assert done.returncode == cli.EXIT_AUTHENTICATION
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("hilos-client: error: AuthenticationError: 401")
    assert "wrong-secret-value" not in done.stderr


def test_one_page_as_json_lines_with_typed_filters(server: FakeHilosServer, capsys: pytest.CaptureFixture[str]) -> None:
    flow = server.contacts[0]["flow"]
    code = cli.main([*LIST, "--flow", flow, "--is-active", "true", "--page-size", "4"], environ=environ(server))
    assert code == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    active = [c["id"] for c in server.contacts if c["status"] in ACTIVE_STATUSES]
    assert [json.loads(line)["id"] for line in lines] == active[:4]
    (request,) = iter_pages(server)
    assert request.params == {"flow": [flow], "is_active": ["true"], "page_size": ["4"]}


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (Fault(status=404, body={"detail": "Invalid page."}), cli.EXIT_NOT_FOUND),
        (Fault(status=429, body={"detail": "slow down"}, headers={"Retry-After": "0"}), cli.EXIT_RATE_LIMITED),
        (Fault(status=503, body="down"), cli.EXIT_UNAVAILABLE),
        (Fault(status=403, body={"detail": "no"}), cli.EXIT_ERROR),
        (Fault(status=200, body={"count": "many"}), cli.EXIT_ERROR),
    ],
    ids=["404", "429", "503", "403", "invalid-body"],
)
def test_each_failure_has_its_exit_code(
    server: FakeHilosServer, capsys: pytest.CaptureFixture[str], fault: Fault, code: int
) -> None:
    server.faults.extend([fault] * 3)  # the client's retries get the same answer
    assert cli.main(LIST, environ=environ(server)) == code
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_no_connection_exits_with_the_unavailable_code(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeHilosServer() as gone:
        base_url = gone.base_url
    assert cli.main(LIST, environ={"HILOS_API_TOKEN": TOKEN, "HILOS_BASE_URL": base_url}) == cli.EXIT_UNAVAILABLE
    assert "ApiConnectionError" in capsys.readouterr().err


def test_missing_configuration_exits_with_the_configuration_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(LIST, environ={}) == cli.EXIT_CONFIGURATION
    assert "HILOS_API_TOKEN" in capsys.readouterr().err


def test_page_and_all_together_are_a_usage_error(server: FakeHilosServer) -> None:
    assert cli.main([*LIST, "--all", "--page", "2"], environ=environ(server)) == cli.EXIT_USAGE


def test_progress_bar_on_a_terminal_counts_up_to_count(server: FakeHilosServer) -> None:
    controller, terminal = pty.openpty()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HILOS_")}
        env |= {"PYTHONPATH": str(GENERATED), **environ(server)}
        done = subprocess.run(
            [sys.executable, "-m", "hilos_client", *LIST, "--all", "--page-size", "10"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=terminal,
            timeout=60,
        )
        os.close(terminal)
        terminal = -1
        drawn = b""
        while chunk := _read_available(controller):
            drawn += chunk
    finally:
        if terminal != -1:
            os.close(terminal)
        os.close(controller)
    assert done.returncode == cli.EXIT_OK
    assert len(done.stdout.splitlines()) == 25
    assert drawn.decode().rstrip().endswith("25/25 items (100%)")


def _read_available(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # Linux reports the end of a pty whose other side closed as EIO
        return b""


def test_csv_flattening_names_nested_fields_with_dots_and_keeps_lists_as_json() -> None:
    row = cli.flatten({"a": 1, "b": {"c": {"d": None}, "e": [1, 2]}, "f": {}})
    assert row == {"a": 1, "b.c.d": None, "b.e": "[1, 2]", "f": "{}"}
