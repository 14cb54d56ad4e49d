"""Which rules run: ``select``/``ignore`` code prefixes, command line over configuration."""

from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass


def _longest(prefixes: tuple[str, ...], code: str) -> int:
    return max((len(prefix) for prefix in prefixes if code.startswith(prefix)), default=0)


@dataclass(frozen=True)
class Selection:
    """Layers of ``(select, ignore)``, the command line's first.

    In the first layer with a matching prefix, the longer match wins (``--ignore JC3
    --select JC303`` keeps JC303); on a tie, ignore wins. A layer whose ``select``
    list matches nothing leaves the code out: select restricts.
    """

    layers: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    @functools.cache  # noqa: B019 - a frozen value object, a few per run: the cache dies with it
    def enabled(self, code: str) -> bool:
        for select, ignore in self.layers:
            selected, ignored = _longest(select, code), _longest(ignore, code)
            if selected or ignored:
                return selected > ignored
            if select:
                return False
        return True


def ignored_for_file(path: str, code: str, per_file_ignores: dict[str, tuple[str, ...]],
                     relative: str | None = None) -> bool:
    for pattern, codes in per_file_ignores.items():
        if any(code.startswith(prefix) for prefix in codes) and (
            fnmatch.fnmatch(path, pattern) or (relative is not None and fnmatch.fnmatch(relative, pattern))
        ):
            return True
    return False
