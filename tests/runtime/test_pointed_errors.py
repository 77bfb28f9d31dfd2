"""A body that does not match the spec names where (`results[0].contact.last_updated_on`) and what was expected;
models print only what is set; `UNSET` prints as itself; each operation module lists its public functions."""

from __future__ import annotations

import inspect
import re
from datetime import UTC, datetime

import pytest
from hilos_client import errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.models import ContactReadSimple
from hilos_client.models import PaginatedFlowExecutionContactListSimpleList as Page
from hilos_client.types import UNSET

from tests.runtime.conftest import fast_client
from tests.runtime.test_response_validation import DROP, MUTATIONS, set_path, valid_page
from tests.support.fake_hilos import FakeHilosServer, Fault, make_contacts


def bracketed(dotted: str) -> str:
    """`results.0.contact` as a ParseError writes it: `results[0].contact`."""
    return re.sub(r"\.(\d+)", r"[\1]", dotted)


@pytest.mark.parametrize("mutation", list(MUTATIONS), ids=list(MUTATIONS))
def test_each_mutation_names_its_path(mutation: str) -> None:
    path, value = MUTATIONS[mutation]
    with pytest.raises(errors.PARSE_ERRORS) as caught:
        Page.from_dict(set_path(valid_page(), path, value))
    assert getattr(caught.value, "path", None) == bracketed(path)


def test_the_error_says_where_and_what_was_expected(fake_api: FakeHilosServer) -> None:
    page = valid_page()
    page["results"] = make_contacts(3)
    page["results"][2]["contact"]["last_updated_on"] = 1700000000
    fake_api.faults.append(Fault(status=200, body=page))
    with fast_client(fake_api) as client, pytest.raises(errors.ResponseValidationError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.path == "results[2].contact.last_updated_on"
    assert caught.value.reason.startswith("results[2].contact.last_updated_on: ")
    assert "results[2].contact.last_updated_on" in str(caught.value)


def test_a_missing_field_is_named_with_its_parents() -> None:
    with pytest.raises(errors.PARSE_ERRORS) as caught:
        Page.from_dict(set_path(valid_page(), "results.0.contact.last_updated_on", DROP))
    assert str(caught.value) == "results[0].contact.last_updated_on: required field is missing"
    assert isinstance(caught.value.__cause__, KeyError)  # the first failure, for the traceback


def test_unset_prints_as_unset() -> None:
    assert repr(UNSET) == "UNSET"
    signature = str(inspect.signature(list_contacts.sync))
    assert "flow: uuid.UUID | None | hilos_client._runtime.types.Unset = UNSET" in signature  # None: not sent
    assert " at 0x" not in signature


def test_model_repr_shows_only_set_fields() -> None:
    contact = ContactReadSimple(phone="+1", id="c1", last_updated_on=datetime(2024, 1, 2, tzinfo=UTC), source="api")
    text = repr(contact)
    assert text.startswith("ContactReadSimple(phone='+1', id='c1', last_updated_on=datetime.datetime(")
    assert "Unset" not in text and "UNSET" not in text and "additional_properties" not in text
    contact.additional_properties["extra"] = 1
    assert repr(contact).endswith("additional_properties={'extra': 1})")


def test_operation_modules_list_their_functions() -> None:
    assert sorted(list_contacts.__all__) == [
        "asyncio",
        "asyncio_all",
        "asyncio_detailed",
        "asyncio_pages",
        "sync",
        "sync_all",
        "sync_detailed",
        "sync_pages",
    ]
