"""The README's Usage examples (`Hilos`, `AsyncHilos`, the module functions) run as written against the loopback
fake API; only the base URL and token are swapped for the fake's (or set in the environment)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_hilos import TOKEN, FakeHilosServer, make_contact

README = Path(__file__).resolve().parents[2] / "README.md"
README_FLOW = "a3ff7ee5-0c11-49e2-a0d6-7e316626f7b1"


def usage_examples() -> list[str]:
    section = README.read_text(encoding="utf-8").split("\n## Usage\n", 1)[1].split("\n## ", 1)[0]
    # Its "Common jobs" examples call other operations; tests/test_readme_examples.py runs and checks them.
    section = re.sub(r"\n### Common jobs\n.*?(?=\n### )", "\n", section, flags=re.S)
    examples = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(examples) == 3, "expected the Hilos, AsyncHilos and module function examples under '## Usage'"
    return examples


@pytest.fixture
def active_in_flow(fake_api: FakeHilosServer) -> list[dict[str, Any]]:
    """150 contacts, 2 pages of the default page size; the active ones of the README's flow."""
    fake_api.contacts = [make_contact(i, flow=README_FLOW if i % 3 else None) for i in range(150)]
    return [c for c in fake_api.contacts if c["flow"] == README_FLOW and c["status"] in ("READY", "RUNNING")]


def run(example: str, fake_api: FakeHilosServer) -> None:
    example = example.replace('"https://youraccount.api-us1.com/api/3"', repr(fake_api.base_url))
    exec(compile(example.replace('"your-api-key"', repr(TOKEN)), "README.md", "exec"), {})


@pytest.mark.parametrize("index", [0, 2], ids=["Hilos", "module functions"])
def test_usage_example_prints_the_count_then_every_active_contact(
    index: int,
    fake_api: FakeHilosServer,
    active_in_flow: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(usage_examples()[index], fake_api)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"{len(active_in_flow)} active contacts in the flow"
    assert printed[1:] == [f"{c['contact']['phone']} {c['status']}" for c in active_in_flow]


def test_async_usage_example_reads_from_the_environment(
    fake_api: FakeHilosServer,
    active_in_flow: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HILOS_API_TOKEN", TOKEN)
    monkeypatch.setenv("HILOS_BASE_URL", fake_api.base_url)
    run(usage_examples()[1], fake_api)
    printed = capsys.readouterr().out.splitlines()
    active = [c for c in fake_api.contacts if c["status"] in ("READY", "RUNNING")]
    assert printed == ["150 contacts"] + [f"{c['contact']['phone']} {c['status']}" for c in active]
