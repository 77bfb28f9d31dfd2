"""`import hilos_client` loads only what every program needs: asyncio, httpx-retries and importlib.metadata
come in with the first event loop, the first failed request and the first read of `__version__` (or the first
request, whose User-Agent holds the version, unless the caller set one); the clients,
attrs, the models and the tags' packages when first used; an operation module, what its calls need."""

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
    assert loaded(then) == ["", "asyncio httpx_retries importlib.metadata"]  # httpx-retries imports asyncio itself
    assert loaded(then.replace('token="t"', 'token="t", headers={"User-Agent": "mine"}')) == [
        "",
        "asyncio httpx_retries",
    ]


def test_a_sync_clients_transport_loads_no_asyncio() -> None:
    # The async transport's asyncio network backend (`_runtime/asyncio_backend.py`) loads in an event loop only.
    then = """
client = hilos_client.AuthenticatedClient(base_url="http://127.0.0.1:9/api/3", token="t")
client.get_httpx_client()
"""
    assert loaded(then) == ["", "importlib.metadata"]  # metadata: the User-Agent's version


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
    assert loaded(then) == ["", "asyncio httpx_retries importlib.metadata"]  # metadata: the User-Agent's version


def run(script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


PACKAGE_MODULES = """
import sys
import {module}
print(" ".join(sorted(m for m in sys.modules if m == "attrs" or m.startswith("hilos_client"))))
"""


def test_import_loads_neither_the_clients_nor_attrs_nor_models_nor_operations() -> None:
    assert run(PACKAGE_MODULES.format(module="hilos_client")).split() == [
        "hilos_client",
        "hilos_client._runtime",
        "hilos_client._runtime.lazy",  # the module __getattr__ that imports the rest on first use
        "hilos_client._runtime.resources",
    ]


def test_an_operation_module_loads_neither_the_cli_nor_the_testing_fake() -> None:
    loaded = run(PACKAGE_MODULES.format(module="hilos_client.api.flows.list_flow_execution_contacts")).split()
    assert "hilos_client.api.flows.list_flow_execution_contacts" in loaded
    unneeded = ["cli", "testing", "client", "_runtime.cli", "_runtime.testing", "_runtime.metadata"]
    assert [m for m in loaded if m.partition(".")[2] in unneeded] == []


def test_the_lazy_names_are_listed_and_each_way_in_finds_the_same_objects() -> None:
    script = """
import hilos_client
names = dir(hilos_client)
print(all(name in names for name in hilos_client.__all__))
from hilos_client import api, errors, models, types
from hilos_client.client import AuthenticatedClient, Client
print(hilos_client.AuthenticatedClient is AuthenticatedClient, hilos_client.Client is Client)
print(hilos_client.api is api, hilos_client.errors is errors, hilos_client.models is models, hilos_client.types is types)
"""
    assert run("import hilos_client; print(hilos_client.api.flows.FlowsOperations.__name__)") == "FlowsOperations\n"
    assert run(script).split() == ["True"] * 7


def test_every_way_to_a_client_has_the_spec_server_without_the_package_client_module() -> None:
    # The package's `client` module is not what gives the clients the spec's server: `Hilos`, the test fake
    # and the command line reach the runtime's client directly.
    script = """
import sys
from hilos_client import Hilos
from hilos_client._runtime.client import Client
from hilos_client.testing import FakeHilos
print("hilos_client.client" in sys.modules, Client.server.url_template)
hilos = Hilos.from_env(environ={"HILOS_API_TOKEN": "t", "HILOS_ACCOUNT_NAME": "acme"})
print(hilos.client.base_url)
"""
    assert run(script).split() == [
        "False",
        "https://{youraccountname}.api-us1.com/api/3",
        "https://acme.api-us1.com/api/3",
    ]


def test_with_raw_response_and_its_tags_load_no_operation_module() -> None:
    script = """
import sys
import hilos_client
hilos = hilos_client.Hilos(base_url="http://127.0.0.1:9/api/3", token="t")
assert hilos.with_raw_response.flows is hilos.with_raw_response.flows
print(sorted(m for m in sys.modules if m.startswith("hilos_client.api.flows.")))
"""
    assert run(script) == "[]\n"
