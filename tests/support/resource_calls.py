"""Calling one operation of the spec through `Hilos` or `AsyncHilos`, whichever a test holds."""

from __future__ import annotations

from typing import Any

from hilos_client import AsyncHilos, Hilos

from tests.support.operation_cases import OperationCase


async def call(hilos: Hilos | AsyncHilos, case: OperationCase) -> Any:
    """The operation's method on `hilos` with its sparsest valid arguments (awaited for an AsyncHilos)."""
    method = getattr(getattr(hilos, case.operation.tag), case.operation.name)
    if isinstance(hilos, AsyncHilos):
        return await method(**case.required_arguments())
    return method(**case.required_arguments())


async def call_in_with_block(hilos: Hilos | AsyncHilos, case: OperationCase) -> Any:
    """`call()` inside the client's `with` (or `async with`) block, which is left before returning."""
    if isinstance(hilos, AsyncHilos):
        async with hilos:
            return await call(hilos, case)
    with hilos:
        return await call(hilos, case)
