"""Reading counterparties from files and writing screening results to files."""
