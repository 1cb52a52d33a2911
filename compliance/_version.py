"""The library version; every screening result and determination names it."""

__version__ = "0.1.0"
