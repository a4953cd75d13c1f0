"""One exception hierarchy, mapped to exit codes in one place (``EXIT_CODES``)."""

from __future__ import annotations


class RefuteError(Exception):
    """Base of every error refute reports to the user as a message, not a traceback."""


class UsageError(RefuteError):
    """The command line asks for something impossible (missing path, unknown rule...)."""


class ConfigError(RefuteError):
    """A configuration file cannot be read or holds invalid values."""


EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

EXIT_CODES: dict[type[RefuteError], int] = {
    UsageError: EXIT_ERROR,
    ConfigError: EXIT_ERROR,
    RefuteError: EXIT_ERROR,
}


def exit_code_for(error: BaseException) -> int:
    """The exit code for an error; anything unexpected is an internal error (2)."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]  # type: ignore[index]
    return EXIT_ERROR
