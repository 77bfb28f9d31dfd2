"""Synthesize the contract cassettes from the spec, until they are re-recorded from the live API.

    python -m tests.contract.synthesize           # (re)write tests/contract/cassettes/<case>.yaml
    python -m tests.contract.synthesize --check   # exit 1 if a synthesized cassette differs from this output

Each case's response is what the API answers to the case's query over one small synthetic account
(ACCOUNT below), with Django REST framework's page-number pagination: filters as the spec describes
them, `next` / `previous` links built as DRF builds them, timestamps as DRF writes them. The request
is written from the case's arguments by the API's conventions, independently of the client, so the
replay test really checks what the client sends. Output is deterministic; cassettes are committed.
A cassette that no longer starts with SYNTHESIZED_HEADER was re-recorded live and is left alone.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import yaml

from tests.contract.cases import (
    CASES,
    CONTACT,
    ERIK_IN_ONBOARDING,
    EXECUTION_STEP,
    FLOW,
    FLOW_EXECUTION,
    FLOW_VERSION,
    FUTURE_FLOW_VERSION,
    NESTED_META_CONTACT,
    Case,
    execution_contact_id,
    synthetic_id,
)
from tests.contract.recording import (
    FILTERED,
    OPERATION_ID,
    cassette_path,
    keep_response_headers,
)
from tests.support.fake_hilos import DEFAULT_PAGE_SIZE, STATUSES
from tests.support.spec_schema import load_patched_spec, operation_path

# Matches the spec's server template https://{youraccountname}.api-us1.com/api/3 with a made-up account.
SYNTHESIZED_BASE_URL = "https://acme.api-us1.com/api/3"
SYNTHESIZED_HEADER = (
    "# Synthesized by tests/contract/synthesize.py from generated/openapi.patched.json: not a live recording.\n"
    "# Re-record from the live API with `make record` (see README.md in this folder).\n"
)
ACTIVE_STATUSES = ("READY", "RUNNING")
FINISHED_STATUSES = ("CANCELED", "COMPLETED")  # what the spec says is_active=false returns
STATUS_REASONS = {
    "CANCELED": "Canceled by an agent.",
    "EXPIRED": "The contact did not answer within 24 hours.",
    "FAILED": "WhatsApp rejected the message: the number is not on WhatsApp.",
}
REFERENCE_FIELDS = ("_flow_execution", "_steps")  # what filters look at but the API does not return


def timestamp(minute: int) -> str:
    # DRF writes aware UTC datetimes as isoformat() with "+00:00" shortened to "Z".
    return f"2024-03-01T09:{minute:02d}:00.{minute * 1111:06d}Z"


def contact(name: str, index: int, **fields: Any) -> dict[str, Any]:
    first, _, last = name.partition(" ")
    phone = f"+52155{index:08d}"
    return {
        "first_name": first,
        "last_name": last or None,
        "email": f"{first.lower()}@example.com",
        "meta": {},
        "canonical_phone": phone,
        "is_deleted": False,
        "phone": phone,
        "id": str(synthetic_id(f"contact:{first.lower()}")),
        "created_on": timestamp(index),
        "last_updated_on": timestamp(index + 30),
        "source": "api",
        "external_url": None,
        **fields,
    }


def execution(
    id: uuid.UUID, person: dict[str, Any], status: str, index: int, flow: uuid.UUID | None = FLOW, **fields: Any
) -> dict[str, Any]:
    return {
        "id": str(id),
        "contact": person,
        "status": status,
        "created_on": timestamp(index),
        "status_reason": STATUS_REASONS.get(status),
        "is_test": False,
        "flow_version": str(FLOW_VERSION) if flow == FLOW else str(synthetic_id(f"flow-version:{flow}")),
        "flow": None if flow is None else str(flow),
        "flow_name": "Onboarding" if flow == FLOW else "Reminders",
        "_flow_execution": str(FLOW_EXECUTION) if flow == FLOW else None,
        "_steps": [str(EXECUTION_STEP)] if status != "READY" and flow == FLOW else [],
        **fields,
    }


def account() -> list[dict[str, Any]]:
    """Every flow execution contact of the synthetic account, in the API's order."""
    erik = contact("Erik Smith", 0, id=str(CONTACT), email="erik@hilos.io", phone="+525512345678")
    onboarding = [
        execution(execution_contact_id(status), contact(name, i + 1), status, i + 1)
        for i, (status, name) in enumerate(zip(STATUSES, ("Ana Ruiz", "Bea", "Carlos Diaz", "Dora", "Eli Paz", "Fer"), strict=True))
    ] + [execution(ERIK_IN_ONBOARDING, erik, "RUNNING", 7)]  # fmt: skip
    reminders_flow = synthetic_id("flow:reminders")
    reminders = [
        execution(synthetic_id(f"fec:reminder:{i}"), contact(f"Rem{i}", 10 + i), "COMPLETED", 10 + i, reminders_flow)
        for i in range(4)
    ]
    nulls = execution(
        execution_contact_id("nulls"),
        contact("Nil", 20, first_name=None, email=None, canonical_phone=None, external_url=None),
        "RUNNING",
        20,
        flow=None,
        flow_version=None,
    )
    nested_meta = execution(
        synthetic_id("fec:nested-meta"),
        contact(
            "Meta Deep",
            21,
            id=str(NESTED_META_CONTACT),
            external_url="https://crm.example.com/contacts/21",
            meta={
                "crm": {"ids": [101, 202], "owner": {"name": "Ana", "teams": [{"id": 7, "roles": ["admin", None]}]}},
                "consent": True,
                "score": 4.5,
                "notes": None,
                "tags": [],
            },
        ),
        "COMPLETED",
        21,
        reminders_flow,
    )
    future = execution(
        synthetic_id("fec:future"),
        contact("Futura", 22, channel_preferences={"whatsapp": True, "quiet_hours": ["22:00", "07:00"]}),
        "RUNNING",
        22,
        reminders_flow,
        flow_version=str(FUTURE_FLOW_VERSION),
        current_step={"id": str(synthetic_id("flow-step:future")), "name": "Ask for email", "attempts": 2},
        priority=3,
    )
    return [*onboarding, *reminders, nulls, nested_meta, future]


def top_level_unknown_fields(query: dict[str, str]) -> dict[str, Any]:
    # The API may grow top-level keys too; this one shows up in the case that already carries unknown fields.
    return {"page_count": 1} if query.get("flow_version") == str(FUTURE_FLOW_VERSION) else {}


FILTERS: dict[str, Callable[[dict[str, Any], str], bool]] = {
    "contact": lambda item, v: item["contact"]["id"] == v,
    "execution_steps__step_id": lambda item, v: v in item["_steps"],
    "flow": lambda item, v: item["flow"] == v,
    "flow_execution": lambda item, v: item["_flow_execution"] == v,
    "flow_version": lambda item, v: item["flow_version"] == v,
    "id": lambda item, v: item["id"] == v,
    "is_active": lambda item, v: item["status"] in (ACTIVE_STATUSES if v == "true" else FINISHED_STATUSES),
    "search": lambda item, v: any(
        v.lower() in (item["contact"][f] or "").lower() for f in ("phone", "first_name", "last_name", "email")
    ),
}


def answer(url: str, query: list[tuple[str, str]]) -> dict[str, Any]:
    """The API's 200 answer to `url` with `query`: filtered, then DRF PageNumberPagination."""
    params = dict(query)
    items = [i for i in account() if all(FILTERS[k](i, v) for k, v in params.items() if k in FILTERS)]
    page, page_size = int(params.get("page", 1)), int(params.get("page_size", DEFAULT_PAGE_SIZE))
    pages = max(1, math.ceil(len(items) / page_size))

    def link(number: int) -> str | None:
        # DRF: replace_query_param / remove_query_param (page 1 has no page param), both sort the query.
        if not 1 <= number <= pages:
            return None
        linked = {**params, "page": str(number)}
        if number == 1:
            del linked["page"]
        return url + (f"?{urlencode(sorted(linked.items()))}" if linked else "")

    results = [{k: v for k, v in i.items() if k not in REFERENCE_FIELDS} for i in items]
    return {
        "count": len(items),
        "next": link(page + 1),
        "previous": link(page - 1),
        "results": results[(page - 1) * page_size : page * page_size],
        **top_level_unknown_fields(params),
    }


def wire_query(spec: dict[str, Any], arguments: dict[str, Any]) -> list[tuple[str, str]]:
    """The query string the API expects for these client arguments, by the spec's parameters, in spec order."""
    (operation,) = [op for op in spec["paths"][operation_path(spec, OPERATION_ID)].values()]
    query = []
    for parameter in operation["parameters"]:
        name, schema = parameter["name"], parameter["schema"]
        python_name = re.sub(r"_+", "_", name)  # the generator's name for `execution_steps__step_id`
        if python_name not in arguments:
            continue
        value = arguments[python_name]
        if schema["type"] == "boolean":
            text = "true" if value else "false"
        elif schema.get("format") == "uuid":
            text = str(uuid.UUID(str(value)))
        else:
            text = str(value)
        query.append((name, text))
    unknown = set(arguments) - {re.sub(r"_+", "_", p["name"]) for p in operation["parameters"]}
    if unknown:
        raise ValueError(f"arguments the operation does not take: {sorted(unknown)}")
    return query


def interaction(spec: dict[str, Any], case: Case) -> dict[str, Any]:
    url = SYNTHESIZED_BASE_URL + operation_path(spec, OPERATION_ID)
    query = wire_query(spec, case.arguments)
    uri = url + (f"?{urlencode(query)}" if query else "")
    body = json.dumps(answer(url, query), indent=2, ensure_ascii=False)
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {
            "Content-Type": ["application/json"],
            "Allow": ["GET, HEAD, OPTIONS"],
            "Vary": ["Accept"],
        },
        "body": {"string": body + "\n"},
    }
    return {
        "request": {
            "method": "GET",
            "uri": uri,
            "body": None,
            "headers": {"Accept": ["*/*"], "Authorization": [f"Token {FILTERED}"]},
        },
        "response": keep_response_headers(response),
    }


class _Dumper(yaml.SafeDumper):
    """VCR.py's YAML cassette format, with JSON bodies as readable literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render(spec: dict[str, Any], case: Case) -> str:
    document = {"interactions": [interaction(spec, case)], "version": 1}
    return SYNTHESIZED_HEADER + yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def is_synthesized(text: str) -> bool:
    return text.startswith(SYNTHESIZED_HEADER)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    spec = load_patched_spec()
    stale = []
    for case in CASES:
        path = cassette_path(case.name)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current is not None and not is_synthesized(current):
            print(f"synthesize: {path.name}: recorded live, left alone")
            continue
        text = render(spec, case)
        if current == text:
            continue
        if args.check:
            stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"synthesize: wrote {path.name}")
    if stale:
        print(f"synthesize: out of date: {', '.join(stale)}. Fix: python -m tests.contract.synthesize", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
