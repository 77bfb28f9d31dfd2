"""patches/runtime/clock.py where it is written: the real clock is time's own functions, and what is timed on a
client's clock (the local rate-limit budget) follows it, while a Redis budget keeps the real time."""

from __future__ import annotations

import asyncio
import copy
import pickle
import time

import pytest

from patches.runtime import clock, rate_limit
from patches.runtime.client import AuthenticatedClient
from patches.runtime.rate_limit import RateLimiter, _LocalBudget, _Pace
from patches.runtime.retries import CallRecord
from patches.runtime.testing import FakeClock


def test_the_system_clock_is_times_own_functions_with_nothing_in_between() -> None:
    assert clock.SYSTEM_CLOCK.monotonic is time.monotonic
    assert clock.SYSTEM_CLOCK.sleep is time.sleep
    assert repr(clock.SYSTEM_CLOCK) == "SystemClock()"


def test_the_system_clock_stays_the_one_object_through_pickle_and_copies() -> None:
    assert pickle.loads(pickle.dumps(clock.SYSTEM_CLOCK)) is clock.SYSTEM_CLOCK
    assert copy.copy(clock.SYSTEM_CLOCK) is copy.deepcopy(clock.SYSTEM_CLOCK) is clock.SYSTEM_CLOCK


def test_the_system_clocks_async_sleep_is_asyncios(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []

    async def recorded(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", recorded)
    asyncio.run(clock.SYSTEM_CLOCK.sleep_async(2.5))
    assert slept == [2.5]


def test_a_client_measures_on_the_system_clock_until_given_another() -> None:
    client = AuthenticatedClient(base_url="https://example.com", token="t", rate_limit=5)
    assert client._clock is clock.SYSTEM_CLOCK
    real_limiter = client.rate_limiter()
    fake = FakeClock()
    assert client._use_clock(fake) is client
    assert client._clock is fake
    assert client.rate_limiter() is not real_limiter  # a limiter is made for the clock it waits on
    assert client.with_headers({"X-A": "b"})._clock is fake


def test_a_call_record_times_the_call_on_its_clock() -> None:
    fake = FakeClock()
    fake.advance(10)
    call = CallRecord("GET", "https://example.com/x", fake)
    fake.sleep(3)
    assert (call.started, call.elapsed) == (10, 3)
    assert CallRecord("GET", "https://example.com/x").clock is clock.SYSTEM_CLOCK


def test_a_local_budget_is_paused_and_paced_on_its_clock() -> None:
    fake = FakeClock()
    budget, pace = _LocalBudget(fake), _Pace(5)
    budget.pause(120)
    assert budget.admit(pace) == (120, None, True)
    fake.advance(120)
    wait, ticket, paused = budget.admit(pace)
    assert (wait, paused) == (0.0, False) and ticket is not None
    budget.sent(ticket)
    assert ticket.wire == 120
    wait, _, _ = budget.admit(pace)
    assert wait == pytest.approx(pace.interval)


def test_each_clock_has_budgets_of_its_own_and_the_real_ones_stay_shared() -> None:
    first, second = FakeClock(), FakeClock()

    def limiter(on: clock.Clock) -> RateLimiter:
        return RateLimiter(rate=5, key="account", url=None, max_pause=60, clock=on)

    assert limiter(first)._budget is limiter(first)._budget
    assert limiter(first)._budget is not limiter(second)._budget
    assert limiter(clock.SYSTEM_CLOCK)._budget is limiter(clock.SYSTEM_CLOCK)._budget
    assert limiter(clock.SYSTEM_CLOCK)._budget is not limiter(first)._budget


def test_a_redis_budget_keeps_the_real_time_whatever_the_clients_clock() -> None:
    pytest.importorskip("redis")
    shared = RateLimiter(rate=5, key="account", url="redis://127.0.0.1:1/0", max_pause=60, clock=FakeClock())
    assert shared._clock is clock.SYSTEM_CLOCK  # Redis' clock times it: its waits are real
    assert isinstance(shared._budget, rate_limit._RedisBudget)
