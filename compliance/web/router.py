"""The review pages as one FastAPI router: queue, hit, search, lists, audit, sign-in.

Each handler reads its input, calls one library function (``compliance.review.queue``,
``compliance.review.history``, the screener, the audit log) and renders a template; no
decision, state or policy is computed here. Failures from the library's exception tree are
mapped once, in :class:`_route_class`, to pages with a message and a status code.
"""

import hmac
import io
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, date, datetime
from datetime import time as dtime
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from compliance._sqlite import connect_readonly
from compliance.errors import (
    ComplianceError,
    IntegrityError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from compliance.review.audit import (
    Anchor,
    AuditChainError,
    AuditLog,
    export_jsonl,
    screening_event,
)
from compliance.review.decisions import DecisionStore, Verdict
from compliance.review.history import DecisionFilters, find_decisions
from compliance.review.queue import QueueFilters, ReviewQueue, screen_into_queue
from compliance.review.suppression import HitState
from compliance.review.verify import (
    current_checkpoint,
    keep_checkpoint,
    kept_checkpoint_path,
    verify_kept_checkpoint,
    verify_store,
)
from compliance.screening.results import Party, Status
from compliance.text_input import control_character
from compliance.users import Principal
from compliance.watchlists.lookup import EntryLookup
from compliance.watchlists.status import snapshot_age_days
from compliance.web.context import WebContext, status_row
from compliance.web.render import make_environment
from compliance.web.session import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Session,
    SessionRevocations,
    SessionSigner,
    new_login_token,
)

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STATIC_FILES = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}
MAX_SEARCH_NAME = 1000
MAX_SQLITE_INT = 2**63 - 1
QueueItemId = Annotated[int, PathParam(ge=0, le=MAX_SQLITE_INT, description="queue item")]
MAX_REASON = 2000


class _SignInRequired(Exception):
    """No valid session: the handler answers with a redirect to the sign-in page."""


class _Refused(Exception):
    """A POST without a valid CSRF token or from another origin."""


def create_router(context: WebContext) -> APIRouter:
    """The review pages over ``context``; the service mounts it (e.g. at ``/ui``)."""
    pages = _Pages(context)
    router = APIRouter(route_class=pages.route_class(), include_in_schema=False)
    pages.register(router)
    return router


class _Pages:
    def __init__(self, context: WebContext) -> None:
        self.context = context
        self.env = make_environment()
        self.signer = SessionSigner(
            context.session_secret, revocations=SessionRevocations(context.review_db)
        )
        self._lookup: tuple[object, EntryLookup] | None = None

    # -- plumbing --------------------------------------------------------------------------

    def route_class(self) -> type[APIRoute]:
        pages = self

        class WebRoute(APIRoute):
            def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
                original = super().get_route_handler()

                async def handler(request: Request) -> Response:
                    started = time.perf_counter()
                    response: Response
                    try:
                        response = await original(request)
                    except _SignInRequired:
                        target = pages.url(request, "login", next=request.url.path)
                        response = RedirectResponse(target, status_code=303)
                    except _Refused as exc:
                        response = pages.error(request, 403, str(exc))
                    except RequestValidationError as exc:
                        response = pages.error(request, 400, _validation_message(exc))
                    except StarletteHTTPException as exc:  # e.g. a form part over its size
                        response = pages.error(request, exc.status_code, str(exc.detail))
                    except ComplianceError as exc:
                        response = pages.error(request, _status_of(exc), str(exc))
                    spent = (time.perf_counter() - started) * 1000
                    response.headers["Server-Timing"] = f"app;dur={spent:.1f}"
                    for name, value in SECURITY_HEADERS.items():
                        response.headers.setdefault(name, value)
                    response.headers.setdefault("Cache-Control", "no-store")
                    return response

                return handler

        return WebRoute

    def url(self, request: Request, route: str, /, **query: object) -> str:
        path_params = {k: v for k, v in query.items() if k in ("item", "name")}
        rest = {k: v for k, v in query.items() if k not in path_params and v not in (None, "")}
        path = request.url_for(route, **{k: str(v) for k, v in path_params.items()}).path
        return f"{path}?{urlencode(rest)}" if rest else path

    def session(self, request: Request) -> Session | None:
        return self.signer.read(request.cookies.get(SESSION_COOKIE))

    def principal(self, request: Request) -> Principal:
        session = self.session(request)
        if session is None:
            raise _SignInRequired
        users = {u.name: u for u in self.context.users.users}
        user = users.get(session.user)
        if user is None:
            raise _SignInRequired
        request.state.session = session
        return user.principal

    def check_post(self, request: Request, csrf: str) -> Session:
        """A state-changing request: same origin, a live session and its CSRF token."""
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
            raise _Refused("request refused: it came from another site")
        session = self.session(request)
        if session is None:
            raise _SignInRequired
        if not self.signer.check_csrf(session, csrf):
            raise _Refused(
                "request refused: the form's security token is missing or out of date "
                "(reload the page and try again)"
            )
        return session

    def render(
        self,
        request: Request,
        template: str,
        status_code: int = 200,
        **values: Any,
    ) -> HTMLResponse:
        session: Session | None = getattr(request.state, "session", None)
        user: Principal | None = values.pop("user", None)

        def url(route: str, /, **query: object) -> str:
            return self.url(request, route, **query)

        body = self.env.get_template(template).render(
            url=url,
            user=user,
            csrf=self.signer.csrf_token(session) if session is not None else "",
            metadata=values.pop("metadata", None),
            **values,
        )
        return HTMLResponse(body, status_code=status_code)

    def error(self, request: Request, status_code: int, message: str) -> HTMLResponse:
        titles = {400: "Not accepted", 403: "Not allowed", 404: "Not found", 409: "Conflict"}
        return self.render(
            request,
            "error.html",
            status_code,
            title=titles.get(status_code, "Error"),
            message=message,
            page="",
        )

    def kept_checkpoint(self) -> Path:
        """The file holding the site's last checkpoint (configured, else the default)."""
        configured = self.context.checkpoint_file
        return (
            configured if configured is not None else kept_checkpoint_path(self.context.review_db)
        )

    def lookup(self) -> EntryLookup:
        screener = self.context.current_screener()
        if self._lookup is None or self._lookup[0] is not screener:
            self._lookup = (screener, EntryLookup(screener.snapshots))
        return self._lookup[1]

    # -- routes ----------------------------------------------------------------------------

    def register(self, router: APIRouter) -> None:
        pages = self
        Principal_ = Annotated[Principal, Depends(self.principal)]

        @router.get("/static/{name}", name="static")
        def static(name: str) -> Response:
            media = STATIC_FILES.get(name)
            if media is None:
                raise NotFoundError(f"no static file {name[:60]!r}")
            data = resources.files("compliance.web").joinpath("static", name).read_bytes()
            return Response(data, media_type=media, headers={"Cache-Control": "max-age=300"})

        @router.get("/login", name="login")
        def login_form(
            request: Request, next: Annotated[str, Query(max_length=2000)] = ""
        ) -> Response:
            token = new_login_token()
            response = pages.render(
                request, "login.html", token=token, next=_local(next), failed=False, page="login"
            )
            _set_cookie(response, LOGIN_COOKIE, token, max_age=1800)
            return response

        @router.post("/login", name="login_post")
        def login(
            request: Request,
            username: Annotated[str, Form(max_length=200)] = "",
            password: Annotated[str, Form(max_length=1000)] = "",
            token: Annotated[str, Form(max_length=200)] = "",
            next: Annotated[str, Form(max_length=2000)] = "",
        ) -> Response:
            expected = request.cookies.get(LOGIN_COOKIE, "")
            if not token or not expected or not _same(token, expected):
                raise _Refused("sign-in refused: the form's security token is missing")
            principal = pages.context.users.by_password(username.strip(), password)
            if principal is None:
                fresh = new_login_token()
                refused = pages.render(
                    request,
                    "login.html",
                    401,
                    token=fresh,
                    next=_local(next),
                    failed=True,
                    page="login",
                )
                _set_cookie(refused, LOGIN_COOKIE, fresh, max_age=1800)
                return refused
            cookie, _ = pages.signer.issue(principal.name)
            target = _local(next) or pages.url(request, "queue")
            if not principal.has_role("review") and target == pages.url(request, "queue"):
                target = pages.url(request, "search")
            response = RedirectResponse(target, status_code=303)
            _set_cookie(response, SESSION_COOKIE, cookie, max_age=pages.signer.lifetime)
            response.delete_cookie(LOGIN_COOKIE, path="/")
            return response

        @router.post("/logout", name="logout")
        def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
            session = pages.check_post(request, csrf)
            pages.signer.revoke(session)
            response = RedirectResponse(pages.url(request, "login"), status_code=303)
            response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True)
            return response

        @router.get("/", name="queue")
        def queue_page(
            request: Request,
            user: Principal_,
            filters: Annotated[QueueFilters, Depends(_filters_from_query)],
            after: Annotated[str, Query(max_length=200)] = "",
            before: Annotated[str, Query(max_length=200)] = "",
            done: Annotated[int | None, Query(ge=0, le=MAX_SQLITE_INT)] = None,
        ) -> Response:
            _need(user, "review", "see the review queue")
            with ReviewQueue(pages.context.review_db) as queue:
                page = queue.page(filters, after=after or None, before=before or None)
                counts = queue.counts()
                lists = queue.lists()
            return pages.render(
                request,
                "queue.html",
                user=user,
                page="queue",
                items=page.items,
                next_cursor=page.next_cursor,
                prev_cursor=page.prev_cursor,
                counts=counts,
                lists=sorted(set(lists)),
                filters=filters,
                filter_query=_filter_query(filters),
                done=done,
                states=[s.value for s in HitState],
            )

        @router.get("/hit/{item}", name="hit")
        def hit_page(
            request: Request,
            user: Principal_,
            item: QueueItemId,
            filters: Annotated[QueueFilters, Depends(_filters_from_query)],
            done: Annotated[int | None, Query(ge=0, le=MAX_SQLITE_INT)] = None,
        ) -> Response:
            _need(user, "review", "see the review queue")
            return pages.hit_view(request, user, item, filters, done=done)

        @router.post("/hit/{item}/decide", name="decide")
        def decide_post(
            request: Request,
            user: Principal_,
            item: QueueItemId,
            filters: Annotated[QueueFilters, Depends(_filters_from_form)],
            csrf: Annotated[str, Form(max_length=200)] = "",
            verdict: Annotated[str, Form(max_length=40)] = "",
            reason: Annotated[str, Form(max_length=MAX_REASON)] = "",
            expires: Annotated[str, Form(max_length=40)] = "",
        ) -> Response:
            pages.check_post(request, csrf)
            _need(user, "review", "record decisions")
            _plain(reason, "reason", allowed="\t\r\n")
            try:
                chosen = Verdict(verdict)
            except ValueError:
                return pages.hit_view(
                    request, user, item, filters, problem="choose a verdict", reason=reason
                )
            if not reason.strip():
                return pages.hit_view(
                    request, user, item, filters, problem="give a reason", reason=reason
                )
            try:
                until = _expiry(expires) if chosen is Verdict.FALSE_POSITIVE else None
                with ReviewQueue(pages.context.review_db) as queue:
                    decision = queue.decide(
                        item, chosen, reviewer=user.name, reason=reason, expires=until
                    )
                    following = queue.first_open(filters)
            except InvalidInputError as exc:
                return pages.hit_view(request, user, item, filters, problem=str(exc), reason=reason)
            query = {**_filter_query(filters), "done": decision.seq}
            if following is None:
                return RedirectResponse(pages.url(request, "queue", **query), status_code=303)
            return RedirectResponse(
                pages.url(request, "hit", item=following.item, **query), status_code=303
            )

        @router.get("/search", name="search")
        def search_form(request: Request, user: Principal_) -> Response:
            _need(user, "screen", "search")
            return pages.render(
                request,
                "search.html",
                user=user,
                page="search",
                result=None,
                name="",
                country="",
                queued=None,
                entries={},
            )

        @router.post("/search", name="search_post")
        def search(
            request: Request,
            user: Principal_,
            csrf: Annotated[str, Form(max_length=200)] = "",
            name: Annotated[str, Form(max_length=20_000)] = "",
            country: Annotated[str, Form(max_length=100)] = "",
            queue: Annotated[str, Form(max_length=10)] = "",
        ) -> Response:
            pages.check_post(request, csrf)
            _need(user, "screen", "search")
            if queue:
                _need(user, "review", "add hits to the review queue")
            name = _plain(name, "name").strip()
            _plain(country, "country")
            if not name:
                raise InvalidInputError("name: give a name to screen")
            if len(name) > MAX_SEARCH_NAME:
                raise InvalidInputError(
                    f"name: {len(name):,} characters; the search takes at most {MAX_SEARCH_NAME:,}"
                )
            party = Party(name=name, country=country.strip() or None)
            result = pages.context.current_screener().screen(party)
            # Every ad-hoc screening is evidence: audited, and queued only on request.
            queued: int | None = None
            if queue:
                queued = screen_into_queue(pages.context.review_db, [result], actor=user.name)
            else:
                with AuditLog(pages.context.review_db) as log:
                    log.append_many([screening_event([result], actor=user.name)])
            lookup = pages.lookup()
            entries = {(h.list, h.entry_id): lookup.get(h.list, h.entry_id) for h in result.hits}
            return pages.render(
                request,
                "search.html",
                user=user,
                page="search",
                result=result,
                name=name,
                country=country,
                queued=queued,
                entries=entries,
                metadata=pages.context.screening_metadata(),
            )

        @router.get("/lists", name="lists")
        def lists_page(request: Request, user: Principal_) -> Response:
            screener = pages.context.current_screener()
            now = datetime.now(UTC)
            in_use = [
                {"snapshot": s, "age_days": snapshot_age_days(s, now)} for s in screener.snapshots
            ]
            rows = [status_row(r) for r in pages.context.lists_status()]
            return pages.render(
                request,
                "lists.html",
                user=user,
                page="lists",
                in_use=in_use,
                rows=rows,
                metadata=pages.context.screening_metadata(),
            )

        @router.get("/audit", name="audit")
        def audit_page(
            request: Request,
            user: Principal_,
            head: Annotated[str, Query(max_length=64)] = "",
            at: Annotated[str, Query(max_length=12)] = "",
            reviewer: Annotated[str, Query(max_length=200)] = "",
            verdict: Annotated[str, Query(max_length=20)] = "",
            list: Annotated[str, Query(max_length=40)] = "",
            counterparty: Annotated[str, Query(max_length=500)] = "",
            since: Annotated[str, Query(max_length=10)] = "",
            until: Annotated[str, Query(max_length=10)] = "",
        ) -> Response:
            _need(user, "review", "see the audit trail")
            try:
                filters = DecisionFilters(
                    reviewer=reviewer or None,
                    verdict=Verdict(verdict) if verdict else None,
                    list=list or None,
                    counterparty_id=counterparty or None,
                    since=_day_start(since, "since") if since else None,
                    until=_day_end(until, "until") if until else None,
                )
            except ValueError as exc:
                raise InvalidInputError(f"filters: {exc}") from exc
            anchor = _anchor(head, at)
            db = pages.context.review_db
            # read-only: the chain, the decisions it proves, the append-only triggers, and
            # the site's last checkpoint (one walk of the chain when no head is given)
            kept = verify_kept_checkpoint(
                db, pages.kept_checkpoint(), pages.context.checkpoint_public_key
            )
            report = kept.report if anchor is None else None
            if report is None:
                try:
                    report = verify_store(db, anchor=anchor)
                except NotFoundError:
                    report = None  # no audit trail yet: nothing to call OK
            history = None
            if report is not None:
                with DecisionStore.open_readonly(pages.context.review_db) as store:
                    history = find_decisions(store, filters)
            return pages.render(
                request,
                "audit.html",
                user=user,
                page="audit",
                report=report,
                kept=kept,
                expected_head=head,
                expected_at=at,
                history=history,
                filters=filters,
                verdicts=[v.value for v in Verdict],
                query={
                    "reviewer": reviewer,
                    "verdict": verdict,
                    "list": list,
                    "counterparty": counterparty,
                    "since": since,
                    "until": until,
                },
            )

        @router.post("/audit/checkpoint", name="keep_checkpoint")
        def keep_checkpoint_post(
            request: Request, user: Principal_, csrf: Annotated[str, Form(max_length=200)] = ""
        ) -> Response:
            pages.check_post(request, csrf)
            _need(user, "review", "keep a checkpoint")
            keep_checkpoint(pages.context.review_db, pages.kept_checkpoint())
            return RedirectResponse(pages.url(request, "audit"), status_code=303)

        @router.get("/audit/checkpoint.json", name="export_checkpoint")
        def export_checkpoint(request: Request, user: Principal_) -> Response:
            _need(user, "review", "take a checkpoint")
            checkpoint = current_checkpoint(pages.context.review_db)
            return Response(
                checkpoint.to_json(),
                media_type="application/json; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="checkpoint.json"'},
            )

        @router.get("/audit/audit.jsonl", name="export_audit")
        def export_audit(request: Request, user: Principal_) -> Response:
            _need(user, "review", "export the audit trail")
            out = io.StringIO()
            db = connect_readonly(pages.context.review_db)
            try:
                report = export_jsonl(db, out)  # verifies first; a broken chain is refused
            except AuditChainError as exc:
                raise IntegrityError(f"{exc}: not exported") from exc
            finally:
                db.close()
            return Response(
                out.getvalue(),
                media_type="application/x-ndjson; charset=utf-8",
                headers={
                    "Content-Disposition": 'attachment; filename="audit.jsonl"',
                    "X-Audit-Head": report.head,
                },
            )

        @router.get("/audit/decisions.jsonl", name="export_decisions")
        def export_decisions(request: Request, user: Principal_) -> Response:
            _need(user, "review", "export decisions")
            out = io.StringIO()
            with (
                AuditLog(pages.context.review_db) as log,
                DecisionStore(log.path, audit=log) as store,
            ):
                store.export_jsonl(out)
            return Response(
                out.getvalue(),
                media_type="application/x-ndjson; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="decisions.jsonl"'},
            )

    def hit_view(
        self,
        request: Request,
        user: Principal,
        item: int,
        filters: QueueFilters,
        *,
        problem: str | None = None,
        reason: str = "",
        done: int | None = None,
    ) -> HTMLResponse:
        with ReviewQueue(self.context.review_db) as queue:
            entry = queue.get(item)
            history = queue.decisions.history(entry.key)
            earlier = queue.decisions.earlier_versions(entry.key)
            related = queue.related(entry)
        listed = self.lookup().get(entry.hit.list, entry.hit.entry_id)
        return self.render(
            request,
            "hit.html",
            400 if problem else 200,
            user=user,
            page="queue",
            entry=entry,
            hit=entry.hit,
            party=entry.party,
            listed=listed,
            listed_current=listed is not None and listed.content_hash() == entry.hit.entry_hash,
            history=history,
            earlier=earlier,
            related=related,
            problem=problem,
            reason=reason,
            done=done,
            filters=filters,
            filter_query=_filter_query(filters),
            can_decide=user.has_role("review"),
            verdicts=[v.value for v in Verdict],
        )


# -- helpers -----------------------------------------------------------------------------


def _need(user: Principal, role: str, what: str) -> None:
    if not user.has_role(role):
        raise PermissionDeniedError(f"{user.name} may not {what}: the '{role}' role is needed")


def _status_of(exc: ComplianceError) -> int:
    if isinstance(exc, PermissionDeniedError):
        return 403
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, IntegrityError):
        return 409
    if isinstance(exc, InvalidInputError):
        return 400
    return 500


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{loc or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid"


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def _local(target: str) -> str:
    """Only a path on this site may be a redirect target (no open redirect)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return ""
    if any(ord(c) < 0x20 for c in target):
        return ""
    return target


def _set_cookie(response: Response, name: str, value: str, *, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )


def _state(value: str) -> HitState:
    try:
        return HitState(value)
    except ValueError:
        raise InvalidInputError(f"state: {value[:20]!r} is not a queue state") from None


def _plain(value: str, field: str, *, allowed: str = "\t") -> str:
    """``value`` unless it holds a control character (refused, the field named)."""
    problem = control_character(value, allowed=allowed)
    if problem is not None:
        raise InvalidInputError(f"{field}: {problem}")
    return value


def _filters_from_query(
    state: Annotated[str, Query(max_length=20)] = "open",
    list: Annotated[str, Query(max_length=40)] = "",
    level: Annotated[str, Query(max_length=10)] = "",
    counterparty: Annotated[str, Query(max_length=500)] = "",
    reviewer: Annotated[str, Query(max_length=200)] = "",
) -> QueueFilters:
    """The queue filters of a page's query string (the queue and hit pages share them)."""
    return _queue_filters(_state(state), list, level, counterparty, reviewer)


def _filters_from_form(
    f_state: Annotated[str, Form(max_length=20)] = "open",
    f_list: Annotated[str, Form(max_length=40)] = "",
    f_level: Annotated[str, Form(max_length=10)] = "",
    f_counterparty: Annotated[str, Form(max_length=500)] = "",
    f_reviewer: Annotated[str, Form(max_length=200)] = "",
) -> QueueFilters:
    """The same filters carried through the decision form, to find the next item."""
    return _queue_filters(_state(f_state), f_list, f_level, f_counterparty, f_reviewer)


def _queue_filters(
    state: HitState, list_code: str, level: str, counterparty: str, reviewer: str
) -> QueueFilters:
    for value, field in (
        (list_code, "list"),
        (counterparty, "counterparty"),
        (reviewer, "reviewer"),
    ):
        _plain(value, field)
    try:
        return QueueFilters(
            state=state,
            list=list_code.strip() or None,
            level=Status(level) if level else None,
            counterparty=counterparty.strip() or None,
            reviewer=reviewer.strip() or None,
        )
    except (ValueError, ValidationError):
        raise InvalidInputError(f"level: {level[:10]!r} is not alert or review") from None


def _filter_query(filters: QueueFilters) -> dict[str, str]:
    query = {
        "state": filters.state.value if filters.state is not HitState.OPEN else "",
        "list": filters.list or "",
        "level": filters.level.value if filters.level is not None else "",
        "counterparty": filters.counterparty or "",
        "reviewer": filters.reviewer or "",
    }
    return {k: v for k, v in query.items() if v}


def _anchor(head: str, at: str) -> Anchor | None:
    """A head hash (and optionally its record number) kept elsewhere, from the audit form."""
    digest = head.strip().lower()
    if not digest:
        return None
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise InvalidInputError("head: a SHA-256 hash is 64 hexadecimal digits")
    try:
        seq = int(at) if at.strip() else None
    except ValueError:
        raise InvalidInputError(f"at: {at[:12]!r} is not a record number") from None
    return Anchor(hash=digest, seq=seq)


def _expiry(text: str) -> datetime | None:
    """An expiry date from the form: the suppression lapses at 00:00 UTC that day."""
    if not text.strip():
        return None
    return _day_start(text.strip(), "expires")


def _day_start(text: str, field: str) -> datetime:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"{field}: {text[:20]!r} is not a date (YYYY-MM-DD)") from None
    return datetime.combine(day, dtime.min, tzinfo=UTC)


def _day_end(text: str, field: str) -> datetime:
    return datetime.combine(_day_start(text, field).date(), dtime.max, tzinfo=UTC)
