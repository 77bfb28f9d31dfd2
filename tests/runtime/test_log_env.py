"""HILOS_LOG turns the package's log output on at import time, on its own logger only."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from patches.runtime.logs import EnvLogHandler, log_from_env
from pipeline.project import GENERATED

CALL_THE_FAKE = """
import logging
from hilos_client.api.flows import list_flow_execution_contacts as op
from hilos_client.testing import FakeHilos
fake = FakeHilos()
fake.set_items(op, [])
with fake.client() as client:
    op.sync(client=client)
assert not logging.getLogger().handlers, "the root logger belongs to the application"
"""


def run_with(value: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HILOS_LOG"}
    if value is not None:
        env["HILOS_LOG"] = value
    env["PYTHONPATH"] = str(GENERATED)
    return subprocess.run([sys.executable, "-c", CALL_THE_FAKE], env=env, capture_output=True, text=True, check=True)


def test_hilos_log_debug_prints_each_request_to_stderr() -> None:
    (line,) = run_with("debug").stderr.splitlines()
    assert " DEBUG hilos_client: GET https://fake-account.api-us1.com/api/3/channel/whatsapp/" in line
    assert "-> 200 in" in line


@pytest.mark.parametrize("value", [None, "warning"])
def test_without_hilos_log_or_above_the_requests_level_nothing_is_printed(value: str | None) -> None:
    assert run_with(value).stderr == ""


def test_an_unknown_level_is_reported_once_and_ignored() -> None:
    assert run_with("verbose").stderr.splitlines() == [
        "hilos_client: ignoring HILOS_LOG='verbose' (use one of: debug, info, warning)"
    ]


def test_the_handler_is_added_once_to_the_given_logger_only() -> None:
    logger = logging.getLogger("hilos_client_log_env_test")
    root_handlers = list(logging.getLogger().handlers)
    try:
        log_from_env(logger, {"HILOS_LOG": "INFO"})
        log_from_env(logger, {"HILOS_LOG": "info"})
        assert [type(handler) for handler in logger.handlers] == [EnvLogHandler]
        assert logger.level == logging.INFO
        assert logging.getLogger().handlers == root_handlers
    finally:
        logger.handlers.clear()
