"""One mapping from the library's exception tree to HTTP, and one JSON error shape.

Every error response is ``{"error": {"type", "message", "fields"?, "request_id"}}``; no
stack trace ever leaves the process (unexpected errors are logged with the request id and
answered with a bare 500).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from compliance.errors import (
    ComplianceError,
    ConfigurationError,
    IntegrityError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from compliance.service.state import NotReadyError

log = logging.getLogger("compliance.service")

# most specific first: the first class an error is an instance of decides
STATUS: tuple[tuple[type[ComplianceError], int, str], ...] = (
    (NotReadyError, 503, "not_ready"),
    (InvalidInputError, 422, "invalid_input"),
    (NotFoundError, 404, "not_found"),
    (PermissionDeniedError, 403, "forbidden"),
    (IntegrityError, 409, "integrity"),
    (ConfigurationError, 500, "configuration"),
    (ComplianceError, 400, "compliance_error"),
)


class FieldProblem(BaseModel):
    field: str = Field(description="where: 'name', 'parties.3.aliases.0', 'body'")
    message: str


class ErrorDetail(BaseModel):
    type: str = Field(description="unauthenticated, forbidden, invalid_input, too_large, ...")
    message: str
    fields: list[FieldProblem] | None = None
    request_id: str | None = None


class ErrorBody(BaseModel):
    """Every error response: never a stack trace."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (401, "no API key, or an unknown one"),
        (403, "the key's user lacks the role"),
        (413, "body or batch over the limit"),
        (422, "invalid input: the fields are named"),
        (503, "the lists are still loading"),
        (504, "the per-request timeout ran out"),
    )
}


class RequestTimeoutError(ComplianceError):
    """The request ran longer than the configured per-request timeout: HTTP 504."""


class AuthenticationError(ComplianceError):
    """No credentials, or credentials nobody holds: HTTP 401."""


class FieldError(InvalidInputError):
    """A request field breaks a limit or a rule; ``field`` names it (``parties.3.name``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class PayloadTooLargeError(InvalidInputError):
    """The body or the batch is larger than the service accepts: HTTP 413."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def error_body(
    kind: str, message: str, request: Request, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"type": kind, "message": message}
    if fields:
        error["fields"] = fields
    error["request_id"] = getattr(request.state, "request_id", None)
    return {"error": error}


def status_of(exc: ComplianceError) -> tuple[int, str]:
    if isinstance(exc, AuthenticationError):
        return 401, "unauthenticated"
    if isinstance(exc, PayloadTooLargeError):
        return 413, "too_large"
    if isinstance(exc, RequestTimeoutError):
        return 504, "timeout"
    for cls, status, kind in STATUS:
        if isinstance(exc, cls):
            return status, kind
    return 400, "compliance_error"  # pragma: no cover - ComplianceError is last above


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_fields(errors: list[Any]) -> list[dict[str, str]]:
    """Pydantic / FastAPI validation errors as ``{"field", "message"}``, input never echoed
    (it may be a party name, or megabytes)."""
    out = []
    for e in errors[:20]:
        message = str(e.get("msg", "invalid"))
        field = _location(tuple(e.get("loc", ())))
        if e.get("type") == "json_invalid":
            position = e.get("loc", ("body", "?"))[-1]
            error = e.get("ctx", {}).get("error", "invalid")
            field, message = "body", f"malformed JSON at character {position}: {error}"
        out.append({"field": field, "message": message})
    return out


_MEDIA_MESSAGE = "send the body as JSON with the header Content-Type: application/json"


def _not_json_media(request: Request) -> bool:
    """Whether a request with a body names a media type other than JSON (or none)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return not (media == "application/json" or media.endswith("+json"))


def install(app: FastAPI) -> None:
    """Register the handlers: library errors, validation errors, HTTP errors, the rest."""

    async def compliance_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ComplianceError)
        return compliance_error_response(request, exc)

    def compliance_error_response(request: Request, exc: ComplianceError) -> JSONResponse:
        status, kind = status_of(exc)
        field = getattr(exc, "field", None)
        fields = [{"field": field, "message": getattr(exc, "reason", str(exc))}] if field else None
        headers = {"WWW-Authenticate": 'Bearer realm="compliance"'} if status == 401 else None
        if status >= 500:
            log.error("request %s: %s", getattr(request.state, "request_id", "-"), exc)
        return JSONResponse(
            error_body(kind, str(exc), request, fields), status_code=status, headers=headers
        )

    def refused(request: Request) -> JSONResponse | None:
        """A 401/403 before any word about the body (``security.refusal``)."""
        from compliance.service.security import refusal

        denied = refusal(request)
        if denied is None:
            return None
        return compliance_error_response(request, denied)

    async def request_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError | ValidationError)
        denied = refused(request)
        if denied is not None:
            return denied
        fields = validation_fields(list(exc.errors()))
        if _not_json_media(request) and any(f["field"] == "body" for f in fields):
            # FastAPI reads a body only as JSON when the header says so: name the header
            fields = [{"field": "content-type", "message": _MEDIA_MESSAGE}]
        message = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:3])
        return JSONResponse(error_body("invalid_input", message, request, fields), status_code=422)

    _BODY_NOT_PARSED = "There was an error parsing the body"  # FastAPI's own text

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        if exc.status_code == 400 and exc.detail == _BODY_NOT_PARSED:
            # bytes that are not UTF-8, or JSON nested past the parser's depth
            denied = refused(request)
            if denied is not None:
                return denied
            message = "not JSON text in UTF-8 (or nested too deeply)"
            return JSONResponse(
                error_body(
                    "invalid_input",
                    f"body: {message}",
                    request,
                    [{"field": "body", "message": message}],
                ),
                status_code=422,  # as for any other malformed JSON body
            )
        return JSONResponse(
            error_body(kind, str(exc.detail), request),
            status_code=exc.status_code,
            headers=exc.headers,
        )

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", "-")
        log.exception("request %s failed", request_id)
        return JSONResponse(
            error_body("internal", f"internal error (request {request_id})", request),
            status_code=500,
        )

    app.add_exception_handler(ComplianceError, compliance_error)
    app.add_exception_handler(RequestValidationError, request_validation)
    app.add_exception_handler(ValidationError, request_validation)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
