"""A small ledger library: the code under test of refute's labelled accuracy corpus."""
