"""``refute provenance``: every test with its origin, the source of that claim, its sign-off
status and its verdict, built from the inventory, git history and the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from refute.model import (
    ProvenanceReport,
    Signoff,
    SignoffStatus,
    TestProvenance,
    Verdict,
)
from refute.provenance import inventory as inv
from refute.provenance.git import Git, GitError
from refute.provenance.history import History
from refute.provenance.ledger import Ledger
from refute.provenance.trust import judge
from refute.static.cache import Cache
from refute.static.context import CheckOptions
from refute.static.engine import audit


@dataclass
class Context:
    """The inventory of the working tree with its ledger and (when there is git) history."""

    inventory: inv.Inventory
    ledger: Ledger
    history: History | None
    cache: Cache | None
    warnings: list[str]

    @property
    def root(self) -> Path:
        return self.inventory.root


def open_context(paths: Sequence[str], need_git: bool = False,
                 use_cache: bool = True) -> Context:
    inventory = inv.load(paths)
    root = inventory.root
    cfg = inventory.ctx.cfg
    ledger = Ledger.load(root / cfg.ledger, cfg.ledger)
    warnings: list[str] = list(cfg.warnings)
    cache = Cache.open(root / cfg.cache_dir) if use_cache else None
    history: History | None = None
    try:
        git = Git.at(root)
        history = History(git, root, cfg, cache)
    except GitError as exc:
        if need_git:
            raise
        warnings.append(f"{exc}: git origins and sign-off authorship are not checked")
    return Context(inventory, ledger, history, cache, warnings)


def match_signoffs(ctx: Context) -> dict[str, Signoff]:
    """Test id -> its sign-off: by id, or by fingerprint for a test that moved."""
    records = ctx.ledger.records
    entries = ctx.inventory.entries
    matched = {t: r for t, r in records.items() if t in entries}
    orphans_by_fp: dict[str, Signoff] = {}
    for test, record in records.items():
        if test not in entries:
            orphans_by_fp.setdefault(record.fingerprint, record)
    for test, entry in entries.items():
        if test not in matched and entry.fingerprint in orphans_by_fp:
            matched[test] = orphans_by_fp[entry.fingerprint]
    return matched


def orphans(ctx: Context, matched: dict[str, Signoff]) -> list[Signoff]:
    used = {r.test for r in matched.values()}
    return [r for t, r in sorted(ctx.ledger.records.items()) if t not in used]


def orphan_warning(ctx: Context, record: Signoff) -> str:
    return (f"{ctx.ledger.rel}:{record.line}: the ledger signs off {record.test}, which no "
            "longer exists")


def provenance(paths: Sequence[str], use_cache: bool = True) -> ProvenanceReport:
    ctx = open_context(paths, use_cache=use_cache)
    verdicts = {t.id: t.verdict for t in audit(list(paths), CheckOptions(
        use_cache=use_cache)).tests}
    report = build_report(ctx, verdicts)
    if ctx.cache:
        ctx.cache.close()
    return report


def build_report(ctx: Context, verdicts: dict[str, Verdict]) -> ProvenanceReport:
    report = ProvenanceReport(root=str(ctx.root), warnings=list(ctx.warnings))
    matched = match_signoffs(ctx)
    for test, entry in sorted(ctx.inventory.entries.items(),
                              key=lambda kv: (kv[1].rel, kv[1].line, kv[0])):
        report.tests.append(describe(ctx, entry, matched.get(test), verdicts.get(test)))
    report.orphans = orphans(ctx, matched)
    report.warnings.extend(orphan_warning(ctx, r) for r in report.orphans)
    for error in ctx.inventory.errors:
        report.warnings.append(f"{error.path}: {error.message}")
    return report


def describe(ctx: Context, entry: inv.Entry, record: Signoff | None,
             verdict: Verdict | None) -> TestProvenance:
    claims = list(entry.claims)
    if ctx.history is not None:
        claims += ctx.history.git_claims(entry.rel, entry.start, entry.end)
    judgement = judge(record, entry.fingerprint, entry.rel, entry.start, entry.end,
                      ctx.history, ctx.ledger.rel)
    reason = judgement.reason
    if record is not None and record.test != entry.id and \
            judgement.status is not SignoffStatus.MISSING:
        reason += f"; signed off as {record.test} before it moved"
    if record is not None and record.accepted_vacuous:
        reason += f"; accepted as vacuous: {record.accepted_vacuous}"
    return TestProvenance(
        id=entry.id, path=entry.rel, line=entry.line, generated=bool(claims),
        claims=tuple(claims), signoff=record, status=judgement.status, reason=reason,
        verdict=verdict, fingerprint=entry.fingerprint)


def with_line_numbers(ledger: Ledger) -> None:
    """Give every record the line it has in the saved file."""
    numbers = ledger.line_numbers()
    ledger.records = {t: replace(r, line=numbers[t]) for t, r in ledger.records.items()}
