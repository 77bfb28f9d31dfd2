"""Every answer that conforms to the spec parses, for every operation and each documented response with a JSON
body: bodies drawn from its schema, the sparsest body, the fullest one, every nullable field null at once and
each one null alone. Each body is first shown spec-valid by openapi-core (`check_response`), so a body the
client rejects is the client's bug. Parsing must also keep the body: `to_dict()` gives it back as the client
writes it (`spec_strategies.as_written`). The drawn and one-null bodies go through the operation's own
response parser (what `sync_detailed` runs on an answer) to stay fast; the others come over real HTTP.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from hilos_client import AuthenticatedClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault
from tests.support.operation_cases import OPERATION_CASES, SPEC, OperationCase, fullest_instance, minimal_instance
from tests.support.spec_schema import nullable_locations, walk
from tests.support.spec_strategies import as_written, json_values
from tests.support.spec_validation import check_response

JSON_RESPONSES = [
    (case, int(status))
    for case in OPERATION_CASES
    for status in case.spec["responses"]
    if status.isdigit() and case.response_schema(int(status)) is not None
]
"""Each documented response with a JSON body, of every operation."""
RESPONSES = [pytest.param(case, status, id=f"{case.id}-{status}") for case, status in JSON_RESPONSES]
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    database=None,
    # Shrinking a body of this size takes minutes; a failure shows the body as drawn.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


def schema_of(case: OperationCase, status: int) -> dict[str, Any]:
    schema = case.response_schema(status)
    assert schema is not None
    return schema


def concrete_path(case: OperationCase) -> str:
    """The operation's path with valid path parameters (as `required_arguments()` has them)."""
    arguments = case.path_arguments()
    return case.operation.path.format(
        **{p["name"]: str(arguments[case.python_name(p)]) for p in case.parameters if p["in"] == "path"}
    )


def assert_spec_valid(case: OperationCase, status: int, body: Any) -> None:
    errors = check_response(method=case.operation.method, path=concrete_path(case), status=status, body=body)
    assert errors == (), f"the test's own body is not spec-valid: {errors}"


def parse(case: OperationCase, status: int, body: Any) -> Any:
    """The operation's parser on an answer with `status` and the JSON `body`, without the network."""
    request = httpx.Request(case.operation.method, "http://127.0.0.1/api/3" + concrete_path(case))
    answer = httpx.Response(status, json=body, request=request)
    return case.module()._parse_response(answer)


def over_http(case: OperationCase, status: int, body: Any) -> Any:
    """`sync_detailed()`'s parsed answer when the loopback API answers `status` with the JSON `body`."""
    with FakeHilosServer(validate_requests=True).serve_spec() as server:
        server.spec_answers[case.operation.name].append(Fault(status=status, body=body))
        with AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client:
            answer = case.module().sync_detailed(client=client, **case.required_arguments())
        assert server.validation_errors == []
    assert answer.status_code == status
    return answer.parsed


def assert_parses_and_keeps(case: OperationCase, status: int, body: Any, parsed: Any) -> None:
    assert parsed is not None
    assert parsed.to_dict() == as_written(SPEC, schema_of(case, status), body)


@pytest.mark.parametrize(("case", "status"), RESPONSES)
@EXAMPLES
@given(data=st.data())
def test_every_body_the_schema_allows_parses(case: OperationCase, status: int, data: st.DataObject) -> None:
    schema = schema_of(case, status)
    body = data.draw(json_values(SPEC, schema), label="body")
    assert_spec_valid(case, status, body)
    assert_parses_and_keeps(case, status, body, parse(case, status, copy.deepcopy(body)))


@pytest.mark.parametrize(("case", "status"), RESPONSES)
def test_the_sparsest_body_parses(case: OperationCase, status: int) -> None:
    body = minimal_instance(schema_of(case, status))
    assert_spec_valid(case, status, body)
    assert_parses_and_keeps(case, status, body, over_http(case, status, body))


@pytest.mark.parametrize(("case", "status"), RESPONSES)
def test_the_fullest_body_parses(case: OperationCase, status: int) -> None:
    body = fullest_instance(schema_of(case, status))
    assert_spec_valid(case, status, body)
    assert_parses_and_keeps(case, status, body, over_http(case, status, body))


def null_locations(case: OperationCase, status: int, body: Any) -> set[str]:
    return {where for where, _, value in walk(SPEC, schema_of(case, status), body) if value is None}


@pytest.mark.parametrize(("case", "status"), RESPONSES)
def test_every_nullable_field_null_at_once_parses(case: OperationCase, status: int) -> None:
    schema = schema_of(case, status)
    body = fullest_instance(schema, nulls=True)
    nulls = null_locations(case, status, body)
    # Every nullable field is null, or inside one that is (a null object has no fields).
    uncovered = {
        where
        for where in nullable_locations(SPEC, schema)
        if not any(where == null or where.startswith((null + ".", null + "[")) for null in nulls)
    }
    assert uncovered == set()
    assert_spec_valid(case, status, body)
    assert_parses_and_keeps(case, status, body, over_http(case, status, body))


def with_null_at(body: Any, where: str) -> Any:
    """A copy of `body` with the value at `where` (a `walk` location: `$.a.b[*].c`) null, in every list item."""
    copied = copy.deepcopy(body)
    steps = where.removeprefix("$").replace("[*]", ".[*]").split(".")[1:]

    def set_null(node: Any, rest: list[str]) -> None:
        step, *more = rest
        targets = node if step == "[*]" else [node]
        if step == "[*]" and not more:
            node[:] = [None] * len(node)
            return
        for target in targets:
            if step == "[*]":
                set_null(target, more)
            elif more:
                set_null(target[step], more)
            else:
                target[step] = None

    if not steps:
        return None
    set_null(copied, steps)
    return copied


def nullable_cases() -> list[Any]:
    return [
        pytest.param(case, status, where, id=f"{case.id}-{status}-{where}")
        for case, status in JSON_RESPONSES
        for where in sorted(nullable_locations(SPEC, schema_of(case, status)))
    ]


@pytest.mark.parametrize(("case", "status", "where"), nullable_cases())
def test_each_nullable_field_null_alone_parses(case: OperationCase, status: int, where: str) -> None:
    body = with_null_at(fullest_instance(schema_of(case, status)), where)
    assert where in null_locations(case, status, body)
    assert_spec_valid(case, status, body)
    assert_parses_and_keeps(case, status, body, parse(case, status, copy.deepcopy(body)))
