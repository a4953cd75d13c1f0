"""Reporters: every output format renders the same ``refute.model`` objects; none analyses."""

from __future__ import annotations

from typing import Protocol, TextIO

from refute.model import Audit, Verification


class Reporter(Protocol):
    def report(self, audit: Audit, out: TextIO) -> None: ...


class VerifyReporter(Protocol):
    def report(self, ver: Verification, out: TextIO) -> None: ...


def get_reporter(fmt: str, **options: object) -> Reporter:
    if fmt == "json":  # rich, which the text report needs, costs a JSON run 15 ms to import
        from refute.report.json_report import JsonReporter

        return JsonReporter()
    from refute.report.text import TextReporter

    return TextReporter(**options)  # type: ignore[arg-type]
