"""Calls every operation that specs/additions.json adds, through the package generated with it.

Run by tests/update_spec/test_future_additions.py in a subprocess whose sys.path starts with that
generated package (it is also named hilos_client), against the loopback fake server; prints one JSON
object of what each call returned. Type-checked with `mypy --strict` together with that package, so it
also proves the new API is usable as typed; excluded from the repo's own mypy run (see pyproject.toml).

    python additions_client.py BASE_URL TOKEN RECIPIENT_ID FLOW_ID BROADCAST_ID TICKET_ID
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
from hilos_client.api.broadcasts import create_broadcast, get_broadcast_recipient, partially_update_broadcast
from hilos_client.api.media import upload_media
from hilos_client.api.tickets import list_tickets, partially_update_ticket
from hilos_client.models import (
    BlankEnum,
    BroadcastCreate,
    BroadcastStatusEnum,
    ConditionComparisonEnum,
    ExecuteForEnum,
    MediaUpload,
    MediaUploadMetadata,
    PatchedBroadcastUpdate,
    PatchedTicket,
    ReminderIntervalEnum,
    TicketAssignee,
    TicketStatusEnum,
    TicketTagRequest,
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
    base_url: str, token: str, recipient_id: str, flow_id: str, broadcast_id: str, ticket_id: str
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    flow = UUID(flow_id)
    with AuthenticatedClient(base_url=base_url, token=token) as client:
        recipient = get_broadcast_recipient.sync(UUID(recipient_id), client=client)
        out["get"] = {
            "id": str(recipient.id),
            "flow_name": recipient.flow_name,
            "last_step_result": recipient.last_step_result,
            "context": recipient.context,
        }
        json_body = BroadcastCreate(
            flow=flow,
            execute_for=ExecuteForEnum.FILTERS,
            reminder_interval=ReminderIntervalEnum.VALUE_24H,
            weekday=WeekdayEnum.VALUE_6,
            comparison=ConditionComparisonEnum.NOT_EQUALS,
            name="json",
        )
        blank_body = BroadcastCreate(
            flow=flow, execute_for=ExecuteForEnum.LIST, reminder_interval=BlankEnum.BLANK, name="blank"
        )
        created = []
        for body in (json_body, blank_body):
            broadcast = create_broadcast.sync(client=client, body=body)
            created.append(
                {
                    "status": broadcast.status.value,
                    "created_by": broadcast.created_by,
                    "reminder_interval": _member(broadcast.reminder_interval),
                    "weekday": None if isinstance(broadcast.weekday, Unset) else int(broadcast.weekday),
                    "num_contacts": broadcast.num_contacts,
                }
            )
        out["create"] = created
        cancel = PatchedBroadcastUpdate(status=BroadcastStatusEnum.CANCELED, reminder_interval=None)
        broadcast_uuid = UUID(broadcast_id)
        out["patch_with_body"] = partially_update_broadcast.sync(
            broadcast_uuid, client=client, body=cancel
        ).status.value
        out["patch_without_body"] = partially_update_broadcast.sync(broadcast_uuid, client=client).status.value
        tagged = partially_update_ticket.sync(
            UUID(ticket_id),
            client=client,
            body=PatchedTicket(
                status=TicketStatusEnum.IN_PROGRESS,
                tags=[TicketTagRequest(name="vip")],
                assigned=TicketAssignee(id=7),
            ),
        )
        out["patch_ticket"] = [[tag.id, tag.name] for tag in ([] if isinstance(tagged.tags, Unset) else tagged.tags)]
        unassigned = partially_update_ticket.sync(
            UUID(ticket_id), client=client, body=PatchedTicket(assigned=None, is_pinned=False)
        )
        out["patch_ticket_unassigned"] = unassigned.status.value
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
            for c in list_tickets.sync_all(client=client, page_size=2)
        ]

    async def read_all() -> list[str]:
        async with AuthenticatedClient(base_url=base_url, token=token) as client:
            return [str(c.id) async for c in list_tickets.asyncio_all(client=client, page_size=2)]

    out["asyncio_all"] = asyncio.run(read_all())
    return out


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:7])))
