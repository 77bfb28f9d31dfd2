"""Query arrays with `style: form, explode: false` (patches/runtime/wire.py `form_array`, imported in place)."""

from __future__ import annotations

import pytest

from patches.runtime.wire import form_array


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["whatsapp", "instagram"], "whatsapp,instagram"),
        ([7, 8], "7,8"),
        ([True, False], "true,false"),  # as JSON spells them, not Python's True
        ([0, 1.5], "0,1.5"),
        (["00000000-0000-0000-0000-00000000c001"], "00000000-0000-0000-0000-00000000c001"),
        ([], ""),
    ],
)
def test_items_are_joined_by_commas_in_their_wire_spelling(
    values: list[str | int | float | bool], expected: str
) -> None:
    assert form_array(values) == expected


def test_an_item_holding_a_comma_is_refused_since_the_server_would_read_two_items() -> None:
    with pytest.raises(ValueError, match="'a,b' cannot be sent in a comma-separated query array"):
        form_array(["ok", "a,b"])
