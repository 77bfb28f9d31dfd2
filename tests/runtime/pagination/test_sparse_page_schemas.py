"""Page schemas that require neither `count` nor `results`, as drf-spectacular often writes them.

The current spec, with `count` and `results` taken out of every paginated operation's page schema's
`required`, goes through the real pipeline into a temporary folder. The package must pass `mypy --strict`
and pyright (its listings type against the engine's `Page` protocol without casts), and every paginated
operation's `sync_all()` and `asyncio_all()` must read the sparse pages such a spec allows from the loopback
fake API: every item when pages lack `count` (and `next`), a PaginationError naming the page when one lacks
`results`.
"""

from __future__ import annotations

import copy
import math
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault, RecordedRequest
from tests.support.operation_cases import OPERATION_CASES, SPEC, OperationCase, each_operation, minimal_instance
from tests.support.regenerated import operation, regenerated_package
from tests.support.spec_schema import resolve

PAGE_FIELDS = ("count", "results")
# The fake API's cap on `page_size` in these tests, so that every listing spans pages whatever page size an
# operation asks for (and whether or not it has a `page_size` parameter).
PAGE_SIZE = 10
PAGINATED = [case for case in OPERATION_CASES if case.paginated]
each_paginated_operation = each_operation(where=lambda case: case.paginated)


def page_schema_name(case: OperationCase) -> str:
    schema = case.response_schema()
    assert schema is not None and "$ref" in schema, f"{case.id}: its page is not a component schema"
    return str(schema["$ref"]).rpartition("/")[2]


def sparse_page_schemas() -> dict[str, Any]:
    """The paginated operations' page schemas, without `count` and `results` in their `required`."""
    schemas: dict[str, Any] = {}
    for name in {page_schema_name(case) for case in PAGINATED}:
        schema = copy.deepcopy(SPEC["components"]["schemas"][name])
        required = [field for field in schema.pop("required", []) if field not in PAGE_FIELDS]
        schemas[name] = {**schema, "required": required} if required else schema
    return schemas


def test_the_spec_has_paginated_operations_whose_page_schemas_required_count_and_results() -> None:
    # Otherwise the package below would not differ from generated/, and the tests would prove nothing new.
    assert PAGINATED
    for case in PAGINATED:
        assert set(PAGE_FIELDS) <= set(SPEC["components"]["schemas"][page_schema_name(case)]["required"]), case.id


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The package generated with sparse page schemas, imported as `hilos_client_sparse_pages`."""
    with regenerated_package(
        tmp_path_factory.mktemp("sparse-pages"),
        "hilos_client_sparse_pages",
        paths={},
        schemas={},
        replaced_schemas=sparse_page_schemas(),
    ) as package:
        yield package


def on_disk(package: ModuleType) -> Path:
    """The folder holding the package's directory (named `hilos_client` there, as the type checkers see it)."""
    assert package.__file__ is not None
    return Path(package.__file__).parent.parent


def run_tool(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    tools = Path(sys.executable).parent
    # pyright finds the dependencies through the `python` on PATH, mypy the package through MYPYPATH.
    env = {**os.environ, "MYPYPATH": str(cwd), "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(tools / name), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@each_paginated_operation
def test_the_sparse_page_models_leave_count_and_results_unset(sparse: ModuleType, case: OperationCase) -> None:
    page_model = getattr(sparse.models, page_schema_name(case))
    page = page_model.from_dict({})
    assert page.count is sparse.types.UNSET and page.results is sparse.types.UNSET


def test_the_package_passes_mypy_strict(sparse: ModuleType, mypy_cache: Path) -> None:
    result = run_tool(
        "mypy", "--strict", "--no-error-summary", "--cache-dir", str(mypy_cache), "hilos_client", cwd=on_disk(sparse)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_listings_and_the_engine_pass_pyright(sparse: ModuleType) -> None:
    # The paginated modules, the tag namespaces with their `<operation>_all` methods, and the engine: pyright
    # reads the models they import to type them (the repo runs only `--verifytypes` on the whole package).
    listings = [f"hilos_client/api/{case.operation.tag}/{case.operation.name}.py" for case in PAGINATED]
    namespaces = sorted({f"hilos_client/api/{case.operation.tag}/__init__.py" for case in PAGINATED})
    result = run_tool("pyright", *listings, *namespaces, "hilos_client/_runtime/pagination.py", cwd=on_disk(sparse))
    assert result.returncode == 0, result.stdout + result.stderr


def distinct_items(case: OperationCase, total: int) -> list[dict[str, Any]]:
    """`total` of the sparsest items the operation's page allows, told apart by `id` (the engine recognises
    a repeated page by its items), or by an extra field when the item has no `id`."""
    page = resolve(SPEC, case.response_schema() or {})
    item_schema = resolve(SPEC, page["properties"]["results"]["items"])
    id_schema = resolve(SPEC, item_schema.get("properties", {}).get("id", {}))
    items = []
    for n in range(total):
        item = minimal_instance(item_schema)
        if not id_schema:
            item["position"] = n
        elif id_schema.get("format") == "uuid":
            item["id"] = str(uuid.UUID(int=n + 1))
        else:
            item["id"] = n + 1 if id_schema.get("type") == "integer" else f"item-{n}"
        items.append(item)
    return items


def serve(
    server: FakeHilosServer, case: OperationCase, items: list[dict[str, Any]], *, drop: dict[int, set[str]]
) -> None:
    """Answer the operation with DRF pages of `items`, leaving out of page `n` (0: every page) the keys `drop[n]`."""
    server.max_page_size = PAGE_SIZE

    def answer(request: RecordedRequest, path_params: dict[str, str]) -> Fault:
        fault = server.page_of(items, request)
        number = int(request.param("page") or 1)
        if fault.status == 200:
            left_out = drop.get(0, set()) | drop.get(number, set())
            fault.body = {key: value for key, value in fault.body.items() if key not in left_out}
        return fault

    server.route(case.operation.method, case.operation.path, answer)


async def read_all(
    sparse: ModuleType, case: OperationCase, server: FakeHilosServer, engine: str
) -> list[dict[str, Any]]:
    module = operation(sparse, case.operation.name, case.operation.tag)
    arguments = case.required_arguments()
    if engine == "sync":
        with sparse.AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client:
            return [item.to_dict() for item in module.sync_all(client=client, **arguments)]
    async with sparse.AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client:
        return [item.to_dict() async for item in module.asyncio_all(client=client, **arguments)]


ENGINES = pytest.mark.parametrize("engine", ["sync", "async"])
# What the pages leave out, and how the listing then ends: at the null `next` of the last page, or (without
# `next` either) at the page shorter than page 1 / the 404 after the last full page.
SHAPES = pytest.mark.parametrize(
    "left_out", [{"count"}, {"count", "next", "previous"}], ids=["without-count", "results-only"]
)


@each_paginated_operation
@ENGINES
@SHAPES
@pytest.mark.parametrize("total", [0, 25, 30], ids=["empty", "last-page-short", "last-page-full"])
async def test_pages_without_count_yield_every_item_in_order(
    sparse: ModuleType, fake_api: FakeHilosServer, case: OperationCase, engine: str, left_out: set[str], total: int
) -> None:
    items = distinct_items(case, total)
    serve(fake_api, case, items, drop={0: left_out})
    assert await read_all(sparse, case, fake_api, engine) == items
    pages = [int(r.param("page") or 1) for r in fake_api.requests]
    assert set(range(1, max(1, math.ceil(total / PAGE_SIZE)) + 1)) <= set(pages)
    assert len(pages) == len(set(pages)), "a page was asked for twice"


@each_paginated_operation
@ENGINES
@pytest.mark.parametrize("page", [1, 2])
async def test_a_page_without_results_raises_pagination_error_naming_it(
    sparse: ModuleType, fake_api: FakeHilosServer, case: OperationCase, engine: str, page: int
) -> None:
    items = distinct_items(case, 25)
    serve(fake_api, case, items, drop={page: {"results"}})
    with pytest.raises(sparse.errors.PaginationError, match=rf"page {page}: the page has no `results`") as caught:
        await read_all(sparse, case, fake_api, engine)
    assert (caught.value.operation, caught.value.page) == (case.operation.name, page)
    assert not isinstance(caught.value, sparse.errors.RepeatedPageError)


@each_paginated_operation
@ENGINES
async def test_an_empty_object_as_page_1_raises_pagination_error_naming_results(
    sparse: ModuleType, fake_api: FakeHilosServer, case: OperationCase, engine: str
) -> None:
    serve(fake_api, case, distinct_items(case, 25), drop={1: {"count", "next", "previous", "results"}})
    with pytest.raises(sparse.errors.PaginationError, match=r"page 1: the page has no `results`"):
        await read_all(sparse, case, fake_api, engine)


@each_paginated_operation
@ENGINES
async def test_without_count_a_server_that_ignores_page_raises_repeated_page(
    sparse: ModuleType, fake_api: FakeHilosServer, case: OperationCase, engine: str
) -> None:
    items = distinct_items(case, PAGE_SIZE)
    fake_api.route(
        case.operation.method, case.operation.path, lambda request, params: Fault(status=200, body={"results": items})
    )
    with pytest.raises(sparse.errors.RepeatedPageError) as caught:
        await read_all(sparse, case, fake_api, engine)
    assert caught.value.page == 2
