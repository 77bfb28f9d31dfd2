from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_hilos import FakeHilosServer


@pytest.fixture
def spec_api() -> Iterator[FakeHilosServer]:
    """A loopback Hilos API that serves every operation of the spec and validates every request it receives."""
    with FakeHilosServer(validate_requests=True).serve_spec() as server:
        yield server
