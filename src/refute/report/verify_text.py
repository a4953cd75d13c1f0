"""Human output of ``refute verify``: pseudo-tested functions with a surviving mutant as a
diff, tests that check nothing at runtime, and line vs checked coverage."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.syntax import Syntax

from refute.model import FunctionStatus, Mutant, MutantStatus, Verdict, Verification
from refute.plural import counted

_STYLE = {FunctionStatus.PSEUDO_TESTED: "bold red", FunctionStatus.PARTIALLY_TESTED: "yellow",
          FunctionStatus.TESTED: "green", FunctionStatus.NOT_COVERED: "dim",
          FunctionStatus.NOT_MUTATED: "dim"}


class VerifyTextReporter:
    def __init__(self, show_all: bool = False) -> None:
        self.show_all = show_all

    def report(self, ver: Verification, out: TextIO) -> None:
        console = Console(file=out, highlight=False, soft_wrap=True,
                          force_terminal=out.isatty() if hasattr(out, "isatty") else False)
        survivors: dict[str, Mutant] = {}
        rank = {(MutantStatus.SURVIVED, True): 0, (MutantStatus.SURVIVED, False): 1,
                (MutantStatus.KILLED_BY_ERROR, True): 2}
        for m in sorted(ver.mutants, key=lambda m: rank.get((m.status, m.extreme), 9)):
            if (m.status, m.extreme) in rank:
                survivors.setdefault(m.function, m)
        for status in (FunctionStatus.PSEUDO_TESTED, FunctionStatus.PARTIALLY_TESTED):
            shown = [f for f in ver.functions if f.status is status]
            if not shown:
                continue
            console.print(f"[{_STYLE[status]}]{status.value}[/] functions ({len(shown)}):")
            for f in shown:
                console.print(f"  {f.path}:{f.line} {f.qualname}: {f.survived} of {f.mutants} "
                              f"mutants survived, {f.killed_by_assertion} killed by an "
                              f"assertion, {f.killed_by_error} only by an error; covered by "
                              f"{counted(len(f.covering_tests), 'test')}")
                mutant = survivors.get(f.qualname)
                if mutant is not None:
                    what = "surviving mutant" if mutant.status is MutantStatus.SURVIVED else \
                        f"mutant only crashed the tests ({mutant.detail})"
                    console.print(f"    {what}: {mutant.description}")
                    console.print(Syntax(mutant.diff, "diff", theme="ansi_dark",
                                         background_color="default"))
        weak_runs = [r for r in ver.runs if r.reasons and r.verdict is not Verdict.OK]
        if weak_runs:
            console.print(f"tests that check nothing at runtime ({len(weak_runs)}):")
            for run in weak_runs:
                console.print(f"  {run.verdict.value:<7} {run.id}: {'; '.join(run.reasons)}")
        if self.show_all:
            for f in ver.functions:
                console.print(f"  [{_STYLE[f.status]}]{f.status.value:<16}[/] {f.qualname}"
                              + (f" ({f.reason})" if f.reason else ""))
        module_level = [f for f in ver.functions if f.qualname.endswith(".<module>")]
        counts = {s: sum(f.status is s for f in ver.functions if f not in module_level)
                  for s in FunctionStatus}
        killed = sum(m.status.killed for m in ver.mutants)
        console.print(
            f"line coverage {ver.line_coverage:.0%} ({ver.covered_lines}/{ver.source_lines}), "
            f"checked coverage {ver.checked_coverage:.0%} ({ver.checked_lines}/"
            f"{ver.source_lines}), mutation score {ver.mutation_score:.0%} "
            f"({killed}/{len(ver.mutants)} mutants killed)")
        console.print(
            f"functions: {counts[FunctionStatus.TESTED]} tested, "
            f"{counts[FunctionStatus.PARTIALLY_TESTED]} partially tested, "
            f"{counts[FunctionStatus.PSEUDO_TESTED]} pseudo-tested, "
            f"{counts[FunctionStatus.NOT_COVERED]} not covered, "
            f"{counts[FunctionStatus.NOT_MUTATED]} not mutated"
            + (f"; flaky tests left out: {', '.join(ver.flaky)}" if ver.flaky else ""))
        for note in ver.notes:
            console.print(f"note: {note}")
        if module_level:
            ran = sum(f.covered_lines for f in module_level)
            console.print(f"module-level code: {ran} lines in {len(module_level)} files ran at "
                          "import and are not mutated (refute mutates functions and methods)")
