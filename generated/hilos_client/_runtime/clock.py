# Copied from patches/runtime/clock.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/clock.py, then run `make generate`.
"""The clock a client measures time and waits on: its deadlines and attempt bounds, the waits between retries,
the rate limit's pacing and pause, and the elapsed times it logs.

Every client uses SYSTEM_CLOCK (time.monotonic, time.sleep, asyncio.sleep). The test fake gives its clients
its own clock (`hilos_client.testing.FakeClock`), on which a wait advances the time at once instead of
sleeping: a test of a 120 s Retry-After takes no time, and the deadline is measured on the same clock. The
clock is not a constructor argument: `Client._use_clock` sets it, and the client's copies keep it.

The budget of a rate limit kept in Redis (`rate_limit_url=`) is shared with other processes and timed by
Redis' own clock, so it always waits in real time (rate_limit.py).
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """What a client asks of a clock. `monotonic()` is in seconds from any origin, never going back."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float, /) -> None: ...

    async def sleep_async(self, seconds: float, /) -> None: ...


class SystemClock:
    """The real time: time.monotonic and time.sleep themselves (no wrapper in the way), and asyncio.sleep."""

    __slots__ = ()

    monotonic = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)

    async def sleep_async(self, seconds: float) -> None:
        import asyncio  # loaded by whoever runs the loop; `import hilos_client` spares it

        await asyncio.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"

    def __reduce__(self) -> str:
        return "SYSTEM_CLOCK"  # pickled and copied as the one real clock (the rate limit's budgets know it by identity)


SYSTEM_CLOCK: Clock = SystemClock()
"""The clock of every client the test fake did not make."""

__all__ = ["SYSTEM_CLOCK", "Clock", "SystemClock"]
