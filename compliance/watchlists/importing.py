"""Local list files for ``lists import``: a folder or files in any order, matched by content.

An air-gapped site copies the OFAC set as it comes: a folder, shell order (``*.csv``), a
renamed download (``sdn (1).csv``). The OFAC files have no header, so each file's role is
read from its first record: 12 columns is the primary file, 5 the aliases, 6 the
addresses, 2 the comments. Files are then staged under the registry's names, so the
snapshot reads exactly as a downloaded one, and a set with a file missing is refused with
the missing file named. Every file must be strict UTF-8, as ``lists update`` demands.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
from collections.abc import Sequence
from pathlib import Path

from compliance.errors import InvalidInputError
from compliance.watchlists.registry import ListSource

#: OFAC legacy CSV: columns of the first record -> position of the file in the registry
#: (primary, aliases, addresses, comments; see lists/sources.yaml).
OFAC_ROLES = {12: 0, 5: 1, 6: 2, 2: 3}
_ROLE_NAMES = ("primary records", "aliases", "addresses", "remarks continued")
_SNIFF = 1 << 16
_OFAC_NAMES = frozenset({"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"})


class ImportFilesError(InvalidInputError):
    """The files given cannot form the source's set (missing, extra, ambiguous, not UTF-8)."""


def candidate_files(paths: Sequence[Path]) -> list[tuple[Path, bool]]:
    """Every file named or inside a named folder, with whether it was named explicitly."""
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            if not inside:
                raise ImportFilesError(f"{path}: folder holds no files")
            found += [(p, False) for p in inside]
        elif path.is_file():
            found.append((path, True))
        else:
            raise ImportFilesError(f"{path}: no such file or folder")
    return found


def match_files(source: ListSource, paths: Sequence[Path]) -> list[tuple[str, Path]]:
    """``(registry file name, local path)`` for every file of ``source``, in registry order."""
    names = [f.name for f in source.files]
    candidates = candidate_files(paths)
    if source.format != "ofac-csv":
        return _match_by_name(source, names, candidates)
    chosen: dict[int, list[Path]] = {}
    for path, explicit in candidates:
        role = _ofac_role(path)
        if role is None:
            if explicit:
                raise ImportFilesError(
                    f"{path}: not a file of the OFAC CSV set (its first record has no "
                    "12, 5, 6 or 2 columns)"
                )
            continue
        if not explicit and path.name.lower() not in names and _other_set(path.name):
            continue  # a folder holding both OFAC sets: take this source's own files
        chosen.setdefault(role, []).append(path)
    result: list[tuple[str, Path]] = []
    missing: list[str] = []
    for role, name in enumerate(names):
        found = chosen.get(role, [])
        if len(found) > 1:
            exact = [p for p in found if p.name.lower() == name]
            if len(exact) != 1:
                shown = ", ".join(str(p) for p in found)
                raise ImportFilesError(
                    f"{source.name}: several files look like {name} ({_ROLE_NAMES[role]}): "
                    f"{shown}; give one"
                )
            found = exact
        if not found:
            missing.append(f"{name} ({_ROLE_NAMES[role]})")
        else:
            result.append((name, found[0]))
    if missing:
        raise ImportFilesError(
            f"{source.name}: the set is incomplete, missing {', '.join(missing)}; "
            f"a snapshot needs all of {', '.join(names)} from the same download"
        )
    return result


def _match_by_name(
    source: ListSource, names: list[str], candidates: list[tuple[Path, bool]]
) -> list[tuple[str, Path]]:
    """Single-file sources: the one file given, or the registry's name inside a folder."""
    if len(names) != 1:  # pragma: no cover - only OFAC sources have several files today
        raise ImportFilesError(f"{source.name}: multi-file format {source.format} not matched")
    if len(candidates) == 1:
        return [(names[0], candidates[0][0])]
    named = [p for p, _ in candidates if p.name.lower() == names[0]]
    if len(named) == 1:
        return [(names[0], named[0])]
    shown = ", ".join(str(p) for p, _ in candidates)
    raise ImportFilesError(f"{source.name}: expected one file ({names[0]}), got {shown}")


def _other_set(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("cons_") or lowered in (
        "sdn.csv",
        "alt.csv",
        "add.csv",
        "sdn_comments.csv",
    )


def _ofac_role(path: Path) -> int | None:
    """The role of an OFAC file from the width of its first record, if it is one."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        first = next(csv.reader(io.StringIO(text, newline="")), None)
    except csv.Error:
        return None
    if not first:
        return None
    return OFAC_ROLES.get(len(first))


def check_utf8(path: Path, name: str) -> str | None:
    """Why ``path`` is not strict UTF-8 (the rule ``lists update`` applies), else None."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return (
                    f"{name}: not valid UTF-8 at byte offset {offset + exc.start} "
                    f"(byte 0x{chunk[exc.start]:02X}); every official file is UTF-8"
                )
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return f"{name}: not valid UTF-8 at the end of the file (truncated?)"
    return None


def stage(matched: Sequence[tuple[str, Path]], staging: Path) -> list[Path]:
    """Copy the files into ``staging`` under their registry names; the copies' paths."""
    staging.mkdir(parents=True, exist_ok=True)
    copies = []
    for name, path in matched:
        target = staging / name
        shutil.copyfile(path, target)
        copies.append(target)
    return copies
