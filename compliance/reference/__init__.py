"""Reference data shared by every part of the library (one table per fact)."""
