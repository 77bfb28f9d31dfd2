from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_hilos import FakeHilosServer


@pytest.fixture
def fake_api() -> Iterator[FakeHilosServer]:
    """A fresh loopback Hilos API for one test."""
    with FakeHilosServer() as server:
        yield server
