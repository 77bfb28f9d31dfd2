"""The contract cases: for each, the keyword arguments `list_flow_execution_contacts.sync` is called with.

This table is the one place the recorded arguments live. Each case has a cassette of the same name,
tests/contract/cassettes/<case>.yaml, holding the HTTP exchange those arguments produce. The IDs are
synthetic (stable UUIDv5s); to re-record from a live account, put IDs from that account here first
(see tests/contract/cassettes/README.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

_IDS = uuid.UUID("6f1c3a52-0d1e-4d7b-9a51-2b7c35c0e0aa")


def synthetic_id(name: str) -> uuid.UUID:
    return uuid.uuid5(_IDS, name)


FLOW = synthetic_id("flow:onboarding")
FLOW_VERSION = synthetic_id("flow-version:onboarding:3")
FLOW_EXECUTION = synthetic_id("flow-execution:onboarding:march")
EXECUTION_STEP = synthetic_id("flow-step:onboarding:ask-email")
CONTACT = synthetic_id("contact:erik")


ERIK_IN_ONBOARDING = synthetic_id("flow-execution-contact:erik")
NESTED_META_CONTACT = synthetic_id("contact:nested-meta")
FUTURE_FLOW_VERSION = synthetic_id("flow-version:future")  # its contacts carry fields the spec does not know


def execution_contact_id(status: str) -> uuid.UUID:
    """The flow execution contact the status_<status> case fetches by id."""
    return synthetic_id(f"flow-execution-contact:{status}")


@dataclass(frozen=True)
class Case:
    name: str
    arguments: dict[str, Any]


CASES: tuple[Case, ...] = (
    Case("first_page", {"flow": FLOW, "page_size": 3}),
    Case("middle_page", {"flow": FLOW, "page": 2, "page_size": 3}),
    Case("last_page", {"flow": FLOW, "page": 3, "page_size": 3}),
    Case("empty_result", {"search": "nobody-is-called-this"}),
    Case("filter_contact", {"contact": CONTACT}),
    Case("filter_execution_steps_step_id", {"execution_steps_step_id": EXECUTION_STEP}),
    Case("filter_flow", {"flow": FLOW}),
    Case("filter_flow_execution", {"flow_execution": FLOW_EXECUTION}),
    Case("filter_flow_version", {"flow_version": FLOW_VERSION}),
    Case("filter_id", {"id": ERIK_IN_ONBOARDING}),
    Case("filter_is_active_true", {"is_active": True}),
    Case("filter_is_active_false", {"is_active": False}),
    Case("filter_search", {"search": "erik@hilos.io"}),
    Case("filter_page", {"page": 2}),
    Case("filter_page_size", {"page_size": 1}),
    Case("status_ready", {"id": execution_contact_id("READY")}),
    Case("status_running", {"id": execution_contact_id("RUNNING")}),
    Case("status_completed", {"id": execution_contact_id("COMPLETED")}),
    Case("status_canceled", {"id": execution_contact_id("CANCELED")}),
    Case("status_expired", {"id": execution_contact_id("EXPIRED")}),
    Case("status_failed", {"id": execution_contact_id("FAILED")}),
    Case("null_in_every_nullable_field", {"id": execution_contact_id("nulls")}),
    Case("nested_meta", {"contact": NESTED_META_CONTACT}),
    Case("fields_the_spec_does_not_know", {"flow_version": FUTURE_FLOW_VERSION}),
)

CASES_BY_NAME = {case.name: case for case in CASES}
