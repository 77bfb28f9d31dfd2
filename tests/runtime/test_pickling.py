"""Models, pages, `UNSET`, unknown enum values and `Response` objects survive `pickle` (every protocol), `copy`
and `deepcopy`: equal to the original, `to_dict()` the same, `UNSET` still the one object and an unknown enum
value still unknown with its value. So they cross process pools, task queues and caches. Every model of the spec
is drawn from its schema (`spec_strategies`, with values its enums do not list); a page with a status this
version does not know comes back from a real worker process. Errors: tests/runtime/hostile/test_pickling.py.
"""

from __future__ import annotations

import copy
import json
import multiprocessing
import pickle
import sys
import typing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any

import attrs
import hilos_client.models
import pytest
from hilos_client import AuthenticatedClient, types
from hilos_client._runtime.enums import ApiIntEnum, ApiStrEnum
from hilos_client.models import FlowExecutionContactStatusEnum
from hilos_client.models import PaginatedFlowExecutionContactListSimpleList as Page
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.support.fake_hilos import TOKEN, FakeHilosServer, make_realistic_contacts
from tests.support.operation_cases import OPERATION_CASES, SPEC, OperationCase, fullest_instance, minimal_instance
from tests.support.spec_strategies import json_values


def unpickled(value: Any, protocol: int) -> Any:
    return pickle.loads(pickle.dumps(value, protocol=protocol))


ROUND_TRIPS: dict[str, Callable[[Any], Any]] = {
    **{f"pickle-{protocol}": partial(unpickled, protocol=protocol) for protocol in range(pickle.HIGHEST_PROTOCOL + 1)},
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
}
"""Every way a value is copied: pickle with each protocol, a shallow copy and a deep one."""

SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
MODELS = sorted(
    name for name, schema in SCHEMAS.items() if "enum" not in schema and attrs.has(getattr(hilos_client.models, name))
)
"""Every component schema of the spec that is a model class (the enums are checked below)."""
ENUMS = sorted(
    name
    for name in hilos_client.models.__all__
    if issubclass(getattr(hilos_client.models, name), ApiStrEnum | ApiIntEnum)
)
"""Every enum of the spec."""
EXAMPLES = settings(
    max_examples=6,
    deadline=None,
    database=None,
    # A failure shows the object as drawn; shrinking the larger ones takes minutes.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_same(original: Any, other: Any, where: str = "") -> None:
    """`other` holds what `original` holds, all the way down: the same types, `UNSET` where it is UNSET (the
    object itself), unknown enum values still unknown with their values, equal leaves."""
    where = where or type(original).__name__
    if original is types.UNSET:
        assert other is types.UNSET, f"{where}: UNSET is no longer the singleton"
        return
    assert type(other) is type(original), where
    if isinstance(original, ApiStrEnum | ApiIntEnum):
        assert other.is_unknown == original.is_unknown, where
        assert other.value == original.value and other.name == original.name, where
    elif attrs.has(type(original)):
        for field in attrs.fields(type(original)):
            assert_same(getattr(original, field.name), getattr(other, field.name), f"{where}.{field.name}")
    elif isinstance(original, list):
        assert len(other) == len(original), where
        for index, (item, copied) in enumerate(zip(original, other, strict=True)):
            assert_same(item, copied, f"{where}[{index}]")
    elif isinstance(original, dict):
        assert list(other) == list(original), where
        for key, item in original.items():
            assert_same(item, other[key], f"{where}[{key!r}]")
    assert other == original, where


def assert_survives_every_round_trip(original: Any) -> None:
    written = original.to_dict()
    for name, round_trip in ROUND_TRIPS.items():
        other = round_trip(original)
        assert other == original, name
        assert_same(original, other, f"{name}: {type(original).__name__}")
        assert other.to_dict() == written, name
        json.dumps(other.to_dict())  # nothing but JSON values: no UNSET left in it


@pytest.mark.parametrize("name", MODELS)
@EXAMPLES
@given(data=st.data())
def test_every_model_survives_pickle_copy_and_deepcopy(name: str, data: st.DataObject) -> None:
    model = getattr(hilos_client.models, name)
    body = data.draw(json_values(SPEC, {"$ref": f"#/components/schemas/{name}"}, unknown_enums=True), label="body")
    assert_survives_every_round_trip(model.from_dict(body))


@pytest.mark.parametrize("fullest", [False, True], ids=["sparsest", "fullest"])
@pytest.mark.parametrize("name", MODELS)
def test_a_model_built_in_python_survives_with_its_unset_fields(name: str, fullest: bool) -> None:
    """Built by its constructor, without JSON texts kept, from the sparsest body (every optional field UNSET) and
    the fullest: what a caller makes to send."""
    model = getattr(hilos_client.models, name)
    schema = {"$ref": f"#/components/schemas/{name}"}
    parsed = model.from_dict(fullest_instance(schema) if fullest else minimal_instance(schema))
    built = model(**{field.alias: getattr(parsed, field.name) for field in attrs.fields(model) if field.init})
    assert built == parsed
    assert_survives_every_round_trip(built)


def test_the_models_drawn_are_every_model_of_the_package() -> None:
    """Each model class is a component schema drawn above, or an object nested in one (drawn with it)."""
    nested = {kind.__name__ for name in MODELS for kind in _field_classes(getattr(hilos_client.models, name))}
    models = {name for name in hilos_client.models.__all__ if attrs.has(getattr(hilos_client.models, name))}
    assert set(MODELS) <= models
    assert models - set(MODELS) <= nested, "a model class that no component schema holds"


def _field_classes(model: type[Any]) -> set[type[Any]]:
    """The model classes the fields of `model` can hold (their annotations, evaluated in its module)."""
    namespace = vars(sys.modules[model.__module__])
    found: set[type[Any]] = set()
    for field in attrs.fields(model):
        hint = eval(field.type, namespace) if isinstance(field.type, str) else field.type
        found |= {leaf for leaf in _flattened(hint) if isinstance(leaf, type) and attrs.has(leaf)}
    return found


def _flattened(hint: Any) -> list[Any]:
    return [hint, *(leaf for arg in typing.get_args(hint) for leaf in _flattened(arg))]


@pytest.mark.parametrize("name", ENUMS)
def test_every_enum_member_and_unknown_value_survives(name: str) -> None:
    enum = getattr(hilos_client.models, name)
    unknown = enum.from_api("A-VALUE-FROM-LATER" if issubclass(enum, ApiStrEnum) else 10**6)
    assert unknown.is_unknown
    for member in [*enum, unknown]:
        for way, round_trip in ROUND_TRIPS.items():
            other = round_trip(member)
            assert_same(member, other, f"{way}: {member!r}")
            if not member.is_unknown:
                assert other is member, way  # a known member is the member itself, as Enum makes it


@pytest.mark.parametrize("way", list(ROUND_TRIPS))
def test_unset_is_the_same_object_after_every_round_trip(way: str) -> None:
    assert ROUND_TRIPS[way](types.UNSET) is types.UNSET
    assert ROUND_TRIPS[way]([types.UNSET, {"x": types.UNSET}]) == [types.UNSET, {"x": types.UNSET}]


def page_body(status: str) -> bytes:
    items = make_realistic_contacts(3)
    items[1]["status"] = status
    del items[2]["status"]  # an optional field left out: UNSET on the parsed item
    return json.dumps({"count": 3, "next": None, "previous": None, "results": items}).encode()


def parse_page(body: bytes) -> Page:
    """Run in the worker process: the page, parsed there from the JSON bytes."""
    return Page.from_dict(json.loads(body))


def test_a_page_with_an_unknown_status_comes_back_from_a_process_pool_equal() -> None:
    body = page_body("PAUSED")
    mine = parse_page(body)
    assert isinstance(mine.results[1].status, FlowExecutionContactStatusEnum) and mine.results[1].status.is_unknown
    # spawn: a new interpreter, which has its own UNSET and makes its own stand-in for PAUSED.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        theirs = pool.submit(parse_page, body).result(timeout=60)
    assert theirs == mine
    assert_same(mine, theirs)
    status = theirs.results[1].status
    assert isinstance(status, FlowExecutionContactStatusEnum) and status.is_unknown and status.value == "PAUSED"
    assert theirs.results[2].status is types.UNSET
    assert theirs.to_dict() == mine.to_dict()


@pytest.mark.parametrize("case", OPERATION_CASES, ids=lambda case: case.id)
def test_every_operations_detailed_response_survives_without_the_token(case: OperationCase) -> None:
    with FakeHilosServer().serve_spec() as server, AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client:
        response = case.module().sync_detailed(client=client, **case.required_arguments())
    for way, round_trip in ROUND_TRIPS.items():
        other = round_trip(response)
        assert other == response, way
        assert_same(response.parsed, other.parsed, f"{way}: {case.id}")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert TOKEN.encode() not in pickle.dumps(response, protocol=protocol)
