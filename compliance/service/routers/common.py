"""What the routers share: the service state, the generation a request uses, timeouts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import Request

from compliance.screening.screener import Screener
from compliance.service.errors import RequestTimeoutError
from compliance.service.state import Generation, ServiceState

T = TypeVar("T")


def service(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


def generation(request: Request) -> Generation:
    """The generation this request uses from start to end (named in its response headers)."""
    gen = service(request).generation()
    request.state.generation = gen
    return gen


async def in_thread(request: Request, fn: Callable[[], T]) -> T:
    """Run blocking library work off the event loop, within the per-request timeout."""
    timeout = service(request).config.limits.request_timeout_s
    try:
        with anyio.fail_after(timeout):
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    except TimeoutError:
        raise RequestTimeoutError(f"request took longer than {timeout:g} s") from None


async def with_screener(
    request: Request, fn: Callable[[Screener], T], *, inline: bool = False
) -> T:
    """``fn`` with the request's screener, in a worker thread under the per-request timeout;
    with ``inline`` (a small single screen, bounded by the request limits) on the event loop
    itself when the screener is free, which saves the hand-over to a thread and back (about
    0.4 ms of CPU a request, most of a small screen's cost; docs/benchmarks.md, service-p99).
    A screener busy with a batch is never waited for on the event loop."""
    gen = generation(request)
    if inline:
        outcome = gen.try_run(fn)
        if outcome is not None:
            return outcome[0]
    return await in_thread(request, lambda: gen.run(fn))
