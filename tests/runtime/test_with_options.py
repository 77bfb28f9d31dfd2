"""`Hilos.with_options()` / `AsyncHilos.with_options()` (and `AuthenticatedClient.with_options()`), on every
operation: the copy shares the original's httpx client, its options take effect on the wire, the original is
unchanged, and only the original closes the connections.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hilos_client import AsyncHilos, Hilos, errors

from tests.runtime.conftest import TEST_BACKOFF
from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault
from tests.support.operation_cases import OperationCase, each_operation
from tests.support.resource_calls import call

each_kind = pytest.mark.parametrize("asynchronous", [False, True], ids=["Hilos", "AsyncHilos"])
EVERY_METHOD = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


@pytest.fixture
def api() -> Iterator[FakeHilosServer]:
    with FakeHilosServer() as server:
        yield server.serve_spec()


class Recorded:
    """The requests httpx hands its transport (an event hook given in httpx_args), extensions included."""

    def __init__(self, asynchronous: bool) -> None:
        self.requests: list[httpx.Request] = []
        if asynchronous:

            async def hook(request: httpx.Request) -> None:
                self.requests.append(request)

            self.httpx_args: dict[str, Any] = {"event_hooks": {"request": [hook]}}
        else:
            self.httpx_args = {"event_hooks": {"request": [self.requests.append]}}


def make(asynchronous: bool, api: FakeHilosServer, **options: Any) -> Hilos | AsyncHilos:
    kind = AsyncHilos if asynchronous else Hilos
    return kind(base_url=api.base_url, token=TOKEN, retry_backoff=TEST_BACKOFF, retry_methods=EVERY_METHOD, **options)


def pool(hilos: Hilos | AsyncHilos) -> httpx.Client | httpx.AsyncClient:
    if isinstance(hilos, AsyncHilos):
        return hilos.client.get_async_httpx_client()
    return hilos.client.get_httpx_client()


async def close(hilos: Hilos | AsyncHilos) -> None:
    if isinstance(hilos, AsyncHilos):
        await hilos.aclose()
    else:
        hilos.close()


@each_operation()
@each_kind
async def test_a_copy_shares_the_pool_and_its_options_reach_the_wire(
    case: OperationCase, asynchronous: bool, api: FakeHilosServer
) -> None:
    recorded = Recorded(asynchronous)
    hilos = make(
        asynchronous,
        api,
        retries=2,
        timeout=httpx.Timeout(20.0),
        headers={"X-Team": "a"},
        httpx_args=recorded.httpx_args,
    )
    # An httpx.Timeout bounds each phase as it is (a number would be cut to the time left for the attempt).
    copy = hilos.with_options(timeout=httpx.Timeout(5.0), retries=0, headers={"X-Trace": "t1"})

    assert type(copy) is type(hilos)
    assert pool(copy) is pool(hilos)
    assert (copy.client.timeout, copy.client.retries) == (httpx.Timeout(5.0), 0)
    assert (hilos.client.timeout, hilos.client.retries) == (httpx.Timeout(20.0), 2)  # the original is unchanged

    api.spec_answers[case.operation.name].append(Fault(status=503))
    with pytest.raises(errors.ServerError):
        await call(copy, case)  # retries=0: one attempt
    await call(hilos, case)  # retries=2: the original's, and its headers and timeout

    copy_request, original_request = recorded.requests
    assert copy_request.extensions["timeout"] == httpx.Timeout(5.0).as_dict()
    assert original_request.extensions["timeout"] == httpx.Timeout(20.0).as_dict()
    copy_sent, original_sent = api.requests
    assert (copy_sent.headers["X-Team"], copy_sent.headers["X-Trace"]) == ("a", "t1")
    assert original_sent.headers["X-Team"] == "a"
    assert "X-Trace" not in original_sent.headers
    assert {sent.headers["Authorization"] for sent in api.requests} == {f"Token {TOKEN}"}
    await close(hilos)


@each_operation()
@each_kind
async def test_retries_of_a_copy_are_counted_on_the_wire(
    case: OperationCase, asynchronous: bool, api: FakeHilosServer
) -> None:
    api.spec_answers[case.operation.name].extend([Fault(status=503), Fault(status=503)])
    hilos = make(asynchronous, api, retries=0)

    await call(hilos.with_options(retries=2), case)

    assert len(api.requests) == 3


@each_operation()
@each_kind
async def test_only_the_original_closes_the_shared_pool(
    case: OperationCase, asynchronous: bool, api: FakeHilosServer
) -> None:
    hilos = make(asynchronous, api)
    copy = hilos.with_options(deadline=30.0)
    copy_of_copy = copy.with_options(retries=1)
    await call(copy, case)

    await close(copy)
    await close(copy_of_copy)
    assert not pool(hilos).is_closed
    await call(copy_of_copy, case)

    await close(hilos)
    with pytest.raises(errors.ClientClosedError):
        await call(copy, case)
    assert len(api.requests) == 2


def test_with_options_leaves_everything_else_as_it_was() -> None:
    hilos = Hilos(base_url="http://127.0.0.1:9/api/3", token=TOKEN, retries=3, rate_limit=2.0, deadline=60.0)
    copy = hilos.with_options(rate_limit=None, max_response_bytes=1024, retry_max_wait=5.0)
    assert (copy.client.rate_limit, copy.client.max_response_bytes, copy.client.retry_max_wait) == (None, 1024, 5.0)
    assert (copy.client.retries, copy.client.deadline, copy.client.token) == (3, 60.0, TOKEN)
    assert hilos.client.rate_limit == 2.0
    with pytest.raises(errors.ConfigurationError, match="retries"):
        hilos.with_options(retries=-1)
    with pytest.raises(TypeError):
        hilos.with_options(token="other")  # type: ignore[call-arg]
