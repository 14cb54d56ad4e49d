"""``${NAME}`` environment references: what is one, and what only looks like one."""

from __future__ import annotations

import re

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def is_reference(value: object) -> bool:
    return isinstance(value, str) and REFERENCE.fullmatch(value) is not None


def looks_like_reference(value: object) -> bool:
    """A value that starts with ``$`` or contains ``${`` is an attempted reference."""
    return isinstance(value, str) and (value.startswith("$") or "${" in value)
