"""The one-line account of a batch run and what its exit code means.

A newcomer running the README's job sees exit code 56 and no explanation; a scheduler
needs the bits. The summary line names both, with the counts and the lists screened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compliance.screening.results import ScreeningResult, Status

EXIT_REVIEW = 8
EXIT_ALERT = 16
EXIT_ROW_ERRORS = 32
_MEANING = (
    (EXIT_REVIEW, "a row needs review"),
    (EXIT_ALERT, "a row alerted"),
    (EXIT_ROW_ERRORS, "a row could not be screened"),
)


@dataclass
class BatchSummary:
    """Counts per status, kept as results stream past."""

    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))

    def add(self, result: ScreeningResult) -> None:
        self.counts[result.status] += 1

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def exit_code(self) -> int:
        """0 when every row is clear, else the sum of 8 (review), 16 (alert), 32 (error)."""
        code = 0
        if self.counts[Status.REVIEW]:
            code |= EXIT_REVIEW
        if self.counts[Status.ALERT]:
            code |= EXIT_ALERT
        if self.counts[Status.ERROR]:
            code |= EXIT_ROW_ERRORS
        return code

    def line(self, lists: str) -> str:
        """``screened 21 rows: 12 clear, 1 review, 7 alert, 1 error; lists: ...; exit 56 =
        8 (a row needs review) + 16 (...) + 32 (...)``."""
        parts = ", ".join(f"{self.counts[s]} {s.value}" for s in Status)
        code = self.exit_code
        if code == 0:
            meaning = "exit 0: every row is clear"
        else:
            bits = " + ".join(f"{bit} ({text})" for bit, text in _MEANING if code & bit)
            meaning = f"exit {code} = {bits}: a result for every row (README, 'Exit codes')"
        return f"screened {self.rows} rows: {parts}; lists: {lists}; {meaning}"
