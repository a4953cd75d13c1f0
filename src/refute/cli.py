"""The ``refute`` command line. Errors map to exit codes in ``refute.errors``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from refute import __version__
from refute.config import parse_fail_on
from refute.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, RefuteError, exit_code_for
from refute.model import Audit, Verdict


def _codes(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    codes = tuple(c.strip().upper() for c in value.split(",") if c.strip())
    from refute.static.rules import BY_CODE

    for code in codes:
        if not any(known.startswith(code) for known in BY_CODE):
            raise click.BadParameter(f"unknown rule code {code!r}; see `refute rules`")
    return codes


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="refute")
def cli() -> None:
    """refute: find the tests that cannot fail."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["vacuous", "weak", "never"]), default=None,
              help="Exit 1 when a test is at or above this verdict (default: vacuous, or "
                   "fail-on in [tool.refute]).")
@click.option("--select", default=None, help="Only these rule codes (comma-separated).")
@click.option("--ignore", default=None, help="Skip these rule codes (comma-separated).")
@click.option("--show-ok", is_flag=True, help="Also list tests that are ok.")
@click.option("--show-info", is_flag=True, help="Also show info-level findings in text output.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of cores).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the on-disk cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
              help="Where the cache lives (default: <root>/.refute_cache).")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Write the report to this file instead of stdout.")
def check(paths: tuple[str, ...], fmt: str, fail_on: str | None, select: str | None,
          ignore: str | None, show_ok: bool, show_info: bool, jobs: int | None, no_cache: bool,
          cache_dir: Path | None, output: Path | None) -> None:
    """Audit test files under PATHS (default: testpaths) without running them."""
    from refute.report import get_reporter
    from refute.static.engine import CheckOptions, audit

    options = CheckOptions(select=_codes(select), ignore=_codes(ignore), jobs=jobs or 0,
                           cache_dir=cache_dir, use_cache=not no_cache)
    result = audit(list(paths), options)
    threshold = parse_fail_on(fail_on) if fail_on else _config_fail_on(paths)
    if fmt == "json":
        reporter = get_reporter("json")
    else:
        reporter = get_reporter("text", show_ok=show_ok, show_info=show_info)
    if output is not None:
        try:
            with output.open("w", encoding="utf-8") as fh:
                reporter.report(result, fh)
        except OSError as exc:
            raise RefuteError(f"cannot write {output}: {exc.strerror}") from exc
    else:
        reporter.report(result, sys.stdout)
    if fmt == "json":
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
    sys.exit(exit_status(result, threshold))


def _config_fail_on(paths: tuple[str, ...]) -> Verdict | None:
    from refute.static.engine import CheckOptions, prepare

    return prepare(list(paths), CheckOptions(use_cache=False)).cfg.fail_on


def exit_status(result: Audit, threshold: Verdict | None) -> int:
    if threshold is None:
        return EXIT_OK
    worst = result.worst()
    if worst is not None and worst.rank >= threshold.rank:
        return EXIT_FINDINGS
    return EXIT_OK


@cli.command(name="rule")
@click.argument("code")
def rule_cmd(code: str) -> None:
    """Print the documentation of one rule (by code or name)."""
    from refute.static.rules import find

    spec = find(code)
    if spec is None:
        raise RefuteError(f"unknown rule {code!r}; `refute rules` lists them")
    click.echo(f"{spec.code} {spec.name} ({spec.severity.value})\n")
    click.echo(spec.doc)


@cli.command(name="rules")
def rules_cmd() -> None:
    """List every rule with its code, name, severity and summary."""
    from refute.static.rules import sorted_rules

    for spec in sorted_rules():
        click.echo(f"{spec.code}  {spec.name:<24} {spec.severity.value:<8} {spec.summary}")


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="refute", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_ERROR)
    except RefuteError as exc:
        click.echo(f"refute: error: {exc}", err=True)
        sys.exit(exit_code_for(exc))
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        click.echo(f"refute: internal error: {type(exc).__name__}: {exc}\n"
                   "Please report this with the command you ran.", err=True)
        sys.exit(EXIT_ERROR)
