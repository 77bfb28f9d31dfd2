# Copied from patches/runtime/cli.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/cli.py, then run `make generate`.
"""The `hilos-client` command line: one subcommand per operation of the spec, for pipelines and cron jobs.

    hilos-client flows list-flow-execution-contacts --all --format csv > contacts.csv

Subcommands are `<tag> <operation>` (the names of `hilos_client.api.<tag>.<operation>`, with dashes); their
options come from the operation's parameters (`--help` lists them). An operation with a request body takes it
as JSON with `--body`: the text itself, `@file.json`, or `-` for stdin; it is read into the operation's request
model before anything is sent, so a body that does not match the spec is a usage error naming the field.
Configuration comes from the environment variables of `AuthenticatedClient.from_env()` (HILOS_API_TOKEN, and
HILOS_BASE_URL or HILOS_ACCOUNT_NAME).

Output goes to stdout: JSON Lines (default), one record per line, or CSV (`--format csv`) with nested fields
flattened to dotted column names (`contact.phone`) and lists as JSON text; the columns are those of the first
record. A paginated operation writes the items of one page, or of every page with `--all` (read through
`sync_all`, one page in memory at a time); with `--all` and a terminal on stderr, a progress bar is drawn
there. An operation that answers without a body (a DELETE's 204) writes nothing. An error prints one line on
stderr (never the token) and exits with a code that says what failed (`EXIT_CODES`).
"""

from __future__ import annotations

import argparse
import csv
import enum
import inspect
import json
import re
import sys
import textwrap
import time
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import httpx

from . import errors
from .client import AuthenticatedClient
from .operations import Operation, spec_operations
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
# The options every subcommand has: an API parameter of the same name gets `--parameter-<name>`.
_OWN_OPTIONS = frozenset({"-h", "--help", "--format", "--all"})
_BODY = "body"
_WIDTH = 100  # of the paragraphs of a subcommand's description
# In a docstring as inspect.getdoc() gives it: section headers at the margin, arguments indented by 4.
_SECTION = re.compile(r"^(Args|Raises|Returns|Yields|Attributes|Examples?|Notes?):\s*$")
_BROKEN_AT_HYPHEN = re.compile(r"\w-$")
_ARG_ENTRY = re.compile(r"^ {4}(?P<name>\w+) \(.*?\):\s?(?P<text>.*)$")


def is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal (the progress bar is only drawn on one)."""
    return stream.isatty()


def exit_code_for(error: errors.HilosError) -> int:
    return next((code for kind, code in _EXIT_CODES if isinstance(error, kind)), EXIT_ERROR)


# -- options from signatures -----------------------------------------------------------------------------
def _unwrap(lines: Iterable[str]) -> str:
    """Lines of a wrapped paragraph as one line; a word the wrapping broke after its hyphen is whole again."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        joint = "" if _BROKEN_AT_HYPHEN.search(text) else " "
        text = f"{text}{joint}{line}" if text else line
    return text


def _docstring(function: Callable[..., Any], fallback: str) -> tuple[str, list[str]]:
    """The summary (first paragraph) of a Google-style docstring, and its other paragraphs before the first
    section (`Args:` ...)."""
    paragraphs: list[list[str]] = [[]]
    for line in (inspect.getdoc(function) or "").splitlines():
        if _SECTION.match(line):
            break
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    texts = [_unwrap(paragraph) for paragraph in paragraphs if paragraph]
    return (texts[0], texts[1:]) if texts else (fallback, [])


def _argument_docs(function: Callable[..., Any]) -> dict[str, str]:
    """Each argument's description (continuation lines included) from the function's Google-style docstring."""
    docs: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_args = False
    for line in (inspect.getdoc(function) or "").splitlines():
        if _SECTION.match(line):
            in_args, current = line.strip() == "Args:", None
        elif in_args and (entry := _ARG_ENTRY.match(line)):
            current = docs.setdefault(entry["name"], [entry["text"]])
        elif current is not None:
            current.append(line)
    return {name: _unwrap(lines) for name, lines in docs.items()}


def _help(text: str) -> str:
    # argparse %-formats every help string: a literal % (as in "50% of") would make --help fail.
    return text.replace("%", "%%")


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


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and hasattr(kind, "from_dict")


def _model_reader(kind: Any) -> tuple[Callable[[Any], Any], str]:
    """How to read a JSON value into `kind` (a model, a list of models, or plain JSON), and its name."""
    if _is_model(kind):
        return kind.from_dict, kind.__name__
    element = typing.get_args(kind)[0] if typing.get_origin(kind) is list and typing.get_args(kind) else None
    if _is_model(element):
        model: Any = element
        return (lambda value: [model.from_dict(item) for item in value]), f"list of {model.__name__}"
    return (lambda value: value), "JSON value"


def _from_json(read: Callable[[Any], Any], name: str, text: str) -> Any:
    """`text` (JSON) read by `read`; a ValueError that names what is wrong, and where, when it does not fit."""
    try:
        value = json.loads(text)
    except ValueError as exc:  # JSONDecodeError, or text that is not UTF-8
        raise ValueError(f"not JSON: {exc}") from None
    try:
        return read(value)
    except errors.PARSE_ERRORS as exc:
        detail = repr(exc) if isinstance(exc, KeyError) else str(exc)  # a ParseError names the field
        raise ValueError(f"not a {name} in JSON: {detail.removeprefix(f'{name}: ')}") from None


def _converter(kind: Any) -> tuple[Callable[[str], Any], dict[str, Any]]:
    """How to read one command-line value of type `kind`, and extra add_argument options."""
    if kind is bool:
        return _parse_bool, {"metavar": "{true,false}"}
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        by_text = {str(member.value): member for member in kind}
        choices = ", ".join(map(repr, by_text))

        # Not argparse's `choices`: it compares them with the converted member, which only a str enum equals.
        def member(text: str) -> Any:
            if text not in by_text:
                raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from {choices})")
            return by_text[text]

        return member, {"metavar": "{" + ",".join(by_text) + "}"}
    if kind is uuid.UUID:
        return uuid.UUID, {"metavar": "UUID"}
    if kind is datetime:
        return datetime.fromisoformat, {"metavar": "DATETIME"}
    if kind is date:
        return date.fromisoformat, {"metavar": "DATE"}
    if kind in (int, float, str):
        return kind, {"metavar": kind.__name__.upper()}
    if _is_model(kind):
        read, name = _model_reader(kind)

        def from_json(text: str) -> Any:
            try:
                return _from_json(read, name, text)
            except ValueError as exc:  # argparse reports an ArgumentTypeError's message as a bad value
                raise argparse.ArgumentTypeError(str(exc)) from None

        return from_json, {"metavar": "JSON"}
    return str, {"metavar": "TEXT"}


def _dest(name: str) -> str:
    # Apart from the command's own attributes (`module`, `tag`, ...), which an API parameter may share a name with.
    return f"parameter:{name}"


def _add_options(parser: argparse.ArgumentParser, function: Callable[..., Any]) -> list[str]:
    """One option per API parameter of `function` (`--body` for the request body, see `_add_body`); returns
    the Python names of the parameters other than the body."""
    hints = typing.get_type_hints(function)
    docs = _argument_docs(function)
    names = []
    for name, parameter in inspect.signature(function).parameters.items():
        if name in _NOT_API_PARAMETERS:
            continue
        required = parameter.default is inspect.Parameter.empty
        if name == _BODY:
            _add_body(parser, hints.get(name, Any), required=required)
            continue
        kinds = _value_types(hints.get(name, str))
        element = typing.get_args(kinds[0])[0] if typing.get_origin(kinds[0]) is list else None
        convert, extra = _converter(element if element is not None else kinds[0])
        option = "--" + name.replace("_", "-")
        help_text = docs.get(name) or ""
        if option in _OWN_OPTIONS:
            option = "--parameter-" + name.replace("_", "-")
            help_text = f"the API's `{name}` parameter. {help_text}"
        action = "append" if element is not None else "store"
        parser.add_argument(
            option, dest=_dest(name), type=convert, required=required, help=_help(help_text), action=action, **extra
        )
        names.append(name)
    return names


def _add_body(parser: argparse.ArgumentParser, annotation: Any, *, required: bool) -> None:
    # Read after parsing (see `_read_body`): the text may be in a file or on stdin, and a body that does not
    # fit is reported in one line, naming the field.
    kinds = _value_types(annotation)
    reader = _model_reader(next((kind for kind in kinds if _is_model(kind)), kinds[0]))
    parser.set_defaults(body_reader=reader)
    parser.add_argument(
        "--body",
        dest=_dest(_BODY),
        required=required,
        metavar="JSON",
        help=_help(
            f"the request body, a {reader[1]} as JSON: the text itself, @FILE to read a file, or - to read stdin"
            + ("" if required else " (optional)")
        ),
    )


def _read_body(args: argparse.Namespace, stdin: TextIO) -> Any:
    """The request body of `--body` read into the operation's model; a ValueError saying what is wrong."""
    source: str = getattr(args, _dest(_BODY))
    if source == "-":
        try:
            text = stdin.read()
        except UnicodeDecodeError as exc:
            raise ValueError(f"stdin is not UTF-8 text: {exc}") from None
    elif source.startswith("@"):
        try:
            text = Path(source[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"cannot read {source[1:]}: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise ValueError(f"{source[1:]} is not UTF-8 text: {exc}") from None
    else:
        text = source
    read, name = args.body_reader
    return _from_json(read, name, text)


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
        summary, paragraphs = _docstring(module.sync, fallback=operation.name.replace("_", " "))
        sub = tag_parsers[operation.tag].add_parser(
            operation.name.replace("_", "-"),
            help=_help(summary),
            description="\n\n".join(
                textwrap.fill(text, _WIDTH, break_on_hyphens=False)
                for text in [f"{summary} ({operation.method} {operation.path})", *paragraphs]
            ),
            formatter_class=argparse.RawDescriptionHelpFormatter,  # keeps the paragraphs apart
        )
        sub.set_defaults(module=module, body_reader=None)  # before _add_options, which sets a body's reader
        sub.set_defaults(parameters=_add_options(sub, module.sync))
        sub.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default jsonl)")
        if hasattr(module, "sync_all"):
            sub.add_argument("--all", action="store_true", help="every item of every page (through sync_all)")
    return parser


def run(args: argparse.Namespace, out: TextIO, err: TextIO, environ: Any = None, stdin: TextIO | None = None) -> int:
    module = args.module
    given = {name: value for name in args.parameters if (value := getattr(args, _dest(name))) is not None}
    listing_all = getattr(args, "all", False)
    # Usage errors before the configuration is read and before anything is sent.
    if listing_all and "page" in given:
        err.write("hilos-client: error: --page and --all exclude each other\n")
        return EXIT_USAGE
    if args.body_reader is not None and getattr(args, _dest(_BODY)) is not None:
        try:
            given[_BODY] = _read_body(args, sys.stdin if stdin is None else stdin)
        except ValueError as exc:
            err.write(f"hilos-client: error: argument --body: {' '.join(str(exc).split())}\n")
            return EXIT_USAGE
    progress = _Progress(err) if listing_all and is_terminal(err) else None
    options: dict[str, Any] = {}
    if progress is not None:
        options["httpx_args"] = {"event_hooks": {"response": [progress.see_response]}}
    client = AuthenticatedClient.from_env(environ=environ, **options)
    with client:
        if listing_all:
            accepted = inspect.signature(module.sync_all).parameters
            items: Iterator[Any] = module.sync_all(client=client, **{k: v for k, v in given.items() if k in accepted})
            if progress is not None:
                items = _counted(items, progress)
            _write(items, out, err, args.format)
            if progress is not None:
                progress.finish()
            return EXIT_OK
        result = module.sync(client=client, **given)
        if result is None:  # an answer without a body, such as a DELETE's 204
            return EXIT_OK
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
