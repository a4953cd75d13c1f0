"""The ``refute`` command line. Errors map to exit codes in ``refute.errors``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import click

from refute import __version__
from refute.config import parse_fail_on
from refute.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, RefuteError, exit_code_for
from refute.model import Audit, Verdict, Verification


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
    _write_report(lambda out: reporter.report(result, out), output)
    if fmt == "json":
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
    sys.exit(exit_status(result, threshold))


def _write_report(render: Callable[[TextIO], None], output: Path | None) -> None:
    """Render a report to ``output`` (or stdout); an unwritable file is a clear error."""
    if output is None:
        render(sys.stdout)
        return
    try:
        with output.open("w", encoding="utf-8") as fh:
            render(fh)
    except OSError as exc:
        raise RefuteError(f"cannot write {output}: {exc.strerror}") from exc


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


def _shard(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        index, count = (int(x) for x in value.split("/"))
    except ValueError:
        raise click.BadParameter("use I/N, for example 1/4") from None
    if not 1 <= index <= count:
        raise click.BadParameter("I must be between 1 and N")
    return index, count


@cli.command()
@click.argument("project", required=False, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--depth", type=click.Choice(["extreme", "default", "full"]), default="default",
              show_default=True, help="extreme: whole-body mutants only; default: also one "
              "classic mutant per line; full: every classic mutant.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Mutants run at once (default: number of cores).")
@click.option("--deselect", multiple=True, help="Leave out a test (pytest node id); repeatable.")
@click.option("--flaky-reruns", type=click.IntRange(min=0), default=1, show_default=True,
              help="Reruns of the used tests to detect flaky ones before mutating.")
@click.option("--timeout-factor", type=click.FloatRange(min=0.1), default=3.0, show_default=True,
              help="Mutant timeout = factor x baseline time of its tests + constant.")
@click.option("--timeout-constant", type=click.FloatRange(min=0.0), default=2.0,
              show_default=True, help="Seconds added to every mutant's timeout.")
@click.option("--since", default=None, help="Only mutate functions changed since this git "
              "revision.")
@click.option("--shard", default=None, help="Run shard I of N of the mutants (I/N); join the "
              "JSON results with `refute merge`.")
@click.option("--full-attribution", is_flag=True, help="Run every covering test on every "
              "mutant instead of stopping at the first failure.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the mutant cache.")
@click.option("--fail-on", default="pseudo-tested", show_default=True,
              help="Exit 1 when: pseudo-tested (a function is), vacuous (a test is), a "
                   "minimum checked coverage like 60%, or never.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Write the report to this file instead of stdout.")
def verify(project: str | None, fmt: str, depth: str, jobs: int | None,
           deselect: tuple[str, ...], flaky_reruns: int, timeout_factor: float,
           timeout_constant: float, since: str | None, shard: str | None,
           full_attribution: bool, no_cache: bool, fail_on: str, output: Path | None) -> None:
    """Run the suite, mutate covered functions in memory, and prove which tests can fail."""
    from refute.dynamic.progress import progress_bar
    from refute.dynamic.verify import VerifyOptions
    from refute.dynamic.verify import verify as run_verify
    from refute.report.verify_json import VerifyJsonReporter
    from refute.report.verify_text import VerifyTextReporter

    threshold = _verify_threshold(fail_on)
    if project is not None and not Path(project).exists():
        raise RefuteError(f"path does not exist: {project}")
    with progress_bar(enabled=sys.stderr.isatty()) as update:
        options = VerifyOptions(
            project=project, depth=depth, workers=jobs or 0, deselect=deselect,
            flaky_reruns=flaky_reruns, timeout_factor=timeout_factor,
            timeout_constant=timeout_constant, since=since, shard=_shard(shard),
            use_cache=not no_cache, full_attribution=full_attribution, progress=update)
        result = run_verify(options)
    reporter = VerifyJsonReporter() if fmt == "json" else VerifyTextReporter()
    _write_report(lambda out: reporter.report(result, out), output)
    sys.exit(verify_exit_status(result, threshold))


def _verify_threshold(value: str) -> str | float | None:
    value = value.strip().lower()
    if value == "never":
        return None
    if value in ("pseudo-tested", "vacuous", "weak"):
        return value
    try:
        number = float(value.rstrip("%"))
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: use pseudo-tested, vacuous, weak, never or a percentage",
            param_hint="--fail-on") from None
    return number / 100 if value.endswith("%") or number > 1 else number


def verify_exit_status(result: Verification, threshold: str | float | None) -> int:
    from refute.model import FunctionStatus

    if threshold is None:
        return EXIT_OK
    if isinstance(threshold, float):
        return EXIT_FINDINGS if result.checked_coverage < threshold else EXIT_OK
    if threshold == "pseudo-tested":
        bad = any(f.status is FunctionStatus.PSEUDO_TESTED for f in result.functions)
    else:
        rank = Verdict(threshold).rank
        bad = any(r.verdict.rank >= rank for r in result.runs)
    return EXIT_FINDINGS if bad else EXIT_OK


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
