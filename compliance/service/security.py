"""API keys (``X-API-Key`` or ``Authorization: Bearer``) checked against the users file
(``compliance.users``: keys stored as SHA-256, roles screen / evaluate / review / admin)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from compliance.errors import ComplianceError, PermissionDeniedError
from compliance.service.errors import AuthenticationError
from compliance.users import Principal


def api_key_of(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def authorize(request: Request, role: str) -> Principal:
    """The caller's principal, which must hold ``role`` (admin holds all); noted on the
    request for the access log. Raises ``AuthenticationError`` (401) or
    ``PermissionDeniedError`` (403)."""
    key = api_key_of(request)
    if key is None:
        raise AuthenticationError("an API key is required (X-API-Key or Bearer)")
    principal: Principal | None = request.app.state.service.users.by_api_key(key)
    if principal is None:
        raise AuthenticationError("unknown API key")
    request.state.principal = principal.name
    if not principal.has_role(role):
        raise PermissionDeniedError(f"{principal.name} lacks the '{role}' role")
    return principal


class RoleRequired:
    """The dependency ``require(role)`` gives: ``authorize(request, role)``. A class, so the
    error handlers can tell which role a route needs (``refusal``)."""

    def __init__(self, role: str) -> None:
        self.role = role

    async def __call__(self, request: Request) -> Principal:
        return authorize(request, self.role)


def require(role: str) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency: ``authorize(request, role)``."""
    return RoleRequired(role)


def refusal(request: Request) -> ComplianceError | None:
    """The 401/403 the request's route would give its caller, or None when the caller may
    use it. A body the parser refuses fails before the route's dependencies run; the error
    handlers ask this first, so a caller without a key learns nothing about the body."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, RoleRequired):
            try:
                authorize(request, dependency.call.role)
            except ComplianceError as exc:
                return exc
    return None
