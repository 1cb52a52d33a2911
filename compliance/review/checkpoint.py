"""Checkpoints of the audit chain: (sequence, hash, recording time), optionally signed.

A hash chain proves that nothing *before* a known record changed, but an attacker with write
access can cut its end or rewrite it from some point on and re-hash. A checkpoint kept
elsewhere (a ticket, an e-mail to the auditor) pins one position: ``verify --checkpoint``
checks that the chain still holds that hash at that sequence number, however many records were
appended since, and lists those records as not covered by it.

Signed checkpoints (Ed25519, the ``cryptography`` package: ``pip install
'compliance[signing]'``) can be kept anywhere, even beside the database: a checkpoint forged
to cover a rewritten chain or a forged append fails the signature check against the public
key the reviewer holds. The key pair is made with :func:`generate_keypair`; the private key
never needs to be on the machine that screens.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from compliance.errors import ConfigurationError, IntegrityError, InvalidInputError
from compliance.review._canonical import canonical_json, utc_iso
from compliance.review.audit import GENESIS, Anchor, head_of, recorded_at_in_tail

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

FORMAT = "compliance-audit-checkpoint/1"


class CheckpointSignature(BaseModel):
    model_config = ConfigDict(frozen=True)

    algorithm: str = "ed25519"
    key_id: str = Field(description="first 16 hex digits of SHA-256 of the raw public key")
    value: str = Field(description="hex signature over the canonical JSON of the other fields")


class Checkpoint(BaseModel):
    """The chain's position at one moment: record ``seq`` has ``hash``."""

    model_config = ConfigDict(frozen=True)

    format: str = FORMAT
    seq: int = Field(ge=0)
    hash: str = Field(min_length=64, max_length=64)
    recorded_at: str | None = Field(description="recording time of record ``seq``")
    taken_at: str = Field(description="when the checkpoint was taken (machine UTC)")
    signature: CheckpointSignature | None = None

    def signed_text(self) -> bytes:
        """The bytes a signature covers: every field but the signature, canonical JSON."""
        return canonical_json(self.model_dump(mode="json", exclude={"signature"})).encode()

    def anchor(self) -> Anchor:
        return Anchor(hash=self.hash, seq=self.seq)

    def to_json(self) -> str:
        return canonical_json(self.model_dump(mode="json", exclude_none=True)) + "\n"


class CheckpointError(IntegrityError):
    """A checkpoint's signature does not verify: it was not made by the trusted key."""


class CheckpointFormatError(InvalidInputError):
    """A file that is not a checkpoint."""


class SigningUnavailable(ConfigurationError):
    """Signing needs the ``cryptography`` package (``pip install 'compliance[signing]'``)."""


def take_checkpoint(db: sqlite3.Connection) -> Checkpoint:
    """The current end of the chain on ``db`` (record 0 / GENESIS for an empty trail)."""
    seq, digest = head_of(db)
    recorded = None
    if seq:
        tail = db.execute(
            "SELECT substr(record, -200) FROM audit_records WHERE seq = ?", (seq,)
        ).fetchone()
        recorded = recorded_at_in_tail(str(tail[0]))
    return Checkpoint(
        seq=seq, hash=digest if seq else GENESIS, recorded_at=recorded, taken_at=utc_iso()
    )


def read_checkpoint(path: Path) -> Checkpoint:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        checkpoint = Checkpoint.model_validate(data)
    except (json.JSONDecodeError, UnicodeDecodeError, ValidationError) as exc:
        raise CheckpointFormatError(f"{path}: not a checkpoint file ({exc})") from exc
    if checkpoint.format != FORMAT:
        raise CheckpointFormatError(f"{path}: unknown checkpoint format {checkpoint.format!r}")
    return checkpoint


# -- signing -------------------------------------------------------------------------------


def _ed25519() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError as exc:
        raise SigningUnavailable(
            "signed checkpoints need the 'cryptography' package: pip install 'compliance[signing]'"
        ) from exc
    return ed25519


def key_id(public_key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate_keypair(private_path: Path, public_path: Path) -> str:
    """Write a new Ed25519 key pair as PEM files (the private one mode 0600); returns its id."""
    private = _ed25519().Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization

    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    for path in (private_path, public_path):
        if path.exists():
            raise InvalidInputError(f"{path}: exists; not overwriting a key")
    private_path.touch(mode=0o600)
    private_path.write_bytes(pem)
    public = private.public_key()
    public_path.write_bytes(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return key_id(public)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    _ed25519()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise InvalidInputError(f"{path}: not an unencrypted PEM private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInputError(f"{path}: not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    _ed25519()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (ValueError, TypeError) as exc:
        raise InvalidInputError(f"{path}: not a PEM public key ({exc})") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInputError(f"{path}: not an Ed25519 key")
    return key


def sign(checkpoint: Checkpoint, private_key: Ed25519PrivateKey) -> Checkpoint:
    unsigned = checkpoint.model_copy(update={"signature": None})
    value = private_key.sign(unsigned.signed_text()).hex()
    signature = CheckpointSignature(key_id=key_id(private_key.public_key()), value=value)
    return unsigned.model_copy(update={"signature": signature})


def check_signature(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> str:
    """The key id if ``checkpoint`` is signed by ``public_key``; else ``CheckpointError``."""
    from cryptography.exceptions import InvalidSignature

    signature = checkpoint.signature
    if signature is None:
        raise CheckpointError("the checkpoint is not signed, but a public key was given")
    expected = key_id(public_key)
    if signature.key_id != expected:
        raise CheckpointError(
            f"the checkpoint names key {signature.key_id}, not the trusted key {expected}"
        )
    try:
        public_key.verify(bytes.fromhex(signature.value), checkpoint.signed_text())
    except (InvalidSignature, ValueError) as exc:
        raise CheckpointError(
            "the checkpoint's signature does not verify with the trusted key: it was altered "
            "or forged"
        ) from exc
    return expected


__all__ = [
    "Checkpoint",
    "CheckpointError",
    "CheckpointFormatError",
    "SigningUnavailable",
    "check_signature",
    "generate_keypair",
    "load_private_key",
    "load_public_key",
    "read_checkpoint",
    "sign",
    "take_checkpoint",
]
