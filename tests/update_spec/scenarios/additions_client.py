"""Calls every operation that specs/future_additions.json adds, through the package generated from it.

Run by tests/update_spec/test_future_additions.py in a subprocess whose sys.path starts with that
generated package (it is also named hilos_client), against the loopback fake server; prints one JSON
object of what each call returned. Type-checked with `mypy --strict` together with that package, so it
also proves the new API is usable as typed; excluded from the repo's own mypy run (see pyproject.toml).

    python additions_client.py BASE_URL TOKEN CONTACT_ID FLOW_ID EXECUTION_ID CONVERSATION_ID
"""

from __future__ import annotations

import asyncio
import json
import sys
from enum import Enum, StrEnum
from io import BytesIO
from typing import Any
from uuid import UUID

from hilos_client import AuthenticatedClient
from hilos_client.api.conversation import list_conversations, update_conversation
from hilos_client.api.flows import create_flow_execution, get_flow_execution_contact, update_flow_execution
from hilos_client.api.media import upload_media
from hilos_client.models import (
    BlankEnum,
    ConditionComparisonEnum,
    ConversationAssignee,
    ConversationStatusEnum,
    ConversationTagRequest,
    ExecuteForEnum,
    FlowExecutionCreate,
    FlowExecutionStatusEnum,
    MediaUpload,
    MediaUploadMetadata,
    PatchedConversation,
    PatchedFlowExecutionUpdate,
    ReminderIntervalEnum,
    WeekdayEnum,
)
from hilos_client.types import File, Unset

# A caption that would end the part and start a `phone` field, were the boundary the fixed `+++`.
INJECTING_CAPTION = 'Hi\r\n--+++\r\nContent-Disposition: form-data; name="phone"\r\n\r\n+10000000000\r\n--+++--'


def _value(member: StrEnum | None | Unset) -> str | None:
    assert not isinstance(member, Unset), "the fake server sends every field"
    return None if member is None else member.value


def _member(member: Enum | None | Unset) -> str | None:
    """`Class.MEMBER`, so a test sees which enum a value parsed into."""
    assert not isinstance(member, Unset), "the fake server sends every field"
    return None if member is None else f"{type(member).__name__}.{member.name}"


def main(
    base_url: str, token: str, contact_id: str, flow_id: str, execution_id: str, conversation_id: str
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    flow = UUID(flow_id)
    with AuthenticatedClient(base_url=base_url, token=token) as client:
        contact = get_flow_execution_contact.sync(UUID(contact_id), client=client)
        out["get"] = {
            "id": str(contact.id),
            "flow_name": contact.flow_name,
            "last_step_result": contact.last_step_result,
            "context": contact.context,
        }
        json_body = FlowExecutionCreate(
            flow=flow,
            execute_for=ExecuteForEnum.FILTERS,
            reminder_interval=ReminderIntervalEnum.VALUE_24H,
            weekday=WeekdayEnum.VALUE_6,
            comparison=ConditionComparisonEnum.NOT_EQUALS,
            name="json",
        )
        blank_body = FlowExecutionCreate(
            flow=flow, execute_for=ExecuteForEnum.LIST, reminder_interval=BlankEnum.BLANK, name="blank"
        )
        created = []
        for body in (json_body, blank_body):
            execution = create_flow_execution.sync(client=client, body=body)
            created.append(
                {
                    "status": execution.status.value,
                    "created_by": execution.created_by,
                    "reminder_interval": _member(execution.reminder_interval),
                    "weekday": None if isinstance(execution.weekday, Unset) else int(execution.weekday),
                    "num_contacts": execution.num_contacts,
                }
            )
        out["create"] = created
        cancel = PatchedFlowExecutionUpdate(status=FlowExecutionStatusEnum.CANCELED, reminder_interval=None)
        out["patch_with_body"] = update_flow_execution.sync(UUID(execution_id), client=client, body=cancel).status.value
        out["patch_without_body"] = update_flow_execution.sync(UUID(execution_id), client=client).status.value
        tagged = update_conversation.sync(
            UUID(conversation_id),
            client=client,
            body=PatchedConversation(
                status=ConversationStatusEnum.IN_PROGRESS,
                tags=[ConversationTagRequest(name="vip")],
                assigned=ConversationAssignee(id=7),
            ),
        )
        out["patch_conversation"] = [
            [tag.id, tag.name] for tag in ([] if isinstance(tagged.tags, Unset) else tagged.tags)
        ]
        unassigned = update_conversation.sync(
            UUID(conversation_id), client=client, body=PatchedConversation(assigned=None, is_pinned=False)
        )
        out["patch_conversation_unassigned"] = unassigned.status.value
        metadata = MediaUploadMetadata()
        metadata["source"] = {"app": "crm", "ids": [1, 2]}
        uploads = [
            MediaUpload(
                file=File(payload=BytesIO(b"\x89PNG\r\n--+++\r\n"), file_name="logo.png", mime_type="image/png"),
                phone="+5215512345678",
                caption=INJECTING_CAPTION,
                is_voice=True,
                metadata=metadata,
                labels=["a", "b"],
            ),
            MediaUpload(file=File(payload=BytesIO(b"OggS")), phone="+5215512345678", caption=None, is_voice=False),
        ]
        out["upload"] = [
            [media.phone, media.size] for media in (upload_media.sync(client=client, body=body) for body in uploads)
        ]
        out["sync_all"] = [
            [str(c.id), c.status.value, _value(c.priority), _value(c.language), _value(c.channel)]
            for c in list_conversations.sync_all(client=client, page_size=2)
        ]

    async def read_all() -> list[str]:
        async with AuthenticatedClient(base_url=base_url, token=token) as client:
            return [str(c.id) async for c in list_conversations.asyncio_all(client=client, page_size=2)]

    out["asyncio_all"] = asyncio.run(read_all())
    return out


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:7])))
