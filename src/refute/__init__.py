"""refute: find the tests that cannot fail.

PYTEST_DONT_REWRITE: refute is a pytest plugin (``refute.pytest_plugin``) and also drives
pytest from inside its own process (``refute verify``), where it is imported before pytest
starts. This marker keeps pytest from warning that it cannot rewrite an imported plugin, which
suites with ``filterwarnings = error`` would turn into a failure.
"""

__version__ = "0.1.0"
