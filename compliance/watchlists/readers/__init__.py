"""Readers that turn published restricted-party list files into a ``ListSnapshot``.

One module per format: ``csl_csv`` and ``csl_json`` (trade.gov Consolidated Screening List),
``ofac_csv`` (OFAC SDN and non-SDN legacy CSV sets), ``dpl_txt`` (BIS Denied Persons List),
``un_xml`` (UN Security Council Consolidated List) and ``internal_csv`` (a company's own list).
``compliance.watchlists.load.load_list`` picks the right one. Every reader reports bad rows as
``ReadIssue`` objects and keeps the good rows; a file that is not its format raises
``ListFormatError``.
"""

from compliance.watchlists.readers._common import ListFormatError

__all__ = ["ListFormatError"]
