"""What git history says about a test: which commits wrote its lines, whether one of them was
generated (a ``Generated-by:`` trailer, a bot co-author, a bot author), and who its authors are.

Blame results are cached (keyed by the file's bytes and the last commit that changed it), so a
warm run only asks git for the log.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from refute.config import RefuteConfig
from refute.model import Claim, ClaimSource
from refute.provenance.git import UNCOMMITTED, Blame, Commit, Git, GitError
from refute.static.cache import Cache

COAUTHOR = "co-authored-by"
_PERSON = re.compile(r"^\s*(.*?)\s*<([^>]*)>\s*$")


@dataclass(frozen=True)
class Person:
    name: str
    email: str

    @classmethod
    def parse(cls, text: str) -> Person:
        match = _PERSON.match(text)
        if match:
            return cls(match.group(1), match.group(2))
        return cls(text.strip(), "")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name

    def matches(self, who: str) -> bool:
        """Is this person named by ``who`` (a name or an email, case-insensitive)?"""
        who = who.strip().lower()
        if not who:
            return False
        if "<" in who:
            other = Person.parse(who)
            return self.matches(other.email) if other.email else self.matches(other.name)
        return who in (self.name.lower(), self.email.lower())


class Bots:
    def __init__(self, cfg: RefuteConfig) -> None:
        self.listed = tuple(cfg.bots)
        self.patterns = [re.compile(p, re.IGNORECASE) for p in cfg.bot_patterns]

    def is_bot(self, person: Person) -> bool:
        if any(person.matches(b) for b in self.listed):
            return True
        text = str(person)
        return any(p.search(text) for p in self.patterns)


class History:
    """The commits of the repository and blame of its test files, relative to ``root``."""

    def __init__(self, git: Git, root: Path, cfg: RefuteConfig, cache: Cache | None) -> None:
        self.git = git
        self.cfg = cfg
        self.bots = Bots(cfg)
        self.cache = cache
        prefix = root.resolve().relative_to(git.top).as_posix()
        self.prefix = "" if prefix == "." else prefix + "/"
        self.commits: dict[str, Commit] = {}
        self.last_change: dict[str, str] = {}
        if git.head() is not None:
            for commit in git.log(["HEAD"], with_files=True):
                self.commits[commit.sha] = commit
                for path in commit.files:
                    self.last_change.setdefault(path, commit.sha)
        self._blames: dict[str, Blame] = {}
        self.any_generated = any(self.generated_reason(c) for c in self.commits.values())

    def top_rel(self, rel: str) -> str:
        return self.prefix + rel

    # ------------------------------------------------------------------ commits
    def author(self, sha: str) -> Person | None:
        commit = self.commits.get(sha)
        return Person(commit.author, commit.email) if commit else None

    def people(self, sha: str) -> list[Person]:
        """The author and co-authors of a commit."""
        commit = self.commits.get(sha)
        if commit is None:
            return []
        out = [Person(commit.author, commit.email)]
        out += [Person.parse(v) for v in commit.trailer_values(COAUTHOR)]
        return out

    def generated_reason(self, commit: Commit) -> str | None:
        for key in self.cfg.generated_trailers:
            values = commit.trailer_values(key)
            if values:
                return f"{key}: {values[0]}"
        for value in commit.trailer_values(COAUTHOR):
            if self.bots.is_bot(Person.parse(value)):
                return f"Co-authored-by: {value}"
        author = Person(commit.author, commit.email)
        if self.bots.is_bot(author):
            return f"bot author {author}"
        return None

    def allow_removal(self, shas: Iterable[str]) -> str | None:
        for sha in shas:
            commit = self.commits.get(sha)
            if commit and any(v.strip().lower() == "test-removal"
                              for v in commit.trailer_values("Refute-Allow")):
                return sha
        return None

    # ------------------------------------------------------------------ blame
    def blame(self, rel: str) -> Blame:
        """Blame of a file of the working tree (``rel`` relative to the root)."""
        if rel in self._blames:
            return self._blames[rel]
        top_rel = self.top_rel(rel)
        path = self.git.top / top_rel
        key = ""
        if self.cache is not None:
            try:
                data = path.read_bytes()
            except OSError:
                data = b""
            key = "blame:" + hashlib.sha256(
                f"{top_rel}\0{self.last_change.get(top_rel, '')}\0".encode() + data
            ).hexdigest()
            cached = self.cache.get(key)
            if isinstance(cached, Blame):
                self._blames[rel] = cached
                return cached
        try:
            blame = self.git.blame(top_rel) if top_rel in self.last_change else Blame()
        except GitError:
            blame = Blame()
        if self.cache is not None and top_rel in self.last_change:
            self.cache.put(key, blame)
        self._blames[rel] = blame
        return blame

    def commits_of(self, rel: str, start: int, end: int) -> list[str]:
        """The commits that wrote lines ``start..end`` of a file, newest line order."""
        lines = self.blame(rel).lines
        return list(dict.fromkeys(lines[n] for n in range(start, end + 1) if n in lines))

    def git_claims(self, rel: str, start: int, end: int) -> list[Claim]:
        if not self.any_generated:
            return []
        out = []
        for sha in self.commits_of(rel, start, end):
            commit = self.commits.get(sha)
            reason = self.generated_reason(commit) if commit else None
            if commit and reason:
                by = commit.author if reason.startswith("bot author") else \
                    reason.split(":", 1)[1].strip()
                out.append(Claim(ClaimSource.GIT, f"commit {sha[:10]} ({reason})", by=by))
        return out

    def test_authors(self, rel: str, start: int, end: int) -> list[Person]:
        people: list[Person] = []
        for sha in self.commits_of(rel, start, end):
            if sha != UNCOMMITTED:
                people += self.people(sha)
        return people
