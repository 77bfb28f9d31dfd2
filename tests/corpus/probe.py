"""What the corpus runner (`run.py`) measures inside one generated package, run in a subprocess that has the
package on its path, so that every package (ours are all named `hilos_client`) is imported fresh:

    python -m tests.corpus.probe imports PACKAGE
    python -m tests.corpus.probe round-trip PACKAGE DOCUMENT EXAMPLES
    python -m tests.corpus.probe operations PACKAGE DOCUMENT BASE_URL

Each prints one JSON object on its last line: {"total": n, "passed": n, "failures": [...]}.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import inspect
import json
import sys
import traceback
import types
import typing
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_python_client.strings import ClassName, PythonIdentifier, snake_case

from tests.support.sparsest import minimal_instance
from tests.support.spec_schema import resolve
from tests.support.spec_strategies import json_values

Outcome = dict[str, Any]
BODY_ARGUMENTS = ("body", "multipart_data", "json_body", "form_data")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def outcome(total: int, failures: list[str]) -> Outcome:
    return {"total": total, "passed": total - len(failures), "failures": failures}


def package_modules(package: str) -> list[str]:
    root = Path(importlib.import_module(package).__file__ or "").parent
    return sorted(
        ".".join([package, *path.relative_to(root).with_suffix("").parts]).removesuffix(".__init__")
        for path in root.rglob("*.py")
    )


def imports(package: str) -> Outcome:
    """Every module of the package imports (a module that fails names its error)."""
    failures = []
    modules = package_modules(package)
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # any error at import is a broken module
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    return outcome(len(modules), failures)


# --- round-trips -------------------------------------------------------------------------------------------


def model_schemas(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The component schemas the generator makes a model class of (objects: not enums, not plain unions) that
    have a JSON form: a multipart body's file (`format: binary`) has none."""
    schemas: dict[str, dict[str, Any]] = document.get("components", {}).get("schemas", {})
    return {
        name: schema
        for name, schema in schemas.items()
        if "enum" not in schema
        and (schema.get("type") == "object" or "properties" in schema)
        and not any(
            resolve(document, child).get("format") == "binary" for child in schema.get("properties", {}).values()
        )
    }


def json_schema_document(node: Any) -> Any:
    """An OpenAPI 3.0 schema tree as JSON Schema, `$ref`s kept (so recursive schemas stay finite):
    `nullable` becomes a null member. OpenAPI 3.1 schemas are JSON Schema already and pass unchanged."""
    if isinstance(node, list):
        return [json_schema_document(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema_document(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        if isinstance(converted.get("type"), str):
            converted["type"] = [converted["type"], "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def validator_of(document: dict[str, Any], name: str) -> jsonschema.protocols.Validator:
    root = {"$ref": f"#/components/schemas/{name}", "components": json_schema_document(document["components"])}
    return jsonschema.Draft202012Validator(root)


def canonical(value: Any) -> Any:
    """`value` with date-times as instants: a client may write `Z` where the input had `+00:00`."""
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if isinstance(value, str) and "T" in value:
        with contextlib.suppress(ValueError):
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def round_trip(package: str, document: dict[str, Any], examples: int) -> Outcome:
    """For every model: drawn instances of its schema survive `from_dict` then `to_dict` unchanged and valid."""
    models = importlib.import_module(f"{package}.models")
    failures = []
    schemas = model_schemas(document)
    for name, schema in schemas.items():
        cls = getattr(models, str(ClassName(name, "")), None)
        if cls is None:
            failures.append(f"{name}: no model class {ClassName(name, '')}")
            continue
        problem = round_trip_problem(
            cls, json_values(document, schema, response=True), validator_of(document, name), examples
        )
        if problem:
            failures.append(f"{name}: {problem}")
    return outcome(len(schemas), failures)


def round_trip_problem(
    cls: Any, values: st.SearchStrategy[Any], validator: jsonschema.protocols.Validator, examples: int = 5
) -> str | None:
    seen: list[str] = []
    valid: list[Any] = []

    @settings(max_examples=examples, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(values)
    def check(value: Any) -> None:
        if not validator.is_valid(value):  # the strategies follow OpenAPI 3.0; skip what the schema refuses
            return
        valid.append(value)
        written = cls.from_dict(value).to_dict()
        assert canonical(written) == canonical(value), f"to_dict() gave {written!r} for {value!r}"
        errors = sorted(validator.iter_errors(written), key=str)
        assert not errors, f"to_dict() is not schema-valid: {errors[0].message}"

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check()
    except Exception as exc:  # the first failing example, shortened
        seen.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}")
    if not seen and not valid:
        seen.append("no drawn instance is valid against the schema, nothing was round-tripped")
    return seen[0] if seen else None


# --- operations against the live server --------------------------------------------------------------------


def iter_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield method, path, item[method]


def operation_module(package: str, method: str, path: str, operation: dict[str, Any]) -> types.ModuleType:
    """Ours name modules by `_spec.OPERATIONS`; stock by tag and operationId."""
    with contextlib.suppress(ImportError):
        spec_module = importlib.import_module(f"{package}._spec")
        for row in spec_module.OPERATIONS:
            if (row.method, row.path) == (method.upper(), path):
                return importlib.import_module(f"{package}.api.{row.tag}.{row.name}")
    tag = PythonIdentifier(value=(operation.get("tags") or ["default"])[0], prefix="tag")
    return importlib.import_module(f"{package}.api.{snake_case(tag)}.{snake_case(operation['operationId'])}")


def body_argument(document: dict[str, Any], annotation: Any, operation: dict[str, Any]) -> Any:
    """The sparsest body the operation's request schema allows, as the class the function takes; a file
    (`format: binary`) is a few bytes named `corpus.txt`."""
    content: dict[str, Any] = operation.get("requestBody", {}).get("content", {})
    media: dict[str, Any] = next(iter(content.values()), {})
    schema: dict[str, Any] = media.get("schema", {})
    value = minimal_instance(schema, document, request=True)
    for candidate in typing.get_args(annotation) or (annotation,):
        if hasattr(candidate, "from_dict"):
            for name, child in resolve(document, schema).get("properties", {}).items():
                if resolve(document, child).get("format") == "binary" and name in value:
                    value[name] = b"corpus"
            model = candidate.from_dict(value)
            for attribute in (getattr(model, field.name) for field in attrs.fields(type(model))):
                if hasattr(attribute, "payload") and hasattr(attribute, "file_name"):
                    attribute.file_name = "corpus.txt"
            return model
    return value


def make_client(package: str, base_url: str) -> Any:
    client_cls = importlib.import_module(f"{package}.client").Client
    options = {"allow_insecure_http": True} if "allow_insecure_http" in inspect.signature(client_cls).parameters else {}
    return client_cls(base_url=base_url, **options)


def call_arguments(document: dict[str, Any], function: Callable[..., Any], operation: dict[str, Any]) -> dict[str, Any]:
    """Required arguments only, and the sparsest body where the operation takes one (even an optional one: the
    call should send something to the server); path parameters name the seeded objects (id 1)."""
    hints = typing.get_type_hints(function)
    arguments: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name in BODY_ARGUMENTS and "requestBody" in operation:
            arguments[name] = body_argument(document, hints.get(name), operation)
        elif name == "client" or parameter.default is not inspect.Parameter.empty:
            continue
        else:
            arguments[name] = 1 if hints.get(name) is int else "1"
    return arguments


def operations(package: str, document: dict[str, Any], base_url: str) -> Outcome:
    """Every operation, called with its sparsest arguments, answers 2xx, and a declared JSON body is parsed;
    deletes go last (they remove id 1)."""
    client = make_client(package, base_url)
    failures = []
    found = sorted(iter_operations(document), key=lambda found: found[0] == "delete")
    for method, path, operation in found:
        where = f"{method.upper()} {path}"
        try:
            function = operation_module(package, method, path, operation).sync_detailed
            response = function(client=client, **call_arguments(document, function, operation))
            status = int(response.status_code)
            declared = operation.get("responses", {}).get(str(status), {}).get("content", {})
            if not 200 <= status < 300:
                failures.append(f"{where}: HTTP {status}: {response.content[:200]!r}")
            elif "application/json" in declared and response.parsed is None:
                failures.append(f"{where}: HTTP {status} with a JSON body, parsed as None")
        except Exception as exc:  # a failed call of any kind
            failures.append(f"{where}: {type(exc).__name__}: {str(exc)[:300]}")
            traceback.print_exc(file=sys.stderr)
    return outcome(len(found), failures)


def main(argv: list[str]) -> int:
    command, package, *rest = argv
    if command == "imports":
        result = imports(package)
    else:
        document = json.loads(Path(rest[0]).read_text(encoding="utf-8"))
        if command == "round-trip":
            result = round_trip(package, document, int(rest[1]))
        else:
            result = operations(package, document, rest[1])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
