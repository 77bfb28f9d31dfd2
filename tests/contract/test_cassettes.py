"""The cassettes as a set: one per case, no secrets in any, up to date if synthesized, and covering what the
contract must cover (checked against the spec, so a re-recording that loses a case's point fails here)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.contract import synthesize
from tests.contract.cases import CASES
from tests.contract.recording import (
    CASSETTE_DIR,
    FILTERED,
    OPERATION_ID,
    TOKEN_ENV,
    Exchange,
    cassette_path,
    load_exchange,
)
from tests.support.spec_schema import load_patched_spec, nullable_locations, operation_path, response_schema, walk

SPEC = load_patched_spec()
PATH = operation_path(SPEC, OPERATION_ID)
SCHEMA = response_schema(SPEC, OPERATION_ID)
EXCHANGES = {case.name: load_exchange(case.name) for case in CASES}

# What an API key or session secret looks like once UUIDs (hyphenated, not secret) are set aside: a long hex
# run (DRF tokens are 40 hex digits), or a long base64/base64url run mixing letters and digits.
_UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
_HEX_RUN = re.compile(r"[0-9a-fA-F]{32,}")
_BASE64_RUN = re.compile(r"(?=[A-Za-z0-9+=_]*[0-9])(?=[A-Za-z0-9+=_]*[A-Za-z])[A-Za-z0-9+=_]{32,}")
_SECRET_HEADERS = ("cookie", "set-cookie", "proxy-authorization", "x-api-key", "x-csrftoken")


def secrets_in(text: str, headers: Iterator[tuple[str, list[str]]]) -> list[str]:
    """Everything in a cassette that is or may be a secret, described."""
    found = []
    for name, values in headers:
        if name.lower() == "authorization" and values != [f"Token {FILTERED}"]:
            found.append(f"Authorization header {values!r} is not the placeholder 'Token {FILTERED}'")
        if name.lower() in _SECRET_HEADERS:
            found.append(f"{name} header")
    without_uuids = _UUID.sub("", text)
    runs = {m.span(): m.group() for pattern in (_HEX_RUN, _BASE64_RUN) for m in pattern.finditer(without_uuids)}
    found += [f"token-like string {run[:6]}..." for _, run in sorted(runs.items())]
    token = os.environ.get(TOKEN_ENV)
    if token and token in text:
        found.append(f"the value of {TOKEN_ENV}")
    return found


def headers_of(exchange: Exchange) -> Iterator[tuple[str, list[str]]]:
    yield from exchange.request_headers.items()
    yield from exchange.response_headers.items()


def test_every_case_has_a_cassette_and_every_cassette_a_case() -> None:
    assert sorted(p.stem for p in CASSETTE_DIR.glob("*.yaml")) == sorted(case.name for case in CASES)


@pytest.mark.parametrize("case", [c.name for c in CASES])
def test_cassette_holds_no_secret(case: str) -> None:
    exchange = EXCHANGES[case]
    assert secrets_in(cassette_path(case).read_text(encoding="utf-8"), headers_of(exchange)) == []


def test_secret_check_finds_what_a_careless_recording_would_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "my-live-key")
    text = "uri: https://acme.api-us1.com/?x=1 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b my-live-key " + (
        "eyJhbGciOiJIUzI1NiJ9eyJzdWIiOiIxMjM0NTY3ODkwIn0"
    )
    headers = iter([("Authorization", ["Token 9944b0"]), ("Set-Cookie", ["sessionid=abc"])])
    assert secrets_in(text, headers) == [
        "Authorization header ['Token 9944b0'] is not the placeholder 'Token <filtered>'",
        "Set-Cookie header",
        "token-like string 9944b0...",
        "token-like string eyJhbG...",
        f"the value of {TOKEN_ENV}",
    ]


def test_synthesized_cassettes_are_what_the_synthesizer_writes() -> None:
    assert synthesize.main(["--check"]) == 0, "Fix: python -m tests.contract.synthesize"


# -- coverage: what issue 2 asks the fixtures to show -------------------------------------------------------------


def values_at(location: str) -> list[Any]:
    return [value for e in EXCHANGES.values() for where, _, value in walk(SPEC, SCHEMA, e.body) if where == location]


def test_cases_send_every_filter_parameter() -> None:
    (operation,) = SPEC["paths"][PATH].values()
    sent = {(name, value) for e in EXCHANGES.values() for name, value in e.query}
    assert {p["name"] for p in operation["parameters"]} == {name for name, _ in sent}
    assert {("is_active", "true"), ("is_active", "false")} <= sent


def same_request(url: str | None, exchange: Exchange) -> bool:
    """`url` asks for what `exchange` recorded: same scheme, host, path and query (in any order)."""
    if url is None:
        return False
    link, recorded = urlsplit(url), urlsplit(exchange.uri)
    return (link.scheme, link.netloc, link.path, sorted(parse_qsl(link.query))) == (
        recorded.scheme,
        recorded.netloc,
        recorded.path,
        sorted(exchange.query),
    )


def test_first_middle_and_last_page_link_to_each_other() -> None:
    first, middle, last = (EXCHANGES[name] for name in ("first_page", "middle_page", "last_page"))
    assert first.body["previous"] is None and last.body["next"] is None
    assert same_request(first.body["next"], middle) and same_request(middle.body["previous"], first)
    assert same_request(middle.body["next"], last) and same_request(last.body["previous"], middle)
    assert first.body["count"] == middle.body["count"] == last.body["count"] > 0


def test_empty_result_is_an_empty_page() -> None:
    assert EXCHANGES["empty_result"].body == {"count": 0, "next": None, "previous": None, "results": []}


def test_every_status_is_recorded() -> None:
    statuses = SPEC["components"]["schemas"]["FlowExecutionContactStatusEnum"]["enum"]
    for status in statuses:
        body = EXCHANGES[f"status_{status.lower()}"].body
        assert [r["status"] for r in body["results"]] == [status]


def test_every_nullable_field_is_null_in_its_case() -> None:
    body = EXCHANGES["null_in_every_nullable_field"].body
    nulls = {where for where, _, value in walk(SPEC, SCHEMA, body) if value is None}
    assert nullable_locations(SPEC, SCHEMA) <= nulls


def test_meta_is_deeply_nested() -> None:
    def depth(value: Any) -> int:
        if isinstance(value, dict):
            return 1 + max((depth(v) for v in value.values()), default=0)
        if isinstance(value, list):
            return 1 + max((depth(v) for v in value), default=0)
        return 0

    metas = [r["contact"]["meta"] for r in EXCHANGES["nested_meta"].body["results"]]
    assert metas and all(depth(meta) >= 5 for meta in metas), metas


def test_fields_the_spec_does_not_know_appear_at_top_level_and_nested() -> None:
    body = EXCHANGES["fields_the_spec_does_not_know"].body
    unknown = {where for where, schema, _ in walk(SPEC, SCHEMA, body) if schema.get("x-unknown")}
    levels = {where.count(".") for where in unknown}
    assert {1, 2, 3} <= levels, sorted(unknown)
