"""Configuration: refute's ``[tool.refute]`` table and the pytest settings discovery honours.

pytest's rootdir and ini-file are found the way pytest finds them, so that test ids match
pytest's node ids.
"""

from __future__ import annotations

import configparser
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from refute.errors import ConfigError
from refute.model import Verdict

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
DEFAULT_PYTHON_CLASSES = ("Test",)
DEFAULT_PYTHON_FUNCTIONS = ("test",)
DEFAULT_NORECURSE = (
    "*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}",
)

KNOWN_KEYS = {
    "select": "rule codes (or prefixes) to enable; default all",
    "ignore": "rule codes (or prefixes) to disable",
    "per-file-ignores": "glob -> list of codes to disable in matching files",
    "testpaths": "where tests live, relative to the project root",
    "source": "where the code under test lives, relative to the project root",
    "fail-on": "vacuous | weak | never",
    "exclude": "glob patterns of files and directories to skip",
    "cache-dir": "where the content-keyed cache lives (default .refute_cache)",
    "generated": "glob patterns of files or node ids (or node id prefixes) of generated tests",
    "reviewers": "names or emails of the people whose sign-offs count",
    "bots": "names or emails of authors that are bots (besides bot-patterns)",
    "bot-patterns": "regular expressions on 'name <email>' that mark a bot author or co-author",
    "generated-trailers": "commit trailers that mark a commit as generated (Generated-by)",
    "require-signed-commits": "a sign-off counts only if its commit's signature verifies",
    "ledger": "the sign-off ledger, relative to the root (default .refute/signoffs.jsonl)",
    "gate-fail-on": "vacuous | weak: the verdict of a new or changed test that blocks the gate",
}

DEFAULT_BOT_PATTERNS = (
    r"\[bot\]", r"\bcopilot\b", r"\bclaude\b", r"\banthropic\b", r"\bcodex\b",
    r"\bchatgpt\b", r"\bopenai\b", r"\bcursor(agent)?\b", r"\baider\b", r"\bgemini\b",
    r"\bdevin\b", r"\bgithub-actions\b",
)
DEFAULT_GENERATED_TRAILERS = ("Generated-by",)
DEFAULT_LEDGER = ".refute/signoffs.jsonl"


@dataclass(frozen=True)
class PytestConfig:
    """The pytest settings that decide which files, classes and functions are tests."""

    rootdir: Path
    inifile: Path | None = None
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES
    python_classes: tuple[str, ...] = DEFAULT_PYTHON_CLASSES
    python_functions: tuple[str, ...] = DEFAULT_PYTHON_FUNCTIONS
    testpaths: tuple[str, ...] = ()
    norecursedirs: tuple[str, ...] = DEFAULT_NORECURSE


@dataclass(frozen=True)
class RefuteConfig:
    """The ``[tool.refute]`` table, validated."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    testpaths: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    fail_on: Verdict | None = Verdict.VACUOUS
    exclude: tuple[str, ...] = ()
    cache_dir: str = ".refute_cache"
    config_file: Path | None = None
    warnings: tuple[str, ...] = ()
    generated: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    bots: tuple[str, ...] = ()
    bot_patterns: tuple[str, ...] = DEFAULT_BOT_PATTERNS
    generated_trailers: tuple[str, ...] = DEFAULT_GENERATED_TRAILERS
    require_signed_commits: bool = False
    ledger: str = DEFAULT_LEDGER
    gate_fail_on: Verdict = Verdict.VACUOUS

    def rule_enabled(self, code: str, rel_path: str) -> bool:
        """Is rule ``code`` on for the file at ``rel_path`` (relative to the root)?"""
        if self.select and not any(code.startswith(s) for s in self.select):
            return False
        if any(code.startswith(s) for s in self.ignore):
            return False
        for pattern, codes in self.per_file_ignores.items():
            if _glob_match(rel_path, pattern) and any(code.startswith(c) for c in codes):
                return False
        return True


def _glob_match(rel_path: str, pattern: str) -> bool:
    from fnmatch import fnmatch

    return fnmatch(rel_path, pattern) or fnmatch(rel_path, pattern.rstrip("/") + "/*")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8: {exc.reason}") from exc


def _read_ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid INI: {exc}") from exc
    return parser


def _ini_options(path: Path) -> dict[str, Any] | None:
    """pytest options of a candidate ini-file, or None when the file is not a pytest ini."""
    name = path.name
    if name in ("pytest.ini", ".pytest.ini"):
        parser = _read_ini(path)
        return dict(parser["pytest"]) if parser.has_section("pytest") else {}
    if name in ("pytest.toml", ".pytest.toml"):  # pytest 9: always the configuration
        table = _read_toml(path).get("pytest", {})
        return dict(table) if isinstance(table, dict) else {}
    if name == "pyproject.toml":
        tool = _read_toml(path).get("tool", {}).get("pytest", {})
        if not isinstance(tool, dict):
            return None
        native = {k: v for k, v in tool.items() if k != "ini_options"}  # pytest 9's [tool.pytest]
        if native:
            return native
        opts = tool.get("ini_options")
        return dict(opts) if isinstance(opts, dict) else None
    if name == "tox.ini":
        parser = _read_ini(path)
        return dict(parser["pytest"]) if parser.has_section("pytest") else None
    if name == "setup.cfg":
        parser = _read_ini(path)
        return dict(parser["tool:pytest"]) if parser.has_section("tool:pytest") else None
    return None


def _split(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return (str(value),)


def _ancestors(start: Path) -> Iterable[Path]:
    yield start
    yield from start.parents


def common_ancestor(paths: Sequence[Path]) -> Path:
    resolved = [p.resolve() for p in paths if p.exists()] or [Path.cwd().resolve()]
    dirs = [p if p.is_dir() else p.parent for p in resolved]
    common = dirs[0]
    for d in dirs[1:]:
        while common not in (d, *d.parents):
            common = common.parent
    return common


def load_pytest_config(paths: Sequence[Path]) -> PytestConfig:
    """Find rootdir and ini options as pytest does (rootdir docs, pytest >= 8)."""
    ancestor = common_ancestor(paths)
    names = ("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml",
             "tox.ini", "setup.cfg")
    for directory in _ancestors(ancestor):
        for name in names:
            candidate = directory / name
            if candidate.is_file():
                opts = _ini_options(candidate)
                if opts is not None:
                    return _pytest_config(directory, candidate, opts)
    for directory in _ancestors(ancestor):
        if (directory / "setup.py").is_file():
            return PytestConfig(rootdir=directory)
    for directory in _ancestors(ancestor):
        if (directory / "pyproject.toml").is_file():
            return PytestConfig(rootdir=directory, inifile=directory / "pyproject.toml")
    return PytestConfig(rootdir=ancestor)


def _pytest_config(rootdir: Path, inifile: Path, opts: Mapping[str, Any]) -> PytestConfig:
    return PytestConfig(
        rootdir=rootdir,
        inifile=inifile,
        python_files=_split(opts.get("python_files")) or DEFAULT_PYTHON_FILES,
        python_classes=_split(opts.get("python_classes")) or DEFAULT_PYTHON_CLASSES,
        python_functions=_split(opts.get("python_functions")) or DEFAULT_PYTHON_FUNCTIONS,
        testpaths=_split(opts.get("testpaths")),
        norecursedirs=_split(opts.get("norecursedirs")) or DEFAULT_NORECURSE,
    )


def find_refute_table(start: Path, rootdir: Path) -> tuple[Path | None, dict[str, Any]]:
    """The nearest pyproject.toml with a ``[tool.refute]`` table, searching upwards."""
    for directory in _ancestors(start if start.is_dir() else start.parent):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            table = _read_toml(candidate).get("tool", {}).get("refute")
            if isinstance(table, dict):
                return candidate, table
        if directory == rootdir:
            break
    return None, {}


def _codes(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.refute] {key} must be a list of rule codes, got {value!r}")
    return tuple(v.strip().upper() for v in value)


def _paths(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.refute] {key} must be a list of paths, got {value!r}")
    return tuple(value)


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.refute] {key} must be a list of strings, got {value!r}")
    return tuple(value)


def parse_fail_on(value: str) -> Verdict | None:
    lowered = value.strip().lower()
    if lowered == "never":
        return None
    if lowered in ("vacuous", "weak"):
        return Verdict(lowered)
    raise ConfigError(f"fail-on must be one of vacuous, weak, never; got {value!r}")


def load_refute_config(config_file: Path | None, table: Mapping[str, Any]) -> RefuteConfig:
    """Validate a ``[tool.refute]`` table; unknown keys become warnings, bad values errors."""
    warnings: list[str] = []
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in KNOWN_KEYS:
            known = ", ".join(sorted(KNOWN_KEYS))
            warnings.append(f"unknown key [tool.refute] {raw_key!r} ignored (known: {known})")
            continue
        values[key] = value
    per_file: dict[str, tuple[str, ...]] = {}
    pfi = values.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError("[tool.refute] per-file-ignores must be a table of glob = [codes]")
    for pattern, codes in pfi.items():
        per_file[str(pattern)] = _codes(f"per-file-ignores.{pattern}", codes)
    fail_on = values.get("fail-on", "vacuous")
    if not isinstance(fail_on, str):
        raise ConfigError(f"[tool.refute] fail-on must be a string, got {fail_on!r}")
    cache_dir = values.get("cache-dir", ".refute_cache")
    if not isinstance(cache_dir, str):
        raise ConfigError(f"[tool.refute] cache-dir must be a string, got {cache_dir!r}")
    patterns = _strings("bot-patterns", values.get("bot-patterns", list(DEFAULT_BOT_PATTERNS)))
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"[tool.refute] bot-patterns: {pattern!r} is not a valid regular "
                              f"expression: {exc}") from exc
    signed = values.get("require-signed-commits", False)
    if not isinstance(signed, bool):
        raise ConfigError(f"[tool.refute] require-signed-commits must be true or false, "
                          f"got {signed!r}")
    ledger = values.get("ledger", DEFAULT_LEDGER)
    if not isinstance(ledger, str) or not ledger.strip():
        raise ConfigError(f"[tool.refute] ledger must be a path, got {ledger!r}")
    gate_fail_on = parse_fail_on(str(values.get("gate-fail-on", "vacuous")))
    if gate_fail_on is None:
        raise ConfigError("[tool.refute] gate-fail-on must be vacuous or weak")
    return RefuteConfig(
        generated=_strings("generated", values.get("generated", [])),
        reviewers=_strings("reviewers", values.get("reviewers", [])),
        bots=_strings("bots", values.get("bots", [])),
        bot_patterns=patterns,
        generated_trailers=_strings("generated-trailers", values.get(
            "generated-trailers", list(DEFAULT_GENERATED_TRAILERS))),
        require_signed_commits=signed,
        ledger=ledger,
        gate_fail_on=gate_fail_on,
        select=_codes("select", values.get("select", [])),
        ignore=_codes("ignore", values.get("ignore", [])),
        per_file_ignores=per_file,
        testpaths=_paths("testpaths", values.get("testpaths", [])),
        source=_paths("source", values.get("source", [])),
        fail_on=parse_fail_on(fail_on),
        exclude=_paths("exclude", values.get("exclude", [])),
        cache_dir=cache_dir,
        config_file=config_file,
        warnings=tuple(warnings),
    )
