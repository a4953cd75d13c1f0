"""``refute check``: discovery, the project index, per-file analysis in parallel, verdicts.

The engine produces a ``refute.model.Audit``; it never formats anything.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import multiprocessing
import os
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from refute import build_id
from refute.config import RefuteConfig
from refute.model import Audit, AuditedTest, FileError, Finding, Severity, Verdict
from refute.static import runtime_api
from refute.static import source as src_io
from refute.static.cache import Cache
from refute.static.collect import Collector, TestItem
from refute.static.context import CheckOptions, RunContext, prepare
from refute.static.facts import Kind, Strength, TestFacts
from refute.static.index import ProjectIndex
from refute.static.module import ModuleTables, build_tables, module_name, parameters
from refute.static.nodes import walk
from refute.static.rules import RULES, RuleSpec
from refute.static.rules.base import Hit, TestView
from refute.static.rules.rf401_duplicate_test import PrintMemo, fingerprint, statements_print
from refute.static.share import Shared, can_fork
from refute.static.suite import RaisingFunction, Suite, SuiteFinding, SuiteTest
from refute.static.walker import HelperJudge, Lookup, Scope, analyze, chain_key

SUPPRESS = re.compile(r"#\s*refute:\s*ignore(?:\[([A-Za-z0-9_,\s-]+)\])?", re.IGNORECASE)
PARALLEL_THRESHOLD = 16


@dataclass
class FileResult:
    rel: str
    tests: list[AuditedTest] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None
    suite: list[SuiteTest] = field(default_factory=list)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as plain tuples: a worker's results are unpickled by the run's process
        while the workers go on, and the generic pickling of tens of thousands of
        dataclasses and enums cost it a core's half second on Lib/test (and the cache
        reads them back the same way)."""
        return (_file_result, (
            self.rel,
            [(t.id, t.path, t.line, t.verdict.value, t.rules) for t in self.tests],
            [(f.path, f.line, f.column, f.rule, f.name, f.severity.value, f.message, f.test)
             for f in self.findings],
            self.error,
            [_SUITE_FIELDS(t) for t in self.suite]))


def _file_result(rel: str, tests: list[tuple[Any, ...]], findings: list[tuple[Any, ...]],
                 error: FileError | None, suite: list[tuple[Any, ...]]) -> FileResult:
    verdicts, severities = _VERDICTS, _SEVERITIES
    return FileResult(
        rel,
        [AuditedTest(i, p, n, verdicts[v], r) for i, p, n, v, r in tests],
        [Finding(p, n, c, r, name, severities[s], m, t) for p, n, c, r, name, s, m, t in findings],
        error,
        [SuiteTest(*t) for t in suite])


_SUITE_FIELDS = attrgetter(*(f.name for f in fields(SuiteTest)))  # SuiteTest(*tuple)
_VERDICTS = {v.value: v for v in Verdict}
_SEVERITIES = {s.value: s for s in Severity}


# ---------------------------------------------------------------------------- judging
def enabled_rules(cfg: RefuteConfig, rel: str) -> list[RuleSpec]:
    """The per-test rules enabled for the file ``rel``, in the order they run: phase 1
    first (the rules that cap checks), then phase 2 (those that read the caps)."""
    return [r for phase in (1, 2) for r in RULES
            if r.phase == phase and r.per_test and cfg.rule_enabled(r.code, rel)]


def run_rules(view: TestView, rules: Sequence[RuleSpec],
              suppressed: dict[int, set[str] | None] | None = None,
              def_line: int | None = None) -> list[tuple[RuleSpec, Hit]]:
    """Run per-test rules in the order given (``enabled_rules``'), applying caps as they
    come. Returns the hits kept."""
    kept: list[tuple[RuleSpec, Hit]] = []
    caps = view.caps
    for rule in rules:
        for hit in rule.module.check(view):
            if suppressed and _is_suppressed(rule.code, hit.line, def_line, suppressed):
                continue
            if hit.check is not None and hit.cap is not None:
                current = caps.get(id(hit.check), Strength.STRONG)
                caps[id(hit.check)] = min(current, hit.cap)
            kept.append((rule, hit))
    return kept


def _is_suppressed(code: str, line: int, def_line: int | None,
                   suppressed: dict[int, set[str] | None]) -> bool:
    for where in (line, def_line):
        if where is not None and where in suppressed:
            codes = suppressed[where]
            if codes is None or code in codes:
                return True
    return False


def suppressions(text: str) -> dict[int, set[str] | None]:
    out: dict[int, set[str] | None] = {}
    if "refute:" not in text:
        return out
    for lineno, line in enumerate(text.splitlines(), start=1):
        match = SUPPRESS.search(line)
        if match:
            codes = match.group(1)
            out[lineno] = {c.strip().upper() for c in codes.split(",") if c.strip()} \
                if codes else None
    return out


def make_judge(rules: Sequence[RuleSpec]) -> HelperJudge:
    def judge(facts: TestFacts, scope: Scope) -> tuple[Strength, tuple[str, ...]]:
        view = TestView(facts, scope.module, scope.index)
        hits = run_rules(view, rules)
        best = view.best()
        codes = [r.code for r, h in hits if h.cap is not None and h.check]
        # a helper that is weak because of a helper it calls is weak for that one's rules
        codes += [code for chk in facts.checks if chk.kind in (Kind.HELPER, Kind.FIXTURE)
                  and view.effective(chk) == best for code in chk.helper_rules]
        return best, tuple(dict.fromkeys(codes))

    return HelperJudge(judge)


def verdict_of(best: Strength) -> Verdict:
    return _VERDICT_OF[best]


_VERDICT_OF = {Strength.STRONG: Verdict.OK, Strength.WEAK: Verdict.WEAK,
               Strength.NONE: Verdict.VACUOUS}


# ---------------------------------------------------------------------------- one file
def analyze_file(ctx: RunContext, path: Path, rel: str, data: bytes | None = None) -> FileResult:
    result = FileResult(rel=rel)
    try:
        # a test module other test modules import from: the index holds its tree
        indexed = ctx.index.parsed_test_module(rel) if ctx.index is not None else None
        source = src_io.load(path, rel, data, indexed)
    except src_io.SourceError as exc:
        result.error = FileError(rel, str(exc))
        return result
    assert ctx.index is not None
    try:
        mod = build_tables(rel, source.tree)
        ctx.index.expand_star_imports(mod)
        items = Collector(mod, ctx.pytest_cfg, ctx.index).collect()
        rules = enabled_rules(ctx.cfg, rel)
        judge = make_judge(rules)
        supp = suppressions(source.text)
        memo = _FileMemo()
        for item in items:
            _analyze_item(ctx, result, mod, item, rules, judge, supp, memo)
    except RecursionError:
        result = FileResult(rel=rel, error=FileError(rel, "too deeply nested to analyse"))
    except Exception as exc:  # a bug of ours must not hide every other file's results
        result = FileResult(rel=rel, error=FileError(
            rel, f"internal error while analysing ({type(exc).__name__}: {exc}); please report"))
    return result


@dataclass(frozen=True)
class _Outcome:
    """What the analysis of one test function found, before it is attached to a test id."""

    findings: tuple[Finding, ...]  # with ``test`` left empty
    verdict: Verdict
    called: frozenset[str]
    called_in_raises: frozenset[str]
    expected: frozenset[str]


def _analyze_item(ctx: RunContext, result: FileResult, mod: ModuleTables, item: TestItem,
                  rules: list[RuleSpec], judge: HelperJudge,
                  supp: dict[int, set[str] | None], memo: _FileMemo) -> None:
    item_mod = mod
    if item.rel != mod.rel and item.class_modules:
        item_mod = next((m for m in item.class_modules if m.rel == item.rel), mod)
    own_supp = supp if item.rel == mod.rel else {}
    assert ctx.index is not None
    scope = Scope(item_mod, ctx.index, judge, item.classes, item.class_modules)
    # a test method inherited by several classes of this file (mixins, C and Python
    # variants) is analysed once for all the classes in which its lookups of methods and
    # fixtures by name find the same functions
    key = (id(item.node), id(item_mod), item.unittest, item.rel == mod.rel,
           memo.chain(item.classes))
    seen = memo.outcomes.setdefault(key, [])
    outcome = next((out for lookups, out in seen if scope.finds(lookups)), None)
    if outcome is None:
        outcome = _outcome(scope, item, rules, own_supp)
        seen.append((scope.lookups, outcome))
    test = item.id
    findings = [Finding(f.path, f.line, f.column, f.rule, f.name, f.severity, f.message, test)
                for f in outcome.findings]
    result.findings.extend(findings)
    result.tests.append(AuditedTest(item.id, item.rel, item.node.lineno, outcome.verdict,
                                    tuple(sorted({f.rule for f in findings}))))
    def_codes = own_supp.get(item.node.lineno, set())
    result.suite.append(SuiteTest(
        item.id, item.rel, item.node.lineno,
        fingerprint(item.node, item.classes, memo.prints,
                    _NamePrinter(scope, item_mod, memo), memo.salt(item_mod)),
        called=outcome.called,
        called_in_raises=outcome.called_in_raises,
        expected=outcome.expected,
        suppressed=frozenset({"*"} if def_codes is None else def_codes),
    ))


class _NamePrinter:
    """What a name in a test's body stands for, for its RF401 fingerprint: an imported name
    its origin, a fixture its name, decorators and body and the fixtures it uses (two files'
    own ``app`` fixtures may build two objects), a module-level name what the module's
    top-level statements do with it (``app = typer.Typer()`` and ``app.command()(mod.main)``
    in two files that imported two ``mod``s are two apps), a class or function the module
    defines its definition. A class, not a closure: a closure
    that calls itself is a cycle, and it would hold the file's tree until the collector ran.
    """

    def __init__(self, scope: Scope, mod: ModuleTables, memo: _FileMemo) -> None:
        self.scope, self.mod = scope, mod
        self.seen = memo.module_names.setdefault(id(mod), {})
        self.module_uses = memo.module_uses

    def __call__(self, ident: str) -> str:
        found = self.seen.get(ident)
        if found is not None:
            return found
        mod = self.mod
        found = mod.origin(ident)
        if found == ident:
            fixture = self.scope._fixture(ident)
            if fixture is not None:
                self.seen[ident] = f"fixture:{ident}"  # while its own fixtures are printed
                digest = _print_hash([*fixture.node.decorator_list, *fixture.node.body],
                                     fixture.module.origin)
                for needed in parameters(fixture.node):  # the fixtures it uses, in turn
                    if needed not in ("self", "cls", "request"):
                        digest.update(b"\0" + self(needed).encode())
                found = f"fixture:{ident}:{digest.hexdigest()}"
            elif ident in mod.constants:
                uses = self.module_uses.get(id(mod))
                if uses is None:
                    uses = self.module_uses[id(mod)] = _module_uses(mod)
                found = "=" + _print_hash(uses.get(ident, []), mod.origin).hexdigest()
            elif ident in mod.classes or ident in mod.functions:
                # a class or helper of the module's own: what it is, with its names' origins
                # (two files' `DoSyncRequest` classes around two HTTP clients)
                node = mod.classes.get(ident) or mod.functions[ident]
                found = "def:" + _print_hash([node], mod.origin).hexdigest()
        self.seen[ident] = found
        return found


def _module_salt(mod: ModuleTables) -> bytes:
    """What else makes the same test body behave differently in this module: its ``from
    __future__`` imports (``annotations`` makes every annotation of the body a string), and
    its ``pytest_generate_tests`` hook with the module's own definitions it names (vcrpy's
    test_httpx and test_httpx2 both parametrize ``do_request`` with ``[DoAsyncRequest,
    DoSyncRequest]``, each module's own classes around another client)."""
    salt = ",".join(sorted(name for name, origin in mod.imports.items()
                           if origin.startswith("__future__."))).encode()
    hook = mod.functions.get("pytest_generate_tests")
    if hook is not None:
        named = {n.id for n in walk(hook) if isinstance(n, ast.Name)}
        defs = [stmt for stmt in mod.tree.body
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and stmt.name in named]
        salt += b"\0" + _print_hash([hook, *defs], mod.origin).digest()
    return salt


def _module_uses(mod: ModuleTables) -> dict[str, list[ast.stmt]]:
    """The module's top-level statements (outside definitions and imports) that mention
    each name, in order: what the module does with a name its tests use (hashed, with
    imported names standing for their origins, for the tests' RF401 fingerprints)."""
    uses: dict[str, list[ast.stmt]] = {}
    for stmt in mod.tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import,
                             ast.ImportFrom)):
            continue
        for ident in {n.id for n in walk(stmt) if type(n) is ast.Name}:  # type: ignore[attr-defined]
            uses.setdefault(ident, []).append(stmt)
    return uses


def _print_hash(nodes: Sequence[ast.AST], origin: Callable[[str], str]) -> hashlib._Hash:
    """A hash of nodes serialised as RF401 serialises a body (``statements_print``), with
    the names ``origin`` maps standing for what they were imported from."""
    return hashlib.sha1(statements_print(nodes, origin), usedforsecurity=False)


@dataclass
class _FileMemo:
    """Per-file memos, keyed by node identity: they live no longer than the file's tree."""

    outcomes: dict[tuple[object, ...], list[tuple[list[Lookup], _Outcome]]] = field(
        default_factory=dict)
    chains: dict[tuple[int, ...], tuple[object, ...]] = field(default_factory=dict)
    prints: PrintMemo = field(default_factory=PrintMemo)
    module_names: dict[int, dict[str, str]] = field(default_factory=dict)  # _NamePrinter's
    module_uses: dict[int, dict[str, list[ast.stmt]]] = field(default_factory=dict)  # its too
    _salts: dict[int, bytes] = field(default_factory=dict)

    def salt(self, mod: ModuleTables) -> bytes:
        found = self._salts.get(id(mod))
        if found is None:
            found = self._salts[id(mod)] = _module_salt(mod)
        return found

    def chain(self, classes: list[ast.ClassDef]) -> tuple[object, ...]:
        ids = tuple(map(id, classes))
        found = self.chains.get(ids)
        if found is None:
            found = self.chains[ids] = chain_key(classes)
        return found


def _outcome(scope: Scope, item: TestItem, rules: list[RuleSpec],
             own_supp: dict[int, set[str] | None]) -> _Outcome:
    facts = analyze(scope, item.node)
    facts.unittest_style = item.unittest
    view = TestView(facts, scope.module, scope.index)
    hits = run_rules(view, rules, own_supp, item.node.lineno)
    verdict = verdict_of(view.best())
    findings: list[Finding] = []
    for rule, hit in hits:
        if not hit.message or (hit.decisive_only and verdict is Verdict.OK):
            continue
        findings.append(Finding(item.rel, hit.line, hit.col, rule.code, rule.name,
                                rule.severity, hit.message))
    if verdict is not Verdict.OK:
        findings.extend(_helper_findings(item, view, own_supp))
    ordered = sorted(set(findings), key=lambda f: (f.line, f.column, f.rule, f.message))
    return _Outcome(
        findings=tuple(ordered), verdict=verdict,
        called=frozenset(c.qualname for c in facts.project_calls),
        called_in_raises=frozenset(c.qualname for c in facts.project_calls
                                   if c.in_raises is not None),
        expected=frozenset(facts.expected_exceptions),
    )


def _helper_findings(item: TestItem, view: TestView,
                     supp: dict[int, set[str] | None]) -> list[Finding]:
    from refute.static.rules import BY_CODE

    out = []
    best = view.best()
    for chk in view.facts.checks:
        if chk.kind not in (Kind.HELPER, Kind.FIXTURE) or view.effective(chk) != best:
            continue
        for code in chk.helper_rules:
            rule = BY_CODE[code]
            if _is_suppressed(code, chk.line, item.node.lineno, supp):
                continue
            what = "fixture" if chk.kind is Kind.FIXTURE else "helper"
            out.append(Finding(item.rel, chk.line, chk.col, rule.code, rule.name,
                               rule.severity,
                               f"{rule.name} inside {what} `{chk.helper_name}`: {rule.summary}"))
    return out


# ---------------------------------------------------------------------------- the index
def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def source_summaries(ctx: RunContext, jobs: int) -> Shared[Path, ProjectIndex]:
    """The summaries of the source files for the index (``_source_part``), begun at once:
    with several ``jobs`` and enough source files, in forked helpers, largest files first;
    what the index keeps of the source holds no syntax tree, so it travels back cheaply."""
    sources = list(ctx.files.source)
    helpers = jobs - 1 if jobs > 1 and len(sources) >= PARALLEL_THRESHOLD and can_fork() else 0
    root = ctx.root
    return Shared(sources, lambda path: _source_part(path, root), helpers,
                  order=_largest_first(sources))


def build_index(ctx: RunContext, jobs: int = 1,
                summaries: Shared[Path, ProjectIndex] | None = None) -> ProjectIndex:
    """The project index. This process parses the test-side files, whose trees it keeps,
    while helpers summarise the source (``source_summaries``, begun here unless given),
    then summarises what source is left."""
    if summaries is None:
        with source_summaries(ctx, jobs) as own:
            return build_index(ctx, jobs, own)
    index = ProjectIndex()
    root = ctx.root
    for path in [*ctx.files.support, *ctx.files.conftests, *ctx.imported_tests]:
        tables = _tables(path, root)
        if tables is None:
            continue
        if path.name == "conftest.py":
            index.conftests[Path(tables.rel).parent.as_posix()] = tables
        index.support[module_name(tables.rel)] = tables
    # one part per file, taken in the files' order: the index is the one a single process
    # builds, down to the order of its dicts
    for part in summaries.finish():
        index.add_part(part)
    index.settle()
    return index


def _largest_first(paths: Sequence[Path]) -> list[int]:
    def size(position: int) -> int:
        try:
            return paths[position].stat().st_size
        except OSError:
            return 0

    return sorted(range(len(paths)), key=lambda i: -size(i))


def _source_part(path: Path, root: Path) -> ProjectIndex:
    """An index of this source file alone (``add_source``)."""
    part = ProjectIndex()
    read = _read_tables(path, root)
    if read is not None:
        part.add_source(read[0], path, read[1])
    return part


def _tables(path: Path, root: Path) -> ModuleTables | None:
    """A file's module tables, or None when it cannot be read or parsed (the audit reports
    test files that cannot; the index leaves them out)."""
    read = _read_tables(path, root)
    return read[0] if read is not None else None


def _read_tables(path: Path, root: Path) -> tuple[ModuleTables, bytes] | None:
    """A file's module tables and its bytes, or None when it cannot be read or parsed."""
    rel = _rel(path, root)
    try:
        data = src_io.read_bytes(path)
        source = src_io.load(path, rel, data)
    except src_io.SourceError:
        return None
    return build_tables(rel, source.tree), data


def raising_functions(index: ProjectIndex) -> list[RaisingFunction]:
    out = []
    for fn in list(index.functions.values()) + [
        m for cls in index.classes.values() for m in cls.methods.values()
    ]:
        qualname = fn.qualname
        if qualname.endswith(".__init__"):
            qualname = qualname[: -len(".__init__")]
        elif not fn.public:
            continue
        if fn.raises and "._" not in qualname:
            out.append(RaisingFunction(qualname, fn.rel, fn.line, fn.raises))
    return sorted(out, key=lambda f: (f.rel, f.line))


_IMPORT_LINE = re.compile(rb"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import|import[ \t])[^\n]*", re.M)
_WORD = re.compile(rb"\w+")


def _import_lines(data: bytes) -> list[bytes]:
    """The import statements' first lines: found from each ``import`` in the text (a
    regular expression anchored at every line start tries every byte of the file)."""
    lines = []
    pos = data.find(b"import")
    while pos >= 0:
        start = data.rfind(b"\n", 0, pos) + 1
        end = data.find(b"\n", pos)
        if end < 0:
            end = len(data)
        line = _IMPORT_LINE.match(data, start, end)
        if line is not None:
            lines.append(line.group(0))
        pos = data.find(b"import", end)
    return lines


def imported_tests(read: Sequence[tuple[Path, str, bytes]], others: Sequence[Path]) -> list[Path]:
    """The test modules a test module imports from (``from tests.test_lib import
    check_process``, ``from .test_base import Base``), found by their names on its import
    lines, and those they import from in turn: a helper defined in one counts for the tests
    that call it, as a conftest's does. ``others`` are the suite's test files outside the
    audited paths. A name shared by several test modules takes all of them (an extra module
    in the index costs a parse, a missing one a false alarm)."""
    by_stem: dict[bytes, list[Path]] = {}
    for path in [*(r[0] for r in read), *others]:
        by_stem.setdefault(path.stem.encode(), []).append(path)
    data_of = {path: data for path, _, data in read}
    found: set[Path] = set()
    todo = list(data_of)
    while todo:
        path = todo.pop()
        data = data_of.get(path)
        if data is None:
            try:
                data = src_io.read_bytes(path)
            except src_io.SourceError:
                continue
        words = set(_WORD.findall(b"\n".join(_import_lines(data))))
        words.discard(path.stem.encode())
        for word in sorted(words.intersection(by_stem)):
            for other in by_stem[word]:
                if other not in found:
                    found.add(other)
                    if other not in data_of:
                        todo.append(other)
    return sorted(found)


# ---------------------------------------------------------------------------- the run
_WORKER: RunContext | None = None


def _init_worker(ctx: RunContext) -> None:
    global _WORKER
    _WORKER = ctx


def _work(task: tuple[str, str]) -> bytes:
    """A file's result, pickled here in the worker: the cache stores these bytes as they
    are, so the run's process does not pickle every result again after the analysis."""
    assert _WORKER is not None
    path, rel = task
    return pickle.dumps(_analyzed(_WORKER, Path(path), rel), protocol=pickle.HIGHEST_PROTOCOL)


def _analyzed(ctx: RunContext, path: Path, rel: str, data: bytes | None = None) -> FileResult:
    result = analyze_file(ctx, path, rel, data)
    between_files()
    return result


def _analyze_many(ctx: RunContext, tasks: list[tuple[Path, str, bytes]],
                  jobs: int) -> list[tuple[FileResult, bytes | None]]:
    """Each file's result, and the result pickled when a worker made it."""
    runtime_api.load()  # once, here, rather than in every worker
    if jobs <= 1 or len(tasks) < PARALLEL_THRESHOLD or not can_fork():
        return [(_analyzed(ctx, p, r, d), None) for p, r, d in tasks]
    mp = multiprocessing.get_context("fork")
    # largest files first, so that no worker is left with a big file at the end
    order = sorted(tasks, key=lambda t: -len(t[2]))
    # what this process holds (the index, the test-side files' trees) out of the workers'
    # collections: walking it would cost them time, and copies of the pages it lies on
    gc.freeze()
    try:
        with mp.Pool(jobs, initializer=_init_worker, initargs=(ctx,)) as pool:
            return [(pickle.loads(blob), blob) for blob in pool.imap_unordered(
                _work, [(str(p), r) for p, r, _ in order], chunksize=2)]
    finally:
        gc.unfreeze()


def _context_fingerprint(ctx: RunContext, index_fp: str) -> str:
    cfg, pc = ctx.cfg, ctx.pytest_cfg
    parts = [build_id(), str(ctx.root), repr(sorted(cfg.select)), repr(sorted(cfg.ignore)),
             repr(sorted(cfg.per_file_ignores.items())), repr(pc.python_files),
             repr(pc.python_classes), repr(pc.python_functions), index_fp]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _facts_fingerprint(ctx: RunContext, cache: Cache | None, files_fp: str, side: str,
                       summaries: Shared[Path, ProjectIndex]) -> str:
    """What a test file's result depends on besides its own bytes: the context, the bytes of
    the test-side files in the index (``side``), and the facts of the source
    (``source_facts``), not its bytes. The facts of one version of the files are cached
    under the files' hash; a version not seen before has its index built here (and kept for
    the analysis)."""
    known = cache.get("facts:" + files_fp) if cache else None
    if isinstance(known, str):
        return known
    ctx.index = build_index(ctx, summaries=summaries)
    digest = hashlib.sha256(side.encode())
    digest.update(ctx.index.source_facts().encode("utf-8", "surrogatepass"))
    facts = _context_fingerprint(ctx, digest.hexdigest())
    if cache:
        cache.put("facts:" + files_fp, facts)
    return facts


def _files_digest(ctx: RunContext, paths: Iterable[Path]) -> str:
    """One hash of files' names (relative to the root) and bytes."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(_rel(path, ctx.root).encode() + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


YOUNG = 50_000  # objects allocated and alive since the last collection, for one to run


@contextmanager
def rare_collections() -> Iterator[None]:
    """No automatic cyclic garbage collection while auditing: the young generations are
    collected between two files instead (``between_files``).

    Parsing and analysing allocate millions of small objects that live as long as their
    file's analysis. An automatic collection that comes while a file's tree is alive walks
    every node of it, and the nodes that survive it are walked again by the next collection
    of the older generation: with the default thresholds a quarter of the whole audit's time,
    with thresholds of (50,000, 20, 100) still 5-7% (measured on CPython's Lib/test). A tree
    holds no cycle and is freed as soon as its file's analysis ends
    (tests/test_audit_memory.py), so between two files the young objects are few. Forked
    workers inherit the setting; it is restored afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def between_files() -> None:
    """Once a file's tree is gone: collect what the young generations hold, as often as the
    collector would with thresholds of (``YOUNG``, 20) (see ``rare_collections``)."""
    if gc.isenabled():
        return
    young, collections, _ = gc.get_count()
    if collections >= 20:
        gc.collect(1)
    elif young >= YOUNG:
        gc.collect(0)


def audit(paths: Sequence[str], options: CheckOptions | None = None,
          keep: list[object] | None = None) -> Audit:
    """Audit the test files under ``paths``. ``keep``: a list that takes what the audit
    built and no longer needs (the index, with the trees of the test-side files), for a
    process that ends right after and leaves it to the exit (``cli.check``): freeing it
    took 0.1 s of a 7 s audit of CPython's Lib/test."""
    with rare_collections():
        return _audit(paths, options or CheckOptions(), keep)


def _audit(paths: Sequence[str], options: CheckOptions, keep: list[object] | None = None
           ) -> Audit:
    ctx = prepare(paths, options)
    if keep is not None:
        keep.append(ctx)
    result = Audit(root=str(ctx.root), warnings=list(ctx.cfg.warnings))
    for path, message in ctx.files.errors:
        result.errors.append(FileError(_rel(path, ctx.root), message))
    jobs = options.jobs or os.cpu_count() or 1
    # the source's summaries for the index begin now, in forked helpers, while this process
    # reads the test files and asks the cache; a run that needs no index stops them
    with source_summaries(ctx, jobs) as summaries:
        results: list[FileResult] = []
        read: list[tuple[Path, str, bytes]] = []
        for path in ctx.files.tests:
            rel = _rel(path, ctx.root)
            try:
                read.append((path, rel, src_io.read_bytes(path)))
            except src_io.SourceError as exc:
                results.append(FileResult(rel, error=FileError(rel, str(exc))))
        ctx.imported_tests = imported_tests(read, ctx.files.other_tests)
        cache = _open_cache(ctx, options, result)
        # the index's inputs: the source, and the test-side files whose helpers it holds
        side = _files_digest(ctx, [*ctx.files.support, *ctx.files.conftests,
                                   *ctx.imported_tests])
        files_fp = _context_fingerprint(ctx, _files_digest(ctx, ctx.files.source) + side)
        ctx_fp = _facts_fingerprint(ctx, cache, files_fp, side, summaries)
        misses: list[tuple[Path, str, bytes]] = []
        keys: dict[str, str] = {}
        for path, rel, data in read:
            key = hashlib.sha256(ctx_fp.encode() + rel.encode() + b"\0" + data).hexdigest()
            keys[rel] = key
            cached = cache.get(key) if cache else None
            if isinstance(cached, FileResult):
                results.append(cached)
            else:
                misses.append((path, rel, data))
        # the raising functions carry their lines: keyed by the files' bytes, not their facts
        raising = cache.get("raising:" + files_fp) if cache else None
        if (misses and ctx.index is None) or not isinstance(raising, list):
            ctx.index = ctx.index or build_index(ctx, summaries=summaries)
            raising = raising_functions(ctx.index)
            if cache:
                cache.put("raising:" + files_fp, raising)
    if misses:
        fresh = _analyze_many(ctx, misses, jobs)
        if cache:
            cache.put_pickled((keys[r.rel], blob or Cache.dumps(r))
                              for r, blob in fresh if r.rel in keys)
        results.extend(r for r, _ in fresh)
    if cache:
        cache.close()
    _assemble(ctx, result, results, raising)
    return result


def _open_cache(ctx: RunContext, options: CheckOptions, result: Audit) -> Cache | None:
    if not options.use_cache:
        return None
    directory = options.cache_dir or (ctx.root / ctx.cfg.cache_dir)
    cache = Cache.open(directory)
    if cache is None:
        result.warnings.append(f"cache disabled: cannot write to {directory}")
    return cache


def _assemble(ctx: RunContext, audit_: Audit, results: Iterable[FileResult],
              raising: list[RaisingFunction]) -> None:
    suite = Suite(raising=raising)
    for res in sorted(results, key=lambda r: r.rel):
        audit_.files += 1
        if res.error:
            audit_.errors.append(res.error)
        audit_.tests.extend(res.tests)
        audit_.findings.extend(res.findings)
        suite.tests.extend(res.suite)
    extra = _suite_findings(ctx, suite)
    if extra:
        by_test: dict[str, set[str]] = {}
        for finding in extra:
            if finding.test:
                by_test.setdefault(finding.test, set()).add(finding.rule)
        audit_.tests = [
            AuditedTest(t.id, t.path, t.line, t.verdict, tuple(sorted(set(t.rules) | more)))
            if (more := by_test.get(t.id)) else t
            for t in audit_.tests
        ]
        audit_.findings.extend(extra)
    audit_.tests.sort(key=lambda t: (t.path, t.line, t.id))
    audit_.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule, f.test or "",
                                             f.message))
    audit_.errors.sort()


def _suite_findings(ctx: RunContext, suite: Suite) -> list[Finding]:
    out: list[Finding] = []
    suppressed = {t.id: t.suppressed for t in suite.tests}
    for rule in RULES:
        if not rule.per_suite:
            continue
        for found in rule.module.check_suite(suite):
            assert isinstance(found, SuiteFinding)
            if not ctx.cfg.rule_enabled(rule.code, found.path):
                continue
            codes = suppressed.get(found.test or "", frozenset())
            if "*" in codes or rule.code in codes:
                continue
            out.append(Finding(found.path, found.line, found.column, rule.code, rule.name,
                               rule.severity, found.message, found.test))
    return out
