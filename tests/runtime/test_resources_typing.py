"""What type checkers see of `with_raw_response` and the per-call extras: a script calling every operation
through `Hilos` / `AsyncHilos` (`with_raw_response`, `extra_headers=`, `extra_query=`) passes `mypy --strict`
and pyright's strict mode, and both infer `Response[<the operation's result>]` (checked with `assert_type`)."""

from __future__ import annotations

import os
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Any

import pytest

from pipeline.project import GENERATED
from tests.support.operation_cases import OPERATION_CASES, OperationCase


def spelled(hint: Any, imports: set[str]) -> str:
    """`hint` as source code, adding the imports it needs."""
    if hint is type(None) or hint is None:
        return "None"
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return " | ".join(spelled(member, imports) for member in typing.get_args(hint))
    imports.add(f"from {hint.__module__} import {hint.__name__}")
    return str(hint.__name__)


def call(case: OperationCase, hilos: str) -> str:
    operation = case.operation
    return (
        f"{hilos}.with_raw_response.{operation.tag}.{operation.name}("
        '*args, **kwargs, extra_headers={"X-Trace": "1"}, extra_query={"expand": ["a", 1], "flag": True})'
    )


def script() -> str:
    imports: set[str] = set()
    sync_lines: list[str] = []
    async_lines: list[str] = []
    for index, case in enumerate(OPERATION_CASES):
        result = spelled(typing.get_type_hints(case.module().sync)["return"], imports)
        parsed = "None" if result == "None" else f"{result} | None"
        sync_lines += [
            f"    r{index} = {call(case, 'hilos')}",
            f"    assert_type(r{index}, Response[{result}])",
            f"    assert_type(r{index}.parsed, {parsed})",
        ]
        async_lines += [
            f"    a{index} = await {call(case, 'ahilos')}",
            f"    assert_type(a{index}, Response[{result}])",
        ]
    header = [
        "# pyright: strict",
        "import datetime",
        "from typing import Any, assert_type",
        "",
        "import httpx",
        "from hilos_client import AsyncHilos, Hilos",
        "from hilos_client.types import Response",
        *sorted(imports),
        "",
        "",
        "def sync_calls(hilos: Hilos, args: list[Any], kwargs: dict[str, Any]) -> None:",
    ]
    fields = [
        "    assert_type(r0.request, httpx.Request)",
        "    assert_type(r0.url, httpx.URL)",
        "    assert_type(r0.elapsed, datetime.timedelta)",
        "    assert_type(r0.attempts, int)",
    ]
    tail = ["", "", "async def async_calls(ahilos: AsyncHilos, args: list[Any], kwargs: dict[str, Any]) -> None:"]
    return "\n".join([*header, *sync_lines, *fields, *tail, *async_lines, ""])


@pytest.fixture(scope="module")
def checked_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("typing") / "uses_raw_responses.py"
    path.write_text(script())
    return path


def run_tool(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    tools = Path(sys.executable).parent
    # pyright finds the dependencies through the `python` on PATH, mypy the package through MYPYPATH.
    env = {
        **os.environ,
        "MYPYPATH": str(GENERATED),
        "PYTHONPATH": str(GENERATED),
        "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return subprocess.run(
        [str(tools / name), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_script_calls_every_operation() -> None:
    text = script()
    assert all(f".with_raw_response.{case.operation.tag}.{case.operation.name}(" in text for case in OPERATION_CASES)


def test_mypy_strict_infers_the_response_of_every_operation(checked_script: Path) -> None:
    cache = checked_script.parent / "mypy-cache"
    result = run_tool("mypy", "--strict", "--cache-dir", str(cache), checked_script.name, cwd=checked_script.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_strict_infers_the_response_of_every_operation(checked_script: Path) -> None:
    result = run_tool("pyright", "--pythonpath", sys.executable, checked_script.name, cwd=checked_script.parent)
    assert result.returncode == 0, result.stdout + result.stderr
