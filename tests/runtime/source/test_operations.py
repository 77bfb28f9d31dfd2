"""patches/runtime/operations.py in place: routing a request to the spec operation it is for."""

from __future__ import annotations

from patches.runtime.operations import Operation, find

LIST = Operation("list_things", "things", "GET", "/things")
GET = Operation("get_thing", "things", "GET", "/things/{id}")
DELETE = Operation("delete_thing", "things", "DELETE", "/things/{id}")


def test_a_path_template_matches_one_segment_per_parameter() -> None:
    assert GET.match("get", "/things/42") == {"id": "42"}
    assert GET.match("GET", "/things/42/parts") is None
    assert GET.match("GET", "/things/") is None
    assert LIST.match("GET", "/things") == {}


def test_find_picks_the_operation_by_method_and_path() -> None:
    operations = [LIST, GET, DELETE]
    assert find(operations, "DELETE", "/things/a-b") == (DELETE, {"id": "a-b"})
    assert find(operations, "GET", "/things") == (LIST, {})
    assert find(operations, "POST", "/things") is None


def test_template_text_is_literal_outside_the_parameters() -> None:
    dotted = Operation("x", "t", "GET", "/a.b/{id}")
    assert dotted.match("GET", "/a.b/1") == {"id": "1"}
    assert dotted.match("GET", "/axb/1") is None
