"""The User-Agent of every operation, on the wire: `hilos-client/<version> httpx/<version> python/<x.y.z>` unless
the caller chose one (in `headers=`, `with_options(headers=...)`, or on their own httpx client)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

import hilos_client
import httpx
import pytest
from hilos_client import AsyncHilos, Hilos
from hilos_client.client import user_agent

from tests.support.fake_hilos import TOKEN, FakeHilosServer, RecordedRequest
from tests.support.operation_cases import OperationCase, each_operation
from tests.support.resource_calls import call

each_kind = pytest.mark.parametrize("asynchronous", [False, True], ids=["Hilos", "AsyncHilos"])


@pytest.fixture
def api() -> Iterator[FakeHilosServer]:
    with FakeHilosServer() as server:
        yield server.serve_spec()


def make(asynchronous: bool, api: FakeHilosServer, http: str, **options: Any) -> Hilos | AsyncHilos:
    """A client whose httpx client is its own (`http="own"`), or the caller's with httpx's default User-Agent
    (`"yours"`) or one it chose (`"yours, with its User-Agent"`)."""
    headers = {"User-Agent": "their-app/2"} if "its User-Agent" in http else None
    if asynchronous:
        yours_async = httpx.AsyncClient(headers=headers) if http != "own" else None
        return AsyncHilos(base_url=api.base_url, token=TOKEN, http_client=yours_async, **options)
    yours = httpx.Client(headers=headers) if http != "own" else None
    return Hilos(base_url=api.base_url, token=TOKEN, http_client=yours, **options)


def user_agents(request: RecordedRequest) -> list[str]:
    """The User-Agent headers of a request, however their names were spelled."""
    return [value for name, value in request.headers.items() if name.lower() == "user-agent"]


def test_the_user_agent_names_the_package_httpx_and_python() -> None:
    python = ".".join(str(part) for part in sys.version_info[:3])
    assert user_agent() == f"hilos-client/{hilos_client.__version__} httpx/{httpx.__version__} python/{python}"
    assert re.fullmatch(r"hilos-client/\S+ httpx/\S+ python/\d+\.\d+\.\d+", user_agent())


@each_operation()
@each_kind
@pytest.mark.parametrize("http", ["own", "yours", "yours, with its User-Agent"])
async def test_every_call_sends_ours_unless_someone_chose_one(
    case: OperationCase, asynchronous: bool, http: str, api: FakeHilosServer
) -> None:
    await call(make(asynchronous, api, http), case)

    (received,) = api.requests
    assert user_agents(received) == ["their-app/2" if "its User-Agent" in http else user_agent()]


@each_operation()
@each_kind
@pytest.mark.parametrize("http", ["own", "yours", "yours, with its User-Agent"])
async def test_the_callers_headers_decide_whatever_the_httpx_client(
    case: OperationCase, asynchronous: bool, http: str, api: FakeHilosServer
) -> None:
    hilos = make(asynchronous, api, http, headers={"User-Agent": f"my-app/1.0 {user_agent()}"})

    await call(hilos, case)
    await call(hilos.with_options(headers={"user-agent": "my-job/3"}), case)

    first, second = api.requests
    assert user_agents(first) == [f"my-app/1.0 {user_agent()}"]
    assert user_agents(second) == ["my-job/3"]
