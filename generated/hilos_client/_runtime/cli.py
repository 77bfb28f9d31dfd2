# Copied from patches/runtime/cli.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/cli.py, then run `make generate`.
"""The `hilos-client` command line: one subcommand per operation of the spec, for pipelines and cron jobs.

    hilos-client flows list-flow-execution-contacts --all --format csv > contacts.csv

Subcommands are `<tag> <operation>` (the names of `hilos_client.api.<tag>.<operation>`, with dashes); their
options come from the operation's parameters (`--help` lists them). Configuration comes from the environment
variables of `AuthenticatedClient.from_env()` (HILOS_API_TOKEN, and HILOS_BASE_URL or HILOS_ACCOUNT_NAME).

Output goes to stdout: JSON Lines (default), one record per line, or CSV (`--format csv`) with nested fields
flattened to dotted column names (`contact.phone`) and lists as JSON text; the columns are those of the first
record. A paginated operation writes the items of one page, or of every page with `--all` (read through
`sync_all`, one page in memory at a time); with `--all` and a terminal on stderr, a progress bar is drawn
there. An error prints one line on stderr (never the token) and exits with a code that says what failed
(`EXIT_CODES`).
"""

from __future__ import annotations

import argparse
import csv
import enum
import inspect
import json
import re
import sys
import time
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any, TextIO

import httpx

from . import errors
from .client import AuthenticatedClient
from .operations import Operation, spec_operations
from .parsing import ParseError
from .types import Unset

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_CONFIGURATION = 3
EXIT_AUTHENTICATION = 4
EXIT_NOT_FOUND = 5
EXIT_RATE_LIMITED = 6
EXIT_UNAVAILABLE = 7
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_ERROR: "another API error (403, a response that does not match the spec, a pagination error)",
    EXIT_USAGE: "wrong command line",
    EXIT_CONFIGURATION: "configuration: an environment variable is missing or wrong",
    EXIT_AUTHENTICATION: "authentication: the API refused the token (401)",
    EXIT_NOT_FOUND: "not found (404), or a page past the last one",
    EXIT_RATE_LIMITED: "rate limited (429), after the client's retries",
    EXIT_UNAVAILABLE: "server error (5xx), timeout or no connection, after the client's retries",
}
"""What each exit code means (`hilos-client --help` lists them too)."""

# Most specific first: the first class an error is an instance of gives the exit code.
_EXIT_CODES: tuple[tuple[type[errors.HilosError], int], ...] = (
    (errors.ConfigurationError, EXIT_CONFIGURATION),
    (errors.AuthenticationError, EXIT_AUTHENTICATION),
    (errors.NotFoundError, EXIT_NOT_FOUND),
    (errors.RateLimitError, EXIT_RATE_LIMITED),
    (errors.ServerError, EXIT_UNAVAILABLE),
    (errors.ApiConnectionError, EXIT_UNAVAILABLE),
)
# Parameters every operation function takes that are not the API's.
_NOT_API_PARAMETERS = frozenset({"client", "timeout", "deadline"})
_ARG_DOC = re.compile(r"^\s{8}(\w+) \(.*?\):\s?(.*)$")


def is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal (the progress bar is only drawn on one)."""
    return stream.isatty()


def exit_code_for(error: errors.HilosError) -> int:
    return next((code for kind, code in _EXIT_CODES if isinstance(error, kind)), EXIT_ERROR)


# -- options from signatures -----------------------------------------------------------------------------
def _argument_docs(function: Callable[..., Any]) -> dict[str, str]:
    """Each argument's description from the function's Google-style docstring."""
    docs: dict[str, str] = {}
    for line in (function.__doc__ or "").splitlines():
        found = _ARG_DOC.match(line)
        if found:
            docs[found.group(1)] = found.group(2).strip()
    return docs


def _value_types(annotation: Any) -> list[Any]:
    """The types a parameter accepts, without Unset and None."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [arg for arg in typing.get_args(annotation) if arg not in (Unset, type(None))]
    return [annotation]


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, not {text!r}")


def _converter(kind: Any) -> tuple[Callable[[str], Any], dict[str, Any]]:
    """How to read one command-line value of type `kind`, and extra add_argument options."""
    if kind is bool:
        return _parse_bool, {"metavar": "{true,false}"}
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        values = [str(member.value) for member in kind]
        by_text = {str(member.value): member for member in kind}
        return by_text.__getitem__, {"choices": values, "metavar": "{" + ",".join(values) + "}"}
    if kind is uuid.UUID:
        return uuid.UUID, {"metavar": "UUID"}
    if kind is datetime:
        return datetime.fromisoformat, {"metavar": "DATETIME"}
    if kind is date:
        return date.fromisoformat, {"metavar": "DATE"}
    if kind in (int, float, str):
        return kind, {"metavar": kind.__name__.upper()}
    if isinstance(kind, type) and hasattr(kind, "from_dict"):
        model: Any = kind

        def from_json(text: str) -> Any:
            try:
                return model.from_dict(json.loads(text))
            except errors.PARSE_ERRORS as exc:  # argparse reports only these as a bad value, not KeyError
                detail = str(exc) if isinstance(exc, ParseError) else repr(exc)  # a ParseError names the field
                raise argparse.ArgumentTypeError(f"not a {model.__name__} in JSON: {detail}") from None

        return from_json, {"metavar": "JSON"}
    return str, {}


def _add_options(parser: argparse.ArgumentParser, function: Callable[..., Any]) -> list[str]:
    """One option per API parameter of `function`; returns their Python names."""
    hints = typing.get_type_hints(function)
    docs = _argument_docs(function)
    names = []
    for name, parameter in inspect.signature(function).parameters.items():
        if name in _NOT_API_PARAMETERS:
            continue
        kinds = _value_types(hints.get(name, str))
        element = typing.get_args(kinds[0])[0] if typing.get_origin(kinds[0]) is list else None
        convert, extra = _converter(element if element is not None else kinds[0])
        required = parameter.default is inspect.Parameter.empty
        option = "--" + name.replace("_", "-")
        help_text = docs.get(name) or ""
        action = "append" if element is not None else "store"
        parser.add_argument(option, dest=name, type=convert, required=required, help=help_text, action=action, **extra)
        names.append(name)
    return names


# -- output ----------------------------------------------------------------------------------------------
def _record(value: Any) -> Any:
    return value.to_dict() if hasattr(value, "to_dict") else value


def flatten(record: Any, prefix: str = "") -> dict[str, Any]:
    """A record as one CSV row: nested objects become dotted names, lists JSON text."""
    if not isinstance(record, dict):
        return {prefix or "value": record}
    row: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            row.update(flatten(value, name))
        elif isinstance(value, dict | list):
            row[name] = json.dumps(value, ensure_ascii=False)
        else:
            row[name] = value
    return row


class _Progress:
    """A one-line progress bar on a terminal: items written of the listing's `count`."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total: int | None = None
        self.done = 0
        self._drawn_at = 0.0

    def see_response(self, response: httpx.Response) -> None:
        """An httpx response hook: every page says how many items the listing holds now."""
        if not response.is_success:
            return
        response.read()
        try:
            count = response.json().get("count")
        except (ValueError, AttributeError):
            return
        if isinstance(count, int):
            self.total = count

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self._drawn_at >= 0.1:
            self._drawn_at = now
            self.draw()

    def draw(self) -> None:
        if self.total:
            share = min(1.0, self.done / self.total)
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            line = f"\r[{bar}] {self.done}/{self.total} items ({share:.0%})"
        else:
            line = f"\r{self.done} items"
        self.stream.write(line)
        self.stream.flush()

    def finish(self) -> None:
        self.draw()
        self.stream.write("\n")
        self.stream.flush()


def _write(records: Iterable[Any], out: TextIO, err: TextIO, output_format: str) -> None:
    if output_format == "jsonl":
        for record in records:
            out.write(json.dumps(_record(record), ensure_ascii=False, default=str) + "\n")
        return
    writer: csv.DictWriter[str] | None = None
    dropped: set[str] = set()
    for record in records:
        row = flatten(_record(record))
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
        new = set(row) - set(writer.fieldnames) - dropped
        if new:
            dropped |= new
            err.write(f"hilos-client: warning: columns {sorted(new)} are not in the CSV header; use --format jsonl\n")
        writer.writerow(row)


# -- the command -------------------------------------------------------------------------------------------
def build_parser(operations: Iterable[Operation] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hilos-client",
        description=(__doc__ or "").split("\n\n")[0],
        epilog="exit codes:\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tags = parser.add_subparsers(dest="tag", required=True, metavar="TAG")
    tag_parsers: dict[str, Any] = {}
    for operation in spec_operations() if operations is None else operations:
        if operation.tag not in tag_parsers:
            tag_parser = tags.add_parser(operation.tag.replace("_", "-"), help=f"operations tagged {operation.tag}")
            tag_parsers[operation.tag] = tag_parser.add_subparsers(dest="operation", required=True, metavar="OPERATION")
        module = operation.module()
        summary = (module.sync.__doc__ or operation.name).strip().splitlines()[0]
        sub = tag_parsers[operation.tag].add_parser(
            operation.name.replace("_", "-"),
            help=summary,
            description=f"{summary} ({operation.method} {operation.path})",
        )
        sub.set_defaults(module=module, parameters=_add_options(sub, module.sync))
        sub.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default jsonl)")
        if hasattr(module, "sync_all"):
            sub.add_argument("--all", action="store_true", help="every item of every page (through sync_all)")
    return parser


def run(args: argparse.Namespace, out: TextIO, err: TextIO, environ: Any = None) -> int:
    module = args.module
    given = {name: getattr(args, name) for name in args.parameters if getattr(args, name) is not None}
    progress = _Progress(err) if getattr(args, "all", False) and is_terminal(err) else None
    options: dict[str, Any] = {}
    if progress is not None:
        options["httpx_args"] = {"event_hooks": {"response": [progress.see_response]}}
    client = AuthenticatedClient.from_env(environ=environ, **options)
    with client:
        if getattr(args, "all", False):
            if "page" in given:
                err.write("hilos-client: error: --page and --all exclude each other\n")
                return EXIT_USAGE
            accepted = inspect.signature(module.sync_all).parameters
            items: Iterator[Any] = module.sync_all(client=client, **{k: v for k, v in given.items() if k in accepted})
            if progress is not None:
                items = _counted(items, progress)
            _write(items, out, err, args.format)
            if progress is not None:
                progress.finish()
            return EXIT_OK
        result = module.sync(client=client, **given)
        records = result.results if hasattr(module, "sync_all") else (result if isinstance(result, list) else [result])
        _write(records, out, err, args.format)
    return EXIT_OK


def _counted(items: Iterator[Any], progress: _Progress) -> Iterator[Any]:
    for item in items:
        yield item
        progress.advance()


def main(argv: list[str] | None = None, *, environ: Any = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = build_parser().parse_args(argv)
    try:
        return run(args, sys.stdout, sys.stderr, environ)
    except errors.HilosError as error:
        # One line: the error's message is free of the token (see errors), and a traceback would add noise.
        message = " ".join(str(error).split())
        sys.stderr.write(f"hilos-client: error: {type(error).__name__}: {message}\n")
        return exit_code_for(error)
    except BrokenPipeError:  # the reader stopped early (`| head`): not a failure of ours
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


__all__ = [
    "EXIT_AUTHENTICATION",
    "EXIT_CODES",
    "EXIT_CONFIGURATION",
    "EXIT_ERROR",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_RATE_LIMITED",
    "EXIT_UNAVAILABLE",
    "EXIT_USAGE",
    "build_parser",
    "exit_code_for",
    "flatten",
    "is_terminal",
    "main",
]
