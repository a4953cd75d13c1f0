"""``refute gate --base REV``: the pull-request check.

It compares the tests of the working tree with those of the merge base of REV and HEAD (the
three-dot diff a pull request shows) and blocks when:

- a new or changed test is vacuous (or weak, with ``gate-fail-on = "weak"``);
- a new, changed or moved generated test has no sign-off that counts;
- a test was deleted, or an assertion removed from a test, and no commit since the base carries
  ``Refute-Allow: test-removal``;
- with ``--verify``: a function changed since the base is pseudo-tested.

A test is *changed* when its own normalised code changed (reformatting does not count); a test
that disappears from one place and appears with the same code elsewhere has *moved*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from refute.errors import RefuteError
from refute.model import GateFinding, GateReason, GateResult, SignoffStatus, Verdict
from refute.provenance.git import Git
from refute.provenance.inventory import Entry, entries_of, test_file_at
from refute.provenance.status import (
    Context,
    describe,
    match_signoffs,
    open_context,
    orphan_warning,
    orphans,
)
from refute.static.context import CheckOptions
from refute.static.engine import audit


class GateError(RefuteError):
    """The gate cannot compare with its base (unknown revision, shallow clone, no history)."""


@dataclass
class GateOptions:
    base: str
    paths: Sequence[str] = ()
    verify: bool = False
    coverage: bool = False
    use_cache: bool = True


@dataclass
class _Diff:
    base: dict[str, Entry]
    head: dict[str, Entry]
    added: list[str]
    changed: list[str]
    moved: list[tuple[str, str]]
    removed: list[str]


def gate(options: GateOptions) -> GateResult:
    ctx = open_context(options.paths, need_git=True, use_cache=options.use_cache)
    try:
        return _gate(ctx, options)
    finally:
        if ctx.cache:
            ctx.cache.close()


def _resolve(git: Git, rev: str) -> tuple[str, str, str, list[str]]:
    notes: list[str] = []
    head = git.head()
    if head is None:
        raise GateError("the repository has no commits yet: there is nothing to compare")
    base = git.resolve(rev)
    if base is None:
        if git.is_shallow():
            raise GateError(
                f"base revision {rev!r} is not in this shallow clone; fetch the history "
                "(actions/checkout with fetch-depth: 0, or git fetch --unshallow)")
        raise GateError(f"unknown base revision {rev!r} (git rev-parse cannot resolve it)")
    compared = git.merge_base(base, head)
    if compared is None:
        raise GateError(f"{rev!r} and HEAD have no common ancestor"
                        + ("; the clone is shallow, fetch more history" if git.is_shallow()
                           else ""))
    if len(git.parents(base)) > 1:
        notes.append(f"the base {rev} ({base[:10]}) is a merge commit; tests are compared "
                     "with its tree")
    if compared != base:
        notes.append(f"comparing with the merge base {compared[:10]} of {rev} and HEAD")
    if git.try_run(["symbolic-ref", "-q", "HEAD"]) is None:
        notes.append(f"HEAD is detached at {head[:10]}")
    return base, compared, head, notes


def _diff(ctx: Context, git: Git, compared: str) -> _Diff:
    assert ctx.history is not None
    inventory = ctx.inventory
    prefix = ctx.history.prefix
    changed_files = {}
    for top_rel, status in git.changed_files(compared).items():
        if prefix and not top_rel.startswith(prefix):
            continue
        rel = top_rel[len(prefix):]
        if rel in inventory.files or (status == "D" and test_file_at(inventory.ctx, rel)):
            changed_files[rel] = status
    texts = git.show_files(compared, [prefix + rel for rel in changed_files
                                      if changed_files[rel] != "A"])
    base: dict[str, Entry] = {}
    head: dict[str, Entry] = {}
    for rel in changed_files:
        data = texts.get(prefix + rel)
        if data is not None:
            text = data.decode("utf-8", errors="replace")
            for entry in entries_of(inventory.ctx, rel, text):
                base[entry.id] = entry
    for test, entry in inventory.entries.items():
        if test.split("::", 1)[0] in changed_files:
            head[test] = entry
    new = [t for t in head if t not in base]
    gone = [t for t in base if t not in head]
    gone_by_code: dict[str, list[str]] = {}
    for test in gone:
        gone_by_code.setdefault(base[test].code, []).append(test)
    moved: list[tuple[str, str]] = []
    added: list[str] = []
    for test in sorted(new):
        candidates = gone_by_code.get(head[test].code)
        if candidates:
            moved.append((candidates.pop(0), test))
        else:
            added.append(test)
    moved_from = {old for old, _ in moved}
    removed = sorted(t for t in gone if t not in moved_from)
    changed = sorted(t for t in head if t in base and head[t].code != base[t].code)
    return _Diff(base, head, added, changed, moved, removed)


def _gate(ctx: Context, options: GateOptions) -> GateResult:
    assert ctx.history is not None
    git = ctx.history.git
    base, compared, head, notes = _resolve(git, options.base)
    diff = _diff(ctx, git, compared)
    result = GateResult(root=str(ctx.root), base=options.base, base_sha=base,
                        compared_sha=compared, head_sha=head,
                        repo_prefix=ctx.history.prefix, added=diff.added,
                        changed=diff.changed, moved=diff.moved, removed=diff.removed,
                        notes=notes, warnings=list(ctx.warnings))
    entries = ctx.inventory.entries
    touched = [*diff.added, *diff.changed, *(new for _, new in diff.moved)]
    verdicts, reasons = _verdicts(ctx, [entries[t] for t in touched])
    matched = match_signoffs(ctx)
    threshold = ctx.inventory.ctx.cfg.gate_fail_on
    for test in sorted(touched):
        entry = entries[test]
        what = "new" if test in diff.added else "moved" if test not in diff.changed \
            else "changed"
        info = describe(ctx, entry, matched.get(test), verdicts.get(test))
        verdict = verdicts.get(test)
        accepted = info.status is SignoffStatus.VALID and info.signoff is not None and \
            bool(info.signoff.accepted_vacuous)
        if verdict is not None and verdict.rank >= threshold.rank and what != "moved":
            reason = GateReason.VACUOUS if verdict is Verdict.VACUOUS else GateReason.WEAK
            message = f"{what} test is {verdict.value}: {reasons.get(test, '')}".rstrip(": ")
            if accepted and info.signoff is not None:
                message += (f" (accepted by {info.signoff.reviewer}: "
                            f"{info.signoff.accepted_vacuous})")
            result.findings.append(GateFinding(reason, test, entry.rel, entry.line, message,
                                               blocking=not accepted))
        if info.generated and not info.status.counts:
            source = info.claims[0]
            result.findings.append(GateFinding(
                GateReason.UNSIGNED, test, entry.rel, entry.line,
                f"{what} generated test ({source.source.value}: {source.where}) has no valid "
                f"sign-off: {info.status.value}, {info.reason}"))
    _removals(ctx, git, compared, diff, result)
    unsigned = [f.test for f in result.findings if f.reason is GateReason.UNSIGNED]
    if options.coverage and unsigned:
        _coverage(ctx, diff, unsigned, result)
    if options.verify:
        _verify(ctx, compared, result)
    result.warnings.extend(orphan_warning(ctx, r) for r in orphans(ctx, matched))
    result.findings.sort(key=lambda f: (f.path, f.line, f.test, f.reason.value))
    return result


def _verdicts(ctx: Context, entries: list[Entry]) -> tuple[dict[str, Verdict], dict[str, str]]:
    if not entries:
        return {}, {}
    files = sorted({str(ctx.root / e.id.split("::", 1)[0]) for e in entries})
    checked = audit(files, CheckOptions())
    wanted = {e.id for e in entries}
    reasons: dict[str, str] = {}
    for finding in checked.findings:
        if finding.test in wanted and finding.test not in reasons and \
                finding.severity.value != "info":
            reasons[finding.test] = f"{finding.rule} {finding.message} (line {finding.line})"
    return {t.id: t.verdict for t in checked.tests if t.id in wanted}, reasons


def _removals(ctx: Context, git: Git, compared: str, diff: _Diff, result: GateResult) -> None:
    assert ctx.history is not None
    shas = git.run(["rev-list", f"{compared}..HEAD"]).split()
    allowed = ctx.history.allow_removal(shas)
    suffix = f" (allowed by Refute-Allow: test-removal in commit {allowed[:10]})" \
        if allowed else "; add a `Refute-Allow: test-removal` trailer to a commit if intended"
    for test in diff.removed:
        entry = diff.base[test]
        result.findings.append(GateFinding(
            GateReason.TEST_REMOVED, test, entry.rel, entry.line,
            f"test deleted{suffix}", blocking=allowed is None))
    pairs = [(t, t) for t in diff.head if t in diff.base] + diff.moved
    for old, new in pairs:
        before, after = diff.base[old].assertions, diff.head[new].assertions
        if after < before:
            entry = diff.head[new]
            lost = before - after
            result.findings.append(GateFinding(
                GateReason.ASSERTION_REMOVED, new, entry.rel, entry.line,
                f"{lost} assertion{'s' if lost > 1 else ''} removed ({before} -> {after})"
                f"{suffix}", blocking=allowed is None))


def _coverage(ctx: Context, diff: _Diff, unsigned: list[str], result: GateResult) -> None:
    """Lines that only the unsigned generated tests execute: coverage they add unchecked."""
    from refute.dynamic.verify import VerifyOptions, verify

    measured = verify(VerifyOptions(project=str(ctx.root), baseline_only=True,
                                    flaky_reruns=0, use_cache=False))
    new = set(diff.added) | set(diff.changed) | {n for _, n in diff.moved}
    base_lines: dict[str, set[int]] = {}
    by_test: dict[str, dict[str, set[int]]] = {}
    for node_id, files in measured.lines_by_test.items():
        test = node_id.split("[", 1)[0]
        if test in new:
            mine = by_test.setdefault(test, {})
            for rel, lines in files.items():
                mine.setdefault(rel, set()).update(lines)
        else:
            for rel, lines in files.items():
                base_lines.setdefault(rel, set()).update(lines)
    entries = ctx.inventory.entries
    for test in sorted(set(unsigned)):
        only = {rel: sorted(lines - base_lines.get(rel, set()))
                for rel, lines in by_test.get(test, {}).items()}
        only = {rel: lines for rel, lines in only.items() if lines}
        count = sum(len(lines) for lines in only.values())
        if not count:
            continue
        where = "; ".join(f"{rel}: {_ranges(lines)}" for rel, lines in sorted(only.items()))
        entry = entries[test]
        result.findings.append(GateFinding(
            GateReason.COVERAGE, test, entry.rel, entry.line,
            f"unsigned generated test raises line coverage by {count} line"
            f"{'s' if count != 1 else ''} that no test of the base covers ({where})"))


def _ranges(lines: list[int]) -> str:
    out: list[str] = []
    start = prev = lines[0]
    for line in [*lines[1:], 0]:
        if line != prev + 1:
            out.append(str(start) if start == prev else f"{start}-{prev}")
            start = line
        prev = line
    return ", ".join(out)


def _verify(ctx: Context, compared: str, result: GateResult) -> None:
    from refute.dynamic.verify import VerifyOptions, verify
    from refute.model import FunctionStatus

    verification = verify(VerifyOptions(project=str(ctx.root), since=compared,
                                        depth="extreme", flaky_reruns=0))
    for fn in verification.functions:
        if fn.status is FunctionStatus.PSEUDO_TESTED:
            rel = str(PurePosixPath(fn.path))
            result.findings.append(GateFinding(
                GateReason.PSEUDO_TESTED, fn.qualname, rel, fn.line,
                f"changed function {fn.qualname} is pseudo-tested: every extreme mutant "
                f"survived its {len(fn.covering_tests)} covering tests"))
