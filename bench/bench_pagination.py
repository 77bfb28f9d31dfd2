"""Benchmark of auto-pagination against the loopback fake Hilos API (`make bench`). Not a test: it prints one
table of measurements taken side by side in one run.

1. Wall time to read 100 pages x 100 items with 50 ms of server latency per request: (a) the hand loop over
   `sync()` that a user of the stock generator writes, the same loop over our `sync()`, (b) `sync_all`,
   (c) `asyncio_all`; ratio to (a).
2. Peak memory (tracemalloc) while iterating every item with `sync_all`, at two totals, against loading all
   items into a list: `sync_all`'s peak must not grow with the total.
3. Parse cost per item of a 100-item page (JSON bytes -> models), as a ratio to `json.loads` of the same bytes,
   for our generated models and for the stock generator's (generated here, from the same patched spec,
   without our templates, into a temporary folder and imported as `stock_hilos_client`).

The server runs in a child process, so its JSON encoding neither competes with the client for the GIL nor
shows up in the client's tracemalloc figures. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from types import ModuleType
from typing import Any

# Repeats pipeline.project.ROOT, which cannot be imported before ROOT is on sys.path.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

import hilos_client  # noqa: E402
from hilos_client import AuthenticatedClient  # noqa: E402
from hilos_client.api import DEFAULT_CONCURRENCY  # noqa: E402
from hilos_client.api.flows import list_flow_execution_contacts as ours  # noqa: E402
from hilos_client.models import PaginatedFlowExecutionContactListSimpleList  # noqa: E402

from pipeline.project import PATCHED_SPEC_FILE  # noqa: E402
from tests.support.fake_hilos import TOKEN, FakeHilosServer, make_contacts  # noqa: E402

PAGES = 100
PAGE_SIZE = 100
LATENCY = 0.05
WALL_RUNS = 3  # median of this many runs per variant (the machine may be shared) ...
ASYNC_WALL_RUNS = 5  # ... and of more for the short asyncio_all runs, whose relative noise is larger
MEMORY_TOTALS = (10_000, 100_000)
STOCK_PACKAGE = "stock_hilos_client"

Row = tuple[str, str, str, str]


# -- the loopback server, in a child process ---------------------------------------------------------------
def _serve(total: int, latency: float, connection: Connection) -> None:
    with FakeHilosServer(make_contacts(total)) as server:
        server.latency = latency
        connection.send(server.base_url)
        connection.recv()  # until the parent says stop


@contextmanager
def fake_api(total: int, latency: float = 0.0) -> Iterator[str]:
    """The base URL of a fake API serving `total` contacts, each answer `latency` seconds late."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("fork").Process(target=_serve, args=(total, latency, child), daemon=True)
    process.start()
    try:
        yield parent.recv()
    finally:
        parent.send("stop")
        process.join(timeout=10)


# -- the stock generator's client, for comparison -----------------------------------------------------------
def generate_stock_client(into: Path) -> ModuleType:
    """Run openapi-python-client with its own templates on our patched spec; import the result."""
    config = into / "config.yaml"
    config.write_text("post_hooks: []\n", encoding="utf-8")
    subprocess.run(
        [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path",
            str(ROOT / PATCHED_SPEC_FILE),
            "--meta",
            "none",
            "--config",
            str(config),
            "--output-path",
            str(into / STOCK_PACKAGE),
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(into))
    return importlib.import_module(STOCK_PACKAGE)


# -- 1. wall time -------------------------------------------------------------------------------------------
def hand_loop(package: ModuleType, client: Any) -> int:
    """What a user of the stock generator writes: ask page after page until `next` is empty."""
    operation = importlib.import_module(f"{package.__name__}.api.flows.list_flow_execution_contacts")
    seen, page = 0, 1
    while True:
        result = operation.sync(client=client, page=page, page_size=PAGE_SIZE)
        for _ in result.results:
            seen += 1
        if not result.next_:
            return seen
        page += 1


def run_sync_all(client: AuthenticatedClient) -> int:
    return sum(1 for _ in ours.sync_all(client=client, page_size=PAGE_SIZE))


async def run_asyncio_all(client: AuthenticatedClient, concurrency: int) -> int:
    seen = 0
    async for _ in ours.asyncio_all(client=client, page_size=PAGE_SIZE, concurrency=concurrency):
        seen += 1
    return seen


def median_wall(run: Callable[[], int], expected: int, runs: int = WALL_RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        seen = run()
        times.append(time.perf_counter() - started)
        if seen != expected:
            raise SystemExit(f"bench: FAILED: read {seen} items, expected {expected}")
    return statistics.median(times)


def wall_times(stock: ModuleType) -> list[Row]:
    total = PAGES * PAGE_SIZE
    results: list[tuple[str, float]] = []
    with fake_api(total, LATENCY) as base_url:

        def with_stock() -> int:
            with stock.AuthenticatedClient(base_url=base_url, token=TOKEN, prefix="Token") as client:
                return hand_loop(stock, client)

        def with_ours(body: Callable[[AuthenticatedClient], int]) -> Callable[[], int]:
            def run() -> int:
                with AuthenticatedClient(base_url=base_url, token=TOKEN) as client:
                    return body(client)

            return run

        def with_ours_async(concurrency: int) -> Callable[[], int]:
            async def main() -> int:
                async with AuthenticatedClient(base_url=base_url, token=TOKEN) as client:
                    return await run_asyncio_all(client, concurrency)

            return lambda: asyncio.run(main())

        results.append(("(a) hand loop over `sync()`, stock generator", median_wall(with_stock, total)))
        results.append(
            (
                "hand loop over `sync()`, hilos_client",
                median_wall(with_ours(lambda c: hand_loop(hilos_client, c)), total),
            )
        )
        results.append(("(b) `sync_all`", median_wall(with_ours(run_sync_all), total)))
        for concurrency in sorted({4, DEFAULT_CONCURRENCY, 16}):
            label = f"(c) `asyncio_all`, concurrency={concurrency}"
            if concurrency == DEFAULT_CONCURRENCY:
                label += " (default)"
            results.append((label, median_wall(with_ours_async(concurrency), total, ASYNC_WALL_RUNS)))
    baseline = results[0][1]
    what = f"{PAGES} pages x {PAGE_SIZE} items, {LATENCY * 1000:.0f} ms latency: wall time"
    return [
        (what if i == 0 else "", label, f"{seconds:.2f} s", f"{baseline / seconds:.2f}x the speed of (a)")
        for i, (label, seconds) in enumerate(results)
    ]


# -- 2. peak memory -----------------------------------------------------------------------------------------
def peak_bytes(base_url: str, keep_all: bool) -> int:
    with AuthenticatedClient(base_url=base_url, token=TOKEN) as client:
        ours.sync(client=client, page_size=1)  # connection and imports warm, outside the measurement
        tracemalloc.start()
        if keep_all:
            kept = list(ours.sync_all(client=client, page_size=PAGE_SIZE))
            del kept
        else:
            for _ in ours.sync_all(client=client, page_size=PAGE_SIZE):
                pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def memory() -> list[Row]:
    rows: list[Row] = []
    streaming: dict[int, int] = {}
    listed: dict[int, int] = {}
    for total in MEMORY_TOTALS:
        with fake_api(total) as base_url:
            streaming[total] = peak_bytes(base_url, keep_all=False)
            listed[total] = peak_bytes(base_url, keep_all=True)
    small = MEMORY_TOTALS[0]
    for i, total in enumerate(MEMORY_TOTALS):
        rows.append(
            (
                "peak memory (tracemalloc) reading every item" if i == 0 else "",
                f"`sync_all`, {total:,} items",
                f"{streaming[total] / 2**20:.2f} MiB",
                f"{streaming[total] / streaming[small]:.2f}x the {small:,}-item peak",
            )
        )
    for total in MEMORY_TOTALS:
        rows.append(
            (
                "",
                f"`list(sync_all(...))`, {total:,} items",
                f"{listed[total] / 2**20:.1f} MiB",
                f"{listed[total] / listed[small]:.2f}x the {small:,}-item peak",
            )
        )
    return rows


# -- 3. parse cost ------------------------------------------------------------------------------------------
def parse_costs(stock: ModuleType) -> list[Row]:
    body = json.dumps(
        {"count": 10_000, "next": "http://127.0.0.1/?page=2", "previous": None, "results": make_contacts(PAGE_SIZE)}
    ).encode()
    stock_page = importlib.import_module(f"{STOCK_PACKAGE}.models").PaginatedFlowExecutionContactListSimpleList
    variants: dict[str, Callable[[], object]] = {
        "`json.loads` alone": lambda: json.loads(body),
        "hilos_client models": lambda: PaginatedFlowExecutionContactListSimpleList.from_dict(json.loads(body)),
        "stock generator models": lambda: stock_page.from_dict(json.loads(body)),
    }
    best = {name: float("inf") for name in variants}
    for _ in range(15):  # interleaved, best of 15: the machine is shared
        for name, parse in variants.items():
            best[name] = min(best[name], timeit.timeit(parse, number=50) / 50)
    loads = best["`json.loads` alone"]
    return [
        (
            f"parse a {PAGE_SIZE}-item page, bytes -> models: time per item" if i == 0 else "",
            name,
            f"{seconds / PAGE_SIZE * 1e6:.1f} µs",
            f"{seconds / loads:.1f}x `json.loads`",
        )
        for i, (name, seconds) in enumerate(best.items())
    ]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hilos-bench-") as temp:
        stock = generate_stock_client(Path(temp))
        print(f"bench: machine: {machine()}", flush=True)
        print("bench: measuring wall times (about a minute)...", flush=True)
        rows = wall_times(stock)
        print("bench: measuring peak memory...", flush=True)
        rows += memory()
        print("bench: measuring parse cost...", flush=True)
        rows += parse_costs(stock)
    header: Row = ("measurement", "variant", "result", "ratio")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    print()
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |")
    print(f"\nMachine: {machine()}. Benchmark run time: {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
