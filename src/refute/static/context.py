"""What a run works on, before any file is analysed: the pytest and refute configuration and
the discovered files. ``refute check`` analyses what it finds; ``refute verify`` and the
provenance commands start from it too, without loading the analysis itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from refute.config import (
    PytestConfig,
    RefuteConfig,
    find_refute_table,
    load_pytest_config,
    load_refute_config,
)
from refute.errors import UsageError
from refute.static.discovery import FileSet, discover

if TYPE_CHECKING:
    from refute.static.index import ProjectIndex


@dataclass
class CheckOptions:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    jobs: int = 0
    cache_dir: Path | None = None
    use_cache: bool = True


@dataclass
class RunContext:
    """Everything a worker needs; inherited by forked workers, never pickled."""

    root: Path
    pytest_cfg: PytestConfig
    cfg: RefuteConfig
    files: FileSet
    index: ProjectIndex | None = None
    index_fp: str = ""
    #: test modules that other test modules import from (``from tests.test_lib import
    #: check``): their helpers go into the index like a support module's
    imported_tests: list[Path] = field(default_factory=list)


def prepare(paths: Sequence[str], options: CheckOptions) -> RunContext:
    given = [Path(p) for p in paths]
    pytest_cfg, cfg = _configs(given)
    if options.select or options.ignore:
        cfg = replace(cfg, select=options.select or cfg.select,
                      ignore=tuple(cfg.ignore) + options.ignore)
    root = pytest_cfg.rootdir
    testpaths = cfg.testpaths or pytest_cfg.testpaths
    suite = [root / t for t in testpaths if (root / t).exists()]
    if not given:
        given = suite or [Path.cwd()]
    files = discover(given, pytest_cfg, cfg)
    _add_suite_context(files, suite or [root], given, pytest_cfg, cfg)
    return RunContext(root=root, pytest_cfg=pytest_cfg, cfg=cfg, files=files)


def refute_config(paths: Sequence[str]) -> RefuteConfig:
    """``[tool.refute]`` for these paths, as ``prepare`` reads it, without discovering
    the files (``check`` asks it for ``fail-on`` after its audit)."""
    return _configs([Path(p) for p in paths])[1]


def _configs(given: list[Path]) -> tuple[PytestConfig, RefuteConfig]:
    for path in given:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"path does not exist: {path}")
        if not path.exists():
            raise UsageError(f"broken symlink: {path}")
    start = given or [Path.cwd()]
    pytest_cfg = load_pytest_config(start)
    config_file, table = find_refute_table(start[0].resolve(), pytest_cfg.rootdir)
    return pytest_cfg, load_refute_config(config_file, table)


def _add_suite_context(files: FileSet, suite: list[Path], given: list[Path],
                       pytest_cfg: PytestConfig, cfg: RefuteConfig) -> None:
    """When the audit covers part of the suite (one file from a pre-commit hook, one
    directory), the helpers its tests use may live outside it: test-support modules,
    conftests, test modules they import from. They join the index as they would in an audit
    of the whole suite, so that a test gets the same verdict either way."""
    audited = [p.resolve() for p in given if p.is_dir()]
    outside = [p for p in suite
               if not any(p.resolve().is_relative_to(d) for d in audited)]
    if not outside:
        return
    whole = discover(outside, pytest_cfg, cfg)
    known = {*files.tests, *files.conftests, *files.support}
    files.support.extend(p for p in whole.support if p not in known)
    files.conftests.extend(p for p in whole.conftests if p not in known)
    files.other_tests.extend(p for p in whole.tests if p not in known)
