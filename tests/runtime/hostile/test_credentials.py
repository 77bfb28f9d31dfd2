"""A token that cannot be sent as it is is refused at construction, without being shown; and in no failure
mode does an error (message, attributes, cause chain, traceback) or a log record at DEBUG, ours or httpx's
or httpcore's, hold the token."""

from __future__ import annotations

import logging
import pickle
import socket
import traceback
from collections.abc import Callable, Iterator

import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts

from tests.support.fake_hilos import LIST_PATH, TOKEN, FakeHilosServer, Fault
from tests.support.hostile_server import HostileServer, endless_body, trickle

SECRET = "s3cr3t-Key_value.0123456789"


class Everything(logging.Handler):
    """Every record of every logger, as text: the message, its arguments and any exception text."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage())
        self.texts.append(repr(record.args))
        self.texts.append(repr(vars(record)))
        if record.exc_info:
            self.texts.append("".join(traceback.format_exception(*record.exc_info)))


@pytest.fixture
def all_logs() -> Iterator[Everything]:
    handler = Everything()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def everything_about(exc: BaseException) -> str:
    """The error as anyone could see it: traceback with its whole cause/context chain, attributes, pickle."""
    texts = ["".join(traceback.format_exception(exc)), repr(exc), str(exc)]
    seen: BaseException | None = exc
    while seen is not None:
        texts.append(repr(vars(seen)))
        seen = seen.__cause__ or seen.__context__
    texts.append(repr(pickle.dumps(exc)))
    return "\n".join(texts)


@pytest.mark.parametrize(
    ("token", "complaint"),
    [
        ("", "is empty"),
        (SECRET + "\n", "whitespace at its start or end"),
        (SECRET + "\r\n", "whitespace at its start or end"),
        ("  " + SECRET, "whitespace at its start or end"),
        (SECRET[:5] + "\r\n" + SECRET[5:], "not allowed in an HTTP header"),
        (SECRET[:5] + "\x00" + SECRET[5:], "not allowed in an HTTP header"),
        (SECRET[:5] + " " + SECRET[5:], "not allowed in an HTTP header"),
        (SECRET[:5] + "é" + SECRET[5:], "not allowed in an HTTP header"),
        (SECRET[:5] + "\u2028" + SECRET[5:], "not allowed in an HTTP header"),
    ],
    ids=["empty", "newline", "crlf", "leading-spaces", "inner-crlf", "nul", "inner-space", "latin-1", "unicode"],
)
def test_a_token_that_cannot_be_sent_is_refused_at_construction_without_being_shown(
    fake_api: FakeHilosServer, all_logs: Everything, token: str, complaint: str
) -> None:
    with pytest.raises(errors.ConfigurationError, match=complaint) as caught:
        AuthenticatedClient(base_url=fake_api.base_url, token=token)
    assert SECRET not in everything_about(caught.value)
    assert not any(SECRET in text for text in all_logs.texts)
    assert fake_api.requests == []


def test_a_header_value_http_forbids_is_refused_without_being_shown(fake_api: FakeHilosServer) -> None:
    with pytest.raises(errors.ConfigurationError, match="X-Api-Key") as caught:
        AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN, headers={"X-Api-Key": SECRET + "\r\n"})
    assert SECRET not in everything_about(caught.value)
    client = AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN)
    with pytest.raises(errors.ConfigurationError) as caught:
        client.with_headers({"X-Api-Key": SECRET + "\n"})
    assert SECRET not in everything_about(caught.value)


def refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


FailureMode = Callable[[FakeHilosServer], str]


def _status(status: int) -> FailureMode:
    def arrange(server: FakeHilosServer) -> str:
        server.handler = lambda request: Fault(status=status, body={"detail": "no"}, headers={"Retry-After": "0"})
        return server.base_url

    return arrange


def _reset(server: FakeHilosServer) -> str:
    server.handler = lambda request: Fault(reset=True)
    return server.base_url


def _redirect_loop(server: FakeHilosServer) -> str:
    server.handler = lambda request: Fault(status=302, headers={"Location": server.base_url + LIST_PATH})
    return server.base_url


def _not_json(server: FakeHilosServer) -> str:
    server.handler = lambda request: Fault(status=200, body="<html>not json</html>")
    return server.base_url


@pytest.mark.parametrize(
    "arrange",
    [_status(401), _status(404), _status(429), _status(503), _reset, _redirect_loop, _not_json],
    ids=["401", "404", "429", "503", "reset", "redirect-loop", "not-json"],
)
def test_no_failure_lets_the_token_into_an_error_or_a_debug_record(
    fake_api: FakeHilosServer, all_logs: Everything, arrange: FailureMode
) -> None:
    base_url = arrange(fake_api)
    client = AuthenticatedClient(base_url=base_url, token=SECRET, retry_backoff=0.0, follow_redirects=True)
    with client, pytest.raises(errors.HilosError) as caught:
        list_contacts.sync(client=client)
    assert fake_api.requests[0].headers["Authorization"] == f"Token {SECRET}"
    assert SECRET not in everything_about(caught.value)
    assert any("httpcore" in text for text in all_logs.texts), "httpcore's DEBUG records were not captured"
    assert not any(SECRET in text for text in all_logs.texts)


@pytest.mark.parametrize("hostile", [endless_body, lambda: trickle(0.2)], ids=["too-large", "timeout"])
def test_no_hostile_body_lets_the_token_into_an_error_or_a_debug_record(
    all_logs: Everything, hostile: Callable[[], object]
) -> None:
    with HostileServer(hostile()) as server:  # type: ignore[arg-type]
        client = AuthenticatedClient(
            base_url=server.base_url, token=SECRET, max_response_bytes=1024, timeout=0.5, retries=0
        )
        with client, pytest.raises(errors.HilosError) as caught:
            list_contacts.sync(client=client)
        assert b"Authorization: Token " + SECRET.encode() in server.connections[0].request_head
    assert SECRET not in everything_about(caught.value)
    assert not any(SECRET in text for text in all_logs.texts)


def test_connection_refused_holds_no_token(all_logs: Everything) -> None:
    client = AuthenticatedClient(base_url=f"http://127.0.0.1:{refused_port()}/api/3", token=SECRET, retries=0)
    with client, pytest.raises(errors.ApiConnectionError) as caught:
        list_contacts.sync(client=client)
    assert SECRET not in everything_about(caught.value)
    assert not any(SECRET in text for text in all_logs.texts)
