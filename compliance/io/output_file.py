"""An output file that is checked before the work starts and appears only when complete.

Screening a large batch takes minutes; an output path that turns out to be unwritable at
the end would lose that work. So the folder is checked and a temporary file is created in
it before the first row is screened, results are written to it as they arrive, and it is
renamed to the final name only when the run finishes: an interrupted run leaves no half
file under the final name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TextIO

from compliance.errors import InvalidInputError


class OutputPathError(InvalidInputError, OSError):
    """The output cannot be written there (no such folder, not writable, a folder)."""


class AtomicOutput:
    """A text file written under a temporary name in the target folder, renamed on commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        folder = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            raise OutputPathError(f"--output {path}: is a folder, expected a file name")
        if not folder.is_dir():
            raise OutputPathError(f"--output {path}: folder {folder} does not exist")
        try:
            fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".partial")
        except OSError as exc:
            raise OutputPathError(
                f"--output {path}: cannot write in {folder}: {exc.strerror or exc}"
            ) from None
        self._temp = Path(temp)
        self.stream: TextIO = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        """Flush to disk and move the file to its final name."""
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        mode = 0o666 & ~_umask()
        os.chmod(self._temp, mode)  # mkstemp makes 0600; give the usual permissions
        os.replace(self._temp, self.path)

    def abort(self) -> None:
        """Drop the temporary file; the final name is left as it was."""
        with contextlib.suppress(OSError):
            self.stream.close()
        with contextlib.suppress(FileNotFoundError):
            self._temp.unlink()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
