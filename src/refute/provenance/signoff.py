"""``refute signoff``: record, list stale, and revoke sign-offs in the ledger.

Nothing is written unless every requested test resolved and every check passed, so a failed
command leaves the ledger exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from refute.errors import UsageError
from refute.model import Signoff, Verdict
from refute.provenance.history import Person
from refute.provenance.inventory import Entry
from refute.provenance.status import Context, match_signoffs, with_line_numbers
from refute.static.context import CheckOptions
from refute.static.engine import audit


@dataclass(frozen=True)
class StaleSignoff:
    record: Signoff
    current: Entry | None  # None: the test no longer exists


def _base(name: str) -> str:
    """A test id, file or class as typed; a parametrized id names its function."""
    return name.strip().rstrip("/").split("[", 1)[0]


def _names(test_id: str, base: str) -> bool:
    """Does ``base`` (a node id, ``file::Class`` or a directory) name ``test_id``?"""
    return test_id == base or test_id.startswith((base + "::", base + "/"))


def select(ctx: Context, wanted: Sequence[str]) -> list[Entry]:
    """Tests named by node id, or by a prefix of node ids (a file, ``file::Class``)."""
    entries = ctx.inventory.entries
    chosen: dict[str, Entry] = {}
    unknown = []
    for raw in wanted:
        base = _base(raw)
        hits = [e for t, e in entries.items() if _names(t, base) or _names(e.rel, base)]
        if not hits:
            unknown.append(raw)
        for entry in hits:
            chosen[entry.id] = entry
    if unknown:
        raise UsageError("no test matches " + ", ".join(unknown) +
                         "; use node ids as `refute provenance` lists them")
    return [chosen[t] for t in sorted(chosen)]


def reviewer(ctx: Context, as_: str | None) -> Person:
    if as_:
        person = Person.parse(as_)
        if not person.name and not person.email:
            raise UsageError("--as needs a name, an email, or 'Name <email>'")
        return person
    name = email = None
    if ctx.history is not None:
        name = ctx.history.git.config("user.name")
        email = ctx.history.git.config("user.email")
    if not name and not email:
        raise UsageError("who is signing off? set git config user.name and user.email, "
                         "or pass --as 'Name <email>'")
    return Person(name or email or "", email or "")


def sign(ctx: Context, wanted: Sequence[str], note: str, as_: str | None,
         accept_vacuous: str | None, today: dt.date | None = None) -> list[Signoff]:
    entries = select(ctx, wanted)
    person = reviewer(ctx, as_)
    files = sorted({str(ctx.root / e.rel) for e in entries})
    verdicts = {t.id: t.verdict for t in audit(files, CheckOptions(use_cache=False)).tests}
    vacuous = [e.id for e in entries if verdicts.get(e.id) is Verdict.VACUOUS]
    if vacuous and not (accept_vacuous and accept_vacuous.strip()):
        raise UsageError(
            "these tests are vacuous and cannot fail because of a wrong result:\n" +
            "\n".join(f"  {t}" for t in vacuous) +
            "\nsign them off only with --accept-vacuous 'why it is acceptable'")
    matched = match_signoffs(ctx)
    date = (today or dt.datetime.now(dt.timezone.utc).date()).isoformat()
    made = []
    for entry in entries:
        previous = matched.get(entry.id)
        if previous is not None and previous.test != entry.id:
            ctx.ledger.remove(previous.test)  # the test moved: its record follows it
        record = Signoff(
            test=entry.id, fingerprint=entry.fingerprint, reviewer=person.name,
            email=person.email, date=date, note=note.strip(),
            accepted_vacuous=(accept_vacuous or "").strip() if entry.id in vacuous else "")
        ctx.ledger.put(record)
        made.append(record)
    ctx.ledger.save()
    with_line_numbers(ctx.ledger)
    return [ctx.ledger.records[r.test] for r in made]


def stale(ctx: Context) -> list[StaleSignoff]:
    """Sign-offs that no longer count because their test changed or is gone."""
    entries = ctx.inventory.entries
    matched = match_signoffs(ctx)
    used = {r.test for r in matched.values()}
    out = []
    for test, record in sorted(ctx.ledger.records.items()):
        if test not in used:
            out.append(StaleSignoff(record, None))
    for test, record in sorted(matched.items()):
        entry = entries[test]
        if record.fingerprint != entry.fingerprint:
            out.append(StaleSignoff(record, entry))
    return sorted(out, key=lambda s: s.record.test)


def revoke(ctx: Context, wanted: Sequence[str]) -> list[Signoff]:
    records = ctx.ledger.records
    matched = match_signoffs(ctx)
    removed: dict[str, Signoff] = {}
    unknown = []
    for raw in wanted:
        base = _base(raw)
        hits = [t for t in records if _names(t, base)]
        hits += [r.test for t, r in matched.items() if _names(t, base)]
        if not hits:
            unknown.append(raw)
        for test in hits:
            removed[test] = records[test]
    if unknown:
        raise UsageError("no sign-off matches " + ", ".join(unknown))
    for test in removed:
        ctx.ledger.remove(test)
    ctx.ledger.save()
    return [removed[t] for t in sorted(removed)]
