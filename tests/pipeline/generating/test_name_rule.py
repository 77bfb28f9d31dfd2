"""pipeline/generating/name_rule.py: verb + resource, one shape per kind of operation, on the published WhatsApp
API's summaries and operationIds and on the shapes other drf-spectacular documents use."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipeline.generating.name_rule import NameRuleError, plural, proposed_name, words_of
from pipeline.project import SPEC

# The published WhatsApp API's operations: (method, path, operationId, summary) -> the proposed name.
WHATSAPP_API = [
    ("get", "/channel/whatsapp/channels/whatsapp/template", "List WhatsApp Templates", "List WhatsApp Templates", "list_whatsapp_templates"),
    ("get", "/channel/whatsapp/channels/whatsapp/template/{id}", "Get WhatsApp Template", "Get WhatsApp Template", "get_whatsapp_template"),
    ("put", "/channel/whatsapp/channels/whatsapp/template/{id}", "channels_whatsapp_template_update", "Update WhatsApp Template", "update_whatsapp_template"),
    ("delete", "/channel/whatsapp/channels/whatsapp/template/{id}", "Delete WhatsApp Template", "Delete WhatsApp Template", "delete_whatsapp_template"),
    ("post", "/channel/whatsapp/channels/whatsapp/template/{id}/send", "Send a WhatsApp Template Message", "Send a WhatsApp Template", "send_whatsapp_template"),
    ("get", "/channel/whatsapp/flow-execution", "List Flow Execution", "List Flow Executions", "list_flow_executions"),
    ("get", "/channel/whatsapp/flow-execution-contact", "List Flow Execution Contact", "List Flow Execution Contacts", "list_flow_execution_contacts"),
    ("get", "/channel/whatsapp/flow-execution-contact/{id}", "Get Flow Execution Contact", "Get Flow Execution Contact by Id", "get_flow_execution_contact"),
    ("get", "/channel/whatsapp/flow-execution/{id}", "Get Flow Execution", "Get Flow Execution", "get_flow_execution"),
    ("post", "/channel/whatsapp/flow/{id}/run", "Create a Flow Execution", "Create a Flow Execution", "create_flow_execution"),
    ("get", "/channel/whatsapp/inbox/conversation", "List Conversations", "List Conversations", "list_conversations"),
    ("put", "/channel/whatsapp/inbox/conversation/{id}/update", "Update a Conversation", "Update a conversation", "update_conversation"),
    ("patch", "/channel/whatsapp/inbox/conversation/{id}/update", "Partially update a Conversation", "Partially Update a Conversation", "partially_update_conversation"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "operation_id", "summary", "name"), WHATSAPP_API, ids=[row[-1] for row in WHATSAPP_API]
)
def test_the_published_api_is_named_verb_then_resource(method: str, path: str, operation_id: str, summary: str, name: str) -> None:  # fmt: skip
    assert proposed_name(method, path, {"operationId": operation_id, "summary": summary}) == name


@pytest.mark.parametrize(
    ("method", "path", "operation_id", "summary", "name"), WHATSAPP_API, ids=[row[-1] for row in WHATSAPP_API]
)
def test_without_summaries_the_operation_ids_give_the_same_shapes(method: str, path: str, operation_id: str, summary: str, name: str) -> None:  # fmt: skip
    proposed = proposed_name(method, path, {"operationId": operation_id})
    verb = name.split("_")[0] if not name.startswith("partially_") else "partially_update"
    assert proposed.startswith(verb + "_")
    assert not {"a", "an", "the"} & set(proposed.split("_"))


def test_the_whole_upstream_document_gets_the_table_above() -> None:
    upstream = json.loads(SPEC.read_text(encoding="utf-8"))
    got = {
        (method, path): proposed_name(method, path, operation)
        for path, item in upstream["paths"].items()
        for method, operation in item.items()
    }
    assert got == {(method, path): name for method, path, _, _, name in WHATSAPP_API}


@pytest.mark.parametrize(
    ("method", "path", "operation", "name"),
    [
        ("get", "/contacts", {"summary": "Get Contacts"}, "list_contacts"),
        ("get", "/contacts/{id}", {"summary": "Retrieve a Contact (by ID)"}, "get_contact"),
        ("patch", "/contacts/{id}", {"summary": "Update Contact"}, "partially_update_contact"),
        ("put", "/contacts/{id}", {"summary": "Partially update a Contact"}, "update_contact"),
        ("delete", "/contacts/{id}", {"summary": "Remove the Contact"}, "delete_contact"),
        ("post", "/contacts", {"summary": "Add a Contact"}, "create_contact"),
        ("get", "/contacts/{contact_id}", {"summary": "Get Contact by Contact Id"}, "get_contact_by_contact_id"),
        ("get", "/contacts/{uuid}", {"summary": "Get Contact by UUID"}, "get_contact"),
        ("post", "/contacts/{id}/archive", {"summary": "Archive a Contact"}, "archive_contact"),
        ("get", "/flow-execution-contact", {"summary": "Flow Execution Contacts"}, "list_flow_execution_contacts"),
        ("get", "/categories", {"summary": "List Category"}, "list_categories"),
        ("get", "/statuses", {"summary": "List Status"}, "list_statuses"),
        ("get", "/boxes", {"summary": "List Box"}, "list_boxes"),
        ("get", "/contacts", {"operationId": "listContacts"}, "list_contacts"),
        ("get", "/api/contacts/", {"operationId": "api_contacts_list"}, "list_api_contacts"),
        ("get", "/api/contacts/{id}/", {"operationId": "api_contacts_retrieve"}, "get_api_contacts"),
        (
            "patch",
            "/api/contacts/{id}/",
            {"operationId": "api_contacts_partial_update"},
            "partially_update_api_contacts",
        ),
        ("delete", "/api/contacts/{id}/", {"operationId": "api_contacts_destroy"}, "delete_api_contacts"),
        ("post", "/x", {"operationId": "Create Flow Execution"}, "create_flow_execution"),
        ("post", "/x", {"summary": "Delete Webhook Subscription"}, "delete_webhook_subscription"),
    ],
)
def test_every_kind_of_operation_has_one_shape(method: str, path: str, operation: dict[str, Any], name: str) -> None:
    assert proposed_name(method, path, operation) == name


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        ({}, "GET /x has neither an operationId nor a summary to name it by"),
        ({"summary": "2024 Report"}, "GET /x: cannot make a Python name from '2024 Report'"),
        ({"summary": "¿¡!?"}, "GET /x: cannot make a Python name from '¿¡!?'"),
        ({"summary": "Get the"}, "GET /x: 'Get the' names no resource after its verb"),
    ],
)
def test_an_operation_the_rule_cannot_name_fails_saying_which(operation: dict[str, Any], message: str) -> None:
    with pytest.raises(NameRuleError) as failure:
        proposed_name("get", "/x", operation)
    assert str(failure.value) == message


def test_whatsapp_is_one_word_however_it_is_spelled() -> None:
    assert words_of("WhatsApp Template") == words_of("Whatsapp template") == ["whatsapp", "template"]


@pytest.mark.parametrize(("word", "expected"), [("contact", "contacts"), ("contacts", "contacts"), ("status", "statuses"), ("category", "categories"), ("day", "days"), ("box", "boxes")])  # fmt: skip
def test_plural(word: str, expected: str) -> None:
    assert plural(word) == expected
