"""``compliance serve``: the HTTP door over the library (FastAPI + uvicorn, extra ``service``).

Install with ``pip install 'compliance[service]'``. Nothing here decides anything: each
endpoint converts the request to the library's pydantic models, calls one library function
and returns the library's models. See docs/service.md.
"""

from compliance.service.app import create_app
from compliance.service.config import ServiceConfig

__all__ = ["ServiceConfig", "create_app"]
