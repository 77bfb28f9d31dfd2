"""A small app written only from README.md, as a new user of hilos-client would write it.

tests/publish/test_readme_app.py copies this folder out of the source tree, type-checks it (mypy --strict,
pyright strict) and runs it and its tests (test_app.py) with a fresh virtualenv that has the published
wheel, so everything here must come from what the README shows.

As a script: `python app.py report [--deadline SECONDS]` reads one page of flow execution contacts through
the app's own httpx client (HILOS_API_TOKEN and HILOS_BASE_URL as for `Hilos.from_env()`, and APP_PROXY_URL,
the app's own setting, for a proxy mount) and prints what happened as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from hilos_client import Hilos, errors
from hilos_client.client import DEFAULT_DEADLINE
from hilos_client.models import FlowExecutionContactListSimple, PaginatedFlowExecutionContactListSimpleList
from hilos_client.types import Page

ContactsPage = Page[PaginatedFlowExecutionContactListSimpleList, FlowExecutionContactListSimple]


# -- Usage / Testing your app: the app's code takes the client as an argument -----------------------------
def active_phones(hilos: Hilos) -> list[str]:
    """The phone of every active contact, every page read (`<operation>_all()`)."""
    items = hilos.flows.list_flow_execution_contacts_all(is_active=True)
    return [item.contact.phone for item in items]


# -- Raw responses and per-call extras ------------------------------------------------------------------
def contacts_status(hilos: Hilos, request_id: str) -> tuple[int, int | None]:
    """The status code of the first page and its count (None when the answer is not a documented page)."""
    response = hilos.with_raw_response.flows.list_flow_execution_contacts(
        page_size=10, extra_headers={"X-Request-Id": request_id}, extra_query={"ordering": "-created_on"}
    )
    count = response.parsed.count if response.parsed is not None else None
    return response.status_code, count


# -- with_options --------------------------------------------------------------------------------------
def patient(hilos: Hilos) -> Hilos:
    """A copy for the nightly job: 120 s per attempt, 5 retries, its own request id; `hilos` is unchanged."""
    return hilos.with_options(timeout=120.0, retries=5, headers={"X-Request-Id": "nightly-export"})


def executions_count(hilos: Hilos) -> int:
    return hilos.flows.list_flow_executions().count


# -- Pages, and resuming a read ------------------------------------------------------------------------
def nightly_export(hilos: Hilos, checkpoint: Path, process: Callable[[ContactsPage], None]) -> None:
    """Read every page from where the last run stopped, saving the next page to read after each one."""
    start_page = json.loads(checkpoint.read_text())["next_page"] if checkpoint.exists() else 1
    for page in hilos.flows.list_flow_execution_contacts_pages(page_size=10, start_page=start_page):
        process(page)
        if page.next_page is None:
            checkpoint.unlink(missing_ok=True)  # done: the next run starts at page 1
        else:
            checkpoint.write_text(json.dumps({"next_page": page.next_page}))


# -- Unknown enum values: pages survive pickling, so a worker process can return one -------------------
def same_page(page: PaginatedFlowExecutionContactListSimpleList) -> PaginatedFlowExecutionContactListSimpleList:
    """What a ProcessPoolExecutor worker gives back: the page, pickled there and back."""
    return page


def unknown_statuses(page: PaginatedFlowExecutionContactListSimpleList) -> list[str]:
    unknown: list[str] = []
    for item in page.results:
        status = item.status  # UNSET (falsy) when the API leaves the field out
        if status and status.is_unknown:
            unknown.append(str(status))
    return unknown


# -- Your own httpx client -----------------------------------------------------------------------------
def own_http_client(seen: list[str], mounts: dict[str, httpx.BaseTransport]) -> httpx.Client:
    """The app's httpx client: an event hook that notes every request's URL, and the app's mounts."""

    def note(request: httpx.Request) -> None:
        seen.append(str(request.url))

    return httpx.Client(event_hooks={"request": [note]}, mounts=mounts, limits=httpx.Limits(max_connections=5))


def report(deadline: float) -> dict[str, Any]:
    """One page of contacts through the app's own httpx client, with a proxy mount when APP_PROXY_URL is set."""
    seen: list[str] = []
    proxy = os.environ.get("APP_PROXY_URL")
    mounts: dict[str, httpx.BaseTransport] = {"http://": httpx.HTTPTransport(proxy=proxy)} if proxy else {}
    http = own_http_client(seen, mounts)
    try:
        with Hilos.from_env(http_client=http, retries=2, retry_backoff=0.01, deadline=deadline) as hilos:
            response = hilos.with_raw_response.flows.list_flow_execution_contacts()
            count = response.parsed.count if response.parsed is not None else None
            result: dict[str, Any] = {"status": response.status_code, "attempts": response.attempts, "count": count}
    except errors.ApiTimeoutError as exc:
        result = {"error": type(exc).__name__, "limit": exc.limit, "attempts": exc.attempts}
    result.update(seen=seen, http_client_open=not http.is_closed)
    http.close()  # yours to close
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="app")
    commands = parser.add_subparsers(dest="command", required=True)
    report_command = commands.add_parser("report")
    report_command.add_argument("--deadline", type=float, default=DEFAULT_DEADLINE)
    arguments = parser.parse_args(argv)
    deadline: float = arguments.deadline
    print(json.dumps(report(deadline)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
