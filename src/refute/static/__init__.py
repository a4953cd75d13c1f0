"""Static analysis: ``refute check`` reads a test suite without running it."""
