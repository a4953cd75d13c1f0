"""Does a sign-off count? Checked against the test's fingerprint and against git.

A sign-off counts when all of these hold:
1. the fingerprint in the ledger equals the test's current fingerprint (else *stale*);
2. the ledger line is committed (else *uncommitted*);
3. the commit that wrote the line is not by a bot, and its author did not write (or co-author)
   any line of the test (else *self-signed*);
4. that author is the reviewer the line names, and is listed in ``reviewers`` when that list is
   set; with ``require-signed-commits`` the commit's signature verifies (else *forged*).
"""

from __future__ import annotations

from dataclasses import dataclass

from refute.model import Signoff, SignoffStatus
from refute.provenance.git import UNCOMMITTED
from refute.provenance.history import History, Person


@dataclass(frozen=True)
class Judgement:
    status: SignoffStatus
    reason: str


def judge(record: Signoff | None, fingerprint: str, rel: str, start: int, end: int,
          history: History | None, ledger_rel: str) -> Judgement:
    if record is None:
        return Judgement(SignoffStatus.MISSING, "no sign-off")
    if record.fingerprint != fingerprint:
        return Judgement(SignoffStatus.STALE, f"the test, or a fixture or helper it uses, "
                         f"changed after {record.reviewer} signed it off on {record.date}")
    if history is None:
        return Judgement(SignoffStatus.UNVERIFIED,
                         f"signed off by {record.reviewer}; no git history to verify it")
    sha = history.blame(ledger_rel).lines.get(record.line, UNCOMMITTED)
    if sha == UNCOMMITTED:
        return Judgement(SignoffStatus.UNCOMMITTED,
                         f"signed off by {record.reviewer}, but the ledger line is not "
                         "committed yet")
    committer = history.author(sha)
    short = sha[:10]
    if committer is None:
        return Judgement(SignoffStatus.FORGED, f"the ledger line's commit {short} is unknown")
    if history.bots.is_bot(committer):
        return Judgement(SignoffStatus.SELF_SIGNED,
                         f"the sign-off was committed by a bot, {committer} (commit {short})")
    authors = history.test_authors(rel, start, end)
    if any(_same(committer, a) for a in authors):
        return Judgement(SignoffStatus.SELF_SIGNED,
                         f"{committer} wrote this test and signed it off (commit {short})")
    named = Person(record.reviewer, record.email)
    if not _same(committer, named):
        return Judgement(SignoffStatus.FORGED,
                         f"the line names {named} but was committed by {committer} "
                         f"(commit {short})")
    reviewers = history.cfg.reviewers
    if reviewers and not any(committer.matches(r) for r in reviewers):
        return Judgement(SignoffStatus.FORGED,
                         f"{committer} is not in reviewers (commit {short})")
    if history.cfg.require_signed_commits and not history.git.verify_commit(sha):
        return Judgement(SignoffStatus.FORGED,
                         f"the signature of commit {short} does not verify "
                         "(require-signed-commits)")
    return Judgement(SignoffStatus.VALID,
                     f"signed off by {committer} on {record.date} (commit {short})")


def _same(a: Person, b: Person) -> bool:
    if a.email and b.email:
        return a.email.lower() == b.email.lower()
    return a.name.lower() == b.name.lower()
