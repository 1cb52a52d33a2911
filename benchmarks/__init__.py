"""Quality and speed harnesses for the screening engine (never run inside the test suite)."""
