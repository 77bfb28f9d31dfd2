"""api.md: every operation and model of the package, written by `make generate` beside README.md.

The facts come from the generator's own parsed data (`GeneratorData`) and the template environment it renders
with, so every Python name and type string is the one in the generated code: an operation's summary, its
parameters (names, locations, required, descriptions), its body and whether it is paginated are its row of
the operations table (operation_table.py, which the command line and the test fake read too), a parameter's
type is the declaration operation_model.py writes into the signature (optional ones admit `None`), and each operation's
place is its entry in the name record. Nothing is read back from the generated code. The output depends only
on those inputs (tags, operations, models and enums are sorted), so `make check`'s drift check can prove the
committed file is what the pipeline writes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import EnumProperty, LiteralEnumProperty

from pipeline.generating.name_record import NameRecord
from pipeline.generating.operation_model import declaration, result_type
from pipeline.generating.operation_table import operation_row, paginated_item, text
from pipeline.generating.template_globals import referencing_property_descriptions
from pipeline.project import DIST_NAME, PACKAGE, ROOT

API_REFERENCE_NAME = "api.md"
API_REFERENCE = ROOT / API_REFERENCE_NAME

# drf-spectacular describes an enum-typed field by listing the enum's choices ("* `LIST` - LIST"); the enum's
# own section lists its values, so such a description says nothing more.
_CHOICE_LINE = re.compile(r"^\s*\*\s+`[^`]*`\s+-\s")
MODULE_FUNCTIONS = ("sync", "asyncio", "sync_detailed", "asyncio_detailed")
PAGINATED_MODULE_FUNCTIONS = ("sync_all", "asyncio_all", "sync_pages", "asyncio_pages")


def api_reference_path(generated: Path) -> Path:
    """Where api.md belongs for a checkout's (or a scratch copy's) generated/ folder: beside it, at the root."""
    return generated.parent / API_REFERENCE_NAME


class ApiReferenceError(Exception):
    """The name record and the generator's operations disagree (generation checks this first)."""


@dataclass(frozen=True)
class ParameterDoc:
    name: str  # the keyword argument
    wire_name: str  # as sent
    location: str  # path, query, header, cookie or body
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class OperationDoc:
    tag: str
    name: str
    method: str
    path: str
    summary: str
    parameters: tuple[ParameterDoc, ...]
    body_model: str | None
    returns: str
    paginated_item: str | None  # the model `<name>_all()` yields; None: not paginated

    @property
    def hilos_methods(self) -> tuple[str, ...]:
        calls = [f"hilos.{self.tag}.{self.name}(...)"]
        if self.paginated_item:
            calls += [f"hilos.{self.tag}.{self.name}_all(...)", f"hilos.{self.tag}.{self.name}_pages(...)"]
        return tuple(calls)

    @property
    def module(self) -> str:
        return f"{PACKAGE}.api.{self.tag}.{self.name}"

    @property
    def module_functions(self) -> tuple[str, ...]:
        return MODULE_FUNCTIONS + (PAGINATED_MODULE_FUNCTIONS if self.paginated_item else ())

    @property
    def command(self) -> str:
        """As the command line names its subcommands (patches/runtime/cli.py's build_parser)."""
        return f"{DIST_NAME} {self.tag.replace('_', '-')} {self.name.replace('_', '-')}"


@dataclass(frozen=True)
class FieldDoc:
    name: str
    wire_name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class ModelDoc:
    name: str
    module: str
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True)
class EnumDoc:
    name: str
    module: str
    members: tuple[tuple[str, str | int], ...]  # (member name, value)


def first_line(description: str) -> str:
    """The description's first non-blank line (runs of spaces as one), or "" when it only lists an enum's
    choices."""
    lines = [" ".join(line.split()) for line in description.splitlines() if line.strip()]
    if not lines or all(_CHOICE_LINE.match(line) for line in lines):
        return ""
    return lines[0]


def declared_type(declaration: str) -> str:
    """`flow: UUID | None | Unset = UNSET` -> `UUID | None | Unset`."""
    return declaration.partition(": ")[2].partition(" = ")[0].strip()


def operation_docs(data: GeneratorData, record: NameRecord) -> list[OperationDoc]:
    """Every operation, by tag then name, placed by the name record (whose keys are the spec's own paths)."""
    endpoints: dict[tuple[str, str], Endpoint] = {
        (str(tag), str(endpoint.name)): endpoint
        for tag, collection in data.endpoint_collections_by_tag.items()
        for endpoint in collection.endpoints
    }
    placed = {(entry.tag, entry.name): key for key, entry in record.items()}
    if set(placed) != set(endpoints):
        unrecorded = ", ".join(sorted(f"{tag}.{name}" for tag, name in set(endpoints) - set(placed))) or "none"
        ungenerated = ", ".join(sorted(f"{tag}.{name}" for tag, name in set(placed) - set(endpoints))) or "none"
        raise ApiReferenceError(
            f"the name record and the generated operations differ: generated but not recorded: {unrecorded}; "
            f"recorded but not generated: {ungenerated}"
        )
    docs = []
    for tag, name in sorted(endpoints):
        endpoint = endpoints[(tag, name)]
        method, _, path = placed[(tag, name)].partition(" ")
        row = operation_row(tag, name, method, path, endpoint, None)
        types = [declared_type(declaration(prop)) for _, prop in endpoint.iter_all_parameters()]
        types += [declared_type(text(body.prop.to_string())) for body in endpoint.bodies[-1:]]  # as the row's body
        listed = [*row.parameters, *([row.body] if row.body is not None else [])]
        parameters = tuple(
            ParameterDoc(
                parameter.name,
                parameter.wire_name,
                parameter.location,
                declared,
                parameter.required,
                first_line(parameter.description),
            )
            for parameter, declared in zip(listed, types, strict=True)
        )
        body_model = None
        if row.body is not None and row.body.kind == "model" and not row.body.is_list:
            body_model = row.body.python_class.rpartition(".")[2]
        docs.append(
            OperationDoc(
                tag,
                name,
                method,
                path,
                row.summary or name,
                parameters,
                body_model,
                result_type(endpoint),
                paginated_item(endpoint),
            )
        )
    return docs


def model_docs(data: GeneratorData, own_descriptions: dict[str, dict[str, str]]) -> list[ModelDoc]:
    """Every model, by name, its fields in the generator's order (required ones first).

    `own_descriptions` are template_globals.py's `referencing_property_descriptions`: a described reference
    reaches the generator without its own description."""
    docs = []
    for model in sorted(data.models, key=lambda m: m.class_info.name):
        described = own_descriptions.get(text(model.name), {})
        fields = tuple(
            FieldDoc(
                str(prop.python_name),
                text(prop.name),
                text(prop.get_type_string()),
                prop.required,
                first_line(described.get(text(prop.name)) or text(prop.description)),
            )
            for prop in (model.required_properties or []) + (model.optional_properties or [])
        )
        docs.append(ModelDoc(model.class_info.name, f"{PACKAGE}.models.{model.class_info.module_name}", fields))
    return docs


def enum_docs(data: GeneratorData) -> list[EnumDoc]:
    docs = []
    for enum in sorted(data.enums, key=lambda e: e.class_info.name):
        members: tuple[tuple[str, str | int], ...]
        if isinstance(enum, LiteralEnumProperty):
            members = tuple((json.dumps(value), value) for value in sorted(enum.values, key=json.dumps))
        else:
            assert isinstance(enum, EnumProperty)
            members = tuple(enum.values.items())
        docs.append(EnumDoc(enum.class_info.name, f"{PACKAGE}.models.{enum.class_info.module_name}", members))
    return docs


def _cell(text: str) -> str:
    """Text for a Markdown table cell (a `|` would end the cell, even inside backticks)."""
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_cell(text)}`"


def anchor(heading: str) -> str:
    """The fragment GitHub gives a heading: lower case, punctuation dropped, spaces as dashes."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _typetext(type_string: str, model_names: set[str]) -> str:
    """The type in code, linked to the section of each model or enum it names (a link cannot sit inside
    code, so a compound type is followed by its links)."""
    if type_string in model_names:
        return f"[{_code(type_string)}](#{anchor(type_string)})"
    named = dict.fromkeys(name for name in re.findall(r"\w+", type_string) if name in model_names)
    links = ", ".join(f"[{name}](#{anchor(name)})" for name in named)
    return _code(type_string) + (f" ({links})" if links else "")


def _member(member: tuple[str, str | int]) -> str:
    name, value = member
    literal = json.dumps(value, ensure_ascii=False)
    return f"`{name}`" if literal == json.dumps(name) else f"`{name}` = `{literal}`"


def render_api_reference(
    operations: list[OperationDoc], models: list[ModelDoc], enums: list[EnumDoc], api_title: str, api_version: str
) -> str:
    names = {doc.name for doc in models} | {doc.name for doc in enums}
    out: list[str] = [
        f"# {DIST_NAME} API reference",
        "",
        f"Every operation and model of `{PACKAGE}`, for {api_title} {api_version}. Generated from the API's OpenAPI",
        "document together with the package, so every name and type below is the one in the code. Usage and",
        "examples are in [README.md](README.md).",
        "",
        "Each operation can be called three ways:",
        "",
        f"- on `{PACKAGE}.Hilos`: `hilos.<tag>.<operation>(...)` (awaited on `AsyncHilos`); a paginated listing",
        "  also has `<operation>_all(...)`, an iterator over the items of every page, and `<operation>_pages(...)`,",
        f"  over the pages themselves (`{PACKAGE}.types.Page`); both take `start_page=` to resume a read;",
        "  `hilos.with_raw_response.<tag>.<operation>(...)` returns the whole `Response`, as `sync_detailed()` does;",
        f"- as module functions of `{PACKAGE}.api.<tag>.<operation>`, which take `client=`: `sync()` and `asyncio()`",
        "  return the parsed answer or raise, `sync_detailed()` and `asyncio_detailed()` return the whole `Response`,",
        "  and a paginated listing has `sync_all()` / `asyncio_all()` and `sync_pages()` / `asyncio_pages()`;",
        f"- from the command line: `{DIST_NAME} <tag> <operation-with-dashes>` (options are the parameters).",
        "",
        "Every call also takes `timeout=`, `deadline=`, `extra_headers=` and `extra_query=`. A parameter typed",
        "`... | None | Unset` is optional: leave it out, or pass `None`, and it is not sent.",
        "",
        "## Operations",
        "",
        "| operation | HTTP | summary |",
        "|---|---|---|",
    ]
    for op in operations:
        heading = f"{op.tag}.{op.name}"
        out.append(
            f"| [{_code(op.hilos_methods[0])}](#{anchor(heading)}) | {_code(f'{op.method} {op.path}')} | {_cell(op.summary)} |"
        )
    tag = None
    for op in operations:
        if op.tag != tag:
            tag = op.tag
            out += ["", f"### Tag `{tag}`"]
        returns = _typetext(op.returns, names)
        if op.paginated_item:
            returns += f"; `{op.name}_all()` yields {_typetext(op.paginated_item, names)}"
            returns += f", `{op.name}_pages()` yields `{PACKAGE}.types.Page` objects holding them"
        out += [
            "",
            f"#### {op.tag}.{op.name}",
            "",
            f"{_cell(op.summary)}: `{op.method} {op.path}`",
            "",
            "| | |",
            "|---|---|",
            "| Hilos method | " + ", ".join(_code(call) for call in op.hilos_methods) + " |",
            f"| module | {_code(op.module)}: " + ", ".join(f"`{name}`" for name in op.module_functions) + " |",
            f"| command | {_code(op.command)}{' (`--all` for every page)' if op.paginated_item else ''} |",
            f"| body | {_typetext(op.body_model, names) if op.body_model else 'none'} |",
            f"| returns | {returns} |",
        ]
        if op.parameters:
            out += ["", "| parameter | in | type | required | description |", "|---|---|---|---|---|"]
            for parameter in op.parameters:
                where = parameter.location
                if parameter.location == "body":
                    where = f"body ({parameter.wire_name})"
                elif parameter.wire_name != parameter.name:
                    where = f"{parameter.location} (`{_cell(parameter.wire_name)}`)"
                out.append(
                    f"| `{parameter.name}` | {where} | {_typetext(parameter.type, names)} | "
                    f"{'yes' if parameter.required else 'no'} | {_cell(parameter.description)} |"
                )
    out += ["", "## Models", "", f"Importable from `{PACKAGE}.models`. Fields typed `... | Unset` may be absent."]
    for model in models:
        out += ["", f"### {model.name}", "", f"`{PACKAGE}.models.{model.name}`, in `{model.module}`."]
        if model.fields:
            out += ["", "| field | type | required | description |", "|---|---|---|---|"]
            for item in model.fields:
                name = f"`{item.name}`" + (f" (`{_cell(item.wire_name)}`)" if item.wire_name != item.name else "")
                out.append(
                    f"| {name} | {_typetext(item.type, names)} | {'yes' if item.required else 'no'} | "
                    f"{_cell(item.description)} |"
                )
    out += [
        "",
        "## Enums",
        "",
        f"Importable from `{PACKAGE}.models`. A value the API adds later parses to a stand-in member with",
        "`is_unknown` set.",
    ]
    for enum in enums:
        out += [
            "",
            f"### {enum.name}",
            "",
            f"`{PACKAGE}.models.{enum.name}`, in `{enum.module}`: " + ", ".join(_member(m) for m in enum.members) + ".",
        ]
    return "\n".join(out) + "\n"


def api_reference(data: GeneratorData, record: NameRecord, spec: dict[str, Any]) -> str:
    info = spec.get("info") or {}
    return render_api_reference(
        operation_docs(data, record),
        model_docs(data, referencing_property_descriptions(spec)),
        enum_docs(data),
        str(info.get("title") or "the API"),
        str(info.get("version") or ""),
    )
