"""Exit codes shared by every subcommand, so a scheduler reads them the same way everywhere.

One convention (README "Exit codes", docs/user-guide.md):

- ``0``: done, nothing to report (all clear; verified; published).
- ``1`` (:data:`EXIT_FATAL`): the command could not do its work (an unreadable input or list,
  an I/O failure), or the check it ran failed (:data:`EXIT_CHECK_FAILED`: a broken audit
  chain, a stale or missing list in use, a refused or failed list update).
- ``2`` (:data:`EXIT_USAGE`): it was called wrongly: a bad option value (argparse's own
  code), or a name that names nothing (an unknown source or snapshot, a database with no
  audit trail).
- Outcome bits, OR-ed together, for the commands that screen or evaluate (``screen``,
  ``evaluate``, ``rescreen``, ``review alerts``, ``review ownership``): ``8``
  (:data:`EXIT_REVIEW`: something needs a person: a review-level hit, or an item found
  subject to the EAR), ``16`` (:data:`EXIT_ALERT`: the stronger condition: an alert, or an
  indeterminate determination), ``32`` (:data:`EXIT_ROW_ERRORS`: some input rows or cases
  could not be processed; the rest were).

- ``130`` / ``143`` (:data:`EXIT_INTERRUPTED` / :data:`EXIT_TERMINATED`, the shell's 128 +
  signal number): ``screen`` was stopped by Ctrl-C or SIGTERM; no file under the output
  name, and the audit trail records the run as incomplete.

No handler returns a bare number but 0: ``tests/cli/test_option_names.py`` checks it.
"""

EXIT_OK = 0
EXIT_FATAL = 1
EXIT_CHECK_FAILED = EXIT_FATAL
EXIT_USAGE = 2
EXIT_REVIEW = 8
EXIT_ALERT = 16
EXIT_ROW_ERRORS = 32
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

EXIT_SUBJECT = EXIT_REVIEW
EXIT_INDETERMINATE = EXIT_ALERT
EXIT_CASE_ERRORS = EXIT_ROW_ERRORS
