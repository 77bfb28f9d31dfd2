"""Every ```python block of README.md runs, in order, each in a fresh namespace, against the loopback fake API.

The convention the README follows: a ```python block is self-contained runnable code; anything that must not
run is fenced as ```text, ```sh or ```console. The only edits made before running a block are the README's
placeholders, `https://youraccount.api-us1.com/api/3` and `your-api-key`, replaced by the fake API's base URL
and token; HILOS_API_TOKEN and HILOS_BASE_URL point at the fake API too, for `from_env()`. The fake API
serves some contacts for any flow id, and every other operation of the spec for any id, answering the
sparsest body the spec allows (plus the object's `id`, so an example can follow up on what it created); a
DELETE of an id already deleted answers 404, as the API does for an id it does not have. So an example may
use any UUID. The requests of the examples that call other operations are checked (EXPECTED_REQUESTS).

What the examples do with a failure (the Errors example's except clauses) is proved without the README, by
tests/runtime/test_errors.py; here every block must run to its end without raising.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_hilos import (
    BASE_PATH,
    LIST_PATH,
    TOKEN,
    FakeHilosServer,
    Fault,
    RecordedRequest,
    RouteAnswer,
    make_contacts,
)
from tests.support.operation_cases import OPERATION_CASES, SPEC, OperationCase, minimal_instance
from tests.support.sparsest import EXAMPLE_UUID
from tests.support.spec_schema import resolve

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


def spec_answer(case: OperationCase, server: FakeHilosServer) -> RouteAnswer:
    """The operation's answer: a listing's pages of nothing, else the sparsest body the spec allows for the
    success status, with the object's `id` when it has one; a DELETE of an id already deleted answers 404."""
    schema = case.response_schema()
    body = case.response_json()
    properties = resolve(SPEC, schema).get("properties", {}) if schema else {}
    if isinstance(body, dict) and "id" in properties:
        body = {**body, "id": minimal_instance(properties["id"])}
    deleted: set[str] = set()

    def answer(request: RecordedRequest, path_params: dict[str, str]) -> Fault:
        if case.paginated:
            return server.page_of([], request)
        if request.method == "DELETE":
            if request.path in deleted:
                return Fault(status=404, body={"detail": "Not found."})
            deleted.add(request.path)
        return Fault(status=case.success_status, body=body)

    return answer


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
    for case in OPERATION_CASES:
        if (case.operation.method, case.operation.path) != ("GET", LIST_PATH):  # the fake serves it itself
            fake_api.route(case.operation.method, case.operation.path, spec_answer(case, fake_api))
    monkeypatch.setenv("HILOS_API_TOKEN", TOKEN)
    monkeypatch.setenv("HILOS_BASE_URL", fake_api.base_url)
    monkeypatch.delenv("HILOS_ACCOUNT_NAME", raising=False)
    yield fake_api


@dataclass(frozen=True)
class ExpectedRequest:
    method: str
    path: str  # the spec's path template, relative to the base path
    params: dict[str, str] = field(default_factory=dict)  # query parameters it must carry (others may follow)
    body: Any = None  # the JSON body it must carry; None: no body

    def matches(self, request: RecordedRequest) -> bool:
        pattern = re.sub(r"\\{\w+\\}", "[^/]+", re.escape(BASE_PATH + self.path)) + "$"
        body = json.loads(request.body) if request.body else None
        return (
            request.method == self.method
            and re.match(pattern, request.path) is not None
            and all(request.param(name) == value for name, value in self.params.items())
            and body == self.body
        )


FLOW_ID = "a3ff7ee5-0c11-49e2-a0d6-7e316626f7b1"
TEMPLATE_PATH = "/channel/whatsapp/channels/whatsapp/template/{id}"
# The examples that reach beyond the contacts listing, each found by a line only it has, and the requests it
# must send, in order (a listing's page requests carry the filters too).
EXPECTED_REQUESTS: dict[str, tuple[ExpectedRequest, ...]] = {
    "if item.status is FlowExecutionContactStatusEnum.COMPLETED": (
        ExpectedRequest("GET", LIST_PATH, {"flow": FLOW_ID, "is_active": "false", "page": "1"}),  # all 25 on it
    ),
    "message = hilos.templates.send_whatsapp_template(": (
        ExpectedRequest(
            "POST", TEMPLATE_PATH + "/send", body={"phone": "+5215512345678", "variables": ["Ana", "order 1042"]}
        ),
    ),
    "execution = hilos.flows.create_flow_execution(": (
        ExpectedRequest(
            "POST",
            "/channel/whatsapp/flow/{id}/run",
            body={
                "execute_for": "LIST",
                "contact_list": [{"phone": "+5215512345678", "first_name": "Ana"}, {"phone": "+5215587654321"}],
            },
        ),
        ExpectedRequest("GET", LIST_PATH, {"flow_execution": str(EXAMPLE_UUID)}),  # the id the fake answered
    ),
    "conversation = hilos.conversations.partially_update_conversation(": (
        ExpectedRequest("PATCH", "/channel/whatsapp/inbox/conversation/{id}/update", body={"status": "RESOLVED"}),
    ),
    'extra_headers={"X-Request-Id": "report-42"}, extra_query={"ordering": "-created_on"}': (
        ExpectedRequest("GET", LIST_PATH, {"page_size": "10", "ordering": "-created_on"}),
    ),
    "hilos.templates.delete_whatsapp_template(template_id)  # already deleted": (
        ExpectedRequest("DELETE", TEMPLATE_PATH),
        ExpectedRequest("DELETE", TEMPLATE_PATH),
    ),
}


def expected_requests(block: CodeBlock) -> tuple[ExpectedRequest, ...] | None:
    found = [expected for line, expected in EXPECTED_REQUESTS.items() if line in block.code]
    assert len(found) <= 1, f"{block.id} holds the lines of {len(found)} checked examples"
    return found[0] if found else None


def test_every_checked_example_is_in_the_readme() -> None:
    for line in EXPECTED_REQUESTS:
        assert sum(line in block.code for block in BLOCKS) == 1, f"no README example (or several) holds {line!r}"


def test_expected_requests_match_only_what_they_describe() -> None:
    sent = RecordedRequest("PATCH", BASE_PATH + "/channel/whatsapp/inbox/conversation/abc/update", "", {}, b'{"a": 1}')
    assert ExpectedRequest("PATCH", "/channel/whatsapp/inbox/conversation/{id}/update", body={"a": 1}).matches(sent)
    assert not ExpectedRequest("PATCH", "/channel/whatsapp/inbox/conversation/{id}/update").matches(sent)
    assert not ExpectedRequest("PUT", "/channel/whatsapp/inbox/conversation/{id}/update", body={"a": 1}).matches(sent)
    assert not ExpectedRequest("PATCH", "/channel/whatsapp/inbox/conversation/{id}", body={"a": 1}).matches(sent)
    listing = RecordedRequest("GET", BASE_PATH + LIST_PATH, "flow=x&page=2", {}, b"")
    assert ExpectedRequest("GET", LIST_PATH, {"flow": "x"}).matches(listing)
    assert not ExpectedRequest("GET", LIST_PATH, {"flow": "y"}).matches(listing)


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
def test_readme_python_block_runs_against_the_fake_api(block: CodeBlock, readme_api: FakeHilosServer) -> None:
    code = block.code.replace(PLACEHOLDER_BASE_URL, readme_api.base_url).replace(PLACEHOLDER_TOKEN, TOKEN)
    # Blank lines first, so a traceback names the README's own line numbers.
    source = "\n" * (block.first_line - 1) + code
    exec(compile(source, str(README), "exec"), {"__name__": "__main__"})
    for request in readme_api.requests:
        assert request.headers.get("Authorization") == f"Token {TOKEN}", (request.method, request.path)
    expected = expected_requests(block)
    if expected is not None:
        sent = [(request.method, request.path, request.query) for request in readme_api.requests]
        assert len(readme_api.requests) == len(expected), sent
        for want, request in zip(expected, readme_api.requests, strict=True):
            assert want.matches(request), (want, request.method, request.path, request.query, request.body)
