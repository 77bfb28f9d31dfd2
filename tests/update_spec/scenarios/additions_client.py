"""Calls every operation that specs/future_additions.json adds, through the package generated from it.

Run by tests/update_spec/test_future_additions.py in a subprocess whose sys.path starts with that
generated package (it is also named hilos_client), against the loopback fake server; prints one JSON
object of what each call returned. Type-checked with `mypy --strict` together with that package, so it
also proves the new API is usable as typed; excluded from the repo's own mypy run (see pyproject.toml).

    python additions_client.py BASE_URL TOKEN CONTACT_ID FLOW_ID EXECUTION_ID
"""

from __future__ import annotations

import asyncio
import json
import sys
from enum import StrEnum
from typing import Any
from uuid import UUID

from hilos_client import AuthenticatedClient
from hilos_client.api.conversation import list_conversations
from hilos_client.api.flows import create_flow_execution, get_flow_execution_contact, update_flow_execution
from hilos_client.models import (
    BlankEnum,
    ConditionComparisonEnum,
    ExecuteForEnum,
    FlowExecutionCreate,
    FlowExecutionCreateForm,
    FlowExecutionCreateMultipart,
    FlowExecutionStatusEnum,
    PatchedFlowExecutionUpdate,
    ReminderIntervalEnum,
    WeekdayEnum,
)
from hilos_client.types import Unset


def _value(member: StrEnum | None | Unset) -> str | None:
    assert not isinstance(member, Unset), "the fake server sends every field"
    return None if member is None else member.value


def main(base_url: str, token: str, contact_id: str, flow_id: str, execution_id: str) -> dict[str, Any]:
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
        form_body = FlowExecutionCreateForm(
            flow=flow, execute_for=ExecuteForEnum.LIST, reminder_interval=BlankEnum.BLANK, name="form"
        )
        multipart_body = FlowExecutionCreateMultipart(
            flow=flow, execute_for=ExecuteForEnum.ALL, weekday=WeekdayEnum.VALUE_0, name="multipart"
        )
        created = []
        for body in (json_body, form_body, multipart_body):
            execution = create_flow_execution.sync(client=client, body=body)
            created.append(
                {
                    "status": execution.status.value,
                    "created_by": execution.created_by,
                    "reminder_interval": None
                    if execution.reminder_interval is None
                    else str(execution.reminder_interval),
                    "weekday": None if isinstance(execution.weekday, Unset) else int(execution.weekday),
                    "num_contacts": execution.num_contacts,
                }
            )
        out["create"] = created
        cancel = PatchedFlowExecutionUpdate(status=FlowExecutionStatusEnum.CANCELED, reminder_interval=None)
        out["patch_with_body"] = update_flow_execution.sync(UUID(execution_id), client=client, body=cancel).status.value
        out["patch_without_body"] = update_flow_execution.sync(UUID(execution_id), client=client).status.value
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
    print(json.dumps(main(*sys.argv[1:6])))
