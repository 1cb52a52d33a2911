"""Text of an input file, line by line, with the byte offset of every undecodable byte.

Decoding the whole file strictly would lose every good row for one bad byte (what Excel's
Latin-1 export does to a UTF-8 reader). So lines are decoded one at a time: a line with a
byte that is not valid in the encoding keeps its text (the byte shown as U+FFFD) and
carries the byte's offset, and the reader turns its record into an ``error`` row, or
stops under ``--strict``. The encoding is UTF-8 (BOM or not), UTF-16/32 when the file
starts with their byte-order mark, or what the caller names; it is never guessed
silently. ``charset-normalizer`` only suggests an encoding in the error message.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from compliance.errors import InvalidInputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHUNK = 1 << 20
SNIFF_BYTES = 1 << 16  # bytes read for the BOM and, on a decoding error, the suggestion


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line (its end included) and where its first bad byte is, if any."""

    text: str
    offset: int
    bad_offset: int | None = None
    bad_byte: int | None = None


@dataclass(frozen=True)
class Encoding:
    """The codec a file is read with and how many BOM bytes precede the text."""

    name: str
    bom: int

    @property
    def byte_lines(self) -> bool:
        """True when lines can be split on the byte 0x0A (UTF-8, cp1252, Latin-1, ...)."""
        try:
            return "\n".encode(self.name) == b"\n" and "a".encode(self.name) == b"a"
        except (UnicodeError, LookupError):
            return False


def choose_encoding(head: bytes, requested: str | None) -> Encoding:
    """The BOM's encoding, else ``requested``, else UTF-8; an unknown name is an error."""
    if requested is not None:
        try:
            name = codecs.lookup(requested).name
        except LookupError:
            raise InvalidInputError(
                f"--encoding {requested!r}: unknown encoding (try utf-8, cp1252, latin-1, utf-16)"
            ) from None
        for bom, bom_name in _BOMS:
            if head.startswith(bom) and codecs.lookup(bom_name).name == name:
                return Encoding(name, len(bom))
        if name in ("utf-16", "utf-32"):  # the BOM says which byte order
            for bom, bom_name in _BOMS:
                if head.startswith(bom) and bom_name.startswith(name):
                    return Encoding(bom_name, len(bom))
        if name == "utf-8" and head.startswith(codecs.BOM_UTF8):
            return Encoding(name, 3)
        return Encoding(name, 0)
    for bom, bom_name in _BOMS:
        if head.startswith(bom):
            return Encoding(bom_name, len(bom))
    sample = head[:4096]
    if sample.count(0) * 10 >= len(sample) > 0:
        # UTF-16/32 without a BOM: a NUL beside every ASCII character. A stray NUL in a UTF-8
        # export is not that: its row is an error naming the field (io/parties.py)
        raise InvalidInputError(
            "the file holds NUL bytes: UTF-16 or UTF-32 without a byte-order mark? "
            "name it with --encoding utf-16-le (or utf-16-be)"
        )
    return Encoding("utf-8", 0)


def read_lines(handle: BinaryIO, encoding: Encoding) -> Iterator[Line]:
    """Every line of ``handle`` (positioned at its start), decoded with ``encoding``."""
    handle.seek(encoding.bom)
    if encoding.byte_lines:
        yield from _byte_lines(handle, encoding)
    else:
        yield from _wide_lines(handle, encoding)


def _byte_lines(handle: BinaryIO, encoding: Encoding) -> Iterator[Line]:
    offset = encoding.bom
    for raw in handle:
        try:
            yield Line(raw.decode(encoding.name), offset)
        except UnicodeDecodeError as exc:
            yield Line(
                raw.decode(encoding.name, errors="replace"),
                offset,
                bad_offset=offset + exc.start,
                bad_byte=raw[exc.start],
            )
        offset += len(raw)


def _wide_lines(handle: BinaryIO, encoding: Encoding) -> Iterator[Line]:
    """UTF-16/32: decode in chunks (a bad unit there is fatal: the file is not text)."""
    decoder = codecs.getincrementaldecoder(encoding.name)("strict")
    offset = encoding.bom
    pending = ""
    while True:
        chunk = handle.read(_CHUNK)
        try:
            pending += decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise InvalidInputError(
                f"byte offset {offset + exc.start}: not valid {encoding.name} "
                f"({exc.reason}); the file is damaged or in another encoding (--encoding)"
            ) from None
        offset += len(chunk)
        lines = pending.split("\n")
        pending = lines.pop()
        for text in lines:
            yield Line(text + "\n", -1)
        if not chunk:
            break
    if pending:
        yield Line(pending, -1)


SUGGESTED_ENCODINGS = frozenset(
    {
        "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
        "cp1258", "latin_1", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9",
        "iso8859_15", "mac_roman", "cp437", "cp850", "cp852", "cp866", "koi8_r", "koi8_u",
        "cp932", "shift_jis", "euc_jp", "gb2312", "gbk", "gb18030", "big5", "cp949",
        "euc_kr", "utf_16", "utf_16_le", "utf_16_be",
    }
)  # fmt: skip
"""Encodings that spreadsheets, ERPs and Windows/Mac/Unix locales write. A detector's guess
outside these (cp1006 for two stray bytes) misleads more than it helps, so the message then
names the usual candidates instead."""


def suggest_encoding(sample: bytes) -> str | None:
    """The encoding ``charset-normalizer`` thinks ``sample`` is in, for an error message;
    None when it guesses UTF-8/ASCII or an encoding nobody exports files in."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(sample).best()
    if best is None or best.encoding not in SUGGESTED_ENCODINGS:
        return None
    return str(best.encoding).replace("_", "-")


def undecodable_message(line: Line, encoding: Encoding, suggestion: str | None) -> str:
    """``undecodable byte 0xE9 at byte offset 22 (not utf-8; ...)``."""
    hint = (
        f"the file looks like {suggestion}: rerun with --encoding {suggestion}"
        if suggestion
        else "name the file's encoding with --encoding (e.g. cp1252, latin-1)"
    )
    return (
        f"undecodable byte 0x{line.bad_byte or 0:02X} at byte offset {line.bad_offset} "
        f"(not valid {encoding.name}; {hint})"
    )
