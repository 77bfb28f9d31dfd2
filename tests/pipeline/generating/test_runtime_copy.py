"""The runtime is written in patches/runtime/ and reaches the package as exact copies under `_runtime/`."""

from __future__ import annotations

import sys
from pathlib import Path

import hilos_client

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
