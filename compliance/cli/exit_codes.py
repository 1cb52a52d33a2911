"""Exit codes shared by every subcommand, so a scheduler reads them the same way everywhere.

Outcome bits are OR-ed together: 8 (something needs a person: a review-level hit, or an item
found subject to the EAR), 16 (the stronger condition: an alert, or an indeterminate
determination), 32 (some input rows or cases could not be processed; the rest were). 1 means
the command could not run at all, 2 that it was called wrongly (argparse's own code).
``compliance audit verify`` uses 1 for a broken chain and 2 for a trail it cannot read.
130 and 143 (the shell's 128 + signal number) say a run was stopped by Ctrl-C or SIGTERM.
"""

EXIT_FATAL = 1
EXIT_USAGE = 2
EXIT_REVIEW = 8
EXIT_ALERT = 16
EXIT_ROW_ERRORS = 32
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

EXIT_SUBJECT = EXIT_REVIEW
EXIT_INDETERMINATE = EXIT_ALERT
EXIT_CASE_ERRORS = EXIT_ROW_ERRORS
