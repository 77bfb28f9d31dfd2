"""Every ```python block of README.md runs, in order, each in a fresh namespace, against the loopback fake API.

The convention the README follows: a ```python block is self-contained runnable code; anything that must not
run is fenced as ```text, ```sh or ```console. The only edits made before running a block are the README's
placeholders, `https://youraccount.api-us1.com/api/3` and `your-api-key`, replaced by the fake API's base URL
and token; HILOS_API_TOKEN and HILOS_BASE_URL point at the fake API too, for `from_env()`. The fake API
serves some contacts for any flow id, so an example may use any UUID.

What the examples do with a failure (the Errors example's except clauses) is proved without the README, by
tests/runtime/test_errors.py; here every block must run to its end without raising.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.fake_hilos import BASE_PATH, LIST_PATH, TOKEN, FakeHilosServer, Fault, RecordedRequest, make_contacts

README = Path(__file__).resolve().parents[1] / "README.md"
PLACEHOLDER_BASE_URL = "https://youraccount.api-us1.com/api/3"
PLACEHOLDER_TOKEN = "your-api-key"


@dataclass(frozen=True)
class CodeBlock:
    heading: str
    number: int  # 1-based, among the README's python blocks
    first_line: int  # 1-based line in the README of the block's first line of code
    code: str

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.heading.lower()).strip("-") or "top"
        return f"{slug}-{self.number}"


def python_blocks(markdown: str) -> list[CodeBlock]:
    """The fenced code blocks whose info string says `python`, with the nearest heading above each.

    Lines inside any fenced block are code, not headings (a `# comment` in a shell block stays a comment)."""
    blocks: list[CodeBlock] = []
    heading = ""
    fence = ""  # the opening fence of the block being read; "" outside blocks
    language = ""
    lines: list[str] = []
    first_line = 0
    for number, line in enumerate(markdown.splitlines(), start=1):
        stripped = line.strip()
        if not fence:
            opening = re.match(r"(`{3,}|~{3,})\s*([^\s`]*)", stripped)
            if opening:
                fence, language, lines, first_line = opening.group(1), opening.group(2).lower(), [], number + 1
            elif re.match(r"#{1,6}\s", line):
                heading = line.lstrip("#").strip()
        elif stripped.startswith(fence) and not stripped.strip(fence[0]):
            if language == "python":
                code = textwrap.dedent("\n".join(lines)) + "\n"
                blocks.append(CodeBlock(heading, len(blocks) + 1, first_line, code))
            fence = ""
        else:
            lines.append(line)
    return blocks


BLOCKS = python_blocks(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_examples_to_run() -> None:
    assert BLOCKS, "README.md has no ```python block: the examples runner would test nothing"


def test_blocks_are_found_by_fence_and_named_after_their_heading() -> None:
    markdown = textwrap.dedent(
        """\
        # Title

        ```python
        print("one")
        ```

        ## Set-up & use

        ```sh
        # a shell comment, not a heading
        make
        ```

        ````python
        print("```")
        ````

        - a list item:

          ```python
          print("indented")
          ```

        ```text
        print("not run")
        ```
        """
    )
    blocks = python_blocks(markdown)
    assert [(b.id, b.code, b.first_line) for b in blocks] == [
        ("title-1", 'print("one")\n', 4),
        ("set-up-use-2", 'print("```")\n', 15),
        ("set-up-use-3", 'print("indented")\n', 21),
    ]


@pytest.fixture
def readme_api(fake_api: FakeHilosServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHilosServer]:
    """The fake API with 25 contacts in whichever flow a request asks for, and the environment pointing at it."""
    fake_api.contacts = make_contacts(25)

    def in_the_requested_flow(request: RecordedRequest) -> Fault | None:
        flow = request.param("flow")
        if flow and request.path == BASE_PATH + LIST_PATH:
            for contact in fake_api.contacts:
                contact["flow"] = flow
        return None

    fake_api.handler = in_the_requested_flow
    monkeypatch.setenv("HILOS_API_TOKEN", TOKEN)
    monkeypatch.setenv("HILOS_BASE_URL", fake_api.base_url)
    monkeypatch.delenv("HILOS_ACCOUNT_NAME", raising=False)
    yield fake_api


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
def test_readme_python_block_runs_against_the_fake_api(block: CodeBlock, readme_api: FakeHilosServer) -> None:
    code = block.code.replace(PLACEHOLDER_BASE_URL, readme_api.base_url).replace(PLACEHOLDER_TOKEN, TOKEN)
    # Blank lines first, so a traceback names the README's own line numbers.
    source = "\n" * (block.first_line - 1) + code
    exec(compile(source, str(README), "exec"), {"__name__": "__main__"})
    for request in readme_api.requests:
        assert request.headers.get("Authorization") == f"Token {TOKEN}", (request.method, request.path)
