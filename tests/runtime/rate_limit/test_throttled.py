"""Against a server enforcing the documented limit: reading every page sends at most the limit in any second
and draws no 429; a 429 pauses the whole budget; the pause respects the call's deadline.

Structural assertions only (ThrottledServer records each arrival and each 429): no wall-clock bounds.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hilos_client import AsyncHilos, AuthenticatedClient, Hilos
from hilos_client.api.flows import list_flow_execution_contacts as operation
from hilos_client.errors import RateLimitError

from tests.support.throttled_server import ThrottledServer

GENERATED = Path(__file__).resolve().parents[3] / "generated"
PAGE_SIZE = 100


def client_for(server: ThrottledServer, **options: object) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=server.base_url, token=server.token, **options)  # type: ignore[arg-type]


def assert_within_the_limit(server: ThrottledServer) -> None:
    assert server.rejections == []
    assert server.max_in_window() <= server.rate


@pytest.mark.usefixtures("default_limit")
def test_sync_all_at_the_documented_limit_by_default() -> None:
    # The API's own 5 per second: 12 pages.
    with ThrottledServer(rate=5, retry_after=30, latency=0.05, total=12 * PAGE_SIZE) as server:
        client = client_for(server)
        assert client.rate_limit == 5.0
        items = list(operation.sync_all(client=client, page_size=PAGE_SIZE))
    assert len(items) == 12 * PAGE_SIZE
    assert_within_the_limit(server)
    assert server.max_in_window() == 5  # it does use the budget


@pytest.mark.usefixtures("default_limit")
async def test_asyncio_all_at_the_documented_limit_by_default() -> None:
    with ThrottledServer(rate=5, retry_after=30, latency=0.05, total=12 * PAGE_SIZE) as server:
        client = client_for(server)
        items = [item async for item in operation.asyncio_all(client=client, page_size=PAGE_SIZE)]
    assert len(items) == 12 * PAGE_SIZE
    assert_within_the_limit(server)


def test_hilos_all_methods_sync_and_async_share_the_budget() -> None:
    with ThrottledServer(rate=40, retry_after=30, latency=0.01, total=40 * 20) as server:
        hilos = Hilos(server.base_url, token=server.token, rate_limit=40, allow_insecure_http=True)
        async_hilos = AsyncHilos(server.base_url, token=server.token, rate_limit=40)

        async def read_async() -> int:
            return len([x async for x in async_hilos.flows.list_flow_execution_contacts_all(page_size=20)])

        results: list[int] = []
        thread = threading.Thread(target=lambda: results.append(asyncio.run(read_async())))
        thread.start()
        results.append(len(list(hilos.flows.list_flow_execution_contacts_all(page_size=20))))
        thread.join()
    assert results == [800, 800]
    assert_within_the_limit(server)


def test_threads_and_event_loops_of_one_account_draw_from_one_budget() -> None:
    # Four client objects (two sync in threads, two async in their own event loops), one token: one budget.
    with ThrottledServer(rate=30, retry_after=30, latency=0.01, total=15 * 10) as server:

        def sync_reader() -> None:
            assert len(list(operation.sync_all(client=client_for(server, rate_limit=30), page_size=10))) == 150

        def async_reader() -> None:
            async def main() -> int:
                client = client_for(server, rate_limit=30)
                return len([x async for x in operation.asyncio_all(client=client, page_size=10)])

            assert asyncio.run(main()) == 150

        threads = [threading.Thread(target=target) for target in (sync_reader, sync_reader, async_reader, async_reader)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(server.arrivals) >= 60
    assert_within_the_limit(server)


def test_the_command_line_all_is_paced(tmp_path: Path) -> None:
    with ThrottledServer(rate=30, retry_after=30, latency=0.01, total=45 * 10) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HILOS_")}
        env |= {
            "PYTHONPATH": str(GENERATED),
            "HILOS_API_TOKEN": server.token,
            "HILOS_BASE_URL": server.base_url,
            "HILOS_RATE_LIMIT": "30",
        }
        command = [sys.executable, "-m", "hilos_client", "flows", "list-flow-execution-contacts", "--all"]
        done = subprocess.run([*command, "--page-size", "10"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 450
    assert len(server.arrivals) == 45
    assert_within_the_limit(server)


def test_a_429_pauses_every_request_of_the_account_together() -> None:
    # The client believes in 1000 per second, the server allows 20 and says nothing but 429 with Retry-After:
    # every 429 stops the in-flight retries and the queued pages alike until its Retry-After has passed.
    with ThrottledServer(rate=20, retry_after=1, latency=0.01, total=60 * 10, send_rate_headers=False) as server:
        client = client_for(server, rate_limit=1000, retries=6)

        async def main() -> int:
            return len([x async for x in operation.asyncio_all(client=client, page_size=10, concurrency=8)])

        assert asyncio.run(main()) == 600
    assert server.rejections, "the server never throttled: the test proves nothing"
    # Requests already on their way when a 429 was sent may arrive just after it; nothing after that.
    late = [a for r in server.rejections for a in server.arrivals if r.at + 0.25 < a.at < r.at + r.retry_after]
    assert late == []
    assert len(server.rejections) <= 8 * 3  # a few per pause (those in flight), not one per retry of each page


def test_ratelimit_headers_tighten_the_pace() -> None:
    # The server says 10 per second in RateLimit-Limit: a client configured for 100 follows it after one answer.
    with ThrottledServer(rate=10, retry_after=30, latency=0.01, total=20 * 10) as server:
        client = client_for(server, rate_limit=100)
        assert len(list(operation.sync_all(client=client, page_size=10))) == 200
    assert server.max_in_window() <= 10
    assert len(server.rejections) <= 1


def test_a_pause_past_the_deadline_raises_rate_limit_error_without_sending() -> None:
    with ThrottledServer(rate=1, retry_after=30, latency=0.0, total=10, send_rate_headers=False) as server:
        client = client_for(server, rate_limit=1000, deadline=2.0)
        operation.sync(client=client)
        with pytest.raises(RateLimitError) as first:
            operation.sync(client=client)  # the server's 429: its Retry-After (30 s) is past the deadline
        assert first.value.retry_after == 30
        sent = len(server.arrivals)
        with pytest.raises(RateLimitError) as paused:
            operation.sync(client=client_for(server, rate_limit=1000, deadline=2.0))  # another client, same account
        assert len(server.arrivals) == sent  # nothing was sent while paused
        assert paused.value.retry_after is not None and 28 < paused.value.retry_after <= 30
        assert "sekrit" not in str(paused.value) and "paused" in str(paused.value)


def test_the_pause_never_exceeds_retry_max_wait() -> None:
    with ThrottledServer(rate=1, retry_after=30, latency=0.0, total=10, send_rate_headers=False) as server:
        client = client_for(server, rate_limit=1000, retry_max_wait=1.0, retries=3)
        operation.sync(client=client)
        operation.sync(client=client)  # 429 Retry-After: 30, honoured for retry_max_wait (1 s) only, then 200
    assert len(server.rejections) >= 1
    statuses = [a.status for a in server.arrivals]
    assert statuses[-1] == 200
    rejected = server.rejections[0]
    after = [a for a in server.arrivals if a.at > rejected.at]
    assert after and all(a.at - rejected.at >= 0.95 for a in after)  # paused for the 1 s, no less


@pytest.fixture
def default_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client's own default: the spec's limit (the suite turns it off for the unthrottled fakes)."""
    monkeypatch.delenv("HILOS_RATE_LIMIT", raising=False)
