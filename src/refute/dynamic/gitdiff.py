"""Lines changed since a git revision, for diff-scoped runs (``--since REV``)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from refute.errors import UsageError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(root: Path, rev: str) -> dict[str, set[int]]:
    """Relative path -> lines of the working tree added or changed since ``rev``."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root,
                             capture_output=True, text=True, check=True).stdout.strip()
        proc = subprocess.run(["git", "diff", "--unified=0", "--no-color", rev, "--", "."],
                              cwd=root, capture_output=True, text=True, check=False)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise UsageError(f"--since needs a git repository at {root}: {exc}") from exc
    if proc.returncode != 0:
        raise UsageError(f"git diff {rev} failed: {proc.stderr.strip()}")
    out: dict[str, set[int]] = {}
    current: str | None = None
    prefix = Path(top).resolve()
    for line in proc.stdout.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            if name == "/dev/null":
                current = None
                continue
            full = prefix / name[2:]
            try:
                current = full.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                current = None
        elif current and (m := _HUNK.match(line)):
            start, count = int(m.group(1)), int(m.group(2) or "1")
            out.setdefault(current, set()).update(range(start, start + max(count, 1)))
    return out
