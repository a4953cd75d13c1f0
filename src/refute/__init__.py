"""refute: find the tests that cannot fail.

PYTEST_DONT_REWRITE: refute is a pytest plugin (``refute.pytest_plugin``) and also drives
pytest from inside its own process (``refute verify``), where it is imported before pytest
starts. This marker keeps pytest from warning that it cannot rewrite an imported plugin, which
suites with ``filterwarnings = error`` would turn into a failure.
"""

__version__ = "0.1.0"


def build_id(package: str | None = None) -> str:
    """refute's version and a hash of its own source files (those under ``package``,
    default: this package's directory). Cached results are keyed by it, so that a changed
    analysis never reuses what an older one stored under the same version number."""
    import hashlib
    from pathlib import Path

    root = Path(package) if package else Path(__file__).parent
    if package is None and _BUILD_ID:
        return _BUILD_ID[0]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    found = f"{__version__}+{digest.hexdigest()[:16]}"
    if package is None:
        _BUILD_ID.append(found)
    return found


_BUILD_ID: list[str] = []
