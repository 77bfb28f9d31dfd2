"""hilos_client.testing's FakeHilos never sleeps and never lets an unexpected request pass unnoticed, for every
operation of the spec through every surface: the waits of its clients (Retry-After, backoff, the rate limit's
pacing and pause) advance `fake.clock` at once and deadlines are measured on it; a request it has no answer for
raises UnexpectedRequestError naming the request, unwrapped and not retried, and again on leaving
`with FakeHilos() as fake:` when the app swallowed it."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from hilos_client import errors
from hilos_client.testing import FakeClock, FakeHilos, UnexpectedRequestError

from tests.runtime.test_testing_fake_operations import listing_item_json
from tests.support.operation_cases import OperationCase, each_operation, minimal_instance

SURFACES = ["module.sync", "module.asyncio", "Hilos", "AsyncHilos"]
REAL_TIME_GUARD = 30.0
"""Seconds of real time no test here comes near (they take milliseconds): a guard against real sleeps of
120 s and more, far from any machine's jitter."""


async def call(fake: FakeHilos, case: OperationCase, surface: str, arguments: dict[str, Any], **options: Any) -> Any:
    """One call of the operation through `surface`, by a client of the fake built with `options`."""
    tag, name = case.operation.tag, case.operation.name
    if surface == "module.sync":
        with fake.client(**options) as client:
            return case.module().sync(client=client, **arguments)
    if surface == "module.asyncio":
        async with fake.client(**options) as client:
            return await case.module().asyncio(client=client, **arguments)
    if surface == "Hilos":
        with fake.hilos(**options) as hilos:
            return getattr(getattr(hilos, tag), name)(**arguments)
    async with fake.async_hilos(**options) as async_hilos:
        return await getattr(getattr(async_hilos, tag), name)(**arguments)


def retrying(case: OperationCase, **options: Any) -> dict[str, Any]:
    """Options of a client that retries this operation's method once."""
    return {"retries": 1, "retry_methods": frozenset({case.operation.method}), **options}


# -- time ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("surface", SURFACES)
@each_operation()
async def test_a_120_s_retry_after_is_waited_on_the_fake_clock_and_retried(case: OperationCase, surface: str) -> None:
    fake = FakeHilos()
    fake.queue_rate_limited(case.operation.name, retry_after=120)
    fake.queue(case.operation.name, case.response_json())
    started = time.monotonic()
    got = await call(fake, case, surface, case.required_arguments(), **retrying(case, retry_max_wait=120))
    assert time.monotonic() - started < REAL_TIME_GUARD
    assert (got is None) == (case.response_json() is None)
    assert fake.clock.sleeps == [120]
    assert fake.clock.now == 120
    assert len(fake.requests_for(case.operation.name)) == 2


@pytest.mark.parametrize("surface", SURFACES)
@each_operation()
async def test_a_retry_after_past_the_deadline_is_refused_at_once_as_for_real(
    case: OperationCase, surface: str
) -> None:
    fake = FakeHilos()
    fake.queue_rate_limited(case.operation.name, retry_after=400)  # the default deadline is 300 s
    fake.queue(case.operation.name, case.response_json())
    with pytest.raises(errors.RateLimitError) as caught:
        await call(fake, case, surface, case.required_arguments(), **retrying(case, retry_max_wait=600))
    assert caught.value.retry_after == 400
    assert fake.clock.sleeps == []
    assert len(fake.requests_for(case.operation.name)) == 1


@pytest.mark.parametrize("surface", SURFACES)
@each_operation()
async def test_backoff_waits_add_up_on_the_fake_clock_until_the_deadline(case: OperationCase, surface: str) -> None:
    fake = FakeHilos()
    for _ in range(6):
        fake.queue_server_error(case.operation.name, status=503)
    options = retrying(case, retries=5, retry_backoff=10, retry_max_wait=60, deadline=50)
    with pytest.raises(errors.ServerError):
        await call(fake, case, surface, case.required_arguments(), **options)
    # Each wait is within the backoff's bounds; the one that would have passed the 50 s deadline was not slept.
    assert fake.clock.sleeps
    assert all(0 < wait <= 60 for wait in fake.clock.sleeps)
    assert fake.clock.now < 50
    assert len(fake.requests_for(case.operation.name)) == len(fake.clock.sleeps) + 1 < 6


@pytest.mark.parametrize("surface", SURFACES)
@each_operation()
async def test_the_rate_limits_pause_after_a_429_passes_on_the_fake_clock(case: OperationCase, surface: str) -> None:
    fake = FakeHilos()
    fake.queue_rate_limited(case.operation.name, retry_after=120)
    fake.queue(case.operation.name, case.response_json())
    options = {"rate_limit": 5, "retry_max_wait": 120}
    with pytest.raises(errors.RateLimitError):
        await call(fake, case, surface, case.required_arguments(), **options)
    assert fake.clock.sleeps == []
    # The next request of the account waits for the whole pause, then goes.
    await call(fake, case, surface, case.required_arguments(), **options)
    assert fake.clock.sleeps == [120]
    assert len(fake.requests_for(case.operation.name)) == 2


@pytest.mark.parametrize("surface", SURFACES)
@each_operation()
async def test_a_pause_past_the_deadline_sends_nothing(case: OperationCase, surface: str) -> None:
    fake = FakeHilos()
    fake.queue_rate_limited(case.operation.name, retry_after=120)
    options = {"rate_limit": 5, "retry_max_wait": 120}
    with pytest.raises(errors.RateLimitError):
        await call(fake, case, surface, case.required_arguments(), **options)
    with pytest.raises(errors.RateLimitError, match="paused after a 429") as caught:
        await call(fake, case, surface, case.required_arguments(), deadline=60, **options)
    assert caught.value.retry_after == 120
    assert fake.clock.sleeps == []
    assert len(fake.requests_for(case.operation.name)) == 1


@pytest.mark.parametrize("surface", SURFACES)
@each_operation()
async def test_the_rate_limits_pacing_passes_on_the_fake_clock(case: OperationCase, surface: str) -> None:
    fake = FakeHilos()
    for _ in range(3):
        fake.queue(case.operation.name, case.response_json())
    for _ in range(3):
        await call(fake, case, surface, case.required_arguments(), rate_limit=5)
    interval = 1.05 / 5  # one request every (1 + SAFETY_MARGIN) / rate seconds
    assert fake.clock.sleeps == [pytest.approx(interval), pytest.approx(interval)]


@each_operation()
def test_each_fake_has_its_own_clock_and_budget(case: OperationCase) -> None:
    first, second = FakeHilos(), FakeHilos()
    assert first.clock is not second.clock
    first.queue_rate_limited(case.operation.name, retry_after=120)
    with first.client(rate_limit=5, retry_max_wait=120) as client, pytest.raises(errors.RateLimitError):
        case.module().sync(client=client, **case.required_arguments())
    second.queue(case.operation.name, case.response_json())
    with second.client(rate_limit=5) as client:
        case.module().sync(client=client, **case.required_arguments())
    assert second.clock.sleeps == []  # not paused by the other fake's 429


@each_operation()
def test_copies_of_a_fake_client_keep_the_fake_clock(case: OperationCase) -> None:
    fake = FakeHilos()
    client = fake.client(**retrying(case, retry_max_wait=120))
    for copy in (client.with_headers({"X-Test": "1"}), client.with_cookies({"a": "b"}), client.with_timeout(5)):
        fake.queue_rate_limited(case.operation.name, retry_after=120)
        fake.queue(case.operation.name, case.response_json())
        before = len(fake.clock.sleeps)
        with copy:
            case.module().sync(client=copy, **case.required_arguments())
        assert fake.clock.sleeps[before:] == [120]


def test_the_fake_clock_advances_by_sleeps_and_advance_only() -> None:
    clock = FakeClock()
    assert (clock.now, clock.monotonic(), clock.sleeps, clock.slept) == (0, 0, [], 0)
    clock.sleep(1.5)
    clock.advance(2)
    clock.sleep(0)
    asyncio.run(clock.sleep_async(0.5))
    assert clock.sleeps == [1.5, 0, 0.5]
    assert clock.slept == 2.0
    assert clock.now == clock.monotonic() == 4.0
    assert repr(clock) == "FakeClock(now=4, sleeps=3)"


@pytest.mark.parametrize("seconds", [-1, float("inf"), float("nan"), True, "1"])
def test_the_fake_clock_refuses_to_go_back_or_to_infinity(seconds: Any) -> None:
    clock = FakeClock()
    with pytest.raises(ValueError, match="seconds must be a finite number, 0 or more"):
        clock.advance(seconds)
    assert clock.now == 0


async def test_an_async_sleep_on_the_fake_clock_lets_other_tasks_run() -> None:
    clock = FakeClock()
    ran: list[str] = []

    async def other() -> None:
        ran.append("other")

    task = asyncio.create_task(other())
    await clock.sleep_async(10)
    assert ran == ["other"]
    await task


# -- unexpected requests -------------------------------------------------------------------------------------
def the_request_named(fake: FakeHilos, case: OperationCase) -> str:
    """`METHOD /path?query` of the operation's (only) request, as it went over the wire."""
    (seen,) = fake.requests_for(case.operation.name)
    return f"{case.operation.method} {seen.request.url.raw_path.decode('ascii')}"


@pytest.mark.parametrize("surface", SURFACES)
@each_operation()
async def test_an_unexpected_request_raises_naming_method_path_and_query_unwrapped_and_not_retried(
    case: OperationCase, surface: str
) -> None:
    fake = FakeHilos()
    arguments = case.every_argument()
    with pytest.raises(UnexpectedRequestError) as caught:
        await call(fake, case, surface, arguments, **retrying(case, retries=3))
    named = the_request_named(fake, case)
    assert str(caught.value).startswith(f"{named}: no answer queued")
    assert case.operation.name in str(caught.value)
    for parameter in case.optional_query_json():
        assert f"{parameter}=" in named  # the query is named too
    assert not isinstance(caught.value, errors.HilosError)
    assert fake.unexpected == [caught.value]
    assert fake.clock.sleeps == []


@pytest.mark.parametrize("surface", SURFACES)
@each_operation()
async def test_an_unexpected_request_the_app_swallowed_fails_on_leaving_the_fake(
    case: OperationCase, surface: str
) -> None:
    with pytest.raises(UnexpectedRequestError) as caught:
        with FakeHilos() as fake:
            try:
                await call(fake, case, surface, case.every_argument())
            except Exception:  # an app that catches everything
                pass
    assert str(caught.value) == str(fake.unexpected[0])
    assert str(caught.value).startswith(the_request_named(fake, case))


@each_operation()
def test_every_unexpected_request_is_named_when_there_are_several(case: OperationCase) -> None:
    fake = FakeHilos()
    for _ in range(2):
        with pytest.raises(UnexpectedRequestError), fake.client() as client:
            case.module().sync_detailed(client=client, **case.required_arguments())
    with pytest.raises(UnexpectedRequestError, match="^2 requests the fake had no answer for:\n") as caught:
        fake.assert_no_unexpected_requests()
    assert str(caught.value).splitlines()[1:] == [f"  {error}" for error in fake.unexpected]


@each_operation()
def test_leaving_the_fake_keeps_the_error_already_raised(case: OperationCase) -> None:
    with pytest.raises(UnexpectedRequestError) as caught:
        with FakeHilos() as fake, fake.client() as client:
            case.module().sync_detailed(client=client, **case.required_arguments())
    assert caught.value is fake.unexpected[0]


@each_operation()
def test_leaving_the_fake_reports_an_unexpected_request_over_the_apps_own_error(case: OperationCase) -> None:
    class AppError(Exception):
        pass

    with pytest.raises(UnexpectedRequestError) as caught:
        with FakeHilos() as fake, fake.client() as client:
            try:
                case.module().sync_detailed(client=client, **case.required_arguments())
            except UnexpectedRequestError:
                raise AppError("the app's own failure") from None
    assert isinstance(caught.value.__context__, AppError)


@each_operation()
def test_leaving_a_fake_that_answered_everything_raises_nothing(case: OperationCase) -> None:
    with FakeHilos() as fake:
        fake.queue(case.operation.name, case.response_json())
        with fake.client() as client:
            case.module().sync_detailed(client=client, **case.required_arguments())
    assert fake.unexpected == []
    fake.assert_no_unexpected_requests()


@each_operation(where=lambda case: case.paginated)
async def test_async_read_ahead_past_a_queued_last_page_gets_the_apis_404_not_an_unexpected_request(
    case: OperationCase,
) -> None:
    page = {**minimal_instance(case.response_schema() or {}), "next": None, "previous": None}
    page["count"] = len(page["results"])
    with FakeHilos() as fake:
        fake.queue(case.operation.name, page)
        async with fake.client() as client:
            read = [item async for item in case.module().asyncio_all(client=client, **case.required_arguments())]
    assert [item.to_dict() for item in read] == page["results"]
    assert fake.unexpected == []
    assert len(fake.requests) > 1  # page 1 and the pages read ahead with it


@each_operation(where=lambda case: case.paginated)
def test_a_page_after_a_queued_page_that_has_a_next_is_unexpected(case: OperationCase) -> None:
    results = [listing_item_json(case, index) for index in range(10)]
    page = {"count": 30, "next": "https://example.invalid/?page=2", "previous": None, "results": results}
    fake = FakeHilos()
    fake.queue(case.operation.name, page)
    with fake.client() as client, pytest.raises(UnexpectedRequestError, match="page=2"):
        list(case.module().sync_all(client=client, **case.required_arguments()))
