"""``${NAME}`` environment references: what is one, what only looks like one, and which mistake it is.

``$$`` stands for a literal ``$`` in a value that is not a reference (SPEC §2.1), so
``$$Interchange-Admins`` is the group ``$Interchange-Admins``, not a malformed reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
REFERENCE = re.compile(r"\$\{(" + NAME + r")\}")
_ESCAPED_DOLLAR = re.compile(r"\$\$")
# Shell parameter expansion operators after a name: defaults, errors, alternatives, trimming,
# substitution, case changes, substrings (`${NAME:-x}`, `${NAME?x}`, `${NAME#x}`, `${NAME:1}`).
_SHELL_OPERATOR = re.compile(r"(" + NAME + r")(:?[-=?+]|##?|%%?|//?|\^\^?|,,?|:)")
_SHELL_PREFIX = re.compile(r"([#!])(" + NAME + r")")  # `${#NAME}` length, `${!NAME}` indirection


def is_reference(value: object) -> bool:
    return isinstance(value, str) and REFERENCE.fullmatch(value) is not None


def _unescaped(value: str) -> str:
    """``value`` with each ``$$`` (a literal ``$``) taken out, left to right."""
    return _ESCAPED_DOLLAR.sub("", value)


def looks_like_reference(value: object) -> bool:
    """After reading each ``$$`` as a literal ``$``: a value that starts with ``$`` or contains
    ``${`` is an attempted reference (``${NAME}`` or a malformed one)."""
    if not isinstance(value, str):
        return False
    if is_reference(value):
        return True
    rest = _unescaped(value)
    return rest.startswith("$") or "${" in rest


def literal(value: str) -> str:
    """The text a non-reference value stands for: each ``$$`` read as one ``$``."""
    return value.replace("$$", "$")


@dataclass(frozen=True)
class Mistake:
    """What is wrong with an attempted reference. ``words`` say it without quoting the value;
    ``detail`` adds the parts of the value that name the fix (never for a secret's value);
    ``fix`` is the reference it was probably meant to be, when there is one."""

    words: str
    detail: str = ""
    fix: str | None = None

    def message(self, quote: bool) -> str:
        return self.words + (self.detail if quote else "")


def diagnose(value: str) -> Mistake | None:
    """The mistake in a value that looks like a reference but is not ``${NAME}``, or None."""
    if not looks_like_reference(value) or is_reference(value):
        return None
    rest = _unescaped(value)
    if "${{" in rest:
        # Quoted without "…": masking hides a cut piece of a secret before one, and `${{ ` may begin one.
        return Mistake("`${{ secrets.NAME }}` is a CI expression, which the CI runner expands in its workflow file, "
                       "not in this one: pass the secret to jamacheck's environment (the step's `env:`) "
                       "and write `${NAME}`")
    start = rest.find("${")
    if start >= 0:
        return _braced(rest, start, value.startswith("${"))
    bare = re.fullmatch(r"\$(" + NAME + ")", rest)
    if bare:
        fix = f"${{{bare.group(1)}}}"
        return Mistake("a reference needs braces: write `${NAME}`, not `$NAME`", f" (here `{fix}`)", fix)
    return Mistake("a value that starts with `$` is read as a reference: write `${NAME}` for one, "
                   "or `$$` for a literal `$`")


def _shell_operator(inner: str) -> tuple[str, str] | None:
    """``(name, operator)`` when the text between the braces is a shell expansion."""
    after = _SHELL_OPERATOR.match(inner)
    if after:
        return after.group(1), after.group(2)
    before = _SHELL_PREFIX.match(inner)
    return (before.group(2), before.group(1)) if before else None


def _braced(rest: str, start: int, whole: bool) -> Mistake:
    end = rest.find("}", start)
    if end < 0:
        written = re.match(NAME, rest[start + 2:])
        fix = f"${{{written.group(0)}}}" if written and whole and written.end() == len(rest) - 2 else None
        return Mistake("the reference is not closed: end it with `}`", f" (write `{fix}`)" if fix else "", fix)
    inner = rest[start + 2:end]
    shell = _shell_operator(inner)
    if shell:
        name, symbol = shell
        fix = f"${{{name}}}" if whole else None
        return Mistake("shell operators such as `:-` and `?` are not supported (no defaults, no "
                       "substitutions): write `${NAME}` and set the variable",
                       f"; here the shell operator is `{symbol}`", fix)
    if start > 0 or end + 1 < len(rest):
        return Mistake("a reference must be the whole value (`${NAME}`, nothing before or after it); "
                       "for a literal `$`, write `$$`")
    suggestion = re.sub(r"\W+", "_", inner.strip()).strip("_")
    fix = f"${{{suggestion}}}" if whole and re.fullmatch(NAME, suggestion or "0") else None
    return Mistake("the name between the braces is not a valid variable name (letters, digits, "
                   "underscore; not starting with a digit)",
                   f": `{inner}`" + (f"; write `{fix}`" if fix else ""), fix)
