"""A lean route for ``POST /v1/screen``: the common request without FastAPI's generic work.

FastAPI answers every request by solving the endpoint's dependencies and parameters in
general (dependency cache, ``email.message`` content-type parsing, ``json.loads``, then a
pydantic pass over the parsed object, query parameters one by one): the largest part of
the service's own Python work for a single screen in a profile (docs/benchmarks.md,
service-p99). For the request an ERP sends thousands of times a
day -- ``Content-Type: application/json``, a valid API key with the role, a party that
validates, no query or only ``max_hits=N`` -- :class:`LeanRoute` parses the body in one
pydantic pass (``model_validate_json``), checks the key, and calls the same endpoint
function. Anything else (no key, a wrong role, malformed JSON, an unknown field, another
content type or query) goes the generic way, so errors, their order and their JSON are
exactly FastAPI's as before; the OpenAPI document comes from the same declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from compliance.errors import ComplianceError
from compliance.service.security import authorize

_JSON_TYPES = frozenset({b"application/json", b"application/json; charset=utf-8"})
_QUERY = re.compile(rb"max_hits=([0-9]{1,9})")


class LeanRoute(APIRoute):
    """An ``APIRoute`` for an endpoint ``(body, request, principal, max_hits)`` whose body is
    a ``lean_body`` and whose callers hold ``lean_role``. Declared with
    ``route_class_override=lean_route(model, role)``."""

    lean_body: type[BaseModel] = BaseModel
    lean_role = ""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        generic = super().get_route_handler()
        endpoint = self.endpoint
        body_model = self.lean_body
        role = self.lean_role

        async def handler(request: Request) -> Response:
            arguments = await _lean_arguments(request, body_model, role)
            if arguments is None:
                return await generic(request)
            body, principal, max_hits = arguments
            response: Response = await endpoint(body, request, principal, max_hits)
            return response

        return handler


def lean_route(body: type[BaseModel], role: str) -> type[LeanRoute]:
    """A :class:`LeanRoute` for bodies of ``body`` whose callers must hold ``role``."""
    return type(f"Lean{body.__name__}Route", (LeanRoute,), {"lean_body": body, "lean_role": role})


async def _lean_arguments(
    request: Request, body_model: type[BaseModel], role: str
) -> tuple[Any, Any, int | None] | None:
    """The endpoint's arguments when the request is the common case, else None."""
    scope = request.scope
    query: bytes = scope.get("query_string", b"")
    max_hits: int | None = None
    if query:
        found = _QUERY.fullmatch(query)
        if found is None:
            return None
        max_hits = int(found.group(1))
    content_type = None
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value.lower()
            break
    if content_type not in _JSON_TYPES:
        return None
    raw = await request.body()
    if not raw:
        return None
    try:
        body = body_model.model_validate_json(raw)
    except ValidationError:
        return None
    try:
        principal = authorize(request, role)
    except ComplianceError:
        return None
    return body, principal, max_hits
