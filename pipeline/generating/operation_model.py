"""What the templates render, decided here from the generator's parsed data (its `Endpoint`, `Property` and
`Response` objects), so that a type checker and unit tests see every decision and the templates only render.

generate.py hands each public function below to the templates as a Jinja global (`TEMPLATE_FUNCTIONS`);
api_reference.py calls the same functions, so api.md says what the package does.

- endpoints: `pagination` (whether an operation is page-number paginated, over which page and item models;
  api.md reads it too), `arguments` / `all_arguments` (every declaration; an optional query, header or cookie
  parameter admits `None`, "not sent"), `none_admitting`, `result_type` / `parses`, `on_parse_error`,
  `response_source`, `request_kwargs` / `request_url`, `status_test`, `result_statements`, `operation_docstring` / `all_docstring` / `pages_docstring` / `listing_docstring`;
- tag namespaces and packages: `namespace_imports` (exactly the names the signatures use),
  `any_public_operation`, `package_exports`, `package_docstring`, `client_docstring`, `lazy_models`;
- models and properties: `attribute_order`, `field_source`, `model_docstring`, `enum_lookups` /
  `enum_lookup` (the `_<ENUM>_BY_VALUE` tables), `kept_wire_fields`, `from_dict_beyond_pyright`,
  `multipart_kind`, `union_parse`, `union_transform`.
"""

from __future__ import annotations

import ast
import builtins
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, pass_environment
from openapi_python_client.parser.bodies import Body
from openapi_python_client.parser.openapi import Endpoint, EndpointCollection
from openapi_python_client.parser.properties import EnumProperty, LiteralEnumProperty, ModelProperty
from openapi_python_client.parser.properties.date import DateProperty
from openapi_python_client.parser.properties.datetime import DateTimeProperty
from openapi_python_client.parser.properties.file import FileProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.none import NoneProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol
from openapi_python_client.parser.properties.union import UnionProperty
from openapi_python_client.parser.properties.uuid import UuidProperty
from openapi_python_client.parser.responses import JSON_SOURCE, NONE_SOURCE, Response
from openapi_python_client.strings import in_double_quote_literal, safe_for_docstring, snake_case

PAGE = "page"
PAGE_SIZE = "page_size"
START_PAGE = "start_page"  # where `*_pages()` / `*_all()` begin: a nightly job resumes with it
PAGE_FIELDS = ("count", "next", "previous", "results")
# Names every tag namespace imports itself (endpoint_init.py.jinja), and those Python always has.
NAMESPACE_OWN_NAMES = frozenset({"AuthenticatedClient", "Client", "UNSET", "Unset", "httpx"}) | frozenset(dir(builtins))
# The runtime's decoder instead of `response.json()`: json.loads' results and errors, in less time.
JSON_BODY_SOURCE = "decode_json(response.content)"


class OperationModelError(Exception):
    """The templates cannot render this safely: a name nothing imports, or more than one request body."""


def _code(value: Any) -> str:
    return str(value.as_unembedded_code()) if hasattr(value, "as_unembedded_code") else str(value)


def _raw(value: Any) -> str:
    """The text of a spec string the generator keeps wrapped (`UntrustedString`)."""
    return str(value.get_untrusted_value()) if hasattr(value, "get_untrusted_value") else str(value)


def _base_type(prop: PropertyProtocol) -> str:
    return _code(prop.get_base_type_string())


# --- pagination -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pagination:
    """A page-number paginated operation: an integer `page` query parameter, no request body, and a 200
    response model with `count` (an integer), `next`, `previous` and `results` (an array of a model), required
    or not (the engine's `Page` protocol admits unset `count` and `results`). Engine: _runtime/pagination.py."""

    operation: str  # as the engine's errors name it
    page_model: str
    item: str
    item_module: str
    page_size: bool  # the operation takes an integer `page_size`
    filters: tuple[PropertyProtocol, ...]  # every other parameter, passed on to each page's request

    def positive_arguments(self, concurrency: bool) -> list[str]:
        """The arguments `ValueError` guards (`sync_all()` has no `concurrency`), in the signature's order."""
        return [*[PAGE_SIZE] * self.page_size, START_PAGE, *["concurrency"] * concurrency]

    @property
    def filter_names(self) -> list[str]:
        return [str(p.python_name) for p in self.filters]

    @property
    def fetch_keywords(self) -> list[str]:
        """What each page's `fetch(page)` passes to `sync()` / `asyncio()`."""
        return ["client", *self.filter_names, "page", *[PAGE_SIZE] * self.page_size, *CALL_OPTION_NAMES]

    def all_keywords(self, concurrency: bool) -> list[str]:
        """What an `<operation>_all` / `<operation>_pages` method passes to its module function."""
        return [*self.filter_names, *self.positive_arguments(concurrency), *CALL_OPTION_NAMES]

    def pages_keywords(self, concurrency: bool) -> list[str]:
        """What `sync_all()` / `asyncio_all()` pass to `sync_pages()` / `asyncio_pages()`, whose pages they read."""
        return ["client", *self.all_keywords(concurrency)]

    def returns(self, kind: str, concurrency: bool) -> str:
        """The return type of `*_pages` (`kind` "pages": `Page` objects) or `*_all` ("all": the items)."""
        # `types.Page`, not `Page`: a spec may name a model `Page` (a CMS's pages), and the module imports it.
        yielded = f"types.Page[{self.page_model}, {self.item}]" if kind == "pages" else self.item
        return f"AsyncGenerator[{yielded}, None]" if concurrency else f"Iterator[{yielded}]"

    def engine_call(self, concurrency: bool) -> str:
        """What `sync_pages()` / `asyncio_pages()` return: the engine over their `fetch`."""
        if concurrency:
            return f'aread_pages(fetch, concurrency=concurrency, operation="{self.operation}", start_page=start_page)'
        return f'read_pages(fetch, operation="{self.operation}", start_page=start_page)'


def _page_item(response: Response) -> tuple[str, PropertyProtocol] | None:
    """(page model, item property) when `response` is a 200 page of the shape `Pagination` describes."""
    prop = response.prop
    if response.status_code.range != (200, 200) or not isinstance(prop, ModelProperty):
        return None
    if prop.required_properties is None:
        return None
    fields = {_raw(p.name): p for p in [*prop.required_properties, *(prop.optional_properties or [])]}
    if not all(name in fields for name in PAGE_FIELDS) or _base_type(fields["count"]) != "int":
        return None
    results = fields["results"]
    if not isinstance(results, ListProperty):
        return None
    if not isinstance(results.inner_property, ModelProperty | EnumProperty | LiteralEnumProperty):
        return None
    return prop.class_info.name, results.inner_property


def pagination(endpoint: Endpoint) -> Pagination | None:
    integer_query = {
        _raw(p.name): p
        for p in endpoint.query_parameters
        if _raw(p.name) in (PAGE, PAGE_SIZE) and _base_type(p) == "int"
    }
    if PAGE not in integer_query or endpoint.bodies:
        return None
    pages = [page for page in map(_page_item, endpoint.responses.patterns) if page is not None]
    if not pages:
        return None
    page_model, item = pages[-1]
    assert isinstance(item, ModelProperty | EnumProperty | LiteralEnumProperty)
    filters = (
        *endpoint.path_parameters,
        *(p for p in endpoint.query_parameters if _raw(p.name) not in (PAGE, PAGE_SIZE)),
        *endpoint.header_parameters,
        *endpoint.cookie_parameters,
    )
    return Pagination(
        operation=snake_case(_raw(endpoint.name)),
        page_model=page_model,
        item=item.class_info.name,
        item_module=str(item.class_info.module_name),
        page_size=PAGE_SIZE in integer_query,
        filters=filters,
    )


# --- arguments ------------------------------------------------------------------------------------------


def _names(expression: str) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(expression, mode="eval")) if isinstance(node, ast.Name)}


def _admits_none(type_string: str) -> bool:
    tree = ast.parse(type_string, mode="eval")
    return any(isinstance(node, ast.Constant) and node.value is None for node in ast.walk(tree))


def declaration(parameter: PropertyProtocol) -> str:
    """`name: type = default`. An optional parameter without a default admits `None`, which is not sent (the
    stock declaration does not, and a UUID `None` went out as `"None"`); `_get_kwargs` turns it into UNSET."""
    if parameter.required or parameter.default is not None:
        return _code(parameter.to_string())
    base = _code(parameter.get_type_string(no_optional=True))
    if _admits_none(base):
        return _code(parameter.to_string())
    return f"{parameter.python_name}: {base} | None | Unset = UNSET"


def none_admitting(endpoint: Endpoint) -> list[PropertyProtocol]:
    """The parameters whose `None` `_get_kwargs` turns into UNSET."""
    return [
        p
        for p in [*endpoint.query_parameters, *endpoint.header_parameters, *endpoint.cookie_parameters]
        if not p.required
    ]


def content_type_header(body: Body) -> list[str]:
    """The statement that sets the body's Content-Type, if any: httpx writes the multipart one itself, with the
    random boundary it chose; an optional body left out sends none."""
    if body.content_type == "multipart/form-data":
        return []
    statement = f'headers["Content-Type"] = "{in_double_quote_literal(body.content_type)}"'
    return [statement if body.prop.required else f"if not isinstance(body, Unset):\n    {statement}"]


def body_declaration(endpoint: Endpoint) -> str | None:
    if not endpoint.bodies:
        return None
    if len(endpoint.bodies) > 1:  # normalise.py keeps one media type per request body
        raise OperationModelError(f"{endpoint.method.upper()} {_raw(endpoint.path)}: more than one request body")
    prop = endpoint.bodies[0].prop
    return f"body: {_code(prop.get_type_string())}" + ("" if prop.required else " = UNSET")


CALL_OPTIONS = (
    "timeout: float | httpx.Timeout | None | Unset = UNSET",
    "deadline: float | None | Unset = UNSET",
    "extra_headers: ExtraHeaders | None = None",
    "extra_query: ExtraQuery | None = None",
)
CALL_OPTION_NAMES = tuple(option.partition(":")[0] for option in CALL_OPTIONS)
# What a module function does with `_get_kwargs`' request before sending it: only a call given extras pays for them.
EXTRAS_STATEMENT = (
    "if extra_headers is not None or extra_query is not None:\n"
    "    kwargs = with_extras(kwargs, extra_headers, extra_query)"
)


def call_option_names() -> list[str]:
    """The keywords every operation call takes beside the operation's own parameters, passed on as they are."""
    return list(CALL_OPTION_NAMES)


def extras_statement() -> str:
    """The statement of a module function between `_get_kwargs` and sending: `extra_headers` / `extra_query`
    merged by the runtime's `with_extras`, when given."""
    return EXTRAS_STATEMENT


def _client(endpoint: Endpoint) -> str:
    return "client: AuthenticatedClient" + ("" if endpoint.requires_security else " | Client")


def _signature(endpoint: Endpoint, keyword: list[str]) -> list[str]:
    """Path parameters first and positional, then the keyword-only rest."""
    positional = [_code(p.to_string()) for p in endpoint.path_parameters]
    return positional + (["*", *keyword] if keyword else [])


def arguments(endpoint: Endpoint, include_client: bool = True, call_options: bool = True) -> list[str]:
    """Every argument of an operation's functions: module functions with `client`, resource methods without,
    `_get_kwargs` without `timeout` and `deadline` (`call_options`)."""
    keyword = [_client(endpoint)] if include_client else []
    body = body_declaration(endpoint)
    keyword += [body] if body is not None else []
    keyword += [
        declaration(p) for p in [*endpoint.query_parameters, *endpoint.header_parameters, *endpoint.cookie_parameters]
    ]
    return _signature(endpoint, keyword + list(CALL_OPTIONS if call_options else ()))


def all_arguments(endpoint: Endpoint, page: Pagination, concurrency: bool, include_client: bool = True) -> list[str]:
    """The arguments of `sync_all()` / `asyncio_all()` (`concurrency`), `sync_pages()` / `asyncio_pages()` and the
    `<operation>_all` / `<operation>_pages` methods: the same for both kinds."""
    keyword = [_client(endpoint)] if include_client else []
    keyword += [declaration(p) for p in page.filters if p not in endpoint.path_parameters]
    keyword += ["page_size: int = DEFAULT_PAGE_SIZE"] * page.page_size
    keyword += [f"{START_PAGE}: int = 1"]
    keyword += ["concurrency: int = DEFAULT_CONCURRENCY"] * concurrency
    return _signature(endpoint, [*keyword, *CALL_OPTIONS])


def parses(endpoint: Endpoint) -> bool:
    """Whether some documented response has a body (a 204, or a response without content, has none)."""
    return any(response.source != NONE_SOURCE for response in endpoint.responses)


def result_type(endpoint: Endpoint) -> str:
    """What `sync()` returns: the documented bodies' type (their union when several), None when the operation
    documents no body."""
    return _code(endpoint.response_type()) if parses(endpoint) else "None"


def result_is_union(endpoint: Endpoint) -> bool:
    """Whether `sync()` returns a union of documented bodies (`Cat | Dog`): its template narrows the parsed
    value itself, as mypy solves the runtime's generic `parsed_or_raise` for a union as `object`."""
    return parses(endpoint) and _is_union(result_type(endpoint))


def _is_union(expression: str) -> bool:
    node = ast.parse(expression, mode="eval").body
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr)


def on_parse_error(code_range: tuple[int, int] | None) -> str:
    """What `_parse_response` does when a documented body does not parse: "raise" for a 2xx status,
    "none" (no parsed body) for another documented status, so that `*_detailed` still returns, say, a 400
    whose error body drifted from the spec; "by_status" for the `default` response (raise when 2xx)."""
    if code_range is None:
        return "by_status"
    return "raise" if 200 <= code_range[0] and code_range[1] <= 299 else "none"


def parse_failure(code_range: tuple[int, int] | None) -> list[str]:
    """The statements of `_parse_response`'s `except` for a body of this status that does not parse
    (`on_parse_error`; None: the `default` response)."""
    failure = on_parse_error(code_range)
    raise_ = "raise errors.ResponseValidationError.from_parse_error(response, exc) from exc"
    if failure == "raise":
        return [raise_]
    return ([f"if response.is_success:\n    {raise_}"] if failure == "by_status" else []) + ["return None"]


def status_test(code_range: tuple[int, int]) -> str:
    """The condition of `_parse_response`'s branch for a documented status or range (`2XX`)."""
    low, high = code_range
    return f"response.status_code == {low}" if low == high else f"{low} <= response.status_code <= {high}"


def request_kwargs(endpoint: Endpoint) -> list[tuple[str, str]]:
    """The `httpx.request` keywords `_get_kwargs` returns, before the headers: (keyword, expression)."""
    kwargs = [("method", f'"{endpoint.method}"'), ("url", request_url(endpoint))]
    if endpoint.query_parameters:
        kwargs.append(("params", "params"))
    if endpoint.cookie_parameters:
        kwargs.append(("cookies", "cookies"))
    return kwargs


def result_statements(endpoint: Endpoint, detailed: bool) -> list[str]:
    """What `sync()` / `asyncio()` do with the response they sent for, or the `*_detailed` ones (`detailed`)."""
    if detailed:
        return ["return detailed_response(response, _parse_response)"]
    if result_is_union(endpoint):
        # mypy solves parsed_or_raise's `T | None` against a union as `object`: narrowed here instead.
        return [
            "raise_for_status(response)",
            "parsed = _parse_response(response)",
            "if parsed is None:\n    raise undocumented_success(response)",
            "return parsed",
        ]
    if parses(endpoint):
        return ["return parsed_or_raise(response, _parse_response)"]
    return ["raise_for_status(response)"]


def request_url(endpoint: Endpoint) -> str:
    """The `url` `_get_kwargs` sends: the path template, each path parameter quoted whole (a `/` in it too)."""
    path = f'"{in_double_quote_literal(endpoint.path)}"'
    if not endpoint.path_parameters:
        return path
    values = "".join(f'{p.python_name}=quote(str({p.python_name}), safe=""),' for p in endpoint.path_parameters)
    return f"{path}.format({values})"


def response_source(response: Response) -> str:
    return JSON_BODY_SOURCE if response.source == JSON_SOURCE else response.source["attribute"]


# --- imports ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportLine:
    module: str  # "...models.flow", "typing", "datetime"; "" for `import <name>`
    names: tuple[str, ...]

    def __str__(self) -> str:
        if not self.module:
            return f"import {', '.join(self.names)}"
        return f"from {self.module} import {', '.join(self.names)}"


@dataclass(frozen=True)
class NamespaceImports:
    paginated: bool  # some operation has `<operation>_all`: the pagination names and iterator types
    runtime: tuple[ImportLine, ...]  # names a default value uses
    type_checking: tuple[ImportLine, ...] = field(default=())  # names only annotations use
    # The engine's defaults the `_all` methods name: DEFAULT_CONCURRENCY for any listing, DEFAULT_PAGE_SIZE
    # only when some listing takes `page_size` (DRF's PageNumberPagination pages by `page` alone without it).
    pagination_defaults: tuple[str, ...] = field(default=())

    def section(self) -> list[str]:
        """The namespace module's import lines, grouped as ruff's isort keeps them."""
        lines = ["from collections.abc import AsyncGenerator, Iterator"] if self.paginated else []
        lines += ["from typing import TYPE_CHECKING"] if self.type_checking else []
        lines += ["", "import httpx", ""]
        if self.pagination_defaults:
            lines.append(f"from ..._runtime.pagination import {', '.join(self.pagination_defaults)}")
        lines += ["from ..._runtime.resources import Resource", "from ...types import UNSET, Unset"]
        lines += [str(line) for line in self.runtime]
        if self.type_checking:
            lines += ["", "if TYPE_CHECKING:", *(f"    {line}" for line in self.type_checking)]
        return lines


def _import_sources(statements: Iterable[str]) -> dict[str, str]:
    """Name -> module for the generator's import statements (`from ...models.flow import Flow`, `import
    datetime`); the module of `import x` is ""."""
    sources: dict[str, str] = {}
    for statement in statements:
        for node in ast.parse(statement).body:
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                sources.update({alias.asname or alias.name: module for alias in node.names})
            elif isinstance(node, ast.Import):
                sources.update({alias.asname or alias.name: "" for alias in node.names})
    return sources


def _declared_names(declarations: Iterable[str]) -> tuple[set[str], set[str]]:
    """(names the annotations use, names the defaults use)."""
    annotations: set[str] = set()
    defaults: set[str] = set()
    for text in declarations:
        if text == "*":
            continue
        statement = ast.parse(text).body[0]
        assert isinstance(statement, ast.AnnAssign)
        annotations |= {n.id for n in ast.walk(statement.annotation) if isinstance(n, ast.Name)}
        if statement.value is not None:
            defaults |= {n.id for n in ast.walk(statement.value) if isinstance(n, ast.Name)}
    return annotations, defaults


def _aliases(statements: Iterable[str]) -> dict[str, str]:
    """A name the statements bind under an alias -> the name they import (`_attrs_define` -> `define`)."""
    return {
        alias.asname: alias.name
        for statement in statements
        for node in ast.parse(statement).body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname
    }


def _lines(
    names: Iterable[str], sources: dict[str, str], aliases: dict[str, str] | None = None
) -> tuple[ImportLine, ...]:
    by_module: dict[str, list[str]] = {}
    for name in sorted(names):
        spelled = f"{aliases[name]} as {name}" if aliases and name in aliases else name
        by_module.setdefault(sources[name], []).append(spelled)
    return tuple(ImportLine(module, tuple(found)) for module, found in sorted(by_module.items()))


# What an endpoint module may import beside the generator's `relative_imports`: the runtime and standard names
# its code uses (one place; `module_imports` takes from it only what the rendered module names).
ENDPOINT_MODULE_IMPORTS = (
    "from http import HTTPStatus",
    "from typing import Any, cast",
    "from urllib.parse import quote",
    "import httpx",
    "from ... import errors",
    "from ..._runtime.client import AuthenticatedClient, Client",
    "from ..._runtime.errors import PARSE_ERRORS",
    "from ..._runtime.parameters import check_body_datetimes, check_bool, check_date, check_datetime, check_enum, check_float, check_int, check_list, check_str, check_uuid",
    "from ..._runtime.parsing import ParseError",
    "from ..._runtime.responses import detailed_response, parsed_or_raise, raise_for_status, undocumented_success",
    "from ..._runtime.sending import send_request, send_request_async",
    "from ..._runtime.wire import decode_json, form_array, parse_datetime, parse_uuid",
    "from ...types import ExtraHeaders, ExtraQuery, Response, UNSET, Unset, format_datetime",
    "from ..._runtime.extras import with_extras",
    "from collections.abc import AsyncGenerator, Iterator",
    "from ..._runtime.pagination import DEFAULT_CONCURRENCY, DEFAULT_PAGE_SIZE, aitems_of, aread_pages, items_of, read_pages, require_positive",
    "from ... import types",
)


# The same for a model module (model.py.jinja).
MODEL_MODULE_IMPORTS = (
    "from collections.abc import Mapping",
    "from typing import Any, TypeVar, BinaryIO, TextIO, Generator",
    "from attrs import define as _attrs_define",
    "from attrs import field as _attrs_field",
    "from .._runtime.bodies import add_file_part, add_part",
    "from .. import types",
    "from .._runtime.errors import PARSE_ERRORS",
    "from .._runtime.parsing import ExtraFields as _ExtraFields, ParseError, model_repr",
    "from .._runtime.wire import kept_date_text, kept_date_time_text, kept_uuid_text, parse_datetime, parse_uuid",
    "from ..types import UNSET, Unset, format_datetime",
)


def model_module_imports(code: str, relative_imports: Iterable[str]) -> list[str]:
    """A model module's imports, as `module_imports` decides them (its lazy imports at the end are its code's)."""
    return module_imports(code, relative_imports, MODEL_MODULE_IMPORTS)


def endpoint_import_sources(endpoint: Endpoint) -> list[str]:
    """The generator's imports for the endpoint's types, and the item model its `sync_all()` yields."""
    page = pagination(endpoint)
    item = [f"from ...models.{page.item_module} import {page.item}"] if page else []
    return [*endpoint.relative_imports, *item]


def module_imports(
    code: str, relative_imports: Iterable[str], known: Iterable[str] = ENDPOINT_MODULE_IMPORTS
) -> list[str]:
    """The import lines of a module whose code (without its imports) is `code`: exactly the names the code
    reads and does not define, each from `ENDPOINT_MODULE_IMPORTS` or the generator's `relative_imports`.
    A name neither provides nor Python builds in fails the build, so no unused import and no missing name
    can be generated."""
    tree = ast.parse(code)
    defined = {
        node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    defined |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    defined |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.arguments) for a in [*n.args, *n.kwonlyargs, *n.posonlyargs]}  # fmt: skip
    defined |= {alias.asname or alias.name.partition(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) for alias in n.names}  # fmt: skip
    defined |= {n.name for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler) and n.name}
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    # Annotations under `from __future__ import annotations` are strings to nobody here: the generator writes
    # them as code, so they are Name nodes like any other.
    sources = _import_sources(known) | _import_sources(relative_imports)
    needed = read - defined - set(dir(builtins))
    missing = sorted(needed - set(sources))
    if missing:
        raise OperationModelError(f"the module uses {', '.join(missing)}, which no import provides")
    return [str(line) for line in _lines(needed, sources, _aliases([*known, *relative_imports]))]


def namespace_imports(collection: EndpointCollection) -> NamespaceImports:
    """What `api/<tag>/__init__.py` imports: exactly the names its methods' signatures use. Importing the
    namespace must not import the operations' models (each method imports its module when first called), so
    a name is imported at run time only when a default value uses it, else for type checkers only."""
    sources: dict[str, str] = {"Any": "typing"}  # in types the generator writes without importing it
    sources |= dict.fromkeys(("ExtraHeaders", "ExtraQuery", "Response"), "...types")  # the call options, raw results
    # Every tag has a `with_raw_response` namespace, whose methods return `Response[...]`.
    annotations: set[str] = {"Response"} if collection.endpoints else set()
    defaults: set[str] = set()
    paginated = False
    page_size = False
    for endpoint in collection.endpoints:
        sources |= _import_sources(endpoint.relative_imports)
        used, default = _declared_names(arguments(endpoint, include_client=False))
        annotations |= used | _names(result_type(endpoint))
        defaults |= default
        page = pagination(endpoint)
        if page is not None:
            paginated = True
            page_size = page_size or page.page_size
            sources[page.item] = f"...models.{page.item_module}"
            sources["types"] = "..."
            annotations |= {page.item, page.page_model, "types"}
    spec_names = (annotations | defaults) - NAMESPACE_OWN_NAMES - {"DEFAULT_PAGE_SIZE", "DEFAULT_CONCURRENCY"}
    missing = sorted(spec_names - set(sources))
    if missing:
        raise OperationModelError(
            f"tag {collection.tag!r}: the operations' signatures use {', '.join(missing)}, which no import of the "
            "generator provides"
        )
    runtime = spec_names & defaults
    defaults_used = (("DEFAULT_CONCURRENCY",) if paginated else ()) + (("DEFAULT_PAGE_SIZE",) if page_size else ())
    return NamespaceImports(paginated, _lines(runtime, sources), _lines(spec_names - runtime, sources), defaults_used)


def lazy_models(imports: Iterable[str]) -> list[tuple[str, str]]:
    """(name, module) per model `models/__init__.py` imports on first use, from the generator's import
    statements (`from .flow import Flow`), by name."""
    return sorted(_import_sources(imports).items())


def any_public_operation(collections: Iterable[EndpointCollection]) -> bool:
    """Whether some operation needs no authentication (then the package exports `Client`)."""
    return any(not endpoint.requires_security for collection in collections for endpoint in collection.endpoints)


def package_docstring(description: str) -> str:
    """`hilos_client/__init__.py`'s docstring: the spec's description, then how the package is used."""
    return (
        f"{safe_for_docstring(description)}.\n\n"
        "`Hilos(base_url=..., token=...)` or `Hilos.from_env()`, then one method per operation, grouped by tag:\n"
        "`hilos.<tag>.<operation>(...)` for one answer, `hilos.<tag>.<operation>_all(...)` for every item of a\n"
        "paginated listing. `AsyncHilos` is the same for asyncio. The module functions under `hilos_client.api`"
        " take\nan `AuthenticatedClient` instead.\n"
    )


def client_docstring(is_async: bool, raw: bool = False) -> str:
    """The docstring of `Hilos` / `AsyncHilos` (`is_async`), or of their `with_raw_response` (`raw`), ending
    where its closing quotes go."""
    name, block, close = ("AsyncHilos", "`async with`", "aclose") if is_async else ("Hilos", "a `with` block", "close")
    if raw:
        return (
            f"`{name}.with_raw_response`: the same attributes and methods, each returning the whole `Response`.\n\n"
            "A method returns what the operation's `*_detailed` function does: the `Response` (status, headers,\n"
            "`parsed`, `attempts`, `request`, `url`, `elapsed`) for any status, raising no `ApiStatusError`.\n"
            "Paginated listings have no `<operation>_all()` here.\n"
        )
    return (
        f"The {'asyncio ' if is_async else ''}client of the API: one attribute per tag, one method per operation.\n\n"
        f"`{name}(base_url=..., token=...)` takes AuthenticatedClient's arguments;\n"
        f"`{name}.from_env()` reads them from the environment; `client=` wraps an existing\n"
        f"AuthenticatedClient. Use it in {block} or call `{close}()` when done.\n"
    )


def package_exports(public_client: bool) -> list[str]:
    """`__all__` of `hilos_client/__init__.py`: `Client` only when some operation needs no authentication
    (`any_public_operation`); otherwise it stays importable as AuthenticatedClient's base class."""
    names = ["AsyncHilos", "AsyncHilosWithRawResponse", "AuthenticatedClient", "Hilos", "HilosWithRawResponse"]
    names += ["__version__", "api", "errors", "models", "types"]
    return sorted([*names, "Client"] if public_client else names)


# --- models -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnumLookup:
    module: str
    enum: str
    value_type: str

    @property
    def table(self) -> str:
        return f"_{self.module.upper()}_BY_VALUE"


def _enum_lookups(prop: PropertyProtocol, in_union: bool) -> list[EnumLookup]:
    if isinstance(prop, EnumProperty):
        if in_union or prop.value_type is str:
            return [EnumLookup(str(prop.class_info.module_name), prop.class_info.name, prop.value_type.__name__)]
        return []
    if isinstance(prop, ListProperty):
        return _enum_lookups(prop.inner_property, False)
    if isinstance(prop, UnionProperty):
        return [lookup for inner in prop.inner_properties for lookup in _enum_lookups(inner, True)]
    return []


def enum_lookup(prop: EnumProperty) -> EnumLookup | None:
    """The table enum_property.py.jinja reads a field of this enum from (the one `enum_lookups` writes into
    the model module); None for an integer enum, read with `from_api` (a dict would take `true` for 1)."""
    found = _enum_lookups(prop, False)
    return found[0] if found else None


def _fields(model: ModelProperty) -> list[PropertyProtocol]:
    return [*(model.required_properties or []), *(model.optional_properties or [])]


def attribute_order(model: ModelProperty) -> list[PropertyProtocol]:
    """The model's attrs fields: those the caller must pass first, then those with a default or UNSET."""
    first: list[PropertyProtocol] = []
    rest: list[PropertyProtocol] = []
    for prop in _fields(model):
        (first if prop.default is None and prop.required else rest).append(prop)
    return first + rest


def enum_lookups(model: ModelProperty) -> list[EnumLookup]:
    """The enums whose members the model module looks up by value (enum_property.py.jinja): string enums
    anywhere, integer enums in unions (elsewhere `from_api`: a dict would take `true` for 1)."""
    found = {
        (lookup.module, lookup.enum, lookup.value_type): lookup
        for p in _fields(model)
        for lookup in _enum_lookups(p, False)
    }
    return [found[key] for key in sorted(found)]


WIRE_TEXT_CHECKS: dict[type[Any], str] = {
    DateTimeProperty: "kept_date_time_text",
    DateProperty: "kept_date_text",
    UuidProperty: "kept_uuid_text",
}


@dataclass(frozen=True)
class KeptField:
    python_name: str
    check: str  # the _runtime/wire.py function that decides whether the kept text still holds
    source: str  # the expression from_dict reads it from


def _in_double_quote_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def field_source(prop: PropertyProtocol) -> str:
    """Where `from_dict` reads a field of the JSON object `d`: a missing optional field is UNSET."""
    name = _in_double_quote_literal(_raw(prop.name))
    return f'd["{name}"]' if prop.required else f'd.get("{name}", UNSET)'


# pyright gives up on a function whose code-flow graph is beyond its complexity limit (a fixed 768: each
# narrowing condition inside a `try` adds an edge to the handler) and reports an error instead. The Hilos
# FlowStepEdit's `from_dict` (73 fields) is beyond it, the same body cut to 50 fields is within; 40 leaves
# room for fields that narrow more. mypy --strict still checks those bodies.
PYRIGHT_FIELD_LIMIT = 40


def from_dict_beyond_pyright(model: ModelProperty) -> bool:
    """Whether `from_dict` has too many fields for pyright to analyse: its `def` then carries an ignore for
    pyright's "too complex to analyze" error."""
    return len(_fields(model)) > PYRIGHT_FIELD_LIMIT


def multipart_kind(prop: PropertyProtocol) -> str:
    """How `to_multipart` sends a field: "files" (a list of files, one part each), "file", or "value" (its JSON
    value by the OpenAPI 3 encoding rules, _runtime/bodies.py)."""
    if isinstance(prop, ListProperty) and isinstance(prop.inner_property, FileProperty):
        return "files"
    return "file" if isinstance(prop, FileProperty) else "value"


def kept_wire_fields(model: ModelProperty) -> list[KeptField]:
    """Date-time, date and UUID fields (alone or with null) without a default: `from_dict` keeps each one's JSON
    text beside the object, `to_dict` writes an unchanged value back as it (see _runtime/wire.py)."""
    kept = []
    for prop in _fields(model):
        members: Sequence[PropertyProtocol] = prop.inner_properties if isinstance(prop, UnionProperty) else [prop]
        checks = {WIRE_TEXT_CHECKS[type(m)] for m in members if type(m) in WIRE_TEXT_CHECKS}
        other = any(type(m) not in WIRE_TEXT_CHECKS and not isinstance(m, NoneProperty) for m in members)
        if len(checks) != 1 or other or prop.default is not None:
            continue
        kept.append(KeptField(str(prop.python_name), checks.pop(), field_source(prop)))
    return kept


@dataclass(frozen=True)
class UnionParse:
    """How union_property.py.jinja's `construct` reads a union: values passed through as they are (`None`,
    `UNSET`), then exact members of its enums by lookup, then each other member in turn."""

    passthrough: tuple[str, ...]
    exact: tuple[EnumLookup, ...]
    members: tuple[PropertyProtocol, ...]


@dataclass(frozen=True)
class UnionBranch:
    test: str  # "if isinstance(value, int):", "elif ...:", "else:"; "" for the value as it is, unconditionally
    member: PropertyProtocol | None  # the member whose template's transform writes the value; None: as it is


@pass_environment
def union_transform(env: Environment, prop: UnionProperty, source: str, unset_first: bool) -> list[UnionBranch]:
    """How union_property.py.jinja's `transform` writes a union's value `source` (after a test for Unset when
    `unset_first`): a branch by `isinstance` per member whose template has a `transform`, the last one `else:`
    when every member does; otherwise the value as it is for the members without one."""
    branches: list[UnionBranch] = []
    has_if, without, modified = unset_first, False, not prop.required
    members = prop.inner_properties
    for index, member in enumerate(members):
        if getattr(env.get_template(f"property_templates/{member.template}").module, "transform", None) is None:
            without = True
            continue
        modified = True
        check = f"isinstance({source}, {_code(member.get_instance_type_string())}):"
        if not has_if:
            test, has_if = f"if {check}", True
        elif index < len(members) - 1 or without:
            test = f"elif {check}"
        else:
            test = "else:"
        branches.append(UnionBranch(test, member))
    if without:
        branches.append(UnionBranch("else:" if modified else "", None))
    return branches


def union_parse(prop: UnionProperty) -> UnionParse:
    json_types = {_code(t) for t in prop.get_type_strings_in_union(json=True)}
    passthrough = tuple(value for value, json_type in (("None", "None"), ("UNSET", "Unset")) if json_type in json_types)
    exact = tuple(
        lookup
        for inner in prop.inner_properties
        if isinstance(inner, EnumProperty)
        for lookup in _enum_lookups(inner, True)
    )
    members = tuple(inner for inner in prop.inner_properties if _code(inner.get_base_json_type_string()) != "None")
    return UnionParse(passthrough, exact, members)


# --- docstrings ---------------------------------------------------------------------------------------


def _wrap(text: str, width: int) -> str:
    """Jinja's `wordwrap` filter: each line of `text` wrapped on its own."""
    return "\n".join(
        "\n".join(textwrap.wrap(line, width=width, expand_tabs=False, replace_whitespace=False))
        for line in text.splitlines()
    )


def _argument_doc(prop: PropertyProtocol) -> str:
    """An `Args:` entry, continuation lines under the name (blank ones left blank, as Jinja's `indent`)."""
    first, *rest = _wrap(prop.to_docstring(), 90).split("\n")
    return "".join([f"    {first}\n", *(f"        {line}\n" if line else "\n" for line in rest)])


CALL_OPTION_DOCS = """\
    timeout (float | httpx.Timeout | None | Unset): Each attempt's timeout: seconds bound an attempt
        from connecting to the body's last byte (an httpx.Timeout bounds each phase); by default the
        client's (see Client.timeout).
    deadline (float | None | Unset): Seconds this call may take in all, retries and waits included;
        by default the client's (see Client.deadline). None: no overall bound.
    extra_headers (ExtraHeaders | None): Headers added to the request, over the operation's and the
        client's own (`Authorization` is refused: the client sends its token itself).
    extra_query (ExtraQuery | None): Query parameters added after the operation's own (a name it
        also sends is replaced).
"""
STATUS_ERROR_DOC = (
    "    errors.ApiStatusError: If the final answer is not 2xx (a subclass for 401, 403, 404, 429 and 5xx).\n"
)
CALL_ERROR_DOCS = """\
    errors.ResponseValidationError: If a 2xx body is not JSON or does not match the spec.
    errors.ApiTimeoutError: If the request timed out on every attempt.
    errors.ApiConnectionError: If no response arrived on any attempt.
"""
PAGE_ERROR_DOCS = """\
    hilos_client.errors.RepeatedPageError: A page repeated an earlier one (the server ignores `page`).
    hilos_client.errors.PaginationError: A page has no `results`, or the page size or `count` changed so
        that reading on would skip, repeat or never end.
"""


def operation_docstring(endpoint: Endpoint, returns: str, detailed: bool) -> str:
    """The docstring of an operation's functions and resource method; `*_detailed` (`detailed`) return the
    `Response` and raise no status error."""
    text = ""
    if endpoint.summary:
        text += _wrap(safe_for_docstring(endpoint.summary), 100) + "\n\n"
    if endpoint.description:
        text += " " + _wrap(safe_for_docstring(endpoint.description), 100) + "\n\n"
    if not endpoint.summary and not endpoint.description:
        text += "\n"
    text += "Args:\n" + "".join(map(_argument_doc, endpoint.list_all_parameters())) + CALL_OPTION_DOCS
    text += "\nRaises:\n" + ("" if detailed else STATUS_ERROR_DOC) + CALL_ERROR_DOCS + "\nReturns:\n"
    returned = safe_for_docstring(returns)
    if detailed:
        return text + f"    Response[{returned}]: for any status; `.parsed` is None for an undocumented one.\n"
    return text + f"    {returned}\n"


def _listing_docstring(
    endpoint: Endpoint, page: Pagination, concurrency: bool, one_page: str, documented: str, pages: bool
) -> str:
    """The docstring of `*_all` and, with `pages`, `*_pages`: module functions and resource methods alike."""
    held = "pages requested or held" if pages else "pages in\nmemory"
    if concurrency:
        how = (
            "Page 1 is requested together with the next few (pages past the end answer 404 and are dropped); once its\n"
            f"`count` is known, the other pages are requested `concurrency` at a time (at most `concurrency` {held}).\n"
            "Stopping early (`aclose()`, or `break` inside\n"
            f"`contextlib.aclosing({documented}(...))`) cancels the requests still in flight.\n"
        )
    else:
        how = "Pages are requested one after the other, and only one is held in memory at a time.\n"
    args = "".join(map(_argument_doc, page.filters))
    if page.page_size:
        args += (
            "    page_size (int): Items per request (default DEFAULT_PAGE_SIZE); a server cap below it is followed.\n"
        )
    args += (
        "    start_page (int): The first page yielded (default 1), to resume an earlier read: page 1 is still\n"
        "        requested to plan and check the rest, its items not yielded; past the last page, nothing is yielded.\n"
    )
    if concurrency:
        args += "    concurrency (int): Pages requested at the same time (default DEFAULT_CONCURRENCY).\n"
    positive = page.positive_arguments(concurrency)
    checked = f"    ValueError: `{'` or `'.join(positive)}` is not a positive integer (nothing is requested).\n"
    summary = safe_for_docstring(endpoint.summary or endpoint.name)
    if pages:
        first = (
            f'Every page of "{summary}", from `start_page` on, in order.\n\n'
            "Each is a `hilos_client.types.Page` (`number`, `count`, `parsed`, `items`, `next_page`); their items are\n"
            f"what `{documented.removesuffix('_pages')}_all()` yields.\n"
        )
    else:
        first = f'Every item of "{summary}", all pages (from `start_page` on), in server order.\n\n'
    return (
        f"{first}{how}Takes the same filters as `{one_page}()`; page numbers are computed from `count`, never\n"
        "taken from the `next` link (pages without `count` are read in turn until a page shorter than the first,\n"
        "an empty one, a null `next` or a 404). Retries and rate limits apply to every page.\n"
        "`help(hilos_client.api)` says how data changing during the iteration is handled.\n\n"
        f"Args:\n{args}"
        f"    timeout (float | httpx.Timeout | None | Unset): Each page request's timeout, as for `{one_page}()`.\n"
        f"    deadline (float | None | Unset): Each page request's deadline, as for `{one_page}()`.\n"
        f"    extra_headers (ExtraHeaders | None): Added to each page request, as for `{one_page}()`.\n"
        f"    extra_query (ExtraQuery | None): Added to each page request, as for `{one_page}()`.\n\n"
        f"Raises:\n{checked}    hilos_client.errors.HilosError: As `{one_page}()` does, for any page.\n"
        f"{PAGE_ERROR_DOCS}\nReturns:\n    {page.returns('pages' if pages else 'all', concurrency)}"
    )


def all_docstring(endpoint: Endpoint, page: Pagination, concurrency: bool, one_page: str, all_pages: str) -> str:
    """The docstring of `sync_all()` / `asyncio_all()` (`concurrency`) and the `<operation>_all` methods;
    `one_page` is the function that reads one page, `all_pages` the function documented."""
    return _listing_docstring(endpoint, page, concurrency, one_page, all_pages, pages=False)


def pages_docstring(endpoint: Endpoint, page: Pagination, concurrency: bool, one_page: str, documented: str) -> str:
    """The docstring of `sync_pages()` / `asyncio_pages()` (`concurrency`) and the `<operation>_pages` methods."""
    return _listing_docstring(endpoint, page, concurrency, one_page, documented, pages=True)


def listing_docstring(
    kind: str, endpoint: Endpoint, page: Pagination, concurrency: bool, one_page: str, documented: str
) -> str:
    """`pages_docstring` for `kind` "pages", `all_docstring` for "all" (the resource methods loop over both)."""
    return _listing_docstring(endpoint, page, concurrency, one_page, documented, pages=kind == "pages")


def model_docstring(model: ModelProperty) -> str:
    """A model's class docstring: the schema's description, or a line naming the schema when it has none."""
    if model.description:
        text = _wrap(safe_for_docstring(model.description), 116) + "\n\n"
    else:
        text = f"    The API's `{safe_for_docstring(model.name)}` object (the spec gives it no description).\n\n"
    if model.example:
        example = _wrap(safe_for_docstring(model.example), 112).split("\n")
        text += (
            "    Example:\n"
            + "".join(f"        {line}\n" if line else "\n" for line in example[:1])
            + "".join(f"            {line}\n" if line else "\n" for line in example[1:])
            + "\n"
        )
    return text


TEMPLATE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    function.__name__: function
    for function in (
        all_arguments,
        all_docstring,
        any_public_operation,
        arguments,
        attribute_order,
        call_option_names,
        client_docstring,
        content_type_header,
        enum_lookup,
        endpoint_import_sources,
        enum_lookups,
        extras_statement,
        field_source,
        from_dict_beyond_pyright,
        kept_wire_fields,
        lazy_models,
        listing_docstring,
        model_docstring,
        model_module_imports,
        module_imports,
        multipart_kind,
        namespace_imports,
        none_admitting,
        operation_docstring,
        package_docstring,
        parse_failure,
        package_exports,
        pages_docstring,
        pagination,
        parses,
        request_kwargs,
        request_url,
        response_source,
        result_is_union,
        result_statements,
        result_type,
        status_test,
        union_parse,
        union_transform,
    )
}
