from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_hilos import FakeHilosServer


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
