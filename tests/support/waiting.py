"""Waiting for a state in async tests, without blocking the event loop that must reach it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from tests.support.fake_hilos import GATE_TIMEOUT


async def eventually(condition: Callable[[], bool], timeout: float = GATE_TIMEOUT) -> None:
    """Return once `condition()` holds; fail (rather than hang) if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not reached in {timeout} s")
        await asyncio.sleep(0.005)
