"""Per-function results from mutants: Descartes' statuses and what counts as checked.

Used by ``verify`` for a run and by ``merge`` for shards joined again, so both give the
same statuses from the same mutants.
"""

from __future__ import annotations

from collections import defaultdict

from refute.model import FunctionResult, FunctionStatus, Mutant, MutantStatus

CAUGHT = (MutantStatus.KILLED_BY_ASSERTION, MutantStatus.TIMEOUT)  # what a test noticed
_RAN = (*CAUGHT, MutantStatus.KILLED_BY_ERROR, MutantStatus.SURVIVED)


def function_status(mutants: list[Mutant], covered: bool) -> FunctionStatus:
    """Descartes' classification from the extreme mutants that ran.

    tested: every one caught (by an assertion, or a timeout); pseudo-tested: none caught;
    partially-tested: some caught. One refinement: when the tests only crashed on every
    extreme mutant (``None`` from a decorator factory, ``pass`` for an ``__init__``), there
    is no extreme result they could have let through, so the extreme mutants prove nothing
    either way; the function is then pseudo-tested only if its classic mutants show a wrong
    result going unnoticed (one survived) and none was ever caught, and partially-tested
    otherwise. It counts as checked only when an extreme mutant was caught (``_checked``)."""
    if not covered:
        return FunctionStatus.NOT_COVERED
    extreme = [m for m in mutants if m.extreme and m.status in _RAN]
    if not extreme:
        return FunctionStatus.NOT_MUTATED
    caught = sum(m.status in CAUGHT for m in extreme)
    if caught == len(extreme):
        return FunctionStatus.TESTED
    if caught:
        return FunctionStatus.PARTIALLY_TESTED
    if not crash_only(mutants):  # an extreme mutant survived
        return FunctionStatus.PSEUDO_TESTED
    classic = [m for m in mutants if not m.extreme]
    if any(m.status is MutantStatus.SURVIVED for m in classic) and \
            not any(m.status in CAUGHT for m in classic):
        return FunctionStatus.PSEUDO_TESTED
    return FunctionStatus.PARTIALLY_TESTED


def crash_only(mutants: list[Mutant]) -> bool:
    """Whether every extreme mutant that ran only crashed the tests (killed by an error):
    a function whose status then rests on its classic mutants."""
    extreme = [m for m in mutants if m.extreme and m.status in _RAN]
    return bool(extreme) and all(m.status is MutantStatus.KILLED_BY_ERROR for m in extreme)


def needs_closer_look(mutants: list[Mutant]) -> bool:
    """Whether a function is pseudo-tested only through the classic mutants that ran: its
    extreme mutants only crashed the tests, and of one mutant per line none was caught. At
    the default depth such a function gets the rest of its classic mutants before that
    verdict stands (``verify._closer_look``): which mutant a line got decided it, and a kill
    by an assertion among the others makes it partially tested."""
    return crash_only(mutants) and \
        function_status(mutants, True) is FunctionStatus.PSEUDO_TESTED


def by_function(mutants: list[Mutant]) -> dict[str, list[Mutant]]:
    """The mutants of each function (its qualified name), in the order given."""
    out: dict[str, list[Mutant]] = defaultdict(list)
    for mutant in mutants:
        out[mutant.function].append(mutant)
    return out


def checked(mutants: list[Mutant]) -> bool:
    """Checked coverage counts a function when a test caught one of its extreme mutants."""
    return any(m.extreme and m.status in CAUGHT for m in mutants)


def function_results(mutants: list[Mutant], spans: list[tuple[str, str, int, int]],
                     covering: dict[str, list[str]], skipped: dict[str, str]
                     ) -> list[FunctionResult]:
    """Per-function results from mutants alone (also used by ``refute merge``)."""
    grouped = by_function(mutants)
    out = []
    for qualname, rel, line, end in spans:
        ms = grouped.get(qualname, [])
        tests = tuple(sorted(covering.get(qualname, ())))
        status = function_status(ms, bool(tests))
        out.append(FunctionResult(
            qualname=qualname, path=rel, line=line, end_line=end, status=status,
            mutants=len(ms),
            killed_by_assertion=sum(m.status is MutantStatus.KILLED_BY_ASSERTION for m in ms),
            killed_by_error=sum(m.status is MutantStatus.KILLED_BY_ERROR for m in ms),
            survived=sum(m.status is MutantStatus.SURVIVED for m in ms),
            timeout=sum(m.status is MutantStatus.TIMEOUT for m in ms),
            covering_tests=tests,
            reason=skipped.get(qualname, "") if status is FunctionStatus.NOT_MUTATED else "",
            checked=checked(ms)))
    return out
