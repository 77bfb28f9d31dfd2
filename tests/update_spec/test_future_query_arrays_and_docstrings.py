"""Query arrays go on the wire as their `style`/`explode` say, typed by their items; the spec's descriptions
reach the docstrings.

The list of tickets from specs/additions.json (arrays of a component enum, an inline enum, UUIDs,
integers and booleans, with `explode: false` and `explode: true`), added to the spec, goes through the real
pipeline and is called over the loopback fake; the docstrings are read from that package and from hilos_client.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import textwrap
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any, get_args, get_type_hints
from uuid import UUID

import hilos_client
import pytest
from hilos_client.api.flows import list_flow_execution_contacts

from pipeline.project import SPEC
from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault
from tests.support.regenerated import operation, regenerated_package
from tests.update_spec.conftest import SPECS

ADDITIONS = json.loads((SPECS / "additions.json").read_text(encoding="utf-8"))
TICKETS_PATH = "/channel/whatsapp/ticket"
EMPTY_PAGE: dict[str, Any] = {"count": 0, "next": None, "previous": None, "results": []}
FIRST = UUID("00000000-0000-0000-0000-00000000c001")
SECOND = UUID("00000000-0000-0000-0000-00000000c002")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with regenerated_package(
        tmp_path_factory.mktemp("query-arrays"),
        "hilos_client_query_arrays",
        paths={TICKETS_PATH: {"get": ADDITIONS["paths"][TICKETS_PATH]["get"]}},
        schemas=ADDITIONS["components"]["schemas"],
    ) as package:
        yield package


@pytest.fixture
def tickets(fake_api: FakeHilosServer) -> FakeHilosServer:
    fake_api.route("GET", TICKETS_PATH, lambda request, path: Fault(status=200, body=EMPTY_PAGE))
    return fake_api


def _filters(package: ModuleType) -> dict[str, Any]:
    models = package.models
    return {
        "assigned_to_in": [7, 8],
        "channel_in": [models.ListTicketsChannelInItem.WHATSAPP, models.ListTicketsChannelInItem.INSTAGRAM],
        "id_in": [FIRST, SECOND],
        "is_pinned_in": [True, False],
        "source": [models.ListTicketsSourceItem.WEBSITE, models.ListTicketsSourceItem.API],
        "status_in": [models.TicketStatusEnum.NEW, models.TicketStatusEnum.IN_PROGRESS],
        "tag": [3, 4],
    }


# OpenAPI's form style: an `explode: false` array is one value, its items joined by literal commas (the client
# undoes httpx's %2C); an `explode: true` one repeats the parameter.
EXPECTED_QUERY = (
    "assigned_to__in=7,8"
    "&channel__in=whatsapp,instagram"
    f"&id__in={FIRST},{SECOND}"
    "&is_pinned__in=true,false"
    "&source=website&source=api"
    "&status__in=new,in_progress"
    "&tag=3&tag=4"
)
EXPECTED_PARAMS = {
    "assigned_to__in": ["7,8"],
    "channel__in": ["whatsapp,instagram"],
    "id__in": [f"{FIRST},{SECOND}"],
    "is_pinned__in": ["true,false"],
    "source": ["website", "api"],
    "status__in": ["new,in_progress"],
    "tag": ["3", "4"],
}


def test_explode_false_arrays_go_as_one_comma_separated_value_and_explode_true_ones_repeat(
    regenerated: ModuleType, tickets: FakeHilosServer
) -> None:
    module = operation(regenerated, "list_tickets", "tickets")
    with regenerated.AuthenticatedClient(base_url=tickets.base_url, token=TOKEN) as client:
        module.sync(client=client, **_filters(regenerated))
    (request,) = tickets.requests
    assert request.query == EXPECTED_QUERY
    assert request.params == EXPECTED_PARAMS


def test_none_unset_and_empty_arrays_are_not_sent(regenerated: ModuleType, tickets: FakeHilosServer) -> None:
    module = operation(regenerated, "list_tickets", "tickets")
    with regenerated.AuthenticatedClient(base_url=tickets.base_url, token=TOKEN) as client:
        module.sync(client=client, channel_in=None, status_in=[], source=[], tag=None)
        module.sync(client=client, id_in=[FIRST])
    unset, one = tickets.requests
    assert unset.query == ""
    assert one.query == f"id__in={FIRST}"


async def test_resource_methods_and_every_page_of_sync_all_and_asyncio_all_send_the_same_query(
    regenerated: ModuleType, tickets: FakeHilosServer
) -> None:
    with regenerated.Hilos(base_url=tickets.base_url, token=TOKEN) as hilos:
        hilos.tickets.list_tickets(**_filters(regenerated))
        assert list(hilos.tickets.list_tickets_all(**_filters(regenerated))) == []
    module = operation(regenerated, "list_tickets", "tickets")
    async with regenerated.AuthenticatedClient(base_url=tickets.base_url, token=TOKEN) as client:
        assert [item async for item in module.asyncio_all(client=client, **_filters(regenerated))] == []
    # the auto-paginators add page and page_size (asyncio_all asks for pages ahead: how many is its business)
    first, *paginated = tickets.requests
    assert first.query == EXPECTED_QUERY and len(paginated) >= 2
    for request in paginated:
        assert {
            name: values for name, values in request.params.items() if not name.startswith("page")
        } == EXPECTED_PARAMS


def test_query_arrays_are_typed_by_their_item_schema(regenerated: ModuleType) -> None:
    module = operation(regenerated, "list_tickets", "tickets")
    hints = get_type_hints(module.sync)
    models = regenerated.models
    items = {name: get_args(get_args(hints[name])[0]) for name in _filters(regenerated)}
    assert items == {
        "assigned_to_in": (int,),
        "channel_in": (models.ListTicketsChannelInItem,),
        "id_in": (UUID,),
        "is_pinned_in": (bool,),
        "source": (models.ListTicketsSourceItem,),
        "status_in": (models.TicketStatusEnum,),
        "tag": (int,),
    }


# -- descriptions --------------------------------------------------------------------------------------------
def _argument_text(function: Callable[..., Any], python_name: str) -> str:
    """The text of one `Args:` entry of the function's docstring, its lines joined."""
    doc = inspect.getdoc(function) or ""
    args = doc.partition("\nArgs:\n")[2]
    found = re.search(rf"^    {re.escape(python_name)} \(.*?\):(.*?)(?=^    \w|\Z|^\S)", args, re.MULTILINE | re.DOTALL)
    assert found, f"{python_name} is not in the Args: of {function.__qualname__}"
    return " ".join(found.group(1).split())


def _described_parameters(spec: dict[str, Any], path: str) -> dict[str, str]:
    """python name -> description, whitespace collapsed, for every described parameter of `path`'s GET."""
    return {
        re.sub(r"_+", "_", parameter["name"]): " ".join(parameter["description"].split())
        for parameter in spec["paths"][path]["get"]["parameters"]
        if parameter.get("description")
    }


def test_every_function_of_an_operation_shows_each_parameter_description() -> None:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    described = _described_parameters(spec, "/channel/whatsapp/flow-execution-contact")
    assert {"flow", "is_active", "contact", "search"} <= set(described)
    hilos = hilos_client.Hilos(base_url="http://127.0.0.1:9/api/3", token=TOKEN)
    functions = [
        *(
            getattr(list_flow_execution_contacts, name)
            for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed")
        ),
        list_flow_execution_contacts.sync_all,
        list_flow_execution_contacts.asyncio_all,
        hilos.flows.list_flow_execution_contacts,
        hilos.flows.list_flow_execution_contacts_all,
    ]
    for function in functions:
        taken = set(inspect.signature(function).parameters)
        assert {"flow", "is_active"} <= taken
        if function.__name__.endswith("_all"):  # the auto-paginators own paging: their page_size is per request
            taken -= {"page", "page_size"}
        for python_name, description in described.items():
            if python_name in taken:
                assert _argument_text(function, python_name) == description, (function, python_name)


def test_a_new_operations_parameters_show_their_descriptions(regenerated: ModuleType) -> None:
    module = operation(regenerated, "list_tickets", "tickets")
    described = _described_parameters(ADDITIONS, TICKETS_PATH)
    assert {"status", "status_in", "channel_in", "tag"} <= set(described)
    for python_name, description in described.items():
        assert _argument_text(module.sync, python_name) == description, python_name


def _attribute_docstrings(model: type) -> dict[str, str]:
    """Field name -> the string literal under its annotation (how attrs models document their fields)."""
    body = ast.parse(textwrap.dedent(inspect.getsource(model))).body[0]
    assert isinstance(body, ast.ClassDef)
    found = {}
    for statement, following in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
        ):
            found[statement.target.id] = " ".join(str(following.value.value).split())
    return found


def test_request_models_and_their_fields_carry_the_schema_descriptions(regenerated: ModuleType) -> None:
    models = regenerated.models
    assert inspect.getdoc(models.BroadcastCreate) == "Starts a Broadcast to the contacts chosen by `execute_for`."
    fields = _attribute_docstrings(models.BroadcastCreate)
    # a described reference (`allOf: [$ref]` + description) documents the field, not the enum it points at
    assert fields["weekday"] == "Day of the week to start on."
    assert _attribute_docstrings(models.PatchedTicket)["overwrite_tags"] == (
        "Replace the tags instead of adding to them."
    )
