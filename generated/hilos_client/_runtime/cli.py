# Copied from patches/runtime/cli.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/cli.py, then run `make generate`.
"""The `hilos-client` command line: one subcommand per operation of the spec, for pipelines and cron jobs.

    hilos-client flows list-flow-execution-contacts --all --format csv > contacts.csv

Subcommands are `<tag> <operation>` (the names of `hilos_client.api.<tag>.<operation>`, with dashes); their
options come from the operation's parameters (`--help` lists them). An operation with a request body takes it
as JSON with `--body`: the text itself, `@file.json`, or `-` for stdin; it is read into the operation's request
model before anything is sent, so a body that does not match the spec is a usage error naming the field.
Configuration comes from the environment variables of `AuthenticatedClient.from_env()` (HILOS_API_TOKEN, and
HILOS_BASE_URL or HILOS_ACCOUNT_NAME; HILOS_TIMEOUT, HILOS_DEADLINE, HILOS_RETRIES), which `--timeout`,
`--deadline` and `--retries` override; `--allow-http` allows a plain http:// base URL to another machine. Values
the spec bounds (`--page 0`) and values of the wrong type are usage errors, and nothing is sent.

Output goes to stdout: JSON Lines (default), one record per line, or CSV (`--format csv`). The CSV header comes
from the response schema (`Operation.columns`: every field in the schema's order, nested objects flattened to
dotted names such as `contact.phone`, lists and free-form or nullable objects as JSON text), then `_extra`, a
JSON object of the fields a record has that the header has no column for (fields the spec does not describe);
a field a record lacks is an empty cell, and numbers, booleans and null are written as JSON spells them
(`true`, `false`, `null`). A paginated operation writes the items of one page, or of every page with `--all`
(read through `sync_all`, one page in memory at a time); with `--all` and a terminal on stderr, a progress bar
(items, rate, time left) is drawn there. An operation that answers without a body (a DELETE's 204) writes
nothing. An error prints one line on stderr (never the token) and exits with a code that says what failed
(`EXIT_CODES`).
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import httpx

from . import errors
from .client import ENV_BASE_URL, AuthenticatedClient, parse_retries, parse_seconds
from .operations import Operation, Parameter, package_name, spec_operations
from .servers import is_loopback

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
# The options every subcommand has: an API parameter of the same name gets `--parameter-<name>`.
_OWN_OPTIONS = frozenset(
    {"-h", "--help", "--format", "--all", "--timeout", "--deadline", "--retries", "--allow-http", "--version"}
)
_BODY = "body"
_WIDTH = 100  # of the paragraphs of a subcommand's description


def is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal (the progress bar is only drawn on one)."""
    return stream.isatty()


def exit_code_for(error: errors.HilosError) -> int:
    return next((code for kind, code in _EXIT_CODES if isinstance(error, kind)), EXIT_ERROR)


# -- options from the operations table -------------------------------------------------------------------
def _one_line(text: str) -> str:
    """The spec's text as one line: line breaks and runs of spaces as one space."""
    return " ".join(text.split())


def _paragraphs(text: str) -> list[str]:
    """The spec's text as paragraphs (apart by blank lines), each on one line."""
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [_one_line(" ".join(lines)) for lines in paragraphs if lines]


def _help(text: str) -> str:
    # argparse %-formats every help string: a literal % (as in "50% of") would make --help fail.
    return text.replace("%", "%%")


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, not {text!r}")


def _class_name(parameter: Parameter) -> str:
    return parameter.python_class.rpartition(".")[2]


def _model_reader(parameter: Parameter) -> tuple[Callable[[Any], Any], str]:
    """How to read a JSON value into the parameter's type (a model, a list of models, or plain JSON), and its
    name; the model's class is imported when the first value is read."""
    if parameter.kind != "model":
        return (lambda value: value), "JSON value"
    if parameter.is_list:
        return (lambda value: [parameter.python_type().from_dict(item) for item in value]), (
            f"list of {_class_name(parameter)}"
        )
    return (lambda value: parameter.python_type().from_dict(value)), _class_name(parameter)


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


_PLAIN: dict[str, tuple[Callable[[str], Any], str]] = {
    "bool": (_parse_bool, "{true,false}"),
    "uuid": (uuid.UUID, "UUID"),
    "datetime": (datetime.fromisoformat, "DATETIME"),
    "date": (date.fromisoformat, "DATE"),
    "int": (int, "INT"),
    "float": (float, "FLOAT"),
    "str": (str, "STR"),
}


def _converter(parameter: Parameter) -> tuple[Callable[[str], Any], str]:
    """How to read one command-line value of the parameter (each element, for a list), and its metavar."""
    if parameter.kind == "enum":
        by_text = {str(value): value for value in parameter.choices}
        choices = ", ".join(map(repr, by_text))

        # Not argparse's `choices`: it compares them with the converted member, which only a str enum equals.
        def member(text: str) -> Any:
            if text not in by_text:
                raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from {choices})")
            return parameter.python_type()(by_text[text])

        return member, "{" + ",".join(by_text) + "}"
    if parameter.kind == "model":
        read, name = _model_reader(parameter)

        def from_json(text: str) -> Any:
            try:
                return _from_json(read, name, text)
            except ValueError as exc:  # argparse reports an ArgumentTypeError's message as a bad value
                raise argparse.ArgumentTypeError(str(exc)) from None

        return from_json, "JSON"
    return _PLAIN.get(parameter.kind, (str, "TEXT"))


def _bounded(convert: Callable[[str], Any], parameter: Parameter) -> Callable[[str], Any]:
    """`convert`, then the spec's `minimum` and `maximum` of the parameter checked (before anything is sent)."""
    low, high = parameter.minimum, parameter.maximum
    if low is None and high is None:
        return convert

    def checked(text: str) -> Any:
        value = convert(text)
        if low is not None and value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, not {text!r}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"must be at most {high}, not {text!r}")
        return value

    return checked


def _dest(name: str) -> str:
    # Apart from the command's own attributes (`spec_operation`, `tag`, ...), which an API parameter may share a name with.
    return f"parameter:{name}"


def _add_options(parser: argparse.ArgumentParser, operation: Operation) -> list[str]:
    """One option per parameter of the operation (`--body` for the request body, see `_add_body`), in the
    order of the operation's arguments; returns the Python names of the parameters other than the body."""
    in_path = [parameter for parameter in operation.parameters if parameter.location == "path"]
    others = [parameter for parameter in operation.parameters if parameter.location != "path"]
    for parameter in in_path:
        _add_option(parser, parameter)
    if operation.body is not None:
        _add_body(parser, operation.body)
    for parameter in others:
        _add_option(parser, parameter)
    return [parameter.name for parameter in in_path + others]


def _add_option(parser: argparse.ArgumentParser, parameter: Parameter) -> None:
    convert, metavar = _converter(parameter)
    if parameter.kind in ("int", "float"):
        convert = _bounded(convert, parameter)
    option = "--" + parameter.name.replace("_", "-")
    help_text = _one_line(parameter.description)
    if option in _OWN_OPTIONS:
        option = "--parameter-" + parameter.name.replace("_", "-")
        help_text = f"the API's `{parameter.name}` parameter. {help_text}"
    parser.add_argument(
        option,
        dest=_dest(parameter.name),
        type=convert,
        required=parameter.required,
        help=_help(help_text),
        action="append" if parameter.is_list else "store",
        metavar=metavar,
    )


def _add_body(parser: argparse.ArgumentParser, body: Parameter) -> None:
    # Read after parsing (see `_read_body`): the text may be in a file or on stdin, and a body that does not
    # fit is reported in one line, naming the field.
    reader = _model_reader(body)
    parser.set_defaults(body_reader=reader)
    parser.add_argument(
        "--body",
        dest=_dest(_BODY),
        required=body.required,
        metavar="JSON",
        help=_help(
            f"the request body, a {reader[1]} as JSON: the text itself, @FILE to read a file, or - to read stdin"
            + ("" if body.required else " (optional)")
        ),
    )


def _argument_type(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """`parse` as an argparse type: its ValueError is the option's usage error."""

    def converted(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return converted


# Each option of the client a command takes: (option, `from_env()` keyword, argparse keywords). Given options
# win over the environment variables from_env() reads (HILOS_TIMEOUT, HILOS_DEADLINE, HILOS_RETRIES).
_CLIENT_OPTIONS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "--timeout",
        "timeout",
        {
            "type": _argument_type(parse_seconds),
            "metavar": "SECONDS",
            "help": "seconds each attempt may take, from connecting to the last byte, or 'none' "
            "(default: HILOS_TIMEOUT, else 10 s to connect and 60 s per read)",
        },
    ),
    (
        "--deadline",
        "deadline",
        {
            "type": _argument_type(parse_seconds),
            "metavar": "SECONDS",
            "help": "seconds each request may take in all, retries and their waits included, or 'none' "
            "(default: HILOS_DEADLINE, else 300)",
        },
    ),
    (
        "--retries",
        "retries",
        {
            "type": _argument_type(parse_retries),
            "metavar": "N",
            "help": "how many times a failed idempotent request is retried; 0: never (default: HILOS_RETRIES, else 2)",
        },
    ),
    (
        "--allow-http",
        "allow_insecure_http",
        {
            "action": "store_true",
            "default": argparse.SUPPRESS,
            "help": "allow a plain http:// HILOS_BASE_URL to a host other than this machine (the token is then "
            "sent unencrypted)",
        },
    ),
)


def _add_client_options(parser: argparse.ArgumentParser) -> None:
    for option, keyword, settings in _CLIENT_OPTIONS:
        parser.add_argument(option, dest=f"client:{keyword}", **{"default": argparse.SUPPRESS, **settings})


def _client_options(args: argparse.Namespace) -> dict[str, Any]:
    """The `from_env()` keywords of the client options given on the command line."""
    given = vars(args)
    return {keyword: given[f"client:{keyword}"] for _, keyword, _ in _CLIENT_OPTIONS if f"client:{keyword}" in given}


def _check_plain_http(environ: Any, allowed: bool) -> None:
    """The command line's own advice for a plain http:// base URL to another machine: `--allow-http` (the
    client's names `allow_insecure_http=True`, which a command line cannot pass)."""
    base_url = str(((os.environ if environ is None else environ).get(ENV_BASE_URL)) or "").strip()
    try:
        parts = urlsplit(base_url)
        remote_http = parts.scheme.lower() == "http" and bool(parts.hostname) and not is_loopback(parts.hostname or "")
    except ValueError:  # not a URL: from_env() says what is wrong with it
        return
    if remote_http and not allowed:
        raise errors.ConfigurationError(
            f"environment variable {ENV_BASE_URL}: {errors.redact_url(base_url)!r} uses plain http:// to a remote "
            "host, which would send the token unencrypted; use https://, or pass --allow-http if you really mean it"
        )


class _Version(argparse.Action):
    """`--version`: prints `hilos-client <version>` on stdout and exits 0 (the version read when asked)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=kwargs.get("help"))

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        version = getattr(importlib.import_module(package_name()), "__version__", "unknown")
        sys.stdout.write(f"{parser.prog} {version}\n")
        parser.exit(EXIT_OK)


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


def _duration(seconds: float) -> str:
    """`M:SS`, or `H:MM:SS` from an hour on."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class _Progress:
    """A one-line progress bar on a terminal: items written of the listing's `count`, the rate (items per
    second since the start) and the time left at that rate (ETA)."""

    WIDTH = 30
    INTERVAL = 0.1
    """Seconds between redraws at most (the last state is drawn by `finish()`)."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.total: int | None = None
        self.done = 0
        self.started = clock()
        self._drawn_at: float | None = None
        self._width = 0  # of the line drawn last, to blank what a shorter one leaves

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
        now = self.clock()
        if self._drawn_at is None or now - self._drawn_at >= self.INTERVAL:
            self._drawn_at = now
            self.draw()

    def line(self) -> str:
        """The bar as drawn now: `[###---] 120/250 items (48%)  40.0 items/s  ETA 0:03`."""
        elapsed = self.clock() - self.started
        rate = self.done / elapsed if elapsed > 0 and self.done else None
        speed = f"{rate:.1f} items/s" if rate is not None else "-- items/s"
        if not self.total:
            return f"{self.done} items  {speed}"
        share = min(1.0, self.done / self.total)
        filled = int(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        left = max(0, self.total - self.done)
        eta = _duration(left / rate) if rate is not None else ("0:00" if not left else "--:--")
        return f"[{bar}] {self.done}/{self.total} items ({share:.0%})  {speed}  ETA {eta}"

    def draw(self) -> None:
        line = self.line()
        self.stream.write("\r" + line.ljust(self._width))
        self._width = len(line)
        self.stream.flush()

    def finish(self) -> None:
        self.draw()
        self.stream.write("\n")
        self.stream.flush()


EXTRA_COLUMN = "_extra"
"""The CSV column, after every other, that holds a record's fields its header has no column for (as a JSON
object of their dotted names; empty when there are none)."""
_LEAF: dict[str, Any] = {}


def _csv_cell(value: Any) -> str:
    """A value as a CSV cell: text as it is, objects and lists as JSON text, and numbers, booleans and null
    in their JSON spelling (`true`, `false`, `null`)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


class _CsvRecords:
    """Records as CSV rows under a header fixed before the first row: `columns`, then `EXTRA_COLUMN`.

    A record's fields are found by their dotted column names (a nested object's fields under its name); a field
    a record lacks is an empty cell. Nothing is dropped: what no column names (a field the schema does not know,
    or a value that is not the object its columns expect) goes into the extra column.
    """

    def __init__(self, columns: Iterable[str]) -> None:
        self.columns = list(columns)
        extra = EXTRA_COLUMN
        while extra in self.columns:
            extra = "_" + extra
        self.extra_column = extra
        self._tree: dict[str, Any] = {}
        for column in self.columns:
            node = self._tree
            *parents, last = column.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node.setdefault(last, _LEAF)

    @property
    def header(self) -> list[str]:
        return [*self.columns, self.extra_column]

    def row(self, record: Any) -> dict[str, str]:
        row: dict[str, str] = {}
        extra: dict[str, Any] = {}
        self._walk(record if isinstance(record, dict) else {"value": record}, self._tree, "", row, extra)
        row[self.extra_column] = json.dumps(extra, ensure_ascii=False, default=str) if extra else ""
        return row

    def _walk(
        self, record: dict[str, Any], tree: dict[str, Any], prefix: str, row: dict[str, str], extra: dict[str, Any]
    ) -> None:
        for key, value in record.items():
            name = f"{prefix}{key}"
            node = tree.get(str(key))
            if node is None:
                extra[name] = value
            elif node is _LEAF:
                row[name] = _csv_cell(value)
            elif isinstance(value, dict):
                self._walk(value, node, f"{name}.", row, extra)
            else:  # null (or anything else) where the schema has an object
                extra[name] = value


def _write(records: Iterable[Any], out: TextIO, output_format: str, columns: tuple[str, ...]) -> None:
    if output_format == "jsonl":
        for record in records:
            out.write(json.dumps(_record(record), ensure_ascii=False, default=str) + "\n")
        return
    writer: csv.DictWriter[str] | None = None
    rows: _CsvRecords | None = None
    for record in records:
        data = _record(record)
        if writer is None or rows is None:
            # The operation's columns (from the spec); an operation the table says none of: the first record's.
            rows = _CsvRecords(columns or flatten(data))
            writer = csv.DictWriter(out, fieldnames=rows.header, lineterminator="\n")
            writer.writeheader()
        writer.writerow(rows.row(data))
    if writer is None and columns:  # an empty listing: its header still says what it holds
        csv.writer(out, lineterminator="\n").writerow(_CsvRecords(columns).header)


# -- the command -------------------------------------------------------------------------------------------
def build_parser(operations: Iterable[Operation] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hilos-client",
        description=(__doc__ or "").split("\n\n")[0],
        epilog="exit codes:\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, help="print the version (hilos-client X.Y.Z) and exit")
    tags = parser.add_subparsers(dest="tag", required=True, metavar="TAG")
    tag_parsers: dict[str, Any] = {}
    for operation in spec_operations() if operations is None else operations:
        if operation.tag not in tag_parsers:
            tag_parser = tags.add_parser(operation.tag.replace("_", "-"), help=f"operations tagged {operation.tag}")
            tag_parsers[operation.tag] = tag_parser.add_subparsers(dest="operation", required=True, metavar="OPERATION")
        paragraphs = _paragraphs(operation.description)
        summary = _one_line(operation.summary) or (
            paragraphs.pop(0) if paragraphs else operation.name.replace("_", " ")
        )
        sub = tag_parsers[operation.tag].add_parser(
            operation.name.replace("_", "-"),
            help=_help(summary),
            description="\n\n".join(
                textwrap.fill(text, _WIDTH, break_on_hyphens=False)
                for text in [f"{summary} ({operation.method} {operation.path})", *paragraphs]
            ),
            formatter_class=argparse.RawDescriptionHelpFormatter,  # keeps the paragraphs apart
        )
        # `spec_operation`: `operation` is the subcommand's name (the tag parser's dest).
        sub.set_defaults(spec_operation=operation, body_reader=None)  # before _add_options, which sets a body's reader
        sub.set_defaults(parameters=_add_options(sub, operation))
        sub.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default jsonl)")
        if operation.paginated:
            sub.add_argument("--all", action="store_true", help="every item of every page (through sync_all)")
        _add_client_options(sub)
    return parser


def run(args: argparse.Namespace, out: TextIO, err: TextIO, environ: Any = None, stdin: TextIO | None = None) -> int:
    operation: Operation = args.spec_operation
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
    options = _client_options(args)
    _check_plain_http(environ, bool(options.get("allow_insecure_http")))
    progress = _Progress(err) if listing_all and is_terminal(err) else None
    if progress is not None:
        options["httpx_args"] = {"event_hooks": {"response": [progress.see_response]}}
    client = AuthenticatedClient.from_env(environ=environ, **options)
    module = operation.module()
    with client:
        if listing_all:
            items: Iterator[Any] = module.sync_all(client=client, **given)  # every parameter but `page`
            if progress is not None:
                items = _counted(items, progress)
            _write(items, out, args.format, operation.columns)
            if progress is not None:
                progress.finish()
            return EXIT_OK
        result = module.sync(client=client, **given)
        if result is None:  # an answer without a body, such as a DELETE's 204
            return EXIT_OK
        records = result.results if operation.paginated else (result if isinstance(result, list) else [result])
        _write(records, out, args.format, operation.columns)
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
    "EXTRA_COLUMN",
    "build_parser",
    "exit_code_for",
    "flatten",
    "is_terminal",
    "main",
]
