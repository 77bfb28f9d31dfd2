from __future__ import annotations

from typing import Any

from hilos_client import AuthenticatedClient

from tests.support.fake_hilos import TOKEN, FakeHilosServer

# Backoff small enough that a test with a few retries stays fast, large enough to be measurable.
TEST_BACKOFF = 0.01


def fast_client(server: FakeHilosServer, **options: Any) -> AuthenticatedClient:
    """A client for `server` with the default retry policy but a tiny backoff."""
    options.setdefault("retry_backoff", TEST_BACKOFF)
    return AuthenticatedClient(base_url=server.base_url, token=TOKEN, **options)
