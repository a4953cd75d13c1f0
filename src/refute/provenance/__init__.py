"""Provenance of tests, the sign-off ledger and the pull-request gate."""
