"""rate_limit_url: the budget and the pause live in a real Redis (started by the suite on 127.0.0.1), shared
by every process that names it; an unreachable Redis is a ConfigurationError, never a silent local budget."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from hilos_client import AuthenticatedClient
from hilos_client._runtime.rate_limit import REDIS_KEY_PREFIX
from hilos_client.api.flows import list_flow_execution_contacts as operation
from hilos_client.errors import ConfigurationError, RateLimitError

from tests.support.redis_server import unused_redis_url
from tests.support.throttled_server import ThrottledServer

ROOT = Path(__file__).resolve().parents[3]
PROCESSES = 3


def test_three_processes_of_one_account_stay_under_its_limit_together(redis_url: str) -> None:
    # 3 processes x 8 pages, two sync and one async, against 10 per second: one budget in Redis.
    with ThrottledServer(rate=10, retry_after=30, latency=0.02, total=8 * 10) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HILOS_")}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "generated"), str(ROOT)])
        env["HILOS_RATE_LIMIT"] = "10"
        start_at = str(time.time() + 3.0)  # after every process has imported the client
        command = [sys.executable, "-m", "tests.support.page_reader", server.base_url, server.token, redis_url, "10"]
        flags = [[], [], ["--async"]]
        readers = [
            subprocess.Popen([*command, *flag, "--start-at", start_at], env=env, stdout=subprocess.PIPE, text=True)
            for flag in flags
        ]
        outputs = [reader.communicate(timeout=120)[0] for reader in readers]
    assert [reader.returncode for reader in readers] == [0] * PROCESSES
    assert [output.strip() for output in outputs] == ["80"] * PROCESSES
    assert len(server.arrivals) == 8 * PROCESSES
    assert server.rejections == []
    assert server.max_in_window() <= 10


def test_two_clients_share_the_pause_through_redis(redis_url: str) -> None:
    with ThrottledServer(rate=1, retry_after=30, latency=0.0, total=10, send_rate_headers=False) as server:

        def client() -> AuthenticatedClient:
            return AuthenticatedClient(
                base_url=server.base_url, token=server.token, rate_limit=1000, rate_limit_url=redis_url, deadline=2
            )

        operation.sync(client=client())
        with pytest.raises(RateLimitError):
            operation.sync(client=client())  # the server's 429: Retry-After 30 pauses the budget in Redis
        sent = len(server.arrivals)

        async def paused_call() -> None:
            await operation.asyncio(client=client())

        with pytest.raises(RateLimitError) as paused:
            asyncio.run(paused_call())
        assert len(server.arrivals) == sent  # the other client sent nothing while the budget was paused
        assert paused.value.retry_after is not None and paused.value.retry_after > 25


def test_redis_keys_hold_a_hash_never_the_token(redis_url: str) -> None:
    with ThrottledServer(rate=20, latency=0.0, total=30) as server:
        client = AuthenticatedClient(
            base_url=server.base_url, token=server.token, rate_limit=20, rate_limit_url=redis_url
        )
        assert len(list(operation.sync_all(client=client, page_size=10))) == 30
    keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("*") if isinstance(key, bytes)]
    assert keys and all(key.startswith(REDIS_KEY_PREFIX) for key in keys)
    assert not any(server.token in key for key in keys)


def test_an_unreachable_redis_is_a_configuration_error_at_first_use() -> None:
    url = unused_redis_url().replace("redis://", "redis://user:hunter2@")
    with ThrottledServer(rate=20, latency=0.0, total=10) as server:
        client = AuthenticatedClient(base_url=server.base_url, token=server.token, rate_limit=20, rate_limit_url=url)
        with pytest.raises(ConfigurationError, match="cannot be used") as failed:
            operation.sync(client=client)
        with pytest.raises(ConfigurationError):

            async def call() -> None:
                await operation.asyncio(client=client)

            asyncio.run(call())
    assert server.arrivals == []  # never a silent per-process budget
    assert "hunter2" not in str(failed.value) and "never falls back" in str(failed.value)
