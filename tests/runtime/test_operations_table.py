"""The operations table as the package reads it (`hilos_client._spec.OPERATIONS`): each row says what the
generated module takes and answers (parameters and their types, body, success status, pagination), and the
command line's options are exactly a row's parameters, with their whole descriptions as help."""

from __future__ import annotations

import argparse
import datetime
import inspect
import types
import typing
import uuid
from typing import Any

from hilos_client import cli
from hilos_client._runtime.operations import Operation, Parameter
from hilos_client._spec import OPERATIONS
from hilos_client.types import Unset

from tests.support.operation_cases import OperationCase, each_operation

_PLAIN_TYPES: dict[str, type[Any]] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "uuid": uuid.UUID,
    "datetime": datetime.datetime,
    "date": datetime.date,
}
_NOT_API_PARAMETERS = ("client", "timeout", "deadline", "extra_headers", "extra_query")


def _rows(operation: Operation) -> dict[str, Parameter]:
    return {parameter.name: parameter for parameter in (*operation.parameters, *filter(None, [operation.body]))}


def _value_type(annotation: Any) -> Any:
    """The first type an annotation admits other than Unset and None (what a caller passes)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return next(arg for arg in typing.get_args(annotation) if arg not in (Unset, type(None)))
    return annotation


@each_operation()
def test_a_rows_parameters_are_the_generated_functions_arguments_with_their_types(case: OperationCase) -> None:
    function = case.module().sync
    signature = inspect.signature(function)
    hints = typing.get_type_hints(function)
    rows = _rows(case.operation)
    assert sorted(rows) == sorted(name for name in signature.parameters if name not in _NOT_API_PARAMETERS)
    for name, row in rows.items():
        assert (signature.parameters[name].default is inspect.Parameter.empty) == row.required, name
        value = _value_type(hints[name])
        if row.is_list:
            assert typing.get_origin(value) is list, name
            value = typing.get_args(value)[0]
        if row.kind in ("enum", "model"):
            assert value is row.python_type(), name
        else:
            assert value is _PLAIN_TYPES[row.kind], name
        if row.kind == "enum":
            assert row.choices == tuple(member.value for member in row.python_type())


@each_operation()
def test_a_row_says_the_operations_success_status_body_and_pagination(case: OperationCase) -> None:
    operation = case.operation
    assert operation.success_status == case.success_status
    assert operation.paginated == case.paginated
    assert (operation.body is not None) == (case.body_schema is not None)
    assert operation.summary == case.spec.get("summary", "")
    assert operation.description == case.spec.get("description", "")


def _subcommand(parser: argparse.ArgumentParser, *names: str) -> argparse.ArgumentParser:
    for name in names:
        (subparsers,) = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
        parser = subparsers.choices[name]
    return parser


@each_operation()
def test_the_commands_options_are_the_rows_parameters_with_their_whole_description(case: OperationCase) -> None:
    operation = case.operation
    sub = _subcommand(cli.build_parser(), operation.tag.replace("_", "-"), operation.name.replace("_", "-"))
    options = {
        action.dest.removeprefix("parameter:"): action
        for action in sub._actions
        if action.dest.startswith("parameter:")
    }
    rows = _rows(operation)
    assert sorted(options) == sorted(rows)
    for name, row in rows.items():
        option = options[name]
        assert option.required == row.required, name
        if row.location == "body":
            assert option.option_strings == ["--body"]
            continue
        assert isinstance(option, argparse._AppendAction) == row.is_list, name
        assert option.help is not None
        assert option.help.replace("%%", "%").endswith(" ".join(row.description.split())), name  # never cut


def test_an_operation_built_with_four_fields_says_nothing_more() -> None:
    bare = Operation("list_things", "things", "GET", "/things")
    assert (bare.summary, bare.description, bare.parameters, bare.body) == ("", "", (), None)
    assert (bare.success_status, bare.paginated) == (None, None)
    assert OPERATIONS  # and the package's table has rows
