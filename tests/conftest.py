from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fake_hilos import FakeHilosServer

# The suite's loopback fakes enforce no rate limit, and most tests measure the client itself: clients made by
# tests (and the command lines they start, which inherit the environment) send unpaced unless a test asks for
# a limit (tests/runtime/rate_limit/ does, with `rate_limit=` or by removing this variable).
os.environ["HILOS_RATE_LIMIT"] = "none"
os.environ.pop("HILOS_RATE_LIMIT_URL", None)


@pytest.fixture
def fake_api() -> Iterator[FakeHilosServer]:
    """A fresh loopback Hilos API for one test."""
    with FakeHilosServer() as server:
        yield server


@pytest.fixture
def other_origin() -> Iterator[FakeHilosServer]:
    """A second loopback server on another port: another origin, which must never receive the token."""
    with FakeHilosServer() as server:
        yield server


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for every package the tests generate and check, so the stdlib, httpx and attrs are
    analysed once per run (mypy compares each module's hash with its cache entry, so nothing stale is used)."""
    return tmp_path_factory.mktemp("mypy-cache")
