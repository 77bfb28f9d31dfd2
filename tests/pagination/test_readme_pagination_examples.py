"""The README's Pagination examples, run as written against the loopback fake API (only the base URL and token
of the first one are swapped for the fake API's)."""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_hilos import TOKEN, FakeHilosServer, make_contact
from tests.support.pages import requested_pages

README = Path(__file__).resolve().parents[2] / "README.md"
FLOW = uuid.UUID(int=7)


def pagination_examples() -> list[str]:
    section = README.read_text(encoding="utf-8").split("\n## Pagination\n", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(examples) == 2, "expected the sync_all and the asyncio_all example under '## Pagination'"
    return examples


@pytest.fixture
def flow_contacts(fake_api: FakeHilosServer) -> list[dict[str, Any]]:
    """The active contacts of the flow, 250 (3 pages of the default page size) among 1000 contacts."""
    fake_api.contacts = [make_contact(i, flow=str(FLOW) if i % 4 else None) for i in range(1000)]
    wanted = [c for c in fake_api.contacts if c["flow"] == str(FLOW) and c["status"] in ("READY", "RUNNING")]
    assert len(wanted) == 250
    return wanted


def test_sync_all_example_prints_every_active_contact_of_the_flow(
    fake_api: FakeHilosServer, flow_contacts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    example = pagination_examples()[0]
    example = example.replace('"https://youraccount.api-us1.com/api/3"', repr(fake_api.base_url))
    example = example.replace('"your-api-key"', repr(TOKEN))
    exec(compile(example, "README.md", "exec"), {"flow_id": FLOW})
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"{c['contact']['phone']} {c['status']}" for c in flow_contacts]
    assert requested_pages(fake_api) == [1, 2, 3]


def test_asyncio_all_example_finds_the_contact_and_stops_reading(
    fake_api: FakeHilosServer, flow_contacts: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HILOS_API_TOKEN", TOKEN)
    monkeypatch.setenv("HILOS_BASE_URL", fake_api.base_url)
    namespace: dict[str, Any] = {"flow_id": FLOW}
    first, second = pagination_examples()
    exec(compile(first.split("\nwith ")[0] + "\n" + second, "README.md", "exec"), namespace)
    wanted = flow_contacts[3]["contact"]["phone"]

    async def find_and_count_leftover_tasks() -> tuple[Any, int]:
        found = await namespace["find"](wanted)
        return found, len([t for t in asyncio.all_tasks() if t is not asyncio.current_task()])

    found, leftover = asyncio.run(find_and_count_leftover_tasks())
    assert found.contact.phone == wanted
    assert leftover == 0
    assert asyncio.run(namespace["find"]("+0000")) is None
