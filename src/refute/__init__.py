"""refute: find the tests that cannot fail."""

__version__ = "0.1.0"
