"""Reads the existing list through the package generated from specs/future_breaking.json.

Run by tests/update_spec/test_future_breaking.py in a subprocess whose sys.path starts with that
generated package; prints the statuses it parsed, the model's fields, and where the removed field's value went.
Type-checked with `mypy --strict` together with that package; excluded from the repo's own mypy run.

    python breaking_client.py BASE_URL TOKEN
"""

from __future__ import annotations

import json
import sys

import attrs
from hilos_client import AuthenticatedClient
from hilos_client.api.flows import list_flow_execution_contacts
from hilos_client.models import FlowExecutionContactListSimple, FlowExecutionContactStatusEnum
from hilos_client.types import Unset

if __name__ == "__main__":
    with AuthenticatedClient(base_url=sys.argv[1], token=sys.argv[2]) as client:
        contacts = list(list_flow_execution_contacts.sync_all(client=client))
    print(
        json.dumps(
            {
                "statuses": [None if isinstance(c.status, Unset) else c.status.value for c in contacts],
                "members": [m.name for m in FlowExecutionContactStatusEnum],
                "model_fields": sorted(attrs.fields_dict(FlowExecutionContactListSimple)),
                "kept_as_additional": [c.additional_properties.get("is_test") for c in contacts],
            }
        )
    )
