"""hilos_client.testing's FakeHilos serves every operation of the spec, through every surface of the package:
the module functions (`sync` / `asyncio`, `sync_all` / `asyncio_all`) and the `Hilos` / `AsyncHilos` methods."""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hilos_client import AsyncHilos, Hilos, errors
from hilos_client.testing import FAKE_TOKEN, FakeHilos, UnexpectedRequestError

from tests.support.operation_cases import OPERATION_CASES, SPEC, OperationCase, each_operation, minimal_instance
from tests.support.spec_schema import resolve

SURFACES = ["module.sync", "module.asyncio", "Hilos", "AsyncHilos"]
NO_PATH_BASE_URL = "https://fake.invalid"


async def call(fake: FakeHilos, case: OperationCase, surface: str) -> Any:
    """One call of the operation with its required arguments, through `surface`."""
    arguments = case.required_arguments()
    tag, name = case.operation.tag, case.operation.name
    if surface == "module.sync":
        with fake.client() as client:
            return case.module().sync(client=client, **arguments)
    if surface == "module.asyncio":
        async with fake.client() as client:
            return await case.module().asyncio(client=client, **arguments)
    if surface == "Hilos":
        with fake.hilos() as hilos:
            return getattr(getattr(hilos, tag), name)(**arguments)
    async with fake.async_hilos() as async_hilos:
        return await getattr(getattr(async_hilos, tag), name)(**arguments)


def sent_path_params(case: OperationCase) -> dict[str, str]:
    """The path parameters of `case.required_arguments()` as the request carries them (by their spec names)."""
    arguments = case.path_arguments()
    return {
        parameter["name"]: str(arguments[case.python_name(parameter)])
        for parameter in case.parameters
        if parameter["in"] == "path"
    }


def sent_body(case: OperationCase) -> Any:
    body = case.required_arguments().get("body")
    return None if body is None else body.to_dict()


def listing_item_json(case: OperationCase, index: int) -> dict[str, Any]:
    """The sparsest item of a paginated listing, told apart from the others by an `id` when it has one (the
    pagination engine recognises a repeated page by its items' ids) and by a field beyond the spec's (kept
    by the models as an additional property, so it survives parsing and `to_dict()`)."""
    page = resolve(SPEC, case.response_schema() or {})
    item_schema = resolve(SPEC, page["properties"]["results"]["items"])
    item: dict[str, Any] = {**minimal_instance(item_schema), "fake_index": index}
    if "id" in item_schema.get("properties", {}):
        id_schema = resolve(SPEC, item_schema["properties"]["id"])
        if id_schema.get("format") == "uuid":
            item["id"] = str(uuid.UUID(int=index + 1))
        else:
            item["id"] = index + 1 if id_schema.get("type") == "integer" else f"item-{index}"
    return item


@pytest.mark.parametrize("surface", SURFACES)
@each_operation()
async def test_every_operation_answers_what_was_queued_and_logs_the_request(case: OperationCase, surface: str) -> None:
    fake = FakeHilos()
    answer = case.response_json()
    fake.queue(case.module(), answer, status=case.success_status)
    got = await call(fake, case, surface)
    if answer is None:
        assert got is None
    else:
        assert got.to_dict() == answer
    (seen,) = fake.requests
    assert seen.operation == case.operation.name
    assert seen.method == case.operation.method
    assert seen.path_params == sent_path_params(case)
    assert seen.json == sent_body(case)
    assert fake.requests_for(case.operation.name) == [seen]


@each_operation()
def test_an_answer_queued_without_a_status_is_the_operations_documented_success(case: OperationCase) -> None:
    fake = FakeHilos()
    fake.queue(case.operation.name, case.response_json())
    with fake.client() as client:
        response = case.module().sync_detailed(client=client, **case.required_arguments())
    assert response.status_code == case.success_status
    assert (response.content == b"") == (case.response_json() is None)


ERROR_TRIGGERS: list[tuple[Callable[[FakeHilos, str], None], type[errors.HilosError]]] = [
    (FakeHilos.queue_unauthorized, errors.AuthenticationError),
    (FakeHilos.queue_not_found, errors.NotFoundError),
    (lambda fake, name: fake.queue_rate_limited(name, retry_after=3), errors.RateLimitError),
    (FakeHilos.queue_server_error, errors.ServerError),
    (lambda fake, name: fake.queue_server_error(name, status=503), errors.ServerError),
    (FakeHilos.queue_timeout, errors.ApiTimeoutError),
    (FakeHilos.queue_connection_error, errors.ApiConnectionError),
]


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(
    ("trigger", "error"), ERROR_TRIGGERS, ids=["401", "404", "429", "500", "503", "timeout", "connection"]
)
@each_operation()
async def test_every_operation_raises_each_queued_error_as_its_class(
    case: OperationCase,
    trigger: Callable[[FakeHilos, str], None],
    error: type[errors.HilosError],
    surface: str,
) -> None:
    fake = FakeHilos()
    trigger(fake, case.operation.name)
    with pytest.raises(error) as caught:
        await call(fake, case, surface)
    if isinstance(caught.value, errors.RateLimitError):
        assert caught.value.retry_after == 3
    (seen,) = fake.requests_for(case.operation.name)
    assert seen.path_params == sent_path_params(case)


@pytest.mark.parametrize("surface", ["module.sync", "Hilos"])
@each_operation()
def test_a_retrying_client_gets_the_answer_queued_after_a_rate_limit(case: OperationCase, surface: str) -> None:
    fake = FakeHilos()
    fake.queue_rate_limited(case.operation.name, retry_after=0)
    fake.queue(case.operation.name, case.response_json())
    arguments = case.required_arguments()
    if surface == "module.sync":
        with fake.client(retries=1, retry_backoff=0, retry_methods=frozenset({case.operation.method})) as client:
            got = case.module().sync(client=client, **arguments)
    else:
        with fake.hilos(retries=1, retry_backoff=0, retry_methods=frozenset({case.operation.method})) as hilos:
            got = getattr(getattr(hilos, case.operation.tag), case.operation.name)(**arguments)
    assert (got is None) == (case.response_json() is None)
    assert len(fake.requests) == 2


@each_operation()
def test_a_wrong_token_gets_the_apis_401_and_the_queued_answer_waits(case: OperationCase) -> None:
    fake = FakeHilos()
    fake.queue(case.operation.name, case.response_json())
    with Hilos(base_url=fake.base_url, token="wrong", retries=0, httpx_args={"transport": fake.transport}) as hilos:
        method = getattr(getattr(hilos, case.operation.tag), case.operation.name)
        with pytest.raises(errors.AuthenticationError):
            method(**case.required_arguments())
    with fake.hilos() as hilos:
        getattr(getattr(hilos, case.operation.tag), case.operation.name)(**case.required_arguments())
    assert len(fake.requests_for(case.operation.name)) == 2


@pytest.mark.parametrize("surface", SURFACES)
@each_operation()
async def test_a_request_with_nothing_queued_fails_naming_the_request(case: OperationCase, surface: str) -> None:
    fake = FakeHilos()
    path = httpx.URL(fake.base_url).path.rstrip("/") + case.operation.path.format(**sent_path_params(case))
    named = f"^{case.operation.method} {re.escape(path)}: no answer queued .* for '{case.operation.name}'"
    with pytest.raises(UnexpectedRequestError, match=named):
        await call(fake, case, surface)


@pytest.mark.parametrize("surface", ["module.sync_all", "module.asyncio_all", "Hilos", "AsyncHilos"])
@each_operation(where=lambda case: case.paginated)
async def test_every_listing_delivers_every_declared_item_across_pages(case: OperationCase, surface: str) -> None:
    fake = FakeHilos()
    declared = [listing_item_json(case, index) for index in range(25)]
    fake.set_items(case.operation.name, declared)
    arguments = case.required_arguments()
    module = case.module()
    if "page_size" in inspect.signature(module.sync_all).parameters:
        arguments["page_size"] = 10  # the fake's default page size otherwise: three pages either way
    tag, name = case.operation.tag, f"{case.operation.name}_all"
    if surface == "module.sync_all":
        with fake.client() as client:
            read = list(module.sync_all(client=client, **arguments))
    elif surface == "module.asyncio_all":
        async with fake.client() as client:
            read = [item async for item in module.asyncio_all(client=client, **arguments)]
    elif surface == "Hilos":
        with fake.hilos() as hilos:
            read = list(getattr(getattr(hilos, tag), name)(**arguments))
    else:
        async with fake.async_hilos() as async_hilos:
            read = [item async for item in getattr(getattr(async_hilos, tag), name)(**arguments)]
    assert [item.to_dict() for item in read] == declared
    pages = [seen.params.get("page") for seen in fake.requests_for(case.operation.name)]
    if surface in ("module.sync_all", "Hilos"):
        assert pages == ["1", "2", "3"]
    else:  # pages are read ahead of `count`; the ones past the end answer 404 and are dropped
        assert {"1", "2", "3"} <= set(pages)


@each_operation(where=lambda case: not case.paginated)
def test_items_are_refused_for_an_operation_that_is_not_a_listing(case: OperationCase) -> None:
    with pytest.raises(ValueError, match=f"{case.operation.name} is not a paginated listing"):
        FakeHilos().set_items(case.operation.name, [])


# -- base URLs of every shape ----------------------------------------------------------------------------------
BASE_URLS = [
    pytest.param(None, id="default"),
    pytest.param("https://fake.invalid/api/3", id="path"),
    pytest.param("https://fake.invalid/x/", id="path-trailing-slash"),
    pytest.param("https://fake.invalid/", id="no-path-trailing-slash"),
    pytest.param(NO_PATH_BASE_URL, id="no-path"),
]


@pytest.mark.parametrize("base_url", BASE_URLS)
@each_operation()
def test_the_fake_routes_every_operation_under_a_base_url_of_every_shape(
    case: OperationCase, base_url: str | None
) -> None:
    fake = FakeHilos(base_url=base_url)
    fake.queue(case.operation.name, case.response_json())
    path = case.operation.path.format(**sent_path_params(case))
    url = fake.base_url.rstrip("/") + path
    with httpx.Client(transport=fake.transport) as http:
        response = http.request(case.operation.method, url, headers={"Authorization": f"Token {FAKE_TOKEN}"})
    assert response.status_code == case.success_status
    (seen,) = fake.requests
    assert (seen.operation, seen.path_params) == (case.operation.name, sent_path_params(case))


@pytest.mark.parametrize(
    "base_url",
    BASE_URLS,
)
@pytest.mark.parametrize("surface", ["module.sync", "AsyncHilos"])
@each_operation()
async def test_clients_of_the_fake_reach_it_under_a_base_url_of_every_shape(
    case: OperationCase, surface: str, base_url: str | None
) -> None:
    fake = FakeHilos(base_url=base_url)
    fake.queue(case.operation.name, case.response_json())
    await call(fake, case, surface)
    (seen,) = fake.requests
    assert seen.request.url.host == httpx.URL(fake.base_url).host
    assert seen.path_params == sent_path_params(case)


@each_operation()
def test_a_request_outside_the_base_url_fails_naming_it(case: OperationCase) -> None:
    fake = FakeHilos(base_url="https://fake.invalid/api/3")
    fake.queue(case.operation.name, case.response_json())
    path = case.operation.path.format(**sent_path_params(case))
    with httpx.Client(transport=fake.transport) as http:
        for url in (
            f"https://other.invalid/api/3{path}",
            f"https://fake.invalid/api/4{path}",
            f"https://fake.invalid{path}",
        ):
            with pytest.raises(UnexpectedRequestError, match=re.escape(f"{case.operation.method} {url}: not under")):
                http.request(case.operation.method, url)
    assert fake.requests == []


@each_operation()
def test_a_method_the_path_does_not_take_gets_the_apis_405(case: OperationCase) -> None:
    fake = FakeHilos()
    path = case.operation.path.format(**sent_path_params(case))
    taken = {
        other.operation.method
        for other in OPERATION_CASES
        if other.operation.match(other.operation.method, path) is not None
    }
    untaken = [method for method in ("GET", "POST", "PUT", "PATCH", "DELETE") if method not in taken]
    if not untaken:
        pytest.skip(f"{path} takes every method the API uses")
    method = untaken[0]
    with httpx.Client(transport=fake.transport) as http:
        response = http.request(method, fake.base_url + path)
    assert (response.status_code, response.json()) == (405, {"detail": f'Method "{method}" not allowed.'})


def test_a_path_no_operation_has_gets_the_apis_404() -> None:
    fake = FakeHilos()
    with httpx.Client(transport=fake.transport) as http:
        response = http.get(fake.base_url + "/channel/whatsapp/no-such-thing")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    assert fake.requests == []


@each_operation(where=lambda case: bool(sent_path_params(case)))
def test_path_parameters_are_logged_decoded(case: OperationCase) -> None:
    fake = FakeHilos()
    fake.queue(case.operation.name, case.response_json())
    values = {name: "a/b c" for name in sent_path_params(case)}
    raw = {name: "a%2Fb%20c" for name in values}
    with httpx.Client(transport=fake.transport) as http:
        http.request(case.operation.method, fake.base_url + case.operation.path.format(**raw))
    assert fake.requests[0].path_params == values


# -- the request log, the clients and bad arguments ------------------------------------------------------------
def test_a_body_that_is_not_json_is_a_clear_error_and_the_bytes_stay_readable() -> None:
    case = next(case for case in OPERATION_CASES if case.body_schema is not None)
    fake = FakeHilos()
    fake.queue(case.operation.name)
    path = case.operation.path.format(**sent_path_params(case))
    with httpx.Client(transport=fake.transport) as http:
        http.request(case.operation.method, fake.base_url + path, content=b"not json")
    (seen,) = fake.requests
    with pytest.raises(ValueError, match="sent a body that is not JSON"):
        _ = seen.json
    assert seen.request.content == b"not json"


async def test_hilos_and_async_hilos_are_bound_to_the_fake_and_take_client_options() -> None:
    fake = FakeHilos(token="secret-token-of-a-test")
    with fake.hilos(timeout=7) as hilos:
        assert isinstance(hilos, Hilos)
        assert hilos.client.base_url == fake.base_url
        assert hilos.client.retries == 0
        assert hilos.client.timeout == 7
        assert "secret-token-of-a-test" not in repr(hilos)
    async with fake.async_hilos(retries=2) as async_hilos:
        assert isinstance(async_hilos, AsyncHilos)
        assert async_hilos.client.retries == 2
        assert "secret-token-of-a-test" not in repr(async_hilos)


@pytest.mark.parametrize(
    ("act", "error", "message"),
    [
        (lambda fake: fake.queue("no_such_operation"), ValueError, "no operation 'no_such_operation' in the spec"),
        (lambda fake: fake.queue("no_such_operation"), KeyError, "no operation 'no_such_operation' in the spec"),
        (lambda fake: fake.requests_for(42), TypeError, "operation must be an endpoint module .* not int"),
        (lambda fake: fake.queue(OPERATION_CASES[0].operation.name, {}, status=1000), ValueError, "status must be"),
        (lambda fake: fake.queue(OPERATION_CASES[0].operation.name, {}, status="200"), ValueError, "status must be"),
        (lambda fake: fake.queue(OPERATION_CASES[0].operation.name, {"x": object()}), TypeError, "body must be"),
        (
            lambda fake: fake.set_items(next(c for c in OPERATION_CASES if c.paginated).operation.name, "abc"),
            TypeError,
            "items must be a sequence",
        ),
        (lambda fake: FakeHilos(base_url="fake.invalid/api"), ValueError, "base_url must be an absolute"),
    ],
    ids=[
        "unknown-name-value",
        "unknown-name-key",
        "not-an-operation",
        "status",
        "status-type",
        "body",
        "items",
        "base",
    ],
)
def test_bad_arguments_are_typed_errors_naming_the_argument(
    act: Callable[[FakeHilos], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        act(FakeHilos())
