"""Fixtures for the auto-pagination tests: a client of the loopback fake API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hilos_client import AuthenticatedClient

from tests.support.fake_hilos import TOKEN, FakeHilosServer


@pytest.fixture
def client(fake_api: FakeHilosServer) -> Iterator[AuthenticatedClient]:
    with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN) as client:
        yield client
