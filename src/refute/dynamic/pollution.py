"""Notice when a mutant leaves state behind, so the next mutant gets a fresh child.

A child runs several mutants one after another. Swapping the code back undoes the mutant
itself, but not what the mutated code did while it ran: a module-level ``__getattr__`` that
stores into ``globals()``, a registry it appended to, an ``lru_cache`` it filled with wrong
results. The next mutant's tests would see that state and fail for a reason that is not
theirs. A snapshot of the project's modules (and the classes defined in them) before and
after each mutant finds such changes: a name bound, rebound or deleted, a container whose size
changed, a cache that grew. When anything changed the child stops after reporting, and the
rest of its batch goes to a fresh child forked from the clean parent.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

Snapshot = list[object]

# what functools.lru_cache and functools.cache return (the C type, or the pure-Python
# fallback's wrapper function, which has no type of its own and is then not watched)
_CACHE_TYPE: type = getattr(functools, "_lru_cache_wrapper", type(None))


def _is_container(value: Any) -> bool:
    return isinstance(value, (dict, list, set, bytearray))


def is_cache(value: Any) -> bool:
    """An ``lru_cache``/``cache`` wrapper, by its exact type: asking any object for
    ``cache_info`` would run user code (``from pytest import mark`` makes a mark and warns, a
    module-level ``MagicMock`` records the call, which a test may then count)."""
    return type(value) is _CACHE_TYPE


def _cache_size(function: Any) -> int:
    return int(function.cache_info().currsize)


class Watch:
    """The namespaces to compare: modules whose file is one of ``files``, and their classes;
    the containers and caches bound in them when the watch is made."""

    def __init__(self, files: set[str]) -> None:
        self.namespaces: list[Any] = []  # module dicts and class mappingproxies
        for module in list(sys.modules.values()):
            if getattr(module, "__file__", None) not in files:
                continue
            names = vars(module)
            self.namespaces.append(names)
            for value in list(names.values()):
                if isinstance(value, type) and value.__module__ == module.__name__:
                    self.namespaces.append(value.__dict__)
        values = [v for ns in self.namespaces for v in list(ns.values())]
        self.containers = [v for v in values if _is_container(v)]
        self.caches = [v for v in values if is_cache(v)]

    def snapshot(self) -> Snapshot:
        """Names and the identity of what they are bound to, container sizes, cache sizes.

        Built from C-level iteration (``tuple``, ``map``): a child takes one per mutant."""
        out: Snapshot = [(tuple(ns), tuple(map(id, ns.values()))) for ns in self.namespaces]
        out.append(tuple(map(len, self.containers)))
        out.append(tuple(map(_cache_size, self.caches)))
        return out
