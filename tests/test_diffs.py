"""A mutant's diff: exact text, and the same text a full ``ast.unparse`` of the mutant gives."""

from __future__ import annotations

import ast
import difflib
import sysconfig
import textwrap
from pathlib import Path

from refute.dynamic.diffs import mutant_diff
from refute.dynamic.functions import function_spans
from refute.dynamic.operators import classic_mutants, extreme_mutants

SOURCE = textwrap.dedent('''\
    class Basket:
        def total(self, prices, limit):
            """Sum of the prices under the limit."""
            out = 0
            for price in prices:
                if price < limit:
                    out += price

                def later():
                    return out
            return out
    ''')


def _spans(tmp_path: Path, text: str) -> list:
    path = tmp_path / "basket.py"
    path.write_text(text)
    return function_spans(path, tmp_path)


def _full_unparse_diff(spec, lines: list[str]) -> str:
    """What the diff was before statements were unparsed one at a time."""
    span = spec.span
    before = lines[span.first_line - 1: span.end_line]
    indent = " " * (len(before[0]) - len(before[0].lstrip()))
    original = [indent + ln if ln else ln for ln in ast.unparse(span.node).splitlines()]
    after = [indent + ln if ln else ln for ln in ast.unparse(spec.node).splitlines()]
    return "\n".join(difflib.unified_diff(original, after, f"{span.rel} (original)",
                                          f"{span.rel} (mutant)", n=1, lineterm=""))


def test_a_mutant_deep_in_a_loop_shows_only_its_line(tmp_path: Path) -> None:
    spans = _spans(tmp_path, SOURCE)
    total = next(s for s in spans if s.name == "total")
    lines = SOURCE.splitlines()
    compare = next(m for m in classic_mutants(total, lines, full=True)
                   if m.operator == "compare")
    assert mutant_diff(compare, lines) == "\n".join([
        "--- basket.py (original)",
        "+++ basket.py (mutant)",
        "@@ -4,3 +4,3 @@",
        "         for price in prices:",
        "-            if price < limit:",
        "+            if price <= limit:",
        "                 out += price"])


def test_an_extreme_mutant_shows_the_whole_new_body(tmp_path: Path) -> None:
    spans = _spans(tmp_path, SOURCE)
    total = next(s for s in spans if s.name == "total")
    lines = SOURCE.splitlines()
    none = extreme_mutants(total, {"int"})[0]
    assert none.operator == "extreme:none"
    assert mutant_diff(none, lines) == textwrap.dedent('''\
        --- basket.py (original)
        +++ basket.py (mutant)
        @@ -2,9 +2,2 @@
                 """Sum of the prices under the limit."""
        -        out = 0
        -        for price in prices:
        -            if price < limit:
        -                out += price
        -
        -            def later():
        -                return out
        -        return out
        +        return None''')


def test_every_mutant_of_real_modules_diffs_as_a_full_unparse_would(tmp_path: Path) -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    compared: list[str] = []
    different: list[str] = []
    for name in ("argparse.py", "textwrap.py", "json/encoder.py", "difflib.py"):
        path = stdlib / name
        lines = path.read_text().splitlines()
        for span in function_spans(path, stdlib):
            specs = [*extreme_mutants(span, {"int", "str", "bool"}),
                     *classic_mutants(span, lines, full=True)]
            compared.extend(spec.id for spec in specs)
            different.extend(spec.id for spec in specs
                             if mutant_diff(spec, lines) != _full_unparse_diff(spec, lines))
    assert different == []
    assert len(compared) > 2500  # the comparison really ran over thousands of mutants
