"""refute: find the tests that cannot fail.

PYTEST_DONT_REWRITE: refute is a pytest plugin (``refute.pytest_plugin``) and also drives
pytest from inside its own process (``refute verify``), where it is imported before pytest
starts. This marker keeps pytest from warning that it cannot rewrite an imported plugin, which
suites with ``filterwarnings = error`` would turn into a failure.
"""

import functools
import os

__version__ = "0.1.0"


def build_id(package: str | None = None) -> str:
    """refute's version and a hash of its own source files (those under ``package``,
    default: this package's directory, hashed once per process). Cached results are keyed by
    it, so that a changed analysis never reuses what an older one stored under the same
    version number."""
    return _hash_sources(package) if package else _own_build_id()


def _hash_sources(package: str) -> str:
    import hashlib
    from pathlib import Path

    root = Path(package)
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


@functools.cache
def _own_build_id() -> str:
    return _hash_sources(os.path.dirname(__file__))
