"""The README's "Testing your app" example runs as written (its tests pass against hilos_client.testing, and
fail when the app is wrong), and its "Command line" exit codes are the command's and its examples parse."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from hilos_client import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def section(heading: str) -> str:
    return README.read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def readme_testing_example() -> dict[str, Any]:
    (code,) = re.findall(r"```python\n(.*?)```", section("Testing your app"), re.S)
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code, "README.md", "exec"), namespace)
    return namespace


def example_tests(namespace: dict[str, Any]) -> list[Any]:
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 3
    return tests


def test_the_testing_examples_tests_pass() -> None:
    for test in example_tests(readme_testing_example()):
        test()


def test_the_testing_examples_tests_catch_a_wrong_app() -> None:
    namespace = readme_testing_example()
    namespace["active_phones"] = lambda client: []  # an app that reads nothing and catches nothing
    for test in example_tests(namespace):
        with pytest.raises((AssertionError, pytest.fail.Exception)):  # a failed assert, or "DID NOT RAISE"
            test()


def test_the_command_line_section_lists_every_exit_code() -> None:
    (table,) = re.findall(r"```text\n(.*?)```", section("Command line"), re.S)
    assert table.splitlines() == [f"{code}  {meaning}" for code, meaning in cli.EXIT_CODES.items()]


def test_the_command_line_sections_examples_parse() -> None:
    """Each `hilos-client` command of the section names a subcommand and options the command has."""
    (script,) = re.findall(r"```sh\n(.*?)```", section("Command line"), re.S)
    commands = [line for line in script.replace("\\\n", " ").splitlines() if line.startswith("hilos-client ")]
    assert commands
    parser = cli.build_parser()
    for command in commands:
        words = shlex.split(command.partition(">")[0])[1:]
        assert parser.parse_args(words).spec_operation is not None, command
