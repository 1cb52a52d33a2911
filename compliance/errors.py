"""One exception tree for the library, so every door maps failures once.

Every error the library raises on purpose derives from :class:`ComplianceError`. Concrete
errors also derive from the matching built-in (``ValueError``, ``LookupError``, ``OSError``)
so existing ``except ValueError`` callers keep working. The doors map the branches once:
exit codes in ``compliance.cli``, HTTP status codes in ``compliance.service``.

- :class:`InvalidInputError`: the caller's data is wrong (a row, a field, a case): exit 32
  for a row, 2 for a whole file; HTTP 422.
- :class:`NotFoundError`: a named thing does not exist (a snapshot, a store, an entry):
  exit 2; HTTP 404.
- :class:`IntegrityError`: stored data fails a check (a broken audit chain, a corrupt
  snapshot or index): exit 1; HTTP 409 (or 500 for the service's own data).
- :class:`ConfigurationError`: the installation is set up wrongly (settings, users file):
  exit 2; HTTP 500.
- :class:`PermissionDeniedError`: a principal lacks a role: HTTP 403.
"""

from __future__ import annotations


class ComplianceError(Exception):
    """Root of every error the library raises on purpose."""


class InvalidInputError(ComplianceError, ValueError):
    """The caller's input is wrong; the message names the row and field where known."""


class NotFoundError(ComplianceError, LookupError):
    """A named resource (snapshot, store, entry, source) does not exist."""


class IntegrityError(ComplianceError):
    """Stored data fails a check; nothing derived from it may be acted on."""


class ConfigurationError(ComplianceError, ValueError):
    """The installation's settings are wrong (a users file, a registry, a policy file)."""


class PermissionDeniedError(ComplianceError, PermissionError):
    """A principal is not allowed to do what it asked."""


__all__ = [
    "ComplianceError",
    "ConfigurationError",
    "IntegrityError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
]
