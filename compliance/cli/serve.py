"""``compliance serve``: run the HTTP API (needs ``pip install 'compliance[service]'``).

Exit codes: 0 after a clean shutdown; 1 when the service cannot start (bad users file,
port in use); 2 for bad arguments or a missing ``service`` extra.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from compliance.cli.exit_codes import EXIT_FATAL, EXIT_USAGE
from compliance.cli.options import (
    add_db_option,
    add_list_option,
    add_store_option,
    add_workers_option,
)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="run the HTTP API (screen, evaluate, lists, review)",
        description="Serve the library over HTTP (docs/service.md). Put TLS in a reverse "
        "proxy in front; bind to 127.0.0.1 unless the proxy is elsewhere.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    add_store_option(parser)
    add_list_option(
        parser, "serve these list files instead of the store (repeatable; never reloaded)"
    )
    parser.add_argument(
        "--users", type=Path, default=None, help="users file (default: $COMPLIANCE_USERS_FILE)"
    )
    add_db_option(parser, "review database (decisions, audit trail, review queue, sessions)")
    parser.add_argument(
        "--checkpoint",
        type=Path,
        default=None,
        metavar="FILE",
        help="the site's last audit checkpoint, verified on the audit page (default: "
        "review.checkpoint.json beside the review database)",
    )
    parser.add_argument(
        "--checkpoint-key",
        type=Path,
        default=None,
        metavar="PEM",
        help="trusted Ed25519 public key the checkpoint's signature must verify with",
    )
    add_workers_option(
        parser,
        auto=False,
        default=1,
        help="server processes, each mapping the same saved index (default 1; one per core "
        "for throughput: a screener serves one request at a time)",
    )
    parser.add_argument("--max-batch", type=int, default=None, help="parties per batch request")
    parser.add_argument("--max-body", type=int, default=None, help="request body limit, bytes")
    parser.add_argument("--timeout", type=float, default=None, help="per-request timeout, s")
    parser.add_argument(
        "--max-hits",
        type=int,
        default=None,
        metavar="N",
        help="hits per screening result unless a request asks otherwise (?max_hits=N): the "
        "strongest N, the rest counted in hits_omitted (0: every hit; default 10)",
    )
    parser.add_argument(
        "--reload-interval",
        type=float,
        default=60.0,
        help="seconds between checks for new snapshots (0: never; default 60)",
    )
    parser.add_argument(
        "--index-wait",
        type=float,
        default=120.0,
        help="seconds to wait for the saved index of new snapshots (lists import builds "
        "it) before building it in the service (0: at once; default 120)",
    )
    parser.add_argument(
        "--log-party-names",
        action="store_true",
        help="include screened party names in the access log (off by default)",
    )
    parser.add_argument(
        "--audit-screenings",
        action="store_true",
        help="append every screening request to the audit trail",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from compliance.service import ServiceConfig, create_app
        from compliance.service.app import CONFIG_ENV, configure_logging
        from compliance.service.config import SESSION_SECRET_ENV, Limits
    except ModuleNotFoundError as exc:
        print(
            f"compliance serve: {exc.name} is not installed: pip install 'compliance[service]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from compliance.errors import ComplianceError

    overrides = {
        "max_batch": args.max_batch,
        "max_body_bytes": args.max_body,
        "request_timeout_s": args.timeout,
        "max_hits": args.max_hits,
    }
    try:
        limits = Limits(**{k: v for k, v in overrides.items() if v is not None})
        config = ServiceConfig(
            store=args.store,
            lists=tuple(args.lists),
            users_file=args.users,
            review_db=args.db,
            checkpoint=args.checkpoint,
            checkpoint_public_key=args.checkpoint_key,
            limits=limits,
            reload_interval_s=args.reload_interval,
            index_wait_s=args.index_wait,
            log_party_names=args.log_party_names,
            audit_screenings=args.audit_screenings,
            freeze_heap=True,
        )
        app = create_app(config)  # in the parent too: a bad users file stops here
    except ValueError as exc:
        print(f"compliance serve: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ComplianceError as exc:
        print(f"compliance serve: {exc}", file=sys.stderr)
        return EXIT_FATAL
    configure_logging()
    target: Any = app
    if args.workers > 1:
        # uvicorn starts each worker from an import string: the workers rebuild the same
        # config from the environment and share one session secret (review page sign-in)
        os.environ.setdefault(SESSION_SECRET_ENV, secrets.token_urlsafe(32))
        os.environ[CONFIG_ENV] = config.model_dump_json(exclude={"session_secret"})
        target = "compliance.service.app:create_app_from_environment"
    try:
        uvicorn.run(
            target,
            factory=args.workers > 1,
            workers=args.workers,
            host=args.host,
            port=args.port,
            access_log=False,  # the service writes its own JSON access log
            log_config=None,
            timeout_graceful_shutdown=30,
        )
    except OSError as exc:
        print(f"compliance serve: {exc}", file=sys.stderr)
        return EXIT_FATAL
    return 0
