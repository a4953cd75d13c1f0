"""The rule registry: one module per rule; its docstring is its documentation."""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from types import ModuleType

from refute.model import Severity

_MODULES = (
    # context rules first: a check that never runs is reported as such, not as a tautology
    "rf303_unreachable_assertion",
    "rf307_unawaited_coroutine",
    "rf301_swallowed_assertion",
    "rf202_mock_typo",
    "rf206_hallucinated_api",
    "rf203_truthy_mock",
    "rf204_patched_subject",
    "rf102_tautology",
    "rf104_mirrored_oracle",
    "rf105_asserts_own_setup",
    "rf306_unenforced_raises",
    "rf304_broad_raises",
    "rf103_existence_only",
    "rf201_interaction_only",
    "rf205_unspecced_mock",
    "rf305_unchecked_capture",
    "rf401_duplicate_test",
    "rf402_missing_negative_case",
    "rf101_no_assertion",
    "rf302_conditional_assertion",
)


@dataclass(frozen=True)
class RuleSpec:
    code: str
    name: str
    severity: Severity
    phase: int
    doc: str
    module: ModuleType

    @property
    def summary(self) -> str:
        first = self.doc.strip().splitlines()[0]
        return first.split(":", 1)[1].strip() if ":" in first else first

    @property
    def per_test(self) -> bool:
        return hasattr(self.module, "check")

    @property
    def per_suite(self) -> bool:
        return hasattr(self.module, "check_suite")


def _load() -> tuple[RuleSpec, ...]:
    specs = []
    for name in _MODULES:
        module = importlib.import_module(f"refute.static.rules.{name}")
        specs.append(RuleSpec(
            code=module.CODE,
            name=module.NAME,
            severity=module.SEVERITY,
            phase=module.PHASE,
            doc=inspect.cleandoc(module.__doc__ or ""),
            module=module,
        ))
    return tuple(specs)


#: Rules in the order they run.
RULES: tuple[RuleSpec, ...] = _load()
BY_CODE: dict[str, RuleSpec] = {r.code: r for r in RULES}
BY_NAME: dict[str, RuleSpec] = {r.name: r for r in RULES}


def sorted_rules() -> list[RuleSpec]:
    return sorted(RULES, key=lambda r: r.code)


def find(code_or_name: str) -> RuleSpec | None:
    key = code_or_name.strip()
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
