"""The review pages: a queue of hits, the evidence beside each, decisions into the audit trail.

Server-rendered (Jinja2 templates and static files in this package, no JavaScript build),
served by the HTTP service: ``app.include_router(create_router(context), prefix="/ui")``.
Needs the ``service`` extra (FastAPI, Jinja2, python-multipart); importing the core library
never imports this package.
"""

from compliance.web.context import StaticWebContext, WebContext
from compliance.web.router import create_router

__all__ = ["StaticWebContext", "WebContext", "create_router"]
