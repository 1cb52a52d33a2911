"""Write the service's OpenAPI document: ``python -m compliance.service.openapi docs/openapi.json``.

The checked-in ``docs/openapi.json`` is compared with a fresh one in the tests, so the
published API description never drifts from the code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from compliance.service.app import create_app
from compliance.service.config import ServiceConfig
from compliance.users import UserDirectory


def openapi_document() -> dict[str, Any]:
    config = ServiceConfig(session_secret=b"openapi-document-only-secret-32b")
    app = create_app(config, users=UserDirectory([]))
    document: dict[str, Any] = app.openapi()
    return document


def openapi_text() -> str:
    return json.dumps(openapi_document(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path("docs/openapi.json")
    target.write_text(openapi_text(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
