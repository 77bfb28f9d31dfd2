"""A loopback address where every connection is refused, for as long as the test needs it."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator


@contextlib.contextmanager
def refusing_base_url() -> Iterator[str]:
    """`http://127.0.0.1:<port>` of a socket that is bound but never listens: the kernel refuses every
    connection to it, and no other server can take the port while the block runs (a port freed by a
    closed server could be taken by another test's server at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as bound:
        bound.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{bound.getsockname()[1]}"
