"""Reporters: every output format renders the same ``refute.model`` objects; none analyses."""

from __future__ import annotations

from typing import Protocol, TextIO

from refute.model import Audit, Verification


class Reporter(Protocol):
    def report(self, audit: Audit, out: TextIO) -> None: ...


class VerifyReporter(Protocol):
    def report(self, ver: Verification, out: TextIO) -> None: ...


def get_reporter(fmt: str, **options: object) -> Reporter:
    from refute.report.json_report import JsonReporter
    from refute.report.text import TextReporter

    if fmt == "json":
        return JsonReporter()
    return TextReporter(**options)  # type: ignore[arg-type]
