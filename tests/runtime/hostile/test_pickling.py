"""Every error survives pickling with its class, message, status, detail and attempts, and without the
token, so an error raised in a worker process reaches the caller intact."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts

from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault

ERROR_ANSWERS = {
    errors.AuthenticationError: Fault(status=401, body={"detail": "Invalid token."}),
    errors.PermissionDeniedError: Fault(status=403, body={"detail": "No."}),
    errors.NotFoundError: Fault(status=404, body={"detail": "Not found."}),
    errors.RateLimitError: Fault(status=429, body={"detail": "Slow down."}, headers={"Retry-After": "0"}),
    errors.ServerError: Fault(status=503, body={"detail": "Down."}),
    errors.ApiStatusError: Fault(status=418, body={"detail": ["a", "list"]}),
    errors.ResponseValidationError: Fault(status=200, body="not json"),
    errors.ApiConnectionError: Fault(reset=True),
}


def raised_by(server: FakeHilosServer, answer: Fault) -> errors.HilosError:
    server.handler = lambda request: answer
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, retries=1, retry_backoff=0.0)
    with client, pytest.raises(errors.HilosError) as caught:
        list_contacts.sync(client=client)
    return caught.value


@pytest.mark.parametrize("kind", list(ERROR_ANSWERS), ids=lambda kind: kind.__name__)
def test_an_error_from_a_real_answer_survives_pickling(fake_api: FakeHilosServer, kind: type[Exception]) -> None:
    original = raised_by(fake_api, ERROR_ANSWERS[kind])
    assert type(original) is kind
    copy = pickle.loads(pickle.dumps(original))
    assert type(copy) is kind
    assert str(copy) == str(original)
    assert vars(copy).keys() == vars(original).keys()
    for name in ("status_code", "detail", "attempts", "method", "url", "body", "retry_after", "reason"):
        assert getattr(copy, name, None) == getattr(original, name, None), name
    assert TOKEN not in repr(pickle.dumps(original))


@pytest.mark.parametrize(
    "error",
    [
        errors.ConfigurationError("base_url is wrong"),
        errors.PaginationError("page size changed", operation="list_things", page=3),
        errors.RepeatedPageError("same page", operation="list_things", page=2),
        errors.ApiTimeoutError("ReadTimeout", method="GET", url="https://h/x?token=t", attempts=3),
        errors.ApiTimeoutError(
            "ReadTimeout: the call's deadline of 300 s ran out",
            method="GET",
            url="https://h/x",
            attempts=2,
            limit="deadline",
            seconds=300.0,
        ),
        errors.ResponseTooLargeError(limit=10, method="GET", url="https://h/x", attempts=1),
        errors.ClientClosedError("closed"),
        errors.InvalidParameterError("not a UUID: 'x'", parameter="flow"),
        errors.InvalidParameterTypeError("expected a bool (True or False), got int 0", parameter="is_active"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_errors_built_without_a_response_survive_pickling(error: errors.HilosError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


def list_in_a_worker(base_url: str) -> None:
    client = AuthenticatedClient(base_url=base_url, token=TOKEN, retries=0)
    with client:
        list_contacts.sync(client=client)


def test_an_error_raised_in_a_worker_process_reaches_the_caller_intact(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(status=404, body={"detail": "Not found."})
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(list_in_a_worker, fake_api.base_url)
        with pytest.raises(errors.NotFoundError) as caught:
            future.result(timeout=30)
    assert caught.value.status_code == 404
    assert caught.value.detail == "Not found."
    assert caught.value.attempts == 1
