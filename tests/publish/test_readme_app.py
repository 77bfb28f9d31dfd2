"""The README's promise, kept by the published wheel: an app and its tests written only from README.md
(tests/publish/readme_app/) type-check and pass in a fresh virtualenv, and the README's command line works.
Every ```python block of the README is type-checked with the app, in the same strict modes, so code copied
from it type-checks too (tests/test_readme_examples.py runs the blocks).

The virtualenv gets hilos-client from the local index of this package's `make publish` (tests/publish/conftest.py)
and pytest from .venv/wheelhouse/app-tests (`make wheelhouse`), nothing else. mypy --strict and pyright in
strict mode are the repo's own (.venv), pointed at the fresh virtualenv's interpreter, so `hilos_client`
comes from its site-packages only: the app is copied out of the source tree, and no PYTHONPATH or MYPYPATH
is set. Every server is on 127.0.0.1.
"""

from __future__ import annotations

import ast
import csv
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from hilos_client._spec import OPERATIONS
from hilos_client.cli import EXTRA_COLUMN

from pipeline.releasing.version import client_version
from tests.publish.conftest import WHEELHOUSE, Run, fresh_venv
from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault, make_contacts
from tests.support.http_proxy import HttpProxy
from tests.support.operation_cases import OPERATION_CASES, SPEC, minimal_instance
from tests.support.package_index import LocalPackageIndex
from tests.support.spec_schema import resolve
from tests.test_readme_examples import README, python_blocks

APP_SOURCE = Path(__file__).parent / "readme_app"
APP_FILES = ("app.py", "test_app.py")
TOOLS = Path(sys.executable).parent  # the repo's .venv/bin: mypy and pyright, pinned in requirements/tools.txt
# A guard against a hang, not a measure: the 120 s Retry-After is proved waited on the fake's clock by the app's
# own test (`fake.clock.sleeps == [120]`).
GENEROUS_SECONDS = 60.0


def clean_env(home: Path, **more: str) -> dict[str, str]:
    """PATH and HOME only (plus `more`): nothing points Python, mypy or the client anywhere else."""
    return {"PATH": os.environ["PATH"], "HOME": str(home), **more}


@pytest.fixture(scope="module")
def app_venv(tmp_path_factory: pytest.TempPathFactory, index: LocalPackageIndex, published: Run) -> Path:
    """A fresh virtualenv with hilos-client from the local index, and pytest (for the app's tests)."""
    app_tests = WHEELHOUSE / "app-tests"
    if not sorted(app_tests.glob("pytest-*.whl")):
        pytest.fail(f"{app_tests} has no pytest wheel: run `make wheelhouse` (tests do not use the network)")
    where = tmp_path_factory.mktemp("app-user") / "venv"
    return fresh_venv(where, index, "--find-links", str(app_tests), "pytest")


def readme_blocks() -> dict[str, str]:
    """Each ```python block of README.md as a module, named by its number and its first line in the README."""
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    return {f"readme_block_{block.number:02d}_line_{block.first_line}.py": block.code for block in blocks}


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README app and the README's blocks, copied where nothing of the source tree is importable."""
    where = tmp_path_factory.mktemp("readme-app")
    for name in APP_FILES:
        shutil.copy(APP_SOURCE / name, where / name)
    for name, code in readme_blocks().items():
        (where / name).write_text(code, encoding="utf-8")
    return where


def checked_files() -> list[str]:
    blocks = readme_blocks()
    assert len(blocks) >= 20, "README.md's python blocks were not found"
    return [*APP_FILES, *blocks]


def test_the_app_imports_hilos_client_from_the_fresh_virtualenv(app_venv: Path, app_dir: Path) -> None:
    found = subprocess.run(
        [app_venv / "bin" / "python", "-c", "import app, hilos_client; print(hilos_client.__file__)"],
        cwd=app_dir,
        env=clean_env(app_dir),
        capture_output=True,
        text=True,
        timeout=GENEROUS_SECONDS,
    )
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(app_venv)


def test_the_app_and_the_readmes_examples_pass_mypy_strict_against_the_installed_wheel(
    app_venv: Path, app_dir: Path
) -> None:
    (app_dir / "mypy.ini").write_text("[mypy]\n", encoding="utf-8")  # no configuration of the repo's applies
    checked = subprocess.run(
        [str(TOOLS / "mypy"), "--config-file", "mypy.ini", "--strict", "--verbose", "--cache-dir", ".mypy-cache"]
        + ["--python-executable", str(app_venv / "bin" / "python"), *checked_files()],
        cwd=app_dir,
        env=clean_env(app_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr[-3000:]
    assert checked.stdout.strip() == f"Success: no issues found in {len(checked_files())} source files"
    parsed = re.findall(r"LOG:  Parsing (\S+) \((hilos_client[\w.]*)\)", checked.stderr)
    assert ("hilos_client" in {module for _, module in parsed}) and ("hilos_client.testing" in dict(parsed).values())
    assert [path for path, _ in parsed if not Path(path).is_relative_to(app_venv)] == []


def test_the_app_and_the_readmes_examples_pass_pyright_strict_against_the_installed_wheel(
    app_venv: Path, app_dir: Path
) -> None:
    (app_dir / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "strict"}), encoding="utf-8")
    checked = subprocess.run(
        [str(TOOLS / "pyright"), "--verbose", "-p", "pyrightconfig.json"]
        + ["--pythonpath", str(app_venv / "bin" / "python"), *checked_files()],
        cwd=app_dir,
        env={**os.environ, "PYTHONPATH": ""},  # pyright may need its cached node under the real HOME
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout[-5000:]
    assert re.search(r"^0 errors, 0 warnings, 0 informations\s*$", checked.stdout, re.MULTILINE), checked.stdout
    assert f"Found {len(checked_files())} source files" in checked.stdout
    search = checked.stdout.split("Search paths", 1)[1].split("\n\n", 1)[0]
    site_packages = [line.strip() for line in search.splitlines() if line.strip().endswith("site-packages")]
    assert site_packages == [
        str(app_venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages")
    ]


def app_test_names() -> set[str]:
    tree = ast.parse((APP_SOURCE / "test_app.py").read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_the_apps_tests_pass_in_the_fresh_virtualenv(app_venv: Path, app_dir: Path) -> None:
    report = app_dir / "report.xml"
    ran = subprocess.run(
        [app_venv / "bin" / "python", "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}", *APP_FILES[1:]],
        cwd=app_dir,
        env=clean_env(app_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    cases = ElementTree.parse(report).getroot().iter("testcase")
    outcomes = {case.get("name"): ([child.tag for child in case], float(case.get("time") or 0)) for case in cases}
    assert outcomes.keys() == app_test_names() and all(children == [] for children, _ in outcomes.values())
    _, seconds = outcomes["test_a_120_second_retry_after_is_waited_out_on_the_fake_clock"]
    assert seconds < GENEROUS_SECONDS


def run_app(app_venv: Path, app_dir: Path, api: FakeHilosServer, proxy: HttpProxy, *args: str) -> dict[str, Any]:
    env = clean_env(app_dir, HILOS_API_TOKEN=TOKEN, HILOS_BASE_URL=api.base_url, APP_PROXY_URL=proxy.url)
    done = subprocess.run(
        [app_venv / "bin" / "python", "app.py", "report", *args],
        cwd=app_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=GENEROUS_SECONDS,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_the_apps_own_httpx_client_with_a_proxy_mount_gets_authenticated_retried_calls(
    app_venv: Path, app_dir: Path
) -> None:
    with FakeHilosServer(make_contacts(3)) as api, HttpProxy() as proxy:
        api.faults.append(Fault(status=503, body={"detail": "Service unavailable."}))
        result = run_app(app_venv, app_dir, api, proxy)
    assert {key: result[key] for key in ("status", "attempts", "count", "http_client_open")} == {
        "status": 200,
        "attempts": 2,
        "count": 3,
        "http_client_open": True,
    }
    assert len(api.requests) == len(proxy.requests) == 2  # both attempts went through the proxy mount
    assert all(request.target.startswith(api.base_url) for request in proxy.requests)
    assert all(request.headers["Authorization"] == f"Token {TOKEN}" for request in api.requests)
    assert len(result["seen"]) == 2 and all(url.startswith(api.base_url) for url in result["seen"])  # its event hook


def test_the_apps_own_httpx_client_is_bound_by_the_calls_deadline(app_venv: Path, app_dir: Path) -> None:
    with FakeHilosServer(make_contacts(3)) as api, HttpProxy() as proxy:
        api.latency = 5.0
        result = run_app(app_venv, app_dir, api, proxy, "--deadline", "0.5")
    assert result["error"] == "ApiTimeoutError"
    assert result["limit"] == "deadline"
    assert result["http_client_open"] is True


def test_hilos_client_version_from_the_fresh_virtualenv(app_venv: Path, tmp_path: Path) -> None:
    shown = subprocess.run(
        [app_venv / "bin" / "hilos-client", "--version"],
        cwd=tmp_path,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=GENEROUS_SECONDS,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == f"hilos-client {client_version()}\n"


def sparsest_contact() -> dict[str, Any]:
    """A flow execution contact with only the fields the spec requires (an item of the README's listing)."""
    (case,) = [case for case in OPERATION_CASES if case.operation.name == "list_flow_execution_contacts"]
    page_schema = resolve(SPEC, case.response_schema() or {})
    item_schema = resolve(SPEC, resolve(SPEC, page_schema["properties"]["results"])["items"])
    item: dict[str, Any] = minimal_instance(item_schema, SPEC)
    return item


def cell(item: dict[str, Any], column: str) -> Any:
    """The value at the dotted column in the item, or `...` when the item lacks it."""
    value: Any = item
    for part in column.split("."):
        if not isinstance(value, dict) or part not in value:
            return ...
        value = value[part]
    return value


def same_text(written: str, sent: str) -> bool:
    """The text the API sent, as the client writes it: date-times in UTC as `Z` (README, Limits and guarantees)."""
    if written == sent:
        return True
    try:
        return datetime.datetime.fromisoformat(written) == datetime.datetime.fromisoformat(sent)
    except ValueError:
        return False


def test_the_readmes_csv_export_of_every_page_writes_every_column_of_every_row(app_venv: Path, tmp_path: Path) -> None:
    (operation,) = [operation for operation in OPERATIONS if operation.name == "list_flow_execution_contacts"]
    full = make_contacts(24, status="RUNNING")
    # The fake API applies the README command's filters, active contacts of the flow: the first item has
    # the fields the spec requires, and the two the filters read.
    sparse = {**sparsest_contact(), "status": "RUNNING", "flow": full[0]["flow"]}
    items = [sparse, *full]
    with FakeHilosServer(items) as api:
        exported = subprocess.run(
            [str(app_venv / "bin" / "hilos-client"), "flows", "list-flow-execution-contacts"]
            + ["--flow", str(full[0]["flow"]), "--is-active", "true", "--all", "--format", "csv", "--page-size", "10"],
            cwd=tmp_path,
            env=clean_env(tmp_path, HILOS_API_TOKEN=TOKEN, HILOS_BASE_URL=api.base_url),
            capture_output=True,
            text=True,
            timeout=GENEROUS_SECONDS,
        )
    assert exported.returncode == 0, exported.stderr
    reader = csv.DictReader(io.StringIO(exported.stdout), restkey="<more cells than columns>")
    rows = list(reader)
    assert reader.fieldnames == [*operation.columns, EXTRA_COLUMN]
    assert len(rows) == len(items)
    assert [list(row) for row in rows] == [list(reader.fieldnames)] * len(rows)  # every cell of every row
    for item, row in zip(items, rows, strict=True):
        for column in operation.columns:
            expected = cell(item, column)
            if expected is ...:
                assert row[column] == "", (column, row[column])
            elif isinstance(expected, str):
                assert same_text(row[column], expected), (column, row[column], expected)
            else:
                assert json.loads(row[column]) == expected, column
        assert row[EXTRA_COLUMN] in ("", "{}")
    missing_at_first = [column for column in operation.columns if cell(sparse, column) is ...]
    assert missing_at_first  # the first item does lack optional fields
    assert [column for column in missing_at_first if rows[1][column] == "" and cell(full[0], column) is not ...] == []
