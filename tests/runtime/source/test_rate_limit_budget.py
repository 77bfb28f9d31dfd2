"""patches/runtime/rate_limit.py where it is written: the in-process budget's rules, without a server."""

from __future__ import annotations

import pytest

from patches.runtime import rate_limit
from patches.runtime.rate_limit import _LocalBudget, _Pace


def admitted(budget: _LocalBudget, pace: _Pace) -> rate_limit.Ticket:
    wait, ticket, paused = budget.admit(pace)
    assert (wait, paused) == (0.0, False) and ticket is not None
    return ticket


def test_requests_are_spaced_by_the_interval() -> None:
    budget, pace = _LocalBudget(), _Pace(5)
    budget.sent(admitted(budget, pace))
    wait, ticket, paused = budget.admit(pace)
    assert ticket is None and not paused
    assert 0.2 < wait <= pace.interval == pytest.approx(0.21)


def test_a_pause_holds_every_admission_and_is_never_shortened() -> None:
    budget, pace = _LocalBudget(), _Pace(5)
    budget.pause(30)
    budget.pause(1)
    wait, ticket, paused = budget.admit(pace)
    assert ticket is None and paused and 29 < wait <= 30


def test_remaining_below_what_this_process_sent_slows_the_pace() -> None:
    # The server counts 4 requests in its window where this process sent 1: 3 came from elsewhere, so for a
    # second this process keeps to the 2 per second that are left.
    budget, pace = _LocalBudget(), _Pace(5)
    ticket = admitted(budget, pace)
    budget.sent(ticket)
    budget.observe(ticket, 5, 1)
    wait, _, _ = budget.admit(pace)
    assert wait > (1 + rate_limit.SAFETY_MARGIN) / 2 - 0.05


def test_remaining_that_matches_this_process_changes_nothing() -> None:
    budget, pace = _LocalBudget(), _Pace(5)
    ticket = admitted(budget, pace)
    budget.sent(ticket)
    budget.observe(ticket, 5, 4)
    wait, _, _ = budget.admit(pace)
    assert wait <= pace.interval


def test_a_lower_ratelimit_limit_lowers_the_pace() -> None:
    budget, pace = _LocalBudget(), _Pace(50)
    ticket = admitted(budget, pace)
    budget.sent(ticket)
    budget.observe(ticket, 5, 4)
    wait, _, _ = budget.admit(pace)
    assert wait > pace.interval * 5


def test_at_most_count_requests_in_a_window_of_wire_times() -> None:
    # Five requests that went out late, close together, hold the sixth until the first has left the window.
    budget, pace = _LocalBudget(), _Pace(5)
    tickets = []
    for _ in range(5):
        budget._last = float("-inf")  # noqa: SLF001 (as if each had been due)
        tickets.append(admitted(budget, pace))
    for ticket in tickets:
        budget.sent(ticket)
    budget._last = float("-inf")  # noqa: SLF001
    wait, sixth, _ = budget.admit(pace)
    assert sixth is None and wait > pace.window - 0.1
