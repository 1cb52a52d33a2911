"""Delta re-screening: a counterparty store and re-screening only what a list update affects."""

from compliance.rescreen.delta import AlertChange, RescreenReport, rescreen
from compliance.rescreen.store import CounterpartyError, CounterpartyStore

__all__ = ["AlertChange", "CounterpartyError", "CounterpartyStore", "RescreenReport", "rescreen"]
