"""A future spec that adds operations in the real API's style regenerates with no patch edit and works.

The future spec is this repo's openapi.json plus specs/additions.json: operations and schemas it
does not have (a test fails if it gains one of them: rename the addition), written the way the API writes
them (title operationIds, the `Token` scheme, boolean examples as arrays, drf-spectacular schemas), in three
new tags: a GET by id, a POST whose required body is offered as JSON, form-urlencoded and
multipart (sent as JSON), a PATCH with an optional body, a PATCH whose model has read-only fields, defaults
and a nested model with a read-only id, an upload whose body has a binary field (sent as multipart), another
paginated list; enums with odd members (`""`, `null`, "1h", "!equals", 0-6, lower case), nullable fields
without a type, readOnly fields that are required, and `{}` schemas.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from pipeline.project import ROOT, SPEC, iter_operations
from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault, RecordedRequest, make_contact
from tests.support.regenerated import with_additions
from tests.update_spec.conftest import (
    SCENARIOS,
    SPECS,
    UpdatedCheckout,
    import_every_module,
    mypy_strict,
    run_with_package,
    spec_with_additions,
    take_additions,
)

ADDITIONS_PATH = SPECS / "additions.json"
ADDITIONS: dict[str, Any] = json.loads(ADDITIONS_PATH.read_text(encoding="utf-8"))
ADDED_SCHEMAS = set(ADDITIONS["components"]["schemas"]) - set(json.loads(SPEC.read_text())["components"]["schemas"])
# The names `make update-spec` proposes for them (name_rule.py), as a person reviewing them would expect.
NEW_OPERATIONS = {
    "GET /channel/whatsapp/broadcast-recipient/{id}": "get_broadcast_recipient",
    "POST /channel/whatsapp/broadcast": "create_broadcast",
    "PATCH /channel/whatsapp/broadcast/{id}": "partially_update_broadcast",
    "GET /channel/whatsapp/ticket": "list_tickets",
    "PATCH /channel/whatsapp/ticket/{id}": "partially_update_ticket",
    "POST /channel/whatsapp/media": "upload_media",
}
CONTACT_ID = "00000000-0000-0000-0000-000000000001"
FLOW_ID = "00000000-0000-0000-0000-0000000000f1"
BROADCAST_ID = "00000000-0000-0000-0000-0000000000e1"
TICKET_ID = "00000000-0000-0000-0000-00000000c000"
TICKETS = [
    {
        "id": f"00000000-0000-0000-0000-00000000c{index:03d}",
        "contact": make_contact(index)["contact"],
        "status": ("new", "in_progress", "resolved", "closed")[index % 4],
        "assigned_to": None if index % 2 else {"id": 7, "email": "agent@example.com"},
        "created_on": "2024-01-02T03:04:05Z",
        "last_message_on": None,
        "priority": ("low", "high", "", None)[index % 4],
        "meta": {"index": index},
        "language": ("es", None, "pt_BR")[index % 3],
        "channel": (None, "whatsapp", "instagram")[index % 3],
    }
    for index in range(5)
]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> UpdatedCheckout:
    return take_additions(tmp_path_factory, ADDITIONS_PATH)


def _broadcast(status: str, body: dict[str, Any], code: int = 200) -> Fault:
    return Fault(
        status=code,
        body={
            "id": BROADCAST_ID,
            "flow": FLOW_ID,
            "execute_for": body.get("execute_for", "all"),
            "status": status,
            "reminder_interval": body.get("reminder_interval"),
            **({"weekday": int(body["weekday"])} if "weekday" in body else {}),
            "inputs": {"anything": [1, "two"]},
            "created_by": None,
            "num_contacts": 3,
            "created_on": "2024-01-02T03:04:05Z",
        },
    )


def _decoded_body(request: RecordedRequest) -> dict[str, Any]:
    """The request body as a flat dict, whatever its media type."""
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        decoded: dict[str, Any] = json.loads(request.body)
        return decoded
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in parse_qs(request.body.decode(), keep_blank_values=True).items()}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + request.body)
        return {
            str(part.get_param("name", header="content-disposition")): part.get_content()
            for part in message.iter_parts()
        }
    return {}


def _updated_ticket(request: RecordedRequest, path: dict[str, str]) -> Fault:
    sent = json.loads(request.body)
    tags = [{"id": 40 + index, **tag} for index, tag in enumerate(sent.get("tags", []))]
    return Fault(status=200, body={**TICKETS[0], "status": sent.get("status", "new"), "tags": tags})


def _multipart_parts(request: RecordedRequest) -> list[tuple[str, str, bytes]]:
    """(name, content type, payload bytes) of each part of a multipart/form-data body, in order."""
    content_type = request.headers["Content-Type"]
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + request.body)
    assert message.is_multipart() and not message.defects, message.defects
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts.append((str(part.get_param("name", header="content-disposition")), part.get_content_type(), payload))
    return parts


def _uploaded_media(request: RecordedRequest, path: dict[str, str]) -> Fault:
    parts = {name: payload for name, _, payload in _multipart_parts(request)}
    body = {"id": TICKET_ID, "phone": parts["phone"].decode(), "caption": None, "size": len(parts["file"])}
    return Fault(status=201, body=body)


@pytest.fixture(scope="module")
def served(checkout: UpdatedCheckout) -> Iterator[tuple[FakeHilosServer, dict[str, Any]]]:
    """The fake API serving the new operations, and what the scenario client got from each."""
    with FakeHilosServer() as server:
        contact = {**make_contact(0), "status": "SENT", "last_step_result": {"answer": "yes"}, "context": None}
        server.route(
            "GET",
            "/channel/whatsapp/broadcast-recipient/{id}",
            lambda request, path: (
                Fault(status=200, body=contact)
                if path["id"] == contact["id"]
                else Fault(status=404, body={"detail": "Not found."})
            ),
        )
        server.route(
            "POST",
            "/channel/whatsapp/broadcast",
            lambda request, path: _broadcast("READY", _decoded_body(request), 201),
        )
        server.route(
            "PATCH",
            "/channel/whatsapp/broadcast/{id}",
            lambda request, path: _broadcast(_decoded_body(request).get("status", "RUNNING"), _decoded_body(request)),
        )
        server.route("GET", "/channel/whatsapp/ticket", lambda request, path: server.page_of(TICKETS, request))
        server.route("PATCH", "/channel/whatsapp/ticket/{id}", _updated_ticket)
        server.route("POST", "/channel/whatsapp/media", _uploaded_media)
        result = run_with_package(
            checkout.generated,
            str(SCENARIOS / "additions_client.py"),
            server.base_url,
            TOKEN,
            CONTACT_ID,
            FLOW_ID,
            BROADCAST_ID,
            TICKET_ID,
        )
        assert result.returncode == 0, result.stderr
        yield server, json.loads(result.stdout)


def _requests(server: FakeHilosServer, method: str, path: str) -> list[RecordedRequest]:
    return [r for r in server.requests if r.method == method and r.path == "/api/3" + path]


def test_regeneration_needs_no_edit_under_patches(checkout: UpdatedCheckout) -> None:
    assert (checkout.root / "patches" / "overlay.yaml").read_bytes() == (ROOT / "patches" / "overlay.yaml").read_bytes()
    assert json.loads((checkout.root / "openapi.json").read_text()) == spec_with_additions(ADDITIONS)
    patched = json.loads((checkout.generated / "openapi.patched.json").read_text())
    for key, name in NEW_OPERATIONS.items():
        method, path = key.split(" ")
        operation = patched["paths"][path][method.lower()]
        assert operation["operationId"] == name
        assert (checkout.generated / "hilos_client" / "api" / operation["tags"][0].lower() / f"{name}.py").is_file()
    assert patched["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    parameters = patched["paths"]["/channel/whatsapp/ticket"]["get"]["parameters"]
    (is_open,) = [parameter for parameter in parameters if parameter["name"] == "is_open"]
    assert is_open["examples"] == {}  # the array examples are gone


def test_an_addition_the_spec_already_has_fails_naming_it() -> None:
    spec = json.loads(SPEC.read_text())
    method, path, _ = iter_operations(spec)[0]
    (schema_name, schema), *_ = spec["components"]["schemas"].items()
    with pytest.raises(
        AssertionError, match=re.escape(f"the spec already has {method.upper()} {path}, schema {schema_name}")
    ):
        with_additions(spec, paths={path: {method: {}}}, schemas={schema_name: {**schema, "x-changed": True}})
    unchanged = with_additions(spec, paths={}, schemas={schema_name: schema})  # a shared schema, as it is
    assert unchanged == spec


def test_every_generated_module_imports(checkout: UpdatedCheckout) -> None:
    modules_on_disk = (
        len(list((checkout.generated / "hilos_client").rglob("*.py"))) - 1
    )  # minus the package's own __init__
    assert import_every_module(checkout.generated) == modules_on_disk


def test_every_json_body_is_decoded_by_the_runtime(checkout: UpdatedCheckout) -> None:
    # endpoint_module.py.jinja swaps the stock `response.json()` for decode_json by text: a generator that spells
    # it differently would leave operations on the slower decoder without failing anything else.
    operations = list((checkout.generated / "hilos_client" / "api").rglob("*.py"))
    decoding = [path for path in operations if "decode_json(response.content)" in path.read_text()]
    assert len(decoding) >= 5
    assert [path.name for path in operations if ".json()" in path.read_text()] == []


LOADED_MODELS = """
import sys
import hilos_client.api.tickets.list_tickets
print(" ".join(sorted(m.rpartition(".")[2] for m in sys.modules if m.startswith("hilos_client.models."))))
print(" ".join(sorted(m for m in sys.modules if m.startswith("hilos_client.") and m.endswith((".cli", ".testing")))))
print(" ".join(sorted(m for m in sys.modules if m.startswith("hilos_client.api.") and m.count(".") == 2)))
"""


def test_an_operation_module_loads_only_the_models_it_uses(checkout: UpdatedCheckout) -> None:
    result = run_with_package(checkout.generated, "-c", LOADED_MODELS)
    assert result.returncode == 0, result.stderr
    models, cli_and_testing, tags = result.stdout.split("\n")[:3]
    assert (cli_and_testing, tags) == ("", "hilos_client.api.tickets")  # nor the command line, the fake, other tags
    assert models.split() == [
        "list_tickets_channel_in_item",
        "list_tickets_source_item",
        "paginated_ticket_list",
        "recipient_contact",
        "ticket",
        "ticket_channel",
        "ticket_language_enum",
        "ticket_priority",
        "ticket_status_enum",
        "ticket_tag",
    ]


def test_every_model_is_importable_from_the_models_package(checkout: UpdatedCheckout) -> None:
    script = "import hilos_client.models as m; print(len([getattr(m, name) for name in m.__all__]))"
    result = run_with_package(checkout.generated, "-c", script)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(list((checkout.generated / "hilos_client" / "models").glob("[!_]*.py")))


def test_generated_package_and_its_typed_use_pass_mypy_strict(checkout: UpdatedCheckout, mypy_cache: Path) -> None:
    result = mypy_strict(checkout.generated, SCENARIOS / "additions_client.py", cache_dir=mypy_cache)
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_odd_enum_is_one_class_with_its_usual_name(checkout: UpdatedCheckout) -> None:
    package = checkout.generated / "hilos_client" / "models"
    models = {path.stem for path in package.glob("*.py")}
    expected = {"blank_enum", "weekday_enum", "reminder_interval_enum", "condition_comparison_enum"}
    assert expected | {"ticket_language_enum", "ticket_priority", "ticket_channel"} <= models
    enums = {name for name in models if re.search(r"\((ApiStrEnum|ApiIntEnum)\)", (package / f"{name}.py").read_text())}
    assert expected | {"ticket_language_enum", "ticket_priority", "ticket_channel"} <= enums
    assert [name for name in enums if re.search(r"_type_\d", name)] == []


def test_report_has_no_breaking_change_and_lists_the_new_operations(checkout: UpdatedCheckout) -> None:
    report = checkout.report
    assert [c for c in report.spec_changes + report.api_changes if c.breaking] == []
    added = {c.subject.removeprefix("operation ") for c in report.spec_changes if c.subject.startswith("operation ")}
    assert added == set(NEW_OPERATIONS)
    recorded = json.loads((checkout.root / "patches" / "operation-names.json").read_text())
    added_api = {c.subject for c in report.api_changes if c.kind == "added"}
    for key in NEW_OPERATIONS:  # each new module is listed, or the new tag package that holds it
        module = f"hilos_client.api.{recorded[key]['tag']}.{recorded[key]['name']}"
        assert module in added_api or module.rpartition(".")[0] in added_api, module
    assert report.bump == "minor"


def test_new_names_are_recorded_and_listed_for_review(checkout: UpdatedCheckout) -> None:
    recorded = json.loads((checkout.root / "patches" / "operation-names.json").read_text())
    before = json.loads((ROOT / "patches" / "operation-names.json").read_text())
    assert {key: entry["name"] for key, entry in recorded.items()} == {
        **{key: entry["name"] for key, entry in before.items()},  # the spec's own operations keep their names
        **NEW_OPERATIONS,
    }
    listed = {c.detail.removeprefix("new name for "): c.subject for c in checkout.report.name_changes}
    assert listed == {key: f"hilos_client.api.{recorded[key]['tag']}.{name}" for key, name in NEW_OPERATIONS.items()}
    assert "New public names to review" in checkout.report.text("HEAD")


def test_get_by_id_sends_the_path_parameter_and_parses_untyped_and_empty_schemas(
    served: tuple[FakeHilosServer, dict[str, Any]],
) -> None:
    server, out = served
    (request,) = _requests(server, "GET", f"/channel/whatsapp/broadcast-recipient/{CONTACT_ID}")
    assert request.headers["Authorization"] == f"Token {TOKEN}"
    assert out["get"] == {
        "id": CONTACT_ID,
        "flow_name": "Onboarding",
        "last_step_result": {"answer": "yes"},
        "context": None,
    }


def test_post_offered_three_ways_sends_json_with_its_required_body(
    served: tuple[FakeHilosServer, dict[str, Any]],
) -> None:
    server, out = served
    full, blank = _requests(server, "POST", "/channel/whatsapp/broadcast")
    assert full.headers["Content-Type"] == blank.headers["Content-Type"] == "application/json"
    assert json.loads(full.body) == {
        "flow": FLOW_ID,
        "execute_for": "filters",
        "reminder_interval": "24h",
        "weekday": 6,
        "comparison": "!equals",
        "name": "json",
    }
    assert json.loads(blank.body) == {"flow": FLOW_ID, "execute_for": "list", "reminder_interval": "", "name": "blank"}
    assert out["create"] == [
        {
            "status": "READY",
            "created_by": None,
            "reminder_interval": "ReminderIntervalEnum.VALUE_24H",
            "weekday": 6,
            "num_contacts": 3,
        },
        # "" is BlankEnum's member, not an unknown value of the union's first enum
        {
            "status": "READY",
            "created_by": None,
            "reminder_interval": "BlankEnum.BLANK",
            "weekday": None,
            "num_contacts": 3,
        },
    ]


def test_no_model_is_a_form_or_multipart_copy_where_json_is_offered(checkout: UpdatedCheckout) -> None:
    models = {path.stem for path in (checkout.generated / "hilos_client" / "models").glob("*.py")}
    assert [name for name in models if name.endswith(("_form", "_multipart"))] == []
    patched = json.loads((checkout.generated / "openapi.patched.json").read_text())
    bodies = [operation.get("requestBody") or {} for _, _, operation in iter_operations(patched)]
    # every body offered several ways goes one way, the spec's own operations' too
    assert all(len(body["content"]) == 1 for body in bodies if body.get("x-upstream-content"))
    added_bodies = [
        patched["paths"][path][method].get("requestBody") or {}
        for path, item in ADDITIONS["paths"].items()
        for method in item
    ]
    offered_three_ways = [body for body in added_bodies if len(body.get("x-upstream-content", [])) == 3]
    assert [list(body["content"]) for body in offered_three_ways] == [
        ["application/json"],
        ["application/json"],
        ["application/json"],
        ["multipart/form-data"],  # the upload: its file cannot travel as JSON
    ]


def test_patch_sends_only_what_the_caller_set_and_nested_models_need_no_read_only_id(
    served: tuple[FakeHilosServer, dict[str, Any]],
) -> None:
    server, out = served
    tagged, unassigned = _requests(server, "PATCH", f"/channel/whatsapp/ticket/{TICKET_ID}")
    # no `source` or `created_on` (read-only), no `overwrite_tags`/`is_pinned` defaults, no tag `id`
    assert tagged.body == b'{"status":"in_progress","tags":[{"name":"vip"}],"assigned":{"id":7}}'
    assert unassigned.body == b'{"assigned":null,"is_pinned":false}'
    assert out["patch_ticket"] == [[40, "vip"]]
    assert out["patch_ticket_unassigned"] == "new"


def test_upload_sends_multipart_parts_by_the_encoding_rules(served: tuple[FakeHilosServer, dict[str, Any]]) -> None:
    server, out = served
    full, minimal = _requests(server, "POST", "/channel/whatsapp/media")
    boundaries = {r.headers["Content-Type"].partition("boundary=")[2] for r in (full, minimal)}
    assert len(boundaries) == 2 and "+++" not in boundaries  # httpx picks a fresh random boundary each time
    assert all(r.headers["Content-Type"].startswith("multipart/form-data; boundary=") for r in (full, minimal))
    assert _multipart_parts(full) == [
        ("file", "image/png", b"\x89PNG\r\n--+++\r\n"),
        ("phone", "text/plain", b"+5215512345678"),
        (
            "caption",
            "text/plain",
            b'Hi\r\n--+++\r\nContent-Disposition: form-data; name="phone"\r\n\r\n+10000000000\r\n--+++--',
        ),
        ("is_voice", "text/plain", b"true"),
        ("metadata", "application/json", b'{"source":{"app":"crm","ids":[1,2]}}'),
        ("labels", "application/json", b'["a","b"]'),
    ]
    assert b'filename="logo.png"' in full.body
    assert b'name="file"; filename="file"' in minimal.body
    # null caption and unset fields are left out; false is spelled as JSON does
    assert _multipart_parts(minimal) == [
        ("file", "application/octet-stream", b"OggS"),  # a file part even without a name or type
        ("phone", "text/plain", b"+5215512345678"),
        ("is_voice", "text/plain", b"false"),
    ]
    assert out["upload"] == [["+5215512345678", len(b"\x89PNG\r\n--+++\r\n")], ["+5215512345678", len(b"OggS")]]


def test_patch_sends_the_optional_body_only_when_given(served: tuple[FakeHilosServer, dict[str, Any]]) -> None:
    server, out = served
    with_body, without_body = _requests(server, "PATCH", f"/channel/whatsapp/broadcast/{BROADCAST_ID}")
    assert with_body.headers["Content-Type"] == "application/json"
    assert json.loads(with_body.body) == {"status": "CANCELED", "reminder_interval": None}
    assert without_body.body == b"" and "Content-Type" not in without_body.headers
    assert (out["patch_with_body"], out["patch_without_body"]) == ("CANCELED", "RUNNING")


def test_new_list_gets_sync_all_and_asyncio_all(served: tuple[FakeHilosServer, dict[str, Any]]) -> None:
    server, out = served
    assert out["sync_all"] == [[c["id"], c["status"], c["priority"], c["language"], c["channel"]] for c in TICKETS]
    assert out["asyncio_all"] == [c["id"] for c in TICKETS]
    pages = sorted(r.param("page") or "1" for r in _requests(server, "GET", "/channel/whatsapp/ticket"))
    assert pages == ["1", "1", "2", "2", "3", "3"]


def test_each_member_of_each_enum_in_a_union_parses_to_that_member(checkout: UpdatedCheckout) -> None:
    patched = checkout.generated / "openapi.patched.json"
    # the models the spec gains: the real spec has about 300 union members (250 country codes), minutes of hypothesis
    scenario = [str(SCENARIOS / "union_members.py"), str(patched), str(ROOT), *sorted(ADDED_SCHEMAS)]
    result = run_with_package(checkout.generated, *scenario)
    assert result.returncode == 0, result.stderr
    reminder_interval = {"ReminderIntervalEnum": 3, "BlankEnum": 1}  # with None: "" must be BlankEnum's
    assert json.loads(result.stdout) == {
        "BroadcastCreate.reminder_interval": reminder_interval,
        "BroadcastRead.reminder_interval": reminder_interval,
        "PatchedBroadcastUpdate.reminder_interval": reminder_interval,
        "Ticket.priority": {"TicketPriority": 3},
        "Ticket.language": {"TicketLanguageEnum": 3},
        "Ticket.channel": {"TicketChannel": 2},
    }


MISSING_BODY = """
from hilos_client import AuthenticatedClient
from hilos_client.api.broadcasts import create_broadcast
from hilos_client.api.media import upload_media

client = AuthenticatedClient(base_url="http://127.0.0.1", token="t")
create_broadcast.sync(client=client)
upload_media.sync(client=client)
"""


def test_mypy_rejects_a_call_without_its_required_body(
    checkout: UpdatedCheckout, mypy_cache: Path, tmp_path: Path
) -> None:
    script = tmp_path / "missing_body.py"
    script.write_text(MISSING_BODY)
    result = mypy_strict(checkout.generated, script, cache_dir=mypy_cache)
    errors = [line.split(": error: ", 1)[1] for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == ['Missing named argument "body" for "sync"  [call-arg]'] * 2, result.stdout
