"""The rule that proposes a new operation's public name: verb + resource, in one shape across the API.

`make update-spec` names every operation the record lacks by this rule (operation_names.py records it);
the name is public from its first release, so the rule aims at what a person would choose:

- the words come from the `summary` (prose a person wrote), else from the `operationId`;
- articles go ("Create a Flow Execution" -> `create_flow_execution`), and so does a trailing "by Id"
  (`get_flow_execution_contact`, beside `get_flow_execution`);
- the verb takes one spelling per kind of operation, checked against the HTTP method and the path:
  `list_<resources>` (a GET of a collection, the resource plural), `get_<resource>` (a GET of an item),
  `create_`, `update_` (PUT), `partially_update_` (PATCH, whatever the summary says), `delete_`; any other
  verb the summary starts with is an action and is kept (`send_whatsapp_template`); a summary that starts
  with no verb gets the method's;
- an operationId in Django REST framework's default shape (`channels_whatsapp_template_update`: the path's
  words, then the view action) has its action read as the verb.

A word keeps one spelling: "WhatsApp" and "Whatsapp" are both `whatsapp`.
"""

from __future__ import annotations

import re
from typing import Any

ARTICLES = frozenset({"a", "an", "the"})
# Words that mean one of the standard verbs; the method and path then decide which (see _standard_verb).
STANDARD_VERBS = {
    "list": "list",
    "search": "list",
    "get": "get",
    "retrieve": "get",
    "fetch": "get",
    "read": "get",
    "show": "get",
    "view": "get",
    "create": "create",
    "add": "create",
    "update": "update",
    "edit": "update",
    "modify": "update",
    "replace": "update",
    "patch": "partially_update",
    "delete": "delete",
    "destroy": "delete",
    "remove": "delete",
}
# Two-word spellings of a partial update ("Partially update a Conversation", "Partial Update of ...").
PARTIAL_UPDATE_WORDS = frozenset({"partially", "partial"})
# Verbs of actions on a resource: a summary starting with one keeps it (a summary starting with any other
# word is taken as a noun phrase and gets the method's verb).
ACTION_VERBS = frozenset(
    {
        "activate", "approve", "archive", "assign", "cancel", "close", "confirm", "copy", "deactivate",
        "disable", "download", "duplicate", "enable", "execute", "export", "import", "mark", "merge", "move",
        "open", "pause", "publish", "reject", "reopen", "resend", "reset", "restore", "resume", "retry", "run",
        "schedule", "send", "start", "stop", "submit", "subscribe", "sync", "test", "trigger", "unarchive",
        "unassign", "unpublish", "unsubscribe", "upload", "validate", "verify",
    }
)  # fmt: skip
# Django REST framework's view actions, the last words of its default operationIds.
DRF_ACTIONS = {
    ("partial", "update"): "partially_update",
    ("list",): "list",
    ("retrieve",): "get",
    ("create",): "create",
    ("update",): "update",
    ("destroy",): "delete",
}
# "by Id" and its kin at the end of a summary name no resource.
IDENTIFYING_WORDS = frozenset({"id", "ids", "uuid", "pk", "key", "slug"})
# The verb the HTTP method implies: (method, path ends in a parameter) -> verb.
METHOD_VERBS = {
    ("get", False): "list",
    ("get", True): "get",
    ("post", False): "create",
    ("post", True): "create",
    ("put", False): "update",
    ("put", True): "update",
    ("patch", False): "partially_update",
    ("patch", True): "partially_update",
    ("delete", False): "delete",
    ("delete", True): "delete",
}
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class NameRuleError(Exception):
    """An operation the rule cannot name."""


def words_of(text: str) -> list[str]:
    """Lower-case words: prose splits at anything but letters and digits; an identifier with neither spaces
    nor underscores (`listContacts`) at its humps too."""
    if re.fullmatch(r"[A-Za-z0-9]+", text):
        text = _CAMEL_HUMP.sub(" ", text)
    return [word.lower() for word in re.findall(r"[A-Za-z0-9]+", text)]


def plural(word: str) -> str:
    """English plural of a resource's last word, left alone when it already reads as one."""
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _path_ends_in_parameter(path: str) -> bool:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return last.startswith("{") and last.endswith("}")


def _path_parameters(path: str) -> set[str]:
    return {word for name in re.findall(r"{([^}]+)}", path) for word in words_of(name)}


def _split_verb(words: list[str]) -> tuple[str | None, list[str]]:
    """The leading verb (standard, action or none) and the words after it."""
    if len(words) >= 2 and words[0] in PARTIAL_UPDATE_WORDS and words[1] in ("update", "updates"):
        return "partially_update", words[2:]
    if words and words[0] in STANDARD_VERBS:
        return STANDARD_VERBS[words[0]], words[1:]
    if words and words[0] in ACTION_VERBS:
        return words[0], words[1:]
    return None, words


def _drf_default(words: list[str]) -> tuple[str | None, list[str]]:
    """`channels_whatsapp_template_update` -> ("update", [channels, whatsapp, template])."""
    for action, verb in DRF_ACTIONS.items():
        if len(words) > len(action) and tuple(words[-len(action) :]) == action:
            return verb, words[: -len(action)]
    return None, words


def _standard_verb(verb: str, method: str, on_item: bool) -> str:
    """A standard verb in the one shape the method and path give it: a PATCH is a partial update whatever
    its summary says, a GET of a collection lists, a GET of an item gets."""
    implied = METHOD_VERBS.get((method, on_item))
    if verb in ("list", "get") and method == "get":
        return "get" if on_item else "list"
    if verb in ("update", "partially_update") and method in ("put", "patch"):
        return implied or verb
    return verb


def proposed_name(method: str, path: str, operation: dict[str, Any]) -> str:
    """The proposed module name of the operation `method path` (see the module's docstring)."""
    where = f"{method.upper()} {path}"
    summary, operation_id = operation.get("summary"), operation.get("operationId")
    candidates = [text for text in (summary, operation_id) if isinstance(text, str) and text.strip()]
    source = next((text for text in candidates if words_of(text)), candidates[0] if candidates else None)
    if source is None:
        raise NameRuleError(f"{where} has neither an operationId nor a summary to name it by")
    words = words_of(source)
    if not words or not words[0][0].isalpha():
        raise NameRuleError(f"{where}: cannot make a Python name from {source!r}")
    on_item = _path_ends_in_parameter(path)
    verb, rest = _split_verb(words)
    if verb is None and source == operation_id and "_" in source:
        verb, rest = _drf_default(words)
    if verb is None:
        verb = METHOD_VERBS.get((method, on_item))
        if verb is None:
            raise NameRuleError(f"{where}: no verb in {source!r} and none implied by {method.upper()}")
    elif verb in STANDARD_VERBS.values():
        verb = _standard_verb(verb, method, on_item)
    rest = [word for word in rest if word not in ARTICLES]
    identifying = IDENTIFYING_WORDS | _path_parameters(path)
    if len(rest) >= 2 and rest[-2] == "by" and rest[-1] in identifying:
        rest = rest[:-2]
    if not rest:
        raise NameRuleError(f"{where}: {source!r} names no resource after its verb")
    if verb == "list":
        rest = [*rest[:-1], plural(rest[-1])]
    name = "_".join([verb, *rest])
    if not _IDENTIFIER.match(name):
        raise NameRuleError(f"{where}: cannot make a Python name from {source!r}")
    return name
