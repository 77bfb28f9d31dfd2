"""`import hilos_client` loads only what every program needs: asyncio, httpx-retries and importlib.metadata
come in with the first event loop, the first failed request and the first read of `__version__`."""

from __future__ import annotations

import os
import subprocess
import sys

from pipeline.project import GENERATED

LOADED_AFTER = """
import sys
import hilos_client
print(" ".join(sorted(m for m in ("asyncio", "httpx_retries", "importlib.metadata") if m in sys.modules)))
{then}
print(" ".join(sorted(m for m in ("asyncio", "httpx_retries", "importlib.metadata") if m in sys.modules)))
"""


def loaded(then: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER.format(then=then)],
        env={**os.environ, "PYTHONPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_import_loads_none_of_them_and_version_loads_metadata() -> None:
    assert loaded("assert hilos_client.__version__") == ["", "importlib.metadata"]


def test_a_failed_request_loads_the_retry_policy() -> None:
    # Nothing listens on port 9 of the loopback: the connection is refused, a failure that may be retried.
    then = """
from hilos_client.api.flows import list_flow_execution_contacts
from hilos_client.errors import ApiConnectionError
client = hilos_client.AuthenticatedClient(base_url="http://127.0.0.1:9/api/3", token="t", retries=0)
try:
    list_flow_execution_contacts.sync(client=client)
except ApiConnectionError:
    pass
"""
    assert loaded(then) == ["", "asyncio httpx_retries"]  # httpx-retries imports asyncio itself


def test_an_event_loop_loads_asyncio_and_async_calls_work_without_it_imported_first() -> None:
    then = """
from hilos_client.api.flows import list_flow_execution_contacts
from hilos_client.errors import ApiConnectionError
client = hilos_client.AuthenticatedClient(base_url="http://127.0.0.1:9/api/3", token="t", retries=0)
async def main():
    try:
        await list_flow_execution_contacts.asyncio(client=client)
    except ApiConnectionError:
        pass
    async for _ in list_flow_execution_contacts.asyncio_all(client=client):
        pass
import asyncio
try:
    asyncio.run(main())
except ApiConnectionError:
    pass
"""
    assert loaded(then) == ["", "asyncio httpx_retries"]
