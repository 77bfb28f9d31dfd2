"""The runtime is written in patches/runtime/ and reaches the package as exact copies under `_runtime/`."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import hilos_client
import pytest

from pipeline.generating.check_drift import compare_trees
from pipeline.generating.generate import RUNTIME_HEADER
from pipeline.project import ROOT, RUNTIME

COMMITTED = ROOT / "generated"
COPIES = COMMITTED / "hilos_client" / "_runtime"


def test_every_runtime_module_is_copied_byte_for_byte_below_a_header_naming_its_source() -> None:
    sources = sorted(RUNTIME.glob("*.py"))
    assert sources and sorted(p.name for p in COPIES.glob("*.py")) == [p.name for p in sources]
    for source in sources:
        header = RUNTIME_HEADER.format(source=source.relative_to(ROOT).as_posix())
        assert (COPIES / source.name).read_text() == header + source.read_text()


def test_the_package_runs_the_copies() -> None:
    assert hilos_client.AuthenticatedClient.__module__ == "hilos_client._runtime.client"
    module_file = Path(str(sys.modules["hilos_client._runtime.client"].__file__))
    assert module_file.resolve() == (COPIES / "client.py").resolve()


@pytest.fixture
def committed_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "generated"
    shutil.copytree(COMMITTED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_a_hand_edit_of_a_copy_is_drift(committed_copy: Path) -> None:
    copied = committed_copy / "hilos_client" / "_runtime" / "sending.py"
    copied.write_text(copied.read_text().replace("def send_request(", "def send_request( ", 1))
    problems = compare_trees(committed_copy, COMMITTED)
    assert [line for line in problems if not line.startswith("    ")] == ["  differs: hilos_client/_runtime/sending.py"]
