"""The `hilos-client` command line against a loopback fake API, for every operation of the spec: --help, the
request each subcommand sends (method, path, query, JSON body), what it writes, --all / --page / CSV for the
listings, the progress bar, and the exit code and one-line error of each failure."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import types
import typing
import uuid
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import quote

import hilos_client
import pytest
from hilos_client import AuthenticatedClient, cli
from hilos_client._runtime import cli as runtime_cli
from hilos_client._runtime.operations import Operation, Parameter
from hilos_client.client import IDEMPOTENT_METHODS
from hilos_client.types import UNSET, Unset

from pipeline.project import GENERATED
from tests.runtime.conftest import TEST_BACKOFF
from tests.support.fake_hilos import BASE_PATH, TOKEN, FakeHilosServer, Fault, RecordedRequest
from tests.support.operation_cases import SPEC, OperationCase, each_operation, fullest_instance, minimal_instance
from tests.support.refusing_port import refusing_base_url
from tests.support.spec_schema import resolve

# Enough items for several pages at the server's default page size (10) and at PAGE_SIZE.
ITEMS = 25
PAGE_SIZE = 10


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's client keeps its retries, with a tiny backoff (the subprocess runs keep the default)."""
    from_env = AuthenticatedClient.from_env.__func__  # type: ignore[attr-defined]

    def quick_from_env(cls: type[AuthenticatedClient], /, **options: Any) -> AuthenticatedClient:
        return from_env(cls, retry_backoff=TEST_BACKOFF, **options)  # type: ignore[no-any-return]

    monkeypatch.setattr(AuthenticatedClient, "from_env", classmethod(quick_from_env))


# -- the command line of an operation -------------------------------------------------------------------------
def subcommand(case: OperationCase) -> list[str]:
    return [case.operation.tag.replace("_", "-"), case.operation.name.replace("_", "-")]


def option(python_name: str) -> str:
    return "--" + python_name.replace("_", "-")


def as_text(value: Any) -> str:
    """A parameter's JSON value as typed on the command line (and as it is sent in a URL)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parameter_value(parameter: dict[str, Any]) -> Any:
    """A valid value of the parameter: the sparsest the schema allows, one element for an array."""
    schema = resolve(SPEC, parameter.get("schema", {}))
    if schema.get("type") == "array":
        return [minimal_instance(schema.get("items", {}))]
    return minimal_instance(schema)


def arguments(case: OperationCase, *, every_parameter: bool = False) -> dict[str, list[str]]:
    """Each parameter's option and values for a valid call: the required ones (or every one), no body."""
    chosen: dict[str, list[str]] = {}
    for parameter in case.parameters:
        if parameter["in"] == "path" or parameter.get("required") or every_parameter:
            value = parameter_value(parameter)
            chosen[parameter["name"]] = [as_text(item) for item in (value if isinstance(value, list) else [value])]
    return chosen


def command_line(case: OperationCase, *extra: str, every_parameter: bool = False, body: str | None = None) -> list[str]:
    """The subcommand with the arguments of a valid call and, when the operation takes one, the sparsest body."""
    names = {parameter["name"]: case.python_name(parameter) for parameter in case.parameters}
    line = subcommand(case)
    for name, values in arguments(case, every_parameter=every_parameter).items():
        for value in values:
            line += [option(names[name]), value]
    if case.body_schema is not None:
        line += ["--body", json.dumps(case.body_json()) if body is None else body]
    return [*line, *extra]


def expected_path(case: OperationCase) -> str:
    values = {name: values[0] for name, values in arguments(case).items()}
    return BASE_PATH + re.sub(r"\{(\w+)\}", lambda found: quote(values[found[1]], safe=""), case.operation.path)


def expected_query(case: OperationCase, *, every_parameter: bool = False) -> dict[str, list[str]]:
    in_query = {parameter["name"] for parameter in case.parameters if parameter["in"] == "query"}
    chosen = arguments(case, every_parameter=every_parameter)
    return {name: [",".join(values)] for name, values in chosen.items() if name in in_query}


# -- the fake API's answers ------------------------------------------------------------------------------------
def item_schema(case: OperationCase) -> dict[str, Any]:
    """The schema of an item of a paginated listing."""
    page = resolve(SPEC, case.response_schema() or {})
    return resolve(SPEC, resolve(SPEC, page["properties"]["results"])["items"])


def item_json(case: OperationCase) -> Any:
    """The sparsest item of a paginated listing."""
    return minimal_instance(item_schema(case))


def answer_json(case: OperationCase) -> Any:
    """The sparsest valid answer; a page of a listing holds one item, so there is something to write."""
    answer = case.response_json()
    if case.paginated:
        answer["results"] = [item_json(case)]
    return answer


def serve(server: FakeHilosServer, case: OperationCase, answer: Any = None) -> None:
    """Answer the operation with `answer` (by default `answer_json(case)`) and its success status."""
    body = answer_json(case) if answer is None else answer
    server.route(case.operation.method, case.operation.path, lambda request, path: Fault(case.success_status, body))


def items_json(case: OperationCase, count: int = ITEMS) -> list[Any]:
    """Distinct items of a listing (the pagination engine refuses a page whose ids it has seen): each has
    its own `id` when items have one, and its index in a property the spec does not describe."""
    id_schema = item_schema(case).get("properties", {}).get("id")
    items = []
    for index in range(count):
        item = {**item_json(case), "x_test_index": index}
        if id_schema is not None:
            numeric = resolve(SPEC, id_schema).get("type") == "integer"
            item["id"] = index + 1 if numeric else str(uuid.UUID(int=index + 1))  # a UUID's text is a string too
        items.append(item)
    return items


def serve_pages(server: FakeHilosServer, case: OperationCase, count: int = ITEMS) -> None:
    items = items_json(case, count)
    server.route(case.operation.method, case.operation.path, lambda request, path: server.page_of(items, request))


def written(case: OperationCase, answer: Any) -> list[Any]:
    """The records the command writes for `answer`: the parsed answer (a page's items), as JSON."""
    parsed = typing.get_type_hints(case.module().sync)["return"].from_dict(answer)
    return [record.to_dict() for record in (parsed.results if case.paginated else [parsed])]


def operation_requests(server: FakeHilosServer, case: OperationCase) -> list[RecordedRequest]:
    return [
        request
        for request in server.requests
        if case.operation.match(request.method, request.path.removeprefix(BASE_PATH)) is not None
    ]


def environ(server: FakeHilosServer, token: str = TOKEN) -> dict[str, str]:
    # The fake enforces no rate limit: these tests measure the command line (tests/runtime/rate_limit/ paces it).
    return {"HILOS_API_TOKEN": token, "HILOS_BASE_URL": server.base_url, "HILOS_RATE_LIMIT": "none"}


def subprocess_env(server: FakeHilosServer) -> dict[str, str]:
    """`python -m hilos_client` (what the `hilos-client` script runs) with only our variables set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HILOS_")}
    return env | {"PYTHONPATH": str(GENERATED), **environ(server)}


def run_cli(server: FakeHilosServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hilos_client", *args],
        env=subprocess_env(server),
        capture_output=True,
        text=True,
        timeout=60,
    )


paginated = each_operation(where=lambda case: case.paginated)
with_body = each_operation(where=lambda case: case.body_schema is not None)


# -- --help ----------------------------------------------------------------------------------------------------
def help_text(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit:
        cli.main([*args, "--help"])
    assert exit.value.code == 0
    return capsys.readouterr().out


def shows_option(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


@each_operation()
def test_help_of_each_operation_names_each_parameter_and_the_body(
    case: OperationCase, capsys: pytest.CaptureFixture[str]
) -> None:
    text = help_text(capsys, *subcommand(case))
    assert re.match(rf"usage: hilos-client {' '.join(subcommand(case))}\s", text)
    for parameter in case.parameters:
        assert shows_option(text, option(case.python_name(parameter))), parameter["name"]
    assert shows_option(text, "--body") == (case.body_schema is not None)
    assert shows_option(text, "--all") == case.paginated
    assert f"{case.operation.method} {case.operation.path}" in " ".join(text.split())


@each_operation()
def test_help_of_the_command_and_of_each_tag_lists_the_operation(
    case: OperationCase, capsys: pytest.CaptureFixture[str]
) -> None:
    tag, name = subcommand(case)
    assert shows_option(help_text(capsys), tag)
    assert "exit codes:" in help_text(capsys)
    assert shows_option(help_text(capsys, tag), name)


class _Colour(Enum):
    RED = "red"


def fake_sync(
    *,
    client: AuthenticatedClient,
    format: str | Unset = UNSET,
    tag: _Colour | Unset = UNSET,
    module: list[int] | Unset = UNSET,
) -> None:
    fake_sync.calls.append({"format": format, "tag": tag, "module": module})  # type: ignore[attr-defined]


# Named like the command's own attributes and options, described with a % and in paragraphs of wrapped lines.
ODD_OPERATION = Operation(
    "odd_operation",
    "odd_tag",
    "GET",
    "/odd",
    summary="Read 100% of it",
    description="A description that wraps in the spec, with a hyphenated-\nword at the end of a line.\n\nA second paragraph.",
    parameters=(
        Parameter("format", "format", "query", False, "str", description="50% of the\nanswer."),
        Parameter("tag", "tag", "query", False, "enum", choices=("red",), python_class="models.odd_colour._Colour"),
        Parameter("module", "module", "query", False, "int", is_list=True),
    ),
    success_status=200,
    paginated=False,
)


def test_parameters_named_like_the_commands_own_options_and_help_with_a_percent_keep_working(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake_api: FakeHilosServer
) -> None:
    module = types.ModuleType("hilos_client.api.odd_tag.odd_operation")
    module.sync = fake_sync  # type: ignore[attr-defined]
    models = types.ModuleType("hilos_client.models.odd_colour")
    models._Colour = _Colour  # type: ignore[attr-defined]
    monkeypatch.setattr(fake_sync, "calls", [], raising=False)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(sys.modules, models.__name__, models)
    monkeypatch.setattr(runtime_cli, "spec_operations", lambda: (ODD_OPERATION,))
    raw = help_text(capsys, "odd-tag", "odd-operation")
    assert "at the end of a line.\n\nA second paragraph.\n" in raw  # the spec's paragraphs, apart
    text = " ".join(raw.split())
    assert "Read 100% of it (GET /odd) A description that wraps in the spec, with a hyphenated- word at" in text
    assert "--parameter-format STR the API's `format` parameter. 50% of the answer." in text
    command = ["odd-tag", "odd-operation", "--parameter-format", "x", "--tag", "red", "--module", "1"]
    assert cli.main(command, environ=environ(fake_api)) == cli.EXIT_OK
    assert fake_sync.calls == [{"format": "x", "tag": _Colour.RED, "module": [1]}]  # type: ignore[attr-defined]
    with pytest.raises(SystemExit) as exit:
        cli.main([*command[:4], "--tag", "blue"], environ=environ(fake_api))
    assert exit.value.code == cli.EXIT_USAGE
    assert "argument --tag: invalid choice: 'blue' (choose from 'red')" in capsys.readouterr().err


def typed_parameters(case: OperationCase) -> list[dict[str, Any]]:
    """The parameters whose schema a word cannot satisfy (UUIDs, numbers, booleans, enums)."""
    typed = []
    for parameter in case.parameters:
        schema = resolve(SPEC, parameter.get("schema", {}))
        schema = resolve(SPEC, schema.get("items", {})) if schema.get("type") == "array" else schema
        if "enum" in schema or schema.get("format") == "uuid" or schema.get("type") in ("integer", "number", "boolean"):
            typed.append(parameter)
    return typed


@each_operation(where=lambda case: bool(typed_parameters(case)))
def test_a_value_of_the_wrong_type_is_a_usage_error_naming_the_option(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fake_api, case)
    for parameter in typed_parameters(case):
        name = option(case.python_name(parameter))
        with pytest.raises(SystemExit) as exit:
            cli.main([*command_line(case), name, "not-a-value"], environ=environ(fake_api))
        assert exit.value.code == cli.EXIT_USAGE
        assert f"error: argument {name}: " in capsys.readouterr().err
    assert fake_api.requests == []


# -- every operation's request and output ------------------------------------------------------------------------
@each_operation()
def test_each_operation_sends_its_request_and_writes_the_parsed_answer_as_json_lines(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fake_api, case)
    assert cli.main(command_line(case), environ=environ(fake_api)) == cli.EXIT_OK
    (request,) = fake_api.requests
    assert (request.method, request.path) == (case.operation.method, expected_path(case))
    assert request.params == expected_query(case)
    if case.body_schema is None:
        assert request.body == b""
    else:
        assert request.headers["Content-Type"] == "application/json"
        assert json.loads(request.body) == case.body_json()
    out = capsys.readouterr()
    assert out.err == ""
    if case.response_json() is None:  # an answer without a body (a DELETE's 204): nothing to write
        assert out.out == ""
    else:
        assert [json.loads(line) for line in out.out.splitlines()] == written(case, answer_json(case))


@each_operation()
def test_each_parameter_of_each_operation_reaches_the_server_typed(
    case: OperationCase, fake_api: FakeHilosServer
) -> None:
    serve(fake_api, case)
    assert cli.main(command_line(case, every_parameter=True), environ=environ(fake_api)) == cli.EXIT_OK
    (request,) = fake_api.requests
    assert request.path == expected_path(case)
    assert request.params == expected_query(case, every_parameter=True)


# -- CSV: a header from the schema, every value kept -----------------------------------------------------------
def spelled(value: Any) -> str:
    """A value as its CSV cell reads: text as it is, anything else in its JSON spelling."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _put(record: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        record = record.setdefault(part, {})
    record[last] = value


def row_as_record(row: dict[str, str], columns: tuple[str, ...]) -> dict[str, Any]:
    """A CSV row back as the record's fields, as text: each non-empty cell at its dotted path, then the
    fields of `_extra`."""
    record: dict[str, Any] = {}
    for column in columns:
        if row[column] != "":
            _put(record, column, row[column])
    for name, value in json.loads(row[cli.EXTRA_COLUMN] or "{}").items():
        _put(record, name, spelled(value))
    return record


def record_as_text(record: dict[str, Any], columns: tuple[str, ...], prefix: str = "") -> dict[str, Any]:
    """The JSON export's record with each value that has a column, or none, as text (an empty text or object
    has no cell to tell it apart from an absent one)."""
    text: dict[str, Any] = {}
    for key, value in record.items():
        name = prefix + key
        if isinstance(value, dict) and name not in columns and any(c.startswith(f"{name}.") for c in columns):
            nested = record_as_text(value, columns, f"{name}.")
            if nested:
                text[key] = nested
        elif value != "":
            text[key] = spelled(value)
    return text


def csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


@each_operation()
def test_each_operation_writes_csv_with_the_schemas_columns_and_every_value_of_the_json_export(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fake_api, case)
    assert cli.main(command_line(case, "--format", "csv"), environ=environ(fake_api)) == cli.EXIT_OK
    header, rows = csv_rows(capsys.readouterr().out)
    if case.response_json() is None:  # no body: nothing to write
        assert (header, rows) == ([], [])
        return
    assert header == [*case.operation.columns, cli.EXTRA_COLUMN]
    records = written(case, answer_json(case))
    assert [row_as_record(row, case.operation.columns) for row in rows] == [
        record_as_text(record, case.operation.columns) for record in records
    ]


@each_operation(where=lambda case: case.response_json() is not None)
def test_each_operation_has_csv_columns_from_its_response_schema(case: OperationCase) -> None:
    # every top-level property of the record's schema, but those the answer never holds, names a column or
    # the first part of flattened ones; pipeline/generating/test_record_columns.py shows the rules
    schema = item_schema(case) if case.paginated else resolve(SPEC, case.response_schema() or {})
    properties = [name for name, child in schema["properties"].items() if not resolve(SPEC, child).get("writeOnly")]
    firsts = list(dict.fromkeys(column.split(".")[0] for column in case.operation.columns))
    assert firsts == properties


@paginated
def test_all_as_csv_writes_every_item_of_every_page_and_exits_0(case: OperationCase, fake_api: FakeHilosServer) -> None:
    serve_pages(fake_api, case)
    page_size = ["--page-size", str(PAGE_SIZE)] if "page_size" in case.call_signature().parameters else []
    done = run_cli(fake_api, *command_line(case, "--all", "--format", "csv", *page_size))
    assert done.returncode == cli.EXIT_OK, done.stderr
    header, rows = csv_rows(done.stdout)
    assert header == [*case.operation.columns, cli.EXTRA_COLUMN]
    columns = case.operation.columns
    assert [row_as_record(row, columns) for row in rows] == [record_as_text(item, columns) for item in items_json(case)]
    assert [json.loads(row[cli.EXTRA_COLUMN]) for row in rows] == [{"x_test_index": i} for i in range(ITEMS)]
    assert [request.param("page") for request in operation_requests(fake_api, case)] == ["1", "2", "3"]
    assert done.stderr == ""  # stderr is not a terminal: no progress bar


def sparse_then_full_items(case: OperationCase, count: int = ITEMS) -> list[Any]:
    """Distinct items of a listing: the first the sparsest the spec allows, then the fullest ones (every
    field), every third with each nullable field null."""
    items = []
    for index, sparse in enumerate(items_json(case, count)):
        if index:
            full = fullest_instance(item_schema(case), index=index, nulls=index % 3 == 0)
            sparse = {**full, **{key: sparse[key] for key in ("id", "x_test_index") if key in sparse}}
        items.append(sparse)
    return items


@paginated
def test_all_as_csv_after_a_first_item_lacking_optional_fields_writes_every_column_of_every_row(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    items = sparse_then_full_items(case)
    fake_api.route(case.operation.method, case.operation.path, lambda request, path: fake_api.page_of(items, request))
    exported = {}
    for output_format in ("jsonl", "csv"):
        assert cli.main(command_line(case, "--all", "--format", output_format), environ=environ(fake_api)) == 0
        exported[output_format] = capsys.readouterr().out
    records = [json.loads(line) for line in exported["jsonl"].splitlines()]
    header, rows = csv_rows(exported["csv"])
    columns = case.operation.columns
    assert header == [*columns, cli.EXTRA_COLUMN]
    assert len(rows) == len(records) == ITEMS
    assert [row_as_record(row, columns) for row in rows] == [record_as_text(record, columns) for record in records]
    full = rows[1]  # every field set, none null: a value in every column
    assert [column for column in columns if full[column] == ""] == []
    cells = {cell for row in rows for cell in row.values()}
    assert not cells & {"True", "False", "None"}  # Python's spellings


@paginated
def test_page_writes_the_items_of_that_page(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve_pages(fake_api, case, count=PAGE_SIZE + 1)
    assert cli.main(command_line(case, "--page", "2"), environ=environ(fake_api)) == cli.EXIT_OK
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == items_json(case, PAGE_SIZE + 1)[
        PAGE_SIZE:
    ]
    (request,) = fake_api.requests
    assert request.param("page") == "2"


@paginated
def test_page_and_all_together_are_a_usage_error(case: OperationCase, fake_api: FakeHilosServer) -> None:
    assert cli.main(command_line(case, "--all", "--page", "2"), environ=environ(fake_api)) == cli.EXIT_USAGE
    assert fake_api.requests == []


@paginated
def test_progress_bar_on_a_terminal_counts_up_to_count(case: OperationCase, fake_api: FakeHilosServer) -> None:
    serve_pages(fake_api, case)
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "hilos_client", *command_line(case, "--all")],
            env=subprocess_env(fake_api),
            stdout=subprocess.PIPE,
            stderr=terminal,
            timeout=60,
        )
        os.close(terminal)
        terminal = -1
        drawn = b""
        while chunk := _read_available(controller):
            drawn += chunk
    finally:
        if terminal != -1:
            os.close(terminal)
        os.close(controller)
    assert done.returncode == cli.EXIT_OK
    assert len(done.stdout.splitlines()) == ITEMS
    last = drawn.decode().rstrip().rpartition("\r")[2]
    assert re.fullmatch(rf"\[#+\] {ITEMS}/{ITEMS} items \(100%\)  \d+\.\d items/s  ETA 0:00", last), last


def _read_available(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # Linux reports the end of a pty whose other side closed as EIO
        return b""


# -- request bodies ------------------------------------------------------------------------------------------------
@with_body
@pytest.mark.parametrize("source", ["text", "file", "stdin"])
def test_the_body_is_read_from_the_text_a_file_or_stdin(
    case: OperationCase, source: str, fake_api: FakeHilosServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(fake_api, case)
    text = json.dumps(case.body_json())
    if source == "file":
        (tmp_path / "body.json").write_text(text, encoding="utf-8")
        argument = f"@{tmp_path / 'body.json'}"
    elif source == "stdin":
        monkeypatch.setattr(sys, "stdin", io.StringIO(text))
        argument = "-"
    else:
        argument = text
    assert cli.main(command_line(case, body=argument), environ=environ(fake_api)) == cli.EXIT_OK
    (request,) = fake_api.requests
    assert json.loads(request.body) == case.body_json()


def typed_property(case: OperationCase) -> str:
    """A property of the body whose schema has a JSON type other than object, so a dict is wrong for it."""
    properties: dict[str, Any] = resolve(SPEC, case.body_schema or {}).get("properties", {})
    kinds = ("string", "integer", "number", "boolean", "array")
    return next(name for name, schema in properties.items() if resolve(SPEC, schema).get("type") in kinds)


def invalid_bodies(case: OperationCase) -> dict[str, tuple[str, str]]:
    """Bodies the request model refuses, each with what the error says."""
    model = case.body_class().__name__
    wrong = typed_property(case)
    bodies = {
        "not JSON": ('{"unclosed', "argument --body: not JSON: "),
        "not an object": ("[]", f"argument --body: not a {model} in JSON: expected a JSON object, got list"),
        "a field of the wrong type": (
            json.dumps({**case.body_json(), wrong: {"not": "this"}}),
            f"argument --body: not a {model} in JSON: {wrong}: ",
        ),
        "a missing file": ("@/nonexistent/body.json", "argument --body: cannot read /nonexistent/body.json: "),
    }
    required = resolve(SPEC, case.body_schema or {}).get("required") or []
    if required:
        missing = {k: v for k, v in case.body_json().items() if k != required[0]}
        bodies["a required field missing"] = (
            json.dumps(missing),
            f"argument --body: not a {model} in JSON: {required[0]}: required field is missing",
        )
    return bodies


@with_body
def test_a_body_the_model_refuses_is_a_one_line_usage_error_and_nothing_is_sent(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fake_api, case)
    for problem, (body, message) in invalid_bodies(case).items():
        assert cli.main(command_line(case, body=body), environ=environ(fake_api)) == cli.EXIT_USAGE, problem
        out = capsys.readouterr()
        (line,) = out.err.splitlines()
        assert line.startswith(f"hilos-client: error: {message}"), (problem, line)
        assert out.out == ""
    assert fake_api.requests == []


@with_body
def test_a_body_is_checked_before_the_configuration(case: OperationCase, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(command_line(case, body="[]"), environ={}) == cli.EXIT_USAGE
    assert "argument --body" in capsys.readouterr().err


@each_operation(where=lambda case: case.body_required)
def test_a_required_body_left_out_is_a_usage_error(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    line = command_line(case)
    without_body = line[: line.index("--body")] + line[line.index("--body") + 2 :]
    with pytest.raises(SystemExit) as exit:
        cli.main(without_body, environ=environ(fake_api))
    assert exit.value.code == cli.EXIT_USAGE
    assert "the following arguments are required: --body" in capsys.readouterr().err
    assert fake_api.requests == []


# -- failures ----------------------------------------------------------------------------------------------------
FAULTS = {
    "401": (Fault(status=401, body={"detail": "Invalid token."}), cli.EXIT_AUTHENTICATION, "AuthenticationError"),
    "403": (Fault(status=403, body={"detail": "no"}), cli.EXIT_ERROR, "PermissionDeniedError"),
    "404": (Fault(status=404, body={"detail": "Not found."}), cli.EXIT_NOT_FOUND, "NotFoundError"),
    "429": (
        Fault(status=429, body={"detail": "slow down"}, headers={"Retry-After": "0"}),
        cli.EXIT_RATE_LIMITED,
        "RateLimitError",
    ),
    "503": (Fault(status=503, body="down"), cli.EXIT_UNAVAILABLE, "ServerError"),
}


@each_operation()
@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_each_failure_of_each_operation_has_its_exit_code_and_one_line(
    case: OperationCase, fault: str, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    answer, code, kind = FAULTS[fault]
    fake_api.handler = lambda request: answer  # every attempt, retries included, gets it
    assert cli.main(command_line(case), environ=environ(fake_api)) == code
    out = capsys.readouterr()
    (line,) = out.err.splitlines()
    assert line.startswith(f"hilos-client: error: {kind}: {fault}"), line
    assert out.out == ""
    assert operation_requests(fake_api, case)


@each_operation(where=lambda case: case.response_schema() is not None)
def test_an_answer_that_does_not_match_the_spec_exits_with_the_error_code(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fake_api, case, answer=["not", "the", "model"])
    assert cli.main(command_line(case), environ=environ(fake_api)) == cli.EXIT_ERROR
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("hilos-client: error: ResponseValidationError")


@each_operation()
def test_a_wrong_token_exits_with_the_authentication_code_without_the_token(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fake_api, case)
    assert cli.main(command_line(case), environ=environ(fake_api, "wrong-secret-value")) == cli.EXIT_AUTHENTICATION
    out = capsys.readouterr()
    (line,) = out.err.splitlines()
    assert line.startswith("hilos-client: error: AuthenticationError: 401")
    assert "wrong-secret-value" not in out.err + out.out


@each_operation()
def test_no_connection_exits_with_the_unavailable_code(case: OperationCase, capsys: pytest.CaptureFixture[str]) -> None:
    environ = {"HILOS_API_TOKEN": TOKEN, "HILOS_RETRIES": "0"}  # a refused connection is retried otherwise
    with refusing_base_url() as base_url:
        code = cli.main(command_line(case), environ={**environ, "HILOS_BASE_URL": base_url})
    assert code == cli.EXIT_UNAVAILABLE
    assert "ApiConnectionError" in capsys.readouterr().err


@each_operation()
def test_missing_configuration_exits_with_the_configuration_code(
    case: OperationCase, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(command_line(case), environ={}) == cli.EXIT_CONFIGURATION
    assert "HILOS_API_TOKEN" in capsys.readouterr().err


def test_csv_flattening_names_nested_fields_with_dots_and_keeps_lists_as_json() -> None:
    row = cli.flatten({"a": 1, "b": {"c": {"d": None}, "e": [1, 2]}, "f": {}})
    assert row == {"a": 1, "b.c.d": None, "b.e": "[1, 2]", "f": "{}"}


# -- the command's own options ---------------------------------------------------------------------------------
def test_version_prints_the_commands_name_and_the_packages_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["--version"])
    assert exit.value.code == cli.EXIT_OK
    assert capsys.readouterr().out == f"hilos-client {hilos_client.__version__}\n"


def bounded_parameters(case: OperationCase) -> list[tuple[dict[str, Any], str, str]]:
    """Each parameter the spec bounds, with a value just past a bound and what the error says of it (`--page 0`
    for a listing's `page`, whose minimum is 1)."""
    found = []
    for parameter in case.parameters:
        schema = resolve(SPEC, parameter.get("schema", {}))
        if "minimum" in schema:
            found.append((parameter, as_text(schema["minimum"] - 1), f"must be at least {schema['minimum']}"))
        if "maximum" in schema:
            found.append((parameter, as_text(schema["maximum"] + 1), f"must be at most {schema['maximum']}"))
    return found


@each_operation(where=lambda case: bool(bounded_parameters(case)))
def test_a_value_past_a_bound_of_the_spec_is_a_usage_error_and_nothing_is_sent(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fake_api, case)
    for parameter, value, message in bounded_parameters(case):
        name = option(case.python_name(parameter))
        with pytest.raises(SystemExit) as exit:
            cli.main([*command_line(case), name, value], environ=environ(fake_api))
        assert exit.value.code == cli.EXIT_USAGE
        assert f"error: argument {name}: {message}, not '{value}'" in capsys.readouterr().err
    assert fake_api.requests == []


@each_operation()
def test_timeout_deadline_retries_and_allow_http_reach_the_client(
    case: OperationCase, fake_api: FakeHilosServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(fake_api, case)
    built: list[AuthenticatedClient] = []
    from_env = AuthenticatedClient.from_env.__func__  # type: ignore[attr-defined]

    def recording_from_env(cls: type[AuthenticatedClient], /, **options: Any) -> AuthenticatedClient:
        client: AuthenticatedClient = from_env(cls, **options)
        built.append(client)
        return client

    monkeypatch.setattr(AuthenticatedClient, "from_env", classmethod(recording_from_env))
    flags = ["--timeout", "2.5", "--deadline", "none", "--retries", "4", "--allow-http"]
    assert cli.main(command_line(case, *flags), environ=environ(fake_api)) == cli.EXIT_OK
    (client,) = built
    assert (client.timeout, client.deadline, client.retries, client.allow_insecure_http) == (2.5, None, 4, True)
    variables = {"HILOS_TIMEOUT": "3", "HILOS_DEADLINE": "9", "HILOS_RETRIES": "1"}
    assert cli.main(command_line(case), environ=environ(fake_api) | variables) == cli.EXIT_OK
    assert (built[1].timeout, built[1].deadline, built[1].retries, built[1].allow_insecure_http) == (3, 9, 1, False)


@each_operation()
@pytest.mark.parametrize(("flag", "variable"), [(None, "1"), ("1", "0"), ("0", None)], ids=["env", "flag-wins", "flag"])
def test_retries_are_counted_by_the_server(
    case: OperationCase, flag: str | None, variable: str | None, fake_api: FakeHilosServer
) -> None:
    fake_api.handler = lambda request: Fault(status=503, body="down")
    extra = [] if flag is None else ["--retries", flag]
    variables = {} if variable is None else {"HILOS_RETRIES": variable}
    assert cli.main(command_line(case, *extra), environ=environ(fake_api) | variables) == cli.EXIT_UNAVAILABLE
    retried = case.operation.method in IDEMPOTENT_METHODS and (flag or variable) == "1"
    assert len(operation_requests(fake_api, case)) == (2 if retried else 1)


@each_operation()
def test_timeout_bounds_each_attempt_on_the_wire(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_api.handler = lambda request: Fault(status=case.success_status, body=answer_json(case), delay=0.5)
    code = cli.main(command_line(case, "--timeout", "0.05", "--retries", "0"), environ=environ(fake_api))
    assert code == cli.EXIT_UNAVAILABLE
    assert "Timeout" in capsys.readouterr().err
    assert len(operation_requests(fake_api, case)) == 1


@pytest.mark.parametrize(
    "option_and_value",
    [["--timeout", "0"], ["--timeout", "soon"], ["--deadline", "-1"], ["--retries", "-1"], ["--retries", "1.5"]],
    ids=lambda value: " ".join(value),
)
@each_operation()
def test_a_wrong_timeout_deadline_or_retries_is_a_usage_error_and_nothing_is_sent(
    case: OperationCase, option_and_value: list[str], fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(command_line(case, *option_and_value), environ=environ(fake_api))
    assert exit.value.code == cli.EXIT_USAGE
    assert f"error: argument {option_and_value[0]}: expected " in capsys.readouterr().err
    assert fake_api.requests == []


@each_operation()
def test_plain_http_to_another_host_needs_allow_http_which_the_error_names(
    case: OperationCase, fake_api: FakeHilosServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve(fake_api, case)
    # `127.1` is 127.0.0.1 to the resolver, but not a name the client recognises as this machine (localhost or
    # a loopback address written out): to it, a remote host.
    remote = {**environ(fake_api), "HILOS_BASE_URL": fake_api.base_url.replace("127.0.0.1", "127.1")}
    assert cli.main(command_line(case), environ=remote) == cli.EXIT_CONFIGURATION
    (line,) = capsys.readouterr().err.splitlines()
    assert "HILOS_BASE_URL" in line and "pass --allow-http" in line and "allow_insecure_http" not in line
    assert fake_api.requests == []
    assert cli.main(command_line(case, "--allow-http"), environ=remote) == cli.EXIT_OK
    assert len(operation_requests(fake_api, case)) == 1


# -- the progress bar, on a fake terminal -----------------------------------------------------------------------
class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_bar_shows_items_rate_and_time_left() -> None:
    terminal, clock = FakeTerminal(), FakeClock()
    progress = runtime_cli._Progress(terminal, clock=clock)
    progress.total = 100
    for _ in range(25):
        clock.now += 0.2  # 5 items a second
        progress.advance()
    line = terminal.getvalue().rpartition("\r")[2]
    assert re.fullmatch(r"\[#{7}-{23}\] 25/100 items \(25%\)  5\.0 items/s  ETA 0:15 *", line), line
    progress.finish()
    assert terminal.getvalue().endswith("ETA 0:15\n")


def test_progress_bar_without_a_count_shows_items_and_rate_and_blanks_a_longer_line() -> None:
    terminal, clock = FakeTerminal(), FakeClock()
    progress = runtime_cli._Progress(terminal, clock=clock)
    progress.draw()
    assert terminal.getvalue() == "\r0 items  -- items/s"
    clock.now += 1
    progress.done = 3700
    progress.total = 7400
    progress.draw()
    assert terminal.getvalue().rpartition("\r")[2].endswith("3700.0 items/s  ETA 0:01")
    progress.total = None
    progress.draw()
    line = terminal.getvalue().rpartition("\r")[2]
    assert line.startswith("3700 items  3700.0 items/s ") and len(line) > len(line.rstrip())
    assert runtime_cli._duration(3 * 3600 + 62) == "3:01:02"
